internal import CRdKafka

/// A partitioner librdkafka calls through a topic configuration's `partitioner_cb`.
///
/// Owned by the ``ProducerClient`` whose topics use it (through its ``TopicSettingsTable``);
/// librdkafka holds only an unretained pointer to it, as the topic's opaque. The client keeps it
/// until the client itself is released, which happens after ``ProducerClient/destroy()`` has
/// destroyed librdkafka's handle, so no topic can call it after it is freed.
package final class PartitionerCallback: Sendable {
    /// Chooses a partition for a key (`nil` for a record without one) among a count of
    /// partitions, told which are available; any result outside `0..<count` fails the record.
    let choose: @Sendable (UnsafeRawBufferPointer?, Int32, (Int32) -> Bool) -> Int32

    package init(_ choose: @escaping @Sendable (UnsafeRawBufferPointer?, Int32, (Int32) -> Bool) -> Int32) {
        self.choose = choose
    }

    /// Makes `configuration`'s topics call this partitioner. The configuration must not outlive
    /// this object's owner.
    func install(on configuration: OpaquePointer) {
        rd_kafka_topic_conf_set_opaque(configuration, Unmanaged.passUnretained(self).toOpaque())
        rd_kafka_topic_conf_set_partitioner_cb(configuration, partitionerTrampoline)
    }
}

/// The C function librdkafka calls; it finds the ``PartitionerCallback`` in the topic's opaque.
///
/// librdkafka treats any result at or above the partition count as an unknown partition and
/// fails the record with `_UNKNOWN_PARTITION` (`rd_kafka_msg_partitioner`), but -1 would mean
/// "unassigned" and leave the record waiting until its delivery timeout: so every result outside
/// the range is turned into the count itself. Allocates nothing.
private let partitionerTrampoline:
    @convention(c) (
        OpaquePointer?, UnsafeRawPointer?, Int, Int32, UnsafeMutableRawPointer?, UnsafeMutableRawPointer?
    ) -> Int32 = { topic, key, keyLength, partitionCount, topicOpaque, _ in
        guard let topicOpaque, partitionCount > 0 else { return partitionCount }
        let callback = Unmanaged<PartitionerCallback>.fromOpaque(topicOpaque).takeUnretainedValue()
        let partition = callback.choose(key.map { UnsafeRawBufferPointer(start: $0, count: keyLength) }, partitionCount) {
            $0 >= 0 && $0 < partitionCount && rd_kafka_topic_partition_available(topic, $0) == 1
        }
        return partition >= 0 && partition < partitionCount ? partition : partitionCount
    }
