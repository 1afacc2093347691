#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Standard input, output and error as the command finds them, which may be closed, full or a
/// pipe nobody reads any more.
///
/// A closed descriptor 0, 1 or 2 would be handed to the next file librdkafka or Dispatch opens
/// (a socket, an eventfd), and diagnostics written to 2 would then land in it; so each closed
/// one is opened on /dev/null before anything else runs. Diagnostics are written with
/// `write(2)`, whose errors are ignored: a message that cannot be written must not take the
/// records down with it. The one failure acted on is a pipe whose reader has gone (`EPIPE`,
/// SIGPIPE being ignored), which stops the run as a signal does (see ``StopRequest``).
enum StandardStreams {
    /// Whether standard input was closed when the command started.
    nonisolated(unsafe) private(set) static var inputWasClosed = false

    /// Opens /dev/null on whichever of descriptors 0, 1 and 2 is closed, and ignores SIGPIPE so
    /// that writing to a pipe without a reader fails with `EPIPE` instead of ending the process.
    /// Call it first, before any other thread can open a file.
    static func prepare() {
        for descriptor in [STDIN_FILENO, STDOUT_FILENO, STDERR_FILENO] where fcntl(descriptor, F_GETFD) == -1 && errno == EBADF {
            // The lowest free descriptor is the one just found closed.
            let opened = open("/dev/null", descriptor == STDIN_FILENO ? O_RDONLY : O_WRONLY)
            if descriptor == STDIN_FILENO { inputWasClosed = true }
            if opened >= 0 && opened != descriptor {
                _ = dup2(opened, descriptor)
                _ = close(opened)
            }
        }
        _ = signal(SIGPIPE, SIG_IGN)
    }

    /// Writes `text` to standard error, whole, retrying interrupted and partial writes; gives up
    /// silently on any other failure (a full disk, a closed descriptor).
    static func writeError(_ text: String) {
        var text = text
        text.withUTF8 { bytes in
            guard let base = bytes.baseAddress else { return }
            var offset = 0
            while offset < bytes.count {
                let written = write(STDERR_FILENO, base + offset, bytes.count - offset)
                if written > 0 {
                    offset += written
                } else if written < 0 && errno == EINTR {
                    continue
                } else {
                    if written < 0 && errno == EPIPE { StopRequest.shared.standardErrorClosed() }
                    return
                }
            }
        }
    }
}
