import Foundation

/// How a client names a video: numeric id, UUID, or 22-character shortUUID.
public enum VideoReference: Sendable, Equatable {
    case id(Int64)
    case uuid(UUID)

    public init?(_ text: String) {
        if let id = Int64(text), id > 0 {
            self = .id(id)
        } else if let uuid = UUID(uuidString: text) {
            self = .uuid(uuid)
        } else if let uuid = ShortUUID.decode(text) {
            self = .uuid(uuid)
        } else {
            return nil
        }
    }
}
