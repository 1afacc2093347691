/// The state of a cache whose misses are fetched once however many callers ask at the same
/// time: a value type taking events (a lookup, a fetch that landed) and saying what to do, so
/// that the rules are tested without a registry (see `SingleFlightCache` for the shell).
///
/// A key is absent, in flight (one fetch under way, which later callers join) or cached. A
/// fetch that fails is forgotten, so the next caller starts a new one; one that succeeds is
/// kept for the table's lifetime, because what the registry assigns (ids, versions, schemas by
/// id) never changes.
struct SingleFlightTable<Key: Hashable, Value, Flight> {
    private enum Entry {
        case inFlight(Flight, generation: UInt64, joiners: Int)
        case cached(Value)
    }

    /// What a lookup found.
    enum Lookup {
        /// The value, from the cache.
        case cached(Value)
        /// A fetch is under way: wait for it.
        case joined(Flight)
        /// No fetch was under way: this one was started, and must be awaited and landed.
        case started(Flight, generation: UInt64)
    }

    private var entries: [Key: Entry] = [:]
    private var nextGeneration: UInt64 = 0

    /// Looks `key` up; on a miss with no fetch under way, starts one with `start`, which gets
    /// the generation that ``land(_:generation:with:)`` must name.
    mutating func lookup(_ key: Key, start: (UInt64) -> Flight) -> Lookup {
        switch entries[key] {
        case .cached(let value):
            return .cached(value)
        case .inFlight(let flight, let generation, let joiners):
            entries[key] = .inFlight(flight, generation: generation, joiners: joiners + 1)
            return .joined(flight)
        case nil:
            nextGeneration += 1
            let flight = start(nextGeneration)
            entries[key] = .inFlight(flight, generation: nextGeneration, joiners: 0)
            return .started(flight, generation: nextGeneration)
        }
    }

    /// Records how the fetch of `generation` for `key` ended: a value is cached, a failure
    /// forgotten. A generation that is no longer the one in flight changes nothing.
    mutating func land(_ key: Key, generation: UInt64, with result: Result<Value, any Error>) {
        guard case .inFlight(_, let current, _) = entries[key], current == generation else { return }
        switch result {
        case .success(let value): entries[key] = .cached(value)
        case .failure: entries[key] = nil
        }
    }

    /// Stores a value learnt another way (a registration answers a lookup too).
    mutating func store(_ value: Value, for key: Key) {
        if case .cached = entries[key] { return }
        if case .inFlight = entries[key] { return }
        entries[key] = .cached(value)
    }

    /// How many callers joined the fetch under way for `key`; 0 when none is.
    func joiners(of key: Key) -> Int {
        guard case .inFlight(_, _, let joiners) = entries[key] else { return 0 }
        return joiners
    }

    /// The cached value for `key`, if any.
    func cachedValue(for key: Key) -> Value? {
        guard case .cached(let value) = entries[key] else { return nil }
        return value
    }
}
