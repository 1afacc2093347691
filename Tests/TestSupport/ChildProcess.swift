import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// Runs a helper program (the Python decoders and broker scripts) to completion.
///
/// Not `Foundation.Process`: its `run()` scans /proc/self/fd with a read past the end of its
/// directory buffer, which AddressSanitizer reports as a heap-buffer-overflow and aborts the
/// sanitizer run on. `posix_spawn` with files for the three standard streams needs no pipes, so
/// no reader can stall on a full one either.
public enum ChildProcess {
    /// What the program left behind.
    public struct Outcome: Sendable {
        /// Its exit status (128 + the signal number if a signal ended it).
        public var status: Int32
        /// What it printed on standard output.
        public var output: Data
        /// What it printed on standard error.
        public var errors: Data
    }

    /// A program that could not be started.
    public struct LaunchFailure: Error, CustomStringConvertible {
        /// The program and the `posix_spawn` error.
        public var description: String
    }

    /// Runs `executable` with `arguments`, `input` on its standard input, and waits for it on a
    /// thread of its own (waitpid blocks).
    public static func run(_ executable: String, _ arguments: [String], input: Data = Data()) async throws -> Outcome {
        try await withCheckedThrowingContinuation { continuation in
            Thread.detachNewThread {
                continuation.resume(with: Result { try runBlocking(executable, arguments, input: input) })
            }
        }
    }

    /// Runs `executable` like ``run(_:_:input:)``, and sends it SIGTERM once its standard error
    /// contains `marker`: for a program that would otherwise run for hours, to check that it got
    /// under way rather than failing at the start. If the marker never comes, the program ends
    /// by itself and its outcome says how.
    public static func run(
        _ executable: String, _ arguments: [String], input: Data = Data(), terminatingOnceErrorsContain marker: String
    ) async throws -> Outcome {
        try await withCheckedThrowingContinuation { continuation in
            Thread.detachNewThread {
                continuation.resume(with: Result { try runBlocking(executable, arguments, input: input, terminationMarker: marker) })
            }
        }
    }

    private static func runBlocking(
        _ executable: String, _ arguments: [String], input: Data, terminationMarker: String? = nil
    ) throws -> Outcome {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("child-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let stdinPath = folder.appendingPathComponent("stdin").path
        let stdoutPath = folder.appendingPathComponent("stdout").path
        let stderrPath = folder.appendingPathComponent("stderr").path
        try input.write(to: URL(fileURLWithPath: stdinPath))

        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, stdinPath, O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, stdoutPath, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        // Watching for the marker needs standard error as it is written: a pipe, drained to its
        // end by this thread, so the child never blocks on it.
        var errorPipe: [Int32] = [-1, -1]
        if terminationMarker != nil {
            guard pipe(&errorPipe) == 0 else { throw LaunchFailure(description: "pipe: \(String(cString: strerror(errno)))") }
            posix_spawn_file_actions_adddup2(&actions, errorPipe[1], 2)
            posix_spawn_file_actions_addclose(&actions, errorPipe[0])
            posix_spawn_file_actions_addclose(&actions, errorPipe[1])
        } else {
            posix_spawn_file_actions_addopen(&actions, 2, stderrPath, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        }

        let argv = ([executable] + arguments).map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        var pid: pid_t = 0
        let spawned = spawnChild(&pid, executable, &actions, nil, argv, environ)
        if terminationMarker != nil { close(errorPipe[1]) }
        guard spawned == 0 else {
            if terminationMarker != nil { close(errorPipe[0]) }
            throw LaunchFailure(description: "\(executable): \(String(cString: strerror(spawned)))")
        }
        var watchedErrors: Data?
        if let terminationMarker {
            var signalled = false
            watchedErrors = readToEnd(errorPipe[0]) { soFar in
                guard !signalled, soFar.range(of: Data(terminationMarker.utf8)) != nil else { return }
                kill(pid, SIGTERM)
                signalled = true
            }
            close(errorPipe[0])
        }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) == -1 && errno == EINTR {}
        // WIFEXITED / WEXITSTATUS / WTERMSIG are macros Swift does not import.
        let signal = status & 0x7f
        let exitStatus = signal == 0 ? (status >> 8) & 0xff : 128 + signal
        return Outcome(status: exitStatus, output: contents(of: stdoutPath), errors: watchedErrors ?? contents(of: stderrPath))
    }

    /// A file's bytes, read with read(2): `Data(contentsOf:)` hands back a malloc'd block whose
    /// owner LeakSanitizer cannot find, so every call would be reported as a leak.
    private static func contents(of path: String) -> Data {
        let descriptor = open(path, O_RDONLY)
        guard descriptor >= 0 else { return Data() }
        defer { close(descriptor) }
        return readToEnd(descriptor)
    }

    /// Everything `descriptor` yields until its end; `afterEachRead` sees what has come so far.
    private static func readToEnd(_ descriptor: Int32, afterEachRead: (Data) -> Void = { _ in }) -> Data {
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65_536)
        while true {
            let count = chunk.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
            if count < 0 && errno == EINTR { continue }
            guard count > 0 else { break }
            bytes.append(contentsOf: chunk[..<count])
            afterEachRead(Data(bytes))
        }
        return Data(bytes)
    }
}
