import Logging
import Testing

@testable import RdKafka

/// Collects log records in memory and signals when one arrives.
final class CapturingLogHandlerBox: Sendable {
    struct Entry: Sendable {
        var level: Logger.Level
        var message: String
        var metadata: [String: String]
    }

    let entries = LockedValue<[Entry]>([])
    let (arrivals, arrivalSink) = AsyncStream.makeStream(of: Entry.self)

    func handler() -> some LogHandler { Handler(box: self) }

    struct Handler: LogHandler {
        let box: CapturingLogHandlerBox
        var metadata: Logger.Metadata = [:]
        var logLevel: Logger.Level = .info

        subscript(metadataKey key: String) -> Logger.Metadata.Value? {
            get { metadata[key] }
            set { metadata[key] = newValue }
        }

        func log(event: LogEvent) {
            var merged: [String: String] = [:]
            for (key, value) in metadata { merged[key] = "\(value)" }
            for (key, value) in event.metadata ?? [:] { merged[key] = "\(value)" }
            let entry = Entry(level: event.level, message: "\(event.message)", metadata: merged)
            box.entries.withLock { $0.append(entry) }
            box.arrivalSink.yield(entry)
        }
    }
}

@Suite("Logging", .timeLimit(.minutes(1)))
struct LoggingTests {
    @Test("librdkafka's errors reach the Logger with the client id, not stderr")
    func errorsGoToLogger() async throws {
        let box = CapturingLogHandlerBox()
        let logger = Logger(label: "test") { _ in box.handler() }
        // Nothing listens on port 1: librdkafka reports the failed connection as an error event and a log line.
        var configuration = ProducerConfiguration(bootstrapServers: ["127.0.0.1:1"])
        configuration.clientID = "logging-test"
        let producer = try KafkaProducer(configuration: configuration, logger: logger)
        var found: CapturingLogHandlerBox.Entry?
        for await entry in box.arrivals where entry.level >= .warning {
            found = entry
            break
        }
        let entry = try #require(found)
        #expect(entry.metadata["kafka.client.id"] == "logging-test")
        await producer.shutdown(flushTimeout: .milliseconds(10))
    }
}
