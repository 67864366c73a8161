import Foundation

/// PeerTube's shortUUID: the 128-bit UUID in the Flickr base58 alphabet, left-padded to 22 characters.
public enum ShortUUID {
    static let alphabet = Array("123456789abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ".utf8)
    static let length = 22

    public static func encode(_ uuid: UUID) -> String {
        var value = withUnsafeBytes(of: uuid.uuid) { bytes in
            bytes.reduce(UInt128(0)) { $0 << 8 | UInt128($1) }  // big-endian
        }
        var output = [UInt8](repeating: alphabet[0], count: length)
        var index = length - 1
        while value > 0 {
            let (quotient, remainder) = value.quotientAndRemainder(dividingBy: 58)
            output[index] = alphabet[Int(remainder)]
            value = quotient
            index -= 1
        }
        return String(decoding: output, as: UTF8.self)
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
