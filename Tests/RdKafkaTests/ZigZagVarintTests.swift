import Testing

@testable import RdKafka

@Suite("Zig-zag varint")
struct ZigZagVarintTests {
    static let cases: [(Int64, [UInt8])] = [
        (0, [0x00]), (-1, [0x01]), (1, [0x02]), (-64, [0x7F]), (63, [0x7E]), (64, [0x80, 0x01]),
        (-65, [0x81, 0x01]), (150, [0xAC, 0x02]),
        (Int64.max, [0xFE, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01]),
        (Int64.min, [0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01]),
    ]

    @Test("Small magnitudes take one byte, the extremes ten, as Avro and Schema Registry expect", arguments: cases)
    func encodes(value: Int64, bytes: [UInt8]) {
        var encoded: [UInt8] = [0xAA]
        encoded.appendZigZagVarint(value)
        #expect(encoded == [0xAA] + bytes, "appends after what is there")
    }
}
