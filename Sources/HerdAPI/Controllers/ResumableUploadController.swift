import Foundation
import HTTPTypes
import HerdCore
import HerdCrypto
import Hummingbird

/// PeerTube's resumable upload protocol (uploadx) at `/api/v1/videos/upload-resumable`:
/// `POST` opens a session, `PUT` sends chunks with `Content-Range` (308 until complete), `DELETE` cancels.
/// The bytes are appended to one file per session; its length is what the server has received,
/// so a session survives a restart of the server.
public struct ResumableUploadController: Sendable {
    let services: APIServices
    let locks = UploadLocks()
    static let path = "/api/v1/videos/upload-resumable"

    public init(services: APIServices) {
        self.services = services
    }

    public func addRoutes(to router: Router<HerdRequestContext>) {
        router.post(RouterPath(stringLiteral: Self.path), use: initialize)
        router.put(RouterPath(stringLiteral: Self.path), use: chunk)
        router.delete(RouterPath(stringLiteral: Self.path), use: cancel)
    }

    func location(_ id: String) -> String { "\(Self.path)?upload_id=\(id)" }

    @Sendable func initialize(_ request: Request, context: HerdRequestContext) async throws -> Response {
        let user = try context.requireUser()
        try await services.rateLimiters.uploads.hit(context.remoteIP, now: services.clock.now())
        guard let total = request.headers[HTTPField.Name("X-Upload-Content-Length")!].flatMap(Int64.init), total > 0
        else { throw HerdError.badRequest("X-Upload-Content-Length must give the file size in bytes") }
        let metadata = try await JSON.collect(request, limit: services.settings.apiMaxBodySize)
        let input: VideoFieldsInput
        do {
            input = try JSONDecoder().decode(VideoFieldsInput.self, from: Data(metadata.readableBytesView))
        } catch let error as DecodingError {
            throw HerdError.badRequest(JSON.describe(error))
        }
        guard let filename = input.filename, !filename.isEmpty, filename.count <= 255 else {
            throw HerdError.badRequest("filename is required")
        }
        try VideoIngest.checkExtension(filename)
        // Check the metadata now, so a bad name fails before gigabytes are sent.
        let ingest = VideoIngest(services: services)
        let channelId = try await ingest.ownedChannelId(input.channelId, user: user)
        let checked = try input.newVideo(uuid: UUID(), originalFilename: filename, originalSize: total)
        _ = try input.passwords(privacy: checked.privacy, before: nil)

        if let existing = try await services.stores.uploads.findResumable(
            userId: user.id, filename: filename, totalSize: total)
        {
            // The same file again: resume where it stands.
            let received = try await fileSize(services.layout.resumableUpload(id: existing.id))
            var headers: HTTPFields = [.location: location(existing.id)]
            if received > 0 { headers[.range] = "bytes=0-\(received - 1)" }
            return Response(status: .ok, headers: headers)
        }
        try await ingest.checkSize(total, for: user)
        let now = services.clock.now()
        let session = UploadSession(
            id: SecureRandom.token(byteCount: 16), userId: user.id, channelId: channelId, filename: filename,
            mimeType: request.headers[HTTPField.Name("X-Upload-Content-Type")!], totalSize: total,
            metadata: Data(metadata.readableBytesView), createdAt: now, updatedAt: now
        )
        try await services.stores.uploads.insert(session)
        return Response(status: .created, headers: [.location: location(session.id), .contentLength: "0"])
    }

    func findSession(_ request: Request, user: User) async throws -> UploadSession {
        guard let id = QueryParameters(request.uri.query)["upload_id"], !id.isEmpty,
            let session = try await services.stores.uploads.find(id: id), session.userId == user.id
        else { throw HerdError.notFound("Upload session not found") }
        return session
    }

    @Sendable func chunk(_ request: Request, context: HerdRequestContext) async throws -> Response {
        let user = try context.requireUser()
        try await services.rateLimiters.uploads.hit(context.remoteIP, now: services.clock.now())
        let session = try await findSession(request, user: user)
        guard await locks.acquire(session.id) else {
            throw HerdError.conflict("another chunk of this upload is being received")
        }
        defer { Task { await locks.release(session.id) } }

        let path = services.layout.resumableUpload(id: session.id)
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
            try await services.stores.uploads.touch(id: session.id, at: services.clock.now())
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
        let path = services.layout.resumableUpload(id: session.id)
        let input: VideoFieldsInput
        do {
            input = try JSONDecoder().decode(VideoFieldsInput.self, from: session.metadata)
        } catch {
            throw HerdError.internalError("stored upload metadata is unreadable: \(error)")
        }
        let prefix = try await readPrefix(of: path, count: MediaSniffer.prefixLength)
        do {
            let video = try await VideoIngest(services: services).finish(
                tempPath: path, prefix: prefix, size: session.totalSize, filename: session.filename, input: input,
                user: user, sessionId: session.id, logger: context.logger
            )
            try await services.stores.uploads.delete(id: session.id)
            return try JSON.response(UploadedVideoDTO(video))
        } catch {
            // The file is gone (finish removes it on failure): the session cannot be resumed.
            try? await services.stores.uploads.delete(id: session.id)
            throw error
        }
    }

    @Sendable func cancel(_ request: Request, context: HerdRequestContext) async throws -> Response {
        let user = try context.requireUser()
        let session = try await findSession(request, user: user)
        try await services.stores.uploads.delete(id: session.id)
        await removeFile(services.layout.resumableUpload(id: session.id))
        return Response(status: .noContent)
    }
}

/// One chunk at a time per upload session.
actor UploadLocks {
    private var active: Set<String> = []

    func acquire(_ id: String) -> Bool { active.insert(id).inserted }
    func release(_ id: String) { active.remove(id) }
}
