import MallocInterposerSwift

/// Counts the heap allocations (`malloc`, `calloc`, `realloc`, `posix_memalign`,
/// `aligned_alloc`, `memalign`, `valloc` calls) the whole process makes in a timed section.
///
/// The count is process-wide: librdkafka's threads and the in-process mock brokers allocate
/// too, in the C baseline as much as in the Swift scenarios. That is why the table also shows
/// each scenario's count minus its C baseline's.
///
/// The interposer keeps its counters per thread, with plain stores and no shared atomics, so
/// counting adds a few nanoseconds to each allocation and no contention between threads.
enum AllocationCounter {
    /// Whether the interposer's `malloc` is the one the process calls.
    ///
    /// It is when its library comes before libc in the executable's link order, which linking
    /// the product gives; this checks rather than assumes, so that a build where it does not
    /// shows no allocation figures instead of zeros.
    static let isInterposing: Bool = {
        begin()
        let probe = UnsafeMutableRawPointer.allocate(byteCount: 64, alignment: 8)
        end()
        probe.deallocate()
        return counted > 0
    }()

    /// Zeroes the count and starts counting. Called just before a timed section's first send.
    static func begin() {
        MallocInterposerSwift.reset()
        MallocInterposerSwift.hook()
    }

    /// Stops counting. Called just after a timed section's last outcome.
    static func end() {
        MallocInterposerSwift.unhook()
    }

    /// Allocations between the last ``begin()`` and ``end()``.
    static var counted: Int {
        MallocInterposerSwift.getStatistics().mallocCount
    }
}
