internal import COpenSSLCrypto

/// SHA-256 and HMAC-SHA-256 from OpenSSL's libcrypto, the two primitives SigV4 needs.
enum Digest {
    /// SHA-256 of `bytes`.
    static func sha256(_ bytes: [UInt8]) throws(MSKIAMSigningError) -> [UInt8] {
        var digest = [UInt8](repeating: 0, count: 32)
        let succeeded = bytes.withUnsafeBytes { input in
            digest.withUnsafeMutableBufferPointer { output in
                copensslcrypto_sha256(input.baseAddress, input.count, output.baseAddress) == 1
            }
        }
        guard succeeded else { throw MSKIAMSigningError(reason: "OpenSSL's SHA-256 failed") }
        return digest
    }

    /// HMAC-SHA-256 of `data` under `key`.
    static func hmacSHA256(key: [UInt8], _ data: [UInt8]) throws(MSKIAMSigningError) -> [UInt8] {
        var mac = [UInt8](repeating: 0, count: 32)
        let succeeded = key.withUnsafeBytes { key in
            data.withUnsafeBytes { input in
                mac.withUnsafeMutableBufferPointer { output in
                    copensslcrypto_hmac_sha256(key.baseAddress, key.count, input.baseAddress, input.count, output.baseAddress) == 1
                }
            }
        }
        guard succeeded else { throw MSKIAMSigningError(reason: "OpenSSL's HMAC-SHA-256 failed") }
        return mac
    }

    /// Lower-case hexadecimal, as SigV4 writes hashes and signatures.
    static func hex(_ bytes: [UInt8]) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var text = [UInt8]()
        text.reserveCapacity(bytes.count * 2)
        for byte in bytes {
            text.append(digits[Int(byte >> 4)])
            text.append(digits[Int(byte & 0x0F)])
        }
        return String(decoding: text, as: UTF8.self)
    }
}
