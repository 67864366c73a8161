import HerdCore
import Testing

@testable import HerdTracker

@Suite("Peer addresses and compact endpoints (BEP 23, BEP 7)")
struct PeerEndpointTests {
    @Test func ipv4ParsesAndPrints() throws {
        let address = try #require(PeerAddress("192.0.2.17"))
        #expect(address.bytes == [192, 0, 2, 17])
        #expect(address.isIPv4)
        #expect(address.description == "192.0.2.17")
        #expect(PeerAddress("256.0.0.1") == nil)
        #expect(PeerAddress("1.2.3") == nil)
        #expect(PeerAddress("01.2.3.4") == nil)
        #expect(PeerAddress("1.2.3.4.5") == nil)
        #expect(PeerAddress("") == nil)
    }

    @Test func ipv6ParsesAndPrintsCanonically() throws {
        let address = try #require(PeerAddress("2001:DB8:0:0:0:0:0:1"))
        #expect(address.bytes == [0x20, 0x01, 0x0d, 0xb8] + [UInt8](repeating: 0, count: 11) + [1])
        #expect(address.description == "2001:db8::1")
        #expect(PeerAddress("[fe80::1%eth0]")?.description == "fe80::1")
        #expect(PeerAddress("::1")?.isLoopback == true)
        #expect(PeerAddress("::")?.description == "::")
        #expect(PeerAddress("2001:db8:0:1:1:1:1:1")?.description == "2001:db8:0:1:1:1:1:1")
        #expect(PeerAddress("2001:db8::1::2") == nil)
        #expect(PeerAddress("2001:db8:::1") == nil)
        #expect(PeerAddress("12345::1") == nil)
        #expect(PeerAddress("1:2:3:4:5:6:7") == nil)
    }

    @Test func ipv4MappedBecomesIPv4() throws {
        let address = try #require(PeerAddress("::ffff:198.51.100.7"))
        #expect(address.isIPv4)
        #expect(address.bytes == [198, 51, 100, 7])
        #expect(address.description == "198.51.100.7")
    }

    @Test func loopback() {
        #expect(PeerAddress("127.0.0.1")?.isLoopback == true)
        #expect(PeerAddress("127.8.9.1")?.isLoopback == true)
        #expect(PeerAddress("128.0.0.1")?.isLoopback == false)
        #expect(PeerAddress("::2")?.isLoopback == false)
    }

    @Test func compactForms() throws {
        let v4 = Fixture.endpoint("10.1.2.3", 6881)
        #expect(v4.compact == [10, 1, 2, 3, 0x1A, 0xE1])
        #expect(PeerEndpoint(compact: v4.compact) == v4)
        let v6 = Fixture.endpoint("2001:db8::2", 51413)
        #expect(v6.compact.count == 18)
        #expect(Array(v6.compact.suffix(2)) == [0xC8, 0xD5])
        #expect(PeerEndpoint(compact: v6.compact) == v6)
        #expect(v6.description == "[2001:db8::2]:51413")
        #expect(PeerEndpoint(compact: [1, 2, 3]) == nil)
    }
}
