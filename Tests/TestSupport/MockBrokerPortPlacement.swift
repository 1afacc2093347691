import MockBrokerPorts

/// Where this test process puts librdkafka's mock brokers' listening ports (see
/// `Tests/MockBrokerPorts`): below the kernel's ephemeral range, so that a broker taken down
/// can always listen on its port again.
public enum MockBrokerPortPlacement {
    /// How many mock broker listeners were placed below the ephemeral range so far.
    public static var placedListeners: Int { mock_broker_ports_placed() }

    /// The lowest port of the kernel's ephemeral range, `nil` when it cannot be read.
    public static var ephemeralRangeStart: Int? {
        let low = mock_broker_ports_ephemeral_low()
        return low < 0 ? nil : Int(low)
    }
}
