import Foundation
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// A program run as a child process that a test talks to while it runs: lines written to its
/// standard input through a pipe held open, its standard error watched as it is written, and
/// signals sent when what it printed says it got somewhere (an event, never a delay).
///
/// `posix_spawn`, like ``ChildProcess``, with SIGINT, SIGTERM, SIGHUP and SIGPIPE at their
/// default actions and no signal blocked, whatever the test runner set for itself. The pipes
/// are close-on-exec in this process, so no other child holds them open.
public final class RunningChild: Sendable {
    /// Where the child's standard input comes from.
    public enum Input: Sendable {
        /// A pipe the test writes to with ``write(_:)`` and closes with ``closeInput()``.
        case pipe
        /// No descriptor 0 at all.
        case closed
    }

    /// Where the child's standard error goes.
    public enum ErrorOutput: Sendable {
        /// A pipe this process reads: ``errors`` and ``waitForErrors(_:)`` see it.
        case watched
        /// A file opened for writing (`/dev/full`, say).
        case file(String)
        /// No descriptor 2 at all.
        case closed
        /// A pipe whose reading end is already closed: every write fails with `EPIPE`.
        case pipeWithoutReader
    }

    private struct Watch {
        var errors = Data()
        var ended = false
        var waiters: [(predicate: @Sendable (String) -> Bool, continuation: CheckedContinuation<String?, Never>)] = []
    }

    private let pid: pid_t
    /// The writing end of standard input's pipe while it is open.
    private let inputPipe: Mutex<Int32?>
    private let watch = Mutex(Watch())
    private let exited = Mutex<(status: Int32?, waiters: [CheckedContinuation<Int32, Never>])>((nil, []))

