internal import RdKafkaBridge

extension KafkaError {
    /// The public error for one the bridge reported: the one place a ``NativeError`` becomes a
    /// `KafkaError`. Where librdkafka did not say whether retrying may help, the code decides.
    init(_ native: NativeError) {
        self.init(
            code: Code(rawValue: native.code),
            message: native.message,
            isRetriable: native.isRetriable,
            isFatal: native.isFatal,
            configurationKey: native.configurationKey,
            topic: native.topic,
            partition: native.partition
        )
        transactionRequiresAbort = native.transactionRequiresAbort
    }
}

/// Runs a bridge call that throws, throwing its error as a ``KafkaError``.
func bridged<Result>(_ call: () throws(NativeError) -> Result) throws(KafkaError) -> Result {
    do {
        return try call()
    } catch {
        throw KafkaError(error)
    }
}
