import Foundation
import HerdTestSupport
import Testing

/// Issue 7, first steps: the pages of `Web/` served by a real `herd serve`, driven in Debian's Chromium.
@Suite("Web client in a browser", .serialized)
struct WebClientTests {
    @Test("log in, upload through the page, watch it play past 5 s, seek, switch rung, comment; no outside requests")
    func flow() throws {
        let directory = try CommandLineTests.scratch()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let clip = directory + "/clip.mp4"
        try Tools.run(
            "/usr/bin/ffmpeg",
            [
                "-v", "error", "-f", "lavfi", "-i", "testsrc2=size=640x360:rate=30:duration=12", "-f", "lavfi", "-i",
                "sine=frequency=440:sample_rate=48000:duration=12", "-c:v", "libx264", "-preset", "veryfast",
                "-pix_fmt", "yuv420p", "-c:a", "aac", "-shortest", clip,
            ])
        let server = try ServerProcess(
            directory: directory,
            environment: [
                "HERD_ROOT_PASSWORD": "browser-password", "HERD_TRANSCODING_RESOLUTIONS_480P": "false",
                "HERD_TRANSCODING_RESOLUTIONS_720P": "false",
            ])
        defer { server.stop() }
        let home = try Curl.run([server.baseURL + "/"])
        #expect(home.status == 200 && home.body.contains("/client/js/home.js"))
        #expect(Curl.header("Content-Type", in: home.headers)?.hasPrefix("text/html") == true)
        let script = try Curl.run([server.baseURL + "/client/js/watch.js"])
        #expect(Curl.header("Content-Type", in: script.headers)?.hasPrefix("text/javascript") == true)
        #expect(try Curl.run([server.baseURL + "/client/../Package.swift"]).status == 404)

        let artifacts =
            ProcessInfo.processInfo.environment["HERD_ARTIFACTS"]
            ?? URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent(".build/artifacts/web").path
        let flow = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("browser/web_flow.py").path
        let run = try Subprocess.run(
            "/usr/bin/env", ["python3", flow, server.baseURL, "root", "browser-password", clip, artifacts],
            capture: .standardOutputOnly)
        let result = try #require(
            try? JSONSerialization.jsonObject(with: Data(run.output.utf8)) as? [String: Any], "\(run.output)")
        #expect(result["error"] is NSNull, "\(result)\n\(server.output.suffix(2000))")
        #expect((result["played"] as? Double ?? 0) > 5, "\(result)")
        #expect(result["seeked"] as? Bool == true)
        #expect(result["switchedTo"] as? Int == 240, "\(result)")
        #expect(result["commented"] as? Bool == true)
        #expect(result["theater"] as? Bool == true)
        #expect(result["searchFound"] as? Bool == true)
        #expect((result["pageErrors"] as? [Any])?.isEmpty == true, "\(result)")
        #expect((result["outsideRequests"] as? [Any])?.isEmpty == true, "\(result)")
        for page in ["login", "upload", "watch", "home", "my-videos", "search"] {
            for width in ["desktop", "phone"] {
                #expect(FileManager.default.fileExists(atPath: "\(artifacts)/\(page)-\(width).png"), "\(page) \(width)")
            }
        }
    }
}
