import Foundation

/// The value syntaxes of the configuration: lists, booleans, sizes, durations and mirroring strategies.
extension SettingsSchema {
    /// `strategy=most-views;size=10GB;min_lifetime=2 days,strategy=recently-added;size=1GB;min_lifetime=1h;min_views=5`
    /// → one `RedundancyStrategyConfig` per comma-separated item (PeerTube's `redundancy.videos.strategies`).
    public static func parseStrategies(_ text: String) throws(ConfigError) -> [RedundancyStrategyConfig] {
        let path = "redundancy.videos.strategies"
        var configs: [RedundancyStrategyConfig] = []
        for item in text.split(separator: ",") where !item.trimmingCharacters(in: .whitespaces).isEmpty {
            var fields: [String: String] = [:]
            for field in item.split(separator: ";") {
                let parts = field.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
                guard parts.count == 2, !parts[0].isEmpty else {
                    throw ConfigError(key: path, problem: "expected name=value, got '\(field)'")
                }
                fields[parts[0]] = parts[1]
            }
            if let unknown = fields.keys.sorted().first(where: {
                !["strategy", "size", "min_lifetime", "min_views"].contains($0)
            }) {
                throw ConfigError(key: path, problem: "unknown field '\(unknown)'")
            }
            let names = RedundancyStrategy.allCases.filter { $0 != .manual }.map(\.rawValue)
            guard let name = fields["strategy"], let strategy = RedundancyStrategy(rawValue: name), strategy != .manual
            else {
                throw ConfigError(key: path, problem: "strategy must be one of \(names.joined(separator: ", "))")
            }
            guard let sizeText = fields["size"], let size = parseBytes(sizeText), size > 0 else {
                throw ConfigError(key: path, problem: "\(name) needs a size such as 10GB")
            }
            guard let lifetime = parseDuration(fields["min_lifetime"] ?? "") else {
                throw ConfigError(key: path, problem: "\(name) needs a min_lifetime such as '48 hours'")
            }
            var minViews = 0
            if let views = fields["min_views"] {
                guard let parsed = Int(views), parsed >= 0 else {
                    throw ConfigError(key: path, problem: "min_views must be a whole number, got '\(views)'")
                }
                minViews = parsed
            }
            guard !configs.contains(where: { $0.strategy == strategy }) else {
                throw ConfigError(key: path, problem: "\(name) is listed twice")
            }
            configs.append(
                RedundancyStrategyConfig(
                    strategy: strategy, size: size, minLifetime: TimeInterval(lifetime), minViews: minViews))
        }
        return configs
    }

    /// `a, b,c` → `["a", "b", "c"]` (empty items dropped).
    public static func parseList(_ text: String) -> [String] {
        text.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }

    public static func parseBool(_ text: String) -> Bool? {
        switch text.lowercased() {
        case "true", "yes", "on", "1": true
        case "false", "no", "off", "0": false
        default: nil
        }
    }

    /// `10GB`, `1.5 GB`, `512MiB`, `100kB`, `1024`, `-1`. Units are powers of 1024, as in PeerTube.
    public static func parseBytes(_ text: String) -> Int64? {
        let trimmed = text.replacingOccurrences(of: " ", with: "")
        if let plain = Int64(trimmed) { return plain >= -1 ? plain : nil }
        let units: [(String, Double)] = [
            ("TIB", 0x100_0000_0000), ("GIB", 0x4000_0000), ("MIB", 0x10_0000), ("KIB", 0x400),
            ("TB", 0x100_0000_0000), ("GB", 0x4000_0000), ("MB", 0x10_0000), ("KB", 0x400), ("B", 1),
        ]
        let upper = trimmed.uppercased()
        for (suffix, factor) in units where upper.hasSuffix(suffix) {
            guard let number = Double(upper.dropLast(suffix.count)), number >= 0, number.isFinite else { return nil }
            let value = number * factor
            return value < Double(Int64.max) ? Int64(value) : nil
        }
        return nil
    }

    /// `90`, `30s`, `5 minutes`, `1 hour`, `2 weeks`, `1 day` → seconds.
    public static func parseDuration(_ text: String) -> Int? {
        let trimmed = text.trimmingCharacters(in: .whitespaces).lowercased()
        if let plain = Int(trimmed) { return plain >= 0 ? plain : nil }
        var digits = ""
        var rest = Substring(trimmed)
        while let char = rest.first, char.isNumber {
            digits.append(char)
            rest = rest.dropFirst()
        }
        guard let number = Int(digits) else { return nil }
        let unit = rest.trimmingCharacters(in: .whitespaces)
        let seconds: Int
        switch unit {
        case "s", "sec", "second", "seconds": seconds = 1
        case "m", "min", "minute", "minutes": seconds = 60
        case "h", "hour", "hours": seconds = 3600
        case "d", "day", "days": seconds = 86400
        case "w", "week", "weeks": seconds = 604_800
        default: return nil
        }
        // A number of weeks too large for seconds is no duration (it used to trap).
        let (total, overflow) = number.multipliedReportingOverflow(by: seconds)
        return overflow ? nil : total
    }
}
