import Foundation
import RdKafka
import RdKafkaAWS
import Testing

/// Each credential source on its own, with environments given as dictionaries (the process's own
/// is never changed) and endpoints served by scripts/aws/credentials_server.py on 127.0.0.1.
@Suite("AWS credential sources", .timeLimit(.minutes(2)))
struct CredentialSourceTests {
    static let secret = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"
    static let token = "FwoGZXIvYXdzSESSIONTOKENEXAMPLE+/="

    /// Every error's text, chain failures included, holds neither the secret nor the token.
    func expectNoSecret(
        _ error: AWSCredentialsError, _ secrets: [String] = [secret, token], sourceLocation: SourceLocation = #_sourceLocation
    ) {
        for secret in secrets {
            #expect(!"\(error)".contains(secret), "\(error)", sourceLocation: sourceLocation)
            #expect(!String(reflecting: error).contains(secret), sourceLocation: sourceLocation)
        }
    }

    // MARK: environment

    @Test("The environment's keys and session token")
    func environment() async throws {
        let credentials = try await EnvironmentCredentialsProvider(environment: [
            "AWS_ACCESS_KEY_ID": "AKIAENV", "AWS_SECRET_ACCESS_KEY": Self.secret, "AWS_SESSION_TOKEN": Self.token,
        ]).credentials()
        #expect(credentials.accessKeyID == "AKIAENV")
        #expect(credentials.secretAccessKey == Secret(Self.secret))
        #expect(credentials.sessionToken == Secret(Self.token))
        #expect(!"\(credentials)".contains(Self.secret) && !"\(credentials)".contains(Self.token))
        #expect("\(credentials)".contains("AKIAENV"))
    }

