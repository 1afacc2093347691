import CRawBaseline
import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// Durations as whole nanoseconds, so that a million latencies sort and store cheaply.
extension Duration {
    var nanoseconds: Int64 {
        let (seconds, attoseconds) = components
        return seconds * 1_000_000_000 + attoseconds / 1_000_000_000
    }

    var seconds: Double {
        Double(nanoseconds) / 1e9
    }
}

/// Nearest-rank percentiles of a set of latencies, in milliseconds.
struct LatencySummary: Encodable, Sendable {
    var samples: Int
    var p50Milliseconds: Double
    var p99Milliseconds: Double
    var p999Milliseconds: Double
    var maxMilliseconds: Double
    /// What one sample spans.
    var meaning: String

    init?(nanoseconds: [Int64], meaning: String) {
        guard !nanoseconds.isEmpty else { return nil }
        let sorted = nanoseconds.sorted()
        func percentile(_ fraction: Double) -> Double {
            // Nearest rank: the smallest sample with at least `fraction` of samples at or below it.
            let rank = Int((Double(sorted.count) * fraction).rounded(.up))
            return Double(sorted[min(max(rank, 1), sorted.count) - 1]) / 1e6
        }
        samples = sorted.count
        p50Milliseconds = percentile(0.50)
        p99Milliseconds = percentile(0.99)
        p999Milliseconds = percentile(0.999)
        maxMilliseconds = Double(sorted[sorted.count - 1]) / 1e6
        self.meaning = meaning
    }
}

/// CPU time the whole process has used, every thread included (user plus system).
///
/// On a two-core machine throughput moves with whatever else runs; CPU time per record moves
/// much less, and it also counts work a scenario does off its own timeline (reader tasks, the
/// delivery thread). The mock brokers run in this process, so their CPU is in it too.
func processCPUTime() -> Duration? {
    #if canImport(Glibc)
        var usage = rusage()
        guard getrusage(RUSAGE_SELF.rawValue, &usage) == 0 else { return nil }
        func duration(_ time: timeval) -> Duration {
            .seconds(Int64(time.tv_sec)) + .microseconds(Int64(time.tv_usec))
        }
        return duration(usage.ru_utime) + duration(usage.ru_stime)
    #else
        return nil
    #endif
}

/// The process's memory as Linux reports it in /proc/self/status, in kilobytes.
struct MemorySnapshot: Sendable {
    /// VmRSS: resident now.
    var residentKilobytes: Int
    /// VmHWM: the most ever resident, since the process started or the last ``resetPeak()``.
    var peakKilobytes: Int

    /// The current figures, or `nil` where /proc is not available (macOS).
    static func current() -> MemorySnapshot? {
        guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return nil }
        var resident: Int?
        var peak: Int?
        for line in status.split(separator: "\n") {
            if line.hasPrefix("VmRSS:") { resident = kilobytes(in: line) }
            if line.hasPrefix("VmHWM:") { peak = kilobytes(in: line) }
        }
        guard let resident, let peak else { return nil }
        return MemorySnapshot(residentKilobytes: resident, peakKilobytes: peak)
    }

    /// Hands memory that malloc holds free back to the kernel, so that RSS counts what is in
    /// use rather than what an earlier scenario freed but glibc kept. Returns whether it could.
    @discardableResult
    static func returnFreedMemory() -> Bool {
        raw_baseline_return_free_memory() != 0
    }

    /// Sets VmHWM back to the current RSS (Linux 4.0 and later), so that each scenario's peak is
    /// its own rather than the largest of every scenario run before it. Returns whether it did.
    static func resetPeak() -> Bool {
        #if canImport(Glibc)
            guard let file = fopen("/proc/self/clear_refs", "w") else { return false }
            let written = fputs("5", file) >= 0
            return fclose(file) == 0 && written
        #else
            return false
        #endif
    }

    private static func kilobytes(in line: Substring) -> Int? {
        // "VmRSS:     12345 kB"
        line.split(separator: " ", omittingEmptySubsequences: true).dropFirst().first.flatMap { Int($0) }
    }
}

/// Runs blocking work on a thread of its own and awaits its result, so that it never occupies
/// one of the cooperative pool's threads (two, on a two-core machine) for seconds.
func onDedicatedThread<Value: Sendable>(_ work: @escaping @Sendable () -> Value) async -> Value {
    await withCheckedContinuation { continuation in
        let thread = Thread {
            continuation.resume(returning: work())
        }
        thread.name = "raw-c-baseline"
        thread.start()
    }
}
