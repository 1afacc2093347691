import Foundation

extension ProducerStatistics {
    /// Decodes librdkafka's statistics JSON, keeping the fields ``ProducerStatistics`` offers.
    ///
    /// Fields librdkafka leaves out (older versions, brokers not yet contacted) read as 0.
    init(json: Data) throws {
        let raw = try JSONDecoder().decode(Raw.self, from: json)
        time = Date(timeIntervalSince1970: Double(raw.time ?? 0))
        clientID = raw.client_id ?? ""
        queuedRecords = raw.msg_cnt ?? 0
        queuedBytes = raw.msg_size ?? 0
        recordsSent = raw.txmsgs ?? 0
        recordBytesSent = raw.txmsg_bytes ?? 0
        requestsSent = raw.tx ?? 0
        bytesSent = raw.tx_bytes ?? 0
        brokers = (raw.brokers ?? [:]).values.map(Broker.init).sorted { $0.name < $1.name }
        topics = (raw.topics ?? [:]).map { Topic(name: $0.key, raw: $0.value) }.sorted { $0.name < $1.name }
    }

    // The raw types spell librdkafka's field names so that no coding keys are needed.
    // swift-format-ignore: AlwaysUseLowerCamelCase
    private struct Raw: Decodable {
        var time: Int64?
        var client_id: String?
        var msg_cnt: Int?
        var msg_size: Int?
        var txmsgs: Int?
        var txmsg_bytes: Int?
        var tx: Int?
        var tx_bytes: Int?
        var brokers: [String: RawBroker]?
        var topics: [String: RawTopic]?
    }

    // swift-format-ignore: AlwaysUseLowerCamelCase
    fileprivate struct RawBroker: Decodable {
        var name: String?
        var nodeid: Int32?
        var state: String?
        var waitresp_cnt: Int?
        var waitresp_msg_cnt: Int?
        var tx: Int?
        var txretries: Int?
        var txerrs: Int?
        var rxerrs: Int?
        var req_timeouts: Int?
        var rtt: RawWindow?
    }

    // swift-format-ignore: AlwaysUseLowerCamelCase
    fileprivate struct RawWindow: Decodable {
        var avg: Int64?
        var p50: Int64?
        var p99: Int64?
        var max: Int64?
        var cnt: Int?
    }

    fileprivate struct RawTopic: Decodable {
        var partitions: [String: RawPartition]?
    }

    // swift-format-ignore: AlwaysUseLowerCamelCase
    fileprivate struct RawPartition: Decodable {
        var partition: Int32?
        var leader: Int32?
        var msgq_cnt: Int?
        var msgq_bytes: Int?
        var xmit_msgq_cnt: Int?
        var xmit_msgq_bytes: Int?
        var msgs_inflight: Int?
        var txmsgs: Int?
        var txbytes: Int?
    }
}

extension ProducerStatistics.Broker {
    fileprivate init(_ raw: ProducerStatistics.RawBroker) {
        name = raw.name ?? ""
        nodeID = raw.nodeid ?? -1
        state = raw.state ?? ""
        inFlightRequests = raw.waitresp_cnt ?? 0
        inFlightRecords = raw.waitresp_msg_cnt ?? 0
        requestsSent = raw.tx ?? 0
        retries = raw.txretries ?? 0
        errors = (raw.txerrs ?? 0) + (raw.rxerrs ?? 0) + (raw.req_timeouts ?? 0)
        roundTripTime = raw.rtt.flatMap(ProducerStatistics.Latency.init)
    }
}

extension ProducerStatistics.Latency {
    /// librdkafka's windows are in microseconds; an empty window is no latency at all.
    fileprivate init?(_ raw: ProducerStatistics.RawWindow) {
        guard let count = raw.cnt, count > 0 else { return nil }
        self.count = count
        average = .microseconds(raw.avg ?? 0)
        p50 = .microseconds(raw.p50 ?? 0)
        p99 = .microseconds(raw.p99 ?? 0)
        maximum = .microseconds(raw.max ?? 0)
    }
}

extension ProducerStatistics.Topic {
    fileprivate init(name: String, raw: ProducerStatistics.RawTopic) {
        self.name = name
        partitions = (raw.partitions ?? [:]).values.map(ProducerStatistics.Partition.init).sorted { $0.id < $1.id }
    }
}

extension ProducerStatistics.Partition {
    fileprivate init(_ raw: ProducerStatistics.RawPartition) {
        id = raw.partition ?? -1
        leader = raw.leader ?? -1
        queuedRecords = (raw.msgq_cnt ?? 0) + (raw.xmit_msgq_cnt ?? 0)
        queuedBytes = (raw.msgq_bytes ?? 0) + (raw.xmit_msgq_bytes ?? 0)
        inFlightRecords = raw.msgs_inflight ?? 0
        recordsSent = raw.txmsgs ?? 0
        bytesSent = raw.txbytes ?? 0
    }
}
