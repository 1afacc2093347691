import Foundation
import RdKafka
import RdKafkaAWS
import Synchronization
import Testing

/// When the token provider fetches credentials again, and how long its tokens live, on a clock
/// the test moves by hand.
@Suite("MSK IAM token provider")
struct TokenProviderTests {
    /// Hands out credentials that expire `lifetime` after the test clock's time, counting calls.
    final class CountingCredentials: AWSCredentialsProvider {
        let calls = Atomic<Int>(0)
        let clock: ManualClock
        let lifetime: TimeInterval?

        init(clock: ManualClock, lifetime: TimeInterval?) {
            self.clock = clock
            self.lifetime = lifetime
        }

        var name: String { "counting" }

        func credentials() async throws -> AWSCredentials {
            let call = calls.add(1, ordering: .relaxed).newValue
            return AWSCredentials(
                accessKeyID: "ASIACALL\(call)", secretAccessKey: Secret("secret-\(call)"), sessionToken: Secret("token-\(call)"),
                expiration: lifetime.map { clock.now.addingTimeInterval($0) })
        }
    }

    final class ManualClock: Sendable {
        private let time = Mutex(Date(timeIntervalSince1970: 1_800_000_000))
        var now: Date { time.withLock { $0 } }
        func advance(_ seconds: TimeInterval) { time.withLock { $0 += seconds } }
    }

    @Test("Credentials are kept until 5 minutes before they expire, then fetched again; a token never outlives them")
    func refreshBeforeExpiry() async throws {
        let clock = ManualClock()
        let source = CountingCredentials(clock: clock, lifetime: 3600)
        let provider = MSKIAMTokenProvider(signer: MSKIAMTokenSigner(region: "us-east-1"), credentials: source, now: { clock.now })

        let first = try await provider.token()
        #expect(first.principal == "ASIACALL1")
        #expect(first.expiry == clock.now.addingTimeInterval(900))
        clock.advance(3000)  // 10 minutes of the credentials left: kept
        let second = try await provider.token()
        #expect(second.principal == "ASIACALL1")
        #expect(source.calls.load(ordering: .relaxed) == 1)
        clock.advance(400)  // 200 s left, under the margin: fetched again
        let third = try await provider.token()
        #expect(third.principal == "ASIACALL2")
        #expect(source.calls.load(ordering: .relaxed) == 2)
        // Each librdkafka refresh signs anew: the same credentials, a later X-Amz-Date.
        #expect(decodeBase64URL(first.value) != decodeBase64URL(second.value))
    }

    @Test("Short-lived credentials cut the token's expiry to theirs, so librdkafka asks again in time")
    func tokenExpiresWithCredentials() async throws {
        let clock = ManualClock()
        let source = CountingCredentials(clock: clock, lifetime: 120)
        let provider = MSKIAMTokenProvider(signer: MSKIAMTokenSigner(region: "us-east-1"), credentials: source, now: { clock.now })
        let token = try await provider.token()
        #expect(token.expiry == clock.now.addingTimeInterval(120))
    }

    @Test("Credentials without an expiry are fetched once")
    func longTermCredentialsKept() async throws {
        let clock = ManualClock()
        let source = CountingCredentials(clock: clock, lifetime: nil)
        let provider = MSKIAMTokenProvider(signer: MSKIAMTokenSigner(region: "us-east-1"), credentials: source, now: { clock.now })
        for _ in 0..<3 {
            _ = try await provider.token()
            clock.advance(86_400)
        }
        #expect(source.calls.load(ordering: .relaxed) == 1)
    }

    @Test("Bad regions, lifetimes and credentials are refused naming the culprit, never the secret")
    func signerRefusals() throws {
        let credentials = AWSCredentials(accessKeyID: "AKIAX", secretAccessKey: "top-secret-value")
        let now = Date(timeIntervalSince1970: 1_800_000_000)
        let refusals: [(MSKIAMTokenSigner, AWSCredentials, String)] = [
            (MSKIAMTokenSigner(region: "US East 1"), credentials, "'US East 1' is not an AWS region"),
            (MSKIAMTokenSigner(region: ""), credentials, "is not an AWS region"),
            (MSKIAMTokenSigner(region: "us-east-1", lifetime: .zero), credentials, "lifetime"),
            (MSKIAMTokenSigner(region: "us-east-1", lifetime: .milliseconds(1500)), credentials, "lifetime"),
            (MSKIAMTokenSigner(region: "us-east-1", lifetime: .seconds(604_801)), credentials, "lifetime"),
            (MSKIAMTokenSigner(region: "us-east-1"), AWSCredentials(accessKeyID: "", secretAccessKey: "top-secret-value"), "empty"),
            (
                MSKIAMTokenSigner(region: "us-east-1"),
                AWSCredentials(accessKeyID: "AKIAX", secretAccessKey: "top-secret-value", expiration: now.addingTimeInterval(-1)), "expired"
            ),
        ]
        for (signer, credentials, expected) in refusals {
            let error = try #require(throws: MSKIAMSigningError.self) { try signer.token(credentials: credentials, signingTime: now) }
            #expect(error.reason.contains(expected), "\(error)")
            #expect(!"\(error)".contains("top-secret-value"))
        }
    }

    @Test("The preset is SASL_SSL with OAUTHBEARER, and its description shows no key")
    func preset() {
        let security = SecurityConfiguration.awsMSKIAM(
            region: "us-east-1", credentials: AWSCredentials(accessKeyID: "AKIAX", secretAccessKey: "top-secret-value"))
        #expect(security.securityProtocol == "sasl_ssl")
        #expect(security.sasl?.mechanismName == "OAUTHBEARER")
        #expect(!"\(security)".contains("top-secret-value"))
    }
}
