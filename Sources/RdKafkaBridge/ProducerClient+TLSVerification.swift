extension ProducerClient {
    /// `message`, a TLS error, with librdkafka's generic advice replaced by OpenSSL's reason for
    /// refusing the broker's certificate, when this client's verify callback caught one.
    package func explainingTLSVerificationFailure(_ message: String) -> String {
        guard let reason = TLSVerificationFailures.take(for: handle.pointer) else { return message }
        return TLSVerificationFailures.explain(message, reason: reason)
    }
}
