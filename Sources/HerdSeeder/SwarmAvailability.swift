import HerdTracker
import Synchronization

/// How many of the seeder's connected peers hold each piece, per torrent, from their bitfields and `have`s.
/// Sessions consult it to leave pieces the swarm already has to the swarm (`SeederSession.swarmHolders`).
final class SwarmAvailability: Sendable {
    private let counts = Mutex<[InfoHash: [Int32]]>([:])
    /// Established connections per torrent and peer IP address.
    private let connections = Mutex<[InfoHash: [String: Int]]>([:])

    func connected(_ hash: InfoHash, address: String) {
        connections.withLock { $0[hash, default: [:]][address, default: 0] += 1 }
    }

    func disconnected(_ hash: InfoHash, address: String) {
        connections.withLock { all in
            let left = (all[hash]?[address] ?? 1) - 1
            all[hash]?[address] = left > 0 ? left : nil
            if all[hash]?.isEmpty == true { all[hash] = nil }
        }
    }

    func isConnected(_ hash: InfoHash, address: String) -> Bool {
        connections.withLock { ($0[hash]?[address] ?? 0) > 0 }
    }

    /// Applies the change from one peer's old bitfield to its new one.
    func update(_ hash: InfoHash, from old: [UInt8], to new: [UInt8], pieceCount: Int) {
        guard old != new else { return }
        counts.withLock { all in
            var pieces = all[hash] ?? [Int32](repeating: 0, count: pieceCount)
            for byte in 0..<max(old.count, new.count) {
                let before = byte < old.count ? old[byte] : 0
                let after = byte < new.count ? new[byte] : 0
                guard before != after else { continue }
                for bit in 0..<8 where (before ^ after) & (0x80 >> bit) != 0 {
                    let piece = byte * 8 + bit
                    guard piece < pieceCount else { continue }
                    pieces[piece] += after & (0x80 >> bit) != 0 ? 1 : -1
                }
            }
            all[hash] = pieces.allSatisfy { $0 == 0 } ? nil : pieces
        }
    }

    func peersHolding(_ hash: InfoHash, piece: Int) -> Int {
        counts.withLock { all in
            guard let pieces = all[hash], piece >= 0, piece < pieces.count else { return 0 }
            return Int(pieces[piece])
        }
    }
}
