import Synchronization

/// Measures the acknowledgement latency of a sample of records, in fixed memory.
///
/// Every record below ``measuredInFull`` is sampled, then every ``stride``-th: a short run still
/// gets a latency per record, and a long one pays a clock read on a sixty-fourth of its records
/// rather than on all. A sampled record's send instant goes into one of ``slotCount`` slots,
/// which it holds until its outcome frees it; a sampled record whose slot is still held goes
/// unmeasured. So the sampler's memory is fixed however many records a run sends.
final class LatencySampler: Sendable {
    static let measuredInFull = 1_024
    static let stride = 64
    static let slotCount = 4_096

    /// A send instant and the record it belongs to.
    ///
    /// `@unchecked Sendable` because `instant` is a plain variable shared by the sending task
    /// and the report reader. `owner` hands it over: the sender writes `instant` only while the
    /// slot is free and then publishes its record's id with a releasing store; the reader reads
    /// `instant` only after an acquiring load has seen that id, and frees the slot afterwards.
    private final class Slot: @unchecked Sendable {
        static let free = -1
        let owner = Atomic<Int>(Slot.free)
        var instant = ContinuousClock.now
    }

    private let slots: [Slot] = (0..<LatencySampler.slotCount).map { _ in Slot() }

    /// The slot a record's instant goes to, or `nil` if the record is not sampled.
    private static func slotIndex(of id: Int) -> Int? {
        if id < measuredInFull { return id % slotCount }
        guard id % stride == 0 else { return nil }
        return (id / stride) % slotCount
    }

    /// Notes the send instant of record `id` if it is sampled. Called before the record is
    /// enqueued, because its outcome can arrive before the enqueue call returns.
    func sending(_ id: Int) {
        guard let index = Self.slotIndex(of: id) else { return }
        let slot = slots[index]
        guard slot.owner.load(ordering: .acquiring) == Slot.free else { return }
        slot.instant = .now
        slot.owner.store(id, ordering: .releasing)
    }

    /// Frees record `id`'s slot: the producer refused it, so no outcome will.
    func refused(_ id: Int) {
        guard let index = Self.slotIndex(of: id) else { return }
        let slot = slots[index]
        if slot.owner.load(ordering: .relaxed) == id { slot.owner.store(Slot.free, ordering: .releasing) }
    }

    /// Frees record `id`'s slot on its outcome.
    ///
    /// - Returns: The time from its send to now, if the record was sampled and its instant kept.
    func reported(_ id: Int) -> Duration? {
        guard let index = Self.slotIndex(of: id) else { return nil }
        let slot = slots[index]
        guard slot.owner.load(ordering: .acquiring) == id else { return nil }
        let latency = ContinuousClock.now - slot.instant
        slot.owner.store(Slot.free, ordering: .releasing)
        return latency
    }
}

/// A uniform sample of at most `capacity` latencies out of however many are added (reservoir
/// sampling), so that percentiles cover a whole run in fixed memory.
struct LatencyReservoir {
    private(set) var latencies: [Duration] = []
    /// How many latencies were added in all.
    private(set) var count = 0
    let capacity: Int
    private var random = SplitMix64(seed: 0x9E37_79B9_7F4A_7C15)

    init(capacity: Int) {
        self.capacity = capacity
    }

    mutating func add(_ latency: Duration) {
        count += 1
        if latencies.count < capacity {
            latencies.append(latency)
        } else {
            // Keeps each of the `count` latencies seen with the same chance, capacity / count.
            let index = Int(random.next() % UInt64(count))
            if index < capacity { latencies[index] = latency }
        }
    }
}

/// A small, fast generator: SystemRandomNumberGenerator reads the kernel's random source for
/// each number, and sampling needs no more than an even spread.
struct SplitMix64: RandomNumberGenerator {
    private var state: UInt64

    init(seed: UInt64) {
        state = seed
    }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var mixed = state
        mixed = (mixed ^ (mixed >> 30)) &* 0xBF58_476D_1CE4_E5B9
        mixed = (mixed ^ (mixed >> 27)) &* 0x94D0_49BB_1331_11EB
        return mixed ^ (mixed >> 31)
    }
}
