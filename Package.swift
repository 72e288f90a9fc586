// swift-tools-version:6.1
import PackageDescription

let package = Package(
    name: "wibl-swift",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "wibl", targets: ["WIBLCommand"]),
        .executable(name: "bootstrap", targets: ["WIBLLambda"]),
        // AWS-setup/measure-cold-start.sh: the bootstrap's cold start under the local Runtime API.
        .executable(name: "runtime-api-probe", targets: ["RuntimeAPIProbe"]),
        .library(name: "WIBLFormat", targets: ["WIBLFormat"]),
        .library(name: "WIBLProcessing", targets: ["WIBLProcessing"]),
        .library(name: "WIBLGeoJSON", targets: ["WIBLGeoJSON"]),
        .library(name: "WIBLConversion", targets: ["WIBLConversion"]),
        .library(name: "JSONValue", targets: ["JSONValue"]),  // for Fuzz/
        .library(name: "WIBLBundle", targets: ["WIBLBundle"]),  // for the bundle fuzzers in Fuzz/Bundle
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-crypto.git", from: "4.5.2"),  // 4.x: no full Foundation/ICU
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/swift-server/async-http-client.git", from: "1.37.0"),
    ],
    targets: [
        // The bottom: libc only. Files, atomic output, environment, clocks, the UTC calendar.
        .target(name: "WIBLSystem"),

        // Pure core: bytes → packets → soundings → GeoJSON. No Foundation, no networking, no I/O.
        .target(name: "JSONValue"),
        .target(
            name: "WIBLFormat",
            dependencies: ["WIBLSystem", .product(name: "NIOCore", package: "swift-nio")]
        ),
        .target(
            name: "WIBLProcessing",
            dependencies: ["WIBLFormat", "JSONValue", .product(name: "NIOCore", package: "swift-nio")]
        ),
        .target(name: "B12Validation", dependencies: ["JSONValue"]),
        .target(
            name: "WIBLGeoJSON",
            dependencies: [
                "WIBLProcessing", "B12Validation", "JSONValue", "WIBLSystem",
                .product(name: "NIOCore", package: "swift-nio"),
            ]
        ),
        // The whole conversion (decode → process → GeoJSON), its configuration and file plumbing.
        .target(
            name: "WIBLConversion",
            dependencies: [
                "WIBLSystem", "WIBLFormat", "WIBLProcessing", "WIBLGeoJSON", "B12Validation", "JSONValue",
                .product(name: "NIOCore", package: "swift-nio"),
            ]
        ),
        .target(
            name: "AWSSigV4",
            dependencies: ["WIBLSystem", .product(name: "Crypto", package: "swift-crypto")]
        ),

        // I/O layers.
        .target(
            name: "S3",
            dependencies: [
                "AWSSigV4", "WIBLSystem",
                .product(name: "Crypto", package: "swift-crypto"),  // SHA-256 of file bodies, Content-MD5
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),  // NIOConnectionError: fast DNS failure
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // SSM Parameter Store (JSON 1.1 protocol, our SigV4): the DCDB token at Lambda start-up.
        .target(
            name: "AWSParameterStore",
            dependencies: [
                "AWSSigV4", "JSONValue",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
            ]
        ),
        .target(
            name: "DCDB",
            dependencies: [
                "JSONValue", "WIBLSystem",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // The pipeline's ledger in S3 (issue 10): shared by the Lambda handlers and `wibl status`.
        .target(
            name: "WIBLLedger",
            dependencies: [
                "JSONValue", "S3", "WIBLSystem",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "NIOCore", package: "swift-nio"),
            ]
        ),
        .target(
            name: "LambdaRuntime",
            dependencies: [
                "WIBLSystem",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .target(
            name: "WIBLCloud",
            dependencies: [
                "WIBLGeoJSON", "WIBLProcessing",
                "WIBLSystem", "WIBLConversion", "B12Validation", "JSONValue", "S3", "DCDB", "LambdaRuntime",
                "AWSParameterStore", "WIBLLedger",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),

        // Executables: thin shells over the libraries.
        .executableTarget(
            name: "WIBLCommand",
            dependencies: [
                .product(name: "NIOCore", package: "swift-nio"),
                "WIBLSystem", "WIBLFormat", "WIBLProcessing", "WIBLGeoJSON", "B12Validation", "WIBLConversion",
                "JSONValue", "S3", "DCDB", "WIBLPlot", "WIBLBundle", "WIBLEdit", "WIBLLedger",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),  // the HTTP client for S3 and DCDB
                .product(name: "NIOPosix", package: "swift-nio"),  // its event loop group
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .executableTarget(
            name: "WIBLLambda",
            dependencies: [
                .product(name: "NIOCore", package: "swift-nio"), "WIBLConversion",
                "WIBLSystem", "WIBLCloud", "LambdaRuntime", "GlibcCompat", "S3",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .executableTarget(name: "RuntimeAPIProbe", dependencies: ["WIBLSystem", "WIBLTestSupport"]),
        // Field tools (issue 12): track pictures (pure: libc only); the system zlib behind a thin C shim.
        .target(name: "WIBLPlot", dependencies: ["WIBLSystem"]),
        .target(name: "CZlib", linkerSettings: [.linkedLibrary("z")]),
        .target(name: "WIBLBundle", dependencies: ["CZlib"]),
        .target(
            name: "WIBLEdit",
            dependencies: ["WIBLFormat", "JSONValue", .product(name: "NIOCore", package: "swift-nio")]
        ),
        // Binds hypot/hypotf to glibc versions Amazon Linux 2023 has (docs/aws-setup.md §9).
        .target(name: "GlibcCompat"),

        // Test-only support: local DCDB and Lambda Runtime API servers, fixtures, log capture.
        .target(
            name: "WIBLTestSupport",
            dependencies: [
                "WIBLFormat",
                "WIBLSystem", "JSONValue", "WIBLProcessing", "WIBLGeoJSON", "S3",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),  // also the S3 fault proxy
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),

        .testTarget(name: "WIBLFormatTests", dependencies: ["WIBLFormat", "WIBLTestSupport"]),
        .testTarget(name: "JSONValueTests", dependencies: ["JSONValue"]),
        .testTarget(name: "WIBLProcessingTests", dependencies: ["WIBLFormat", "WIBLProcessing", "WIBLTestSupport"]),
        .testTarget(name: "WIBLSystemTests", dependencies: ["WIBLSystem"]),
        .testTarget(name: "B12ValidationTests", dependencies: ["B12Validation", "JSONValue", "WIBLTestSupport"]),
        .testTarget(
            name: "WIBLGeoJSONTests",
            dependencies: ["JSONValue", "WIBLProcessing", "WIBLGeoJSON", "B12Validation", "WIBLTestSupport"]),
        .testTarget(
            name: "WIBLConversionTests",
            dependencies: [
                "JSONValue", "WIBLFormat", "WIBLProcessing", "WIBLConversion", "WIBLGeoJSON", "B12Validation",
                "WIBLSystem", "WIBLTestSupport",
            ]
        ),
        .testTarget(name: "AWSSigV4Tests", dependencies: ["AWSSigV4", "JSONValue", "WIBLSystem", "WIBLTestSupport"]),
        .testTarget(
            name: "S3Tests",
            dependencies: [
                "S3", "JSONValue", "WIBLSystem", "WIBLTestSupport",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "InMemoryLogging", package: "swift-log"),
            ]
        ),
        .testTarget(
            name: "AWSParameterStoreTests",
            dependencies: [
                "AWSParameterStore", "AWSSigV4", "WIBLTestSupport",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
            ]
        ),
        .testTarget(name: "DCDBTests", dependencies: ["JSONValue", "DCDB", "WIBLSystem", "WIBLTestSupport"]),
        .testTarget(name: "LambdaRuntimeTests", dependencies: ["LambdaRuntime", "WIBLSystem", "WIBLTestSupport"]),
        .testTarget(
            name: "WIBLCloudTests",
            dependencies: [
                "WIBLCloud", "WIBLSystem", "WIBLTestSupport", "S3", "JSONValue", "AWSParameterStore", "AWSSigV4",
                "WIBLLedger",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
            ]
        ),
        .testTarget(
            name: "WIBLLedgerTests",
            dependencies: [
                "WIBLLedger", "S3", "JSONValue", "WIBLTestSupport",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .testTarget(
            name: "WIBLCommandTests", dependencies: ["WIBLFormat", "JSONValue", "WIBLSystem", "WIBLTestSupport"]),
        .testTarget(name: "WIBLBundleTests", dependencies: ["WIBLBundle", "CZlib", "WIBLSystem", "WIBLTestSupport"]),
        .testTarget(
            name: "WIBLEditTests",
            dependencies: [
                "WIBLEdit", "WIBLFormat", .product(name: "NIOCore", package: "swift-nio"), "WIBLTestSupport",
            ]),
        .testTarget(name: "WIBLPlotTests", dependencies: ["WIBLPlot", "CZlib", "WIBLSystem", "WIBLTestSupport"]),
    ],
    swiftLanguageModes: [.v6]
)
