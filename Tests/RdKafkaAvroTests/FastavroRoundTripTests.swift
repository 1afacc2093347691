import Foundation
import RdKafka
import RdKafkaAvro
import TestSupport
import Testing

/// Values encoded here, decoded by fastavro (an independent Avro implementation) and compared.
@Suite(
    "Avro read back by fastavro", .enabled(if: IndependentDecoder.isInstalled, "\(IndependentDecoder.missingReason)"),
    .timeLimit(.minutes(1)))
struct FastavroRoundTripTests {
    /// Encodes each value, has fastavro decode them, and returns what it printed (a JSON array).
    func fastavroOutput<Value: Encodable>(_ values: [Value], schema: String) async throws -> Data {
        let serializer = AvroSerializer<Value>(schema: try AvroSchema(parsing: schema))
        let hex = try values.map { try serializer.encode($0).map { String(format: "%02x", $0) }.joined() }
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("schema-\(UUID().uuidString).avsc")
        try schema.write(to: file, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: file) }
        return try await IndependentDecoder.output(["avro", file.path], input: hex.joined(separator: "\n"))
    }

    func decodedByFastavro<Value: Encodable>(_ values: [Value], schema: String) async throws -> JSONValue {
        try JSONDecoder().decode(JSONValue.self, from: try await fastavroOutput(values, schema: schema))
    }

    enum Status: String, Encodable { case active = "ACTIVE", closed = "CLOSED" }

    struct Address: Encodable {
        var city: String
        var postcode: String?
    }

    struct Account: Encodable {
        var id: Int64
        var owner: String
        var status: Status
        var balance: Double
        var ratio: Float
        var verified: Bool
        var tags: [String]
        var limits: [String: Int32]
        var address: Address?
        var nickname: String?
        var token: Data
        var fingerprint: [UInt8]
        var opened: Date
        var lastSeen: Date
        var history: [Address]
    }

    static let accountSchema = #"""
        {"type": "record", "name": "Account", "namespace": "bank", "fields": [
            {"name": "id", "type": "long"},
            {"name": "owner", "type": "string"},
            {"name": "status", "type": {"type": "enum", "name": "Status", "symbols": ["ACTIVE", "CLOSED"]}},
            {"name": "balance", "type": "double"},
            {"name": "ratio", "type": "float"},
            {"name": "verified", "type": "boolean"},
            {"name": "tags", "type": {"type": "array", "items": "string"}},
            {"name": "limits", "type": {"type": "map", "values": "int"}},
            {"name": "address", "type": ["null", {"type": "record", "name": "Address", "fields": [
                {"name": "city", "type": "string"},
                {"name": "postcode", "type": ["null", "string"], "default": null}]}]},
            {"name": "nickname", "type": ["null", "string"]},
            {"name": "token", "type": "bytes"},
            {"name": "fingerprint", "type": {"type": "fixed", "name": "Fingerprint", "size": 4}},
            {"name": "opened", "type": {"type": "int", "logicalType": "date"}},
            {"name": "lastSeen", "type": {"type": "long", "logicalType": "timestamp-millis"}},
            {"name": "history", "type": {"type": "array", "items": "Address"}}
        ]}
        """#

    @Test("A record with every supported type decodes in fastavro to the same values")
    func everyType() async throws {
        let accounts = [
            Account(
                id: -9_000_000_000, owner: "Zoë", status: .closed, balance: 1234.5, ratio: 0.25, verified: true,
                tags: ["a", "β", ""], limits: ["daily": 500, "monthly": -1],
                address: Address(city: "Oslo", postcode: nil), nickname: "z", token: Data([0, 1, 254, 255]),
                fingerprint: [0xDE, 0xAD, 0xBE, 0xEF], opened: Date(timeIntervalSince1970: 19_000 * 86_400 + 3600),
                lastSeen: Date(timeIntervalSince1970: 1_700_000_000.123),
                history: [Address(city: "Bergen", postcode: "5003"), Address(city: "Tromsø", postcode: nil)]),
            Account(
                id: 0, owner: "", status: .active, balance: -0.5, ratio: -3, verified: false, tags: [], limits: [:],
                address: nil, nickname: nil, token: Data(), fingerprint: [1, 2, 3, 4], opened: Date(timeIntervalSince1970: -86_400),
                lastSeen: Date(timeIntervalSince1970: 0), history: []),
        ]
        let decoded = try await decodedByFastavro(accounts, schema: Self.accountSchema)
        let expected = try JSONValue(
            parsing: #"""
                [{"id": -9000000000, "owner": "Zoë", "status": "CLOSED", "balance": 1234.5, "ratio": 0.25, "verified": true,
                  "tags": ["a", "β", ""], "limits": {"daily": 500, "monthly": -1},
                  "address": {"city": "Oslo", "postcode": null}, "nickname": "z", "token": "0001feff",
                  "fingerprint": "deadbeef", "opened": 19000, "lastSeen": 1700000000123,
                  "history": [{"city": "Bergen", "postcode": "5003"}, {"city": "Tromsø", "postcode": null}]},
                 {"id": 0, "owner": "", "status": "ACTIVE", "balance": -0.5, "ratio": -3, "verified": false,
                  "tags": [], "limits": {}, "address": null, "nickname": null, "token": "",
                  "fingerprint": "01020304", "opened": -1, "lastSeen": 0, "history": []}]
                """#)
        #expect(decoded == expected)
    }

    @Test("Integers at the edges of int and long, in a top-level array")
    func integerEdges() async throws {
        let longs: [Int64] = [0, -1, 1, 63, -64, 64, Int64(Int32.max), Int64(Int32.min), .max, .min]
        // Decoded as Int64, not through JSONValue: longs this large do not survive a Double.
        let decodedLongs = try await fastavroOutput([longs], schema: #"{"type": "array", "items": "long"}"#)
        #expect(try JSONDecoder().decode([[Int64]].self, from: decodedLongs) == [longs])
        let ints: [Int32] = [.max, .min, 0, -1]
        let decodedInts = try await fastavroOutput(ints, schema: #""int""#)
        #expect(try JSONDecoder().decode([Int32].self, from: decodedInts) == ints)
    }

    struct Tree: Encodable {
        var label: String
        var children: [Tree]
        var attributes: [String: [String?]]
    }

    @Test("A recursive record with maps of arrays of optionals")
    func recursive() async throws {
        let tree = Tree(
            label: "root",
            children: [
                Tree(label: "leaf", children: [], attributes: ["k": ["v", nil]]),
                Tree(label: "empty", children: [], attributes: [:]),
            ],
            attributes: ["colours": ["red", "green"]])
        let schema = #"""
            {"type": "record", "name": "Tree", "fields": [
                {"name": "label", "type": "string"},
                {"name": "children", "type": {"type": "array", "items": "Tree"}},
                {"name": "attributes", "type": {"type": "map", "values": {"type": "array", "items": ["null", "string"]}}}]}
            """#
        let decoded = try await decodedByFastavro([tree], schema: schema)
        let expected = try JSONValue(
            parsing: #"""
                [{"label": "root", "attributes": {"colours": ["red", "green"]}, "children": [
                    {"label": "leaf", "children": [], "attributes": {"k": ["v", null]}},
                    {"label": "empty", "children": [], "attributes": {}}]}]
                """#)
        #expect(decoded == expected)
    }

    enum Shape: Encodable {
        case circle(radius: Double)
        case label(String)

        func encode(to encoder: any Encoder) throws {
            var container = encoder.singleValueContainer()
            switch self {
            case .circle(let radius): try container.encode(["radius": radius])
            case .label(let text): try container.encode(text)
            }
        }
    }

    @Test("A union of null, string and a record picks the branch each value fits")
    func unionBranches() async throws {
        let schema = #"""
            ["null", "string", {"type": "record", "name": "Circle", "fields": [{"name": "radius", "type": "double"}]}]
            """#
        let decoded = try await decodedByFastavro([Shape?.none, .label("hi"), .circle(radius: 2.5)], schema: schema)
        #expect(decoded == (try JSONValue(parsing: #"[null, "hi", {"radius": 2.5}]"#)))
    }
}
