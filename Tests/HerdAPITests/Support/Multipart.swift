import Foundation
import NIOCore

/// Builds multipart/form-data bodies for upload tests.
struct MultipartBody {
    let boundary = "----herd-test-\(UUID().uuidString)"
    private(set) var bytes: [UInt8] = []

    var contentType: String { "multipart/form-data; boundary=\(boundary)" }

    mutating func field(_ name: String, _ value: String) {
        bytes += Array("--\(boundary)\r\nContent-Disposition: form-data; name=\"\(name)\"\r\n\r\n\(value)\r\n".utf8)
    }

    mutating func file(_ name: String, filename: String, contentType: String = "video/mp4", data: [UInt8]) {
        bytes += Array(
            "--\(boundary)\r\nContent-Disposition: form-data; name=\"\(name)\"; filename=\"\(filename)\"\r\nContent-Type: \(contentType)\r\n\r\n"
                .utf8
        )
        bytes += data
        bytes += Array("\r\n".utf8)
    }

    mutating func close() {
        bytes += Array("--\(boundary)--\r\n".utf8)
    }

    var buffer: ByteBuffer { ByteBuffer(bytes: bytes) }
}
