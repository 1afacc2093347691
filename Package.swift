// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "swift-rdkafka",
    // macOS 15 for the Synchronization module (Atomic, Mutex). Linux needs no entry.
    platforms: [.macOS(.v15)],
    products: [
        .library(name: "RdKafka", targets: ["RdKafka"]),
        .library(name: "RdKafkaAvro", targets: ["RdKafkaAvro"]),
        .library(name: "RdKafkaProtobuf", targets: ["RdKafkaProtobuf"]),
        .library(name: "RdKafkaAWS", targets: ["RdKafkaAWS"]),
        .library(name: "RdKafkaSchemaRegistry", targets: ["RdKafkaSchemaRegistry"]),
        .executable(name: "kafka-produce", targets: ["kafka-produce"]),
        .executable(name: "quickstart", targets: ["quickstart"]),
        .executable(name: "connecting", targets: ["connecting"]),
        .executable(name: "fire-and-forget", targets: ["fire-and-forget"]),
        .executable(name: "serializers", targets: ["serializers"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-metrics.git", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-distributed-tracing.git", from: "1.7.3"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        .package(url: "https://github.com/swiftlang/swift-docc-plugin.git", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-protobuf.git", from: "1.39.0"),
    ],
    targets: [
        .systemLibrary(
            name: "CRdKafka",
            path: "Modules/CRdKafka",
            pkgConfig: "rdkafka",
            providers: [
                .apt(["librdkafka-dev", "libssl-dev", "libsasl2-dev"]),
                .brew(["librdkafka"]),
            ]
        ),
        // OpenSSL's libcrypto for RdKafkaAWS's SHA-256 and HMAC: the library librdkafka's TLS
        // already brings (libssl-dev holds its headers), so signing adds no package to build.
        .systemLibrary(
            name: "COpenSSLCrypto",
            path: "Modules/COpenSSLCrypto",
            pkgConfig: "libcrypto",
            providers: [.apt(["libssl-dev"]), .brew(["openssl@3"])]
        ),
        // The one door to C: the only library target that imports CRdKafka. Its types are
        // `package`, so no C type and no bridge type can reach RdKafka's public API.
        .target(name: "RdKafkaBridge", dependencies: ["CRdKafka"]),
        .target(
            name: "RdKafka",
            dependencies: [
                "RdKafkaBridge",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Tracing", package: "swift-distributed-tracing"),
                .product(name: "Instrumentation", package: "swift-distributed-tracing"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
        // Avro binary encoding of Encodable values; a separate product so the core needs no Avro.
        .target(name: "RdKafkaAvro", dependencies: ["RdKafka"]),
        // Schema Registry client and serializers; a separate product so the core needs no HTTP.
        // Foundation's URLSession, and on Linux the system's libcurl (loaded at run time) for
        // the TLS settings URLSession cannot take there.
        .target(name: "CRegistryCurl", linkerSettings: [.linkedLibrary("dl", .when(platforms: [.linux]))]),
        .target(name: "RdKafkaSchemaRegistry", dependencies: ["RdKafka", "RdKafkaAvro", "CRegistryCurl"]),
        // Protobuf messages; a separate product so only its users build SwiftProtobuf. Its
        // registry serializer lives here so that the registry product builds no SwiftProtobuf.
        .target(
            name: "RdKafkaProtobuf",
            dependencies: ["RdKafka", "RdKafkaSchemaRegistry", .product(name: "SwiftProtobuf", package: "swift-protobuf")]
        ),
        // AWS MSK IAM: SigV4-signed OAUTHBEARER tokens and AWS credential sources; a separate
        // product so the core needs neither libcrypto's headers nor Foundation's networking.
        .target(name: "RdKafkaAWS", dependencies: ["RdKafka", "COpenSSLCrypto"]),
        .executableTarget(
            name: "kafka-produce",
            dependencies: [
                "RdKafka",
                "RdKafkaAvro",
                "RdKafkaSchemaRegistry",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ],
            path: "Examples/kafka-produce"
        ),
        .executableTarget(
            name: "quickstart",
            dependencies: ["RdKafka"],
            path: "Examples/quickstart"
        ),
        .executableTarget(
            name: "fire-and-forget",
            dependencies: ["RdKafka"],
            path: "Examples/fire-and-forget"
        ),
        .executableTarget(
            name: "serializers",
            dependencies: ["RdKafka", "RdKafkaAvro"],
            path: "Examples/serializers"
        ),
        .executableTarget(
            name: "connecting",
            dependencies: ["RdKafka", "RdKafkaAWS"],
            path: "Examples/connecting"
        ),
        .testTarget(
            name: "RdKafkaTests",
            dependencies: ["RdKafka", "RdKafkaBridge", "TestSupport", .product(name: "Logging", package: "swift-log")]
        ),
        .testTarget(
            name: "RdKafkaAvroTests",
            dependencies: ["RdKafka", "RdKafkaAvro", "TestSupport", .product(name: "Logging", package: "swift-log")]
        ),
        .testTarget(
            name: "RdKafkaSchemaRegistryTests",
            dependencies: ["RdKafka", "RdKafkaSchemaRegistry"]
        ),
        .testTarget(
            name: "RdKafkaProtobufTests",
            dependencies: [
                "RdKafka", "RdKafkaProtobuf", "RdKafkaSchemaRegistry", .product(name: "SwiftProtobuf", package: "swift-protobuf"),
            ]
        ),
        .testTarget(
            name: "RdKafkaAWSTests",
            dependencies: ["RdKafka", "RdKafkaAWS", "TestSupport"]
        ),
        .testTarget(
            name: "MockClusterTests",
            dependencies: [
                "RdKafka",
                "AllocationCounter",
                "TestSupport",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "MetricsTestKit", package: "swift-metrics"),
                .product(name: "Tracing", package: "swift-distributed-tracing"),
                .product(name: "InMemoryTracing", package: "swift-distributed-tracing"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            exclude: ["Fixtures"]
        ),
        // Real-broker tests: enabled by scripts/broker/start's environment (see scripts/test).
        .testTarget(
            name: "BrokerTests",
            dependencies: [
                "RdKafka", "RdKafkaAvro", "RdKafkaProtobuf", "RdKafkaAWS", "RdKafkaSchemaRegistry", "TestSupport",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "SwiftProtobuf", package: "swift-protobuf"),
            ]
        ),
        // kafka-produce's own logic (stop requests, the JSON checker), without running it.
        .testTarget(name: "KafkaProduceTests", dependencies: ["kafka-produce"]),
        // Test-only: an independent reader (librdkafka's consumer API, none of our producer code).
        .target(name: "TestSupport", dependencies: ["CRdKafka", "MockBrokerDownGuard"], path: "Tests/TestSupport"),
        // Test-only: no mock broker is taken down while the test process starts a child, which
        // would hold the broker's listening socket and make librdkafka abort (see its source).
        .target(name: "MockBrokerDownGuard", dependencies: ["CRdKafka"], path: "Tests/MockBrokerDownGuard"),
        // Test-only: counts the calling thread's heap allocations for the allocation tests.
        .target(name: "AllocationCounter", path: "Tests/AllocationCounter"),
    ],
    swiftLanguageModes: [.v6]
)
