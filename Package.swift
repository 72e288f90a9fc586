// swift-tools-version:6.1
import PackageDescription

let package = Package(
    name: "wibl-swift",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "wibl", targets: ["WIBLCommand"]),
        .executable(name: "bootstrap", targets: ["WIBLLambda"]),
        .library(name: "WIBLFormat", targets: ["WIBLFormat"]),
        .library(name: "WIBLProcessing", targets: ["WIBLProcessing"]),
        .library(name: "WIBLGeoJSON", targets: ["WIBLGeoJSON"]),
        .library(name: "JSONValue", targets: ["JSONValue"]),  // for Fuzz/
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-crypto.git", from: "4.5.2"),  // 4.x: no full Foundation/ICU
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/swift-server/async-http-client.git", from: "1.37.0"),
    ],
    targets: [
        // Pure core: bytes → packets → soundings → GeoJSON. No Foundation, no networking.
        .target(name: "WIBLFormat", dependencies: [.product(name: "NIOCore", package: "swift-nio")]),
        .target(name: "JSONValue"),
        .target(
            name: "WIBLProcessing",
            dependencies: ["WIBLFormat", "JSONValue", .product(name: "NIOCore", package: "swift-nio")]
        ),
        .target(
            name: "WIBLGeoJSON",
            dependencies: ["WIBLProcessing", "JSONValue", .product(name: "NIOCore", package: "swift-nio")]
        ),
        .target(name: "AWSSigV4", dependencies: [.product(name: "Crypto", package: "swift-crypto")]),

        // I/O layers.
        .target(
            name: "S3",
            dependencies: [
                "AWSSigV4",
                .product(name: "Crypto", package: "swift-crypto"),  // SHA-256 of file bodies, Content-MD5
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .target(
            name: "DCDB",
            dependencies: [
                "JSONValue",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .target(
            name: "LambdaRuntime",
            dependencies: [
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .target(
            name: "WIBLCloud",
            dependencies: [
                "WIBLFormat", "WIBLProcessing", "WIBLGeoJSON", "JSONValue", "S3", "DCDB", "LambdaRuntime",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),

        // Executables: thin shells over the libraries.
        .executableTarget(
            name: "WIBLCommand",
            dependencies: [
                "WIBLFormat", "WIBLProcessing", "WIBLGeoJSON", "JSONValue", "S3", "DCDB", "WIBLCloud",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),  // HTTPClient.shared for S3
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .executableTarget(
            name: "WIBLLambda",
            dependencies: [
                "WIBLCloud", "LambdaRuntime", "GlibcCompat",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // Binds hypot/hypotf to glibc versions Amazon Linux 2023 has (docs/aws-setup.md §9).
        .target(name: "GlibcCompat"),

        // Test-only support: local DCDB and Lambda Runtime API servers, fixtures, log capture.
        .target(
            name: "WIBLTestSupport",
            dependencies: [
                "JSONValue",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),

        .testTarget(name: "WIBLFormatTests", dependencies: ["WIBLFormat", "WIBLTestSupport"]),
        .testTarget(name: "JSONValueTests", dependencies: ["JSONValue"]),
        .testTarget(name: "WIBLProcessingTests", dependencies: ["WIBLProcessing", "WIBLTestSupport"]),
        .testTarget(name: "WIBLGeoJSONTests", dependencies: ["WIBLGeoJSON", "WIBLTestSupport"]),
        .testTarget(name: "AWSSigV4Tests", dependencies: ["AWSSigV4", "JSONValue", "WIBLTestSupport"]),
        .testTarget(
            name: "S3Tests",
            dependencies: [
                "S3", "JSONValue", "WIBLTestSupport",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "InMemoryLogging", package: "swift-log"),
            ]
        ),
        .testTarget(name: "DCDBTests", dependencies: ["DCDB", "WIBLTestSupport"]),
        .testTarget(name: "LambdaRuntimeTests", dependencies: ["LambdaRuntime", "WIBLTestSupport"]),
        .testTarget(
            name: "WIBLCloudTests",
            dependencies: [
                "WIBLCloud", "WIBLTestSupport", "S3", "JSONValue",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
            ]
        ),
        .testTarget(name: "WIBLCommandTests", dependencies: ["WIBLTestSupport"]),
    ],
    swiftLanguageModes: [.v6]
)
