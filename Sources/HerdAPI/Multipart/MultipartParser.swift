import Foundation

/// A streaming `multipart/form-data` parser (RFC 7578, RFC 2046 §5.1.1) as a pure state machine:
/// bytes go in, in chunks of any size, and events come out. Part bodies are never held whole, so a
/// 12 GB upload streams to disk through a small buffer.
struct MultipartParser {
    enum Event: Equatable {
        case partBegin(headers: [String: String])
        case partData([UInt8])
        case partEnd
        case end
    }

    enum ParseError: Error, Equatable {
        case missingBoundary
        case headersTooLarge
        case malformedHeaders
        case tooManyParts
        case truncated
    }

    enum State {
        case preamble
        case headers
        case body
        case afterDelimiter
        case epilogue
    }

    static let maxHeaderBytes = 16 * 1024
    static let maxParts = 64

    private let firstDelimiter: [UInt8]  // "--boundary"
    private let delimiter: [UInt8]  // "\r\n--boundary"
    private var buffer: [UInt8] = []
    private var state: State = .preamble
    private var parts = 0

    init(boundary: String) {
        firstDelimiter = Array("--\(boundary)".utf8)
        delimiter = Array("\r\n--\(boundary)".utf8)
    }

    var isFinished: Bool { state == .epilogue }

    /// Feeds the next bytes and returns the events they complete.
    mutating func feed(_ bytes: some Sequence<UInt8>) throws(ParseError) -> [Event] {
        buffer.append(contentsOf: bytes)
        var events: [Event] = []
        while try step(&events) {}
        return events
    }

    /// Call at the end of input: throws if the closing delimiter never came.
    func finish() throws(ParseError) {
        guard state == .epilogue else { throw .truncated }
    }

    /// One step of the machine; returns false when it needs more bytes.
    private mutating func step(_ events: inout [Event]) throws(ParseError) -> Bool {
        switch state {
        case .preamble:
            // The first delimiter may come at the very start (without a leading CRLF).
            if let index = Self.find(firstDelimiter, in: buffer, from: 0) {
                buffer.removeFirst(index + firstDelimiter.count)
                state = .afterDelimiter
                return true
            }
            // Keep only what could be the start of the delimiter.
            if buffer.count > firstDelimiter.count { buffer.removeFirst(buffer.count - firstDelimiter.count) }
            return false
        case .afterDelimiter:
            guard buffer.count >= 2 else { return false }
            if buffer[0] == UInt8(ascii: "-") && buffer[1] == UInt8(ascii: "-") {
                state = .epilogue
                events.append(.end)
                buffer.removeAll()
                return false
            }
            // Transport padding (spaces, tabs) may precede the CRLF.
            var index = 0
            while index < buffer.count, buffer[index] == 0x20 || buffer[index] == 0x09 { index += 1 }
            guard index + 1 < buffer.count else { return false }
            guard buffer[index] == 0x0D, buffer[index + 1] == 0x0A else { throw .malformedHeaders }
            buffer.removeFirst(index + 2)
            parts += 1
            guard parts <= Self.maxParts else { throw .tooManyParts }
            state = .headers
            return true
        case .headers:
            // A part with no headers at all starts directly with the blank line. Checked first: a blank line
            // further on belongs to its body, wherever the network cut the bytes (found by FuzzMultipart).
            if buffer.count >= 2, buffer[0] == 0x0D, buffer[1] == 0x0A {
                buffer.removeFirst(2)
                events.append(.partBegin(headers: [:]))
                state = .body
                return true
            }
            guard let end = Self.find(Array("\r\n\r\n".utf8), in: buffer, from: 0) else {
                guard buffer.count <= Self.maxHeaderBytes else { throw .headersTooLarge }
                return false
            }
            guard end <= Self.maxHeaderBytes else { throw .headersTooLarge }
            let headers = try Self.parseHeaders(buffer[0..<end])
            buffer.removeFirst(end + 4)
            events.append(.partBegin(headers: headers))
            state = .body
            return true
        case .body:
            if let index = Self.find(delimiter, in: buffer, from: 0) {
                if index > 0 { events.append(.partData(Array(buffer[0..<index]))) }
                events.append(.partEnd)
                buffer.removeFirst(index + delimiter.count)
                state = .afterDelimiter
                return true
            }
            // Emit all but the bytes that could begin a delimiter split across chunks.
            let keep = delimiter.count - 1
            if buffer.count > keep {
                let emit = buffer.count - keep
                events.append(.partData(Array(buffer[0..<emit])))
                buffer.removeFirst(emit)
            }
            return false
        case .epilogue:
            buffer.removeAll()
            return false
        }
    }

    static func find(_ needle: [UInt8], in haystack: [UInt8], from start: Int) -> Int? {
        guard needle.count <= haystack.count - start, let first = needle.first else { return nil }
        var index = start
        let last = haystack.count - needle.count
        return haystack.withUnsafeBufferPointer { hay in
            needle.withUnsafeBufferPointer { pattern in
                while index <= last {
                    if hay[index] == first {
                        var matched = true
                        for offset in 1..<pattern.count where hay[index + offset] != pattern[offset] {
                            matched = false
                            break
                        }
                        if matched { return index }
                    }
                    index += 1
                }
                return nil
            }
        }
    }

    static func parseHeaders(_ bytes: ArraySlice<UInt8>) throws(ParseError) -> [String: String] {
        var headers: [String: String] = [:]
        let text = String(decoding: bytes, as: UTF8.self)
        for line in text.split(separator: "\r\n", omittingEmptySubsequences: true) {
            guard let colon = line.firstIndex(of: ":") else { throw .malformedHeaders }
            let name = line[..<colon].trimmingCharacters(in: .whitespaces).lowercased()
            let value = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
            guard !name.isEmpty else { throw .malformedHeaders }
            headers[name] = value
        }
        return headers
    }
}

extension MultipartParser {
    /// The `boundary` parameter of a `multipart/form-data` Content-Type.
    static func boundary(fromContentType contentType: String) -> String? {
        let parts = contentType.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) }
        guard let type = parts.first, type.lowercased() == "multipart/form-data" else { return nil }
        for parameter in parts.dropFirst() {
            let pair = parameter.split(separator: "=", maxSplits: 1)
            guard pair.count == 2, pair[0].trimmingCharacters(in: .whitespaces).lowercased() == "boundary" else {
                continue
            }
            var value = pair[1].trimmingCharacters(in: .whitespaces)
            if value.hasPrefix("\""), value.hasSuffix("\""), value.count >= 2 {
                value = String(value.dropFirst().dropLast())
            }
            return (1...70).contains(value.count) ? value : nil
        }
        return nil
    }

    /// `name` and `filename` from a part's Content-Disposition header.
    static func disposition(_ headers: [String: String]) -> (name: String, filename: String?)? {
        guard let value = headers["content-disposition"] else { return nil }
        var name: String?
        var filename: String?
        for parameter in value.split(separator: ";").dropFirst() {
            let pair = parameter.split(separator: "=", maxSplits: 1)
            guard pair.count == 2 else { continue }
            let key = pair[0].trimmingCharacters(in: .whitespaces).lowercased()
            var value = pair[1].trimmingCharacters(in: .whitespaces)
            if value.hasPrefix("\""), value.hasSuffix("\""), value.count >= 2 {
                value = String(value.dropFirst().dropLast())
            }
            if key == "name" { name = value }
            if key == "filename" { filename = value }
        }
        return name.map { ($0, filename) }
    }
}
