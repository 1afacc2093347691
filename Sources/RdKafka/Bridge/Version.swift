internal import CRdKafka

/// The version of librdkafka the process runs with (which may be newer than the headers it was
/// built against), as librdkafka reports it: for example `"2.0.2"`.
public var librdkafkaVersion: String {
    String(cString: rd_kafka_version_str())
}

/// librdkafka's run-time version as a number, `0xMMmmrrxx`, for feature checks.
var librdkafkaVersionNumber: Int32 {
    rd_kafka_version()
}
