import Foundation
import HerdCore
import Testing

@testable import HerdAPI

@Suite("DTO encoding")
struct DTOEncodingTests {
    @Test("dates are written as PeerTube does, in UTC with milliseconds")
    func dates() {
        #expect(isoDate(Date(timeIntervalSince1970: 0)) == "1970-01-01T00:00:00.000Z")
        #expect(isoDate(Date(timeIntervalSince1970: 1_726_740_000.123)) == "2024-09-19T10:00:00.123Z")
        #expect(isoDate(Date(timeIntervalSince1970: -1.5)) == "1969-12-31T23:59:58.500Z")
        // Years past four digits are written whole.
        #expect(isoDate(Date(timeIntervalSince1970: 253_402_300_800)) == "10000-01-01T00:00:00.000Z")
        let formatter = Date.ISO8601FormatStyle(includingFractionalSeconds: true)
        for offset in stride(from: 0.0, to: 4e9, by: 7_654_321.987) {
            // Half a millisecond off any boundary, so rounding of the binary fraction cannot differ.
            let date = Date(timeIntervalSince1970: offset.rounded(.down) + 0.1235)
            #expect(isoDate(date) == date.formatted(formatter))
        }
    }

    @Test("list descriptions are cut at 250 characters (not bytes) with \"...\", as PeerTube's truncatedDescription")
    func truncatedDescriptions() {
        #expect(VideoDTO.truncate(String(repeating: "a", count: 250)) == String(repeating: "a", count: 250))
        #expect(VideoDTO.truncate(String(repeating: "a", count: 251)) == String(repeating: "a", count: 247) + "...")
        // 250 characters in 1,000 bytes stay whole; one more and they are cut by characters.
        let flags = String(repeating: "🇫🇷", count: 250)
        #expect(VideoDTO.truncate(flags) == flags)
        #expect(VideoDTO.truncate(flags + "é") == String(repeating: "🇫🇷", count: 247) + "...")
        #expect(VideoDTO.truncate("") == "")
        // The ASCII shortcut agrees with the character walk: CR LF is one character, and a combining mark after the
        // 250th byte joins the 250th character.
        let crlf = String(repeating: "\r\n", count: 250)
        #expect(VideoDTO.truncate(crlf) == crlf)
        #expect(VideoDTO.truncate(crlf + "a") == String(repeating: "\r\n", count: 247) + "...")
        let marked = String(repeating: "a", count: 250) + "\u{301}"
        #expect(VideoDTO.truncate(marked) == marked)
        #expect(VideoDTO.truncate(marked + "b") == String(repeating: "a", count: 247) + "...")
    }

    @Test("a video with files encodes the same with the streaming encoder and Foundation's")
    func videoDetails() throws {
        let now = Date()
        let account = Account(
            id: 1, userId: 1, name: "alice", displayName: "Alice \"A\"", createdAt: now, updatedAt: now)
        let channel = Channel(
            id: 2, accountId: 1, name: "alice_channel", displayName: "Alice's", createdAt: now, updatedAt: now)
        let video = Video(
            id: 3, uuid: UUID(), channelId: 2, name: "Name with \"quotes\" and\nnewline",
            description: String(repeating: "é", count: 300),
            privacy: .public, state: .published, category: 13, licence: nil, language: "fr", tags: ["one", "two"],
            duration: 61,
            createdAt: now, updatedAt: now, publishedAt: now
        )
        let files = [
            VideoFile(
                id: 1, videoId: 3, kind: .hls, resolution: 720, width: 1280, height: 720, fps: 29.97, size: 10,
                filename: "a.mp4", createdAt: now),
            VideoFile(
                id: 2, videoId: 3, kind: .webVideo, resolution: 0, width: 0, height: 0, fps: 0, size: 5,
                filename: "b.mp4", createdAt: now),
        ]
        for details in [false, true] {
            let dto = VideoDTO(
                VideoWithOwner(video: video, channel: channel, account: account), baseURL: "https://h", localHost: "h",
                details: details, files: files
            )
            let list = ListDTO(Page(total: 1, data: [dto]))
            let theirs = try JSONSerialization.jsonObject(with: JSONEncoder().encode(list)) as? NSDictionary
            let streamed =
                try JSONSerialization.jsonObject(with: Data(try StreamingJSONEncoder().encode(list))) as? NSDictionary
            var writer = JSONWriter()
            list.write(to: &writer)
            let written = try JSONSerialization.jsonObject(with: Data(writer.bytes)) as? NSDictionary
            #expect(theirs != nil)
            #expect(streamed == theirs)
            #expect(written == theirs)
        }
    }
}
