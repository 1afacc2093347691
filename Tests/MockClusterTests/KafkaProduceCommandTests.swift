import Foundation
import RdKafka
import TestSupport
import Testing

/// The kafka-produce example as people call it from a shell: the built executable run as a child
/// process, with kcat's short options, against a mock cluster of this process (it listens on
/// 127.0.0.1, so the child connects to it like to any cluster) or against its own embedded one.
@Suite("kafka-produce: kcat's short options", .timeLimit(.minutes(1)))
struct KafkaProduceCommandTests {
    /// The executable of the same build as this test runner: `swift build --build-tests` and
    /// `swift test` build every product, so it sits in the runner's folder (Linux) or beside
    /// the .xctest bundle (macOS).
    static func executable() throws -> String {
        let beside = { (folder: URL) in folder.deletingLastPathComponent().appendingPathComponent("kafka-produce").path }
        if let runner = Bundle.main.executableURL.map(beside), FileManager.default.isExecutableFile(atPath: runner) {
            return runner
        }
        // Only where the runner's folder lacks it (macOS): on Linux, Foundation's allBundles
        // leaks what LeakSanitizer then reports.
        let candidates = Bundle.allBundles.map { beside($0.bundleURL) }
        let found = candidates.first { FileManager.default.isExecutableFile(atPath: $0) }
        return try #require(found, "kafka-produce is not built beside the tests (looked at \(candidates))")
    }

    static func run(_ arguments: [String], input: String = "") async throws -> ChildProcess.Outcome {
        try await ChildProcess.run(executable(), arguments, input: Data(input.utf8))
    }

    @Test("-b -t -p -K -H -z -X -P: lines become records with kcat's meanings, read back from the cluster")
    func shortOptionsReachTheRecords() async throws {
        let fixture = try ClusterFixture(topic: "demo", partitions: 3)
        let outcome = try await Self.run(
            [
                "-P", "-b", fixture.cluster.bootstrapServers, "-t", "demo", "-p", "2", "-K", ":",
                "-H", "source=cli", "-z", "lz4", "-X", "linger.ms=0", "--quiet",
            ],
            input: "a:1\nb:2\n"
        )
        #expect(outcome.status == 0, "\(String(decoding: outcome.errors, as: UTF8.self))")

        let records = try await fixture.readBack(expecting: 2)
        #expect(records.map(\.partition) == [2, 2])
        #expect(records.map { String(decoding: $0.key ?? [], as: UTF8.self) } == ["a", "b"])
        #expect(records.map { String(decoding: $0.value ?? [], as: UTF8.self) } == ["1", "2"])
        #expect(records.allSatisfy { $0.headers == [ConsumedHeader(name: "source", value: Array("cli".utf8))] })
    }

    @Test("-K joined to its value, as kcat users write -K:, splits the same way")
    func joinedKeySeparator() async throws {
        let fixture = try ClusterFixture(topic: "joined", partitions: 1)
        let outcome = try await Self.run(
            ["-b", fixture.cluster.bootstrapServers, "-tjoined", "-K:", "--quiet"], input: "user-1:signed-in\n")
        #expect(outcome.status == 0, "\(String(decoding: outcome.errors, as: UTF8.self))")

        let records = try await fixture.readBack(expecting: 1)
        #expect(records.map { String(decoding: $0.key ?? [], as: UTF8.self) } == ["user-1"])
        #expect(records.map { String(decoding: $0.value ?? [], as: UTF8.self) } == ["signed-in"])
    }

    @Test("-X hands the setting to librdkafka, which refuses an unknown key by name (exit 64)")
    func propertyReachesLibrdkafka() async throws {
        let outcome = try await Self.run(["-X", "no.such.setting=1", "--count", "1"])
        #expect(outcome.status == 64)
        #expect(String(decoding: outcome.errors, as: UTF8.self).contains("no.such.setting"))
    }

    @Test("-p with a partition the topic lacks: the record fails naming it, and the exit status is 1")
    func partitionIsUsed() async throws {
        let fixture = try ClusterFixture(topic: "narrow", partitions: 1)
        let outcome = try await Self.run(["-b", fixture.cluster.bootstrapServers, "-t", "narrow", "-p", "5"], input: "x\n")
        withExtendedLifetime(fixture.cluster) {}
        #expect(outcome.status == 1)
        #expect(String(decoding: outcome.errors, as: UTF8.self).contains("partition 5"))
    }

    @Test("The README's line: printf 'a:1\\nb:2\\n' | kafka-produce -t demo -K : delivers both on the embedded cluster")
    func readmeLineOnTheEmbeddedCluster() async throws {
        let outcome = try await Self.run(["-t", "demo", "-K", ":"], input: "a:1\nb:2\n")
        let errors = String(decoding: outcome.errors, as: UTF8.self)
        #expect(outcome.status == 0, "\(errors)")
        #expect(errors.contains("sent 2, delivered 2, failed 0"))
    }

    @Test("--help shows each kcat short option beside its long name")
    func helpShowsBoth() async throws {
        let outcome = try await Self.run(["--help"])
        let help = String(decoding: outcome.output, as: UTF8.self)
        #expect(outcome.status == 0)
        for pair in [
            "-b, --brokers", "-t, --topic", "-p, --partition", "-k, --key ", "-K, --key-separator", "-H, --header",
            "-z, --compression", "-X, --property",
        ] {
            #expect(help.contains(pair), "--help lacks '\(pair)'")
        }
        #expect(help.contains("\n  -P "))
    }
}
