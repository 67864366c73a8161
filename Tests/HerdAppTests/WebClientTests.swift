import Foundation
import HerdTestSupport
import Testing

/// Issue 7, first steps: the pages of `Web/` served by a real `herd serve`, driven in Debian's Chromium.
@Suite("Web client in a browser", .serialized, .ownThread)
struct WebClientTests {
    @Test("log in, upload through the page, watch it play past 5 s, seek, switch rung, comment; no outside requests")
    func flow() throws {
        let directory = try CommandLineTests.scratch()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let clip = directory + "/clip.mp4"
        try Tools.clip(at: clip, seconds: 12)
        // Over two 8 MiB chunks: noise does not compress.
        let bigClip = directory + "/big.mp4"
        try Tools.run(
            "/usr/bin/ffmpeg",
            [
                "-v", "error", "-f", "lavfi", "-i", "nullsrc=s=640x360:r=30:d=8,geq=random(1)*255:128:128",
                "-c:v", "libx264", "-preset", "ultrafast", "-qp", "0", "-pix_fmt", "yuv420p", bigClip,
            ])
        let size = (try FileManager.default.attributesOfItem(atPath: bigClip)[.size] as? NSNumber)?.intValue ?? 0
        try #require(size > 17 * 1024 * 1024, "the big clip has \(size) bytes")
        let server = try ServerProcess(
            directory: directory,
            environment: [
                "HERD_ROOT_PASSWORD": "browser-password", "HERD_TRANSCODING_RESOLUTIONS_480P": "false",
                "HERD_TRANSCODING_RESOLUTIONS_720P": "false", "HERD_FEDERATION_ALLOW_PRIVATE_ADDRESSES": "true",
            ])
        defer { server.stop() }
        try FileManager.default.createDirectory(atPath: directory + "/other", withIntermediateDirectories: true)
        let other = try ServerProcess(
            directory: directory + "/other",
            environment: [
                "HERD_STORAGE_DIR": directory + "/other/storage", "HERD_ROOT_PASSWORD": "other-password",
                "HERD_FEDERATION_ALLOW_PRIVATE_ADDRESSES": "true", "HERD_P2P_ENABLED": "false",
            ])
        defer { other.stop() }
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
            "/usr/bin/env",
            [
                "python3", flow, server.baseURL, "root", "browser-password", clip, artifacts, bigClip,
                "\(other.host):\(other.port)",
            ],
            environment: [
                "WEB_FLOW_MEDIA_ORIGINS": try TestObjectStorage.environment(for: directory)[
                    "HERD_OBJECT_STORAGE_ENDPOINT"]
                    ?? ""
            ],
            capture: .standardOutputOnly)
        let result = try #require(
            try? JSONSerialization.jsonObject(with: Data(run.output.utf8)) as? [String: Any], "\(run.output)")
        #expect(result["error"] is NSNull, "\(result)\n\(server.output.suffix(2000))")
        #expect((result["played"] as? Double ?? 0) > 5, "\(result)")
        #expect(result["seeked"] as? Bool == true)
        #expect(result["switchedTo"] as? Int == 240, "\(result)")
        #expect(result["commented"] as? Bool == true)
        #expect(result["replied"] as? Bool == true, "\(result)")
        #expect(result["theater"] as? Bool == true)
        #expect(result["searchFound"] as? Bool == true)
        #expect((result["pageErrors"] as? [Any])?.isEmpty == true, "\(result)")
        #expect((result["outsideRequests"] as? [Any])?.isEmpty == true, "\(result)")
        #expect(result["embedPlayed"] as? Bool == true, "\(result)")
        #expect(result["madePrivate"] as? Int == 204 && result["madeProtected"] as? Int == 204, "\(result)")
        #expect(result["privatePlayed"] as? Bool == true, "\(result)")
        #expect(result["passwordPlayed"] as? Bool == true, "\(result)")
        #expect(result["madePublic"] as? Int == 204, "\(result)")
        #expect(result["ogTitle"] as? String == "Uploaded from the browser", "\(result)")
        #expect(result["droppedOnce"] as? Bool == true, "\(result)")
        #expect(result["resumedFrom"] as? Int == 16 * 1024 * 1024, "the reloaded page started over: \(result)")
        #expect(result["followed"] as? Bool == true, "\(result)")
        #expect(result["signedUp"] as? Bool == true, "\(result)")
        #expect(result["remoteInteraction"] as? Bool == true, "\(result)")
        // oEmbed for the watch page: an iframe of the embed page; other URLs and formats are refused.
        let watchURL = try #require(result["watchUrl"] as? String)
        let encoded = watchURL.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!
        let oembed = try Curl.run([server.baseURL + "/services/oembed?format=json&url=" + encoded])
        let card = try Curl.json(oembed.body)
        #expect(card["type"] as? String == "video" && card["version"] as? String == "1.0", "\(oembed.body)")
        #expect((card["html"] as? String ?? "").contains("/videos/embed/"), "\(card)")
        #expect(
            try Curl.run([server.baseURL + "/services/oembed?url=https%3A%2F%2Felsewhere.example%2Fx"]).status == 404)
        #expect(try Curl.run([server.baseURL + "/services/oembed?format=xml&url=" + encoded]).status == 422)
        #expect(try Curl.run([server.baseURL + "/services/oembed"]).status == 400)
        for page in ["login", "upload", "watch", "embed", "admin", "home", "my-videos", "search", "channel"] {
            for width in ["desktop", "phone"] {
                #expect(FileManager.default.fileExists(atPath: "\(artifacts)/\(page)-\(width).png"), "\(page) \(width)")
            }
        }
    }

    @Test("a newcomer's walk on the default configuration: every step shows the right outcome, nothing fails")
    func newcomer() throws {
        let directory = try CommandLineTests.scratch()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let clip = directory + "/clip.mp4"
        try Tools.clip(at: clip, seconds: 4)
        // The default configuration (only the port is free-chosen): the administrator's password is the one printed.
        let server = try ServerProcess(directory: directory)
        defer { server.stop() }
        let printed = server.output.split(separator: "\n").first { $0.contains("Password: ") }
        let password = try #require(printed.map { String($0.split(separator: " ").last ?? "") }, "\(server.output)")
        #expect(server.output.contains("open http://127.0.0.1:\(server.port)/"), "\(server.output)")

        let artifacts =
            ProcessInfo.processInfo.environment["HERD_ARTIFACTS"]
            ?? URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent(".build/artifacts/web").path
        let walk = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("browser/newcomer.py").path
        let run = try Subprocess.run(
            "/usr/bin/env", ["python3", walk, server.baseURL, password, clip, artifacts], capture: .standardOutputOnly)
        let result = try #require(
            try? JSONSerialization.jsonObject(with: Data(run.output.utf8)) as? [String: Any], "\(run.output)")
        let log = server.output.suffix(3000)
        try #require(result["error"] is NSNull, "\(result)\n\(log)")
        #expect((result["problems"] as? [String])?.isEmpty == true, "\(result["problems"] ?? "")")
        #expect(result["loggedIn"] as? Bool == true && result["nightModeShown"] as? Bool == true, "\(result)")
        #expect((result["refusedUploadShown"] as? String)?.hasPrefix("Upload failed") == true, "\(result)")
        #expect(result["views"] as? Int == 2 && result["viewsShown"] as? Bool == true, "\(result)")
        #expect(result["likedThenUnliked"] as? Bool == true, "\(result)")
        #expect(result["replyFormsClosed"] as? Bool == true && result["replyFormOpens"] as? Bool == true, "\(result)")
        #expect(result["replied"] as? Bool == true, "\(result)")
        #expect(result["askedToLogIn"] as? Bool == true && result["draftKept"] as? Bool == true, "\(result)")
        #expect(result["visitorCommented"] as? Bool == true, "\(result)")
        for page in ["missing-video", "unknown-page", "missing-channel"] {
            let found = result[page] as? [String: Any]
            #expect(found?["status"] as? Int == 404 && found?["wayBack"] as? Bool == true, "\(page): \(result)")
        }
        #expect(result["signupClosed"] as? Bool == true && result["adminRefused"] as? Bool == true, "\(result)")
        #expect(result["deleteReachableOnPhone"] as? Bool == true, "\(result)")
        #expect(result["skipLinkFirst"] as? Bool == true, "\(result)")
        #expect(
            result["watchSkipLink"] as? Bool == true && result["playerAfterSkip"] as? String == "video", "\(result)")
        #expect(result["privateRefused"] as? Bool == true, "\(result)")
        #expect(result["offSiteNextRefused"] as? Bool == true, "\(result)")
        #expect(result["jobsNameVideos"] as? Bool == true && result["defaultRouteShown"] as? Bool == true, "\(result)")
        for state in [
            "upload-refused", "liked", "comment", "comment-login", "missing-video", "unknown-page", "missing-channel",
            "signup-closed", "admin-refused", "admin-users-phone", "private-video",
        ] {
            #expect(FileManager.default.fileExists(atPath: "\(artifacts)/newcomer-\(state).png"), "\(state)")
        }
    }

    @Test("peer sharing: a second viewer gets most segments from the first over WebRTC; damaged ones are refused")
    func peerSharing() throws {
        let directory = try CommandLineTests.scratch()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let clip = directory + "/clip.mp4"
        try Tools.clip(at: clip, seconds: 40)
        let browser = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("browser").path
        // WebRTC needs an interface besides loopback: the server and the browsers share a private network namespace.
        let run = try Subprocess.run(
            browser + "/in_netns.sh",
            ["python3", browser + "/p2p_share.py", HerdBinary.path, clip, directory + "/work"],
            capture: .standardOutputOnly)
        let result = try #require(
            try? JSONSerialization.jsonObject(with: Data(run.output.utf8)) as? [String: Any], "\(run.output)")
        #expect(result["error"] is NSNull, "\(result)")
        let first = result["a"] as? [String: Any] ?? [:]
        let second = result["b"] as? [String: Any] ?? [:]
        let fourth = result["d"] as? [String: Any] ?? [:]
        let segments = second["segments"] as? Int ?? 0
        #expect(segments >= 5, "\(result)")
        #expect(first["httpSegments"] as? Int == segments, "the first viewer has nobody to share with: \(first)")
        #expect(2 * (second["peerSegments"] as? Int ?? 0) >= segments, "\(second)")
        #expect(second["rejected"] as? Int == 0 && second["failure"] is NSNull, "\(second)")
        #expect((fourth["rejected"] as? Int ?? 0) >= 1 && fourth["peerSegments"] as? Int == 0, "\(fourth)")
        #expect(fourth["httpSegments"] as? Int == segments && (fourth["currentTime"] as? Double ?? 0) > 2, "\(fourth)")
    }
}
