import Foundation
import Testing

@testable import RdKafkaSchemaRegistry

struct RetryPolicyTests {
    @Test(
        "2xx succeeds, 5xx is retried, any other status is final",
        arguments: [
            (200, RetryPolicy.Verdict.success), (204, .success), (500, .retry), (503, .retry), (599, .retry),
            (400, .fail), (401, .fail), (404, .fail), (409, .fail), (422, .fail), (429, .fail), (302, .fail),
        ])
    func verdicts(status: Int, verdict: RetryPolicy.Verdict) {
        #expect(RetryPolicy.verdict(forStatus: status) == verdict)
    }

    @Test("The pause doubles each round and stops at the maximum")
    func backoffDoublesUpToTheMaximum() {
        let policy = RetryPolicy(maxRetries: 10, backoff: .milliseconds(100), maxBackoff: .milliseconds(500))
        #expect(
            (1...6).map { policy.pause(beforeRound: $0) } == [
                .milliseconds(100), .milliseconds(200), .milliseconds(400), .milliseconds(500), .milliseconds(500), .milliseconds(500),
            ])
    }

    #if canImport(FoundationNetworking)
        @Test("On Linux, URLSession's timeout is rounded up to whole seconds, never 0, which would end requests at once")
        func urlSessionTimeoutRoundsUp() {
            #expect(URLSessionTransport.timeoutInterval(for: .milliseconds(500)) == 1)
            #expect(URLSessionTransport.timeoutInterval(for: .milliseconds(1_200)) == 2)
            #expect(URLSessionTransport.timeoutInterval(for: .seconds(30)) == 30)
        }
    #endif
}
