import Foundation
import RdKafka
import TestSupport
import Testing

/// The logins in scripts/broker/sasl_users.json, the gateway's user table.
enum SASLUsers {
    static let alice = (name: "alice", password: "alice-secret")
    /// The reader's login; its session does not expire.
    static let reader = (name: "reader", password: "reader-secret")
    /// A user whose sessions last 2 s, so clients must re-authenticate mid-stream.
    static let reauth = (name: "reauth", password: "reauth-secret")
    static let confluentAPIKey = (name: "CONFLUENTAPIKEY1", password: "confluent-api-secret")
    static let msk = (name: "msk-user", password: "msk-secret")
    static let eventHubsConnectionString =
        "Endpoint=sb://test-namespace.servicebus.windows.net/;SharedAccessKeyName=RootManageSharedAccessKey;SharedAccessKey=dGVzdC1rZXk="
    static let redpanda = (name: "redpanda-user", password: "redpanda-secret")
    static let aiven = (name: "avnadmin", password: "aiven-secret")
    /// The gateway's MSK IAM entry: the cluster's region and the one key pair it knows.
    static let mskIAM = (
        region: "us-east-1", accessKeyID: "AKIAMSKIAMTESTKEY001", secret: "msk-iam-test-secret/0123456789+abcdefghijkl",
        user: "msk-iam-user"
    )
}

/// The two ways to reach the gateway.
enum SASLTransport: String, CaseIterable, CustomStringConvertible {
    case plaintext = "sasl_plaintext"
    case ssl = "sasl_ssl"

    var description: String { rawValue }
}

extension BrokerEnvironment {
    func bootstrap(_ transport: SASLTransport) -> String {
        transport == .ssl ? saslSSL : sasl
    }

    /// The gateway's log lines for logins by `clientID` that succeeded (or, with `succeeded`
    /// false, failed).
    func logins(by clientID: String, transport: SASLTransport, succeeded: Bool = true) throws -> [String] {
        let log = try String(contentsOfFile: transport == .ssl ? saslSSLLog : saslLog, encoding: .utf8)
        return log.split(separator: "\n").map(String.init).filter {
            $0.hasPrefix("auth client_id=\(clientID) ") && $0.contains(succeeded ? "outcome=ok" : "outcome=failed")
        }
    }

    /// Reads `count` records of `topic` back with kafka-python, logged in as the reader with
    /// SCRAM-SHA-512 (through stunnel for SASL_SSL), and returns their values as text.
    func readBackValues(topic: String, count: Int, transport: SASLTransport) async throws -> [String] {
        try await readBackValues(
            ["--sasl", "SCRAM-SHA-512", SASLUsers.reader.name, SASLUsers.reader.password, bootstrap(transport), topic, "\(count)"]
                + (transport == .ssl ? [ca] : []))
    }

    /// Runs scripts/broker/read-back with `arguments` and returns the values read, as text.
    func readBackValues(_ arguments: [String]) async throws -> [String] {
        struct ReadRecord: Decodable { var value: String? }
        let script = URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("scripts/broker/read-back")
        let outcome = try await ChildProcess.run(script.path, arguments)
        try #require(outcome.status == 0, "read-back exited with \(outcome.status): \(String(decoding: outcome.errors, as: UTF8.self))")
        return try JSONDecoder().decode([ReadRecord].self, from: outcome.output).map { record in
            var bytes: [UInt8] = []
            var digits = (record.value ?? "").makeIterator()
            while let high = digits.next(), let low = digits.next() { bytes.append(UInt8(String([high, low]), radix: 16) ?? 0) }
            return String(decoding: bytes, as: UTF8.self)
        }
    }
}

/// An unsecured JWT (`alg: none`) for `subject`, valid until `expiry`: what the gateway accepts.
/// `exp` keeps milliseconds (RFC 7519 allows a fraction), so the gateway and librdkafka agree on it.
func unsecuredJWT(subject: String, expiry: Date) -> OAuthBearerToken {
    let expiry = Date(timeIntervalSince1970: (expiry.timeIntervalSince1970 * 1000).rounded(.down) / 1000)
    func encode(_ json: String) -> String {
        Data(json.utf8).base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }
    let claims =
        "{\"sub\":\"\(subject)\",\"exp\":\(String(format: "%.3f", expiry.timeIntervalSince1970)),\"iat\":\(Int(Date().timeIntervalSince1970))}"
    let token = encode("{\"alg\":\"none\"}") + "." + encode(claims) + "."
    return OAuthBearerToken(value: Secret(token), expiry: expiry, principal: subject)
}

/// Sends `count` records to a new topic with awaited sends, shuts the producer down, and checks
/// kafka-python reads every value back.
func sendAndReadBack(
    _ producer: KafkaProducer, broker: BrokerEnvironment, transport: SASLTransport, stem: String, count: Int = 10
) async throws {
    let topic = BrokerEnvironment.uniqueTopic(stem)
    for index in 0..<count {
        _ = try await producer.send(ProducerRecord(topic: topic, key: "k\(index)", value: "\(stem)-\(index)"))
    }
    await producer.shutdown()
    let values = try await broker.readBackValues(topic: topic, count: count, transport: transport)
    #expect(Set(values) == Set((0..<count).map { "\(stem)-\($0)" }))
    #expect(values.count == count)
}
