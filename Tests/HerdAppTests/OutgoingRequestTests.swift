import HerdFederationClient
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