    @Test("No access key is not configured; a key without its secret is a failure naming the missing variable")
    func environmentErrors() async throws {
        let absent = try await #require(throws: AWSCredentialsError.self) {
            try await EnvironmentCredentialsProvider(environment: [:]).credentials()
        }
        #expect(absent.kind == .notConfigured)
        let partial = try await #require(throws: AWSCredentialsError.self) {
            try await EnvironmentCredentialsProvider(environment: ["AWS_ACCESS_KEY_ID": "AKIAENV", "AWS_SESSION_TOKEN": Self.token])
                .credentials()
        }
        #expect(partial.kind == .failed)
        #expect(partial.reason.contains("AWS_SECRET_ACCESS_KEY"))
        expectNoSecret(partial)
    }

    // MARK: profile files

    @Test("Profiles: default and named, from the credentials file and the config file, the credentials file winning")
    func profiles() async throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let credentialsFile = try folder.write(
            "credentials",
            """
            # comment
            [default]
            aws_access_key_id = AKIADEFAULT
            aws_secret_access_key = \(Self.secret)

            [dev]
            aws_access_key_id=AKIADEV
            aws_secret_access_key=dev-secret
            aws_session_token = \(Self.token)
            """)
        let configFile = try folder.write(
            "config",
            """
            [default]
            region = us-east-1
            aws_access_key_id = AKIAFROMCONFIG
            aws_secret_access_key = config-secret
            s3 =
              max_concurrent_requests = 4

            [profile staging]
            ; only in the config file
            aws_access_key_id = AKIASTAGING
            aws_secret_access_key = staging-secret
            """)
        let files = ["AWS_SHARED_CREDENTIALS_FILE": credentialsFile, "AWS_CONFIG_FILE": configFile]

        let defaultProfile = try await ProfileCredentialsProvider(environment: files).credentials()
        #expect(defaultProfile.accessKeyID == "AKIADEFAULT")
        #expect(defaultProfile.secretAccessKey == Secret(Self.secret))
        #expect(defaultProfile.sessionToken == nil)

        let dev = try await ProfileCredentialsProvider(environment: files.merging(["AWS_PROFILE": "dev"]) { $1 }).credentials()
        #expect(dev.accessKeyID == "AKIADEV")
        #expect(dev.sessionToken == Secret(Self.token))

        let staging = try await ProfileCredentialsProvider(profile: "staging", environment: files.merging(["AWS_PROFILE": "dev"]) { $1 })
            .credentials()
        #expect(staging.accessKeyID == "AKIASTAGING")
        #expect(staging.secretAccessKey == Secret("staging-secret"))
    }

    @Test("credential_process and role_arn are refused by name; a missing profile is not configured; a bad line is named by number")
    func profileErrors() async throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let config = try folder.write(
            "config",
            """
            [profile tool]
            credential_process = /usr/local/bin/print-credentials --secret \(Self.secret)

            [profile assume]
            role_arn = arn:aws:iam::123456789012:role/Kafka
            source_profile = default

            [profile half]
            aws_access_key_id = AKIAHALF
            """)
        let broken = try folder.write("broken", "[default]\n\(Self.secret)\n")
        let files = ["AWS_SHARED_CREDENTIALS_FILE": folder.path + "/absent", "AWS_CONFIG_FILE": config]

        let process = try await #require(throws: AWSCredentialsError.self) {
            try await ProfileCredentialsProvider(profile: "tool", environment: files).credentials()
        }
        #expect(process.kind == .unsupported)
        #expect(process.reason.contains("credential_process"))
        #expect(process.source == "profile tool")
        expectNoSecret(process)

        let assume = try await #require(throws: AWSCredentialsError.self) {
            try await ProfileCredentialsProvider(profile: "assume", environment: files).credentials()
        }
        #expect(assume.kind == .unsupported)
        #expect(assume.reason.contains("role_arn"))

        let half = try await #require(throws: AWSCredentialsError.self) {
            try await ProfileCredentialsProvider(profile: "half", environment: files).credentials()
        }
        #expect(half.kind == .failed)
        #expect(half.reason.contains("aws_secret_access_key"))

        let missing = try await #require(throws: AWSCredentialsError.self) {
            try await ProfileCredentialsProvider(profile: "nobody", environment: files).credentials()
        }
        #expect(missing.kind == .notConfigured)
        #expect(missing.reason.contains("'nobody'"))

        let syntax = try await #require(throws: AWSCredentialsError.self) {
            try await ProfileCredentialsProvider(environment: ["AWS_SHARED_CREDENTIALS_FILE": broken, "AWS_CONFIG_FILE": config])
                .credentials()
        }
        #expect(syntax.kind == .failed)
        #expect(syntax.reason.contains("line 2"))
        expectNoSecret(syntax)
    }

    // MARK: container endpoint

    @Test("The container endpoint with its authorization token, from the variable and from the token file")
    func container() async throws {
        let server = try await CredentialsServer.start([
            "credentials": [
                "AccessKeyId": "ASIACONTAINER", "SecretAccessKey": Self.secret, "Token": Self.token, "Expiration": "2030-01-02T03:04:05Z",
            ],
            "container_path": "/v2/credentials/task-guid", "authorization": "container-auth-token",
        ])
        defer { server.stop() }
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let tokenFile = try folder.write("token", "container-auth-token\n")
        let uri = server.url + "/v2/credentials/task-guid"

        for environment in [
            ["AWS_CONTAINER_CREDENTIALS_FULL_URI": uri, "AWS_CONTAINER_AUTHORIZATION_TOKEN": "container-auth-token"],
            ["AWS_CONTAINER_CREDENTIALS_FULL_URI": uri, "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE": tokenFile],
        ] {
            let credentials = try await ContainerCredentialsProvider(environment: environment).credentials()
            #expect(credentials.accessKeyID == "ASIACONTAINER")
            #expect(credentials.secretAccessKey == Secret(Self.secret))
            #expect(credentials.sessionToken == Secret(Self.token))
            #expect(credentials.expiration == Date(timeIntervalSince1970: 1_893_553_445))
        }

        let refused = try await #require(throws: AWSCredentialsError.self) {
            try await ContainerCredentialsProvider(environment: [
                "AWS_CONTAINER_CREDENTIALS_FULL_URI": uri, "AWS_CONTAINER_AUTHORIZATION_TOKEN": "wrong-token",
            ]).credentials()
        }
        #expect(refused.kind == .failed)
        #expect(refused.reason.contains("HTTP 401"), "\(refused)")
        #expect(!refused.reason.contains("task-guid"), "the path can be a capability: \(refused)")
        expectNoSecret(refused, [Self.secret, Self.token, "wrong-token"])
    }

    @Test("The container endpoint: no variable is not configured; plain http to another host is refused; a closed port fails naming it")
    func containerErrors() async throws {
        let absent = try await #require(throws: AWSCredentialsError.self) {
            try await ContainerCredentialsProvider(environment: [:]).credentials()
        }
        #expect(absent.kind == .notConfigured)

        let foreign = try await #require(throws: AWSCredentialsError.self) {
            try await ContainerCredentialsProvider(environment: ["AWS_CONTAINER_CREDENTIALS_FULL_URI": "http://198.51.100.7/creds"])
                .credentials()
        }
        #expect(foreign.kind == .failed)
        #expect(foreign.reason.contains("198.51.100.7"))

        let port = try closedPort()
        let closed = try await #require(throws: AWSCredentialsError.self) {
            try await ContainerCredentialsProvider(environment: ["AWS_CONTAINER_CREDENTIALS_FULL_URI": "http://127.0.0.1:\(port)/creds"])
                .credentials()
        }
        #expect(closed.kind == .failed)
        #expect(closed.reason.contains("connection refused"), "\(closed)")
        #expect(closed.reason.contains("127.0.0.1:\(port)"), "\(closed)")
    }

    // MARK: web identity

    @Test("Web identity: the token file and role go to STS's AssumeRoleWithWebIdentity; its XML answer gives the credentials")
    func webIdentity() async throws {
        let roleARN = "arn:aws:iam::123456789012:role/kafka-producer"
        let server = try await CredentialsServer.start([
            "credentials": [
                // XML-escaped by the server, so the answer's entities must be decoded.
                "AccessKeyId": "ASIASTS", "SecretAccessKey": Self.secret + "&<'\">", "Token": Self.token,
                "Expiration": "2030-01-02T03:04:05Z",
            ],
            "role_arn": roleARN, "web_identity_token": "eyJ.web-identity.token",
        ])
        defer { server.stop() }
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let tokenFile = try folder.write("token", "eyJ.web-identity.token\n")
        let environment = ["AWS_WEB_IDENTITY_TOKEN_FILE": tokenFile, "AWS_ROLE_ARN": roleARN, "AWS_ENDPOINT_URL_STS": server.url]

        let credentials = try await WebIdentityCredentialsProvider(environment: environment).credentials()
        #expect(credentials.accessKeyID == "ASIASTS")
        #expect(credentials.secretAccessKey == Secret(Self.secret + "&<'\">"))
        #expect(credentials.sessionToken == Secret(Self.token))
        #expect(credentials.expiration == Date(timeIntervalSince1970: 1_893_553_445))

        // The endpoint given in code wins over the variable.
        let given = try await WebIdentityCredentialsProvider(
            stsEndpoint: server.url, environment: environment.merging(["AWS_ENDPOINT_URL_STS": "http://127.0.0.1:1"]) { $1 }
        ).credentials()
        #expect(given.accessKeyID == "ASIASTS")

        let denied = try await #require(throws: AWSCredentialsError.self) {
            try await WebIdentityCredentialsProvider(roleARN: "arn:aws:iam::123456789012:role/other", environment: environment)
                .credentials()
        }
        #expect(denied.kind == .failed)
        #expect(denied.reason.contains("AccessDenied"), "\(denied)")
        #expect(denied.reason.contains("role/other"))
        expectNoSecret(denied, [Self.secret, Self.token, "eyJ.web-identity.token"])
    }

    @Test("Web identity: nothing set is not configured; a role without a token file is a failure naming the variable")
    func webIdentityErrors() async throws {
        let absent = try await #require(throws: AWSCredentialsError.self) {
            try await WebIdentityCredentialsProvider(environment: [:]).credentials()
        }
        #expect(absent.kind == .notConfigured)
        let half = try await #require(throws: AWSCredentialsError.self) {
            try await WebIdentityCredentialsProvider(environment: ["AWS_ROLE_ARN": "arn:aws:iam::1:role/r"]).credentials()
        }
        #expect(half.kind == .failed)
        #expect(half.reason.contains("AWS_WEB_IDENTITY_TOKEN_FILE"))
    }

    // MARK: chain

    @Test("The default chain: environment before web identity before profiles before the container endpoint")
    func chainOrder() async throws {
        let server = try await CredentialsServer.start([
            "credentials": ["AccessKeyId": "ASIAFROMSERVER", "SecretAccessKey": "server-secret", "Token": "server-token"],
            "container_path": "/creds", "authorization": "auth", "role_arn": "arn:aws:iam::1:role/r", "web_identity_token": "wit",
        ])
        defer { server.stop() }
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let credentialsFile = try folder.write("credentials", "[default]\naws_access_key_id = AKIAPROFILE\naws_secret_access_key = p\n")
        let tokenFile = try folder.write("token", "wit")
        let container = [
            "AWS_CONTAINER_CREDENTIALS_FULL_URI": server.url + "/creds", "AWS_CONTAINER_AUTHORIZATION_TOKEN": "auth",
            "AWS_CONFIG_FILE": folder.path + "/none", "AWS_SHARED_CREDENTIALS_FILE": folder.path + "/none",
        ]
        let profile = container.merging(["AWS_SHARED_CREDENTIALS_FILE": credentialsFile]) { $1 }
        let webIdentity = profile.merging([
            "AWS_WEB_IDENTITY_TOKEN_FILE": tokenFile, "AWS_ROLE_ARN": "arn:aws:iam::1:role/r", "AWS_ENDPOINT_URL_STS": server.url,
        ]) { $1 }
        let everything = webIdentity.merging(["AWS_ACCESS_KEY_ID": "AKIAENV", "AWS_SECRET_ACCESS_KEY": "e"]) { $1 }

        #expect(try await AWSCredentialsChain.default(environment: everything).credentials().accessKeyID == "AKIAENV")
        let fromSTS = try await AWSCredentialsChain.default(environment: webIdentity).credentials()
        #expect(fromSTS.accessKeyID == "ASIAFROMSERVER")
        #expect(try await AWSCredentialsChain.default(environment: profile).credentials().accessKeyID == "AKIAPROFILE")
        #expect(try await AWSCredentialsChain.default(environment: container).credentials().accessKeyID == "ASIAFROMSERVER")
        #expect(
            AWSCredentialsChain.default().providers.map(\.name) == ["environment", "web identity", "profile default", "container endpoint"])
    }

    @Test("A chain with nothing configured names every source; one with a broken source says what broke, never a secret")
    func chainErrors() async throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let none = ["AWS_CONFIG_FILE": folder.path + "/none", "AWS_SHARED_CREDENTIALS_FILE": folder.path + "/none", "HOME": folder.path]
        let nothing = try await #require(throws: AWSCredentialsError.self) {
            try await AWSCredentialsChain.default(environment: none).credentials()
        }
        #expect(nothing.kind == .notConfigured)
        #expect(nothing.failures.map(\.source) == ["environment", "web identity", "profile default", "container endpoint"])
        #expect(nothing.failures.allSatisfy { $0.kind == .notConfigured })
        for source in ["environment", "web identity", "profile default", "container endpoint"] {
            #expect("\(nothing)".contains("\(source): "), "\(nothing)")
        }

        let process = try folder.write("config", "[default]\ncredential_process = print-keys\n")
        let broken = try await #require(throws: AWSCredentialsError.self) {
            try await AWSCredentialsChain.default(
                environment: none.merging(["AWS_CONFIG_FILE": process, "AWS_SESSION_TOKEN": Self.token]) { $1 }
            ).credentials()
        }
        #expect(broken.kind == .failed)
        #expect(broken.failures.map(\.kind) == [.notConfigured, .notConfigured, .unsupported, .notConfigured])
        #expect("\(broken)".contains("credential_process"))
        expectNoSecret(broken)
    }
}
