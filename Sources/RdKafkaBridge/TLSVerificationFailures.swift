internal import CRdKafka

/// Why OpenSSL refused a broker's certificate, caught by an `ssl.certificate.verify_cb` that
/// changes no verdict.
///
/// librdkafka reports every refused certificate as "certificate verify failed ... install
/// ca-certificates package", whether the certificate expired, names another host or comes from an
/// unknown CA. OpenSSL's verification error code, which tells them apart, reaches only this
/// callback; it is kept per client (by `rd_kafka_t` address) until the TLS error that follows is
/// reported.
package enum TLSVerificationFailures {
    private static let reasons = LockedValue<[UInt: String]>([:])

    /// Installs the callback on `configuration` when `properties` verify broker certificates
    /// (TLS on, `enable.ssl.certificate.verification` not `false`); with verification off there
    /// is nothing to explain.
    static func install(on configuration: OpaquePointer, properties: [(key: String, value: String)]) {
        let value = { (key: String) in properties.last { $0.key == key }?.value.lowercased() }
        guard value("security.protocol")?.hasSuffix("ssl") == true, value("enable.ssl.certificate.verification") != "false" else {
            return
        }
        _ = rd_kafka_conf_set_ssl_cert_verify_cb(configuration, verify)
    }

    /// The reason kept for `client`'s last refused certificate, removed as it is read.
    static func take(for client: OpaquePointer) -> String? {
        reasons.withLock { $0.removeValue(forKey: UInt(bitPattern: client)) }
    }

    /// Forgets `client`, whose address a later client may reuse.
    static func forget(_ client: OpaquePointer) {
        _ = take(for: client)
    }

    /// Keeps OpenSSL's verdict (returns 1 exactly when it found no error) and notes its reason.
    private static let verify:
        @convention(c) (
            OpaquePointer?, UnsafePointer<CChar>?, Int32, UnsafeMutablePointer<Int32>?, Int32, UnsafePointer<CChar>?, Int,
            UnsafeMutablePointer<CChar>?, Int, UnsafeMutableRawPointer?
        ) -> Int32 = { client, brokerName, _, x509Error, _, _, _, errorText, errorTextSize, _ in
            guard let code = x509Error?.pointee, code != 0 else { return 1 }
            let broker = brokerName.map { String(cString: $0) } ?? "the broker"
            let reason = "\(describe(x509Error: code)) (\(broker), OpenSSL X509 error \(code))"
            if let client { reasons.withLock { $0[UInt(bitPattern: client)] = reason } }
            if let errorText, errorTextSize > 0 {
                let bytes = Array(reason.utf8.prefix(errorTextSize - 1)).map { CChar(bitPattern: $0) } + [0]
                errorText.update(from: bytes, count: bytes.count)
            }
            return 0
        }

    /// OpenSSL's `X509_V_ERR_*` codes (stable since OpenSSL 1.0) in words.
    package static func describe(x509Error code: Int32) -> String {
        switch code {
        case 2, 20, 21:
            return "the broker's certificate is signed by an unknown CA: trust its CA (TLSConfiguration.trustRoots)"
        case 18:
            return "the broker's certificate is self-signed and not trusted"
        case 19:
            return "the broker's certificate chain ends in a self-signed CA that is not trusted: trust it (TLSConfiguration.trustRoots)"
        case 9: return "the broker's certificate is not valid yet (check the clocks)"
        case 10: return "the broker's certificate has expired"
        case 11: return "the CRL is not valid yet"
        case 12: return "the CRL has expired"
        case 23: return "the broker's certificate has been revoked"
        case 26: return "the broker's certificate is not meant for a TLS server"
        case 62: return "the broker's certificate does not name the host connected to (hostname mismatch)"
        case 64: return "the broker's certificate does not name the IP address connected to (address mismatch)"
        case 7: return "the broker's certificate signature does not verify"
        default: return "the broker's certificate was refused"
        }
    }

    /// librdkafka's message for a refused certificate with its generic advice replaced by `reason`.
    package static func explain(_ message: String, reason: String) -> String {
        let advice = ": broker certificate could not be verified"
        guard let start = message.range(of: advice) else { return message + ": " + reason }
        // The advice runs up to "(install ca-certificates package)" or a similar parenthesis.
        let rest = message[start.upperBound...]
        let end = rest.range(of: "package)")?.upperBound ?? rest.firstIndex(of: "(") ?? rest.endIndex
        return message[..<start.lowerBound] + ": " + reason + message[end...]
    }
}
