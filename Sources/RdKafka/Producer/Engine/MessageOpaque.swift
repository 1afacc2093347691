/// The continuation an awaited send suspends on; resumed exactly once by its delivery report
/// or, if librdkafka refused the record, by the send itself.
typealias DeliveryContinuation = UnsafeContinuation<Result<DeliveryReport, KafkaError>, Never>

/// What a record's per-message pointer (librdkafka's `opaque`) stands for.
///
/// The pointer is the only thing librdkafka carries from enqueue to report, so it carries the
/// whole route back without a heap allocation per record: the two low bits say what it is.
/// - `00`: an awaited send's continuation, bit-cast (task pointers are 16-byte aligned).
/// - `01`: a fire-and-forget record: the caller's correlation identifier shifted left by 2.
/// - `10`: an entry of a ``BatchCollector``'s table (8-byte aligned), plus 2.
///
/// Ownership: each pointer is handed to librdkafka once per accepted record and read back
/// once from its delivery report, which is librdkafka's guarantee for every accepted record.
enum MessageOpaque {
    case awaiting(DeliveryContinuation)
    case enqueued(correlationID: UInt64)
    case batchEntry(UnsafeMutablePointer<BatchEntry>)

    /// The largest correlation identifier that fits beside the tag.
    static let maximumCorrelationID: UInt64 = (1 << 62) - 1

    private static let tagMask: UInt = 0b11

    var pointer: UnsafeMutableRawPointer {
        switch self {
        case .awaiting(let continuation):
            let raw = unsafeBitCast(continuation, to: UnsafeMutableRawPointer.self)
            assert(UInt(bitPattern: raw) & Self.tagMask == 0, "continuation pointer is not aligned")
            return raw
        case .enqueued(let correlationID):
            return UnsafeMutableRawPointer(bitPattern: UInt(correlationID) << 2 | 0b01)!
        case .batchEntry(let entry):
            return UnsafeMutableRawPointer(entry) + 0b10
        }
    }

    /// The caller's correlation identifier, which only a fire-and-forget record has.
    var correlationID: UInt64? {
        if case .enqueued(let correlationID) = self { correlationID } else { nil }
    }

    init?(_ pointer: UnsafeMutableRawPointer?) {
        guard let pointer else { return nil }
        let bits = UInt(bitPattern: pointer)
        switch bits & Self.tagMask {
        case 0b00:
            self = .awaiting(unsafeBitCast(pointer, to: DeliveryContinuation.self))
        case 0b01:
            self = .enqueued(correlationID: UInt64(bits >> 2))
        case 0b10:
            self = .batchEntry((pointer - 0b10).assumingMemoryBound(to: BatchEntry.self))
        default:
            return nil
        }
    }
}
