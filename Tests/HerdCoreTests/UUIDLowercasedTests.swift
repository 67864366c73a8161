import Foundation
import HerdCore
import Testing

@Suite("UUID text")
struct UUIDLowercasedTests {
    @Test("lowercasedString is Foundation's uuidString in lowercase, for fixed and random UUIDs")
    func matchesFoundation() throws {
        let fixed = try #require(UUID(uuidString: "550E8400-E29B-41D4-A716-446655440000"))
        #expect(fixed.lowercasedString == "550e8400-e29b-41d4-a716-446655440000")
        let edges =
            [UUID(uuid: (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0))]
            + [UUID(uuid: (255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255))]
        for uuid in edges + (0..<1000).map({ _ in UUID() }) {
            #expect(uuid.lowercasedString == uuid.uuidString.lowercased())
        }
    }
}
