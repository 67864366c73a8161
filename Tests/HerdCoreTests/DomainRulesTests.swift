import Foundation
import HerdCore
import Testing

@Suite("Domain rules")
struct DomainRulesTests {
    static func user(_ id: Int64, _ role: Role) -> User {
        User(
            id: id, username: "u\(id)", email: "u\(id)@x", passwordHash: "", role: role, videoQuota: -1,
            createdAt: Date())
    }

    static func video(_ privacy: VideoPrivacy, _ state: VideoState = .published) -> Video {
        Video(
            id: 1, uuid: UUID(), channelId: 1, name: "v", privacy: privacy, state: state, createdAt: Date(),
            updatedAt: Date(), publishedAt: Date())
    }

    @Test("who may see a video")
    func visibility() {
        let owner = Viewer(user: Self.user(1, .user))
        let other = Viewer(user: Self.user(2, .user))
        let moderator = Viewer(user: Self.user(3, .moderator))
        for (privacy, anonymous, stranger) in [
            (VideoPrivacy.public, true, true), (.unlisted, true, true), (.internal, false, true),
            (.private, false, false),
        ] {
            let video = Self.video(privacy)
            #expect(VideoVisibility.canView(video, ownerUserId: 1, viewer: .anonymous) == anonymous, "\(privacy)")
            #expect(VideoVisibility.canView(video, ownerUserId: 1, viewer: other) == stranger, "\(privacy)")
            #expect(VideoVisibility.canView(video, ownerUserId: 1, viewer: owner))
            #expect(VideoVisibility.canView(video, ownerUserId: 1, viewer: moderator))
        }
        #expect(!VideoVisibility.canView(Self.video(.public, .toTranscode), ownerUserId: 1, viewer: other))
        #expect(!VideoVisibility.canView(Self.video(.public, .transcodingFailed), ownerUserId: 1, viewer: .anonymous))
        #expect(VideoVisibility.canManage(ownerUserId: 1, viewer: owner))
        #expect(!VideoVisibility.canManage(ownerUserId: 1, viewer: other))
        #expect(!VideoVisibility.canManage(ownerUserId: 1, viewer: .anonymous))
    }

    @Test("handles")
    func handles() {
        #expect(Handle("alice", localHost: "herd.example") == Handle(name: "alice"))
        #expect(Handle("alice@herd.example", localHost: "herd.example") == Handle(name: "alice"))
        #expect(Handle("@bob@Other.Example", localHost: "herd.example") == Handle(name: "bob", host: "other.example"))
        #expect(Handle("", localHost: "x") == nil)
        #expect(Handle("a@", localHost: "x") == nil)
        #expect(Handle("a@b@c", localHost: "x") == nil)
    }

    @Test("pagination and sort")
    func pagination() throws {
        #expect(try Pagination(start: nil, count: nil) == Pagination(start: 0, count: 15))
        #expect(try Pagination(start: "5", count: "100") == Pagination(start: 5, count: 100))
        #expect(throws: HerdError.self) { try Pagination(start: nil, count: "101") }
        #expect(throws: HerdError.self) { try Pagination(start: "-1", count: nil) }
        #expect(try VideoSort(query: "-views") == VideoSort(column: .views, descending: true))
        #expect(try VideoSort(query: nil) == .publishedAtDesc)
        #expect(throws: HerdError.self) { try VideoSort(query: "-password") }
    }

    @Test("field rules")
    func fieldRules() {
        #expect(throws: HerdError.self) { try VideoRules.validateName("ab") }
        #expect(throws: Never.self) { try VideoRules.validateName("abc") }
        #expect(throws: HerdError.self) { try VideoRules.validateTags(["ok", "x"]) }
        #expect(throws: HerdError.self) { try ActorNameRules.validate("Alice", field: "username") }
        #expect(throws: HerdError.self) { try ActorNameRules.validate("a b", field: "username") }
        #expect(throws: Never.self) { try ActorNameRules.validate("alice_1.b-c", field: "username") }
    }
}

@Suite("Upload throttle")
struct UploadThrottleTests {
    @Test("a token bucket: a quarter second of burst, then senders wait in proportion to their bytes")
    func pacing() {
        let throttle = UploadThrottle(bytesPerSecond: 4 * 1024 * 1024)
        // Burst: 1 MiB (a quarter second at 4 MiB/s) goes out at once.
        #expect(throttle.reserve(1024 * 1024, now: 10) == 0)
        // The next 2 MiB are debt: half a second of waiting.
        #expect(throttle.reserve(2 * 1024 * 1024, now: 10) == 0.5)
        // 1.5 s later the debt is paid and the bucket is full again (never more than the burst).
        #expect(throttle.reserve(1024 * 1024, now: 11.5) == 0)
        #expect(UploadThrottle(bytesPerSecond: -1).reserve(1 << 30, now: 1) == 0)
        #expect(UploadThrottle(bytesPerSecond: -1).rate == nil)
    }
}
