// Fire-and-forget at full speed, reading outcomes on the side: enqueue returns once librdkafka
// holds the record (it waits only while the local queue is full), and each record's outcome
// arrives on deliveryReports with the correlation id it was given.
//
//   swift run -c release fire-and-forget     # against an embedded mock cluster
import RdKafka

let cluster = try MockCluster(brokers: 3)
let producer = try KafkaProducer(configuration: ProducerConfiguration(bootstrapServers: [cluster.bootstrapServers]))
let records = (0..<10_000).map { ProducerRecord(topic: "events", key: "user-\($0 % 100)", value: "event \($0)") }

let reader = Task {
    var delivered = 0
    for await outcome in producer.deliveryReports {
        switch outcome.result {
        case .success: delivered += 1
        case .failure(let error): print("record \(outcome.correlationID) failed: \(error)")
        }
    }
    return delivered
}
for (index, record) in records.enumerated() {
    try await producer.enqueue(record, correlationID: UInt64(index))
}
await producer.shutdown()  // delivers what was accepted, then ends deliveryReports
print("delivered \(await reader.value) of \(records.count)")
withExtendedLifetime(cluster) {}
