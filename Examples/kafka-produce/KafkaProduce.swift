import ArgumentParser
import Foundation
import Logging
import RdKafka

/// Produces records to Kafka at full speed and reports throughput and acknowledgement latency.
///
/// Records are either generated (`--count`) or read from standard input, one per line. Without
/// `--brokers`, an embedded 3-broker mock cluster is started in the process, so the tool runs
/// with no Kafka installed. Before sending, it waits up to 30 seconds until a broker answers, so
/// that a wrong address, an untrusted certificate or refused credentials fail at once with one
/// line. Progress and the final summary go to standard error. The exit status is 0 when every
/// record was delivered, 1 when any was not, 64 for a bad option or a setting librdkafka refuses,
/// and 69 when no broker could be reached or the TLS handshake or SASL authentication failed;
/// stopped by a signal, 128 plus its number, after the summary (see ``StopRequest``).
///
/// TLS and SASL are set with `--tls`, `--tls-ca`, `--tls-cert`/`--tls-key` or `--tls-keystore`
/// (mutual TLS) and `--sasl-mechanism`; `-X` takes the other librdkafka security settings the
/// library accepts (`-X ssl.curves.list=X25519`). Passwords and tokens are never taken on the command line: their options
/// name an environment variable to read them from. Check a cluster's credentials with TLS and
/// SCRAM in one line:
///
/// ```
/// KAFKA_PASSWORD=... kafka-produce --brokers host:9096 --tls \
///     --sasl-mechanism scram-sha-512 --sasl-username alice --sasl-password-env KAFKA_PASSWORD --count 10
/// ```
///
/// Send 100,000 generated 100-byte records to the embedded cluster:
///
/// ```
/// kafka-produce --count 100000
/// ```
///
/// Send lines as `key:value` records to a real cluster, with a header on each, with kcat's short
/// options (the same as `kcat -P -b localhost:9092 -t events -K: -H source=cli`):
///
/// ```
/// printf 'user-1:signed-in\nuser-2:signed-out\n' |
///     kafka-produce -b localhost:9092 -t events -K: -H source=cli
/// ```
///
/// Watch librdkafka's queues, retries and round-trip times once a second with `--stats`:
///
/// ```
/// kafka-produce --count 5000000 --stats
/// ```
///
/// Send JSON lines as Avro against a schema, with the Schema Registry header for schema id 7:
///
/// ```
/// echo '{"id": 1, "payload": "hello"}' |
///     kafka-produce --brokers localhost:9092 --format avro --schema record.avsc --schema-id 7
/// ```
///
/// Measure a durable, compressed configuration:
///
/// ```
/// kafka-produce --brokers localhost:9092 --count 1000000 --value-size 512 \
///     --acks all --compression lz4 --linger-ms 10 -X enable.idempotence=true
/// ```
@main
struct KafkaProduce: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "kafka-produce",
        abstract: "Produce generated records or lines of standard input to a Kafka topic, at full speed.",
        discussion: """
            Without --brokers, an embedded 3-broker mock cluster is started in this process. \
            Without --count, each line of standard input becomes one record. Progress and the \
            summary go to standard error.

            The short options are kcat's: -b brokers, -t topic, -p partition, -k key, \
            -K key separator, -H header, -z compression, -X librdkafka setting, and -P, which \
            is accepted and changes nothing. Send key:value lines to a topic:

              printf 'a:1\\nb:2\\n' | kafka-produce -t demo -K :

            Before sending, always (with or without TLS and SASL) waits up to 30 s until a broker \
            answers: connecting, the TLS handshake and SASL authentication must all succeed. If \
            they do not, it prints one line, 'could not connect:' with the reason and how long it \
            tried, and exits with 69. librdkafka's log lines from the attempt are shown only with \
            --verbose, or with -X debug=... (its debug lines, secrets redacted).

            Any --tls-* option implies --tls. Passwords and tokens are read from the environment \
            variables their options name, never from the command line. Check a cluster's \
            credentials with TLS and SCRAM:

              KAFKA_PASSWORD=... kafka-produce --brokers host:9096 --tls \\
                  --sasl-mechanism scram-sha-512 --sasl-username alice \\
                  --sasl-password-env KAFKA_PASSWORD --count 10

            Each line of input is one record, its bytes as they are: a trailing \\r (from \
            CRLF input) is kept, as kcat keeps it.

            A stalled broker can hold the command up to about 90 s after the last record: \
            the 60 s flush timeout, then the producer's 30 s shutdown, which fails what is left.

            The first SIGINT, SIGTERM or SIGHUP stops reading, waits for the outcome of every \
            record sent (up to the flush timeout) and prints the summary; a second one exits at \
            once. A standard error nobody reads any more (a closed pipe) stops it the same way.

            Exit status:
              0    every record was delivered
              1    some record was not delivered
              64   a bad option, topic name, unset variable, or a setting librdkafka refuses
              69   no broker answered, or the TLS handshake or SASL authentication failed
              129  stopped by SIGHUP; 130 by SIGINT; 143 by SIGTERM (after the summary)
              141  standard error was closed (a pipe without a reader)
            """
    )

    // The short names are kcat's, with kcat's meanings, for people who type them from habit.
    @Option(
        name: [.customShort("b", allowingJoined: true), .long],
        help: ArgumentHelp(
            "Comma-separated bootstrap brokers (host:port). Default: an embedded 3-broker mock cluster.",
            valueName: "list"
        ))
    var brokers: String?

    @Option(
        name: [.customShort("t", allowingJoined: true), .long],
        help: ArgumentHelp("The topic to produce to.", valueName: "name")
    )
    var topic = "kafka-produce"

    // Unconditional, so that kcat's `-p -1` is read as a value rather than as an option.
    @Option(
        name: [.customShort("p", allowingJoined: true), .long],
        parsing: .unconditional,
        help: ArgumentHelp("Send every record to this partition; -1 lets the partitioner choose (as kcat).", valueName: "n")
    )
    var partition: Int32?

    @Option(
        help: ArgumentHelp(
            "Send this many generated records instead of reading lines from standard input.",
            valueName: "n"
        ))
    var count: Int?

    @Option(help: ArgumentHelp("The size of each generated value.", valueName: "bytes"))
    var valueSize = 100

    @Option(
        name: [.customShort("K", allowingJoined: true), .long],
        help: ArgumentHelp("Split each input line at the first <sep> into key and value.", valueName: "sep")
    )
    var keySeparator: String?

    @Option(
        name: [.customShort("k", allowingJoined: true), .long],
        help: ArgumentHelp("A fixed key for every record.", valueName: "key")
    )
    var key: String?

    @Option(
        name: [.customShort("H", allowingJoined: true), .customLong("header")],
        help: ArgumentHelp("A header for every record; repeatable.", valueName: "name=value")
    )
    var headerArguments: [String] = []

    // Unconditional, so that `--acks -1` is read as a value rather than as an option.
    @Option(parsing: .unconditional, help: "How many replicas must acknowledge each record.")
    var acks: Acks?

    @Option(name: [.customShort("z", allowingJoined: true), .long], help: "The codec for record batches.")
    var compression: Compression?

    @Option(help: "How records without an explicit partition are placed.")
    var partitioner: Partitioner?

    @Option(
        name: .customLong("linger-ms"),
        help: ArgumentHelp("How long to wait for more records before sending a batch.", valueName: "ms")
    )
    var lingerMilliseconds: Int?

    @Option(
        name: [.customShort("X", allowingJoined: true), .customLong("property")],
        help: ArgumentHelp("Any librdkafka setting; repeatable, applied last.", valueName: "key=value")
    )
    var propertyArguments: [String] = []

    @Option(help: "How values are written: input bytes as they are, or JSON objects as JSON or Avro.")
    var format: ValueFormat = .bytes

    @Option(help: ArgumentHelp("The Avro schema (.avsc) values are encoded against, for --format avro.", valueName: "file"))
    var schema: String?

    @Option(
        name: .customLong("schema-id"),
        help: ArgumentHelp("Put the Schema Registry header with this schema id before each JSON or Avro value.", valueName: "n")
    )
    var schemaID: UInt32?

    @OptionGroup(title: "Security Options")
    var security: SecurityOptions

    @OptionGroup(title: "Schema Registry Options")
    var registry: SchemaRegistryOptions

    @Flag(name: .customShort("P"), help: "Produce: what this command always does; accepted because kcat needs it.")
    var produceMode = false

    @Flag(help: "Do not print progress every second or skipped input lines.")
    var quiet = false

    @Flag(help: "Log librdkafka's informational messages (its debug lines show whenever -X debug=... asks for them).")
    var verbose = false

    @Flag(help: "Print a compact line of librdkafka's statistics every second.")
    var stats = false

    /// Makes the standard streams and signals safe before the command parses its arguments.
    static func main() async {
        StandardStreams.prepare()
        StopRequest.shared.install()
        await main(nil)
    }

    func validate() throws {
        try validateSizes()
        try validateTopic()
        try KeyValue.check(headerArguments, option: "-H/--header")
        try KeyValue.check(propertyArguments, option: "-X/--property")
        try PropertyChecks.check(properties)
        if let count, count < 0 { throw ValidationError("--count must not be negative") }
        if valueSize < 0 { throw ValidationError("--value-size must not be negative") }
        if let partition, partition < -1 {
            throw ValidationError("-p/--partition must be a partition number, or -1 to let the partitioner choose")
        }
        if let keySeparator {
            if keySeparator.isEmpty { throw ValidationError("--key-separator must not be empty") }
            if count != nil {
                throw ValidationError("--key-separator splits input lines; it cannot be used with --count")
            }
            if key != nil { throw ValidationError("--key-separator and --key both set the key; use one") }
        }
        try registry.check(format: format, schema: schema, schemaID: schemaID, key: key, keySeparator: keySeparator)
        if schema != nil && format != .avro { throw ValidationError("--schema is for --format avro") }
        if format == .avro && schema == nil { throw ValidationError("--format avro needs --schema FILE") }
        if schemaID != nil && format == .bytes { throw ValidationError("--schema-id frames JSON or Avro values; add --format") }
        if let brokers, brokers.split(separator: ",").isEmpty {
            throw ValidationError("--brokers needs at least one host:port")
        }
        try SecurityOptions.check(properties)
        if brokers == nil && security.isRequested {
            throw ValidationError("TLS and SASL options need --brokers: the embedded mock cluster speaks plaintext only")
        }
    }

    func run() async throws {
        // Before connecting, so that an unreadable or invalid schema fails at once.
        let registered = try await registry.resolve(topic: topic, key: key)
        let valueEncoder =
            try registered.values ?? (format == .bytes ? nil : ValueEncoder(format: format, schemaFile: schema, schemaID: schemaID))
        let logSwitch = MutableLogHandler.Switch()
        let logger = MutableLogHandler.logger(label: "kafka-produce", level: logLevel, muteSwitch: logSwitch)

        // Kept alive until after the producer's shutdown (see withExtendedLifetime below).
        let cluster = brokers == nil ? try MockCluster(brokers: 3) : nil
        if let cluster {
            printError("no --brokers given: started an embedded 3-broker mock cluster at \(cluster.bootstrapServers)")
        }
        let bootstrapServers = brokers?.split(separator: ",").map(String.init) ?? [cluster!.bootstrapServers]
        let producer: KafkaProducer
        do {
            producer = try KafkaProducer(configuration: producerConfiguration(bootstrapServers), logger: logger)
        } catch let error as KafkaError where error.configurationKey != nil {
            printError("invalid configuration: \(error.configurationKey!): \(error.message)")
            throw ExitCode.validationFailure
        }
        // Before the report reader starts, so that failing here leaves nothing to wind down.
        guard await connect(producer, to: bootstrapServers, logSwitch: logSwitch) else {
            await producer.shutdown()
            withExtendedLifetime(cluster) {}
            throw ExitCode(Self.unavailable)
        }
        // From here on a stop waits for the outcomes of the records sent.
        StopRequest.shared.sendingStarted()

        let ledger = Ledger()
        async let reports = readReports(producer.deliveryReports, into: ledger)
        let sender = RecordSender(
            producer: producer,
            ledger: ledger,
            topic: topic,
            partition: partition == -1 ? nil : partition,
            key: registered.key ?? key.map { Array($0.utf8) },
            headers: headers.map { ProducerRecord.Header(name: $0.key, value: $0.value) },
            valueEncoder: valueEncoder,
            quiet: quiet
        )
        let allAcknowledged = await withDiscardingTaskGroup(returning: ContinuousClock.Instant?.self) { group in
            if !quiet {
                group.addTask { await showProgress(of: ledger) }
            }
            if stats {
                group.addTask { await showStatistics(of: producer) }
            }
            if let count {
                await sender.sendGenerated(count: count, valueSize: valueSize)
            } else {
                await sender.sendLines(keySeparator: keySeparator, maximumLineLength: maximumMessageBytes)
            }
            let acknowledged = await Self.awaitOutcomes(of: producer)
            group.cancelAll()
            return acknowledged
        }
        // Ends the report sequence, and with it the reader.
        await producer.shutdown()
        let (latencies, sequenceEnd, partitions) = await reports
        withExtendedLifetime(cluster) {}

        let elapsed =
            if let firstSend = ledger.firstSend, let end = allAcknowledged ?? sequenceEnd { end - firstSend } else { Duration.zero }
        let summary = Summary(
            counts: ledger.counts,
            elapsed: elapsed,
            latencies: latencies,
            droppedReports: producer.droppedDeliveryReports,
            errors: ledger.errors,
            partitions: partitions
        )
        summary.report()

        if let status = StopRequest.shared.exitStatus { throw ExitCode(status) }

        let allSent = count.map { summary.counts.sent == $0 } ?? true
        if summary.counts.failed > 0 || !allSent || summary.droppedReports > 0 {
            throw ExitCode(1)
        }
    }

    /// EX_UNAVAILABLE from sysexits.h: the cluster could not be reached or refused us.
    static let unavailable: Int32 = 69

    /// How long to wait for a broker to answer before giving up.
    static let connectTimeout = Duration.seconds(30)

    /// Waits until a broker has answered, through TLS and SASL if they are set, and says how long
    /// that took or why it failed.
    ///
    /// Unless `--verbose`, librdkafka's log is muted meanwhile, and stays muted after a failure:
    /// every retry logs the same error again, and the verdict names it once.
    ///
    /// - Returns: Whether the producer is connected.
    private func connect(
        _ producer: KafkaProducer,
        to bootstrapServers: [String],
        logSwitch: MutableLogHandler.Switch
    ) async -> Bool {
        logSwitch.isMuted = !verbose && logLevel > .debug
        let start = ContinuousClock.now
        do {
            try await producer.waitUntilConnected(timeout: Self.connectTimeout)
        } catch {
            printError("could not connect: \(error); gave up after \(Self.seconds(ContinuousClock.now - start))")
            return false
        }
        logSwitch.isMuted = false
        if !quiet {
            // Read back from librdkafka, not restated from the options.
            let connection = producer.effectiveSecurity.description
            printError(
                "connected to \(bootstrapServers.joined(separator: ",")) in \(Self.seconds(ContinuousClock.now - start)): \(connection)"
            )
        }
        return true
    }

    private static func seconds(_ duration: Duration) -> String {
        String(format: "%.3f s", duration.inSeconds)
    }

    /// The producer's settings from the options; librdkafka checks them when the producer is created.
    private func producerConfiguration(_ bootstrapServers: [String]) throws -> ProducerConfiguration {
        var configuration = ProducerConfiguration(bootstrapServers: bootstrapServers)
        configuration.clientID = "kafka-produce"
        // Already checked by validate(); this reads the environment variables again.
        configuration.security = try security.configuration()
        configuration.acks = acks
        configuration.compression = compression
        configuration.partitioner = partitioner
        configuration.linger = lingerMilliseconds.map { .milliseconds($0) }
        configuration.statisticsInterval = stats ? .seconds(1) : nil
        // Room for every outcome even if the report reader falls behind, so none is dropped.
        configuration.deliveryReportBufferSize = max(count ?? 0, 100_000)
        for property in properties {
            configuration.additionalProperties[property.key] = property.value
        }
        return configuration
    }

    /// Waits until every record sent has been acknowledged or has failed.
    ///
    /// - Returns: When that was, or `nil` if the flush timed out. Every outcome is in the report
    ///   sequence then, so the reader counts it before the sequence ends at shutdown.
    private static func awaitOutcomes(of producer: KafkaProducer) async -> ContinuousClock.Instant? {
        do {
            // Generous: records that cannot be delivered fail by themselves after message.timeout.ms.
            try await producer.flush(timeout: .seconds(60))
            return .now
        } catch {
            // Shutdown fails what is left with a purge error, which the report reader counts.
            printError("flush: \(error)")
            return nil
        }
    }
}
