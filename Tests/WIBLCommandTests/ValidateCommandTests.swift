import Testing
import WIBLSystem
import WIBLTestSupport

/// `wibl validate`, end to end on the built binary (`swift build` first): stdout, stderr and the
/// exit code (0 valid, 3 unreadable, 7 invalid; the highest wins).
@Suite struct ValidateCommandTests {
    let wibl = Fixtures.wiblExecutable

    @Test func aValidFileExitsZero() throws {
        let result = try runProcess(wibl, ["validate", Fixtures.path("wibl/synth-v1_0.reference.geojson")])
        #expect(result.status == 0)
        #expect(result.stdout.hasSuffix("synth-v1_0.reference.geojson: valid (396 soundings)\n"))
    }

    @Test func inputCausedProblemsAreNamedAndExitSeven() throws {
        let result = try runProcess(
            wibl,
            [
                "validate", Fixtures.path("wibl/synth-meta-1mb.reference.geojson"),
                Fixtures.path("wibl/synth-n2k-1mb.reference.geojson"),
            ])
        #expect(result.status == 7)
        let out = result.stdout
        #expect(out.contains("synth-meta-1mb.reference.geojson: INVALID: 1 problem, all caused by the logger's input"))
        #expect(out.contains("properties.platform.length: 12.5 must be a whole number of metres"))
        #expect(out.contains("properties.trustedNode.uniqueVesselID: \"UNHJHC-Gulf Surveyor\" is not PROVIDER-UUID"))
        #expect(out.contains("This comes from the logger's input"))
    }

    @Test func jsonOutputIsOneObjectWithAnEntryPerFile() throws {
        let result = try runProcess(
            wibl, ["validate", "--json", Fixtures.path("wibl/test-algo-dedup.reference.geojson")])
        #expect(result.status == 7)
        let lines = result.stdout.split(separator: "\n")
        #expect(lines.count == 1)
        #expect(lines.first?.hasPrefix(#"{"valid":false,"files":[{"file":"#) == true)
        #expect(
            lines.first?.contains(
                #""valid":false,"features":234,"issues":[{"path":"properties.trustedNode.uniqueVesselID""#) == true)
        #expect(lines.first?.contains(#""cause":"input""#) == true)
        #expect(lines.first?.contains(#""path":"properties.processing[0].parameters""#) == true)
    }

    @Test func anUnreadableAndAnInvalidFileExitSevenTheHighest() throws {
        let result = try runProcess(
            wibl,
            ["validate", Fixtures.path("wibl/synth-meta-1mb.reference.geojson"), "/nonexistent/wibl-missing.geojson"])
        #expect(result.status == 7)
        #expect(result.stderr.contains("/nonexistent/wibl-missing.geojson: cannot read"))
        let alone = try runProcess(wibl, ["validate", "/nonexistent/wibl-missing.geojson"])
        #expect(alone.status == 3)
    }

    @Test func aFileThatIsNotJSONIsInvalid() throws {
        let result = try runProcess(wibl, ["validate", Fixtures.path("wibl/synth-v1_0.wibl")])
        #expect(result.status == 7)
        #expect(result.stdout.contains("INVALID: it is not JSON"))
    }
}
