import Testing

@testable import HerdTracker

@Suite("JSON (RFC 8259) for WebSocket frames")
struct JSONTests {
    @Test func parsesAndWritesBack() throws {
        let text = #"{"a":[1,-2,3.5,true,false,null],"b":"x\"y\\z\n\u00e9\ud83d\ude00","c":{}}"#
        let value = try JSONParser.parse(text)
        #expect(value["a"] == .array([.integer(1), .integer(-2), .double(3.5), .bool(true), .bool(false), .null]))
        #expect(value["b"]?.string == "x\"y\\z\né😀")
        #expect(value["c"] == .object([]))
        #expect(value.jsonText == #"{"a":[1,-2,3.5,true,false,null],"b":"x\"y\\z\né😀","c":{}}"#)
    }

    @Test(
        "malformed JSON is refused",
        arguments: [
            "", "{", "{\"a\":}", "[1,]", "{\"a\":1,}", "01", "1.", "-", "\"\\x\"", "\"\u{01}\"", "\"\\ud800\"",
            "\"\\udc00\"", "tru", "{} {}", "{'a':1}", "[" + String(repeating: "[", count: 40) + "]",
        ])
    func malformed(text: String) {
        #expect(throws: JSONParser.Failure.self) { try JSONParser.parse(text) }
    }

    @Test func binaryStringsRoundTrip() throws {
        let bytes: [UInt8] = [0x00, 0x0D, 0x0A, 0x22, 0x5C, 0x7F, 0x80, 0xE9, 0xFF] + Array(repeating: 0x41, count: 11)
        let text = JSONValue.string(BinaryString.string(bytes)).jsonText
        #expect(text.hasPrefix(#""\u0000\r\n\"\\"#))
        let back = try JSONParser.parse(text)
        #expect(BinaryString.twenty(back) == bytes)
        #expect(BinaryString.bytes("€") == nil)
        #expect(BinaryString.twenty(.string(String(repeating: "a", count: 40))) == nil)
        #expect(Fixture.peerTubeHash.binaryString.unicodeScalars.count == 20)
    }

    @Test func integersFromDoubles() {
        #expect(JSONValue.double(5).integer == 5)
        #expect(JSONValue.double(5.5).integer == nil)
        #expect(JSONValue.string("5").integer == nil)
    }
}
