import Foundation
import RdKafka
import TestSupport
import Testing

/// kafka-produce given sizes far beyond what a run needs: each is refused with a reason or
/// streamed in bounded memory, and the process never crashes. Runs the built executable, as
/// ``KafkaProduceCommandTests`` does.
@Suite("kafka-produce: huge counts, values and lines are refused or streamed, never a crash", .timeLimit(.minutes(1)))
struct KafkaProduceInputSizeTests {
    static func run(_ arguments: [String], input: Data = Data()) async throws -> (status: Int32, errors: String) {
        let outcome = try await ChildProcess.run(KafkaProduceCommandTests.executable(), arguments, input: input)
        return (outcome.status, String(decoding: outcome.errors, as: UTF8.self))
    }

    @Test("--count beyond the correlation ids (Int.max) is refused by name with exit 64")
    func countBeyondCorrelationIDs() async throws {
        let (status, errors) = try await Self.run(["--count", "9223372036854775807"])
        #expect(status == 64, "\(errors)")
        #expect(errors.contains("--count must be at most 4611686018427387904"))
    }

    @Test("--value-size over message.max.bytes (20 GB) is refused by name with exit 64, nothing allocated")
    func valueSizeOverMessageMaxBytes() async throws {
        let (status, errors) = try await Self.run(["--count", "1", "--value-size", "20000000000"])
        #expect(status == 64, "\(errors)")
        #expect(errors.contains("--value-size 20000000000 is more than message.max.bytes (1000000)"))

        // Raising the limit with -X lets a value up to it through.
        let raised = try await Self.run(["--count", "1", "--value-size", "2000000", "-X", "message.max.bytes=3000000", "--quiet"])
        #expect(raised.status == 0, "\(raised.errors)")
    }

    @Test("--count 10^12 streams: records are sent and reported with no memory reserved per record up front")
    func hugeCountStreams() async throws {
        // Progress lines come once a second after sending has started; the run itself would take
        // days, so it is stopped with SIGTERM once one has appeared.
        let outcome = try await ChildProcess.run(
            KafkaProduceCommandTests.executable(), ["--count", "1000000000000"], terminatingOnceErrorsContain: " msg/s\n")
        let errors = String(decoding: outcome.errors, as: UTF8.self)
        #expect(outcome.status == 128 + SIGTERM, "\(errors)")
        #expect(errors.contains("delivered"), "\(errors)")
    }

    @Test("A 512-deep JSON line with --format json is refused in one short line, not echoed back")
    func deeplyNestedJSONLine() async throws {
        let depth = 512
        let line = String(repeating: "{\"a\":", count: depth) + "1" + String(repeating: "}", count: depth)
        let (status, errors) = try await Self.run(["--format", "json", "-t", "json"], input: Data((line + "\n{\"b\":2}\n").utf8))
        #expect(status == 1, "\(errors)")
        #expect(errors.contains("sent 1, delivered 1, failed 1"), "\(errors)")
        #expect(!errors.contains(String(repeating: "{\"a\":", count: 8)), "the record is echoed: \(errors.prefix(2_000))")
        // Judged line by line: how many progress lines come before the refusal depends on how fast
        // the build parses the line (several seconds under AddressSanitizer).
        let longest = errors.split(separator: "\n").map(\.utf8.count).max() ?? 0
        #expect(longest < 300, "a line of \(longest) bytes on standard error")
        #expect(errors.contains("line 1 could not be encoded; not sent"), "\(errors)")
    }

    @Test("A line over message.max.bytes is refused by its number and length; the lines around it are sent")
    func lineOverMessageMaxBytes() async throws {
        let input = "a:1\n" + String(repeating: "x", count: 2_000_000) + "\nb:2\n"
        let (status, errors) = try await Self.run(["-t", "long", "-K:"], input: Data(input.utf8))
        #expect(status == 1, "\(errors)")
        #expect(errors.contains("line 2 is 2000000 bytes, more than message.max.bytes (1000000); not sent"), "\(errors)")
        #expect(errors.contains("sent 2, delivered 2, failed 1"), "\(errors)")
    }

    @Test("Lines that span reads arrive whole: many short ones, a 1.5 MB one, a last one without a newline")
    func linesSpanningReads() async throws {
        let fixture = try ClusterFixture(topic: "spanning", partitions: 1)
        let short = (0..<60_000).map { "key-\($0):value-\($0)" }
        let long = String(repeating: "0123456789", count: 150_000)
        let input = short.joined(separator: "\n") + "\nlong:" + long + "\nlast:end"
        let (status, errors) = try await Self.run(
            ["-b", fixture.cluster.bootstrapServers, "-t", "spanning", "-K:", "-X", "message.max.bytes=2000000", "--quiet"],
            input: Data(input.utf8)
        )
        #expect(status == 0, "\(errors)")

        let records = try await fixture.readBack(expecting: short.count + 2)
        let pairs = records.map { String(decoding: $0.key ?? [], as: UTF8.self) + ":" + String(decoding: $0.value ?? [], as: UTF8.self) }
        let expected = short + ["long:" + long, "last:end"]
        #expect(pairs.count == expected.count)
        let mismatch = zip(pairs, expected).enumerated().first { $0.element.0 != $0.element.1 }?.offset
        #expect(mismatch == nil, "record \(mismatch ?? -1) differs")
    }
}
