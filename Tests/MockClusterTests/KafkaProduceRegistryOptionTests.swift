import Foundation
import TestSupport
import Testing

/// kafka-produce's Schema Registry options refused in combinations that cannot work, before
/// anything connects, each naming the options at fault.
@Suite("kafka-produce: Schema Registry option refusals", .timeLimit(.minutes(1)))
struct KafkaProduceRegistryOptionTests {
    @Test(
        "Each contradiction exits 64 naming the options",
        arguments: [
            (["--value-schema", "v.avsc"], "need --schema-registry URL"),
            (["--schema-registry", "http://127.0.0.1:1"], "needs --value-schema FILE or --key-schema FILE"),
            (["--schema-registry", "http://127.0.0.1:1", "--value-schema", "v.avsc", "--format", "json"], "leave out --format"),
            (["--schema-registry", "http://127.0.0.1:1", "--key-schema", "k.avsc"], "--key-schema needs --key"),
            (
                ["--schema-registry", "http://127.0.0.1:1", "--key-schema", "k.avsc", "-K", ":"],
                "cannot be used with --key-separator"
            ),
        ])
    func refused(arguments: [String], reason: String) async throws {
        let outcome = try await KafkaProduceCommandTests.run(["-t", "orders"] + arguments)
        let errors = String(decoding: outcome.errors, as: UTF8.self)
        #expect(outcome.status == 64)
        #expect(errors.contains(reason), "\(errors)")
    }
}
