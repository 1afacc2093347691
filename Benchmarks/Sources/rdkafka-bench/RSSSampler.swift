import Foundation
import Synchronization

/// Samples VmRSS on a thread of its own while a long run goes on, and prints it every second.
///
/// A thread rather than a task: a task could be delayed behind the producer's work on the
/// cooperative pool (two threads here), and the samples would bunch up just when memory is busiest.
final class RSSSampler: Sendable {
    /// VmRSS at one moment of the run.
    struct Sample: Encodable, Sendable {
        /// Since the sampler was created.
        var seconds: Double
        var residentKilobytes: Int
    }

    private struct State {
        var samples: [Sample] = []
        var stopped = false
    }

    /// Finer than the printing, so that the samples picked at fractions of the run land close
    /// to those fractions even in a run of ten seconds.
    static let interval: Duration = .milliseconds(100)
    private static let samplesPerPrint = 10

    private let label: String
    private let clock = ContinuousClock()
    private let started: ContinuousClock.Instant
    private let state = Mutex(State())

    /// Starts sampling at once; `label` prefixes the printed lines.
    init(label: String) {
        self.label = label
        started = clock.now
        let thread = Thread { [self] in sampleUntilStopped() }
        thread.name = "rss-sampler"
        thread.start()
    }

    /// Stops sampling and returns every sample, the last one taken now.
    func stop() -> [Sample] {
        let last = sample()
        return state.withLock { state in
            state.stopped = true
            if let last { state.samples.append(last) }
            return state.samples
        }
    }

    private func sampleUntilStopped() {
        var taken = 0
        var deadline = started
        while true {
            guard let sample = sample() else { return }
            let running = state.withLock { state in
                guard !state.stopped else { return false }
                state.samples.append(sample)
                return true
            }
            guard running else { return }
            if taken % Self.samplesPerPrint == 0 {
                progress("  \(label): \(Format.seconds(sample.seconds)) s, VmRSS \(Format.megabytes(sample.residentKilobytes))")
            }
            taken += 1
            // To a deadline rather than for a fixed time, so that reading /proc does not make
            // the samples drift later and later.
            deadline += Self.interval
            let wait = clock.now.duration(to: deadline)
            if wait > .zero { Thread.sleep(forTimeInterval: wait.seconds) }
        }
    }

    private func sample() -> Sample? {
        MemorySnapshot.current().map { Sample(seconds: started.duration(to: clock.now).seconds, residentKilobytes: $0.residentKilobytes) }
    }
}
