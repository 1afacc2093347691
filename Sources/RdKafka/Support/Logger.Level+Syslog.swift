import Logging

/// librdkafka speaks syslog levels (0 emergency … 7 debug): the producer's `Logger` level sets
/// `log_level`, and each log event's level is turned back into a `Logger.Level`. Both
/// directions live here so that they cannot drift apart.
extension Logger.Level {
    /// The syslog level librdkafka logs at for this level: the least severe that still passes
    /// the logger, so librdkafka never formats a line the logger drops.
    var syslogLevel: Int32 {
        switch self {
        case .trace, .debug: return 7
        case .info: return 6
        case .notice: return 5
        case .warning: return 4
        case .error: return 3
        case .critical: return 2
        }
    }

    /// The level of a librdkafka log event: emergency, alert and critical (0…2) are critical;
    /// debug (7) and anything above is debug.
    init(syslogLevel: Int32) {
        switch syslogLevel {
        case ...2: self = .critical
        case 3: self = .error
        case 4: self = .warning
        case 5: self = .notice
        case 6: self = .info
        default: self = .debug
        }
    }
}
