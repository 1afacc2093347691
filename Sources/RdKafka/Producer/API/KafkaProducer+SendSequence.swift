extension KafkaProducer {
    /// Sends the records of an async sequence as they come, at most `maxInFlight` at a time,
    /// and returns their outcomes in the order of the records, each as soon as it and those
    /// before it are known.
    ///
    /// ```swift
    /// let records = lines.map { ProducerRecord(topic: "lines", value: $0) }
    /// for try await outcome in producer.send(contentsOf: records, maxInFlight: 500) {
    ///     if case .failure(let error) = outcome { print(error) }
    /// }
    /// ```
    ///
    /// See <doc:SendingSequences>.
    ///
    /// **Backpressure.** A record counts against `maxInFlight` from when it is pulled from
    /// `records` until its outcome is read from the returned sequence: a reader that reads
    /// slowly (or not at all) slows the pulling down to its own pace, and no more than
    /// `maxInFlight` outcomes are ever held.
    ///
    /// **Cancellation.** Cancelling the task that reads the outcomes, or dropping the sequence,
    /// stops the pulling: `records` is not asked for another element, and the outcome sequence
    /// ends. Records already handed to the producer are still delivered (or fail) as usual;
    /// their outcomes are no longer reported.
    ///
    /// **Order.** Each record is handed to the producer before the next one is pulled, so
    /// records for one partition are written in the order of the sequence (as with
    /// ``send(_:)`` from one task, a record that waits for room in a full queue may be overtaken).
    /// Sending starts at once, whether or not the outcomes are read yet.
    ///
    /// **Shutdown.** Once the producer shuts down, `records` is asked for no further element:
    /// the outcomes of the records already pulled are returned (one that `records` was
    /// producing as shutdown began fails with ``KafkaError/Code/shutdown``), then the sequence
    /// throws ``KafkaError/Code/shutdown``, so that a reader knows `records` was not read to
    /// its end.
    ///
    /// - Parameters:
    ///   - records: The records; pulled only as room allows.
    ///   - maxInFlight: How many records may be pulled and not yet have their outcome read; at
    ///     least 1.
    /// - Returns: One outcome per record, in order. The sequence throws the error `records`
    ///   threw once the outcomes before it were read, or ``KafkaError/Code/invalidArgument``
    ///   at once for a `maxInFlight` below 1.
    public func send<Records: AsyncSequence>(contentsOf records: sending Records, maxInFlight: Int) -> OrderedDeliveryOutcomes
    where Records.Element == ProducerRecord {
        let state = OrderedDeliveryOutcomes.State(OrderedDeliveryOutcomes.Machine(maxInFlight: max(maxInFlight, 1)))
        guard maxInFlight >= 1 else {
            _ = state.withLock {
                $0.sourceEnded(
                    KafkaError(code: .invalidArgument, message: "maxInFlight must be at least 1, but it is \(maxInFlight)"))
            }
            return OrderedDeliveryOutcomes(state: state, pump: nil)
        }
        let source: any RecordSource = IteratorSource(records.makeAsyncIterator())
        let pump = Task { [self] in
            await withDiscardingTaskGroup { group in
                do {
                    while await Self.waitForRoom(in: state) {
                        // After shutdown every record would only fail: stop pulling, as the
                        // collection form stops enqueueing.
                        guard !core.inFlight.isClosed else {
                            let stopped = KafkaError(
                                code: .shutdown, message: "the producer shut down; no more records were taken from the sequence")
                            if let (reader, result) = state.withLock({ $0.sourceEnded(stopped) }) { reader.resume(returning: result) }
                            return
                        }
                        guard let record = try await source.next() else {
                            if let (reader, result) = state.withLock({ $0.sourceEnded(nil) }) { reader.resume(returning: result) }
                            return
                        }
                        let index = state.withLock { $0.startRecord() }
                        let send: @Sendable () async -> Void = {
                            let outcome: Result<DeliveryReport, KafkaError>
                            do {
                                outcome = .success(try await self.send(record))
                            } catch {
                                outcome = .failure(error as? KafkaError ?? KafkaError(code: .invalidRecord, message: "\(error)"))
                            }
                            let (reader, pump) = state.withLock { $0.completed(index, with: outcome) }
                            if let (reader, result) = reader { reader.resume(returning: result) }
                            pump?.resume(returning: true)
                        }
                        Self.start(send, in: &group)
                    }
                } catch {
                    if let (reader, result) = state.withLock({ $0.sourceEnded(error) }) { reader.resume(returning: result) }
                }
            }
        }
        return OrderedDeliveryOutcomes(state: state, pump: pump)
    }

    /// Starts a record's send so that it runs up to the producer's enqueue before the pump goes
    /// on: an immediate task runs on the pump's thread until its first suspension, which comes
    /// once librdkafka has the record.
    private static func start(_ send: @escaping @Sendable () async -> Void, in group: inout DiscardingTaskGroup) {
        #if compiler(>=6.2)
            if #available(macOS 26.0, iOS 26.0, tvOS 26.0, watchOS 26.0, visionOS 26.0, *) {
                group.addImmediateTask(operation: send)
                return
            }
        #endif
        // Older toolchains and systems: the sends start in order but may reach librdkafka out of it.
        group.addTask(operation: send)
    }

    private static func waitForRoom(in state: OrderedDeliveryOutcomes.State) async -> Bool {
        await withUnsafeContinuation { (continuation: UnsafeContinuation<Bool, Never>) in
            if let decision = state.withLock({ $0.pumpWantsRoom(continuation) }) {
                continuation.resume(returning: decision)
            }
        }
    }
}

/// The records of one ``KafkaProducer/send(contentsOf:maxInFlight:)``, without their type, so
/// that the pump task captures no generic type.
private protocol RecordSource: Sendable {
    func next() async throws -> ProducerRecord?
}

/// `@unchecked Sendable`: the iterator was handed over (`sending`) by the caller and is then
/// used by the pump task alone, one call at a time.
private final class IteratorSource<Iterator: AsyncIteratorProtocol>: RecordSource, @unchecked Sendable
where Iterator.Element == ProducerRecord {
    private var iterator: Iterator

    init(_ iterator: Iterator) {
        self.iterator = iterator
    }

    func next() async throws -> ProducerRecord? {
        try await iterator.next()
    }
}
