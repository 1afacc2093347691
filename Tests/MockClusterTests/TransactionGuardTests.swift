import Foundation
import TestSupport
import Testing

@testable import RdKafka

// The Delivery guarantees article's "A transaction the compiler guards" code, verbatim, so that
// it keeps compiling and doing what it says.

/// Moves an amount between two accounts: both entries are committed, or neither.
func transfer(_ amount: Int, from debited: String, to credited: String, producer: KafkaProducer) async throws {
    try await producer.withTransaction { (transaction: borrowing Transaction) in
        _ = try await transaction.send(ProducerRecord(topic: "ledger", key: debited, value: String(-amount)))
        _ = try await transaction.send(ProducerRecord(topic: "ledger", key: credited, value: String(amount)))
    }
}

@Suite("A transaction the compiler guards", .timeLimit(.minutes(2)))
struct TransactionGuardTests {
    @Test("transfer commits both ledger entries through the transaction it is lent")
    func transferCommits() async throws {
        let fixture = try ClusterFixture(topic: "ledger", partitions: 1)
        let producer = try fixture.producer { $0.transactionalID = "transfer" }
        try await producer.initTransactions(timeout: .seconds(30))
        try await transfer(10, from: "alice", to: "bob", producer: producer)
        let written = try await TestConsumer.consume(
            topic: "ledger", partitions: 1, bootstrapServers: fixture.cluster.bootstrapServers, expecting: 2,
            readToEnd: true, isolation: "read_committed")
        #expect(written.map { String(decoding: $0.value ?? [], as: UTF8.self) } == ["-10", "10"])
        await producer.shutdown()
    }

    @Test("A transaction used after its closure returned refuses every send with a state error")
    func endedTransactionRefuses() async throws {
        let fixture = try ClusterFixture(partitions: 1)
        let producer = try fixture.producer { $0.transactionalID = "ended" }
        try await producer.initTransactions(timeout: .seconds(30))
        // What withTransaction does once its closure returns; the compiler keeps users from
        // reaching a transaction after that, so only this test can.
        let transaction = Transaction(producer: producer)
        transaction.end()
        try producer.beginTransaction()  // a later transaction, which the old one must not join
        let record = fixture.record("late")
        let sendError = try await #require(throws: KafkaError.self) { try await transaction.send(record) }
        #expect(sendError.code == .state && sendError.topic == fixture.topic)
        await #expect(throws: KafkaError.self) { try await transaction.enqueue(record) }
        #expect(throws: KafkaError.self) { try transaction.tryEnqueue(record) }
        await #expect(throws: KafkaError.self) { try await transaction.sendOffsets([], groupID: "g") }
        let batch = await transaction.send(contentsOf: [record])
        #expect(batch.map { (try? $0.get()) == nil } == [true])
        #expect(producer.outstandingRecords == 0, "nothing reached librdkafka")
        try await producer.abortTransaction()
        await producer.shutdown()
    }

    /// A client of the built RdKafka module, compiled through SIL (where the ownership checks
    /// run; `-typecheck` stops before them) but not code-generated.
    static func compile(_ body: String) async throws -> (succeeded: Bool, diagnostics: String) {
        let executable = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
        let modules = executable.deletingLastPathComponent().appendingPathComponent("Modules")
        try #require(
            FileManager.default.fileExists(atPath: modules.appendingPathComponent("RdKafka.swiftmodule").path),
            "the built RdKafka module is next to the test binary, in \(modules.path)")
        let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin"
        let swiftc = try #require(
            path.split(separator: ":").map { "\($0)/swiftc" }.first { FileManager.default.isExecutableFile(atPath: $0) },
            "swiftc is on PATH")
        let source = FileManager.default.temporaryDirectory.appendingPathComponent("transaction-guard-\(UUID().uuidString).swift")
        try Data(("import RdKafka\n\nfunc client(producer: KafkaProducer) async throws {\n" + body + "\n}\n").utf8).write(to: source)
        defer { try? FileManager.default.removeItem(at: source) }
        let outcome = try await ChildProcess.run(
            swiftc,
            [
                "-swift-version", "6", "-emit-sil", "-o", "/dev/null", "-I", modules.path,
                "-I", packageRoot.appendingPathComponent("Modules/CRdKafka").path, source.path,
            ])
        return (outcome.status == 0, String(decoding: outcome.errors + outcome.output, as: UTF8.self))
    }

    @Test("Sending through the lent transaction inside the closure compiles")
    func legalFormCompiles() async throws {
        let result = try await Self.compile(
            """
            try await producer.withTransaction { (transaction: borrowing Transaction) in
                _ = try await transaction.send(ProducerRecord(topic: "ledger", value: "1"))
                try await transaction.enqueue(ProducerRecord(topic: "ledger", value: "2"))
                _ = await transaction.send(contentsOf: [ProducerRecord(topic: "ledger", value: "3")])
            }
            """)
        #expect(result.succeeded, "\(result.diagnostics)")
    }

    @Test(
        "Keeping the transaction beyond its closure fails to compile",
        arguments: [
            (
                "kept by a consuming call",
                "func keep(_ transaction: consuming Transaction) {}\n"
                    + "try await producer.withTransaction { (transaction: borrowing Transaction) in keep(transaction) }",
                "'transaction' is borrowed and cannot be consumed"
            ),
            (
                "captured by a Task",
                "try await producer.withTransaction { (transaction: borrowing Transaction) in\n"
                    + "    Task { _ = try await transaction.send(ProducerRecord(topic: \"t\", value: \"late\")) }\n}",
                "'transaction' cannot be captured by an escaping closure since it is a borrowed parameter"
            ),
            (
                "captured by a closure stored for later",
                "var later: (() async throws -> Void)? = nil\n"
                    + "try await producer.withTransaction { (transaction: borrowing Transaction) in\n"
                    + "    later = { _ = try await transaction.send(ProducerRecord(topic: \"t\", value: \"late\")) }\n}\n"
                    + "try await later?()",
                "'transaction' cannot be captured by an escaping closure since it is a borrowed parameter"
            ),
            (
                "returned",
                "let kept = try await producer.withTransaction { (transaction: borrowing Transaction) -> Transaction in\n"
                    + "    return transaction\n}\n_ = kept",
                "requires that 'Transaction' conform to 'Copyable'"
            ),
            (
                "copied",
                "try await producer.withTransaction { (transaction: borrowing Transaction) in let spare = copy transaction; _ = spare }",
                "'copy' cannot be applied to noncopyable types"
            ),
            (
                "made outside withTransaction",
                "let made = Transaction(producer: producer)\n_ = try await made.send(ProducerRecord(topic: \"t\", value: \"v\"))",
                "initializer is inaccessible due to 'internal' protection level"
            ),
        ])
    func escapesFailToCompile(_ form: String, _ body: String, _ diagnostic: String) async throws {
        let result = try await Self.compile(body)
        #expect(!result.succeeded, "\(form) compiled")
        let errors = result.diagnostics.split(separator: "\n").filter { $0.contains("error: ") }
        #expect(errors.contains { $0.contains(diagnostic) }, "\(form): \(result.diagnostics)")
    }
}
