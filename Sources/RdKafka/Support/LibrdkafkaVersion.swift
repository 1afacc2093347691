internal import RdKafkaBridge

/// The version of librdkafka the process runs with (which may be newer than the headers it was
/// built against), as librdkafka reports it: for example `"2.0.2"`.
public var librdkafkaVersion: String {
    NativeLibrary.version
}
