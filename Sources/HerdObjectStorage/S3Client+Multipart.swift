import Foundation
import HerdS3
import NIOHTTP1

/// S3's multipart upload (CreateMultipartUpload, UploadPart, CompleteMultipartUpload, AbortMultipartUpload), which
/// `putFile` uses for files above a part, and the count of uploads left unfinished.
extension S3Client {
    func createMultipartUpload(_ bucket: String, _ key: String, contentType: String?) async throws -> String {
        let response = try await send(
            "CreateMultipartUpload", method: .POST, bucket: bucket, key: key, query: [.init("uploads", "")],
            headers: contentType.map { [("Content-Type", $0)] } ?? [], maxBody: Self.maximumDocument)
        guard response.status < 300 else { throw response.failure }
        return try S3XML.uploadId(response.body)
    }

    func uploadPart(_ bucket: String, _ key: String, uploadId: String, number: Int, _ bytes: [UInt8]) async throws
        -> String
    {
        let response = try await send(
            "UploadPart", method: .PUT, bucket: bucket, key: key,
            query: [.init("partNumber", String(number)), .init("uploadId", uploadId)], body: bytes)
        guard response.status < 300, let etag = response.headers.first(name: "ETag") else { throw response.failure }
        return etag
    }

    func completeMultipartUpload(
        _ bucket: String, _ key: String, uploadId: String, parts: [(number: Int, etag: String)]
    )
        async throws
    {
        let response = try await send(
            "CompleteMultipartUpload", method: .POST, bucket: bucket, key: key, query: [.init("uploadId", uploadId)],
            body: S3XML.completeMultipartUpload(parts), maxBody: Self.maximumDocument)
        // S3 may answer 200 with an error document when the completion failed late.
        guard response.status < 300, S3XML.error(response.body) == nil else { throw response.failure }
    }

    func abortMultipartUpload(_ bucket: String, _ key: String, uploadId: String) async throws {
        let response = try await send(
            "AbortMultipartUpload", method: .DELETE, bucket: bucket, key: key, query: [.init("uploadId", uploadId)])
        guard response.status < 300 || response.status == 404 else { throw response.failure }
    }

    /// Uploads not completed nor aborted under `prefix` (a crash between the first part and the last leaves one).
    public func pendingMultipartUploads(_ bucket: String, prefix: String) async throws -> Int {
        let response = try await send(
            "ListMultipartUploads", method: .GET, bucket: bucket, key: nil,
            query: [.init("uploads", ""), .init("prefix", prefix)], maxBody: Self.maximumDocument)
        guard response.status < 300 else { throw response.failure }
        return String(decoding: response.body, as: UTF8.self).components(separatedBy: "<UploadId>").count - 1
    }
}
