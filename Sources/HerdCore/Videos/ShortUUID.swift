import Foundation

/// PeerTube's shortUUID: the 128-bit UUID in the Flickr base58 alphabet, left-padded to 22 characters.
public enum ShortUUID {
    static let alphabet = Array("123456789abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ".utf8)
    static let length = 22

    public static func encode(_ uuid: UUID) -> String {
        var digits = withUnsafeBytes(of: uuid.uuid) { Array($0) }  // big-endian base-256
        var output: [UInt8] = []
        while digits.contains(where: { $0 != 0 }) {
            var remainder = 0
            for index in digits.indices {
                let value = remainder * 256 + Int(digits[index])
                digits[index] = UInt8(value / 58)
                remainder = value % 58
            }
            output.append(alphabet[remainder])
        }
        while output.count < length { output.append(alphabet[0]) }
        return String(decoding: output.reversed(), as: UTF8.self)
    }

    public static func decode(_ text: String) -> UUID? {
        let chars = Array(text.utf8)
        guard chars.count == length else { return nil }
        var bytes = [UInt8](repeating: 0, count: 16)
        for char in chars {
            guard let digit = alphabet.firstIndex(of: char) else { return nil }
            var carry = digit
            for index in bytes.indices.reversed() {
                let value = Int(bytes[index]) * 58 + carry
                bytes[index] = UInt8(value & 0xFF)
                carry = value >> 8
            }
            guard carry == 0 else { return nil }
        }
        let tuple = (
            bytes[0], bytes[1], bytes[2], bytes[3], bytes[4], bytes[5], bytes[6], bytes[7],
            bytes[8], bytes[9], bytes[10], bytes[11], bytes[12], bytes[13], bytes[14], bytes[15]
        )
        return UUID(uuid: tuple)
    }
}
