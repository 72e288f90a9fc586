import Testing
import WIBLSystem
import WIBLTestSupport

/// Mistakes a user makes on purpose or by accident are named, never silently ignored.
@Suite struct NoSilentMistakesTests {
    @Test func aMisspeltConfigurationKeyIsNamedWithASuggestion() throws {
        let folder = try FileSystem.makeTemporaryFolder()
        try writeFile(folder + "/c.json", Array(#"{"elapsed_time_widht": 32}"#.utf8))
        let result = try runWIBL([
            "convert", Fixtures.path("wibl/synth-v1_0.wibl"), "-o", folder + "/x.geojson", "--config",
            folder + "/c.json", "--provider-id", "UNHJHC",
        ])
        #expect(result.status == 6)
        #expect(result.stderr.contains("unknown configuration key 'elapsed_time_widht'"))
        #expect(result.stderr.contains("did you mean 'elapsed_time_width'?"))
        #expect(!((try? FileSystem.entries(of: folder)) ?? []).contains("x.geojson"))
    }

    @Test func aBadProviderIDFlagIsBlamedOnTheFlag() throws {
        let folder = try FileSystem.makeTemporaryFolder()
        let result = try runWIBL([
            "convert", Fixtures.path("wibl/synth-v1_0.wibl"), "-o", folder + "/x.geojson", "--provider-id", "UN HJ-C",
        ])
        #expect(result.status == 6)
        #expect(result.stderr.contains("'UN HJ-C' given by --provider-id"))
        #expect(result.stderr.contains("letters and digits starting with a letter"))
        #expect(!((try? FileSystem.entries(of: folder)) ?? []).contains("x.geojson"))
    }

    @Test func aBadProviderIDVariableIsBlamedOnTheVariable() throws {
        let folder = try FileSystem.makeTemporaryFolder()
        let result = try runWIBL(
            ["convert", Fixtures.path("wibl/synth-v1_0.wibl"), "-o", folder + "/x.geojson"],
            environment: ["PROVIDER_ID": "9UNH"])
        #expect(result.status == 6)
        #expect(result.stderr.contains("'9UNH' given by the environment variable PROVIDER_ID"))
        let submit = try runWIBL(
            ["submit", "x.geojson", "--upload-point", "http://127.0.0.1:9/"],
            environment: ["PROVIDER_ID": "UNH-JHC", "PROVIDER_AUTH": "token"])
        #expect(submit.status == 6)
        #expect(submit.stderr.contains("given by the environment variable PROVIDER_ID"))
    }

    @Test func simulateHasOneVersionOptionAndTheFormatVersionItsOwn() throws {
        let help = try runWIBL(["simulate", "--help"])
        #expect(help.stdout.components(separatedBy: "--version").count - 1 <= 1)
        #expect(help.stdout.contains("--format-version"))
        let version = try runWIBL(["simulate", "--version"])
        #expect(version.status == 0, "stderr: \(version.stderr)")
        let folder = try FileSystem.makeTemporaryFolder()
        let simulated = try runWIBL([
            "simulate", "-o", folder + "/v.wibl", "--duration", "20", "--format-version", "1.1",
        ])
        #expect(simulated.status == 0)
    }

    @Test func anOutputFolderOnAFileSystemThatRefusesFoldersSaysSo() throws {
        let result = try runWIBL([
            "convert", Fixtures.path("wibl/synth-v1_0.wibl"), "--output-dir", "/proc/wibl-x", "--provider-id", "UNHJHC",
        ])
        #expect(result.status == 3)
        #expect(result.stderr.contains("'/proc' exists but does not accept new entries"), "stderr: \(result.stderr)")
    }
}
