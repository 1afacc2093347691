extension OrderedDeliveryOutcomes {
    /// The decisions of ``OrderedDeliveryOutcomes``, one
    /// ``KafkaProducer/send(contentsOf:maxInFlight:)`` over an async sequence: which records were
    /// started, which outcomes arrived and wait to be read, who is waiting for what.
    ///
    /// A pure machine: each event returns what to resume; the shell resumes outside its lock.
    /// A record counts against `maxInFlight` from when it is pulled until its outcome is read, so
    /// a reader that stops reading stops the pulling (backpressure end to end).
    struct StateMachine<Reader, Pump> {
        typealias Outcome = Result<DeliveryReport, KafkaError>

        let maxInFlight: Int
        /// Outcomes that arrived ahead of the reader, by record index.
        private var arrived: [Int: Outcome] = [:]
        private var nextToRead = 0
        private var started = 0
        /// Set when the pump stopped pulling: `nil` error for the end of the records.
        private var sourceEnd: (any Error)?? = nil
        private var cancelled = false
        private var reader: Reader?
        private var pump: Pump?

        init(maxInFlight: Int) {
            self.maxInFlight = maxInFlight
        }

        private var hasRoom: Bool { started - nextToRead < maxInFlight }

        /// The pump asks for room to pull one more record: `true` to go on now, `false` to stop
        /// (cancelled), `nil` when it must wait (its continuation is kept until room is made).
        mutating func pumpWantsRoom(_ continuation: Pump) -> Bool? {
            if cancelled { return false }
            if hasRoom { return true }
            pump = continuation
            return nil
        }

        /// The pump pulled a record and starts sending it; returns its index.
        mutating func startRecord() -> Int {
            defer { started += 1 }
            return started
        }

        /// The pump stopped: the records ended (`nil`) or threw. Returns a reader to resume.
        mutating func sourceEnded(_ error: (any Error)?) -> (Reader, ReaderResult)? {
            sourceEnd = .some(error)
            guard let reader, nextToRead == started else { return nil }
            self.reader = nil
            return (reader, error.map { .failure($0) } ?? .end)
        }

        /// Record `index` has its outcome. Returns a reader to resume and a pump to wake.
        mutating func completed(_ index: Int, with outcome: Outcome) -> (reader: (Reader, ReaderResult)?, pump: Pump?) {
            guard !cancelled else { return (nil, nil) }
            guard index == nextToRead, let reader else {
                arrived[index] = outcome
                return (nil, nil)
            }
            self.reader = nil
            nextToRead += 1
            return ((reader, .outcome(outcome)), takePumpIfRoom())
        }

        /// The reader asks for the next outcome: returned at once with a pump to wake, or `nil`
        /// when the reader must wait (its continuation is kept).
        mutating func readerWantsNext(_ continuation: Reader) -> (result: ReaderResult, pump: Pump?)? {
            if cancelled { return (.end, nil) }
            if let outcome = arrived.removeValue(forKey: nextToRead) {
                nextToRead += 1
                return (.outcome(outcome), takePumpIfRoom())
            }
            if let sourceEnd, nextToRead == started {
                return (sourceEnd.map { .failure($0) } ?? .end, nil)
            }
            reader = continuation
            return nil
        }

        /// The reader was cancelled or dropped the sequence: stop pulling, end the reader.
        mutating func cancel() -> (reader: Reader?, pump: Pump?) {
            cancelled = true
            arrived.removeAll()
            defer {
                reader = nil
                pump = nil
            }
            return (reader, pump)
        }

        private mutating func takePumpIfRoom() -> Pump? {
            guard hasRoom, let pump else { return nil }
            self.pump = nil
            return pump
        }
    }
}
