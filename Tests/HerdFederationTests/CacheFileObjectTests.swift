import Foundation
import HerdFederation
import Testing

@Suite("CacheFile objects")
struct CacheFileObjectTests {
    static let uuid = "997111d4-e8d8-4f45-99d3-857905785d05"

    @Test("PeerTube's HLS CacheFile round trips; a copy on another host than the mirror is refused")
    func roundTrip() throws {
        let expires = Date(timeIntervalSince1970: 1_800_000_000)
        let cache = CacheFileObject(
            id: "https://mirror.example/redundancy/streaming-playlists/hls/\(Self.uuid)",
            object: "https://origin.example/videos/watch/\(Self.uuid)", expires: expires,
            href: "https://mirror.example/static/redundancy/hls/\(Self.uuid)")
        let json = cache.json { ISO8601DateFormatter().string(from: $0) }
        #expect(json["type"]?.string == "CacheFile")
        #expect(json["url"]?["mediaType"]?.string == "application/x-mpegURL")
        #expect(try CacheFileObject(json, mirror: "mirror.example") == cache)
        #expect(throws: CacheFileObject.Invalid.foreignURL("id")) {
            try CacheFileObject(json, mirror: "evil.example")
        }
        var moved = json
        if case .object(var fields) = moved {
            fields["url"] = ["type": "Link", "href": "https://evil.example/static/redundancy/hls/x"]
            moved = .object(fields)
        }
        #expect(throws: CacheFileObject.Invalid.foreignURL("url")) {
            try CacheFileObject(moved, mirror: "mirror.example")
        }
        var never = json
        if case .object(var fields) = never {
            fields["expires"] = .null
            never = .object(fields)
        }
        #expect(try CacheFileObject(never, mirror: "mirror.example").expires == nil)
        #expect(throws: CacheFileObject.Invalid.notACacheFile) {
            try CacheFileObject(["type": "Video"], mirror: "mirror.example")
        }
    }
}
