import Foundation
import HerdTestSupport
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// Issue 14, against real `herd serve` processes on loopback: what a hostile network, a hostile upload or a plain
/// mishap (a taken port, a signal) must not do to the server.
@Suite("Security", .serialized)
struct SecurityTests {
    static func scratch() throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("herd-sec-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    /// A TCP socket listening on a loopback port, as another program holding that port would be.
    static func occupyPort() throws -> (fd: Int32, port: Int) {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let ok = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(fd, $0, length) == 0 && listen(fd, 8) == 0 && getsockname(fd, $0, &length) == 0
            }
        }
        guard ok else { throw ServerProcess.ServerError.exited("cannot occupy a port") }
        return (fd, Int(UInt16(bigEndian: address.sin_port)))
    }

    @Test("a start on a taken HTTP or seeder port ends at once with one clear line and a non-zero exit")
    func takenPorts() throws {
        let directory = try Self.scratch()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let taken = try Self.occupyPort()
        defer { close(taken.fd) }

        let http = try ServerProcess(directory: directory, port: taken.port, waits: false)
        defer { http.stop() }
        let httpStatus = http.exitStatus(within: 60)
        #expect(httpStatus != nil && httpStatus != 0, "still running or exited 0: \(http.output)")
        #expect(http.output.contains("Herd could not start: the HTTP server cannot listen on 127.0.0.1:\(taken.port)"))
        #expect(!http.output.contains("Herd is listening"))

        let seeder = try ServerProcess(
            directory: directory, environment: ["HERD_P2P_SEEDER_PORT": String(taken.port)], waits: false)
        defer { seeder.stop() }
        let seederStatus = seeder.exitStatus(within: 60)
        #expect(seederStatus != nil && seederStatus != 0, "still running or exited 0: \(seeder.output)")
        #expect(seeder.output.contains("Herd could not start: the seeder cannot listen on 127.0.0.1:\(taken.port)"))
        #expect(!seeder.output.contains("Herd is listening"))
    }

    @Test("SIGTERM and SIGINT stop the server within the grace period", arguments: [SIGTERM, SIGINT])
    func signals(signal: Int32) throws {
        let directory = try Self.scratch()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let server = try ServerProcess(directory: directory)
        defer { server.stop() }
        #expect(try Curl.run([server.baseURL + "/api/v1/config"]).status == 200)
        server.signal(signal)
        let status = server.exitStatus(within: 30)
        #expect(status != nil, "still running 30 s after the signal: \(server.output)")
        #expect(server.output.contains("Herd stopped"))
    }
}
