import CLibFuzzer
import JSONValue

#if canImport(Glibc)
    import Glibc
#endif

// SwiftPM makes this top-level code the program's `main`, so hand control to libFuzzer's driver.
var arguments = CommandLine.argc
var argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = CommandLine.unsafeArgv
exit(LLVMFuzzerRunDriver(&arguments, &argv, fuzzOneInput))

/// One fuzz input for the JSON parser: it parses to a value or a typed error; a value serialises to
/// text that parses back to the same value and serialises to the same bytes; every member of every
/// object is found again by its key (the hash index and the ordered members agree).
func fuzzOneInput(_ start: UnsafePointer<UInt8>?, _ count: Int) -> CInt {
    guard let start else { return 0 }
    let bytes = UnsafeBufferPointer(start: start, count: count)
    let value: JSONValue
    do {
        value = try JSONValue.parse(bytes)
    } catch {
        _ = error.description
        return 0
    }
    let text = value.serializedBytes()
    do {
        let again = try JSONValue.parse(text)
        if again != value { fatalError("parse → serialise → parse changed the value") }
        if again.serializedBytes() != text { fatalError("serialisation is not stable") }
    } catch {
        fatalError("the serialisation of a parsed value does not parse: \(error)")
    }
    checkLookups(value)
    // A capped parse agrees with the uncapped one, or stops with the cap's error.
    do {
        let capped = try JSONValue.parse(bytes, maximumValues: 64)
        if capped != value { fatalError("a capped parse gave another value") }
    } catch {
        guard case .tooManyValues = error else { fatalError("a capped parse threw \(error)") }
    }
    return 0
}

func checkLookups(_ value: JSONValue) {
    switch value {
    case .object(let object):
        var copy = object
        for member in object.members {
            guard object[member.key] == member.value else { fatalError("member '\(member.key)' not found by key") }
            checkLookups(member.value)
        }
        // Removing and re-adding every other key keeps lookups consistent.
        for (i, member) in object.members.enumerated() where i % 2 == 0 { copy[member.key] = nil }
        for (i, member) in object.members.enumerated() {
            // Spelled out: a bare `nil` here would be JSONValue.null (ExpressibleByNilLiteral).
            let expected: JSONValue? = i % 2 == 0 ? Optional.none : Optional.some(member.value)
            guard copy[member.key] == expected else { fatalError("lookup wrong after removals") }
        }
    case .array(let elements):
        for element in elements { checkLookups(element) }
    default:
        break
    }
}
