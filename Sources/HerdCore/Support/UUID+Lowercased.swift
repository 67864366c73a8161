import Foundation

extension UUID {
    /// The canonical lowercase form (`550e8400-e29b-41d4-a716-446655440000`), as PeerTube writes UUIDs in URLs, paths
    /// and JSON. Written from the bytes: `uuidString` goes through `snprintf` and `lowercased()` copies it again,
    /// twice per video of every list (issue 16).
    public var lowercasedString: String {
        let hex: StaticString = "0123456789abcdef"
        return withUnsafeBytes(of: uuid) { bytes in
            String(unsafeUninitializedCapacity: 36) { buffer in
                hex.withUTF8Buffer { digits in
                    var index = 0
                    for (position, byte) in bytes.enumerated() {
                        if position == 4 || position == 6 || position == 8 || position == 10 {
                            buffer[index] = UInt8(ascii: "-")
                            index += 1
                        }
                        buffer[index] = digits[Int(byte >> 4)]
                        buffer[index + 1] = digits[Int(byte & 0x0F)]
                        index += 2
                    }
                }
                return 36
            }
        }
    }
}
