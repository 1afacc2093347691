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
///
/// The options take plain strings, checked by ``check(_:option:)``, rather than a transform:
/// the argument parser quotes a value its transform refuses, and a malformed argument may be
/// a secret typed in the wrong place.
struct KeyValue: Sendable {
    var key: String
    var value: String

    /// Splits at the first `=`, so the value may itself contain `=` or be empty; the name may not.
    init?(parsing argument: String) {
        guard let equals = argument.firstIndex(of: "="), equals != argument.startIndex else { return nil }
        key = String(argument[..<equals])
        value = String(argument[argument.index(after: equals)...])
    }

    /// The arguments that parse; ``check(_:option:)`` refuses the rest before they are used.
    static func parsing(_ arguments: [String]) -> [KeyValue] {
        arguments.compactMap(KeyValue.init(parsing:))
    }

    /// Refuses an argument that is not `NAME=VALUE`, by position and without quoting it.
    static func check(_ arguments: [String], option: String) throws {
        guard let index = arguments.firstIndex(where: { KeyValue(parsing: $0) == nil }) else { return }
        throw ValidationError(
            "\(option) argument \(index + 1) is not NAME=VALUE with a non-empty NAME "
                + "(not shown: it may be a secret given in the wrong place)")
    }
}

extension KafkaProduce {
    /// The `-X` settings, in the order given.
    var properties: [KeyValue] { KeyValue.parsing(propertyArguments) }

    /// The `-H` headers, in the order given.
    var headers: [KeyValue] { KeyValue.parsing(headerArguments) }
}
