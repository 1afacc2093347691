/// A registry request that failed, naming what it was about.
///
/// The registry's own answer is kept: ``httpStatus`` and ``registryErrorCode`` (for example
/// 404 with 40401 "subject not found", 404 with 40403 "schema not found", 409 "incompatible
/// schema", 422 with 42201 "invalid schema"). No credential ever appears in it.
public struct SchemaRegistryError: Error, Sendable, CustomStringConvertible {
    /// What kind of failure this is.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        /// A short name for the kind.
        public let name: String

        /// The registry answered with an error status (4xx, or 5xx after every retry).
        public static let rejected = Code(name: "rejected")
        /// No registry answered: every URL failed to connect, failed TLS or timed out, on every
        /// retry.
        public static let unreachable = Code(name: "unreachable")
        /// The registry answered 2xx with a body that is not what its API promises.
        public static let invalidResponse = Code(name: "invalid response")
        /// The client's settings cannot work (no URL, a URL that is not http or https).
        public static let invalidConfiguration = Code(name: "invalid configuration")
        /// The bearer token provider threw.
        public static let authentication = Code(name: "authentication")
        /// A subject name strategy that needs a record name was given a schema without one.
        public static let noRecordName = Code(name: "no record name")

        /// The name.
        public var description: String { name }
    }

    /// The kind of failure.
    public var code: Code
    /// The subject the request was about, if any.
    public var subject: String?
    /// The version asked for (`"latest"` or a number), if any.
    public var version: String?
    /// The schema id asked for, if any.
    public var schemaID: UInt32?
    /// The HTTP status of the registry's answer, if one came.
    public var httpStatus: Int?
    /// The registry's `error_code` (40401, 40403, 409, 42201...), if its answer had one.
    public var registryErrorCode: Int?
    /// The registry's `message`, or why no answer came.
    public var message: String
    /// The URL of the last attempt, without credentials.
    public var url: String?

    /// Creates an error.
    public init(
        code: Code, message: String, subject: String? = nil, version: String? = nil, schemaID: UInt32? = nil,
        httpStatus: Int? = nil, registryErrorCode: Int? = nil, url: String? = nil
    ) {
        self.code = code
        self.message = message
        self.subject = subject
        self.version = version
        self.schemaID = schemaID
        self.httpStatus = httpStatus
        self.registryErrorCode = registryErrorCode
        self.url = url
    }

    /// Whether the registry said the subject, version or schema does not exist (HTTP 404).
    public var isNotFound: Bool { httpStatus == 404 }

    /// One line: the kind, what it was about, the status and codes, the message and the URL.
    public var description: String {
        var parts = ["Schema Registry \(code)"]
        if let subject { parts.append("subject '\(subject)'") }
        if let version { parts.append("version \(version)") }
        if let schemaID { parts.append("schema id \(schemaID)") }
        if let httpStatus { parts.append("HTTP \(httpStatus)") }
        if let registryErrorCode { parts.append("error code \(registryErrorCode)") }
        var text = parts.joined(separator: ", ") + ": " + message
        if let url { text += " (\(url))" }
        return text
    }
}
