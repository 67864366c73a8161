import Foundation
import HerdCore
import HerdFederation
import Testing

@Suite("Delivery hosts and federation policy")
struct DeliveryPolicyTests {
    let t0 = Date(timeIntervalSince1970: 1_000_000)

    @Test("per-host concurrency: a host gets its share, others are not held up")
    func concurrency() {
        var hosts = DeliveryHosts(limits: .init(perHostConcurrency: 2))
        let r1 = hosts.admit("slow.example", now: t0)
        #expect(r1 == .send)
        let r2 = hosts.admit("slow.example", now: t0)
        #expect(r2 == .send)
        let r3 = hosts.admit("slow.example", now: t0)
        #expect(r3 == .busy)
        let r4 = hosts.admit("other.example", now: t0)
        #expect(r4 == .send)
        let r5 = hosts.finish("slow.example", succeeded: true, now: t0)
        #expect(r5 == nil)
        let r6 = hosts.admit("slow.example", now: t0)
        #expect(r6 == .send)
    }

    @Test("a host failing 5 times in a row is marked unreachable, probed with backoff, and restored by a success")
    func unreachable() {
        var hosts = DeliveryHosts(limits: .init(unreachableAfter: 5, probeInterval: 60, maxProbeInterval: 200))
        var now = t0
        for attempt in 1...5 {
            let r7 = hosts.admit("down.example", now: now)
            #expect(r7 == .send)
            let change = hosts.finish("down.example", succeeded: false, now: now)
            #expect(change == (attempt == 5 ? .markedUnreachable(host: "down.example", failures: 5) : nil))
            now += 1
        }
        let since = now - 1
        // Held back until the probe is due; then one probe at a time.
        let r8 = hosts.admit("down.example", now: now)
        #expect(r8 == .unreachable(since: since))
        #expect(hosts.unreachable == ["down.example": since])
        now = since + 60
        let r9 = hosts.admit("down.example", now: now)
        #expect(r9 == .send)
        let r10 = hosts.admit("down.example", now: now)
        #expect(r10 == .unreachable(since: since))
        // A failed probe doubles the interval (120 s), capped at 200 s after that.
        let r11 = hosts.finish("down.example", succeeded: false, now: now)
        #expect(r11 == nil)
        let r12 = hosts.admit("down.example", now: now + 119)
        #expect(r12 == .unreachable(since: since))
        let r13 = hosts.admit("down.example", now: now + 120)
        #expect(r13 == .send)
        let r14 = hosts.finish("down.example", succeeded: false, now: now + 120)
        #expect(r14 == nil)
        let r15 = hosts.admit("down.example", now: now + 120 + 199)
        #expect(r15 == .unreachable(since: since))
        let r16 = hosts.admit("down.example", now: now + 120 + 200)
        #expect(r16 == .send)
        let r17 = hosts.finish("down.example", succeeded: true, now: now)
        #expect(r17 == .reachableAgain(host: "down.example"))
        #expect(hosts.unreachable.isEmpty)
        let r18 = hosts.admit("down.example", now: now)
        #expect(r18 == .send)
    }

    @Test("failures that are not in a row do not mark a host")
    func intermittent() {
        var hosts = DeliveryHosts(limits: .init(unreachableAfter: 3))
        for round in 0..<10 {
            _ = hosts.admit("flaky.example", now: t0)
            let r19 = hosts.finish("flaky.example", succeeded: round % 2 == 0, now: t0)
            #expect(r19 == nil)
        }
        #expect(hosts.unreachable.isEmpty)
    }

    @Test("allowlist and blocklist: hosts with or without port, single actors, malformed URLs")
    func policy() {
        let open = FederationPolicy()
        #expect(open.allows(url: "https://anywhere.example/inbox"))
        #expect(!open.allows(url: "not a url"))
        let school = FederationPolicy(allowlist: ["videos.school-a.example", "school-b.example:8443"])
        #expect(school.allows(url: "https://videos.school-a.example/inbox"))
        #expect(school.allows(url: "https://videos.school-a.example:9000/inbox"))
        #expect(school.allows(url: "https://school-b.example:8443/accounts/peertube"))
        #expect(!school.allows(url: "https://school-b.example/accounts/peertube"))
        #expect(!school.allows(url: "https://mastodon.example/users/x"))
        #expect(school.allows(host: "VIDEOS.school-a.example"))
        let blocked = FederationPolicy(blocklist: ["spam.example", "https://ok.example/users/troll"])
        #expect(!blocked.allows(url: "https://spam.example/inbox"))
        #expect(!blocked.allows(url: "http://spam.example:8080/inbox"))
        #expect(!blocked.allows(url: "https://ok.example/users/troll"))
        #expect(blocked.allows(url: "https://ok.example/users/friend"))
        #expect(
            FederationPolicy(FederationSettings(allowlist: ["a.example"], blocklist: ["a.example"])).allows(
                host: "a.example") == false)
    }
}
