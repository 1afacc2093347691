import Dispatch

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The lines of standard input as bytes, without their newline.
///
/// Reading blocks, so each read runs on a queue of its own rather than on one of the few
/// threads that run Swift tasks (the delivery report reader needs those). A read returns
/// whatever input is available, so lines typed at a terminal are sent as they are entered,
/// while piped input is taken in large chunks.
struct StandardInputLines: AsyncSequence {
    typealias Element = [UInt8]

    struct ReadError: Error, CustomStringConvertible {
        var reason: String
        var description: String { "reading standard input failed: \(reason)" }
    }

    func makeAsyncIterator() -> Iterator { Iterator() }

    struct Iterator: AsyncIteratorProtocol {
        private var buffer: [UInt8] = []
        /// Where the next line starts in `buffer`.
        private var lineStart = 0
        private var reachedEnd = false

        mutating func next() async throws -> [UInt8]? {
            while true {
                if let newline = buffer[lineStart...].firstIndex(of: UInt8(ascii: "\n")) {
                    defer { lineStart = newline + 1 }
                    return Array(buffer[lineStart..<newline])
                }
                if reachedEnd {
                    // A last line without a newline is still a line.
                    guard lineStart < buffer.count else { return nil }
                    defer { lineStart = buffer.count }
                    return Array(buffer[lineStart...])
                }
                buffer.removeSubrange(..<lineStart)
                lineStart = 0
                if let chunk = try await Self.readChunk() {
                    buffer += chunk
                } else {
                    reachedEnd = true
                }
            }
        }

        private static let queue = DispatchQueue(label: "kafka-produce.stdin")

        /// The bytes available on standard input (waiting for at least one), or `nil` at its end.
        private static func readChunk() async throws -> [UInt8]? {
            try await withCheckedThrowingContinuation { continuation in
                queue.async {
                    var chunk = [UInt8](repeating: 0, count: 64 * 1024)
                    var count: Int
                    repeat {
                        count = chunk.withUnsafeMutableBytes { read(STDIN_FILENO, $0.baseAddress, $0.count) }
                    } while count < 0 && errno == EINTR
                    if count < 0 {
                        continuation.resume(throwing: ReadError(reason: String(cString: strerror(errno))))
                    } else {
                        continuation.resume(returning: count > 0 ? Array(chunk[..<count]) : nil)
                    }
                }
            }
        }
    }
}
