/// Who may see a video. Raw values are PeerTube's `VideoPrivacy` ids.
public enum VideoPrivacy: Int, Sendable, CaseIterable, Codable {
    case `public` = 1
    case unlisted = 2
    case `private` = 3
    case `internal` = 4
    case passwordProtected = 5

    /// Whether the video's files live in the private folders (`…/private/`), served only to those allowed to see
    /// the video (PeerTube's rule: private, internal and password-protected).
    public var filesArePrivate: Bool { self == .private || self == .internal || self == .passwordProtected }

    public var label: String {
        switch self {
        case .public: "Public"
        case .unlisted: "Unlisted"
        case .private: "Private"
        case .internal: "Internal"
        case .passwordProtected: "Password protected"
        }
    }
}

/// Where a video is in its life. Raw values are PeerTube's `VideoState` ids.
public enum VideoState: Int, Sendable, CaseIterable, Codable {
    case published = 1
    case toTranscode = 2
    case toImport = 3
    case waitingForLive = 4
    case liveEnded = 5
    case toMoveToExternalStorage = 6
    case transcodingFailed = 7
    case toMoveToExternalStorageFailed = 8
    case toEdit = 9

    public var label: String {
        switch self {
        case .published: "Published"
        case .toTranscode: "To transcode"
        case .toImport: "To import"
        case .waitingForLive: "Waiting for livestream"
        case .liveEnded: "Livestream ended"
        case .toMoveToExternalStorage: "To move to an external storage"
        case .transcodingFailed: "Transcoding failed"
        case .toMoveToExternalStorageFailed: "External storage move failed"
        case .toEdit: "To edit"
        }
    }
}

/// Who may comment. Raw values are PeerTube's `VideoCommentPolicy` ids.
public enum CommentsPolicy: Int, Sendable, CaseIterable, Codable {
    case enabled = 1
    case disabled = 2
    case requiresApproval = 3

    public var label: String {
        switch self {
        case .enabled: "Enabled"
        case .disabled: "Disabled"
        case .requiresApproval: "Requires approval"
        }
    }
}
