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
