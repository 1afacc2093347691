/// Checks `bootstrap.servers` entries before librdkafka sees them.
///
/// librdkafka parses ports with `atoi` into 16 bits, so `host:110925` silently becomes port
/// 45389, `host:abc` port 0 and `host:-1` port 65535, and a blank entry makes it wait for a
/// broker that cannot exist. Each comma-separated entry must be `host:port` (an optional
/// `PROTOCOL://` prefix allowed), with a decimal port from 1 to 65535, a host name or IPv4
/// address, or an IPv6 address in brackets (`[::1]:9092`).
enum BootstrapAddress {
    /// Throws `.invalidConfiguration` naming `bootstrap.servers` and the first bad entry.
    static func check(_ servers: [String]) throws(KafkaError) {
        guard !servers.isEmpty else {
            throw refuse("at least one broker address (host:port) is required")
        }
        for server in servers {
            for entry in server.split(separator: ",", omittingEmptySubsequences: false) {
                guard let problem = problem(in: entry.trimmingSpaces) else { continue }
                // An empty entry says nothing by itself: name the list it is in.
                let culprit = entry.trimmingSpaces.isEmpty ? "'\(server)' holds an empty entry" : "'\(entry)' is not a broker address"
                throw refuse("\(culprit): \(problem)")
            }
        }
    }

    /// What is wrong with one entry, or `nil` when it is a valid `host:port`.
    static func problem(in entry: Substring) -> String? {
        if entry.isEmpty { return "it is empty; write host:port" }
        var address = entry
        if let scheme = address.range(of: "://") { address = address[scheme.upperBound...] }
        let host: Substring
        let port: Substring
        if address.first == "[" {
            guard let close = address.firstIndex(of: "]") else { return "the IPv6 address has no closing ']'" }
            host = address[address.index(after: address.startIndex)..<close]
            let rest = address[address.index(after: close)...]
            guard rest.first == ":" else { return "a port is required after the IPv6 address: [address]:port" }
            port = rest.dropFirst()
            guard !host.isEmpty, host.allSatisfy({ $0.isHexDigit || $0 == ":" || $0 == "." || $0 == "%" }) else {
                return "'\(host)' is not an IPv6 address"
            }
        } else {
            guard let colon = address.lastIndex(of: ":") else { return "a port is required: host:port" }
            host = address[..<colon]
            port = address[address.index(after: colon)...]
            if host.contains(":") { return "an IPv6 address must be in brackets: [address]:port" }
            if host.isEmpty { return "the host is empty" }
            guard host.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "." || $0 == "-" || $0 == "_") }) else {
                return "the host '\(host)' may hold only letters, digits, '.', '-' and '_'"
            }
        }
        guard !port.isEmpty, port.count <= 5, port.allSatisfy({ $0.isASCII && $0.isNumber }), let number = Int(port),
            (1...65535).contains(number)
        else { return "the port '\(port)' is not a number from 1 to 65535" }
        return nil
    }

    private static func refuse(_ message: String) -> KafkaError {
        KafkaError(code: .invalidConfiguration, message: message, configurationKey: "bootstrap.servers")
    }
}

extension Substring {
    /// Without the spaces and tabs around it, as librdkafka reads list entries.
    fileprivate var trimmingSpaces: Substring {
        var trimmed = self
        while trimmed.first == " " || trimmed.first == "\t" { trimmed = trimmed.dropFirst() }
        while trimmed.last == " " || trimmed.last == "\t" { trimmed = trimmed.dropLast() }
        return trimmed
    }
}
