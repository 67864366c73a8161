import Foundation

/// Which addresses federation may reach: public ones only, unless configured (tests and private networks).
/// Outgoing fetches must not be a way to probe the server's own network (SSRF).
public enum AddressPolicy {
    /// True for loopback, private (RFC 1918, RFC 4193), link-local, unspecified, CGNAT (RFC 6598), benchmarking and
    /// multicast addresses, IPv4 or IPv6 (textual form); IPv4-mapped IPv6 is judged as IPv4.
    public static func isPrivate(_ address: String) -> Bool {
        let lower = address.lowercased()
        if let mapped = lower.range(of: "::ffff:"), lower.hasPrefix("::ffff:"),
            lower[mapped.upperBound...].contains(".")
        {
            return isPrivate(String(lower[mapped.upperBound...]))
        }
        let octets = lower.split(separator: ".").compactMap { UInt8($0) }
        if octets.count == 4 {
            switch (octets[0], octets[1]) {
            case (0, _), (10, _), (127, _), (169, 254), (192, 168): return true
            case (172, 16...31), (100, 64...127), (198, 18...19): return true
            case (224...255, _): return true
            default: return false
            }
        }
        guard lower.contains(":") else { return true }  // not an address at all: refuse
        if lower == "::" || lower == "::1" { return true }
        let first = lower.split(separator: ":", omittingEmptySubsequences: false).first ?? ""
        guard let head = UInt16(first.isEmpty ? "0" : first, radix: 16) else { return true }
        return head & 0xFE00 == 0xFC00 || head & 0xFFC0 == 0xFE80 || head & 0xFF00 == 0xFF00
    }
}
