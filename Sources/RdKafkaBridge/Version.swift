internal import CRdKafka

/// The librdkafka the process runs with, which may be newer than the headers it was built against.
package enum NativeLibrary {
    /// The run-time version as librdkafka reports it: for example `"2.0.2"`.
    package static var version: String {
        String(cString: rd_kafka_version_str())
    }

    /// The run-time version as a number, `0xMMmmrrxx`, for feature checks.
    package static var versionNumber: Int32 {
        rd_kafka_version()
    }
}
