import HerdAPI
import HerdProcessing
import Testing

/// A mirror that stops answering leaves what is advertised after two failed checks, and comes back at once when it
/// answers (issue 6).
@Suite("Mirror health")
struct MirrorHealthTests {
    @Test("two failures in a row take a mirror out; one answer brings it back")
    func standing() {
        let health = MirrorHealth()
        let mirror = "https://mirror.example/static/redundancy/hls/u"
        let other = "https://other.example/static/redundancy/hls/u"
        #expect(health.filter([mirror, other]) == [mirror, other])
        #expect(!health.record(mirror, answered: false))
        #expect(health.isUp(mirror))
        #expect(health.record(mirror, answered: false))
        #expect(health.filter([mirror, other]) == [other])
        #expect(!health.record(mirror, answered: false))
        #expect(health.record(mirror, answered: true))
        #expect(health.isUp(mirror))
        // A blip (one failure between answers) never takes it out.
        #expect(!health.record(other, answered: false))
        #expect(!health.record(other, answered: true))
        #expect(!health.record(other, answered: false))
        #expect(health.isUp(other))
        // Forgotten mirrors start afresh.
        _ = health.record(mirror, answered: false)
        _ = health.record(mirror, answered: false)
        health.retain([other])
        #expect(health.isUp(mirror))
    }
}
