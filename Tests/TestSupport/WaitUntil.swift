/// Waits for a condition on state nothing announces (a queue length, a counter another thread
/// bumps), looking every `interval`, and throws ``ConditionNotMet`` if it does not hold within
/// `limit`. What a test asserts is the condition itself, never that time has passed.
public func waitUntil(
    within limit: Duration = .seconds(20),
    polling interval: Duration = .milliseconds(1),
    _ condition: () -> Bool
) async throws {
    let deadline = ContinuousClock.now + limit
    while !condition() {
        guard ContinuousClock.now < deadline else { throw ConditionNotMet(limit: limit) }
        try await Task.sleep(for: interval)
    }
}

/// A ``waitUntil(within:polling:_:)`` whose condition did not hold in time.
public struct ConditionNotMet: Error, CustomStringConvertible {
    /// How long the condition was given.
    public let limit: Duration
    /// What the failing test reports.
    public var description: String { "condition not met within \(limit)" }
}
