import CLibFuzzer
import JSONValue
import NIOCore
import WIBLConversion
import WIBLFormat
import WIBLGeoJSON
import WIBLProcessing

#if canImport(Glibc)
    import Glibc
#endif

// SwiftPM makes this top-level code the program's `main`, so hand control to libFuzzer's driver.
var arguments = CommandLine.argc
var argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = CommandLine.unsafeArgv
exit(LLVMFuzzerRunDriver(&arguments, &argv, fuzzOneInput))

let settings: GeoJSONSettings = {
    var settings = GeoJSONSettings(providerID: "FUZZ", software: "wibl-swift-fuzz")
    settings.providerEmail = "fuzz@example.org"
    return settings
}()
let now: Int64 = 1_795_000_000_000_000

/// One fuzz input for the whole conversion (decode → process → GeoJSON), non-strict and strict.
/// It ends in a document or a typed error, never a trap or a hang; a document is valid JSON; and
/// the streaming conversion (two passes over the bytes) and the list-based one (decode all packets,
/// then process) give the same bytes or the same error.
func fuzzOneInput(_ start: UnsafePointer<UInt8>?, _ count: Int) -> CInt {
    guard let start else { return 0 }
    let bytes = ByteBuffer(bytes: UnsafeBufferPointer(start: start, count: count))
    for strict in [false, true] {
        var configuration = ProcessingConfiguration()
        configuration.isStrict = strict
        // Narrow counters now and then, so that wrap-around and P11 are reached.
        if count % 5 == 1 { configuration.elapsedTimeWidth = 16 }
        let streamed = streaming(bytes, configuration)
        let listed = listBased(bytes, configuration)
        guard streamed == listed else {
            fatalError("streaming and list-based conversions differ (strict \(strict)): \(streamed.tag) vs \(listed.tag)")
        }
        if case .document(let document) = streamed {
            do {
                _ = try JSONValue.parse(document)
            } catch {
                fatalError("the GeoJSON written is not JSON: \(error)")
            }
        }
    }
    return 0
}

enum Outcome: Equatable {
    case document([UInt8])
    case failure(String)

    var tag: String {
        switch self {
        case .document(let bytes): "document of \(bytes.count) bytes"
        case .failure(let description): description
        }
    }
}

func streaming(_ bytes: ByteBuffer, _ configuration: ProcessingConfiguration) -> Outcome {
    var sink = MemorySink()
    do {
        let result = try WIBLConversion.convert(
            bytes, fileName: "fuzz.wibl", configuration: configuration, settings: settings, nowMicroseconds: now,
            to: &sink)
        _ = result.warnings
        return .document(sink.bytes)
    } catch {
        _ = error.errorClass
        return .failure(error.description)
    }
}

func listBased(_ bytes: ByteBuffer, _ configuration: ProcessingConfiguration) -> Outcome {
    let file: WIBLFile
    do {
        file = try WIBLFile.decode(bytes, options: DecodingOptions(isStrict: configuration.isStrict))
    } catch {
        return .failure(error.description)
    }
    let processed: ProcessedFile
    do {
        processed = try processWIBL(
            file, configuration: configuration, options: ProcessingOptions(fileName: "fuzz.wibl", nowMicroseconds: now))
    } catch {
        return .failure(error.description)
    }
    var sink = MemorySink()
    do {
        _ = try GeoJSONWriter.write(processed, settings: settings, to: &sink)
    } catch {
        return .failure(error.description)
    }
    return .document(sink.bytes)
}
