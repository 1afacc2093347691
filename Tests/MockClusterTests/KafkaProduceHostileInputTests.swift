import Foundation
import RdKafka
import TestSupport
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// kafka-produce given what a careless or hostile user gives it: a schema whose defaults never
/// end, a standard error that cannot be written, a closed standard input, settings that would
/// send records elsewhere, bad topic names, numbers JSON parsers round, secrets where names
/// belong. Each is refused with a reason or handled, and nothing traps. Runs the built
/// executable, as ``KafkaProduceCommandTests`` does.
@Suite("kafka-produce: hostile and careless input is refused or handled, never a crash", .timeLimit(.minutes(1)))
struct KafkaProduceHostileInputTests {
    static func run(_ arguments: [String], input: String = "") async throws -> (status: Int32, errors: String) {
        let outcome = try await ChildProcess.run(KafkaProduceCommandTests.executable(), arguments, input: Data(input.utf8))
        return (outcome.status, String(decoding: outcome.errors, as: UTF8.self))
    }

    static func temporaryFile(_ contents: String) throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("kafka-produce-\(UUID().uuidString)").path
        try contents.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    @Test("An Avro schema whose default never ends is refused with exit 64, naming the field")
    func endlessAvroDefault() async throws {
        let schema = try Self.temporaryFile(#"{"type":"record","name":"R","fields":[{"name":"next","type":"R","default":{}}]}"#)
        defer { try? FileManager.default.removeItem(atPath: schema) }
        let (status, errors) = try await Self.run(["--format", "avro", "--schema", schema], input: "{}\n")
        #expect(status == 64, "\(errors)")
        #expect(errors.contains("the default of R.next never ends"), "\(errors)")
    }

    @Test("An Avro value nested past the limit is refused by line and path; the lines after it are sent")
    func deepAvroValue() async throws {
        let schema = try Self.temporaryFile(
            #"{"type":"record","name":"N","fields":[{"name":"next","type":["null","N"],"default":null}]}"#)
        defer { try? FileManager.default.removeItem(atPath: schema) }
        let deep = String(repeating: #"{"next":"#, count: 300) + "null" + String(repeating: "}", count: 300)
        let (status, errors) = try await Self.run(["--format", "avro", "--schema", schema, "-t", "deep"], input: deep + "\n{}\n")
        #expect(status == 1, "\(errors)")
        #expect(errors.contains("line 1 could not be encoded"), "\(errors)")
        #expect(errors.contains("Avro too deep at next.next."), "\(errors)")
        #expect(errors.contains("sent 1, delivered 1, failed 1"), "\(errors)")
    }

    // MARK: standard error that cannot be written

    /// Runs the command with standard error set up as `errors` and reads the topic back.
    static func sendTen(errors: RunningChild.ErrorOutput, quiet: Bool) async throws -> (status: Int32, readBack: Int) {
        let fixture = try ClusterFixture(topic: "unwritable", partitions: 1)
        let child = try RunningChild(
            KafkaProduceCommandTests.executable(),
            ["-b", fixture.cluster.bootstrapServers, "-t", "unwritable", "--count", "10"] + (quiet ? ["--quiet"] : []),
            errors: errors)
        let status = await child.exitStatus()
        let records = try await TestConsumer.consume(
            topic: "unwritable", partitions: 1, bootstrapServers: fixture.cluster.bootstrapServers, expecting: 10,
            readToEnd: true, timeout: .seconds(5))
        withExtendedLifetime(fixture.cluster) {}
        return (status, records.count)
    }

    @Test("Standard error on a full device: every record is delivered and the exit status is 0")
    func standardErrorFull() async throws {
        let (status, readBack) = try await Self.sendTen(errors: .file("/dev/full"), quiet: false)
        #expect(status == 0)
        #expect(readBack == 10)
    }

    @Test("Standard error closed: every record is delivered and the exit status is 0")
    func standardErrorClosed() async throws {
        let (status, readBack) = try await Self.sendTen(errors: .closed, quiet: false)
        #expect(status == 0)
        #expect(readBack == 10)
    }

    @Test("Standard error a pipe without a reader: the run ends as SIGPIPE would, 141, with the records sent delivered")
    func standardErrorPipeWithoutReader() async throws {
        // --quiet: the first line written is the summary, after every record's outcome.
        let (status, readBack) = try await Self.sendTen(errors: .pipeWithoutReader, quiet: true)
        #expect(status == 128 + SIGPIPE)
        #expect(readBack == 10)
    }

    // MARK: standard input closed, -X that redirects, debug lines

    @Test("Standard input closed: said so, nothing sent, exit 0")
    func standardInputClosed() async throws {
        let child = try RunningChild(KafkaProduceCommandTests.executable(), ["-t", "closed"], input: .closed)
        let status = await child.exitStatus()
        #expect(status == 0, "\(child.errors)")
        #expect(child.errors.contains("standard input is closed"), "\(child.errors)")
        #expect(child.errors.contains("sent 0, delivered 0, failed 0"), "\(child.errors)")
        #expect(!child.errors.contains("Invalid argument"), "\(child.errors)")
    }

    @Test(
        "-X bootstrap.servers and metadata.broker.list are refused with exit 64, pointing at -b",
        arguments: [
            "bootstrap.servers", "metadata.broker.list", "Bootstrap.Servers",
        ])
    func brokerKeysRefused(key: String) async throws {
        let (status, errors) = try await Self.run(["-b", "127.0.0.1:1", "-X", "\(key)=127.0.0.1:2", "--count", "1"])
        #expect(status == 64, "\(errors)")
        #expect(errors.contains("-X \(key): the brokers are set with -b/--brokers"), "\(errors)")
        #expect(!errors.contains("connected"), "\(errors)")
    }

    @Test("-X debug=all shows librdkafka's debug lines, with the SASL password redacted")
    func debugLinesShown() async throws {
        let secret = "s3cr3t-\(UUID().uuidString)"
        let child = try RunningChild(
            KafkaProduceCommandTests.executable(),
            [
                "-b", "127.0.0.1:1", "--sasl-mechanism", "scram-sha-256", "--sasl-username", "alice",
                "--sasl-password-env", "KAFKA_PRODUCE_TEST_PASSWORD", "-X", "debug=all", "--count", "1",
            ],
            environment: ["KAFKA_PRODUCE_TEST_PASSWORD": secret])
        let status = await child.exitStatus()
        #expect(status == 69, "\(child.errors)")
        #expect(child.errors.contains("librdkafka.facility=CONF"), "\(child.errors.prefix(2_000))")
        #expect(child.errors.contains(" debug "), "\(child.errors.prefix(2_000))")
        #expect(!child.errors.contains(secret))
    }

    // MARK: topic names and sizes caught up front

    @Test(
        "An invalid topic name is refused with exit 64 before connecting",
        arguments: ["..", "has space", "", String(repeating: "t", count: 300), "tópico"])
    func invalidTopicRefused(topic: String) async throws {
        let (status, errors) = try await Self.run(["-t", topic, "--count", "5"])
        #expect(status == 64, "\(errors)")
        #expect(errors.contains("-t/--topic:"), "\(errors)")
        #expect(!errors.contains("connected"), "\(errors)")
    }

    @Test("A --key that alone exceeds message.max.bytes is refused with exit 64")
    func oversizedKeyRefused() async throws {
        let (status, errors) = try await Self.run(["-k", String(repeating: "k", count: 2_000), "-X", "message.max.bytes=1000"])
        #expect(status == 64, "\(errors)")
        #expect(errors.contains("--key and -H/--header take 2000 bytes, more than message.max.bytes (1000)"), "\(errors)")
    }

    @Test("A --value-size that fits only without the --key is refused with exit 64")
    func valueSizeWithKeyRefused() async throws {
        let (status, errors) = try await Self.run([
            "-k", String(repeating: "k", count: 600), "--count", "1", "--value-size", "600", "-X", "message.max.bytes=1000",
        ])
        #expect(status == 64, "\(errors)")
        #expect(errors.contains("--value-size 600 is more than message.max.bytes (1000) with the 600 bytes of key and headers"))
    }

    // MARK: JSON kept as given

    @Test("--format json sends each line's bytes as given: numbers keep every digit")
    func jsonNumbersKept() async throws {
        let fixture = try ClusterFixture(topic: "numbers", partitions: 1)
        let lines = [
            #"{"big":123456789012345678901234567890}"#, #"{"f":1e400}"#, #"{ "x" : 0.1000000000000000055511151231257827 }"#,
        ]
        let (status, errors) = try await Self.run(
            ["-b", fixture.cluster.bootstrapServers, "-t", "numbers", "--format", "json", "--quiet"],
            input: lines.joined(separator: "\n") + "\n")
        #expect(status == 0, "\(errors)")
        let records = try await fixture.readBack(expecting: lines.count)
        #expect(records.map { String(decoding: $0.value ?? [], as: UTF8.self) } == lines)
    }

    @Test("--format json refuses a malformed line by number, the lines after it are sent")
    func malformedJSONLine() async throws {
        let (status, errors) = try await Self.run(["-t", "malformed", "--format", "json"], input: "{\"a\": [1, 2,]}\n{\"b\":2}\n")
        #expect(status == 1, "\(errors)")
        #expect(errors.contains("line 1 could not be encoded; not sent: the line is not valid JSON"), "\(errors)")
        #expect(errors.contains("field a[2]"), "\(errors)")
        #expect(errors.contains("sent 1, delivered 1, failed 1"), "\(errors)")
    }

    @Test("--format avro refuses a number no 64-bit integer or double holds, naming the line and field")
    func avroRefusesInexactNumbers() async throws {
        let schema = try Self.temporaryFile(#"{"type":"record","name":"R","fields":[{"name":"big","type":"double"}]}"#)
        defer { try? FileManager.default.removeItem(atPath: schema) }
        let (status, errors) = try await Self.run(
            ["--format", "avro", "--schema", schema, "-t", "inexact"], input: "{\"big\":1e400}\n{\"big\":1.5}\n")
        #expect(status == 1, "\(errors)")
        #expect(errors.contains("line 1 could not be encoded; not sent: the number 1e400 in field big does not fit"), "\(errors)")
        #expect(errors.contains("sent 1, delivered 1, failed 1"), "\(errors)")
    }

    // MARK: nothing secret echoed

    @Test("A secret given as a variable's name is not echoed")
    func malformedVariableNameNotEchoed() async throws {
        let secret = "Zq9-SECRET-\(UUID().uuidString)"
        let (status, errors) = try await Self.run([
            "-b", "127.0.0.1:1", "--sasl-mechanism", "scram-sha-256", "--sasl-username", "alice", "--sasl-password-env", secret,
        ])
        #expect(status == 64, "\(errors)")
        #expect(errors.contains("--sasl-password-env: the environment variable it names is not set"), "\(errors)")
        #expect(!errors.contains(secret), "\(errors)")
    }

    @Test("A malformed -X or -H argument is refused by position, not quoted", arguments: ["-X", "-H"])
    func malformedPairNotEchoed(option: String) async throws {
        let secret = "hunter2-\(UUID().uuidString)"
        let (status, errors) = try await Self.run([option, "linger.ms=1", option, secret, "--count", "1"])
        #expect(status == 64, "\(errors)")
        #expect(errors.contains("argument 2 is not NAME=VALUE"), "\(errors)")
        #expect(!errors.contains(secret), "\(errors)")
    }

    @Test("--help says that a trailing \\r is kept and how long a stalled broker can hold the command")
    func helpSaysCarriageReturnAndStall() async throws {
        let outcome = try await ChildProcess.run(KafkaProduceCommandTests.executable(), ["--help"])
        let help = String(decoding: outcome.output, as: UTF8.self)
        #expect(help.contains(#"a trailing \r"#), "\(help)")
        #expect(help.contains("about 90 s"), "\(help)")
        #expect(help.contains("130 by SIGINT"), "\(help)")
    }
}
