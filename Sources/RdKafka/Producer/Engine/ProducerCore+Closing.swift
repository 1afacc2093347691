extension ProducerCore {
    /// The closing sequence, on the blocking executor since every step blocks:
    /// 1. stop accepting sends and wait out those inside librdkafka; release room waiters;
    /// 2. flush; purge what is left (its senders get purge errors) and wait for those reports;
    /// 3. release connection waiters, then close "handle alive" and wait out its callers
    ///    (until here token refreshes, flushes and metadata requests keep working);
    /// 4. stop the drain, fail the callers whose reports never came, destroy the handle;
    /// 5. end the report sequence and resume every `shutdown()` caller.
    func close(flushTimeout: Duration) {
        inFlight.closeAndWaitForSenders()
        events.roomWaiting.close()
        if !client.flush(milliseconds: flushTimeout.librdkafkaTimeout) {
            logger.warning(
                "shutdown: records still unacknowledged after the flush timeout are failed with a purge error",
                metadata: ["outstanding": "\(unreportedCount)"]
            )
            if closing.purges { _ = client.purge(queued: true, inFlight: true) }
            waitForPurgedReports()
        }
        events.connectionWaiting.close()
        handleAlive.closeAndWaitForCallers()
        drain.stopAndWait()
        failCallersNeverReported()
        client.destroy()
        reports.finish()
        integrations.finish()
        for caller in lifecycle.withLock({ $0.closed() }) { caller.resume() }
    }

    /// Purged records are reported promptly; waits for their reports, up to the grace period.
    /// Stops early once librdkafka holds nothing more (then no report can come).
    private func waitForPurgedReports() {
        let deadline = ContinuousClock.now + closing.purgedReportGrace
        while unreportedCount > 0 {
            let remaining = deadline - .now
            guard remaining > .zero else { return }
            if client.flush(milliseconds: min(remaining, .milliseconds(100)).librdkafkaTimeout) && unreportedCount > 0 {
                return
            }
        }
    }

    /// After the drain stopped no report can come: every awaited send and batch still waiting
    /// fails with ``KafkaError/Code/purgedInFlight`` (whether its record was written is unknown),
    /// and fire-and-forget records are counted as dropped reports. So every call ends and
    /// ``unreportedCount`` is 0.
    private func failCallersNeverReported() {
        let leftovers = inFlight.takeLeftovers()
        guard leftovers.unreported > 0 || !leftovers.awaitingKeys.isEmpty || !leftovers.batches.isEmpty else { return }
        var error = KafkaError(
            code: .purgedInFlight,
            message:
                "librdkafka had not reported this record when shutdown destroyed its handle (\(closing.purgedReportGrace) after purging); whether it was written is unknown"
        )
        error.persistence = .possiblyPersisted
        var named = 0
        for key in leftovers.awaitingKeys {
            guard case .awaiting(let continuation) = MessageOpaque(UnsafeMutableRawPointer(bitPattern: key)) else { continue }
            continuation.resume(returning: .failure(error))
            named += 1
        }
        for batch in leftovers.batches { named += batch.failUnreported(with: error) }
        inFlight.leftoversFailed(unreported: leftovers.unreported, failedCallers: named)
        if leftovers.unreported > 0 {
            logger.error(
                "shutdown: librdkafka never reported some records; their callers fail with purgedInFlight",
                metadata: ["unreported": "\(leftovers.unreported)", "awaitingCallers": "\(named)"])
        }
    }
}
