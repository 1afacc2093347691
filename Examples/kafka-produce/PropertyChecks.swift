import ArgumentParser
import Logging
import RdKafka

/// The `-X` settings the command refuses or reads for itself, beside the security keys that
/// ``SecurityOptions/check(_:)`` refuses.
enum PropertyChecks {
    /// Keys that choose the brokers: set with `-X`, they would send the records somewhere else
    /// than the brokers the status line names (and than the embedded cluster, when `-b` is
    /// not given), so only `-b` sets them.
    static let brokerKeys: Set<String> = ["bootstrap.servers", "metadata.broker.list"]

    static func check(_ properties: [KeyValue]) throws {
        for property in properties where brokerKeys.contains(property.key.lowercased()) {
            throw ValidationError(
                "-X \(property.key): the brokers are set with -b/--brokers, so that what is printed is where the records go")
        }
    }
}

extension KafkaProduce {
    /// The level librdkafka's log passes at: debug when librdkafka's debug lines were asked for
    /// (`-X debug=...` or `-X log_level=7`), informational with `--verbose`, warnings otherwise.
    /// The library sets librdkafka's `log_level` from it unless `-X log_level` is given.
    var logLevel: Logger.Level {
        let debugContexts = properties.last { $0.key == "debug" }?.value ?? ""
        let librdkafkaLevel = properties.last { $0.key == "log_level" }.flatMap { Int($0.value) }
        if !debugContexts.isEmpty || (librdkafkaLevel ?? 0) >= 7 { return .debug }
        return verbose ? .info : .warning
    }

    /// Refuses a topic name Kafka would refuse, before connecting: sending would fail every
    /// record one by one, with the same reason.
    func validateTopic() throws {
        do {
            try ProducerRecord.validateTopicName(topic)
        } catch {
            throw ValidationError("-t/--topic: \(error.message)")
        }
    }
}
