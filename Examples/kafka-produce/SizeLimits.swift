import ArgumentParser

/// The sizes the options may ask for: what the producer can take, checked before anything is
/// allocated, so that a huge `--count` or `--value-size` is refused with a reason rather than
/// aborting the process.
extension KafkaProduce {
    /// The correlation ids the producer takes are below 2^62, and each record's id is its index.
    static let maximumCount = 1 << 62

    /// librdkafka's default `message.max.bytes`.
    static let defaultMessageMaxBytes = 1_000_000

    /// `message.max.bytes` as `-X` sets it (the last one wins), or librdkafka's default. A
    /// value that is not a number is left for librdkafka to refuse by name.
    var maximumMessageBytes: Int {
        properties.last { $0.key == "message.max.bytes" }.flatMap { Int($0.value) } ?? Self.defaultMessageMaxBytes
    }

    func validateSizes() throws {
        if let count, count > Self.maximumCount {
            throw ValidationError("--count must be at most \(Self.maximumCount) (2^62, the producer's correlation ids)")
        }
        // Every record would be refused, whatever its value: the key and headers alone are too large.
        let fixedBytes = (key?.utf8.count ?? 0) + headers.reduce(0) { $0 + $1.key.utf8.count + $1.value.utf8.count }
        if fixedBytes > maximumMessageBytes {
            throw ValidationError(
                "--key and -H/--header take \(fixedBytes) bytes, more than message.max.bytes (\(maximumMessageBytes)): every "
                    + "record would be refused; raise the limit with -X message.max.bytes=N (librdkafka allows up to 1000000000)"
            )
        }
        // Every record would be refused, and building the value alone could exhaust memory.
        if valueSize > maximumMessageBytes - fixedBytes {
            let alongside = fixedBytes > 0 ? " with the \(fixedBytes) bytes of key and headers" : ""
            throw ValidationError(
                "--value-size \(valueSize) is more than message.max.bytes (\(maximumMessageBytes))\(alongside): every record "
                    + "would be refused; raise the limit with -X message.max.bytes=N (librdkafka allows up to 1000000000)"
            )
        }
    }
}
