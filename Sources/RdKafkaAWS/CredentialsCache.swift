import struct Foundation.Date

/// Which credentials ``MSKIAMTokenProvider`` signs with: the kept ones while more than the margin
/// is left before they expire (for good if they never do), else new ones. A value type the
/// provider keeps under its lock; the fetch itself runs outside it.
struct CredentialsCache {
    enum Action {
        case use(AWSCredentials)
        case fetch
    }

    /// Seconds before expiry at which kept credentials are no longer used.
    let margin: Double
    private(set) var kept: AWSCredentials?

    init(margin: Duration) {
        self.margin = Double(margin.components.seconds) + Double(margin.components.attoseconds) / 1e18
    }

    /// What to sign with at `time`.
    func next(at time: Date) -> Action {
        guard let kept else { return .fetch }
        guard let expiration = kept.expiration else { return .use(kept) }
        return expiration.timeIntervalSince(time) > margin ? .use(kept) : .fetch
    }

    /// New credentials arrived. Two fetches racing past an expiry both land here; the later one
    /// is kept, and either is valid.
    mutating func fetched(_ credentials: AWSCredentials) {
        kept = credentials
    }
}
