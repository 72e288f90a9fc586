import JSONValue
import Testing
import WIBLSystem
import WIBLTestSupport

/// Accurate mode against the simulator's ground truth, one seeded simulation per fault class and
/// one with all of them: `wibl simulate --truth --faults` then `wibl accuracy --json`.
@Suite struct AccuracyTests {
    static let mixes = ["reorder", "nodata", "void-fix", "outage", "second-depth", "wrap", "duplicate", "all"]

    /// Simulates `faults` (by default mixed NMEA2000 + NMEA0183, 15 minutes) and measures both modes.
    func measure(_ faults: String, seed: Int = 13, sources: String = "mixed") throws -> JSONValue {
        let folder = try FileSystem.makeTemporaryFolder()
        let simulated = try runWIBL(
            [
                "simulate", "-o", folder + "/f.wibl", "--duration", "900", "--seed", String(seed), "--sources", sources,
                "--truth", folder + "/f.jsonl",
            ] + (faults.isEmpty ? [] : ["--faults", faults]))
        #expect(simulated.status == 0, "\(simulated.stderr)")
        let run = try runWIBL(["accuracy", folder + "/f.wibl", "--truth", folder + "/f.jsonl", "--json"])
        #expect(run.status == 0, "\(run.stderr)")
        return try JSONValue.parse(Array(run.stdout.utf8))
    }

    /// Which errors of reference mode each class makes worse. A void fix is a wrong position, not a
    /// wrong time; a clean counter wrap is handled by reference mode too (its rule "every step back
    /// is a wrap" is right for a real wrap), and only the packets in flight at the wrap go wrong, far
    /// fewer than 5 % — there the 95th percentiles are equal and only the maximum differs.
    static let worsens: [String: (time: Bool, position: Bool)] = [
        "reorder": (true, true), "nodata": (true, true), "void-fix": (false, true), "outage": (true, true),
        "second-depth": (true, true), "wrap": (false, false), "duplicate": (true, true), "all": (true, true),
    ]

    @Test(arguments: mixes)
    func accurateModeBeatsReferenceOnEveryFaultClass(_ faults: String) throws {
        let result = try measure(faults)
        let reference = try #require(result["reference"])
        let accurate = try #require(result["accurate"])
        let worse = try #require(Self.worsens[faults])
        func value(_ mode: JSONValue, _ key: String, _ statistic: String) -> Double {
            mode[key]?[statistic]?.doubleValue ?? .nan
        }
        for (key, strictly) in [("timeError", worse.time), ("positionError", worse.position)] {
            let ours = value(accurate, key, "p95")
            let theirs = value(reference, key, "p95")
            if strictly {
                #expect(ours < theirs, "\(faults): \(key) p95 accurate \(ours) vs reference \(theirs)")
            } else {
                // Equal: both are the logger's millisecond clock, over different soundings
                // (accurate keeps one per ping), so they differ by a few per cent either way.
                #expect(ours <= theirs * 1.1, "\(faults): \(key) p95 accurate \(ours) vs reference \(theirs)")
            }
        }
        if faults == "wrap" {
            #expect(value(accurate, "timeError", "max") < 0.1 && value(reference, "timeError", "max") > 0.1)
        }
        #expect(accurate["noDataOutputs"] == 0)
        #expect(accurate["outputsOver50m"] == 0)
        #expect(accurate["untracedOutputs"] == 0)
        let eligible = accurate["eligiblePings"]?.integerValue ?? 0
        let kept = accurate["eligibleKept"]?.integerValue ?? 0
        #expect(eligible > 300 && Double(kept) >= 0.99 * Double(eligible), "\(faults): kept \(kept) of \(eligible)")
    }

    @Test(arguments: ["nmea2000", "nmea0183"])
    func allFaultsWithOneKindOfInstrument(_ sources: String) throws {
        let result = try measure("all", sources: sources)
        let reference = try #require(result["reference"])
        let accurate = try #require(result["accurate"])
        for key in ["timeError", "positionError"] {
            let ours = accurate[key]?["p95"]?.doubleValue ?? .nan
            let theirs = reference[key]?["p95"]?.doubleValue ?? .nan
            #expect(ours < theirs, "\(sources): \(key) p95 accurate \(ours) vs reference \(theirs)")
        }
        #expect(accurate["noDataOutputs"] == 0 && accurate["outputsOver50m"] == 0)
        let eligible = accurate["eligiblePings"]?.integerValue ?? 0
        let kept = accurate["eligibleKept"]?.integerValue ?? 0
        #expect(eligible > 300 && Double(kept) >= 0.99 * Double(eligible), "\(sources): kept \(kept) of \(eligible)")
    }

    @Test func theFaultsDoWhatTheySay() throws {
        // Each class leaves its mark on reference mode or on what accurate mode leaves out.
        let nodata = try measure("nodata")
        #expect((nodata["reference"]?["noDataOutputs"]?.integerValue ?? 0) > 0)
        #expect((nodata["accurate"]?["leftOut"]?["no-data"]?.integerValue ?? 0) > 0)
        let voidFix = try measure("void-fix")
        #expect((voidFix["reference"]?["outputsOver50m"]?.integerValue ?? 0) > 0)
        let outage = try measure("outage")
        #expect((outage["accurate"]?["leftOut"]?["no-time"]?.integerValue ?? 0) > 0)
        let second = try measure("second-depth")
        #expect((second["accurate"]?["leftOut"]?["other-source"]?.integerValue ?? 0) > 300)
        let duplicate = try measure("duplicate")
        #expect((duplicate["accurate"]?["leftOut"]?["duplicate"]?.integerValue ?? 0) > 0)
    }

