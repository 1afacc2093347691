/// Writes a fixed-width integer as its bytes, most significant first.
///
/// This is the layout of Kafka's Java serializers: `Int16` matches `ShortSerializer` (2 bytes),
/// `Int32` matches `IntegerSerializer` (4 bytes) and `Int64` matches `LongSerializer` (8 bytes),
/// so Java consumers read the numbers back with their deserializers. Negative numbers are written
/// in two's complement.
///
/// ```swift
/// BigEndianIntegerSerializer<Int32>()  // 258 -> [0x00, 0x00, 0x01, 0x02]
/// ```
public struct BigEndianIntegerSerializer<Integer: FixedWidthInteger & Sendable>: KafkaSerializer {
    /// Creates the serializer.
    public init() {}

    /// Returns `value`'s `Integer.bitWidth / 8` bytes, most significant first.
    public func serialize(_ value: Integer, in context: SerializationContext) -> [UInt8] {
        let bigEndian = value.bigEndian
        return withUnsafeBytes(of: bigEndian) { Array($0) }
    }
}
