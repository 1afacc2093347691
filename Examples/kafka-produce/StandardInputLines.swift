import Dispatch

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The lines of standard input, read in large blocks and split with `memchr`.
///
/// The caller alternates ``fill()``, which reads one block (the only suspension), and
/// ``nextLine()``, which hands out the complete lines already read without suspending, so a
/// block of many short lines costs one suspension rather than one per line:
///
/// ```
/// while try await lines.fill() {
///     while let line = lines.nextLine() { ... }
/// }
/// ```
///
/// The search for a newline resumes where the last one stopped, so a line costs time linear in
/// its length however many reads it spans. A line longer than `maximumLineLength` is not kept:
/// its bytes are dropped as they arrive and it comes out as ``Line/tooLong(length:)`` once its
/// end is seen, so memory stays within the limit plus a couple of blocks whatever the input.
///
/// Reading blocks, so each read runs on a queue of its own rather than on one of the few
/// threads that run Swift tasks (the delivery report reader needs those). A read returns
/// whatever input is available, so lines typed at a terminal are sent as they are entered,
/// while piped input is taken a block at a time.
final class StandardInputLines {
    enum Line {
        /// A line's bytes without its newline, valid until the next ``StandardInputLines/fill()``.
        case text(UnsafeRawBufferPointer)
        /// A line longer than the limit, dropped unread; `length` is its size in bytes.
        case tooLong(length: Int)
    }

    struct ReadError: Error, CustomStringConvertible {
        var reason: String
        var description: String { "reading standard input failed: \(reason)" }
    }

    /// The most one read asks for.
    static let blockSize = 1 << 20

    let maximumLineLength: Int
    private var storage: UnsafeMutableRawPointer
    private var capacity: Int
    /// Where the first line not yet handed out starts.
    private var lineStart = 0
    /// Where the newline search resumes: `lineStart..<scanned` is known to hold none.
    private var scanned = 0
    /// How many bytes of `storage` hold input.
    private var end = 0
    /// While dropping a line over the limit: how many of its bytes were dropped so far.
    private var droppedLength: Int?
    private var reachedEnd = false

    init(maximumLineLength: Int) {
        self.maximumLineLength = maximumLineLength
        capacity = 2 * Self.blockSize
        storage = .allocate(byteCount: capacity, alignment: 1)
    }

    deinit {
        storage.deallocate()
    }

    /// Reads the next block of input.
    ///
    /// - Returns: `false` when the end of input was seen by an earlier call: the lines that
    ///   call made available (a last one without a newline included) are all there is.
    func fill() async throws -> Bool {
        if reachedEnd { return false }
        makeRoomForABlock()
        let count = try await Self.readAvailable(into: Destination(address: storage + end, count: capacity - end))
        if count == 0 { reachedEnd = true } else { end += count }
        return true
    }

    /// The next complete line already read, or `nil` when ``fill()`` must read more first.
    func nextLine() -> Line? {
        if scanned < end, let found = memchr(storage + scanned, Int32(UInt8(ascii: "\n")), end - scanned) {
            let newline = storage.distance(to: UnsafeMutableRawPointer(found))
            defer {
                lineStart = newline + 1
                scanned = lineStart
            }
            return line(endingAt: newline)
        }
        scanned = end
        if reachedEnd && (lineStart < end || droppedLength != nil) {
            // A last line without a newline is still a line.
            defer { lineStart = end }
            return line(endingAt: end)
        }
        if end - lineStart > maximumLineLength {
            // Already over the limit without its end in sight: drop what is here and keep counting.
            droppedLength = (droppedLength ?? 0) + (end - lineStart)
            lineStart = end
        }
        return nil
    }

    private func line(endingAt lineEnd: Int) -> Line {
        let length = lineEnd - lineStart
        if let dropped = droppedLength {
            droppedLength = nil
            return .tooLong(length: dropped + length)
        }
        if length > maximumLineLength { return .tooLong(length: length) }
        return .text(UnsafeRawBufferPointer(start: storage + lineStart, count: length))
    }

    /// Leaves at least ``blockSize`` free bytes after `end`, keeping the unfinished line.
    ///
    /// The unfinished line moves to the front while it fills at most half the storage, and the
    /// storage doubles once it fills more: either way each byte is copied a bounded number of
    /// times on average, so a long line still costs time linear in its length.
    private func makeRoomForABlock() {
        if lineStart == end {
            lineStart = 0
            scanned = 0
            end = 0
        }
        guard capacity - end < Self.blockSize else { return }
        let unfinished = end - lineStart
        if unfinished > capacity / 2 {
            capacity *= 2
            let larger = UnsafeMutableRawPointer.allocate(byteCount: capacity, alignment: 1)
            larger.copyMemory(from: storage + lineStart, byteCount: unfinished)
            storage.deallocate()
            storage = larger
        } else {
            memmove(storage, storage + lineStart, unfinished)
        }
        scanned -= lineStart
        end = unfinished
        lineStart = 0
    }

    /// Free space in the storage, lent to the reading queue while ``fill()`` awaits the read.
    ///
    /// `@unchecked Sendable` because it carries a raw pointer: nothing else touches the storage
    /// until the read has returned, since ``fill()`` awaits it.
    private struct Destination: @unchecked Sendable {
        var address: UnsafeMutableRawPointer
        var count: Int
    }

    private static let queue = DispatchQueue(label: "kafka-produce.stdin")

    /// Reads whatever is available on standard input (waiting for at least one byte) into
    /// `destination`; 0 at the end of input.
    private static func readAvailable(into destination: Destination) async throws -> Int {
        try await withCheckedThrowingContinuation { continuation in
            queue.async {
                // A stop request ends the input as its end would: poll both, so that a read
                // that would block does not hold the stop up.
                guard waitForInputOrStop() else { return continuation.resume(returning: 0) }
                var count: Int
                repeat {
                    count = read(STDIN_FILENO, destination.address, destination.count)
                } while count < 0 && errno == EINTR
                if count < 0 {
                    continuation.resume(throwing: ReadError(reason: String(cString: strerror(errno))))
                } else {
                    continuation.resume(returning: count)
                }
            }
        }
    }

    /// Waits until standard input has something to read (or its end) or a stop is requested.
    ///
    /// - Returns: `false` when a stop was requested.
    private static func waitForInputOrStop() -> Bool {
        var descriptors = [
            pollfd(fd: STDIN_FILENO, events: Int16(POLLIN), revents: 0),
            pollfd(fd: StopRequest.shared.wakeDescriptor, events: Int16(POLLIN), revents: 0),
        ]
        while true {
            if StopRequest.shared.isRequested { return false }
            let ready = poll(&descriptors, nfds_t(descriptors.count), -1)
            if ready < 0 && errno == EINTR { continue }
            // An error from poll itself is left for the read to report.
            if ready < 0 || descriptors[0].revents != 0 { return !StopRequest.shared.isRequested }
            if descriptors[1].revents != 0 { return false }
        }
    }
}
