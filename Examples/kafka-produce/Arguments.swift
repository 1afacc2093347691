import ArgumentParser
import RdKafka

// The library's setting types know nothing of argument parsing; these conformances let the
// command take them directly and list the accepted names in `--help`.

extension Acks: ExpressibleByArgument {
    /// Accepts the names and librdkafka's numbers, as kcat users type them.
    public init?(argument: String) {
        switch argument {
        case "none", "0": self = Acks.none
        case "leader", "1": self = .leader
        case "all", "-1": self = .all
        default: return nil
        }
    }

    /// The values `--help` lists.
    public static var allValueStrings: [String] { ["none", "leader", "all", "0", "1", "-1"] }
}

extension Compression: ExpressibleByArgument {
    /// Accepts only the codecs librdkafka 2.0 ships, so a typo is caught before connecting.
    public init?(argument: String) {
        guard let codec = Self.offered.first(where: { $0.rawValue == argument }) else { return nil }
        self = codec
    }

    /// The values `--help` lists.
    public static var allValueStrings: [String] { offered.map(\.rawValue) }

    private static let offered: [Compression] = [.none, .gzip, .snappy, .lz4, .zstd]
}

extension Partitioner: ExpressibleByArgument {
    /// Accepts only librdkafka's built-in partitioners.
    public init?(argument: String) {
        guard let partitioner = Self.offered.first(where: { $0.rawValue == argument }) else { return nil }
        self = partitioner
    }

    /// The values `--help` lists.
    public static var allValueStrings: [String] { offered.map(\.rawValue) }

    private static let offered: [Partitioner] = [
        .random, .consistent, .consistentRandom, .murmur2, .murmur2Random, .fnv1a, .fnv1aRandom,
    ]
}

/// A `NAME=VALUE` argument, as `--header` and `-X` take it.
struct KeyValue: Sendable {
    var key: String
    var value: String

    /// Splits at the first `=`, so the value may itself contain `=` or be empty; the name may not.
    init(parsing argument: String) throws {
        guard let equals = argument.firstIndex(of: "="), equals != argument.startIndex else {
            throw ValidationError("expected NAME=VALUE with a non-empty NAME, got '\(argument)'")
        }
        key = String(argument[..<equals])
        value = String(argument[argument.index(after: equals)...])
    }
}
