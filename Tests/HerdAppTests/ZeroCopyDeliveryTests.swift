import Foundation
import HerdTestSupport
import Testing

/// Issue 16: a real `herd serve` sends static files by `sendfile` (`ZeroCopyFiles`): whole files, ranges, HEAD,
/// conditional requests and many ranges at once on the same connections come back byte for byte, and a paced
/// instance (`p2p.max_upload_rate`) still serves the same bytes through its reading path.
@Suite("Zero-copy static delivery", .serialized, .ownThread)
struct ZeroCopyDeliveryTests {
    @Test("whole files, ranges, HEAD and 200 concurrent ranges are the file's bytes, paced or not")
    func bytesAreTheFiles() throws { try Self.bytesAreTheFiles() }

    static func bytesAreTheFiles() throws {
        for paced in [false, true] {
            let directory = try SecurityTests.scratch()
            defer { try? FileManager.default.removeItem(atPath: directory) }
            // Files on the local disk, which sendfile is for, even when the suite runs on object storage.
            var environment = ["HERD_OBJECT_STORAGE_ENABLED": "false"]
            if paced { environment["HERD_P2P_MAX_UPLOAD_RATE"] = "500MB" }
            let server = try ServerProcess(directory: directory, environment: environment)
            defer { server.stop() }
            // 3 MiB of noise, beside the web videos (a mount that anyone may read).
            var generator = SystemRandomNumberGenerator()
            let bytes = (0..<(3 << 20)).map { _ in UInt8.random(in: 0...255, using: &generator) }
            let name = "zero-copy-check.mp4"
            try Data(bytes).write(to: URL(fileURLWithPath: directory + "/storage/web-videos/" + name))
            let url = server.baseURL + "/static/web-videos/" + name

            let whole = directory + "/whole"
            #expect(try Subprocess.run("/usr/bin/curl", ["-sf", "-o", whole, url]).status == 0)
            #expect(try Data(contentsOf: URL(fileURLWithPath: whole)) == Data(bytes), "paced: \(paced)")
            let head = try Curl.run(["-I", url])
            #expect(head.status == 200 && Curl.header("Content-Length", in: head.headers) == String(bytes.count))
            let etag = try #require(Curl.header("ETag", in: head.headers))
            #expect(try Curl.run(["-H", "If-None-Match: \(etag)", url]).status == 304)

            // 200 ranges, 50 at a time over reused connections: each its own bytes.
            var ranges: [(Int, Int)] = [(0, 0), (bytes.count - 1, bytes.count - 1), (0, bytes.count - 1)]
            while ranges.count < 200 {
                let start = Int.random(in: 0..<bytes.count, using: &generator)
                ranges.append((start, min(bytes.count - 1, start + Int.random(in: 0..<(300 << 10), using: &generator))))
            }
            var arguments = ["-s", "--parallel", "--parallel-max", "50"]
            for (index, range) in ranges.enumerated() {
                arguments += ["-r", "\(range.0)-\(range.1)", "-o", "\(directory)/range-\(index)", url]
                if index < ranges.count - 1 { arguments.append("--next") }
            }
            // `--next` resets options: each transfer names its own range and output; parallelism is global.
            #expect(try Subprocess.run("/usr/bin/curl", arguments).status == 0)
            for (index, range) in ranges.enumerated() {
                let got = try Data(contentsOf: URL(fileURLWithPath: "\(directory)/range-\(index)"))
                #expect(got == Data(bytes[range.0...range.1]), "range \(range) (paced: \(paced))")
            }
            #expect(try Curl.run(["-r", "\(bytes.count)-", url]).status == 416)
        }
    }
}
