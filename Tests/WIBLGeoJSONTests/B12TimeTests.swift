import Testing
import WIBLGeoJSON
import WIBLTestSupport

/// `geojson-b12.md` §3; expected strings from Python's
/// `datetime.fromtimestamp(t, timezone.utc).strftime('%Y-%m-%dT%H:%M:%S.%fZ')`.
@Suite struct B12TimeTests {
    static let vectors: [(Double, String)] = [
        (1_577_836_801.187, "2020-01-01T00:00:01.187000Z"),  // the spec's example
        (0, "1970-01-01T00:00:00.000000Z"),
        (1_577_836_800.0078125, "2020-01-01T00:00:00.007812Z"),  // 7812.5 µs: tie to even, down
        (1_577_836_800.0234375, "2020-01-01T00:00:00.023438Z"),  // 23437.5 µs: tie to even, up
        (1_577_836_800.9999995, "2020-01-01T00:00:01.000000Z"),  // 1 000 000 µs: carry
        (1_000_000_000.0000005, "2001-09-09T01:46:40.000000Z"),
        (1_000_000_000.0000015, "2001-09-09T01:46:40.000002Z"),
        (-0.5, "1969-12-31T23:59:59.500000Z"),  // before 1970: borrow from the seconds
        (-1.25, "1969-12-31T23:59:58.750000Z"),
        (-0.0000004, "1970-01-01T00:00:00.000000Z"),
        (951_782_400, "2000-02-29T00:00:00.000000Z"),
        (951_868_799.5, "2000-02-29T23:59:59.500000Z"),
        (1_582_934_400.123456, "2020-02-29T00:00:00.123456Z"),
        (-2_203_891_200, "1900-03-01T00:00:00.000000Z"),
        (-62_135_596_800, "0001-01-01T00:00:00.000000Z"),  // G7: four-digit year (Python writes "1")
        (253_402_300_799, "9999-12-31T23:59:59.000000Z"),
    ]

    @Test(arguments: vectors)
    func formatsLikePython(_ t: Double, _ expected: String) {
        #expect(B12Time.format(t) == expected)
        var formatter = B12TimeFormatter()
        var bytes: [UInt8] = []
        #expect(formatter.append(t, to: &bytes))
        #expect(String(decoding: bytes, as: UTF8.self) == expected)
    }

    @Test(arguments: [-62_135_596_801.0, 253_402_300_800, 1e14, -1e14, .nan, .infinity, -.infinity])
    func g7g6TimesOutsideYears1To9999OrNotFiniteAreRefused(_ t: Double) {
        #expect(B12Time.format(t) == nil)
        var formatter = B12TimeFormatter()
        var bytes: [UInt8] = []
        #expect(!formatter.append(t, to: &bytes))
        #expect(bytes.isEmpty)
    }

    @Test func incrementalFormatterAgreesWithTheReferenceFormatterAcrossDays() {
        var formatter = B12TimeFormatter()
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<20_000 {
            // Mostly nearby times (the cache), sometimes far jumps in either direction.
            let t = Double.random(in: -5e10...2.5e11, using: &generator)
            for u in [t, t + 0.000_000_5, t + 86_399.9999996, t.rounded() + 0.5] {
                var bytes: [UInt8] = []
                _ = formatter.append(u, to: &bytes)
                let expected = B12Time.format(u)
                #expect(String(decoding: bytes, as: UTF8.self) == (expected ?? ""), "t = \(u)")
            }
        }
    }

    @Test func lineageTimestampsFromMicroseconds() {
        #expect(B12Time.format(microseconds: 1_577_836_801_187_000) == "2020-01-01T00:00:01.187000Z")
        #expect(B12Time.format(microseconds: -1) == "1969-12-31T23:59:59.999999Z")
    }
}