    /// Starts `executable` with `arguments`; `environment` adds to this process's variables.
    public init(
        _ executable: String, _ arguments: [String], input: Input = .pipe, errors: ErrorOutput = .watched,
        environment: [String: String] = [:]
    ) throws {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        var toClose: [Int32] = []
        defer { toClose.forEach { close($0) } }

        var inputWriter: Int32?
        switch input {
        case .pipe:
            let ends = try Self.makePipe()
            posix_spawn_file_actions_adddup2(&actions, ends.read, 0)
            toClose.append(ends.read)
            inputWriter = ends.write
        case .closed:
            posix_spawn_file_actions_addclose(&actions, 0)
        }
        posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
        var errorReader: Int32?
        switch errors {
        case .watched:
            let ends = try Self.makePipe()
            posix_spawn_file_actions_adddup2(&actions, ends.write, 2)
            toClose.append(ends.write)
            errorReader = ends.read
        case .file(let path):
            posix_spawn_file_actions_addopen(&actions, 2, path, O_WRONLY, 0)
        case .closed:
            posix_spawn_file_actions_addclose(&actions, 2)
        case .pipeWithoutReader:
            let ends = try Self.makePipe()
            posix_spawn_file_actions_adddup2(&actions, ends.write, 2)
            toClose.append(ends.write)
            close(ends.read)
        }

        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var defaults = sigset_t()
        sigemptyset(&defaults)
        for signal in [SIGINT, SIGTERM, SIGHUP, SIGPIPE] { sigaddset(&defaults, signal) }
        var noneBlocked = sigset_t()
        sigemptyset(&noneBlocked)
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        posix_spawnattr_setsigmask(&attributes, &noneBlocked)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK))

        var variables = ProcessInfo.processInfo.environment
        variables.merge(environment) { _, added in added }
        let environ = variables.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer { environ.forEach { free($0) } }
        let argv = ([executable] + arguments).map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        var pid: pid_t = 0
        let spawned = spawnChild(&pid, executable, &actions, &attributes, argv, environ)
        guard spawned == 0 else {
            inputWriter.map { _ = close($0) }
            errorReader.map { _ = close($0) }
            throw ChildProcess.LaunchFailure(description: "\(executable): \(String(cString: strerror(spawned)))")
        }
        self.pid = pid
        inputPipe = Mutex(inputWriter)
        if let errorReader {
            Thread.detachNewThread { [self] in drain(errorReader) }
        } else {
            watch.withLock { $0.ended = true }
        }
        Thread.detachNewThread { [self] in reap() }
    }

    /// Everything the child wrote to standard error so far (all of it once it has exited).
    public var errors: String { watch.withLock { String(decoding: $0.errors, as: UTF8.self) } }

    /// Writes `text` to the child's standard input (a pipe); blocks while the pipe is full.
    public func write(_ text: String) {
        inputPipe.withLock { descriptor in
            guard let descriptor else { return }
            var bytes = Array(text.utf8)[...]
            while !bytes.isEmpty {
                let written = bytes.withUnsafeBytes { Glibc.write(descriptor, $0.baseAddress, $0.count) }
                if written < 0 && errno == EINTR { continue }
                guard written > 0 else { return }
                bytes = bytes.dropFirst(written)
            }
        }
    }

    /// Closes the child's standard input: it sees the end of its input.
    public func closeInput() {
        inputPipe.withLock { descriptor in
            if let descriptor { close(descriptor) }
            descriptor = nil
        }
    }

    /// Sends `signal` to the child.
    public func signal(_ signal: Int32) {
        kill(pid, signal)
    }

    /// Waits until the child's standard error satisfies `predicate`, and returns it then; `nil`
    /// if the child closed its standard error (exited) first.
    public func waitForErrors(_ predicate: @escaping @Sendable (String) -> Bool) async -> String? {
        await withCheckedContinuation { continuation in
            let answer: String?? = watch.withLock { watch in
                let text = String(decoding: watch.errors, as: UTF8.self)
                if predicate(text) { return .some(text) }
                if watch.ended { return .some(nil) }
                watch.waiters.append((predicate, continuation))
                return nil
            }
            if let answer { continuation.resume(returning: answer) }
        }
    }

    /// Waits for the child to exit and for its standard error to end; returns its status (128 +
    /// the signal if a signal ended it).
    public func exitStatus() async -> Int32 {
        let status = await withCheckedContinuation { continuation in
            let status = exited.withLock { state in
                if state.status == nil { state.waiters.append(continuation) }
                return state.status
            }
            if let status { continuation.resume(returning: status) }
        }
        closeInput()
        _ = await waitForErrors { _ in false }
        return status
    }

    private func drain(_ descriptor: Int32) {
        var chunk = [UInt8](repeating: 0, count: 65_536)
        while true {
            let count = chunk.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
            if count < 0 && errno == EINTR { continue }
            guard count > 0 else { break }
            let ready = watch.withLock { watch in
                watch.errors.append(contentsOf: chunk[..<count])
                let text = String(decoding: watch.errors, as: UTF8.self)
                var ready: [(CheckedContinuation<String?, Never>, String)] = []
                watch.waiters.removeAll { waiter in
                    guard waiter.predicate(text) else { return false }
                    ready.append((waiter.continuation, text))
                    return true
                }
                return ready
            }
            for (continuation, text) in ready { continuation.resume(returning: text) }
        }
        close(descriptor)
        let unanswered = watch.withLock { watch in
            watch.ended = true
            defer { watch.waiters = [] }
            return watch.waiters.map(\.continuation)
        }
        for continuation in unanswered { continuation.resume(returning: nil) }
    }

    private func reap() {
        var status: Int32 = 0
        while waitpid(pid, &status, 0) == -1 && errno == EINTR {}
        // WIFEXITED / WEXITSTATUS / WTERMSIG are macros Swift does not import.
        let signal = status & 0x7f
        let exitStatus = signal == 0 ? (status >> 8) & 0xff : 128 + signal
        // Standard error is complete once the child is gone, unless a grandchild holds it.
        let waiters = exited.withLock { state in
            state.status = exitStatus
            defer { state.waiters = [] }
            return state.waiters
        }
        for waiter in waiters { waiter.resume(returning: exitStatus) }
    }

    private static func makePipe() throws -> (read: Int32, write: Int32) {
        var ends: [Int32] = [-1, -1]
        guard pipe(&ends) == 0 else {
            throw ChildProcess.LaunchFailure(description: "pipe: \(String(cString: strerror(errno)))")
        }
        // Glibc's pipe2 is not imported; a child spawned by another test in between could
        // inherit the ends, which only delays the end of its standard error.
        for end in ends { _ = fcntl(end, F_SETFD, FD_CLOEXEC) }
        return (ends[0], ends[1])
    }
}
