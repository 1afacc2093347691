import MockBrokerDownGuard

#if canImport(Glibc)
    import Glibc
#endif

/// `posix_spawn` for every child of the test process: the child keeps none of this process's
/// descriptors above the standard three, not even until exec, and no mock broker goes down
/// while it might still hold one (see Tests/MockBrokerDownGuard). Returns posix_spawn's result.
func spawnChild(
    _ pid: inout pid_t,
    _ executable: String,
    _ actions: inout posix_spawn_file_actions_t,
    _ attributes: UnsafePointer<posix_spawnattr_t>?,
    _ argv: [UnsafeMutablePointer<CChar>?],
    _ environment: UnsafePointer<UnsafeMutablePointer<CChar>?>
) -> Int32 {
    mock_broker_down_guard_close_from(&actions, 3)
    mock_broker_down_guard_start_child_begin()
    defer { mock_broker_down_guard_start_child_end() }
    return posix_spawn(&pid, executable, &actions, attributes, argv, environment)
}
