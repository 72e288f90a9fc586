import CBundleFuzzer
import WIBLBundle

#if canImport(Glibc)
    import Glibc
#endif

// SwiftPM makes this top-level code the program's `main`, so hand control to libFuzzer's driver.
var arguments = CommandLine.argc
var argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = CommandLine.unsafeArgv
exit(LLVMFuzzerRunDriver(&arguments, &argv, fuzzOneInput))

/// One input as an uncompressed tar: the reader must end (member, nil or a typed error) without
/// trapping, hand out only safe names, and never more than the limits.
func fuzzOneInput(_ start: UnsafePointer<UInt8>?, _ count: Int) -> CInt {
    guard let start else { return 0 }
    var limits = BundleLimits()
    limits.maximumDecompressedBytes = 1 << 20
    limits.maximumMembers = 64
    let reader = TarReader(TarBytes(Array(UnsafeBufferPointer(start: start, count: count))), limits: limits)
    var members = 0
    do {
        while let member = try reader.next() {
            members += 1
            if member.name.hasPrefix("/") || member.name.split(separator: "/").contains("..") {
                fatalError("unsafe name handed out: \(member.name)")
            }
            if member.bytes.count > limits.maximumDecompressedBytes { fatalError("member above the limit") }
            _ = BundleMemberKind(name: member.name)
        }
    } catch {
        _ = error.description
    }
    if members > limits.maximumMembers { fatalError("more members than the limit") }
    for warning in reader.warnings { _ = warning.description }
    return 0
}
