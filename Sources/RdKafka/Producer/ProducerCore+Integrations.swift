extension ProducerCore {
    func acknowledged(latencyMicroseconds: Int64) {
        integrations.metrics?.recordAcknowledgementLatency(microseconds: latencyMicroseconds)
    }
}
