import Foundation
import HerdCore
import HerdCrypto
import HerdProcessing
import Hummingbird

/// `POST /api/v1/videos/upload`: one multipart request, the file streamed to disk as it arrives.
struct LegacyUploadController: Sendable {
    let ingest: VideoIngest
    let reservations: UploadReservations
    let limiter: RateLimiter
    /// Where the file is written while it streams in (the storage's `tmp`).
    let scratchFolder: String
    let clock: any WallClock
    static let maxFieldBytes = 64 * 1024

    func addRoutes(to router: Router<HerdRequestContext>) {
        router.post("/api/v1/videos/upload", use: upload)
    }

    @Sendable func upload(_ request: Request, context: HerdRequestContext) async throws -> Response {
        let user = try context.requireUser()
        try await limiter.hit(context.remoteIP, now: clock.now())
        guard let boundary = request.headers[.contentType].flatMap(MultipartParser.boundary(fromContentType:)) else {
            throw HerdError(.unsupportedMediaType, "the upload must be multipart/form-data with a videofile part")
        }
        // The bytes this upload may bring are held against the quota while it streams in, from before the quota is
        // read: two uploads at once each see the other's.
        let maxFileSize = ingest.maxFileSize
        let declared = request.headers[.contentLength].flatMap(Int64.init) ?? maxFileSize
        let reservation = reservations.reserve(userId: user.id, bytes: max(0, min(declared, maxFileSize)))
        defer { reservations.release(reservation) }
        let remaining = try await ingest.remainingQuota(for: user, reservation: reservation)
        // The body also holds the other fields, so its length only bounds the file from above.
        if let length = request.headers[.contentLength].flatMap(Int64.init) {
            guard length <= maxFileSize + 1_048_576 else { throw ingest.sizeError() }
        }
        let fileLimit = min(remaining, maxFileSize)
        let limitError = remaining < maxFileSize ? VideoIngest.quotaError : ingest.sizeError()
        let tempPath = scratchFolder + "/upload-" + SecureRandom.token(byteCount: 12)

        var parser = MultipartParser(boundary: boundary)
        var fields: [String: [String]] = [:]
        var sink: UploadSink?
        var filename: String?
        var currentField: (name: String, value: [UInt8])?
        var inFile = false
        var fieldBytes = 0
        do {
            for try await chunk in request.body {
                let events: [MultipartParser.Event]
                do {
                    events = try parser.feed(chunk.readableBytesView)
                } catch {
                    throw HerdError.badRequest("the multipart body is malformed", cause: "\(error)")
                }
                for event in events {
                    switch event {
                    case .partBegin(let headers):
                        guard let disposition = MultipartParser.disposition(headers) else {
                            throw HerdError.badRequest("a multipart part has no Content-Disposition name")
                        }
                        if disposition.name == "videofile" {
                            guard sink == nil else { throw HerdError.badRequest("only one videofile may be sent") }
                            try VideoIngest.checkExtension(disposition.filename)
                            // Fields sent before the file are checked before its bytes are accepted.
                            if let channelId = fields["channelId"]?.last.flatMap(Int64.init) {
                                _ = try await ingest.ownedChannelId(channelId, user: user)
                            }
                            filename = disposition.filename
                            sink = try await UploadSink(
                                path: tempPath, offset: 0, limit: fileLimit, limitError: limitError)
                            inFile = true
                        } else {
                            currentField = (FormInput.fieldName(disposition.name), [])
                        }
                    case .partData(let bytes):
                        if inFile {
                            try await sink?.write(bytes)
                        } else if currentField != nil {
                            fieldBytes += bytes.count
                            guard fieldBytes <= Self.maxFieldBytes * 4,
                                (currentField?.value.count ?? 0) + bytes.count <= Self.maxFieldBytes
                            else {
                                throw HerdError(.payloadTooLarge, "a form field is too large")
                            }
                            currentField?.value.append(contentsOf: bytes)
                        }
                    case .partEnd:
                        if let field = currentField {
                            fields[field.name, default: []].append(String(decoding: field.value, as: UTF8.self))
                        }
                        currentField = nil
                        inFile = false
                    case .end:
                        break
                    }
                }
            }
            do { try parser.finish() } catch { throw HerdError.badRequest("the multipart body is truncated") }
            guard let sink else { throw HerdError.badRequest("videofile is required") }
            try await sink.close()
            let input = try VideoFieldsInput(fields: fields)
            let video = try await ingest.finish(
                tempPath: tempPath, prefix: sink.prefix, size: sink.offset, filename: filename, input: input,
                user: user, sessionId: nil, reservation: reservation, logger: context.logger
            )
            return try JSON.response(UploadedVideoDTO(video))
        } catch {
            await sink?.abandon()
            await removeFile(tempPath)
            throw error
        }
    }
}
