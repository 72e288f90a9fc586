// swift-tools-version:6.1
// libFuzzer harnesses for wibl-swift; not part of `swift test`. See README.md.
import PackageDescription

let package = Package(
    name: "WIBLFuzz",
    dependencies: [
        .package(name: "wibl-swift", path: ".."),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
    ],
    targets: [
        .target(name: "CLibFuzzer"),
        .executableTarget(
            name: "FuzzWIBLDecode",
            dependencies: [
                "CLibFuzzer",
                .product(name: "WIBLFormat", package: "wibl-swift"),
                .product(name: "NIOCore", package: "swift-nio"),
            ]
        ),
        // The whole conversion: decode → process → GeoJSON, streaming and list-based side by side.
        .executableTarget(
            name: "FuzzWIBLConvert",
            dependencies: [
                "CLibFuzzer",
                .product(name: "WIBLFormat", package: "wibl-swift"),
                .product(name: "WIBLProcessing", package: "wibl-swift"),
                .product(name: "WIBLGeoJSON", package: "wibl-swift"),
                .product(name: "WIBLConversion", package: "wibl-swift"),
                .product(name: "JSONValue", package: "wibl-swift"),
                .product(name: "NIOCore", package: "swift-nio"),
            ]
        ),
        // The JSON parser and writer.
        .executableTarget(
            name: "FuzzJSON",
            dependencies: ["CLibFuzzer", .product(name: "JSONValue", package: "wibl-swift")]
        ),
    ],
    swiftLanguageModes: [.v6]
)
