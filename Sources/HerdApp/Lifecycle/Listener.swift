import ServiceLifecycle

/// A service that listens (the HTTP server, the seeder), reporting to the `ListenerGate`: bound, or unable to bind
/// (which ends the start). An error after the start is the service's own and goes to the service group.
struct Listener: Service {
    let name: String
    let address: String
    let gate: ListenerGate
    let service: any Service
    /// Waits until the listener is bound and returns its address, or nil when it failed; nil here means the service
    /// reports it itself (the HTTP server, through `onServerRunning`).
    let bound: (@Sendable () async -> String?)?

    func run() async throws {
        try await withThrowingTaskGroup(of: Void.self) { group in
            if let bound {
                group.addTask {
                    if let address = await bound() { gate.bound(name, address: address) }
                }
            }
            group.addTask {
                do {
                    try await service.run()
                } catch  where !gate.isOpen {
                    gate.failed(name, address: address, error: error)
                }
            }
            try await group.waitForAll()
        }
    }
}
