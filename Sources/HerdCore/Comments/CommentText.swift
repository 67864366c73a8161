/// The safe plain text of a comment: remote `Note` content is HTML (Mastodon wraps it in paragraphs and mention
/// links), reduced here to text with line breaks; never rendered as HTML.
///
/// The input is cut to `maxHTMLLength` before anything else, then read once, left to right: no regular expression
/// and no backtracking, so hostile HTML (a million `<`) costs time in proportion to its length.
public enum CommentText {
    public static let maxLength = 10_000
    /// How much remote HTML is read at most, in Unicode scalars (markup around `maxLength` characters of text).
    public static let maxHTMLLength = 100_000

    public static func plain(fromHTML html: String) -> String {
        let input = Array(html.unicodeScalars.prefix(maxHTMLLength))
        // A `<` after the last `>` opens no tag: every search for a tag's end then succeeds and is skipped over, so
        // the whole scan stays linear.
        let lastClose = input.lastIndex(of: ">") ?? -1
        var output = String.UnicodeScalarView()
        var index = 0
        // After `</p>`: the white space seen since, dropped if the next tag opens a paragraph.
        var afterParagraph: String.UnicodeScalarView?
        while index < input.count {
            let scalar = input[index]
            if scalar == "<", index < lastClose, let end = tagEnd(input, from: index) {
                let tag = Tag(input[(index + 1)..<end])
                switch tag {
                case .lineBreak: output.append("\n")
                case .paragraphEnd: afterParagraph = String.UnicodeScalarView()
                case .paragraphStart where afterParagraph != nil: output.append(contentsOf: "\n\n".unicodeScalars)
                default: break
                }
                if tag != .paragraphEnd, let pending = afterParagraph {
                    if tag != .paragraphStart { output.append(contentsOf: pending) }
                    afterParagraph = nil
                }
                index = end + 1
                continue
            }
            if afterParagraph != nil, scalar.properties.isWhitespace {
                afterParagraph?.append(scalar)
                index += 1
                continue
            }
            if let pending = afterParagraph {
                output.append(contentsOf: pending)
                afterParagraph = nil
            }
            if scalar == "&", let (character, length) = entity(input, at: index) {
                output.append(character)
                index += length
            } else {
                output.append(scalar)
                index += 1
            }
        }
        let text = String(output).trimmingWhitespace()
        return String(text.prefix(maxLength))
    }

    /// The index of the `>` closing a tag opened at `start` (at least one character between), or nil.
    private static func tagEnd(_ input: [Unicode.Scalar], from start: Int) -> Int? {
        var index = start + 1
        while index < input.count, input[index] != ">" { index += 1 }
        return index < input.count && index > start + 1 ? index : nil
    }

    private enum Tag: Equatable {
        case lineBreak, paragraphStart, paragraphEnd, other

        init(_ body: ArraySlice<Unicode.Scalar>) {
            // Only the name matters: `br`, `br/`, `br /`, `p`, `p class="…"`, `/p`.
            var name = ""
            for scalar in body.prefix(8) {
                if scalar.properties.isWhitespace || scalar == "/" && !name.isEmpty { break }
                name.unicodeScalars.append(scalar)
            }
            switch name.lowercased() {
            case "br": self = .lineBreak
            case "p": self = .paragraphStart
            case "/p": self = .paragraphEnd
            default: self = .other
            }
        }
    }

    private static let entities: [([Unicode.Scalar], Unicode.Scalar)] = [
        ("&lt;", "<"), ("&gt;", ">"), ("&quot;", "\""), ("&#39;", "'"), ("&apos;", "'"), ("&nbsp;", " "),
        ("&amp;", "&"),
    ].map { (Array($0.unicodeScalars), $1) }

    private static func entity(_ input: [Unicode.Scalar], at index: Int) -> (Unicode.Scalar, Int)? {
        for (name, character) in entities where input[index...].starts(with: name) {
            return (character, name.count)
        }
        return nil
    }
}

extension String {
    fileprivate func trimmingWhitespace() -> String {
        let scalars = unicodeScalars
        guard let first = scalars.firstIndex(where: { !$0.properties.isWhitespace }),
            let last = scalars.lastIndex(where: { !$0.properties.isWhitespace })
        else { return "" }
        return String(scalars[first...last])
    }
}
