/// A raw URL query string (the part after `?`), split into parameters whose values are percent-decoded to bytes
/// (RFC 3986 §2.1). `+` is left alone: BitTorrent clients percent-encode every byte outside the unreserved set,
/// and `info_hash` and `peer_id` are binary, so reading `+` as a space would corrupt them.
struct QueryString {
    var parameters: [(name: String, value: [UInt8])] = []

    init(_ query: some StringProtocol) throws(TrackerFailure) {
        for pair in query.utf8.split(separator: UInt8(ascii: "&"), omittingEmptySubsequences: true) {
            let equals = pair.firstIndex(of: UInt8(ascii: "="))
            let rawName = equals.map { pair[..<$0] } ?? pair[...]
            let rawValue = equals.map { pair[pair.index(after: $0)...] } ?? pair[pair.endIndex...]
            guard let nameBytes = Self.percentDecode(rawName),
                let name = String(validating: nameBytes, as: UTF8.self)
            else { throw TrackerFailure("malformed query parameter name") }
            guard let value = Self.percentDecode(rawValue) else {
                throw TrackerFailure("malformed percent-encoding in \(name)")
            }
            parameters.append((name, value))
        }
    }

    /// The values of every occurrence of `name`.
    func values(_ name: String) -> [[UInt8]] {
        parameters.filter { $0.name == name }.map(\.value)
    }

    /// The single value of `name`: nil when absent, a failure when repeated.
    func single(_ name: String) throws(TrackerFailure) -> [UInt8]? {
        let found = values(name)
        guard found.count <= 1 else { throw TrackerFailure("repeated \(name)") }
        return found.first
    }

    /// `%XX` decoded byte-wise; nil for a `%` not followed by two hex digits.
    static func percentDecode(_ raw: some Collection<UInt8>) -> [UInt8]? {
        var out: [UInt8] = []
        out.reserveCapacity(raw.count)
        var iterator = raw.makeIterator()
        while let byte = iterator.next() {
            guard byte == UInt8(ascii: "%") else {
                out.append(byte)
                continue
            }
            guard let high = iterator.next().flatMap(Hex.value), let low = iterator.next().flatMap(Hex.value) else {
                return nil
            }
            out.append(high << 4 | low)
        }
        return out
    }

    /// A non-negative decimal integer (ASCII digits only, no sign), within Int64.
    static func nonNegativeInteger(_ bytes: [UInt8]) -> Int64? {
        guard !bytes.isEmpty, bytes.count <= 19, bytes.allSatisfy({ (0x30...0x39).contains($0) }) else { return nil }
        return Int64(String(decoding: bytes, as: UTF8.self))
    }
}
