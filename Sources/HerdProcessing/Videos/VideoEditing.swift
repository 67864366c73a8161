import Foundation
import HerdCore

/// Edits of a local video by its owner: fields, channel, passwords and privacy (its files move between the public
/// and private folders, `PrivateFiles`), then followers get an `Update` (or a `Delete` when it stops federating).
public final class VideoEditing: Sendable {
    let stores: Stores
    let privateFiles: PrivateFiles
    let federation: VideoFederation
    let events: ContentEvents
    let clock: any WallClock

    public init(
        stores: Stores, privateFiles: PrivateFiles, federation: VideoFederation, events: ContentEvents,
        clock: any WallClock
    ) {
        self.stores = stores
        self.privateFiles = privateFiles
        self.federation = federation
        self.events = events
        self.clock = clock
    }

    /// Saves `edited` (the fields of `found` as changed by its owner); `passwords` replaces those of a
    /// password-protected video when given.
    public func update(_ found: VideoWithOwner, to edited: Video, passwords: [String]?) async throws {
        guard found.video.isLocal else { throw HerdError.forbidden("a remote video is edited on its own instance") }
        if edited.channelId != found.video.channelId {
            guard let channel = try await stores.channels.find(id: edited.channelId),
                channel.owner.id == found.account.id
            else { throw HerdError.badRequest("channelId must be one of the owner's channels") }
        }
        if let passwords {
            try await stores.videoPasswords.replace(videoId: edited.id, with: passwords, now: clock.now())
        }
        try await privateFiles.save(edited, before: found.video)
        events.publish(.video(id: edited.id))
        if let updated = try await stores.videos.find(.id(edited.id)) {
            try await federation.updated(updated, before: found.video)
        }
    }
}
