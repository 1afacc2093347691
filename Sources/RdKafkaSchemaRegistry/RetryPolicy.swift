/// When a registry request is tried again, and after how long: the pure rules the client's
/// request loop follows.
///
/// Only failures the next attempt may not meet are retried: no answer at all (connection, TLS,
/// timeout) and 5xx. A 4xx is the registry's verdict on the request and is final.
struct RetryPolicy: Sendable {
    var maxRetries: Int
    var backoff: Duration
    var maxBackoff: Duration

    /// What an answer with `status` means.
    enum Verdict: Equatable {
        case success
        case retry
        case fail
    }

    static func verdict(forStatus status: Int) -> Verdict {
        switch status {
        case 200..<300: .success
        case 500..<600: .retry
        default: .fail
        }
    }

    /// The pause before retry `round` (1 for the first): `backoff` doubled each round, at most
    /// `maxBackoff`.
    func pause(beforeRound round: Int) -> Duration {
        var pause = backoff
        for _ in 1..<max(round, 1) {
            pause *= 2
            if pause >= maxBackoff { return maxBackoff }
        }
        return min(pause, maxBackoff)
    }
}
