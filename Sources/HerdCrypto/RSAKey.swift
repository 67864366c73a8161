import COpenSSL

/// An RSA key pair or public key, over OpenSSL's EVP interface: what ActivityPub actors sign and verify HTTP
/// Signatures with (`rsa-sha256`, RSASSA-PKCS1-v1_5 over SHA-256). Keys travel as PEM: the public key as
/// SubjectPublicKeyInfo (`BEGIN PUBLIC KEY`, as Mastodon and PeerTube publish it), the private key as PKCS #8.
public final class RSAKey: @unchecked Sendable {
    // An EVP_PKEY is safe to use from several threads for signing and verifying once built (OpenSSL 3).
    let key: OpaquePointer
    /// True when the private half is present.
    public let isPrivate: Bool

    private init(key: OpaquePointer, isPrivate: Bool) {
        self.key = key
        self.isPrivate = isPrivate
    }

    deinit { EVP_PKEY_free(key) }

    public struct Failure: Error, CustomStringConvertible {
        public let description: String
        init(_ what: String) { description = "\(what): \(RSAKey.openSSLError())" }
    }

    /// A new key pair (2048 bits, as PeerTube and Mastodon make them).
    public static func generate(bits: Int = 2048) throws -> RSAKey {
        guard let context = EVP_PKEY_CTX_new_id(EVP_PKEY_RSA, nil) else { throw Failure("EVP_PKEY_CTX_new_id") }
        defer { EVP_PKEY_CTX_free(context) }
        guard EVP_PKEY_keygen_init(context) == 1, EVP_PKEY_CTX_set_rsa_keygen_bits(context, Int32(bits)) == 1 else {
            throw Failure("RSA key generation setup")
        }
        var key: OpaquePointer?
        guard EVP_PKEY_keygen(context, &key) == 1, let key else { throw Failure("RSA key generation") }
        return RSAKey(key: key, isPrivate: true)
    }

    /// Reads a public key (`BEGIN PUBLIC KEY`) or a private key (`BEGIN PRIVATE KEY` or `BEGIN RSA PRIVATE KEY`).
    public init(pem: String) throws {
        let bytes = Array(pem.utf8)
        let isPrivate = pem.contains("PRIVATE KEY-----")
        let parsed: OpaquePointer? = bytes.withUnsafeBufferPointer { buffer in
            guard let bio = BIO_new_mem_buf(buffer.baseAddress, Int32(buffer.count)) else { return nil }
            defer { BIO_free(bio) }
            return isPrivate ? PEM_read_bio_PrivateKey(bio, nil, nil, nil) : PEM_read_bio_PUBKEY(bio, nil, nil, nil)
        }
        guard let parsed else { throw Failure("not a PEM RSA key") }
        guard EVP_PKEY_get_base_id(parsed) == EVP_PKEY_RSA else {
            EVP_PKEY_free(parsed)
            throw Failure("not an RSA key")
        }
        key = parsed
        self.isPrivate = isPrivate
    }

    /// The key size in bits.
    public var bits: Int { Int(EVP_PKEY_get_bits(key)) }

    /// The public key as SubjectPublicKeyInfo PEM (`-----BEGIN PUBLIC KEY-----`).
    public var publicKeyPEM: String {
        Self.pem { PEM_write_bio_PUBKEY($0, key) }
    }

    /// The private key as PKCS #8 PEM (`-----BEGIN PRIVATE KEY-----`); nil for a public key.
    public var privateKeyPEM: String? {
        guard isPrivate else { return nil }
        return Self.pem { PEM_write_bio_PrivateKey($0, key, nil, nil, 0, nil, nil) }
    }

    /// RSASSA-PKCS1-v1_5 signature of SHA-256(`message`) (`rsa-sha256`).
    public func sign(_ message: some Collection<UInt8>) throws -> [UInt8] {
        guard isPrivate else { throw Failure("signing needs a private key") }
        guard let context = EVP_MD_CTX_new() else { throw Failure("EVP_MD_CTX_new") }
        defer { EVP_MD_CTX_free(context) }
        guard EVP_DigestSignInit(context, nil, EVP_sha256(), nil, key) == 1 else { throw Failure("sign init") }
        let input = Array(message)
        var length = 0
        guard EVP_DigestSign(context, nil, &length, input, input.count) == 1 else { throw Failure("sign") }
        var signature = [UInt8](repeating: 0, count: length)
        guard EVP_DigestSign(context, &signature, &length, input, input.count) == 1 else { throw Failure("sign") }
        return Array(signature.prefix(length))
    }

    /// Whether `signature` is this key's RSASSA-PKCS1-v1_5 signature of SHA-256(`message`).
    public func verify(_ signature: some Collection<UInt8>, of message: some Collection<UInt8>) -> Bool {
        guard let context = EVP_MD_CTX_new() else { return false }
        defer {
            EVP_MD_CTX_free(context)
            ERR_clear_error()
        }
        guard EVP_DigestVerifyInit(context, nil, EVP_sha256(), nil, key) == 1 else { return false }
        let signatureBytes = Array(signature)
        let input = Array(message)
        return EVP_DigestVerify(context, signatureBytes, signatureBytes.count, input, input.count) == 1
    }

    private static func pem(_ write: (OpaquePointer) -> Int32) -> String {
        guard let bio = BIO_new(BIO_s_mem()) else { return "" }
        defer { BIO_free(bio) }
        guard write(bio) == 1 else { return "" }
        var out: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 4096)
        while true {
            let count = BIO_read(bio, &chunk, Int32(chunk.count))
            guard count > 0 else { break }
            out += chunk.prefix(Int(count))
        }
        return String(decoding: out, as: UTF8.self)
    }

    static func openSSLError() -> String {
        let code = ERR_get_error()
        ERR_clear_error()
        guard code != 0 else { return "unknown error" }
        var text = [CChar](repeating: 0, count: 256)
        ERR_error_string_n(code, &text, text.count)
        return String(decoding: text.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}
