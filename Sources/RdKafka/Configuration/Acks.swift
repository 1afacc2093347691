/// How many in-sync replicas must hold a record before the broker acknowledges it.
///
/// The trade-off is latency and throughput against durability:
/// - ``none``: the broker does not answer. Fastest; a record is lost without an error if the
///   broker fails, and delivery reports carry no offset.
/// - ``leader``: the partition leader wrote it. A record acknowledged but not yet replicated is
///   lost if the leader fails right after.
/// - ``all``: every in-sync replica has it (at least `min.insync.replicas`). Slowest; survives the
///   loss of the leader. Required for idempotence.
public enum Acks: Int, Sendable, Hashable, CaseIterable {
    /// `acks=0`: no acknowledgement.
    case none = 0
    /// `acks=1`: the leader's acknowledgement.
    case leader = 1
    /// `acks=all` (-1): every in-sync replica's acknowledgement.
    case all = -1
}
