import HerdCore

/// `ContentChanged` as the payload of `NOTIFY herd_content` (issue 18): `<node>|video:12`, `<node>|viewCounts`,
/// `<node>|channel:3`, `<node>|instanceSettings`, the node being the one that published it.
extension ContentChanged {
    func notificationPayload(node: String) -> String {
        let change =
            switch self {
            case .video(let id): "video:\(id)"
            case .viewCounts: "viewCounts"
            case .channel(let id): "channel:\(id)"
            case .instanceSettings: "instanceSettings"
            }
        return node + "|" + change
    }

    /// The change and the node that published it; nil for a payload this version does not know (a newer node's).
    static func fromNotification(_ payload: String) -> (node: String, change: ContentChanged)? {
        guard payload.utf8.count <= 200 else { return nil }
        let parts = payload.split(separator: "|", maxSplits: 1)
        guard parts.count == 2 else { return nil }
        let fields = parts[1].split(separator: ":", maxSplits: 1)
        let id = fields.count == 2 ? Int64(fields[1]) : nil
        let change: ContentChanged? =
            switch (fields[0], id) {
            case ("video", let id?): .video(id: id)
            case ("viewCounts", nil) where fields.count == 1: .viewCounts
            case ("channel", let id?): .channel(id: id)
            case ("instanceSettings", nil) where fields.count == 1: .instanceSettings
            default: nil
            }
        return change.map { (String(parts[0]), $0) }
    }
}
