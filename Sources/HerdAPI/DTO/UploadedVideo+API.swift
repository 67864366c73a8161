import HerdCore

/// `{video: {id, uuid, shortUUID}}`, the answer to a finished upload.
struct UploadedVideoDTO: Encodable {
    struct Inner: Encodable {
        var id: Int64
        var uuid: String
        var shortUUID: String
    }
    var video: Inner

    init(_ video: Video) {
        self.video = Inner(id: video.id, uuid: video.uuid.lowercasedString, shortUUID: video.shortUUID)
    }
}
