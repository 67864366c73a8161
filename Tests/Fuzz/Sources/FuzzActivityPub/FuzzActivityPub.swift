import FuzzSupport
import HerdFederation

/// ActivityPub documents from other instances: an activity posted to an inbox, and the `Video` or `CacheFile` it
/// carries (or that was fetched). The origin is the host of the document's own id, so the checks that tie media
/// and owners to it are reached, not only the first refusal.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzActivityPub(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    guard let json = try? JSONValue.parse(fuzzBytes(data, size)) else { return 0 }
    var documents = [json]
    if let activity = try? IncomingActivity(json) {
        _ = URLParts(activity.actor)?.host
        documents.append(activity.object)
    }
    for document in documents {
        let origin = document["id"]?.string.flatMap { URLParts($0)?.authority } ?? "peertube.example"
        _ = try? VideoObject(document, origin: origin)
        _ = try? CacheFileObject(document, mirror: origin)
        if let url = document["id"]?.string { _ = URLParts.target(of: url) }
    }
    return 0
}

@main enum FuzzActivityPubMain {
    static func main() { runFuzzer() }
}
