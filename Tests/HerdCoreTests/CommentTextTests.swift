import HerdCore
import Testing

@Suite("Remote HTML reduced to comment text")
struct CommentTextTests {
    @Test(
        "tags, paragraphs, line breaks and entities",
        arguments: [
            ("<p>a &amp; b<br>c</p><p>d &lt;3</p>", "a & b\nc\n\nd <3"),
            ("<p>one</p>\n  <p class=\"x\">two</p>", "one\n\ntwo"),
            ("<P>one</P><P>two</P>", "one\n\ntwo"),
            ("a<br/>b<BR />c<br class=\"x\">d", "a\nb\nc\nd"),
            ("<p>one</p> tail", "one tail"),
            ("<span class=\"h-card\"><a href=\"https://x/@u\">@<span>u</span></a></span> hi", "@u hi"),
            ("a <> b", "a <> b"),
            ("1 < 2 and 3 > 2", "1  2"),
            ("x < y", "x < y"),
            ("&amp;lt;b&amp;gt;", "&lt;b&gt;"),
            ("&lt;script&gt;", "<script>"),
            ("&unknown; &", "&unknown; &"),
            ("<pre>code</pre>", "code"),
            ("   ", ""),
        ])
    func reduces(html: String, text: String) {
        #expect(CommentText.plain(fromHTML: html) == text)
    }

    @Test("hostile HTML is cut first and read once")
    func hostile() {
        // A megabyte of `<` (the report that once stalled the inbox) and unclosed tags of every kind.
        let opens = String(repeating: "<", count: 1_000_000)
        #expect(CommentText.plain(fromHTML: opens).count == CommentText.maxLength)
        let unclosed = String(repeating: "<a href=\"", count: 200_000)
        #expect(CommentText.plain(fromHTML: unclosed).count == CommentText.maxLength)
        let closedLate = String(repeating: "<", count: 500_000) + ">after"
        #expect(CommentText.plain(fromHTML: closedLate).count == CommentText.maxLength)
        let entities = String(repeating: "&amp", count: 300_000)
        #expect(CommentText.plain(fromHTML: entities).count == CommentText.maxLength)
        let tags = String(repeating: "<p></p>", count: 14_000) + "end"
        #expect(CommentText.plain(fromHTML: tags) == "end")
        // Past the cut, nothing is read: what remains is the cut-off start of a tag, as text.
        #expect(CommentText.plain(fromHTML: String(repeating: "<p></p>", count: 300_000)) == "</")
    }
}
