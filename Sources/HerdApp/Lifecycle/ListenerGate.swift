import Foundation
import Logging
import Synchronization

/// The listeners of one `herd serve` (HTTP with the tracker's WebSocket, the BitTorrent seeder). Background work
/// waits here until every listener is bound; a listener that cannot bind ends the start with one clear line and a
/// non-zero exit, before any job has been claimed.
final class ListenerGate: Sendable {
    private struct State {
        var waiting: Set<String>
        var addresses: [String: String] = [:]
        var open = false
        var waiters: [Int: CheckedContinuation<Bool, Never>] = [:]
        var nextWaiter = 0
    }

    private let state: Mutex<State>
    private let logger: Logger
    /// Called once, when every listener is bound (with each listener's address).
    private let onOpen: @Sendable ([String: String]) -> Void

    init(listeners: Set<String>, logger: Logger, onOpen: @escaping @Sendable ([String: String]) -> Void) {
        state = Mutex(State(waiting: listeners))
        self.logger = logger
        self.onOpen = onOpen
    }

    var isOpen: Bool { state.withLock { $0.open } }

    /// `listener` is bound at `address`.
    func bound(_ listener: String, address: String) {
        let opened: (addresses: [String: String], waiters: [CheckedContinuation<Bool, Never>])? = state.withLock {
            state in
            state.addresses[listener] = address
            state.waiting.remove(listener)
            guard state.waiting.isEmpty, !state.open else { return nil }
            state.open = true
            defer { state.waiters = [:] }
            return (state.addresses, Array(state.waiters.values))
        }
        guard let opened else { return }
        onOpen(opened.addresses)
        for waiter in opened.waiters { waiter.resume(returning: true) }
    }

    /// `listener` could not bind: nothing has started yet, so the process ends here.
    func failed(_ listener: String, address: String, error: any Error) -> Never {
        logger.critical(
            "Herd could not start: the \(listener) cannot listen on \(address) (\(Self.reason(error)))",
            metadata: ["listener": "\(listener)", "address": "\(address)"])
        exit(1)
    }

    /// Waits until every listener is bound: true then, false when the waiting task is cancelled first.
    func wait() async -> Bool {
        let id: Int? = state.withLock { state in
            if state.open { return nil }
            state.nextWaiter += 1
            return state.nextWaiter
        }
        guard let id else { return true }
        return await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                let resumeNow: Bool? = state.withLock { state in
                    if state.open { return true }
                    if Task.isCancelled { return false }
                    state.waiters[id] = continuation
                    return nil
                }
                if let resumeNow { continuation.resume(returning: resumeNow) }
            }
        } onCancel: {
            state.withLock { $0.waiters.removeValue(forKey: id) }?.resume(returning: false)
        }
    }

    static func reason(_ error: any Error) -> String {
        let text = "\(error)"
        return text.contains("Address already in use") || text.contains("EADDRINUSE") ? "address already in use" : text
    }
}
