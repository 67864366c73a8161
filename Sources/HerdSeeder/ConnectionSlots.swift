import NIOCore
import Synchronization

/// Bounds the seeder's connections. When every slot is taken, a newcomer takes the slot of the oldest connection
/// that has not completed its handshake (an idle or stalled peer); when all are established, the newcomer is refused.
/// One address holds at most `perAddress` slots (issue 14), so one client cannot take them all: past it, its own oldest
/// idle connection makes room, or it is refused.
final class ConnectionSlots: Sendable {
    struct Entry {
        var channel: any Channel
        var address: String?
        var opened: Double
        var established: Bool
    }

    let limit: Int
    let perAddress: Int
    private let entries = Mutex<[ObjectIdentifier: Entry]>([:])

    init(limit: Int, perAddress: Int = 16) {
        self.limit = limit
        self.perAddress = perAddress
    }

    enum Admission {
        case refused
        case admitted(evicting: (any Channel)?)
    }

    /// Admits a connection, possibly closing an idle one to make room. False: refuse it.
    func admit(_ channel: any Channel, now: Double) -> Bool {
        let address = channel.remoteAddress?.ipAddress
        let admission = entries.withLock { entries -> Admission in
            var victim: (any Channel)?
            // Full for this address, or full altogether: the oldest connection still without a handshake (of this
            // address, or of anyone) makes room; when all are established, the newcomer is refused.
            let mine = address.map { address in entries.filter { $0.value.address == address } } ?? [:]
            let crowd = mine.count >= perAddress ? mine : entries.count >= limit ? entries : nil
            if let crowd {
                let idle = crowd.filter { !$0.value.established }
                guard let oldest = idle.min(by: { $0.value.opened < $1.value.opened }) else { return .refused }
                entries.removeValue(forKey: oldest.key)
                victim = oldest.value.channel
            }
            entries[ObjectIdentifier(channel)] = Entry(
                channel: channel, address: address, opened: now, established: false)
            return .admitted(evicting: victim)
        }
        switch admission {
        case .refused: return false
        case .admitted(let victim):
            victim?.close(promise: nil)
            return true
        }
    }

    func established(_ channel: any Channel) {
        entries.withLock { $0[ObjectIdentifier(channel)]?.established = true }
    }

    func release(_ channel: any Channel) {
        _ = entries.withLock { $0.removeValue(forKey: ObjectIdentifier(channel)) }
    }

    var count: Int { entries.withLock { $0.count } }
}
