extension ConnectionWaiters {
    /// The decisions of ``ConnectionWaiters``: a pure state machine over a ``WaiterTable``, driven
    /// under the shell's lock; the shell resumes what it hands back and runs the metadata probes it
    /// asks for, outside the lock. Generic over the continuation so that the unit tests can stand
    /// in numbers.
    ///
    /// One prober at a time asks a broker for metadata in short attempts while anyone waits: a
    /// success resolves every waiter, a waiter whose deadline passed fails with the problem that
    /// explains it, and the error events librdkafka reports meanwhile fail every waiter at once
    /// when they mean connecting cannot succeed. Cancellation and shutdown resolve a waiter at once,
    /// whatever the prober is doing.
    struct StateMachine<Continuation> {
        struct Waiter {
            var deadline: ContinuousClock.Instant
            /// As the caller gave it, for the error message.
            var timeout: Duration
        }

        /// What starting a wait asks of the caller.
        enum Start {
            /// Suspended; `startProber` when no prober runs yet.
            case wait(startProber: Bool)
            /// Resume at once with this failure.
            case fail(KafkaError)
        }

        /// What the prober does next.
        enum ProbeStep: Equatable {
            /// Ask for metadata, blocking up to this many milliseconds.
            case probe(milliseconds: Int32)
            /// Nobody waits any more: the prober ends.
            case stop
        }

        /// The longest one attempt may block, so that an error event's early answer, a deadline or
        /// a shutdown never waits long for the attempt in progress.
        static var longestAttemptMilliseconds: Int32 { 200 }

        private var table = WaiterTable<Continuation, Waiter>()
        private(set) var isProbing = false
        private(set) var isClosed = false
        /// The latest connection problem, to explain a later timeout.
        private(set) var lastProblem: KafkaError?
        /// Bootstrap brokers whose connection failed since the oldest waiter started waiting.
        /// librdkafka says "all brokers down" once, possibly before anyone waited; connection
        /// failures it repeats on every retry.
        private var failingBootstrapBrokers: Set<String> = []
        /// Whether librdkafka has learned brokers from metadata (an error named one by its id): then
        /// the bootstrap list no longer bounds who can answer, and only a probe's outcome or the
        /// deadline decides.
        private var knowsLearnedBrokers = false
        /// How many bootstrap brokers there are: when that many have failed to connect since a
        /// caller started waiting, and no broker was learned from metadata, none can answer.
        let bootstrapBrokerCount: Int
        /// The SASL mechanism, named in authentication errors that do not name it themselves.
        let saslMechanism: String?

        init(bootstrapBrokerCount: Int, saslMechanism: String?) {
            self.bootstrapBrokerCount = bootstrapBrokerCount
            self.saslMechanism = saslMechanism
        }

        var waitingCount: Int { table.waitingCount }

        mutating func reserve() -> UInt64 {
            table.reserve()
        }

        /// Starts waiter `id`, reserved before the task suspended.
        mutating func start(_ id: UInt64, continuation: Continuation, deadline: ContinuousClock.Instant, timeout: Duration) -> Start {
            if table.takeEarlyCancellation(id) { return .fail(.cancelled()) }
            if isClosed {
                table.release(id)
                return .fail(.shutDown())
            }
            if table.waitingCount == 0 { failingBootstrapBrokers.removeAll() }
            table.register(id, continuation: continuation, payload: Waiter(deadline: deadline, timeout: timeout))
            defer { isProbing = true }
            return .wait(startProber: !isProbing)
        }

        /// Cancels waiter `id`: its continuation, to resume with ``KafkaError/Code/cancelled``, if
        /// it was waiting.
        mutating func cancel(_ id: UInt64) -> Continuation? {
            table.cancel(id)?.0
        }

        /// The prober's next step; `.stop` ends it (and the next waiter starts a new one).
        mutating func nextProbe(now: ContinuousClock.Instant) -> ProbeStep {
            guard let earliest = table.waitingPayloads.lazy.map(\.deadline).min() else {
                isProbing = false
                return .stop
            }
            let remaining = QueueRoomWaiters.StateMachine<Never>.millisecondsPast(earliest - now)
            return .probe(milliseconds: max(1, min(remaining, Self.longestAttemptMilliseconds)))
        }

