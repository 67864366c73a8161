import Foundation
import HerdCore

/// Query string values, decoded as browsers and PeerTube clients send them: `+` is a space,
/// percent-escapes are decoded in names and values, and `name[]` is the same as `name`.
struct QueryParameters {
    private var pairs: [(String, String)] = []

    init(_ query: String?) {
        guard let query, !query.isEmpty else { return }
        for item in query.split(separator: "&") {
            let pair = item.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            var name = Self.decode(pair[0])
            if name.hasSuffix("[]") { name.removeLast(2) }
            pairs.append((name, pair.count > 1 ? Self.decode(pair[1]) : ""))
        }
    }

    static func decode(_ text: Substring) -> String {
        // Most names and values need no decoding: Foundation's replace and percent-decoding cost more than the
        // rest of a cached list request (issue 16).
        if !text.utf8.contains(where: { $0 == UInt8(ascii: "+") || $0 == UInt8(ascii: "%") }) { return String(text) }
        let spaced = text.replacingOccurrences(of: "+", with: " ")
        return spaced.removingPercentEncoding ?? spaced
    }

    var names: [String] { pairs.map(\.0) }
    var count: Int { pairs.count }

    /// Every value by name, in one pass (a form of n fields costs n, not n × n).
    var grouped: [String: [String]] {
        var fields: [String: [String]] = [:]
        for (name, value) in pairs { fields[name, default: []].append(value) }
        return fields
    }

    subscript(_ name: String) -> String? { pairs.first { $0.0 == name }?.1 }

    func all(_ name: String) -> [String] { pairs.filter { $0.0 == name }.map(\.1) }

    func bool(_ name: String) throws -> Bool? {
        guard let value = self[name] else { return nil }
        switch value.lowercased() {
        case "true", "1": return true
        case "false", "0": return false
        default: throw HerdError.badRequest("\(name) must be true or false")
        }
    }

    func integers(_ name: String) throws -> [Int] {
        try all(name).flatMap { $0.split(separator: ",") }.map {
            guard let value = Int($0) else { throw HerdError.badRequest("\(name) must hold integers") }
            return value
        }
    }

    func pagination() throws -> Pagination { try Pagination(start: self["start"], count: self["count"]) }
}

/// Form bodies (`application/x-www-form-urlencoded`) use the same encoding as query strings.
typealias FormParameters = QueryParameters
