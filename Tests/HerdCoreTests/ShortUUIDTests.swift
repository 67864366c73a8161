import Foundation
import HerdCore
import Testing

@Suite("ShortUUID and video references")
struct ShortUUIDTests {
    @Test("round trip over many UUIDs, always 22 characters of the Flickr base58 alphabet")
    func roundTrip() {
        let alphabet = Set("123456789abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ")
        for _ in 0..<2_000 {
            let uuid = UUID()
            let short = ShortUUID.encode(uuid)
            #expect(short.count == 22)
            #expect(short.allSatisfy { alphabet.contains($0) })
            #expect(ShortUUID.decode(short) == uuid)
        }
    }

    @Test("edge values")
    func edges() throws {
        let zero = try #require(UUID(uuidString: "00000000-0000-0000-0000-000000000000"))
        #expect(ShortUUID.encode(zero) == String(repeating: "1", count: 22))
        let max = try #require(UUID(uuidString: "FFFFFFFF-FFFF-FFFF-FFFF-FFFFFFFFFFFF"))
        #expect(ShortUUID.decode(ShortUUID.encode(max)) == max)
        // The largest 22-digit base58 number does not fit in 128 bits.
        #expect(ShortUUID.decode(String(repeating: "Z", count: 22)) == nil)
        #expect(ShortUUID.decode("0OIl" + String(repeating: "1", count: 18)) == nil)  // not in the alphabet
        #expect(ShortUUID.decode("short") == nil)
    }

    @Test("a reference is an id, a UUID or a shortUUID")
    func references() {
        let uuid = UUID()
        #expect(VideoReference("42") == .id(42))
        #expect(VideoReference(uuid.uuidString.lowercased()) == .uuid(uuid))
        #expect(VideoReference(ShortUUID.encode(uuid)) == .uuid(uuid))
        #expect(VideoReference("0") == nil)
        #expect(VideoReference("-3") == nil)
        #expect(VideoReference("../etc") == nil)
    }
}
