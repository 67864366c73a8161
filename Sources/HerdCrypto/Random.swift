import COpenSSL

/// Cryptographically secure randomness from OpenSSL.
public enum SecureRandom {
    public static func bytes(_ count: Int) -> [UInt8] {
        var buffer = [UInt8](repeating: 0, count: count)
        let status = RAND_bytes(&buffer, Int32(count))
        precondition(status == 1, "OpenSSL RAND_bytes failed")
        return buffer
    }

    /// A random token of `byteCount` bytes, hex-encoded.
    public static func token(byteCount: Int = 20) -> String { Digest.hex(bytes(byteCount)) }

    /// A random string over an alphabet of letters and digits.
    public static func alphanumeric(_ length: Int) -> String {
        let alphabet = Array("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789".utf8)
        var out = [UInt8]()
        while out.count < length {
            for byte in bytes(length) where out.count < length && Int(byte) < 248 {  // 248 = 62 * 4, no bias
                out.append(alphabet[Int(byte) % alphabet.count])
            }
        }
        return String(decoding: out, as: UTF8.self)
    }
}
