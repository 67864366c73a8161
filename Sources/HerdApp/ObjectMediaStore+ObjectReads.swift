import HerdAPI
import HerdCore
import HerdObjectStorage

/// Private files and downloads in the bucket reach `/static/` in one GET each (issue 18).
extension ObjectMediaStore: ObjectReads {
    public func read(_ kind: MediaKind, _ key: String, range: String?) async throws -> ObjectRead {
        do {
            guard let object = try await open(kind, key, range: range) else { return .missing }
            return .bytes(
                size: object.size, etag: object.etag, lastModified: object.lastModified, range: object.range,
                body: object.body)
        } catch let failure as S3Failure where failure.status == 416 {
            return .unsatisfiable
        }
    }
}
