/// A codec for record batches, as librdkafka's `compression.codec` names it.
///
/// A struct rather than an enum so that a codec a later librdkafka adds can be named with
/// ``init(rawValue:)`` and is still checked by librdkafka.
public struct Compression: RawRepresentable, Hashable, Sendable {
    /// The value of `compression.codec`.
    public var rawValue: String

    /// Creates a codec from librdkafka's name for it.
    public init(rawValue: String) { self.rawValue = rawValue }

    /// No compression.
    public static let none = Compression(rawValue: "none")
    /// gzip: small output, slow.
    public static let gzip = Compression(rawValue: "gzip")
    /// Snappy: fast, moderate ratio.
    public static let snappy = Compression(rawValue: "snappy")
    /// LZ4: fast, good ratio; a common choice.
    public static let lz4 = Compression(rawValue: "lz4")
    /// Zstandard: the best ratio at moderate speed (brokers 2.1 and later).
    public static let zstd = Compression(rawValue: "zstd")
}
