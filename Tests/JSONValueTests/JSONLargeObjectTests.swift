import JSONValue
import Testing

/// Objects with many keys: linear parsing and building, order kept, lookups right (issue 11).
@Suite struct JSONLargeObjectTests {
    static func text(keys: Int) -> String {
        var text = "{"
        for i in 0..<keys {
            if i > 0 { text += "," }
            text += "\"k\(i)\":\(i)"
        }
        return text + "}"
    }

    @Test func twoHundredThousandKeysParseInOrderAndAreFoundByKey() throws {
        let value = try JSONValue.parse(Self.text(keys: 200_000))
        let object = try #require(value.objectValue)
        #expect(object.count == 200_000)
        #expect(object.keys.first == "k0")
        #expect(object.keys.last == "k199999")
        #expect(object.members[123_456].key == "k123456")
        #expect(object["k0"] == .integer(0))
        #expect(object["k199999"] == .integer(199_999))
        #expect(object["k77777"] == .integer(77_777))
        #expect(object["k200000"] == nil)
        #expect(try JSONValue.parse(value.serialized()) == value)
    }

    @Test func aRepeatedKeyKeepsItsFirstPlaceAndTakesTheLastValueInLargeObjects() throws {
        let text = Self.text(keys: 50).dropLast() + #","k3":"again","k60":true}"#
        let object = try #require(try JSONValue.parse(String(text)).objectValue)
        #expect(object.count == 51)
        #expect(object.keys[3] == "k3")
        #expect(object["k3"] == "again")
        #expect(object.keys.last == "k60")
    }

    @Test func removingFromALargeObjectKeepsLookupsRight() {
        var object = JSONObject()
        for i in 0..<100 { object["k\(i)"] = .integer(Int64(i)) }
        for i in stride(from: 0, to: 100, by: 3) { object["k\(i)"] = nil }
        #expect(object.count == 66)
        for i in 0..<100 {
            let expected: JSONValue? = i % 3 == 0 ? Optional.none : .some(.integer(Int64(i)))
            #expect(object["k\(i)"] == expected)
        }
        object["k0"] = "back"
        #expect(object.keys.last == "k0")
        #expect(object["k0"] == "back")
        // Shrinking below the index threshold and growing again.
        for key in object.keys.dropFirst(3) { object[key] = nil }
        #expect(object.keys == ["k1", "k2", "k4"])
        for i in 200..<220 { object["k\(i)"] = .integer(Int64(i)) }
        #expect(object["k219"] == 219)
        #expect(object["k1"] == 1)
        #expect(object.count == 23)
    }

    @Test func equalityAndHashingIgnoreHowTheObjectWasBuilt() {
        var grown = JSONObject()
        for i in 0..<20 { grown["k\(i)"] = .integer(Int64(i)) }
        for i in 5..<20 { grown["k\(i)"] = nil }
        var small = JSONObject()
        for i in 0..<5 { small["k\(i)"] = .integer(Int64(i)) }
        #expect(grown == small)
        #expect(grown.hashValue == small.hashValue)
        #expect(Set([JSONValue.object(grown), .object(small)]).count == 1)
    }

    @Test func aCappedParseRefusesTooManyValues() throws {
        let text = "[" + Array(repeating: "1", count: 100).joined(separator: ",") + "]"
        #expect(try JSONValue.parse(text, maximumValues: 101).arrayValue?.count == 100)
        #expect(throws: JSONParseError.tooManyValues(limit: 100, offset: 199)) {
            try JSONValue.parse(text, maximumValues: 100)
        }
        #expect(throws: JSONParseError.tooManyValues(limit: 3, offset: 16)) {
            try JSONValue.parse(#"{"a":{"b":1,"c":2}}"#, maximumValues: 3)
        }
    }
}
