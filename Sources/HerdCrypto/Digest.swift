import COpenSSL

/// Hashing over OpenSSL's EVP interface.
public enum Digest {
    /// SHA-256 of `bytes`.
    public static func sha256(_ bytes: some Collection<UInt8>) -> [UInt8] {
        digest(bytes, algorithm: EVP_sha256(), length: Int(SHA256_DIGEST_LENGTH))
    }

    /// One-shot EVP digest.
    static func digest(_ bytes: some Collection<UInt8>, algorithm: OpaquePointer?, length: Int) -> [UInt8] {
        var output = [UInt8](repeating: 0, count: length)
        let input = Array(bytes)
        _ = input.withUnsafeBufferPointer { inputPointer in
            output.withUnsafeMutableBufferPointer { outputPointer in
                EVP_Digest(inputPointer.baseAddress, inputPointer.count, outputPointer.baseAddress, nil, algorithm, nil)
            }
        }
        return output
    }

    public static func sha256Hex(_ string: String) -> String { hex(sha256(Array(string.utf8))) }

    public static func hex(_ bytes: some Collection<UInt8>) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var out = [UInt8]()
        out.reserveCapacity(bytes.count * 2)
        for byte in bytes {
            out.append(digits[Int(byte >> 4)])
            out.append(digits[Int(byte & 0x0F)])
        }
        return String(decoding: out, as: UTF8.self)
    }
}

/// Streaming SHA-256 for files and uploads, without holding the data in memory.
public final class SHA256Hasher {
    private let context: OpaquePointer

    public init() {
        context = EVP_MD_CTX_new()
        EVP_DigestInit_ex(context, EVP_sha256(), nil)
    }

    deinit { EVP_MD_CTX_free(context) }

    public func update(_ bytes: UnsafeRawBufferPointer) {
        EVP_DigestUpdate(context, bytes.baseAddress, bytes.count)
    }

    public func update(_ bytes: [UInt8]) {
        bytes.withUnsafeBytes { update($0) }
    }

    public func finalize() -> [UInt8] {
        var output = [UInt8](repeating: 0, count: Int(SHA256_DIGEST_LENGTH))
        var length: UInt32 = 0
        EVP_DigestFinal_ex(context, &output, &length)
        return output
    }
}

extension Digest {
    /// SHA-1 (BitTorrent piece hashes and info-hashes, BEP 3).
    public static func sha1(_ bytes: some Collection<UInt8>) -> [UInt8] {
        digest(bytes, algorithm: EVP_sha1(), length: Int(SHA_DIGEST_LENGTH))
    }
}
