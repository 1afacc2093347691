internal import RdKafkaBridge

/// The callers of ``KafkaProducer/waitUntilConnected(timeout:)``. Decides under its lock (the
/// decisions are its ``StateMachine``'s), resumes and probes outside it. Shared by
/// ``ProducerCore/waitUntilConnected(timeout:)`` and the drain's delegate (error events); it holds
/// neither.
final class ConnectionWaiters: Sendable {
    typealias Continuation = CheckedContinuation<KafkaError?, Never>

    private let waiters: LockedValue<StateMachine<Continuation>>
    private let client: ProducerClient
    private let handleAlive: HandleGate

    init(client: ProducerClient, handleAlive: HandleGate, bootstrapBrokerCount: Int, saslMechanism: String?) {
        self.client = client
        self.handleAlive = handleAlive
        waiters = LockedValue(StateMachine(bootstrapBrokerCount: bootstrapBrokerCount, saslMechanism: saslMechanism))
    }

    /// Waits until a broker answered a metadata request, a connection error says none will,
    /// `timeout` passes, the task is cancelled or the producer shuts down.
    func wait(timeout: Duration) async throws(KafkaError) {
        let deadline = ContinuousClock.now + timeout
        let id = waiters.withLock { $0.reserve() }
        let failure = await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: Continuation) in
                switch waiters.withLock({ $0.start(id, continuation: continuation, deadline: deadline, timeout: timeout) }) {
                case .wait(let startProber):
                    if startProber { BlockingExecutor.shared.execute { [self] in probe() } }
                case .fail(let error):
                    continuation.resume(returning: error)
                }
            }
        } onCancel: {
            waiters.withLock { $0.cancel(id) }?.resume(returning: .cancelled())
        }
        if let failure { throw failure }
    }

    /// An error event from librdkafka.
    func clientError(_ error: KafkaError) {
        guard StateMachine<Continuation>.concernsConnecting(error.code) else { return }
        var error = error
        // OpenSSL's reason for refusing the certificate, caught by the verify callback, says
        // more than librdkafka's generic advice.
        if error.code == .ssl || (error.code == .transport && error.message.contains("SSL")) {
            error.message = client.explainingTLSVerificationFailure(error.message)
        }
        for (continuation, failure) in waiters.withLock({ $0.clientError(error) }) {
            continuation.resume(returning: failure)
        }
    }

    /// Shutdown: every waiter, and every later one, fails with ``KafkaError/Code/shutdown``.
    func close() {
        for continuation in waiters.withLock({ $0.close() }) { continuation.resume(returning: .shutDown()) }
    }

    /// The prober, on the blocking executor: short metadata attempts while anyone waits.
    /// `rd_kafka_metadata` cannot be interrupted; each attempt holds the "handle alive" gate so
    /// that shutdown cannot destroy the handle under it.
    private func probe() {
        while case .probe(let milliseconds) = waiters.withLock({ $0.nextProbe(now: .now) }) {
            guard handleAlive.enter() else {
                close()
                continue
            }
            let failure = client.requestMetadata(milliseconds: milliseconds).map(KafkaError.init)
            handleAlive.leave()
            for (continuation, result) in waiters.withLock({ $0.probeFinished(failure: failure, now: .now) }) {
                continuation.resume(returning: result)
            }
        }
    }
}
