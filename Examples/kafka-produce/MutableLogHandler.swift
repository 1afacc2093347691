import Logging
import Synchronization

/// Passes log records to another handler unless its switch is muted.
///
/// librdkafka retries a refused connection every few milliseconds and logs each attempt twice
/// (its log line and its error event). While the connection is checked those records are
/// muted, so that a failed check ends with the one `could not connect` line; `--verbose` keeps
/// them. The log level is the wrapped handler's, so librdkafka's own `log_level` is unchanged.
struct MutableLogHandler: LogHandler {
    /// Shared by every copy of the handler, including the one inside the producer's logger.
    final class Switch: Sendable {
        private let muted = Atomic(false)

        var isMuted: Bool {
            get { muted.load(ordering: .relaxed) }
            set { muted.store(newValue, ordering: .relaxed) }
        }
    }

    private var base: any LogHandler
    let muteSwitch: Switch

    /// A logger whose records go to the logging system's default handler while `muteSwitch`
    /// is not muted.
    static func logger(label: String, level: Logger.Level, muteSwitch: Switch) -> Logger {
        let base = Logger(label: label).handler
        var logger = Logger(label: label) { _ in MutableLogHandler(base: base, muteSwitch: muteSwitch) }
        logger.logLevel = level
        return logger
    }

    private init(base: any LogHandler, muteSwitch: Switch) {
        self.base = base
        self.muteSwitch = muteSwitch
    }

    func log(event: LogEvent) {
        // A fatal error is news even during the check.
        guard !muteSwitch.isMuted || event.level == .critical else { return }
        base.log(event: event)
    }

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { base[metadataKey: key] }
        set { base[metadataKey: key] = newValue }
    }

    var metadata: Logger.Metadata {
        get { base.metadata }
        set { base.metadata = newValue }
    }

    var metadataProvider: Logger.MetadataProvider? {
        get { base.metadataProvider }
        set { base.metadataProvider = newValue }
    }

    var logLevel: Logger.Level {
        get { base.logLevel }
        set { base.logLevel = newValue }
    }
}
