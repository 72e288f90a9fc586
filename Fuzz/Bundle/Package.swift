// swift-tools-version:6.1
// libFuzzer harnesses for the logger-bundle readers (gzip through the system zlib, our tar parser).
// Not part of `swift test`. See README.md.
import PackageDescription

let package = Package(
    name: "WIBLBundleFuzz",
    dependencies: [
        .package(name: "wibl-swift", path: "../..")
    ],
    targets: [
        .target(name: "CBundleFuzzer"),
        .executableTarget(
            name: "FuzzGzip",
            dependencies: ["CBundleFuzzer", .product(name: "WIBLBundle", package: "wibl-swift")]
        ),
        .executableTarget(
            name: "FuzzTar",
            dependencies: ["CBundleFuzzer", .product(name: "WIBLBundle", package: "wibl-swift")]
        ),
    ],
    swiftLanguageModes: [.v6]
)
