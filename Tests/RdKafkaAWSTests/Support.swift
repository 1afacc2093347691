import Foundation
import TestSupport
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// The repository's root, for the scripts under scripts/aws.
let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent()

/// scripts/aws/credentials_server.py, started on 127.0.0.1 and stopped by its pid.
struct CredentialsServer {
    let pid: Int32
    let port: Int

    /// Starts a server with `configuration` (see the script); it accepts connections once this returns.
    static func start(_ configuration: [String: Any]) async throws -> CredentialsServer {
        let json = String(decoding: try JSONSerialization.data(withJSONObject: configuration), as: UTF8.self)
        let outcome = try await ChildProcess.run(
            "/usr/bin/env", ["python3", repositoryRoot.appendingPathComponent("scripts/aws/credentials_server.py").path, json])
        try #require(outcome.status == 0, "credentials_server.py: \(String(decoding: outcome.errors, as: UTF8.self))")
        struct Started: Decodable {
            var pid: Int32
            var port: Int
        }
        let started = try JSONDecoder().decode(Started.self, from: outcome.output)
        return CredentialsServer(pid: started.pid, port: started.port)
    }

    var url: String { "http://127.0.0.1:\(port)" }

    func stop() {
        kill(pid, SIGTERM)
    }
}

/// A folder of its own for one test's files, removed by `remove()`.
struct TemporaryFolder {
    let path: String

    init() throws {
        path = FileManager.default.temporaryDirectory.appendingPathComponent("aws-test-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    /// Writes `text` to `name` in the folder and returns its path.
    func write(_ name: String, _ text: String) throws -> String {
        let file = path + "/" + name
        try text.write(toFile: file, atomically: true, encoding: .utf8)
        return file
    }

    func remove() {
        try? FileManager.default.removeItem(atPath: path)
    }
}

/// A port on 127.0.0.1 that nothing listens on: bound by the kernel's choice, then closed.
func closedPort() throws -> Int {
    let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    try #require(descriptor >= 0)
    defer { close(descriptor) }
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    address.sin_port = 0
    var length = socklen_t(MemoryLayout<sockaddr_in>.size)
    let bound = withUnsafeMutablePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
            bind(descriptor, $0, length) == 0 && getsockname(descriptor, $0, &length) == 0
        }
    }
    try #require(bound)
    return Int(UInt16(bigEndian: address.sin_port))
}
