import Foundation
import RdKafka
import RdKafkaAWS
import TestSupport
import Testing

/// The signer against AWS's own: for the same keys, region, lifetime and signing time, the
/// decoded token equals the one aws-msk-iam-sasl-signer-python 1.0.2 makes (through botocore
/// 1.43.11, clock fixed where botocore reads it) up to and including X-Amz-Signature.
@Suite("MSK IAM tokens match AWS's Python signer byte for byte", .timeLimit(.minutes(5)))
struct SignerComparisonTests {
    struct Case: Encodable, CustomStringConvertible {
        var access_key: String
        var secret_key: String
        var session_token: String?
        var region: String
        var expiry_seconds: Int
        var signing_time: Double

        var description: String { "\(region), \(expiry_seconds) s, \(session_token == nil ? "no session token" : "session token")" }
    }

    static let cases: [Case] = [
        Case(
            access_key: "AKIAIOSFODNN7EXAMPLE", secret_key: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", session_token: nil,
            region: "us-east-1", expiry_seconds: 900, signing_time: 1_700_000_000),
        Case(
            access_key: "ASIAIOSFODNN7EXAMPLE", secret_key: "je7MtGbClwBF/2Zp9Utk/h3yCo8nvbEXAMPLEKEY",
            session_token: "IQoJb3JpZ2luX2VjEJr//////////wEaCXVzLWVhc3QtMSJHMEUCIQD+abc=/def+ghi==", region: "eu-west-1",
            expiry_seconds: 900, signing_time: 1_717_171_717.75),
        Case(
            access_key: "ASIAEXAMPLEKEY000002", secret_key: "secret with spaces & symbols ~!*'()", session_token: "token~with spaces",
            region: "ap-southeast-2", expiry_seconds: 300, signing_time: 1_704_067_199),
        Case(
            access_key: "AKIAEXAMPLEKEY000003", secret_key: "0123456789abcdefghij0123456789ABCDEFGHIJ", session_token: nil,
            region: "us-gov-west-1", expiry_seconds: 3600, signing_time: 951_782_400),
        Case(
            access_key: "ASIAEXAMPLEKEY000004", secret_key: "cn/secret+key=", session_token: "FwoGZXIvYXdzEBYaDNOTAREALTOKEN",
            region: "cn-north-1",
            expiry_seconds: 60, signing_time: 2_000_000_000),
    ]

    @Test("Each case's token equals the Python signer's up to X-Amz-Signature; only User-Agent differs")
    func matchesPythonSigner() async throws {
        let outcome = try await ChildProcess.run(
            repositoryRoot.appendingPathComponent("scripts/aws/sign").path, [], input: try JSONEncoder().encode(Self.cases))
        try #require(outcome.status == 0, "scripts/aws/sign: \(String(decoding: outcome.errors, as: UTF8.self))")
        struct Signed: Decodable {
            var token: String
            var expiry_ms: Int64
        }
        let theirs = try JSONDecoder().decode([Signed].self, from: outcome.output)
        try #require(theirs.count == Self.cases.count)
        for (testCase, their) in zip(Self.cases, theirs) {
            let signer = MSKIAMTokenSigner(region: testCase.region, lifetime: .seconds(testCase.expiry_seconds))
            let credentials = AWSCredentials(
                accessKeyID: testCase.access_key, secretAccessKey: Secret(testCase.secret_key),
                sessionToken: testCase.session_token.map { Secret($0) })
            let ours = try signer.token(credentials: credentials, signingTime: Date(timeIntervalSince1970: testCase.signing_time))
            let ourURL = try #require(decodeBase64URL(ours.value), "\(testCase)")
            let theirURL = try #require(decodeBase64URL(their.token), "\(testCase)")
            let signedPart = { (url: String) -> Substring? in
                guard let signature = url.range(of: "&X-Amz-Signature=") else { return nil }
                return url[..<(url[signature.upperBound...].firstIndex(of: "&") ?? url.endIndex)]
            }
            #expect(
                signedPart(ourURL) != nil && signedPart(ourURL) == signedPart(theirURL),
                "\(testCase)\nours:   \(ourURL)\ntheirs: \(theirURL)")
            #expect(theirURL.hasSuffix("&User-Agent=aws-msk-iam-sasl-signer-python%2F1.0.2"), "\(theirURL)")
            #expect(ourURL.hasSuffix("&User-Agent=swift-rdkafka"), "\(ourURL)")
            #expect(Int64(ours.expiry.timeIntervalSince1970 * 1000) == their.expiry_ms, "\(testCase)")
            // No padding, URL-safe alphabet: librdkafka and MSK take the token as it is.
            #expect(!secretText(ours.value).contains(where: { "=+/".contains($0) }))
        }
    }
}

/// The text of a secret (package-visible), for checking a token's bytes as librdkafka gets them.
func secretText(_ secret: Secret) -> String { secret.value }

func decodeBase64URL(_ secret: Secret) -> String? { decodeBase64URL(secretText(secret)) }

func decodeBase64URL(_ text: String) -> String? {
    var base64 = text.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
    base64 += String(repeating: "=", count: (4 - base64.count % 4) % 4)
    return Data(base64Encoded: base64).map { String(decoding: $0, as: UTF8.self) }
}
