import Foundation
import HerdCore
import Yams

/// Reads the configuration: built-in defaults (documented in `Config/default.yaml`), then the user's
/// YAML file, then `HERD_<SECTION>_<KEY>` environment variables, each overriding the one before.
public enum ConfigLoader {
    public static func load(file: String?, environment: [String: String]) throws(ConfigError) -> Settings {
        var values: [String: String] = [:]
        if let file { values = try flatten(yamlAt: file) }
        for key in SettingsSchema.keys {
            if let value = environment[key.environmentName] { values[key.path] = value }
        }
        return try SettingsSchema.settings(from: values)
    }

    /// Flattens a YAML mapping into `section.key` values.
    public static func flatten(yamlAt path: String) throws(ConfigError) -> [String: String] {
        let text: String
        do {
            text = try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            throw ConfigError(key: path, problem: "cannot read the configuration file")
        }
        return try flatten(yaml: text, source: path)
    }

    public static func flatten(yaml text: String, source: String) throws(ConfigError) -> [String: String] {
        // Keys that are lists or mappings have no place in a configuration, and Yams compares them with each other
        // at every level while composing (FuzzConfig found 2 KiB of nested `?` keys taking 14 s): refused first.
        guard !hasComplexKey(text) else {
            throw ConfigError(key: source, problem: "invalid YAML: a key that is not a plain name")
        }
        let node: Node?
        do {
            node = try Yams.compose(yaml: text)
        } catch let error as YamlError {
            throw ConfigError(key: source, problem: "invalid YAML: \(describe(error))")
        } catch {
            throw ConfigError(key: source, problem: "invalid YAML")
        }
        guard let node else { return [:] }
        var budget = maximumNodes
        let root = try plainValue(node, source: source, budget: &budget)
        guard let mapping = root as? [String: Any] else {
            throw ConfigError(key: source, problem: "the top level must be a mapping of sections")
        }
        var values: [String: String] = [:]
        try flatten(mapping, prefix: "", into: &values)
        return values
    }

    static func flatten(_ mapping: [String: Any], prefix: String, into values: inout [String: String])
        throws(ConfigError)
    {
        for (name, value) in mapping {
            let path = prefix.isEmpty ? name : "\(prefix).\(name)"
            switch value {
            case let nested as [String: Any]: try flatten(nested, prefix: path, into: &values)
            case let list as [Any] where list.contains(where: { $0 is [String: Any] }):
                // Mirroring strategies: a sequence of mappings, kept in the one-string form an environment
                // variable gives (`SettingsSchema.parseStrategies`).
                guard SettingsSchema.keys.contains(where: { $0.path == path && $0.kind == .strategies }),
                    let items = list as? [[String: Any]]
                else {
                    throw ConfigError(key: path, problem: "expected a single value, got a list of mappings")
                }
                values[path] = items.map { item in
                    item.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: ";")
                }.joined(separator: ",")
            case let list as [Any]:
                // Keys that take lists keep them comma-separated, as an environment variable would give them.
                guard
                    SettingsSchema.keys.contains(where: {
                        $0.path == path && ($0.kind == .list || $0.kind == .strategies)
                    })
                else {
                    throw ConfigError(key: path, problem: "expected a single value, got a list")
                }
                guard list.allSatisfy({ !($0 is [Any]) && !($0 is [String: Any]) }) else {
                    throw ConfigError(key: path, problem: "expected a list of single values")
                }
                values[path] = list.map { "\($0)" }.joined(separator: ",")
            case is NSNull: values[path] = ""
            case let bool as Bool: values[path] = bool ? "true" : "false"
            default: values[path] = "\(value)"
            }
        }
    }

    /// Whether the text has an explicit key (`? key`) or a flow collection used as a key (`[a]: b`, `{a: b}: c`),
    /// outside quotes and comments: one pass, no backtracking.
    static func hasComplexKey(_ text: String) -> Bool {
        var quote: UInt8? = nil
        var comment = false
        var previous: UInt8 = 0x0A
        var closedFlow = false  // a `]` or `}` was the last thing on this line besides blanks
        let bytes = Array(text.utf8)
        func isBlank(_ byte: UInt8) -> Bool { byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D }
        for (index, byte) in bytes.enumerated() {
            let next = index + 1 < bytes.count ? bytes[index + 1] : 0x0A
            defer { previous = byte }
            if byte == 0x0A {
                (quote, comment, closedFlow) = (nil, false, false)
                continue
            }
            if comment { continue }
            if let open = quote {
                if byte == open { quote = nil }
                continue
            }
            switch byte {
            case UInt8(ascii: "\""), UInt8(ascii: "'"): quote = byte
            case UInt8(ascii: "#") where isBlank(previous): comment = true
            case UInt8(ascii: "?") where (isBlank(previous) || "[{,".utf8.contains(previous)) && isBlank(next):
                return true
            case UInt8(ascii: ":") where closedFlow && isBlank(next): return true
            default: break
            }
            if byte == UInt8(ascii: "]") || byte == UInt8(ascii: "}") {
                closedFlow = true
            } else if !isBlank(byte) {
                closedFlow = false
            }
        }
        return false
    }

    /// More values than any configuration has: a file of aliases to aliases (`&a [*b, *b, …]`) would otherwise
    /// unfold exponentially.
    static let maximumNodes = 10_000

    /// The YAML tree as plain values: mappings, lists, and each scalar as its text, `true`/`false` and null read as
    /// YAML spells them when unquoted; the schema parses the rest. Yams' own constructor also reads YAML 1.1 forms
    /// such as base-60 numbers (`1:30`), and traps on one that overflows (`888888802168997784:0`, found by
    /// FuzzConfig); it also traps on a mapping whose key is not a plain value (`? [a, b]: c`, likewise).
    static func plainValue(_ node: Node, source: String, budget: inout Int) throws(ConfigError) -> Any {
        budget -= 1
        guard budget >= 0 else { throw ConfigError(key: source, problem: "too many values (aliases?)") }
        switch node {
        case .scalar(let scalar):
            guard scalar.style == .plain else { return scalar.string }
            switch scalar.string {
            case "", "~", "null", "Null", "NULL": return NSNull()
            case "true", "True", "TRUE", "yes", "Yes", "YES", "on", "On", "ON": return true
            case "false", "False", "FALSE", "no", "No", "NO", "off", "Off", "OFF": return false
            default: return scalar.string
            }
        case .mapping(let mapping):
            var values: [String: Any] = [:]
            for (key, value) in mapping {
                guard case .scalar(let name) = key else {
                    throw ConfigError(key: source, problem: "invalid YAML: a key that is not a plain name")
                }
                values[name.string] = try plainValue(value, source: source, budget: &budget)
            }
            return values
        case .sequence(let sequence):
            var values: [Any] = []
            for item in sequence { values.append(try plainValue(item, source: source, budget: &budget)) }
            return values
        case .alias:
            throw ConfigError(key: source, problem: "invalid YAML: aliases are not supported")
        }
    }

    static func describe(_ error: YamlError) -> String {
        "\(error)".split(separator: "\n").first.map(String.init) ?? "\(error)"
    }
}
