extension Array where Element == UInt8 {
    /// Appends `value` as a zig-zag varint, the encoding of Avro's `int` and `long` and of the
    /// message indexes in Schema Registry's Protobuf framing: the sign folded into the lowest
    /// bit, so that small magnitudes, negative or positive, take few bytes; then 7 bits per
    /// byte, lowest first, the high bit set on every byte but the last. At most 10 bytes.
    ///
    /// `package` so that RdKafkaAvro writes with this one implementation too.
    package mutating func appendZigZagVarint(_ value: Int64) {
        var encoded = UInt64(bitPattern: (value << 1) ^ (value >> 63))
        while encoded >= 0x80 {
            append(UInt8(truncatingIfNeeded: encoded) | 0x80)
            encoded >>= 7
        }
        append(UInt8(encoded))
    }
}
