import Foundation

/// Number formatting without locale: the same output on every machine.
enum Format {
    /// A whole number with thousands separators: 1234567.8 -> "1,234,568".
    static func grouped(_ value: Double) -> String {
        let digits = String(Int(value.rounded()))
        var grouped = ""
        for (offset, character) in digits.reversed().enumerated() {
            if offset > 0 && offset % 3 == 0 && character != "-" { grouped.append(",") }
            grouped.append(character)
        }
        return String(grouped.reversed())
    }

    static func seconds(_ value: Double) -> String {
        String(format: "%.2f", value)
    }

    /// Two decimals, three below 0.1 so that a slow scenario does not print as 0.00.
    static func ratio(_ value: Double) -> String {
        String(format: value < 0.1 ? "%.3f" : "%.2f", value)
    }

    static func milliseconds(_ value: Double) -> String {
        String(format: value < 10 ? "%.2f" : "%.1f", value)
    }

    /// A value size: "100 B", "1 KiB", "64 KiB".
    static func bytes(_ count: Int) -> String {
        count >= 1_024 && count % 1_024 == 0 ? "\(count / 1_024) KiB" : "\(count) B"
    }

    static func megabytes(_ kilobytes: Int) -> String {
        String(format: "%.0f MB", Double(kilobytes) / 1024)
    }
}
