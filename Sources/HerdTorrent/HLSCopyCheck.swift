import Foundation

/// What a mirror checks in the playlists it copied (RFC 8216): they may name only files of the copy, by plain
/// name in the same folder, and byte ranges inside them, so a copy never sends a player elsewhere.
public enum HLSCopyCheck {
    public enum Failure: Error, Equatable, CustomStringConvertible {
        case foreignURI(String)
        case missingFile(String)
        case rangeOutside(String)
        case empty(String)

        public var description: String {
            switch self {
            case .foreignURI(let uri): "the playlist names \(uri), which is not a file of the copy"
            case .missingFile(let name): "the playlist names \(name), which the copy does not hold"
            case .rangeOutside(let name): "a byte range of \(name) lies past its end"
            case .empty(let name): "\(name) has no media"
            }
        }
    }

    /// The media playlists a master playlist lists (RFC 8216 §4.3.4.2: the URI line after `EXT-X-STREAM-INF`).
    public static func variants(ofMaster text: String) throws(Failure) -> [String] {
        var names: [String] = []
        var expectURI = false
        for line in lines(text) {
            if line.hasPrefix("#EXT-X-STREAM-INF") {
                expectURI = true
            } else if expectURI, !line.hasPrefix("#") {
                try names.append(plainName(line))
                expectURI = false
            }
        }
        guard !names.isEmpty else { throw .empty("the master playlist") }
        return names
    }

    /// Checks a media playlist against the copied files' sizes: every `EXT-X-MAP` and segment URI is a copied
    /// file, and every `EXT-X-BYTERANGE` (§4.3.2.2) lies inside it.
    public static func check(mediaPlaylist text: String, name: String, fileSizes: [String: Int64]) throws(Failure) {
        var pendingRange: (length: Int64, offset: Int64?)?
        var nextOffset: [String: Int64] = [:]
        var segments = 0
        for line in lines(text) {
            if line.hasPrefix("#EXT-X-MAP:") {
                guard let uri = attribute("URI", in: line) else { throw .foreignURI(line) }
                let file = try plainName(uri)
                guard let size = fileSizes[file] else { throw .missingFile(file) }
                if let range = attribute("BYTERANGE", in: line) {
                    let (length, offset) = parseRange(range)
                    guard let length, inside(offset: offset ?? 0, length: length, size: size) else {
                        throw .rangeOutside(file)
                    }
                }
            } else if line.hasPrefix("#EXT-X-BYTERANGE:") {
                let (length, offset) = parseRange(String(line.dropFirst("#EXT-X-BYTERANGE:".count)))
                guard let length, length >= 0 else { throw .rangeOutside(name) }
                pendingRange = (length, offset)
            } else if !line.hasPrefix("#") {
                let file = try plainName(line)
                guard let size = fileSizes[file] else { throw .missingFile(file) }
                if let range = pendingRange {
                    let offset = range.offset ?? nextOffset[file] ?? 0
                    guard inside(offset: offset, length: range.length, size: size) else { throw .rangeOutside(file) }
                    nextOffset[file] = offset + range.length
                }
                pendingRange = nil
                segments += 1
            }
        }
        guard segments > 0 else { throw .empty(name) }
    }

    /// `offset ..< offset + length` lies inside a file of `size` bytes (numbers from another server: no overflow).
    static func inside(offset: Int64, length: Int64, size: Int64) -> Bool {
        let (end, overflow) = offset.addingReportingOverflow(length)
        return offset >= 0 && length >= 0 && !overflow && end <= size
    }

    static func lines(_ text: String) -> [String] {
        text.split(whereSeparator: \.isNewline).map { String($0).trimmingCharacters(in: .whitespaces) }
            .filter { !$0.isEmpty }
    }

    /// A file name in the playlist's folder: no scheme, no slash, no dot-dot, no query.
    static func plainName(_ uri: String) throws(Failure) -> String {
        guard !uri.isEmpty, !uri.contains("/"), !uri.contains("\\"), !uri.contains(":"), !uri.contains("?"),
            !uri.contains("%"), !uri.hasPrefix(".")
        else { throw .foreignURI(uri) }
        return uri
    }

    static func attribute(_ name: String, in line: String) -> String? {
        guard let start = line.range(of: name + "=\"") else { return nil }
        let rest = line[start.upperBound...]
        guard let end = rest.firstIndex(of: "\"") else { return nil }
        return String(rest[..<end])
    }

    static func parseRange(_ text: String) -> (Int64?, Int64?) {
        let parts = text.split(separator: "@").map { Int64($0.trimmingCharacters(in: .whitespaces)) }
        return (parts.first ?? nil, parts.count > 1 ? parts[1] : nil)
    }
}
