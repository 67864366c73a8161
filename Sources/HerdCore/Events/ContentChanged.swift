import Synchronization

/// A change to what lists and pages show, published by whatever made it. The API's list cache (and, to come,
/// notifications and feeds) subscribe, instead of being cleared by hand after every write (issue 17).
public enum ContentChanged: Sendable, Hashable {
    /// A video was created, edited, published, failed, rated, mirrored or removed.
    case video(id: Int64)
    /// The view counts of many videos at once (a flush of batched views).
    case viewCounts
    /// A channel's name, description or support text.
    case channel(id: Int64)
    /// The instance's own settings (`PUT /api/v1/config/custom`).
    case instanceSettings
}

/// Hands each `ContentChanged` to every subscriber, at once, in the order they subscribed, on the publisher's task;
/// `publish` returns when all have seen it, so what a request changed is visible to the next one. Inside a store
/// transaction the event waits for the commit (`AfterCommit`), and is dropped if it rolls back. A subscriber must
/// be quick (clear a cache, queue work). Subscriptions last as long as the publisher.
public final class ContentEvents: Sendable {
    private let subscribers = Mutex<[@Sendable (ContentChanged) -> Void]>([])
    private let forwarder = Mutex<(@Sendable (ContentChanged) -> Void)?>(nil)

    public init() {}

    public func subscribe(_ handler: @escaping @Sendable (ContentChanged) -> Void) {
        subscribers.withLock { $0.append(handler) }
    }

    /// Several nodes on one database (issue 18): what is published here is also handed to `forward` (which tells the
    /// other nodes), and what they tell comes in through `received`.
    public func forward(_ forward: @escaping @Sendable (ContentChanged) -> Void) {
        forwarder.withLock { $0 = forward }
    }

    public func publish(_ change: ContentChanged) {
        AfterCommit.run {
            self.deliver(change)
            self.forwarder.withLock { $0 }?(change)
        }
    }

    /// A change another node published: for the subscribers here, not forwarded again.
    public func received(_ change: ContentChanged) {
        deliver(change)
    }

    private func deliver(_ change: ContentChanged) {
        for handler in subscribers.withLock({ $0 }) { handler(change) }
    }
}
