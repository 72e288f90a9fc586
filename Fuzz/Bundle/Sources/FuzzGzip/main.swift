import CBundleFuzzer
import WIBLBundle

#if canImport(Glibc)
    import Glibc
#endif

// SwiftPM makes this top-level code the program's `main`, so hand control to libFuzzer's driver.
var arguments = CommandLine.argc
var argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = CommandLine.unsafeArgv
exit(LLVMFuzzerRunDriver(&arguments, &argv, fuzzOneInput))

/// One input as a gzip file: decompress it all, then read it as a logger bundle. Either may throw a
/// typed error; neither may trap, hang or exceed its limits.
func fuzzOneInput(_ start: UnsafePointer<UInt8>?, _ count: Int) -> CInt {
    guard let start else { return 0 }
    let input = Array(UnsafeBufferPointer(start: start, count: count))
    var limits = BundleLimits()
    limits.maximumDecompressedBytes = 4 << 20
    limits.maximumMembers = 64
    do {
        let inflater = try GzipInflater(input, limits: limits)
        var total = 0
        while true {
            let chunk = try inflater.read(1 << 16)
            if chunk.isEmpty { break }
            total += chunk.count
        }
        if total > limits.maximumDecompressedBytes { fatalError("decompressed past the limit") }
    } catch {
        _ = error.description
    }
    do {
        let bundle = try LoggerBundle(compressed: input, limits: limits)
        while let member = try bundle.nextMember() { _ = member.kind }
        for warning in bundle.warnings { _ = warning.description }
    } catch {
        _ = error.errorClass
    }
    return 0
}
