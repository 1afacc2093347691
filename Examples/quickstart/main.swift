// The smallest useful program: send three records and print where each landed.
//
//   swift run quickstart                     # against an embedded mock cluster
//   swift run quickstart localhost:9092      # against your brokers
import RdKafka

let arguments = CommandLine.arguments.dropFirst()
let cluster = arguments.isEmpty ? try MockCluster(brokers: 3) : nil
let brokers = arguments.first ?? cluster!.bootstrapServers

var configuration = ProducerConfiguration(bootstrapServers: [brokers])
configuration.acks = .all
configuration.linger = .milliseconds(1)
let producer = try KafkaProducer(configuration: configuration)

for number in 1...3 {
    let record = ProducerRecord(
        topic: "quickstart",
        key: "key-\(number)",
        value: "hello \(number)",
        headers: [.init(name: "source", value: "quickstart")]
    )
    let report = try await producer.send(record)
    print("delivered to \(report.topic) [\(report.partition)] at offset \(report.offset ?? -1)")
}

await producer.shutdown()
