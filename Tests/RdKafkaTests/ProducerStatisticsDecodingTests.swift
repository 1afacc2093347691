import Foundation
import Testing

@testable import RdKafka

@Suite("Decoding librdkafka statistics")
struct ProducerStatisticsDecodingTests {
    // A trimmed document in librdkafka 2.x's shape (STATISTICS.md), with fields we ignore.
    static let document = """
        {"name":"p#producer-1","client_id":"billing","type":"producer","ts":1,"time":1700000000,
         "replyq":0,"msg_cnt":7,"msg_size":700,"tx":40,"tx_bytes":9000,"txmsgs":120,"txmsg_bytes":6000,
         "brokers":{
           "b:9092/2":{"name":"b:9092/2","nodeid":2,"state":"DOWN","waitresp_cnt":0,"waitresp_msg_cnt":0,
                       "tx":5,"txretries":1,"txerrs":2,"rxerrs":1,"req_timeouts":1,"rtt":{"cnt":0}},
           "a:9092/1":{"name":"a:9092/1","nodeid":1,"state":"UP","waitresp_cnt":2,"waitresp_msg_cnt":30,
                       "tx":35,"txretries":3,"txerrs":0,"rxerrs":0,"req_timeouts":0,
                       "rtt":{"min":100,"max":9000,"avg":1500,"p50":1200,"p99":8000,"cnt":35,"stddev":3}}},
         "topics":{"orders":{"topic":"orders","age":10,
           "partitions":{
             "1":{"partition":1,"leader":1,"msgq_cnt":3,"msgq_bytes":300,"xmit_msgq_cnt":1,"xmit_msgq_bytes":100,
                  "msgs_inflight":2,"txmsgs":60,"txbytes":3000},
             "-1":{"partition":-1,"leader":-1,"msgq_cnt":1,"msgq_bytes":50,"xmit_msgq_cnt":0,"xmit_msgq_bytes":0,
                   "msgs_inflight":0,"txmsgs":0,"txbytes":0},
             "0":{"partition":0,"leader":1,"msgq_cnt":0,"msgq_bytes":0,"xmit_msgq_cnt":0,"xmit_msgq_bytes":0,
                  "msgs_inflight":0,"txmsgs":60,"txbytes":3000}}}}}
        """

    @Test("Totals, brokers (sorted, with round-trip times) and partitions (sorted) are decoded")
    func decodesTheDocument() throws {
        let statistics = try ProducerStatistics(json: Data(Self.document.utf8))
        #expect(statistics.clientID == "billing")
        #expect(statistics.time == Date(timeIntervalSince1970: 1_700_000_000))
        #expect(statistics.queuedRecords == 7)
        #expect(statistics.recordsSent == 120)
        #expect(statistics.recordBytesSent == 6000)
        #expect(statistics.requestsSent == 40)
        #expect(statistics.retries == 4)
        #expect(statistics.errors == 4)
        #expect(statistics.brokers.map(\.name) == ["a:9092/1", "b:9092/2"])
        let up = statistics.brokers[0]
        #expect(up.state == "UP" && up.nodeID == 1 && up.inFlightRequests == 2 && up.inFlightRecords == 30)
        #expect(
            up.roundTripTime
                == .init(
                    average: .microseconds(1500), p50: .microseconds(1200), p99: .microseconds(8000), maximum: .microseconds(9000),
                    count: 35))
        #expect(statistics.brokers[1].roundTripTime == nil)
        let topic = try #require(statistics.topics.first)
        #expect(topic.name == "orders")
        #expect(topic.partitions.map(\.id) == [-1, 0, 1])
        #expect(topic.partitions[2].queuedRecords == 4 && topic.partitions[2].queuedBytes == 400)
        #expect(topic.partitions[2].inFlightRecords == 2)
        #expect(statistics.outstandingRecords(topic: "orders") == 7)
        #expect(statistics.outstandingRecords(topic: "absent") == 0)
    }

    @Test("A document that is not JSON fails to decode rather than producing zeros")
    func rejectsGarbage() {
        #expect(throws: DecodingError.self) { try ProducerStatistics(json: Data("not json".utf8)) }
    }

    @Test("statistics.interval.ms follows the typed interval, and metrics alone turn it on at 5 s")
    func intervalProperty() throws {
        var configuration = ProducerConfiguration(bootstrapServers: ["localhost:9092"])
        #expect(try !configuration.librdkafkaProperties().contains { $0.key == "statistics.interval.ms" })
        configuration.metrics = .init()
        #expect(try configuration.librdkafkaProperties().first { $0.key == "statistics.interval.ms" }?.value == "5000")
        configuration.statisticsInterval = .milliseconds(250)
        #expect(try configuration.librdkafkaProperties().first { $0.key == "statistics.interval.ms" }?.value == "250")
    }
}
