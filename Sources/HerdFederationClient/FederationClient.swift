import AsyncHTTPClient
import Foundation
import HerdCrypto
import HerdFederation
import NIOCore
import NIOHTTP1

#if canImport(Glibc)
    import Glibc
#endif

/// Why an outgoing federation request failed; `retryable` tells delivery whether to try again later.
public enum FederationClientError: DeliveryFailure, CustomStringConvertible, Equatable {
    case badURL(String)
    case privateAddress(String)
    case notAllowed(String)
    case unresolvable(String)
    case status(Int)
    case tooLarge
    case notJSON
    case redirects(String)

    public var description: String {
        switch self {
        case .badURL(let url): "not an http(s) URL: \(url)"
        case .privateAddress(let host): "\(host) resolves to a private or loopback address"
        case .notAllowed(let url): "\(url) is outside federation.allowlist or on federation.blocklist"
        case .unresolvable(let host): "\(host) does not resolve"
        case .status(let code): "the remote server answered \(code)"
        case .tooLarge: "the remote document is too large"
        case .notJSON: "the remote document is not JSON"
        case .redirects(let url): "\(url) redirects too often or to no usable URL"
        }
    }

    /// 4xx answers other than 408 and 429 will not change by retrying; the rest may.
    public var retryable: Bool {
        switch self {
        case .status(let code): code >= 500 || code == 408 || code == 429
        case .unresolvable: true
        default: false
        }
    }
}