    @Test func theSameSeedGivesTheSameBytesAndTruth() throws {
        let folder = try FileSystem.makeTemporaryFolder()
        for run in ["a", "b", "c"] {
            let seed = run == "c" ? "5" : "4"
            let result = try runWIBL([
                "simulate", "-o", folder + "/\(run).wibl", "--duration", "300", "--seed", seed, "--truth",
                folder + "/\(run).jsonl", "--faults", "all", "--fault-rate", "reorder=0.5",
            ])
            #expect(result.status == 0, "\(result.stderr)")
        }
        #expect(try readWholeFile(folder + "/a.wibl") == (try readWholeFile(folder + "/b.wibl")))
        #expect(try readWholeFile(folder + "/a.jsonl") == (try readWholeFile(folder + "/b.jsonl")))
        #expect(try readWholeFile(folder + "/a.wibl") != (try readWholeFile(folder + "/c.wibl")))
        let line = try #require(
            String(decoding: try readWholeFile(folder + "/a.jsonl"), as: UTF8.self).split(separator: "\n").first)
        let ping = try JSONValue.parse(Array(line.utf8))
        #expect(ping["t"]?.doubleValue != nil && ping["lat"]?.doubleValue != nil && ping["depth"]?.doubleValue != nil)
    }

    @Test func withoutFaultsBothModesMatchTheTruth() throws {
        // The truth is right: on a clean file both modes place every ping within the logger's
        // millisecond and a few centimetres, and keep every ping that has a fix.
        let result = try measure("")
        for mode in ["reference", "accurate"] {
            let m = try #require(result[mode])
            #expect((m["timeError"]?["max"]?.doubleValue ?? 1) < 0.0011, "\(mode)")
            #expect((m["positionError"]?["max"]?.doubleValue ?? 1) < 0.05, "\(mode)")
            #expect(m["eligibleKept"] == m["eligiblePings"])
            #expect(m["noDataOutputs"] == 0 && m["outputsOver50m"] == 0)
        }
    }

    @Test func accuracyPrintsBothModesAndRefusesBadInputs() throws {
        let folder = try FileSystem.makeTemporaryFolder()
        _ = try runWIBL([
            "simulate", "-o", folder + "/f.wibl", "--duration", "120", "--truth", folder + "/f.jsonl", "--faults",
            "void-fix",
        ])
        let text = try runWIBL(["accuracy", folder + "/f.wibl", "--truth", folder + "/f.jsonl"])
        #expect(text.status == 0)
        for phrase in [
            "reference:", "accurate:", "time error (s)", "position error (m)", "depth error (m)", "pings missed",
        ] {
            #expect(text.stdout.contains(phrase), "\(phrase)")
        }
        let missing = try runWIBL(["accuracy", folder + "/f.wibl", "--truth", folder + "/nope.jsonl"])
        #expect(missing.status == 3 && missing.stderr.contains("nope.jsonl"))
        try writeFile(folder + "/bad.jsonl", Array("{\"t\": 1}\n".utf8))
        let bad = try runWIBL(["accuracy", folder + "/f.wibl", "--truth", folder + "/bad.jsonl"])
        #expect(bad.status == 3 && bad.stderr.contains("line 1"))
        try writeFile(folder + "/text.wibl", Array("not a logger file".utf8))
        let notWIBL = try runWIBL(["accuracy", folder + "/text.wibl", "--truth", folder + "/f.jsonl"])
        #expect(notWIBL.status == 4)
    }

    @Test func badFaultOptionsAreUsageErrors() throws {
        let folder = try FileSystem.makeTemporaryFolder()
        let unknown = try runWIBL(["simulate", "-o", folder + "/x.wibl", "--faults", "gremlins"])
        #expect(unknown.status == 64 && unknown.stderr.contains("gremlins"))
        let unlisted = try runWIBL([
            "simulate", "-o", folder + "/x.wibl", "--faults", "wrap", "--fault-rate", "nodata=0.5",
        ])
        #expect(unlisted.status == 64 && unlisted.stderr.contains("nodata"))
        let rate = try runWIBL(["simulate", "-o", folder + "/x.wibl", "--faults", "wrap", "--fault-rate", "wrap=2"])
        #expect(rate.status == 64)
    }

    @Test func convertAccurateCountsWhatItLeftOut() throws {
        let folder = try FileSystem.makeTemporaryFolder()
        _ = try runWIBL([
            "simulate", "-o", folder + "/f.wibl", "--duration", "300", "--seed", "3", "--faults", "nodata,outage",
        ])
        let accurate = try runWIBL([
            "convert", folder + "/f.wibl", "-o", folder + "/a.geojson", "--provider-id", "UNHJHC", "--accurate",
            "--json",
        ])
        #expect(accurate.status == 0, "\(accurate.stderr)")
        let summary = try JSONValue.parse(Array(accurate.stdout.utf8))
        #expect((summary["leftOut"]?["no-data"]?.integerValue ?? 0) > 0)
        #expect((summary["leftOut"]?["no-time"]?.integerValue ?? 0) > 0)
        #expect(summary["files"]?[0]?["leftOut"] == summary["leftOut"])
        let text = try runWIBL([
            "convert", folder + "/f.wibl", "-o", folder + "/b.geojson", "--provider-id", "UNHJHC", "--accurate",
        ])
        #expect(text.stdout.contains("Left out ") && text.stdout.contains("no-data"))
        let validate = try runWIBL(["validate", folder + "/a.geojson"])
        #expect(validate.status == 0, "\(validate.stdout)")
        let reference = try runWIBL([
            "convert", folder + "/f.wibl", "-o", folder + "/r.geojson", "--provider-id", "UNHJHC", "--json",
        ])
        #expect(try JSONValue.parse(Array(reference.stdout.utf8))["leftOut"] == ["total": 0])
    }
}
