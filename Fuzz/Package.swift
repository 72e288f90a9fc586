// swift-tools-version:6.1
// libFuzzer harness for WIBLFormat; not part of `swift test`. See README.md.
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
        )
    ],
    swiftLanguageModes: [.v6]
)
