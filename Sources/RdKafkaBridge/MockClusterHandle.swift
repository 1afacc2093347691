internal import CRdKafka
import Synchronization

/// Owns a librdkafka mock cluster and the `rd_kafka_t` it lives in, destroyed together, once.
///
/// `@unchecked Sendable`: every mock call posts an operation to the cluster's own thread and
/// waits for it, which librdkafka makes thread-safe; destruction is guarded.
package final class MockClusterHandle: @unchecked Sendable {
    private let client: OpaquePointer
    let cluster: OpaquePointer
    package let bootstrapServers: String
    private let destroyed = Atomic<Bool>(false)

    package init(brokers: Int) throws(NativeError) {
        guard brokers >= 1 else {
            throw NativeError(code: NativeErrorCode.invalidArgument, message: "a mock cluster needs at least 1 broker, not \(brokers)")
        }
        let configuration = ConfigurationHandle()
        // The cluster's host handle never polls: keep its logs off stderr and out of any queue.
        try configuration.set("log_level", "0")
        var reason = ReasonBuffer()
        let created: OpaquePointer? = configuration.consume { conf in
            rd_kafka_conf_set_log_cb(conf) { _, _, _, _ in }
            return reason.withPointer { rd_kafka_new(RD_KAFKA_PRODUCER, conf, $0, $1) }
        }
        guard let created else {
            throw NativeError(code: NativeErrorCode.mockCluster, message: reason.text)
        }
        guard let cluster = rd_kafka_mock_cluster_new(created, Int32(brokers)) else {
            rd_kafka_destroy(created)
            throw NativeError(
                code: NativeErrorCode.mockCluster, message: "librdkafka could not create a mock cluster of \(brokers) brokers")
        }
        self.client = created
        self.cluster = cluster
        self.bootstrapServers = String(cString: rd_kafka_mock_cluster_bootstraps(cluster))
    }

    deinit {
        destroy()
    }

    package func destroy() {
        guard !destroyed.exchange(true, ordering: .acquiringAndReleasing) else { return }
        rd_kafka_mock_cluster_destroy(cluster)
        rd_kafka_destroy(client)
    }

    private func check(_ result: rd_kafka_resp_err_t, _ what: @autoclosure () -> String) throws(NativeError) {
        guard result == RD_KAFKA_RESP_ERR_NO_ERROR else {
            var error = NativeError(result)
            error.message = "\(what()): \(error.message)"
            throw error
        }
    }

    package func createTopic(_ name: String, partitions: Int32, replicationFactor: Int32) throws(NativeError) {
        try check(
            rd_kafka_mock_topic_create(cluster, name, partitions, replicationFactor),
            "creating mock topic '\(name)' with \(partitions) partitions")
    }

    package func setBroker(_ id: Int32, up: Bool) throws(NativeError) {
        let result = up ? rd_kafka_mock_broker_set_up(cluster, id) : rd_kafka_mock_broker_set_down(cluster, id)
        try check(result, "setting mock broker \(id) \(up ? "up" : "down")")
    }

    package func setRoundTripTime(milliseconds: Int32, broker: Int32) throws(NativeError) {
        try check(
            rd_kafka_mock_broker_set_rtt(cluster, broker, milliseconds),
            "setting the round-trip time of mock broker \(broker)")
    }

    package func setLeader(topic: String, partition: Int32, broker: Int32) throws(NativeError) {
        try check(
            rd_kafka_mock_partition_set_leader(cluster, topic, partition, broker),
            "moving the leader of \(topic) [\(partition)] to broker \(broker)")
    }

    package func setCoordinator(keyType: String, key: String, broker: Int32) throws(NativeError) {
        try check(
            rd_kafka_mock_coordinator_set(cluster, keyType, key, broker),
            "making broker \(broker) the \(keyType) coordinator for '\(key)'")
    }

    package func pushRequestErrors(apiKey: Int16, codes: [Int32]) {
        let errors = codes.map { rd_kafka_resp_err_t(rawValue: $0) }
        errors.withUnsafeBufferPointer { buffer in
            rd_kafka_mock_push_request_errors_array(cluster, apiKey, buffer.count, buffer.baseAddress)
        }
    }
}
