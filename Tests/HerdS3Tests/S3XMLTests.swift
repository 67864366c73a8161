import Foundation
import HerdS3
import Testing

@Suite("S3 XML documents")
struct S3XMLTests {
    let ns = #"xmlns="http://s3.amazonaws.com/doc/2006-03-01/""#

    @Test("a ListObjectsV2 page: keys, folders, and the token only while truncated")
    func listPage() throws {
        let page = try S3XML.listPage(
            Array(
                """
                <?xml version="1.0" encoding="UTF-8"?><ListBucketResult \(ns)><Name>v</Name>\
                <IsTruncated>true</IsTruncated><NextContinuationToken>tok/en=</NextContinuationToken>\
                <Contents><Key>hls/a &amp; b/x.mp4</Key><Size>3</Size></Contents><Contents><Key>y</Key></Contents>\
                <CommonPrefixes><Prefix>hls/c/</Prefix></CommonPrefixes></ListBucketResult>
                """.utf8))
        #expect(
            page
                == S3XML.ListPage(
                    keys: ["hls/a & b/x.mp4", "y"], commonPrefixes: ["hls/c/"], continuationToken: "tok/en="))
        let last = try S3XML.listPage(
            Array(
                "<ListBucketResult><IsTruncated>false</IsTruncated><NextContinuationToken>x</NextContinuationToken></ListBucketResult>"
                    .utf8))
        #expect(last.continuationToken == nil && last.keys.isEmpty)
    }

    @Test("an upload id, an error document, a completion body")
    func documents() throws {
        #expect(
            try S3XML.uploadId(
                Array(
                    "<InitiateMultipartUploadResult \(ns)><UploadId>VXBs+b2Fk</UploadId></InitiateMultipartUploadResult>"
                        .utf8)) == "VXBs+b2Fk")
        let error = S3XML.error(Array("<Error><Code>NoSuchKey</Code><Message>gone</Message></Error>".utf8))
        #expect(error?.code == "NoSuchKey" && error?.message == "gone")
        #expect(S3XML.error(Array("<html>502</html>".utf8)) == nil)
        #expect(
            String(decoding: S3XML.completeMultipartUpload([(1, "\"a<b\""), (2, "\"c\"")]), as: UTF8.self)
                == "<CompleteMultipartUpload \(ns)><Part><PartNumber>1</PartNumber><ETag>&quot;a&lt;b&quot;</ETag>"
                + "</Part><Part><PartNumber>2</PartNumber><ETag>&quot;c&quot;</ETag></Part></CompleteMultipartUpload>")
    }

    @Test("hostile documents are errors: entity declarations, deep nesting, another root, garbage, nothing")
    func hostile() {
        let laughs = """
            <?xml version="1.0"?><!DOCTYPE l [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">\
            <!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;">]><ListBucketResult><Contents><Key>&c;</Key></Contents></ListBucketResult>
            """
        let deep =
            "<ListBucketResult>" + String(repeating: "<a>", count: 20) + String(repeating: "</a>", count: 20)
            + "</ListBucketResult>"
        for document in [laughs, deep, "<Other><Key>x</Key></Other>", "<ListBucketResult><Contents>", "\u{0}\u{1}", ""]
        {
            #expect(throws: S3XMLError.self, "\(document.prefix(40))") { try S3XML.listPage(Array(document.utf8)) }
        }
        #expect(throws: S3XMLError.self) { try S3XML.uploadId(Array("<InitiateMultipartUploadResult/>".utf8)) }
    }

    @Test(
        "what FuzzS3XML found: invalid UTF-8 and NUL bytes in a name, processing instructions, a UTF-7 declaration, hundreds of errors (each leaked by Foundation): errors, not a crash",
        arguments: [
            "crash-invalid-utf8-element-name.xml", "crash-processing-instruction-without-data.xml",
            "crash-processing-instruction-after-declaration.xml", "oom-hundreds-of-errors.xml",
            "crash-utf7-declaration.xml",
        ])
    func fuzzFindings(_ name: String) throws {
        let crash = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("Vectors/fuzz/" + name)
        let bytes = Array(try Data(contentsOf: crash))
        #expect(throws: S3XMLError.self) { try S3XML.listPage(bytes) }
        #expect(throws: S3XMLError.self) {
            try S3XML.listPage(Array("<?xml version=\"1.0\"?><?x?><ListBucketResult/>".utf8))
        }
        // The declaration that opens a document stays allowed.
        #expect(try S3XML.listPage(Array("<?xml version=\"1.0\"?><ListBucketResult/>".utf8)).keys.isEmpty)
        #expect(throws: S3XMLError.self) { try S3XML.uploadId(Array("<a\u{0}b/>".utf8)) }
        #expect(S3XML.error([0x3C, 0x45, 0xC9, 0x01, 0x3E]) == nil)
    }
}
