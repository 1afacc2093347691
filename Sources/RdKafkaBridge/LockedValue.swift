#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A value behind a pthread mutex; the one lock of the package (RdKafka refers to it by a
/// typealias of the same name).
///
/// Used instead of the standard library's `Mutex` because ThreadSanitizer cannot see that
/// type's contended path on Linux and reports races on state it protects; a pthread mutex it
/// understands, so the sanitizer runs stay meaningful.
///
/// `withLock` is inlinable so that calls from `RdKafka` are specialised as they were when the
/// lock lived there: it sits on the delivery path.
///
/// `@unchecked Sendable`: `value` is only touched while `mutex` is held.
package final class LockedValue<Value>: @unchecked Sendable {
    @usableFromInline let mutex: UnsafeMutablePointer<pthread_mutex_t>
    @usableFromInline var value: Value

    package init(_ value: Value) {
        self.value = value
        mutex = .allocate(capacity: 1)
        mutex.initialize(to: pthread_mutex_t())
        let result = pthread_mutex_init(mutex, nil)
        precondition(result == 0, "pthread_mutex_init failed: \(result)")
    }

    deinit {
        pthread_mutex_destroy(mutex)
        mutex.deinitialize(count: 1)
        mutex.deallocate()
    }

    /// Runs `body` with exclusive access to the value.
    @inlinable
    package func withLock<Result>(_ body: (inout Value) throws -> Result) rethrows -> Result {
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        return try body(&value)
    }
}
