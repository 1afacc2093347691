import Logging
import Testing

@testable import RdKafka

@Suite("librdkafka log levels")
struct LogLevelMappingTests {
    @Test("Every Logger level survives the trip to librdkafka's syslog level and back (trace comes back as debug)")
    func roundTrip() {
        for level in Logger.Level.allCases {
            let back = Logger.Level(syslogLevel: level.syslogLevel)
            #expect(back == (level == .trace ? .debug : level), "\(level)")
        }
    }

    @Test("Syslog's emergency and alert are critical; anything past debug is debug")
    func outOfRange() {
        #expect(Logger.Level(syslogLevel: 0) == .critical)
        #expect(Logger.Level(syslogLevel: 1) == .critical)
        #expect(Logger.Level(syslogLevel: 9) == .debug)
    }
}
