internal import CRdKafka

/// One topic's partitions as a broker described them, copied out of librdkafka's metadata.
package struct TopicLayout: Sendable {
    package struct Partition: Sendable {
        package var id: Int32
        /// The leader's broker id; -1 when the partition has none.
        package var leader: Int32
        package var replicas: [Int32]
        package var inSyncReplicas: [Int32]
    }

    package var partitions: [Partition]
}

extension ProducerClient {
    /// Asks a broker for `topic`'s metadata, blocking up to `milliseconds`. Call it off the
    /// cooperative pool, inside the producer's handle-alive gate. A broker that creates topics
    /// on demand creates it, as a first send would (`allow.auto.create.topics`).
    ///
    /// - Returns: The topic's partitions, or why there are none: the broker's error for the
    ///   topic (unknown topic), or librdkafka's for the request (`_TRANSPORT` with no broker
    ///   reachable, `_TIMED_OUT`).
    package func topicLayout(named name: String, milliseconds: Int32) -> Result<TopicLayout, NativeError> {
        let topic: OpaquePointer
        switch topicHandle(named: name) {
        case .success(let handle): topic = handle
        case .failure(let error): return .failure(error)
        }
        var metadata: UnsafePointer<rd_kafka_metadata>?
        let result = rd_kafka_metadata(handle.pointer, 0, topic, &metadata, milliseconds)
        defer { if let metadata { rd_kafka_metadata_destroy(metadata) } }
        guard result == RD_KAFKA_RESP_ERR_NO_ERROR, let metadata else {
            return .failure(NativeError(result, topic: name))
        }
        let topics = UnsafeBufferPointer(start: metadata.pointee.topics, count: Int(metadata.pointee.topic_cnt))
        guard let entry = topics.first(where: { String(cString: $0.topic) == name }) else {
            return .failure(NativeError(RD_KAFKA_RESP_ERR_UNKNOWN_TOPIC_OR_PART, topic: name))
        }
        guard entry.err == RD_KAFKA_RESP_ERR_NO_ERROR else {
            return .failure(NativeError(entry.err, topic: name))
        }
        let partitions = UnsafeBufferPointer(start: entry.partitions, count: Int(entry.partition_cnt)).map { partition in
            TopicLayout.Partition(
                id: partition.id,
                leader: partition.leader,
                replicas: Array(UnsafeBufferPointer(start: partition.replicas, count: Int(partition.replica_cnt))),
                inSyncReplicas: Array(UnsafeBufferPointer(start: partition.isrs, count: Int(partition.isr_cnt)))
            )
        }
        return .success(TopicLayout(partitions: partitions.sorted { $0.id < $1.id }))
    }
}
