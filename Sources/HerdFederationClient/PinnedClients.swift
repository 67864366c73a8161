import AsyncHTTPClient
import Synchronization

/// One HTTP client per host and checked address, each pinned to that address (`dnsOverride`), so that what was
/// checked is what is connected to. At most `capacity` are kept (each with its connection pool); the oldest is shut
/// down when a new one is needed.
final class PinnedClients: Sendable {
    static let capacity = 256
    let configuration: HTTPClient.Configuration
    private let clients = Mutex<(byKey: [String: HTTPClient], order: [String])>(([:], []))

    init(configuration: HTTPClient.Configuration) {
        self.configuration = configuration
    }

    func client(host: String, address: String) -> HTTPClient {
        let key = host.lowercased() + " " + address
        var configuration = self.configuration
        configuration.dnsOverride = [host: address]
        let (client, evicted) = clients.withLock { state -> (HTTPClient, HTTPClient?) in
            if let existing = state.byKey[key] { return (existing, nil) }
            let client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
            var evicted: HTTPClient?
            if state.order.count >= Self.capacity {
                let oldest = state.order.removeFirst()
                evicted = state.byKey.removeValue(forKey: oldest)
            }
            state.byKey[key] = client
            state.order.append(key)
            return (client, evicted)
        }
        if let evicted { Task { try? await evicted.shutdown() } }
        return client
    }
}
