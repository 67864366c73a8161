import Foundation
import HerdTestSupport
import Testing

#if canImport(Glibc)
    import Glibc
#endif

@Suite("The event loops' time slices", .ownThread)
struct EventLoopSliceTests {
    /// Custom slices for ordinary threads came with Linux 6.12 (EEVDF's `sched_runtime`).
    static var kernelHasCustomSlices: Bool {
        var name = utsname()
        uname(&name)
        let release = withUnsafeBytes(of: &name.release) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
        let numbers = release.split(whereSeparator: { !$0.isNumber }).prefix(2).compactMap { Int($0) }
        guard numbers.count == 2 else { return false }
        return (numbers[0], numbers[1]) >= (6, 12)
    }

    @Test(
        "herd serve runs its event loops in 0.3 ms slices and leaves its other threads alone",
        .enabled(if: kernelHasCustomSlices))
    func eventLoopsHaveShortSlices() throws {
        let directory = NSTemporaryDirectory() + "herd-slices-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let server = try ServerProcess(directory: directory, environment: ["HERD_ROOT_PASSWORD": "root-pw"])
        defer { server.stop() }

        let threads = server.threadSlices
        // NIO names its singleton group's loops NIO-SGLTN-<group>-#<n> and its blocking pool NIO-SGLTN-TP-#<n>.
        let loops = threads.filter { $0.name.hasPrefix("NIO-SGLTN-") && !$0.name.hasPrefix("NIO-SGLTN-TP") }
        #expect(!loops.isEmpty)
        #expect(loops.allSatisfy { $0.slice == 300_000 }, "\(loops)")
        let others = threads.filter { !loops.map(\.name).contains($0.name) }
        #expect(!others.isEmpty)
        #expect(others.allSatisfy { $0.slice != 300_000 }, "\(others)")
    }
}
