extension RecordsInFlight {
    /// Every record between a sender and its report, by stage: handed to librdkafka (a sender is
    /// inside its produce call), accepted and unreported, reported. A pure value driven under
    /// the shell's lock; the shell resumes, signals and logs outside it.
    ///
    /// The rules it keeps, so that no caller has to:
    /// - **Nothing is handed over once closing has begun**, and closing waits until every
    ///   sender already inside librdkafka's produce call has left: after that, no record can
    ///   join what shutdown flushes, purges and fails.
    /// - **An awaited caller is registered before librdkafka sees its record**, since the
    ///   report can come before the produce call returns, and it is unregistered by the report
    ///   (before the caller is resumed: its next send registers the same key) or by the refusal.
    /// - **A record counts once librdkafka accepted it**, so ``outstanding`` never includes a
    ///   record still being handed over or one refused. Its report can be handled before the
    ///   sender counts it (the drain runs on another thread): the figure then lags by the records
    ///   in that window, never exceeds what librdkafka holds, and is exact once no sender is
    ///   inside.
    /// - **What was never reported ends at close**: ``takeLeftovers()`` hands back every
    ///   registered caller and batch and counts the fire-and-forget records as dropped.
    ///
    /// `Batch` is the batch collector's type; tests use their own.
    struct StateMachine<Batch: AnyObject> {
        /// Senders inside librdkafka's produce call.
        private(set) var sendersInside = 0
        private(set) var isClosed = false
        /// Closing is blocked until the last sender inside leaves.
        private var closerWaiting = false
        /// Accepted minus reported; below 0 only while reports race the counts of their records.
        private var acceptedMinusReported = 0
        /// Awaited senders whose record librdkafka may hold, by key (their opaque's bits).
        private(set) var awaiting: Set<UInt> = []
        private var batches: [ObjectIdentifier: Batch] = [:]
        /// Records reported with a purge error so far.
        private(set) var purgedReports = 0
        /// Fire-and-forget records never reported before the handle was destroyed.
        private(set) var droppedAtClose = 0

        /// Records librdkafka accepted whose report has not been handled yet.
        var outstanding: Int { max(0, acceptedMinusReported) }

        /// How many awaited senders and batches are registered.
        var registeredCallers: Int { awaiting.count + batches.count }

        /// A sender is about to hand a record to librdkafka; `awaiting` is the key of an awaited
        /// sender. Returns `false` once closing has begun: the record must not be handed over.
        mutating func handOver(awaiting key: UInt?) -> Bool {
            guard !isClosed else { return false }
            sendersInside += 1
            if let key { awaiting.insert(key) }
            return true
        }

        /// What a sender leaving librdkafka's produce call must do.
        enum Departure: Equatable {
            case none
            /// It was the last sender inside a closing producer: let the closer go on.
            case releaseCloser
        }

        /// librdkafka's produce call returned for a record handed over with
        /// ``handOver(awaiting:)``: it was accepted, or refused (then no report will come).
        mutating func handedOver(accepted: Bool, awaiting key: UInt?) -> Departure {
            precondition(sendersInside > 0, "a sender left librdkafka without handing a record over")
            sendersInside -= 1
            if accepted {
                acceptedMinusReported += 1
            } else if let key {
                awaiting.remove(key)
            }
            guard isClosed, closerWaiting, sendersInside == 0 else { return .none }
            closerWaiting = false
            return .releaseCloser
        }

        /// One delivery event's reports were decoded: `count` records, of which `purged` failed
        /// with a purge error; `awaitingKeys` are its awaited senders, about to be resumed.
        mutating func reported(count: Int, purged: Int, awaitingKeys: some Sequence<UInt>) {
            acceptedMinusReported -= count
            purgedReports += purged
            for key in awaitingKeys { awaiting.remove(key) }
        }

        /// A batch starts handing records over; it stays registered until it has every outcome.
        mutating func batchStarted(_ batch: Batch) {
            batches[ObjectIdentifier(batch)] = batch
        }

        /// A batch has every outcome.
        mutating func batchEnded(_ batch: Batch) {
            batches.removeValue(forKey: ObjectIdentifier(batch))
        }

        /// What closing must do next.
        enum Closing: Equatable {
            /// Senders are still inside librdkafka: wait until the last one leaves.
            case waitForSenders
            /// Nobody is inside, and nobody will enter.
            case sendersGone
        }

        /// Closing begins: every later ``handOver(awaiting:)`` is refused.
        mutating func close() -> Closing {
            isClosed = true
            guard sendersInside > 0 else { return .sendersGone }
            closerWaiting = true
            return .waitForSenders
        }

        /// What no report will end any more, once the drain has stopped.
        struct Leftovers {
            var awaitingKeys: [UInt]
            var batches: [Batch]
            /// Records accepted and never reported, whichever caller they belong to.
            var unreported: Int
        }

        /// Takes every registered caller and the count of unreported records, after the drain
        /// stopped: no report can come. `failed` is then told how many of the unreported records
        /// had a caller (it fails them); the rest are counted in ``droppedAtClose``.
        mutating func takeLeftovers() -> Leftovers {
            precondition(isClosed && sendersInside == 0, "leftovers taken while records can still be handed over")
            defer {
                awaiting = []
                batches = [:]
                acceptedMinusReported = 0
            }
            return Leftovers(awaitingKeys: Array(awaiting), batches: Array(batches.values), unreported: outstanding)
        }

        /// Of the unreported records, `failedCallers` had a caller who was failed; the others
        /// were fire-and-forget, and their reports count as dropped.
        mutating func leftoversFailed(unreported: Int, failedCallers: Int) {
            droppedAtClose += max(0, unreported - failedCallers)
        }
    }
}
