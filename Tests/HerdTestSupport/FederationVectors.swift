import Foundation

/// The shared test vectors: `$HERD_VECTORS` (set by `make test`), else `../shared/vectors` beside the repository.
public enum FederationVectors {
    public static let root =
        ProcessInfo.processInfo.environment["HERD_VECTORS"].map { URL(fileURLWithPath: $0) }
        ?? URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("shared/vectors")

    public static func text(_ path: String) throws -> String {
        try String(contentsOf: root.appendingPathComponent("peertube/ap-json/\(path)"), encoding: .utf8)
    }

    public static func json(_ path: String) throws -> [String: Any] {
        try JSONSerialization.jsonObject(with: Data(try text(path).utf8)) as! [String: Any]
    }

    /// The raw body Mastodon sent with `http-signature.json`. The vector stores it as a pretty-printed JSON value;
    /// Mastodon sent it compact, key order kept, with `<`, `>` and `&` escaped as `\u003c` and so on (Ruby's JSON
    /// in Rails). Its SHA-256 is the request's `Digest`.
    public static func mastodonBody() throws -> [UInt8] {
        let text = Array(try Self.text("mastodon/http-signature.json").unicodeScalars)
        let key = Array("\"body\"".unicodeScalars)
        guard let start = (0..<(text.count - key.count)).first(where: { Array(text[$0..<$0 + key.count]) == key })
        else { throw CocoaError(.fileReadCorruptFile) }
        var index = start + key.count
        while text[index] != "{" { index += 1 }
        var out = ""
        var depth = 0
        repeat {
            let character = text[index]
            if character == "\"" {
                index += 1
                out += "\""
                while text[index] != "\"" {
                    var scalar = text[index]
                    if scalar == "\\" {
                        index += 1
                        switch text[index] {
                        case "n": scalar = "\n"
                        case "t": scalar = "\t"
                        case "r": scalar = "\r"
                        case "b": scalar = "\u{08}"
                        case "f": scalar = "\u{0C}"
                        case "u":
                            var value = UInt32(
                                String(String.UnicodeScalarView(text[index + 1...index + 4])), radix: 16)!
                            index += 4
                            if (0xD800..<0xDC00).contains(value) {
                                let low = UInt32(
                                    String(String.UnicodeScalarView(text[index + 3...index + 6])), radix: 16)!
                                value = 0x10000 + ((value - 0xD800) << 10) + (low - 0xDC00)
                                index += 6
                            }
                            scalar = Unicode.Scalar(value)!
                        default: scalar = text[index]
                        }
                    }
                    switch scalar {
                    case "\"": out += "\\\""
                    case "\\": out += "\\\\"
                    case "\n": out += "\\n"
                    case "\t": out += "\\t"
                    case "\r": out += "\\r"
                    case "<": out += "\\u003c"
                    case ">": out += "\\u003e"
                    case "&": out += "\\u0026"
                    default: out.unicodeScalars.append(scalar)
                    }
                    index += 1
                }
                out += "\""
            } else if character == " " || character == "\n" || character == "\t" || character == "\r" {
                // whitespace between tokens is not sent
            } else {
                if character == "{" || character == "[" { depth += 1 }
                if character == "}" || character == "]" { depth -= 1 }
                out.unicodeScalars.append(character)
            }
            index += 1
        } while depth > 0
        return Array(out.utf8)
    }
}
