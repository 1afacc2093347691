internal import RdKafkaBridge

/// The package's one lock (a value behind a pthread mutex), which lives in the bridge because the
/// bridge needs it too; the alias lets every file here use it without importing the bridge.
typealias LockedValue = RdKafkaBridge.LockedValue
