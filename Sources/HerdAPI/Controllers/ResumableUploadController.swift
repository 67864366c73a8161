import Foundation
import HTTPTypes
import HerdCore
import HerdProcessing
import Hummingbird

/// PeerTube's resumable upload protocol (uploadx) at `/api/v1/videos/upload-resumable`:
/// `POST` opens a session, `PUT` sends chunks with `Content-Range` (308 until complete), `DELETE` cancels.
/// The bytes are appended to one file per session; its length is what the server has received,
/// so a session survives a restart of the server.
struct ResumableUploadController: Sendable {
    let uploads: ResumableUploads
    let limiter: RateLimiter
    let maxMetadata: Int
    let clock: any WallClock
    let locks = UploadLocks()
    static let path = "/api/v1/videos/upload-resumable"

    func addRoutes(to router: Router<HerdRequestContext>) {
        router.post(RouterPath(stringLiteral: Self.path), use: initialize)
        router.put(RouterPath(stringLiteral: Self.path), use: chunk)
        router.delete(RouterPath(stringLiteral: Self.path), use: cancel)
    }

    func location(_ id: String) -> String { "\(Self.path)?upload_id=\(id)" }

    @Sendable func initialize(_ request: Request, context: HerdRequestContext) async throws -> Response {
        let user = try context.requireUser()
        try await limiter.hit(context.remoteIP, now: clock.now())
        guard let total = request.headers[HTTPField.Name("X-Upload-Content-Length")!].flatMap(Int64.init), total > 0
        else { throw HerdError.badRequest("X-Upload-Content-Length must give the file size in bytes") }
        let metadata = try await JSON.collect(request, limit: maxMetadata)
        let input: VideoFieldsInput
        do {
            input = try JSONDecoder().decode(VideoFieldsInput.self, from: Data(metadata.readableBytesView))
        } catch let error as DecodingError {
            throw HerdError.badRequest(JSON.describe(error))
        }
        let (session, resumed) = try await uploads.open(
            filename: input.filename ?? "", total: total,
            mimeType: request.headers[HTTPField.Name("X-Upload-Content-Type")!],
            metadata: Data(metadata.readableBytesView), fields: input, by: user)
        if resumed {
            // The same file again: resume where it stands.
            let received = try await fileSize(uploads.file(of: session))
            var headers: HTTPFields = [.location: location(session.id)]
            if received > 0 { headers[.range] = "bytes=0-\(received - 1)" }
            return Response(status: .ok, headers: headers)
        }
        return Response(status: .created, headers: [.location: location(session.id), .contentLength: "0"])
    }

    func findSession(_ request: Request, user: User) async throws -> UploadSession {
        try await uploads.session(QueryParameters(request.uri.query)["upload_id"], of: user)
    }

    @Sendable func chunk(_ request: Request, context: HerdRequestContext) async throws -> Response {
        let user = try context.requireUser()
        try await limiter.hit(context.remoteIP, now: clock.now())
        let session = try await findSession(request, user: user)
        guard await locks.acquire(session.id) else {
            throw HerdError.conflict("another chunk of this upload is being received")
        }
        defer { Task { await locks.release(session.id) } }

        let path = uploads.file(of: session)
        let received = try await fileSize(path)
        let contentRange = request.headers[.contentRange].flatMap(ContentRange.init(header:))
        if request.headers[.contentRange] != nil && contentRange == nil {
            throw HerdError.badRequest("Content-Range must be 'bytes START-END/TOTAL' or 'bytes */TOTAL'")
        }
        let bodyLength = request.headers[.contentLength].flatMap(Int64.init)
        switch ResumableChunkDecision.decide(
            contentRange: contentRange, bodyLength: bodyLength, received: received, total: session.totalSize
        ) {
        case .wrongTotal:
            throw HerdError.badRequest("the total in Content-Range differs from X-Upload-Content-Length")
        case .mismatch(let received):
            throw ProblemWithHeaders(
                error: HerdError.conflict("the chunk does not start where the upload stands (\(received) bytes)"),
                headers: rangeHeader(received)
            )
        case .status(let received, let complete):
            if complete { return try await finishUpload(session, user: user, context: context) }
            return incomplete(received)
        case .append(let complete):
            let sink = try await UploadSink(
                path: path, offset: received, limit: session.totalSize,
                limitError: HerdError.badRequest("the chunk goes past the announced size")
            )
            do {
                for try await buffer in request.body { try await sink.write(buffer.readableBytesView) }
                try await sink.close()
            } catch {
                await sink.abandon()
                throw error
            }
            try await uploads.touch(session)
            if complete && sink.offset == session.totalSize {
                return try await finishUpload(session, user: user, context: context)
            }
            return incomplete(sink.offset)
        }
    }

    func rangeHeader(_ received: Int64) -> HTTPFields {
        received > 0 ? [.range: "bytes=0-\(received - 1)"] : [:]
    }

    /// 308 Permanent Redirect is uploadx's "resume incomplete".
    func incomplete(_ received: Int64) -> Response {
        var headers = rangeHeader(received)
        headers[.contentLength] = "0"
        return Response(status: .init(code: 308, reasonPhrase: "Resume Incomplete"), headers: headers)
    }

    func finishUpload(_ session: UploadSession, user: User, context: HerdRequestContext) async throws -> Response {
        let input: VideoFieldsInput
        do {
            input = try JSONDecoder().decode(VideoFieldsInput.self, from: session.metadata)
        } catch {
            throw HerdError.internalError("stored upload metadata is unreadable: \(error)")
        }
        let prefix = try await readPrefix(of: uploads.file(of: session), count: MediaSniffer.prefixLength)
        let video = try await uploads.finish(
            session, prefix: prefix, fields: input, by: user, logger: context.logger)
        return try JSON.response(UploadedVideoDTO(video))
    }

    @Sendable func cancel(_ request: Request, context: HerdRequestContext) async throws -> Response {
        let user = try context.requireUser()
        let session = try await findSession(request, user: user)
        try await uploads.cancel(session)
        return Response(status: .noContent)
    }
}

/// One chunk at a time per upload session.
actor UploadLocks {
    private var active: Set<String> = []

    func acquire(_ id: String) -> Bool { active.insert(id).inserted }
    func release(_ id: String) { active.remove(id) }
}
