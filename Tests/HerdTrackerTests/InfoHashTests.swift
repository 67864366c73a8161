import Testing

@testable import HerdTracker

@Suite struct InfoHashTests {
    @Test func hexRoundTrip() {
        let hash = InfoHash(hex: "0F498834733E8057ED5C6F2EE2B4EFD8D84A76EE")
        #expect(hash?.hex == "0f498834733e8057ed5c6f2ee2b4efd8d84a76ee")
        #expect(hash?.bytes.count == 20)
        #expect(InfoHash(hex: "0f49") == nil)
        #expect(InfoHash(hex: String(repeating: "g", count: 40)) == nil)
    }
}
