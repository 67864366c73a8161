import Foundation

/// Standard base64 (RFC 4648 §4), as HTTP Signatures and `Digest` headers use it.
enum Base64 {
    static func encode(_ bytes: some Collection<UInt8>) -> String { Data(bytes).base64EncodedString() }

    static func decode(_ text: some StringProtocol) -> [UInt8]? {
        Data(base64Encoded: String(text)).map { [UInt8]($0) }
    }
}
