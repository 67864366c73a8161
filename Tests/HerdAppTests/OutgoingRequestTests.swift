import HerdFederationClient
import HerdTestSupport
import Testing

/// Outgoing requests go only to checked public addresses (issue 14): names resolving to loopback or private
/// addresses are refused before any connection, and the connection goes to the address that was checked.
@Suite("Outgoing requests")
struct OutgoingRequestTests {
    @Test(
        "private, loopback and unresolvable hosts are refused before connecting",
        arguments: [
            "http://127.0.0.1:9/x", "http://localhost:9/x", "http://[::1]:9/x", "http://10.1.2.3/x",
            "http://192.168.0.1/x", "http://169.254.169.254/latest/meta-data", "http://[fe80::1]/x",
            "http://0.0.0.0/x",
        ])
    func refused(url: String) async {
        let client = FederationClient(allowPrivateAddresses: false, userAgent: "test")
        await #expect {
            _ = try await client.fetch(url, signer: nil)
        } throws: { error in
            error as? FederationClientError == .privateAddress(URLHost.of(url))
        }
    }

    @Test("media follows a few redirects (to another server, relative ones too), documents none; loops end in an error")
    func mediaRedirects() async throws {
        let (origin, bucket) = (try LoopbackHTTPServer(), try LoopbackHTTPServer())
        defer {
            origin.stop()
            bucket.stop()
        }
        bucket["/hls/segment.mp4"] = "segment bytes"
        origin.redirect("/static/segment.mp4", to: bucket.baseURL + "/moved/segment.mp4")
        bucket.redirect("/moved/segment.mp4", to: "/hls/segment.mp4")
        origin.redirect("/loop", to: "/loop")
        let client = FederationClient(allowPrivateAddresses: true, userAgent: "test")
        let url = origin.baseURL + "/static/segment.mp4"
        #expect(try await client.fetchMedia(url, maxBytes: 100) == Array("segment bytes".utf8))
        #expect(await client.probe(url, timeout: 5))
        var copied: [UInt8] = []
        try await client.download(url, maxBytes: 100) { copied += $0 }
        #expect(copied == Array("segment bytes".utf8))
        await #expect(throws: FederationClientError.status(302)) { _ = try await client.fetch(url, signer: nil) }
        await #expect(throws: FederationClientError.redirects(origin.baseURL + "/loop")) {
            _ = try await client.fetchMedia(origin.baseURL + "/loop", maxBytes: 100)
        }
        #expect(!(await client.probe(origin.baseURL + "/loop", timeout: 5)))
    }

    @Test("a name that does not resolve is refused as such")
    func unresolvable() async {
        let client = FederationClient(allowPrivateAddresses: false, userAgent: "test")
        await #expect(throws: FederationClientError.unresolvable("no-such-host.invalid")) {
            _ = try await client.fetch("http://no-such-host.invalid/x", signer: nil)
        }
    }
}

/// The host part of a test URL, without brackets or port.
enum URLHost {
    static func of(_ url: String) -> String {
        let rest = url.split(separator: "/")[1]
        if rest.hasPrefix("[") { return String(rest.dropFirst().prefix { $0 != "]" }) }
        return String(rest.prefix { $0 != ":" })
    }
}
