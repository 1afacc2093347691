import Synchronization

/// A cache whose misses are fetched once: concurrent first lookups of one key share one fetch.
///
/// The shell over ``SingleFlightTable``: it decides under its lock and awaits outside it. The
/// fetch runs in a task of its own, not in any caller's, so a caller that is cancelled does not
/// cancel the others' fetch; each fetch ends by the registry's answer or the client's timeout
/// and retries.
final class SingleFlightCache<Key: Hashable & Sendable, Value: Sendable>: Sendable {
    private let table = Mutex(SingleFlightTable<Key, Value, Task<Value, any Error>>())

    init() {}

    /// The cached value for `key`, or the result of `fetch`, run once for all callers asking
    /// at the same time.
    func value(for key: Key, fetch: @escaping @Sendable () async throws -> Value) async throws -> Value {
        let lookup = table.withLock { table in
            table.lookup(key) { generation in
                Task {
                    let result = await Result(catching: fetch)
                    self.table.withLock { $0.land(key, generation: generation, with: result) }
                    return try result.get()
                }
            }
        }
        switch lookup {
        case .cached(let value): return value
        case .joined(let task), .started(let task, _): return try await task.value
        }
    }

    /// Stores `value` for `key` unless one is cached or being fetched.
    func store(_ value: Value, for key: Key) {
        table.withLock { $0.store(value, for: key) }
    }

    /// The cached value for `key`, if any, without fetching.
    func cachedValue(for key: Key) -> Value? {
        table.withLock { $0.cachedValue(for: key) }
    }

    /// How many callers are waiting on the fetch under way for `key`, besides the one that
    /// started it.
    func joiners(of key: Key) -> Int {
        table.withLock { $0.joiners(of: key) }
    }
}

extension Result where Failure == any Error {
    /// The outcome of an async throwing body.
    init(catching body: () async throws -> Success) async {
        do { self = .success(try await body()) } catch { self = .failure(error) }
    }
}