        /// A metadata attempt ended: success resolves everyone; a failure fails the waiters whose
        /// deadline has passed, with the problem that explains it.
        mutating func probeFinished(failure: KafkaError?, now: ContinuousClock.Instant) -> [(Continuation, KafkaError?)] {
            guard let failure else {
                // Connected: earlier problems no longer explain anything, and metadata named the
                // brokers.
                lastProblem = nil
                knowsLearnedBrokers = true
                return table.removeAll { _ in true }.map { ($0.0, nil) }
            }
            return table.removeAll { $0.deadline <= now }.map { continuation, waiter in
                (continuation, explain(timeoutAfter: failure, waited: waiter.timeout))
            }
        }

        /// An error event from librdkafka: the waiters to fail, with the error they get, when it
        /// means connecting cannot succeed as configured.
        mutating func clientError(_ error: KafkaError) -> [(Continuation, KafkaError)] {
            guard let failure = outcome(of: error) else { return [] }
            return table.removeAll { _ in true }.map { ($0.0, failure) }
        }

        /// Shutdown: every waiter resolves with ``KafkaError/Code/shutdown``, and so does every later one.
        mutating func close() -> [Continuation] {
            isClosed = true
            return table.removeAll { _ in true }.map(\.0)
        }

        /// Error codes that mean connecting cannot succeed as configured, so waiters fail at once.
        /// "All brokers down" is not one: librdkafka may say it before the error that explains it,
        /// so waiters go on until that error (or every bootstrap broker's failure) arrives.
        static var connectionFailures: Set<KafkaError.Code> {
            [.ssl, .authentication, .saslAuthenticationFailed, .resolve]
        }

        /// Whether an error event concerns connecting at all.
        static func concernsConnecting(_ code: KafkaError.Code) -> Bool {
            connectionFailures.contains(code) || code == .transport || code == .badMessage || code == .allBrokersDown
        }

        /// Whether a broker name is one librdkafka learned from metadata: "host:port/ID", the ID a
        /// number (logical brokers such as "TxnCoordinator" have no address).
        static func isLearnedBroker(_ name: Substring) -> Bool {
            guard let slash = name.lastIndex(of: "/"), name[..<slash].contains(":") else { return false }
            let id = name[name.index(after: slash)...]
            return !id.isEmpty && id.allSatisfy(\.isNumber)
        }

        private func explain(timeoutAfter error: KafkaError, waited timeout: Duration) -> KafkaError {
            if let lastProblem { return lastProblem }
            var error = error
            error.message = "no broker answered within \(timeout): \(error.message)"
            return error
        }

        /// What a connection error means for the waiters: `nil` to keep waiting, or the error to
        /// fail them with. Remembers the problem for a later timeout.
        private mutating func outcome(of error: KafkaError) -> KafkaError? {
            guard Self.concernsConnecting(error.code) else { return nil }
            var error = error
            // librdkafka reports a failed TLS handshake as a transport error; it is a TLS problem.
            if error.code == .transport && error.message.contains("SSL") { error.code = .ssl }
            if error.code == .authentication || error.code == .saslAuthenticationFailed, let saslMechanism,
                !error.message.contains(saslMechanism)
            {
                error.message += " (sasl.mechanisms \(saslMechanism))"
            }
            switch error.code {
            case .allBrokersDown:
                return nil
            case .transport, .badMessage:
                // A broker that answers with something other than Kafka shows up as a bad message.
                if error.code == .badMessage { error.message += " (is this a Kafka listener, with the right security protocol?)" }
                lastProblem = error
                // librdkafka's messages start with the broker's name: "host:port/bootstrap: ..." for
                // an address from the bootstrap list, "host:port/ID: ..." for one learned from
                // metadata. Behind a load balancer one bootstrap address stands for many brokers, so
                // a learned broker's failure says nothing about the others.
                if let end = error.message.range(of: ": ") {
                    let broker = error.message[..<end.lowerBound]
                    if broker.hasSuffix("/bootstrap") {
                        failingBootstrapBrokers.insert(String(broker))
                    } else if Self.isLearnedBroker(broker) {
                        knowsLearnedBrokers = true
                    }
                }
                guard table.waitingCount > 0, !knowsLearnedBrokers, failingBootstrapBrokers.count >= bootstrapBrokerCount
                else { return nil }
                error.message = "none of the \(bootstrapBrokerCount) bootstrap brokers could be reached; last error: \(error.message)"
                return error
            default:
                lastProblem = error
                return Self.connectionFailures.contains(error.code) ? error : nil
            }
        }
    }
}
