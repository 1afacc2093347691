extension KafkaProducer {
    /// Runs `body` while no thread handles delivery reports; they wait until it returns. Sends
    /// serve ready reports on their own thread, so a test measuring what the send path alone
    /// costs (its allocations) holds them back with this.
    func holdingReports<Result>(_ body: () throws -> Result) rethrows -> Result {
        try core.drain.holdingReports(body)
    }
}
