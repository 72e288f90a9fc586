import JSONValue
import Testing

@Suite struct JSONParserTests {
    @Test func parsesEveryKindOfValueAndKeepsKeyOrder() throws {
        let value = try JSONValue.parse(
            #" {"z": 1, "a": [true, false, null], "m": {"x": -2.5e3, "s": "h\u00e9\"\n"}} "#)
        let object = try #require(value.objectValue)
        #expect(object.keys == ["z", "a", "m"])
        #expect(value["z"] == .integer(1))
        #expect(value["a"] == [true, false, nil])
        #expect(value["m"]?["x"] == .double(-2500))
        #expect(value["m"]?["s"]?.stringValue == "hé\"\n")
    }

    @Test func integersStayIntegersAndDoublesRoundTrip() throws {
        #expect(try JSONValue.parse("12") == .integer(12))
        #expect(try JSONValue.parse("12.0") == .double(12))
        #expect(try JSONValue.parse("-0.1") == .double(-0.1))
        #expect(try JSONValue.parse("123456789012345678901234") == .double(123_456_789_012_345_678_901_234))
        #expect(try JSONValue.parse("-69.06583273188").doubleValue == -69.06583273188)
    }

    @Test func surrogatePairsDecode() throws {
        #expect(try JSONValue.parse(#""\ud83d\ude00""#).stringValue == "😀")
    }

    @Test(arguments: [
        "", "{", "[1,]", "{\"a\" 1}", "01", "1.", "-", "1e", "tru", "nul", "\"\\x\"", "\"a", "[1] 2",
        "\"\u{01}\"", "{\"a\":1,}", "NaN", "Infinity", "\"\\ud800\"", "'a'",
    ])
    func rejectsMalformedText(_ text: String) {
        #expect(throws: JSONParseError.self) { try JSONValue.parse(text) }
    }

    @Test func rejectsInvalidUTF8() {
        #expect(throws: JSONParseError.self) { try JSONValue.parse([0x22, 0xFF, 0x22]) }
    }

    @Test func refusesDeepNestingWithoutCrashing() {
        let deep = String(repeating: "[", count: 100_000)
        #expect(throws: JSONParseError.tooDeep(offset: JSONValue.maximumDepth)) { try JSONValue.parse(deep) }
    }

    @Test func errorMessagesNameTheOffset() {
        do {
            _ = try JSONValue.parse("{\"a\": x}")
            Issue.record("expected an error")
        } catch {
            #expect(error.description.contains("byte 6"))
        }
    }
}

@Suite struct JSONWriterTests {
    @Test func writesCompactASCIIWithShortestDoubles() {
        let value: JSONValue = ["name": "Gulf Surveyor é", "depth": 10.0, "tiny": 1e-05, "n": 3, "ok": true, "no": nil]
        #expect(
            value.serialized()
                == #"{"name":"Gulf Surveyor \u00e9","depth":10.0,"tiny":1e-05,"n":3,"ok":true,"no":null}"#)
    }

    @Test func escapesControlCharactersAndAstralPlane() {
        #expect(JSONValue.string("a\"b\\c\n\u{01}😀").serialized() == #""a\"b\\c\n\u0001\ud83d\ude00""#)
    }

    @Test func nonFiniteDoublesNeverReachTheOutput() {
        #expect(JSONValue.array([.double(.nan), .double(.infinity)]).serialized() == "[null,null]")
    }

    @Test func roundTripsThroughTheParser() throws {
        let text = #"{"b":[1,2.5,{"c":"\u00fc"}],"a":{"d":-1e+16}}"#
        let value = try JSONValue.parse(text)
        #expect(try JSONValue.parse(value.serialized()) == value)
    }
}

@Suite struct JSONObjectTests {
    @Test func settingAnExistingKeyKeepsItsPositionAndNewKeysAppend() {
        var object: JSONObject = ["a": 1, "b": 2]
        object["a"] = 3
        object["c"] = 4
        #expect(object.keys == ["a", "b", "c"])
        #expect(object["a"] == 3)
        object["b"] = nil
        #expect(object.keys == ["a", "c"])
    }
}
