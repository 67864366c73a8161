import Foundation
import HerdFederation
import Hummingbird

/// ActivityPub on the wire: content negotiation and `application/activity+json` responses.
enum ActivityPubResponse {
    static let contentType = "application/activity+json; charset=utf-8"

    /// True when the client asks for ActivityPub rather than HTML (PeerTube's rule): `application/activity+json`,
    /// `application/ld+json` (with or without the ActivityStreams profile), or a bare `application/json`.
    static func wanted(_ request: Request) -> Bool {
        let accept = request.headers[.accept]?.lowercased() ?? ""
        return accept.contains("application/activity+json") || accept.contains("application/ld+json")
            || (accept.contains("application/json") && !accept.contains("text/html"))
    }

    static func json(_ value: JSONValue, status: HTTPResponse.Status = .ok, contentType: String = contentType)
        -> Response
    {
        Response(
            status: status, headers: [.contentType: contentType, .accessControlAllowOrigin: "*"],
            body: .init(byteBuffer: ByteBuffer(bytes: value.serialized)))
    }

    /// A small HTML page for browsers that open an actor's URL (the web client takes these over later).
    static func html(title: String, text: String, link: String) -> Response {
        func escape(_ string: String) -> String {
            string.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
                .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
        }
        let page = """
            <!doctype html>
            <html><head><meta charset="utf-8"><title>\(escape(title))</title>
            <link rel="alternate" type="application/activity+json" href="\(escape(link))"></head>
            <body><h1>\(escape(title))</h1><p>\(escape(text))</p></body></html>

            """
        return Response(
            status: .ok, headers: [.contentType: "text/html; charset=utf-8"],
            body: .init(byteBuffer: ByteBuffer(string: page)))
    }
}
