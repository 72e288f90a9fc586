import CLibFuzzer
import NIOCore
import WIBLFormat

#if canImport(Glibc)
    import Glibc
#endif

// SwiftPM makes this top-level code the program's `main`, so hand control to libFuzzer's driver.
var arguments = CommandLine.argc
var argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = CommandLine.unsafeArgv
exit(LLVMFuzzerRunDriver(&arguments, &argv, fuzzOneInput))

/// One fuzz input: decode in both modes; whatever decodes must survive an encode → decode
/// round trip unchanged (`wibl-format.md` §7 D9, §8).
func fuzzOneInput(_ start: UnsafePointer<UInt8>?, _ count: Int) -> CInt {
    guard let start else { return 0 }
    let bytes = ByteBuffer(bytes: UnsafeBufferPointer(start: start, count: count))
    checkInvariants(bytes)
    return 0
}

func checkInvariants(_ bytes: ByteBuffer) {
    let lenient: WIBLFile?
    do {
        lenient = try WIBLFile.decode(bytes)
    } catch {
        // Only notWIBL may escape non-strict decoding.
        guard case .notWIBL = error else { fatalError("non-strict decode threw \(error)") }
        lenient = nil
    }
    var strictPackets: [Packet]?
    do {
        strictPackets = try WIBLFile.decode(bytes, options: .init(isStrict: true)).packets
    } catch {
        strictPackets = nil
        _ = error.description  // descriptions must not trap either
    }
    guard let file = lenient else {
        if strictPackets != nil { fatalError("strict decode succeeded where non-strict failed") }
        return
    }
    for problem in file.problems { _ = problem.description }
    if let strictPackets {
        if !file.problems.isEmpty { fatalError("strict decode succeeded despite problems \(file.problems)") }
        // Compare encodings, not values: NaN payload fields are never `==` to themselves.
        if WIBLEncoder.encode(strictPackets) != WIBLEncoder.encode(file.packets) {
            fatalError("strict and non-strict packets differ")
        }
    }
    // Re-encode what was decoded: it must decode cleanly to the same packets.
    let reencoded = WIBLEncoder.encode(file.packets)
    do {
        let again = try WIBLFile.decode(reencoded, options: .init(isStrict: true))
        if WIBLEncoder.encode(again.packets) != reencoded { fatalError("round trip changed the packets") }
    } catch {
        fatalError("re-encoded packets failed to decode: \(error)")
    }
    // The inspection summary and its renderings must not trap either.
    let summary = FileSummary(file)
    _ = summary.sentenceCounts.count
}
