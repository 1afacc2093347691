public import RdKafka

/// How a serializer names the subject its schema is registered under, as Confluent's
/// serializers do.
///
/// | Strategy | Subject for a value of record `shop.Order` on topic `orders` |
/// |---|---|
/// | ``topicName`` (default) | `orders-value` |
/// | ``recordName`` | `shop.Order` |
/// | ``topicRecordName`` | `orders-shop.Order` |
public struct SubjectNameStrategy: Sendable, Hashable {
    enum Rule: Hashable {
        case topic, record, topicRecord
    }

    let rule: Rule

    /// `<topic>-key` or `<topic>-value`: one schema history per topic and half. The default.
    public static let topicName = SubjectNameStrategy(rule: .topic)
    /// The record's full name: one schema history per type, whatever topic it goes to.
    public static let recordName = SubjectNameStrategy(rule: .record)
    /// `<topic>-<record full name>`: several types on one topic, each with its own history.
    public static let topicRecordName = SubjectNameStrategy(rule: .topicRecord)

    /// The subject for a record going to `context`'s topic and half.
    ///
    /// - Parameters:
    ///   - context: The topic and whether the bytes are the key or the value.
    ///   - recordName: The full name of the schema's record or message; `nil` when the schema
    ///     has none.
    /// - Throws: ``SchemaRegistryError`` `.noRecordName` when the strategy needs a record name
    ///   and there is none.
    public func subject(for context: SerializationContext, recordName: String?) throws -> String {
        switch rule {
        case .topic:
            return "\(context.topic)-\(context.part.rawValue)"
        case .record:
            return try Self.required(recordName, for: context)
        case .topicRecord:
            return "\(context.topic)-\(try Self.required(recordName, for: context))"
        }
    }

    private static func required(_ recordName: String?, for context: SerializationContext) throws -> String {
        guard let recordName, !recordName.isEmpty else {
            throw SchemaRegistryError(
                code: .noRecordName,
                message:
                    "the \(context.part.rawValue) schema for topic '\(context.topic)' has no record name, which this subject name strategy needs"
            )
        }
        return recordName
    }
}
