import Foundation

#if canImport(FoundationXML)
    import FoundationXML
#endif

/// The few S3 XML documents Herd reads and writes (S3 API reference: ListObjectsV2, CreateMultipartUpload,
/// CompleteMultipartUpload, Error). Responses are read with libxml2's SAX parser into leaf texts by path; their size
/// is bounded by the caller.
public enum S3XML {
    /// A `ListObjectsV2` page.
    public struct ListPage: Sendable, Equatable {
        public var keys: [String]
        /// The folders under the listed prefix, with `delimiter=/`.
        public var commonPrefixes: [String]
        /// Set when more keys follow: pass it as `continuation-token`.
        public var continuationToken: String?

        public init(keys: [String] = [], commonPrefixes: [String] = [], continuationToken: String? = nil) {
            self.keys = keys
            self.commonPrefixes = commonPrefixes
            self.continuationToken = continuationToken
        }
    }

    /// An S3 error document's code and message (`NoSuchKey`, `SignatureDoesNotMatch`, …).
    public struct ErrorBody: Sendable, Equatable {
        public var code: String
        public var message: String
    }

    public static func listPage(_ bytes: [UInt8]) throws(S3XMLError) -> ListPage {
        let leaves = try self.leaves(bytes, root: "ListBucketResult")
        let truncated = leaves.first { $0.path == "ListBucketResult/IsTruncated" }?.text == "true"
        return ListPage(
            keys: leaves.filter { $0.path == "ListBucketResult/Contents/Key" }.map(\.text),
            commonPrefixes: leaves.filter { $0.path == "ListBucketResult/CommonPrefixes/Prefix" }.map(\.text),
            continuationToken: truncated
                ? leaves.first { $0.path == "ListBucketResult/NextContinuationToken" }?.text : nil)
    }

    /// `CreateMultipartUpload`'s upload id.
    public static func uploadId(_ bytes: [UInt8]) throws(S3XMLError) -> String {
        let leaves = try self.leaves(bytes, root: "InitiateMultipartUploadResult")
        guard let id = leaves.first(where: { $0.path == "InitiateMultipartUploadResult/UploadId" })?.text, !id.isEmpty
        else { throw S3XMLError("no UploadId") }
        return id
    }

    /// The error of a refused request; nil when the body is not an S3 error document.
    public static func error(_ bytes: [UInt8]) -> ErrorBody? {
        guard let leaves = try? self.leaves(bytes, root: "Error") else { return nil }
        let code = leaves.first { $0.path == "Error/Code" }?.text ?? ""
        return code.isEmpty
            ? nil : ErrorBody(code: code, message: leaves.first { $0.path == "Error/Message" }?.text ?? "")
    }

    /// `CompleteMultipartUpload`'s body: each part's number and ETag, in order.
    public static func completeMultipartUpload(_ parts: [(number: Int, etag: String)]) -> [UInt8] {
        var xml = "<CompleteMultipartUpload xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\">"
        for part in parts {
            xml += "<Part><PartNumber>\(part.number)</PartNumber><ETag>\(escape(part.etag))</ETag></Part>"
        }
        return Array((xml + "</CompleteMultipartUpload>").utf8)
    }

    static func escape(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
    }

    struct Leaf: Equatable {
        var path: String
        var text: String
    }

    /// Every element's text by its path from the root (`ListBucketResult/Contents/Key`), in document order. Refuses
    /// a document whose root is not `root`, unfinished, deeper than 8 levels, or with a DTD.
    static func leaves(_ bytes: [UInt8], root: String) throws(S3XMLError) -> [Leaf] {
        // S3 documents have no DTD; one with a DTD is refused before libxml2 reads (and expands) it.
        if contains(bytes, "<!DOCTYPE") || contains(bytes, "<!ENTITY") { throw S3XMLError("a DTD") }
        // Nor NUL bytes or invalid UTF-8: Foundation's XMLParser traps on such an element name (found by FuzzS3XML).
        guard !bytes.contains(0), String(validating: bytes, as: UTF8.self) != nil else {
            throw S3XMLError("not UTF-8 text")
        }
        // The XML declaration is dropped here (the text is UTF-8 whatever it says: libxml2 crashes switching to some
        // encodings it names, such as UTF-7), and no other processing instruction is allowed (the parser dereferences
        // a PI's missing data, `<?x?>`). Both found by FuzzS3XML.
        var body = bytes[...]
        if body.starts(with: "<?xml ".utf8) {
            guard let end = firstRange(of: "?>", in: body) else { throw S3XMLError("an unfinished XML declaration") }
            body = body[end.upperBound...]
        }
        if firstRange(of: "<?", in: body) != nil { throw S3XMLError("a processing instruction") }
        let collector = LeafCollector()
        let parser = XMLParser(data: Data(body))
        parser.shouldResolveExternalEntities = false
        parser.delegate = collector
        guard parser.parse(), collector.failure == nil else {
            throw S3XMLError(collector.failure ?? "unreadable XML: \(parser.parserError.map { "\($0)" } ?? "?")")
        }
        guard collector.stack.isEmpty else { throw S3XMLError("the document ends inside <\(collector.stack.last!)>") }
        guard collector.root == root else { throw S3XMLError("expected <\(root)>, got <\(collector.root ?? "")>") }
        return collector.leaves
    }
}

/// Whether `bytes` holds `text` (a plain scan: the documents are bounded by the caller).
private func contains(_ bytes: [UInt8], _ text: StaticString) -> Bool {
    firstRange(of: text, in: bytes[...]) != nil
}

/// Where `text` first occurs in `bytes`.
private func firstRange(of text: StaticString, in bytes: ArraySlice<UInt8>) -> Range<Int>? {
    let needle = UnsafeBufferPointer(start: text.utf8Start, count: text.utf8CodeUnitCount)
    guard bytes.count >= needle.count else { return nil }
    for start in bytes.startIndex...(bytes.endIndex - needle.count) where bytes[start] == needle[0] {
        if bytes[start..<start + needle.count].elementsEqual(needle) { return start..<start + needle.count }
    }
    return nil
}

public struct S3XMLError: Error, CustomStringConvertible {
    public let description: String
    init(_ description: String) { self.description = description }
}

/// SAX delegate: a stack of element names and the text of each element that closes.
private final class LeafCollector: NSObject, XMLParserDelegate {
    static let maximumDepth = 8

    var stack: [String] = []
    var text = ""
    var leaves: [S3XML.Leaf] = []
    var root: String?
    var failure: String?

    func parser(
        _ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?,
        attributes: [String: String] = [:]
    ) {
        if root == nil { root = name }
        stack.append(name)
        text = ""
        if stack.count > Self.maximumDepth {
            failure = "nested deeper than \(Self.maximumDepth)"
            parser.abortParsing()
        }
    }

    func parser(_ parser: XMLParser, foundCharacters string: String) { text += string }

    /// The first error ends the parse: libxml2 would go on recovering, and Foundation leaks a string for each error it
    /// reports (FuzzS3XML ran out of memory on a document with hundreds of them).
    func parser(_ parser: XMLParser, parseErrorOccurred parseError: any Error) {
        failure = failure ?? "unreadable XML: \(parseError)"
        parser.abortParsing()
    }

    func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {
        leaves.append(S3XML.Leaf(path: stack.joined(separator: "/"), text: text))
        stack.removeLast()
        text = ""
    }
}