/// ActivityPub over HTTP (AsyncHTTPClient): signed fetches and signed deliveries (draft-cavage-http-signatures-12),
/// refusing private and loopback addresses unless allowed. Every instance in the process shares one connection
/// pool, which lives as long as the process. No redirects for documents (one must come from the URL asked for);
/// media follows a few, each hop checked (`mediaResponse`).
public struct FederationClient: ActivityPubFetcher, ActivityPubDeliverer {
    static let configuration: HTTPClient.Configuration = {
        var configuration = HTTPClient.Configuration()
        configuration.redirectConfiguration = .disallow
        configuration.timeout = .init(connect: .seconds(5), read: .seconds(15))
        configuration.connectionPool = .init(idleTimeout: .seconds(30), concurrentHTTP1ConnectionsPerHostSoftLimit: 8)
        return configuration
    }()
    static let http = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)

    let allowPrivateAddresses: Bool
    let policy: FederationPolicy
    let userAgent: String
    public static let maxDocumentBytes = 2 * 1024 * 1024
    static let timeout = TimeAmount.seconds(15)

    public init(allowPrivateAddresses: Bool, policy: FederationPolicy = FederationPolicy(), userAgent: String) {
        self.allowPrivateAddresses = allowPrivateAddresses
        self.policy = policy
        self.userAgent = userAgent
    }

    /// GETs an ActivityPub document, signed by `signer` (PeerTube signs fetches with the instance actor).
    public func fetch(_ url: String, signer: FederationSigner?) async throws -> JSONValue {
        let (parts, target, http) = try await check(url)
        var request = HTTPClientRequest(url: url)
        request.method = .GET
        request.headers.add(name: "Accept", value: "application/activity+json, application/ld+json")
        request.headers.add(name: "User-Agent", value: userAgent)
        if let signer {
            for header in try HTTPSignature.sign(
                method: "GET", target: target, host: parts.authority, body: nil, keyID: signer.keyID, key: signer.key,
                now: Int(Date().timeIntervalSince1970))
            {
                request.headers.replaceOrAdd(name: header.name, value: header.value)
            }
        }
        let response = try await http.execute(request, timeout: Self.timeout)
        if response.status.code == 404 || response.status.code == 410 { throw FetchedObjectGone() }
        guard (200..<300).contains(response.status.code) else {
            throw FederationClientError.status(Int(response.status.code))
        }
        var body = try await response.body.collect(upTo: Self.maxDocumentBytes)
        guard let bytes = body.readBytes(length: body.readableBytes) else { throw FederationClientError.notJSON }
        do {
            return try JSONValue.parse(bytes)
        } catch {
            throw FederationClientError.notJSON
        }
    }

    public func fetchMedia(_ url: String, maxBytes: Int) async throws -> [UInt8] {
        let response = try await mediaResponse(url, method: .GET, timeout: Self.timeout)
        guard (200..<300).contains(response.status.code) else {
            throw FederationClientError.status(Int(response.status.code))
        }
        var body: ByteBuffer
        do {
            body = try await response.body.collect(upTo: maxBytes)
        } catch {
            throw FederationClientError.tooLarge
        }
        return body.readBytes(length: body.readableBytes) ?? []
    }

    /// Streams a large file to `consume` chunk by chunk (a mirror's copy); the read timeout catches a stalled
    /// origin, the overall limit only a pathological one.
    public func download(_ url: String, maxBytes: Int64, consume: ([UInt8]) async throws -> Void) async throws {
        let response = try await mediaResponse(url, method: .GET, timeout: .hours(6))
        guard (200..<300).contains(response.status.code) else {
            throw FederationClientError.status(Int(response.status.code))
        }
        var received: Int64 = 0
        for try await buffer in response.body {
            received += Int64(buffer.readableBytes)
            guard received <= maxBytes else { throw FederationClientError.tooLarge }
            try await consume(Array(buffer.readableBytesView))
        }
    }

    public func probe(_ url: String, timeout: Int) async -> Bool {
        guard let response = try? await mediaResponse(url, method: .HEAD, timeout: .seconds(Int64(timeout))) else {
            return false
        }
        return (200..<300).contains(response.status.code)
    }

    /// Redirects a media request follows: PeerTube (and Herd) with object storage answer a file's URL with a
    /// redirect to the bucket or its CDN.
    static let maxMediaRedirects = 3

    /// The answer to a media request (a segment, web video, torrent or playlist), after up to `maxMediaRedirects`
    /// redirects, each hop's address checked as the first one's. The federation policy names instances, so it is
    /// asked about the first URL only: the origin's bucket or CDN is on no list.
    func mediaResponse(_ url: String, method: HTTPMethod, timeout: TimeAmount) async throws -> HTTPClientResponse {
        let deadline = NIODeadline.now() + timeout
        var current = url
        for hop in 0...Self.maxMediaRedirects {
            let (_, _, http) = try await check(current, policy: hop == 0)
            var request = HTTPClientRequest(url: current)
            request.method = method
            request.headers.add(name: "User-Agent", value: userAgent)
            let response = try await http.execute(request, deadline: deadline)
            guard [301, 302, 303, 307, 308].contains(response.status.code) else { return response }
            _ = try? await response.body.collect(upTo: 64 * 1024)
            // RFC 9110 §10.2.2: Location may be relative to the URL asked for.
            guard let location = response.headers.first(name: "Location"),
                let next = URL(string: location, relativeTo: URL(string: current))?.absoluteURL.absoluteString
            else { break }
            current = next
        }
        throw FederationClientError.redirects(url)
    }

    /// POSTs an activity to an inbox, signed by `signer` over `(request-target) host date digest`.
    public func deliver(_ activity: [UInt8], to inbox: String, signer: FederationSigner) async throws {
        let (parts, target, http) = try await check(inbox)
        var request = HTTPClientRequest(url: inbox)
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/activity+json")
        request.headers.add(name: "Accept", value: "application/activity+json, application/ld+json")
        request.headers.add(name: "User-Agent", value: userAgent)
        for header in try HTTPSignature.sign(
            method: "POST", target: target, host: parts.authority, body: activity, keyID: signer.keyID, key: signer.key,
            now: Int(Date().timeIntervalSince1970))
        {
            request.headers.replaceOrAdd(name: header.name, value: header.value)
        }
        request.body = .bytes(ByteBuffer(bytes: activity))
        let response = try await http.execute(request, timeout: Self.timeout)
        _ = try? await response.body.collect(upTo: 64 * 1024)
        guard (200..<300).contains(response.status.code) else {
            throw FederationClientError.status(Int(response.status.code))
        }
    }

    /// The URL's parts, its request target and the client to send it with, after checking where its host resolves
    /// (off the cooperative pool: getaddrinfo blocks). The client connects to the address that was checked (pinned
    /// with AsyncHTTPClient's dnsOverride; TLS still names the host), so a name that resolves elsewhere a moment
    /// later (DNS rebinding) cannot point the request at a private address.
    /// - Parameter policy: whether `federation.allowlist`/`blocklist` must allow the URL.
    func check(_ url: String, policy checksPolicy: Bool = true) async throws -> (URLParts, String, HTTPClient) {
        guard let parts = URLParts(url), let target = URLParts.target(of: url) else {
            throw FederationClientError.badURL(url)
        }
        guard !checksPolicy || policy.allows(url: url) else { throw FederationClientError.notAllowed(url) }
        guard !allowPrivateAddresses else { return (parts, target, Self.http) }
        let host = parts.host.trimmingCharacters(in: CharacterSet(charactersIn: "[]"))
        let addresses = try await Self.resolveOffPool(host)
        guard let first = addresses.first else { throw FederationClientError.unresolvable(host) }
        if addresses.contains(where: AddressPolicy.isPrivate) { throw FederationClientError.privateAddress(host) }
        // An address given as such needs no pinning.
        guard first != host else { return (parts, target, Self.http) }
        return (parts, target, Self.pinned.client(host: host, address: first))
    }

    /// `resolve` on a thread of its own.
    static func resolveOffPool(_ host: String) async throws -> [String] {
        await withCheckedContinuation { continuation in
            Thread { continuation.resume(returning: resolve(host)) }.start()
        }
    }

    static let pinned = PinnedClients(configuration: configuration)

    /// Every address `host` resolves to (getaddrinfo), as text.
    static func resolve(_ host: String) -> [String] {
        var hints = addrinfo()
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        var result: UnsafeMutablePointer<addrinfo>?
        guard getaddrinfo(host, nil, &hints, &result) == 0 else { return [] }
        defer { freeaddrinfo(result) }
        var addresses: [String] = []
        var entry = result
        while let current = entry {
            var text = [CChar](repeating: 0, count: Int(INET6_ADDRSTRLEN))
            if let address = current.pointee.ai_addr {
                if current.pointee.ai_family == AF_INET {
                    address.withMemoryRebound(to: sockaddr_in.self, capacity: 1) { pointer in
                        var raw = pointer.pointee.sin_addr
                        inet_ntop(AF_INET, &raw, &text, socklen_t(text.count))
                    }
                } else if current.pointee.ai_family == AF_INET6 {
                    address.withMemoryRebound(to: sockaddr_in6.self, capacity: 1) { pointer in
                        var raw = pointer.pointee.sin6_addr
                        inet_ntop(AF_INET6, &raw, &text, socklen_t(text.count))
                    }
                }
            }
            let string = String(decoding: text.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
            if !string.isEmpty { addresses.append(string) }
            entry = current.pointee.ai_next
        }
        return addresses
    }
}
