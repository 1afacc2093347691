/// AWS Signature Version 4 in the query string (a presigned `GET https://host/` URL), written out
/// as botocore's `SigV4QueryAuth` builds it, so the bytes match AWS's own signers: the operation's
/// parameters first, then the `X-Amz-*` ones in botocore's order, each percent-encoded with only
/// `-_.~` and alphanumerics left bare; `host` the only signed header; the payload hash that of an
/// empty body (botocore's choice for a GET, where S3 presigning would write `UNSIGNED-PAYLOAD`).
struct SigV4QueryPresigner {
    var host: String
    var service: String
    var region: String
    var expiresSeconds: Int

    /// The presigned URL for `operationParameters`, ending with `X-Amz-Signature`.
    func presignedURL(
        operationParameters: [(name: String, value: String)], credentials: AWSCredentials, signingTime: SigV4Timestamp
    ) throws(MSKIAMSigningError) -> String {
        let scope = "\(signingTime.date)/\(region)/\(service)/aws4_request"
        var authParameters: [(name: String, value: String)] = [
            ("X-Amz-Algorithm", "AWS4-HMAC-SHA256"),
            ("X-Amz-Credential", "\(credentials.accessKeyID)/\(scope)"),
            ("X-Amz-Date", signingTime.dateTime),
            ("X-Amz-Expires", "\(expiresSeconds)"),
            ("X-Amz-SignedHeaders", "host"),
        ]
        if let token = credentials.sessionToken {
            authParameters.append(("X-Amz-Security-Token", token.value))
        }
        let encoded = (operationParameters + authParameters).map {
            (name: Self.percentEncode($0.name), value: Self.percentEncode($0.value))
        }
        let query = encoded.map { "\($0.name)=\($0.value)" }.joined(separator: "&")
        // The canonical query string is the same pairs sorted by name, then value.
        let canonicalQuery = encoded.sorted { ($0.name, $0.value) < ($1.name, $1.value) }.map { "\($0.name)=\($0.value)" }
            .joined(separator: "&")
        let canonicalRequest = "GET\n/\n\(canonicalQuery)\nhost:\(host)\n\nhost\n\(Self.emptyPayloadHash)"
        let stringToSign =
            "AWS4-HMAC-SHA256\n\(signingTime.dateTime)\n\(scope)\n\(Digest.hex(try Digest.sha256(Array(canonicalRequest.utf8))))"
        var key = try Digest.hmacSHA256(key: Array("AWS4\(credentials.secretAccessKey.value)".utf8), Array(signingTime.date.utf8))
        for part in [region, service, "aws4_request"] {
            key = try Digest.hmacSHA256(key: key, Array(part.utf8))
        }
        let signature = Digest.hex(try Digest.hmacSHA256(key: key, Array(stringToSign.utf8)))
        return "https://\(host)/?\(query)&X-Amz-Signature=\(signature)"
    }

    /// SHA-256 of no bytes, in hex.
    static let emptyPayloadHash = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"

    /// RFC 3986 percent-encoding of every byte but the unreserved ones, upper-case hex (SigV4's rule).
    static func percentEncode(_ text: String) -> String {
        let hexDigits = Array("0123456789ABCDEF".utf8)
        var out = [UInt8]()
        out.reserveCapacity(text.utf8.count)
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
                UInt8(ascii: "-"), UInt8(ascii: "_"), UInt8(ascii: "."), UInt8(ascii: "~"):
                out.append(byte)
            default:
                out += [UInt8(ascii: "%"), hexDigits[Int(byte >> 4)], hexDigits[Int(byte & 0x0F)]]
            }
        }
        return String(decoding: out, as: UTF8.self)
    }
}

/// A signing time in SigV4's two forms, in UTC and whole seconds (`20240131` and `20240131T235959Z`).
struct SigV4Timestamp {
    let secondsSince1970: Int64
    let date: String
    let dateTime: String

    /// The timestamp for `secondsSince1970`, fractions already dropped as botocore's `strftime` does.
    init(secondsSince1970: Int64) {
        self.secondsSince1970 = secondsSince1970
        let days = secondsSince1970 >= 0 ? secondsSince1970 / 86_400 : (secondsSince1970 - 86_399) / 86_400
        let secondOfDay = secondsSince1970 - days * 86_400
        let (year, month, day) = Self.civil(daysSince1970: days)
        func pad(_ value: Int64, _ width: Int) -> String {
            let digits = String(value)
            return String(repeating: "0", count: max(0, width - digits.count)) + digits
        }
        date = pad(year, 4) + pad(month, 2) + pad(day, 2)
        dateTime = date + "T" + pad(secondOfDay / 3600, 2) + pad(secondOfDay / 60 % 60, 2) + pad(secondOfDay % 60, 2) + "Z"
    }

    /// The proleptic Gregorian date of a day count (Howard Hinnant's `civil_from_days`): no
    /// calendar or time zone object, so no locale can change the result.
    private static func civil(daysSince1970: Int64) -> (year: Int64, month: Int64, day: Int64) {
        let z = daysSince1970 + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let monthIndex = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * monthIndex + 2) / 5 + 1
        let month = monthIndex < 10 ? monthIndex + 3 : monthIndex - 9
        return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }
}
