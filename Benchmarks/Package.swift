// swift-tools-version:6.0
import PackageDescription

// A package of its own, so that depending on `RdKafka` never resolves or builds the
// benchmark's dependencies: library users only see the root Package.swift.
let package = Package(
    name: "swift-rdkafka-benchmarks",
    dependencies: [
        .package(name: "swift-rdkafka", path: ".."),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        // Counts the process's heap allocations. Its dynamic library defines malloc and friends
        // and is linked ahead of libc, so it interposes without LD_PRELOAD.
        .package(url: "https://github.com/ordo-one/malloc-interposer.git", from: "1.6.1"),
    ],
    targets: [
        // The baseline every Swift figure is compared with: librdkafka's own producer loop in C,
        // linked against the same system librdkafka the library uses.
        .target(
            name: "CRawBaseline",
            linkerSettings: [.linkedLibrary("rdkafka")]
        ),
        .executableTarget(
            name: "rdkafka-bench",
            dependencies: [
                "CRawBaseline",
                .product(name: "RdKafka", package: "swift-rdkafka"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "MallocInterposerSwift", package: "malloc-interposer"),
            ]
        ),
    ],
    swiftLanguageModes: [.v6]
)
