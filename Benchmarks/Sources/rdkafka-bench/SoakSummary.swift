/// What a soak run's RSS did: samples at fixed fractions of the run, and whether it kept
/// growing once the producer had warmed up.
///
/// Warm-up is the first 10 % of the run, while queues, buffers and the mock brokers' logs fill
/// to their working size. After it, a producer that holds nothing per record it has finished
/// with should plateau: the largest RSS of the second half should be no more than that of the
/// first half (10–50 %). More than ``growthLimit`` above it is flagged as growth. A peak is one
/// sample, so a moment's lag (the report reader falling behind for a fraction of a second) can
/// raise the flag too: the halves' medians, beside the peaks, tell a spike from a trend.
struct SoakSummary: Encodable, Sendable {
    /// VmRSS at one fraction of the run.
    struct Point: Encodable, Sendable {
        var percent: Int
        var seconds: Double
        var residentKilobytes: Int
    }

    static let percents = [10, 50, 90, 100]
    /// Growth of the second half's peak over the first half's beyond which RSS counts as growing.
    static let growthLimit = 0.10

    var samplingIntervalMilliseconds: Int
    /// Every sample, for a closer look than the points (in the JSON only).
    var samples: [RSSSampler.Sample]
    var points: [Point]
    /// The largest VmRSS from 10 % to 50 % of the run.
    var firstHalfMaxKilobytes: Int
    /// The largest VmRSS from 50 % to the end.
    var secondHalfMaxKilobytes: Int
    /// The median VmRSS from 10 % to 50 % of the run.
    var firstHalfMedianKilobytes: Int
    /// The median VmRSS from 50 % to the end.
    var secondHalfMedianKilobytes: Int
    /// `secondHalfMaxKilobytes / firstHalfMaxKilobytes - 1`, in percent.
    var growthPercent: Double
    /// Whether ``growthPercent`` is above ``growthLimit``.
    var grewAfterWarmUp: Bool

    /// `nil` without samples.
    init?(samples: [RSSSampler.Sample]) {
        guard let last = samples.last else { return nil }
        let total = last.seconds
        func nearest(to seconds: Double) -> RSSSampler.Sample {
            samples.min { abs($0.seconds - seconds) < abs($1.seconds - seconds) }!
        }
        self.samples = samples
        samplingIntervalMilliseconds = Int(RSSSampler.interval.nanoseconds / 1_000_000)
        points = Self.percents.map { percent in
            let sample = nearest(to: total * Double(percent) / 100)
            return Point(percent: percent, seconds: sample.seconds, residentKilobytes: sample.residentKilobytes)
        }
        // A run too short to have a sample inside a window falls back on the sample nearest to
        // the window's start, so that the comparison is still made, if coarsely.
        func window(from start: Double, to end: Double) -> [Int] {
            let inside = samples.filter { $0.seconds >= total * start && $0.seconds <= total * end }
            return (inside.isEmpty ? [nearest(to: total * start)] : inside).map(\.residentKilobytes).sorted()
        }
        let first = window(from: 0.1, to: 0.5)
        let second = window(from: 0.5, to: 1.0)
        firstHalfMaxKilobytes = first.last!
        secondHalfMaxKilobytes = second.last!
        firstHalfMedianKilobytes = first[first.count / 2]
        secondHalfMedianKilobytes = second[second.count / 2]
        let growth = Double(secondHalfMaxKilobytes) / Double(max(firstHalfMaxKilobytes, 1)) - 1
        growthPercent = growth * 100
        grewAfterWarmUp = growth > Self.growthLimit
    }
}
