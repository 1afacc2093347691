internal import CRdKafka

/// An error as the bridge reports it: a code, librdkafka's text, and the flags and context read
/// before the C object that carried them was destroyed.
///
/// The bridge cannot depend on `RdKafka` (that would be a cycle), so it hands this plain value
/// up; `RdKafka` turns it into a `KafkaError` in one place (`KafkaError.init(_:)`).
package struct NativeError: Error, Sendable, Equatable {
    /// librdkafka's `rd_kafka_resp_err_t` value, or one of the package's own codes (below -1000);
    /// see ``NativeErrorCode``.
    package var code: Int32
    package var message: String
    /// `nil` when only the code says whether retrying may help (librdkafka did not say).
    package var isRetriable: Bool?
    package var isFatal: Bool
    /// Set by the transaction calls: the transaction must be aborted before another can begin.
    package var transactionRequiresAbort: Bool
    package var configurationKey: String?
    package var topic: String?
    package var partition: Int32?

    package init(
        code: Int32,
        message: String,
        isRetriable: Bool? = nil,
        isFatal: Bool = false,
        transactionRequiresAbort: Bool = false,
        configurationKey: String? = nil,
        topic: String? = nil,
        partition: Int32? = nil
    ) {
        self.code = code
        self.message = message
        self.isRetriable = isRetriable
        self.isFatal = isFatal
        self.transactionRequiresAbort = transactionRequiresAbort
        self.configurationKey = configurationKey
        self.topic = topic
        self.partition = partition
    }

    /// An error for a librdkafka response code, with librdkafka's text for it.
    init(_ error: rd_kafka_resp_err_t, topic: String? = nil, partition: Int32? = nil) {
        self.init(code: error.rawValue, message: NativeErrorCode.text(of: error.rawValue), topic: topic, partition: partition)
    }

    /// An error from an `rd_kafka_error_t`, which it destroys after reading its flags.
    init(consuming error: OpaquePointer) {
        defer { rd_kafka_error_destroy(error) }
        self.init(
            code: rd_kafka_error_code(error).rawValue,
            message: String(cString: rd_kafka_error_string(error)),
            isRetriable: rd_kafka_error_is_retriable(error) != 0,
            isFatal: rd_kafka_error_is_fatal(error) != 0,
            transactionRequiresAbort: rd_kafka_error_txn_requires_abort(error) != 0
        )
    }
}
