internal import CRdKafka

extension ProducerClient {
    /// Adds a consumer group's offsets to the current transaction
    /// (`rd_kafka_send_offsets_to_transaction`). Blocks up to `milliseconds`: call it off the
    /// cooperative pool, inside the producer's handle-alive gate.
    ///
    /// - Parameter offsets: (topic, partition, offset of the next record to consume) triples.
    package func sendOffsetsToTransaction(
        _ offsets: [(topic: String, partition: Int32, offset: Int64)], groupID: String, milliseconds: Int32
    ) -> NativeError? {
        let list = rd_kafka_topic_partition_list_new(Int32(clamping: offsets.count))!
        defer { rd_kafka_topic_partition_list_destroy(list) }
        for entry in offsets {
            rd_kafka_topic_partition_list_add(list, entry.topic, entry.partition)!.pointee.offset = entry.offset
        }
        guard let group = rd_kafka_consumer_group_metadata_new(groupID) else {
            return NativeError(code: NativeErrorCode.invalidArgument, message: "librdkafka refused the group id '\(groupID)'")
        }
        defer { rd_kafka_consumer_group_metadata_destroy(group) }
        return Self.explain(rd_kafka_send_offsets_to_transaction(handle.pointer, list, group, milliseconds), call: "sendOffsets")
    }
}
