// swift-tools-version:6.1
import PackageDescription

let package = Package(
    name: "Footfall",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "footfall", targets: ["footfall"]),
    ],
    dependencies: [
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1"),
        .package(url: "https://github.com/groue/GRDB.swift.git", from: "7.10.0"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-crypto.git", from: "3.12.3"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.4.1"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-http-types.git", from: "1.8.0"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-nio-extras.git", from: "1.35.2"),
        .package(url: "https://github.com/swift-server/async-http-client.git", from: "1.37.0"),
    ],
    targets: [
        // System zlib (Debian zlib1g-dev).
        .systemLibrary(name: "CZlib", path: "Sources/CZlib"),
        // System libmaxminddb (Debian libmaxminddb-dev): MaxMind DB (MMDB) reader.
        .systemLibrary(name: "CMaxMindDB", path: "Sources/CMaxMindDB"),
        // Pure domain: events, visits, leads, classification, sessionizing. No I/O.
        .target(
            name: "FootfallCore",
            dependencies: ["CZlib", .product(name: "Crypto", package: "swift-crypto")]
        ),
        // IP → organisation / network type / country, IP privacy policies.
        .target(
            name: "FootfallEnrich",
            dependencies: ["FootfallCore", "CMaxMindDB", .product(name: "Crypto", package: "swift-crypto")]
        ),
        // The storage roles, the embedded SQLite backend and the ClickHouse backend (HTTP).
        .target(
            name: "FootfallStore",
            dependencies: [
                "FootfallCore",
                .product(name: "GRDB", package: "GRDB.swift"),
                // SQLite's C API, which GRDB links: the writer binds its hot rows directly (RowBinder).
                .product(name: "GRDBSQLite", package: "GRDB.swift"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // Hummingbird application: ingest, tracker serving, Lead API, health, metrics; runs
        // lead alerts through FootfallExport's HTTP client and webhook signing.
        .target(
            name: "FootfallServer",
            dependencies: [
                "FootfallCore", "FootfallEnrich", "FootfallStore", "FootfallExport",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTPTypes", package: "swift-nio-extras"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
            ],
            // Embedded by scripts/embed-openapi.sh as OpenAPIDocument.generated.swift.
            exclude: ["LeadAPI/openapi.json"]
        ),
        // CRM and file exporters behind the LeadSink protocol.
        .target(
            name: "FootfallExport",
            dependencies: [
                "FootfallCore", "FootfallStore",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Crypto", package: "swift-crypto"),
            ]
        ),
        .executableTarget(
            name: "footfall",
            dependencies: [
                "FootfallCore", "FootfallEnrich", "FootfallStore", "FootfallServer", "FootfallExport",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // `make bench`: benchmarks with same-run references (release builds only).
        .executableTarget(
            name: "footfall-bench",
            dependencies: [
                "FootfallCore", "FootfallEnrich", "FootfallStore", "FootfallServer",
                .product(name: "GRDB", package: "GRDB.swift"),
                // The HTTP floor of the ingest benchmark (HTTPFloorServer).
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOHTTPTypes", package: "swift-nio-extras"),
                .product(name: "NIOHTTPTypesHTTP1", package: "swift-nio-extras"),
            ],
            path: "Benchmarks/FootfallBench"
        ),
        .testTarget(name: "FootfallCoreTests", dependencies: ["FootfallCore"]),
        .testTarget(name: "FootfallEnrichTests", dependencies: ["FootfallEnrich"]),
        .testTarget(
            name: "FootfallStoreTests",
            dependencies: [
                "FootfallStore",
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ]
        ),
        .testTarget(
            name: "FootfallServerTests",
            dependencies: [
                "FootfallServer",
                .product(name: "HummingbirdTesting", package: "hummingbird"),
            ]
        ),
        .testTarget(name: "FootfallExportTests", dependencies: ["FootfallExport", "FootfallStore"]),
    ]
)
