import Foundation
import HerdCore
import NIOCore

/// A short-lived cache of serialized public video lists for anonymous visitors: every visitor of the
/// home page asks for the same bytes. Entries live `lifetime` seconds at most and are dropped at once
/// when this process changes a video, channel or setting (`ContentChanged`); changes made by another
/// process (the `herd admin` command) show after `lifetime`. Lists for signed-in users are never cached.
public final class ListCache: @unchecked Sendable {
    private struct Entry {
        var body: ByteBuffer
        var created: Date
    }

    private let lock = NSLock()
    private var entries: [String: Entry] = [:]
    let lifetime: TimeInterval
    static let maxEntries = 512
    static let maxBodyBytes = 512 * 1024

    public init(lifetime: TimeInterval) {
        self.lifetime = lifetime
    }

    var isEnabled: Bool { lifetime > 0 }

    func body(for key: String, now: Date) -> ByteBuffer? {
        guard isEnabled else { return nil }
        return lock.withLock {
            guard let entry = entries[key], now.timeIntervalSince(entry.created) < lifetime else { return nil }
            return entry.body
        }
    }

    func store(_ body: ByteBuffer, for key: String, now: Date) {
        guard isEnabled, body.readableBytes <= Self.maxBodyBytes else { return }
        lock.withLock {
            if entries.count >= Self.maxEntries {
                entries = entries.filter { now.timeIntervalSince($0.value.created) < lifetime }
                if entries.count >= Self.maxEntries { entries.removeAll() }
            }
            entries[key] = Entry(body: body, created: now)
        }
    }

    /// Forgets everything.
    func invalidate() {
        lock.withLock { entries.removeAll() }
    }

    /// Forgets everything at each change `events` publishes: any of them may change what a list shows.
    public func invalidates(on events: ContentEvents) {
        events.subscribe { [self] _ in invalidate() }
    }
}
