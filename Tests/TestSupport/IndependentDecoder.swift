import Foundation

/// Runs scripts/broker/decode-back, the independent decoders (fastavro, protobuf, kafka-python).
public enum IndependentDecoder {
    /// The repository's root, found from this file's place in it.
    public static let repositoryRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// Whether scripts/broker/setup has unpacked fastavro and protobuf into .tmp/broker/py.
    public static var isInstalled: Bool {
        let py = repositoryRoot.appendingPathComponent(".tmp/broker/py")
        return ["fastavro/__init__.py", "google/protobuf/__init__.py", "kafka/__init__.py"].allSatisfy {
            FileManager.default.fileExists(atPath: py.appendingPathComponent($0).path)
        }
    }

    /// Why tests that need the decoders are off.
    public static let missingReason =
        "fastavro and protobuf are not in .tmp/broker/py: run scripts/broker/setup (scripts/test runs it)"

    /// Runs decode-back with `arguments`, feeding `input` on stdin, and parses what it printed.
    public static func run(_ arguments: [String], input: String = "") async throws -> JSONValue {
        try JSONDecoder().decode(JSONValue.self, from: try await output(arguments, input: input))
    }

    /// Runs decode-back with `arguments`, feeding `input` on stdin, and returns what it printed.
    public static func output(_ arguments: [String], input: String = "") async throws -> Data {
        let script = repositoryRoot.appendingPathComponent("scripts/broker/decode-back").path
        let outcome = try await ChildProcess.run(script, arguments, input: Data(input.utf8))
        guard outcome.status == 0 else {
            throw DecodeBackFailure(status: outcome.status, stderr: String(decoding: outcome.errors, as: UTF8.self))
        }
        return outcome.output
    }

    /// decode-back exited non-zero.
    public struct DecodeBackFailure: Error, CustomStringConvertible {
        /// Its exit status.
        public var status: Int32
        /// What it printed on stderr.
        public var stderr: String
        /// Both, on one line.
        public var description: String { "decode-back exited \(status): \(stderr)" }
    }
}
