import Foundation
import HerdCore
import Testing

@Suite("Streaming JSON encoder")
struct StreamingJSONEncoderTests {
    struct Inner: Codable, Equatable {
        var id: Int?
        var label: String
    }

    struct Sample: Codable, Equatable {
        var text: String
        var escaped: String
        var unicode: String
        var number: Int
        var big: Int64
        var negative: Int
        var ratio: Double
        var whole: Double
        var flag: Bool
        var missing: String?
        var present: String?
        var list: [String]
        var empty: [Int]
        var nested: Inner
        var nestedList: [Inner]
        var matrix: [[Int]]
        var map: [String: Int]
        var optionalList: [Inner]?
    }

    static func sample(_ seed: Int) -> Sample {
        Sample(
            text: "plain \(seed)", escaped: "quote \" backslash \\ newline \n tab \t bell \u{7} slash /",
            unicode: "你好 世界 — émoji 🎬", number: seed, big: Int64.max - Int64(seed), negative: -seed - 1,
            ratio: 1.0 / 3.0 * Double(seed + 1), whole: 30, flag: seed % 2 == 0, missing: nil,
            present: seed % 3 == 0 ? nil : "here", list: (0..<seed % 4).map { "item \($0)" }, empty: [],
            nested: Inner(id: seed % 2 == 0 ? nil : seed, label: "Unknown"),
            nestedList: (0..<3).map { (index: Int) in Inner(id: index, label: "label " + String(index)) },
            matrix: [[1, 2], [], [3]],
            map: ["a": 1, "b": seed], optionalList: seed % 2 == 0 ? nil : [Inner(id: 1, label: "x")]
        )
    }

    @Test("the output decodes to the same value as Foundation's encoder gives", arguments: 0..<12)
    func matchesFoundation(seed: Int) throws {
        let value = Self.sample(seed)
        let bytes = try StreamingJSONEncoder().encode(value)
        let decoded = try JSONDecoder().decode(Sample.self, from: Data(bytes))
        #expect(decoded == value)
        let ours = try JSONSerialization.jsonObject(with: Data(bytes)) as? NSDictionary
        let theirs = try JSONSerialization.jsonObject(with: JSONEncoder().encode(value)) as? NSDictionary
        #expect(ours == theirs)
    }

    @Test("top-level values and arrays")
    func topLevel() throws {
        #expect(String(decoding: try StreamingJSONEncoder().encode([1, 2, 3]), as: UTF8.self) == "[1,2,3]")
        #expect(String(decoding: try StreamingJSONEncoder().encode("x"), as: UTF8.self) == "\"x\"")
        #expect(String(decoding: try StreamingJSONEncoder().encode([Inner]()), as: UTF8.self) == "[]")
        #expect(
            String(decoding: try StreamingJSONEncoder().encode(Inner(id: 5, label: "a")), as: UTF8.self)
                == #"{"id":5,"label":"a"}"#)
        #expect(throws: EncodingError.self) { try StreamingJSONEncoder().encode([Double.nan]) }
    }
}
