import JSONValue
import Testing
import WIBLSystem
import WIBLTestSupport

/// The README's "Exit codes" table, one test per row, and the one rule for one file or many.
/// Row 10 (DCDB refused) is `SubmitCommandTests.refusedFileExitsWith10`, which needs the local DCDB.
@Suite struct ExitCodePolicyTests {
    /// A copy of a test file cut inside its last packet: damaged, refused by `--strict`.
    static func damagedCopy(in folder: String, name: String = "cut.wibl") throws -> String {
        let bytes = try Fixtures.bytes("wibl/synth-v1_0.wibl")
        try writeFile(folder + "/" + name, Array(bytes.prefix(bytes.count - 20)))
        return folder + "/" + name
    }

    /// Environment for `wibl s3` that can never reach a real AWS account.
    static let s3Environment = [
        "AWS_ACCESS_KEY_ID": "AKIDEXAMPLE", "AWS_SECRET_ACCESS_KEY": "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
        "AWS_REGION": "us-east-1",
    ]

    @Test func row0EverythingWorked() throws {
        let folder = try FileSystem.makeTemporaryFolder()
        let result = try runWIBL([
            "convert", Fixtures.path("wibl/synth-v1_0.wibl"), "-o", folder + "/x.geojson", "--provider-id", "UNHJHC",
        ])
        #expect(result.status == 0)
    }

    @Test func row1AnotherFailureLambdaInvocationError() throws {
        let folder = try FileSystem.makeTemporaryFolder()
        let event =
            #"{"Records":[{"eventSource":"aws:s3","s3":{"bucket":{"name":"b"},"object":{"key":"k.wibl","size":1}}}]}"#
        try writeFile(folder + "/event.json", Array(event.utf8))
        var environment = Self.s3Environment
        environment["AWS_ENDPOINT_URL_S3"] = "http://nosuch.invalid:9000"
        environment["STAGING_BUCKET"] = "staging"
        environment["PROVIDER_ID"] = "UNHJHC"
        let result = try runWIBL(
            ["lambda", "invoke", "--handler", "process", "--event", folder + "/event.json"], environment: environment)
        #expect(result.status == 1, "every record failed: an invocation error. stderr: \(result.stderr)")
    }

    @Test func row3MissingInput() throws {
        let result = try runWIBL(["convert", "/nonexistent/nosuch.wibl", "--provider-id", "UNHJHC"])
        #expect(result.status == 3)
        #expect(result.stderr.contains("/nonexistent/nosuch.wibl"))
    }

    @Test func row4DamagedFileInStrictMode() throws {
        let folder = try FileSystem.makeTemporaryFolder()
        let cut = try Self.damagedCopy(in: folder)
        let result = try runWIBL(["convert", cut, "-o", folder + "/x.geojson", "--provider-id", "UNHJHC", "--strict"])
        #expect(result.status == 4)
        #expect(!((try? FileSystem.entries(of: folder)) ?? []).contains("x.geojson"))
    }

    @Test func row5RefusedByProcessing() throws {
        let folder = try FileSystem.makeTemporaryFolder()
        let result = try runWIBL([
            "convert", Fixtures.path("wibl/test-algo-unknown.wibl"), "-o", folder + "/x.geojson", "--provider-id",
            "UNHJHC",
        ])
        #expect(result.status == 5)
    }

    @Test func row6ConfigurationError() throws {
        let result = try runWIBL(["convert", Fixtures.path("wibl/synth-v1_0.wibl")], removing: ["PROVIDER_ID"])
        #expect(result.status == 6)
        #expect(result.stderr.contains("no provider id"))
    }

    @Test func row7InvalidGeoJSON() throws {
        let result = try runWIBL(["validate", Fixtures.path("wibl/synth-meta-1mb.reference.geojson")])
        #expect(result.status == 7)
    }

    @Test func row8NetworkFailureUnresolvableHostFailsAtOnce() throws {
        // With a deadline of 60 s, an answer of `timedOut` would mean the lookup was waited on or retried.
        let result = try runWIBL(
            ["s3", "ls", "s3://wibl-incoming/", "--endpoint-url", "http://nosuch.invalid:9000", "--timeout", "60"],
            environment: Self.s3Environment)
        #expect(result.status == 8)
        #expect(result.stderr.contains("http://nosuch.invalid:9000"))
        #expect(result.stderr.contains("does not resolve"))
        #expect(!result.stderr.contains("within the deadline"))
    }

    @Test func row8NetworkFailureBlackholedPortEndsAtTheDeadline() async throws {
        let result = try await withBlackholeListener { port in
            try runWIBL(
                ["s3", "ls", "s3://wibl-incoming/", "--endpoint-url", "http://127.0.0.1:\(port)", "--timeout", "2"],
                environment: Self.s3Environment)
        }
        #expect(result.status == 8)
        #expect(result.stderr.contains("within the deadline of 2 s"), "stderr: \(result.stderr)")
    }

    @Test func row9NoCredentials() throws {
        let folder = try FileSystem.makeTemporaryFolder()
        let result = try runWIBL(
            ["s3", "ls", "s3://wibl-incoming/", "--endpoint-url", "http://127.0.0.1:9"],
            environment: [
                "HOME": folder, "AWS_SHARED_CREDENTIALS_FILE": folder + "/none", "AWS_CONFIG_FILE": folder + "/none",
                "AWS_REGION": "us-east-1",
            ],
            removing: ["AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_PROFILE"])
        #expect(result.status == 9, "stderr: \(result.stderr)")
    }

    @Test func row64Usage() throws {
        let result = try runWIBL(["convert"])
        #expect(result.status == 64)
    }

    // MARK: - One rule for one file or many

    @Test func oneDamagedFileOrTwoGiveTheSameCode() throws {
        let folder = try FileSystem.makeTemporaryFolder()
        let a = try Self.damagedCopy(in: folder, name: "a.wibl")
        let b = try Self.damagedCopy(in: folder, name: "b.wibl")
        let one = try runWIBL(["convert", a, "--provider-id", "UNHJHC", "--strict"])
        let two = try runWIBL(["convert", a, b, "--provider-id", "UNHJHC", "--strict"])
        #expect(one.status == 4)
        #expect(two.status == 4)
    }

    @Test func differentFailuresGiveTheHighestCode() throws {
        let folder = try FileSystem.makeTemporaryFolder()
        let cut = try Self.damagedCopy(in: folder)
        let result = try runWIBL([
            "convert", cut, Fixtures.path("wibl/test-algo-unknown.wibl"), "--output-dir", folder + "/out",
            "--provider-id", "UNHJHC", "--strict",
        ])
        #expect(result.status == 5, "4 (damaged) and 5 (unknown algorithm): 5")
    }

    @Test func aMissingInputIsThatFilesFailureAndTheOthersConvert() throws {
        let folder = try FileSystem.makeTemporaryFolder()
        let result = try runWIBL([
            "convert", folder + "/nosuch.wibl", Fixtures.path("wibl/synth-v1_0.wibl"), "--output-dir", folder + "/out",
            "--provider-id", "UNHJHC", "--json",
        ])
        #expect(result.status == 3)
        #expect(((try? FileSystem.entries(of: folder + "/out")) ?? []) == ["synth-v1_0.geojson"])
        let summary = try JSONValue.parse(Array(result.stdout.utf8))
        #expect(summary["converted"] == 1 && summary["failed"] == 1)
        let missing = try #require(summary["files"]?.arrayValue?.first)
        #expect(missing["file"]?.stringValue == folder + "/nosuch.wibl")
        #expect(missing["errorClass"] == "IOError")
    }

    // MARK: - `--json` always prints exactly one JSON object

    /// The one JSON object on standard output (fails the test if there is not exactly one).
    static func oneObject(_ result: ProcessResult) throws -> JSONValue {
        let lines = result.stdout.split(separator: "\n")
        try #require(lines.count == 1, "stdout: \(result.stdout)")
        let value = try JSONValue.parse(Array(lines[0].utf8))
        try #require(value.objectValue != nil)
        return value
    }

    @Test func jsonForAnEmptyFolder() throws {
        let folder = try FileSystem.makeTemporaryFolder()
        let result = try runWIBL(["convert", folder, "--provider-id", "UNHJHC", "--json"])
        #expect(result.status == 3)
        let object = try Self.oneObject(result)
        #expect(object["errorClass"] == "IOError")
        #expect(object["exitCode"] == 3)
        #expect(object["converted"] == 0 && object["files"] == [])
        #expect(object["error"]?.stringValue?.contains("no .wibl files") == true)
    }

    @Test func jsonForABadConfiguration() throws {
        let folder = try FileSystem.makeTemporaryFolder()
        try writeFile(folder + "/c.json", Array(#"{"elapsed_time_widht": 32}"#.utf8))
        let result = try runWIBL([
            "convert", Fixtures.path("wibl/synth-v1_0.wibl"), "--config", folder + "/c.json", "--provider-id",
            "UNHJHC", "--json",
        ])
        #expect(result.status == 6)
        let object = try Self.oneObject(result)
        #expect(object["errorClass"] == "ConfigurationError")
        #expect(object["error"]?.stringValue?.contains("'elapsed_time_widht'") == true)
    }

    @Test func jsonForAUsageError() throws {
        let result = try runWIBL(["convert", "--json", "--jobs", "0", "x.wibl"])
        #expect(result.status == 64)
        let object = try Self.oneObject(result)
        #expect(object["errorClass"] == "UsageError")
        #expect(object["exitCode"] == 64)
    }

    @Test func jsonForInspectAndValidateOfSeveralFiles() throws {
        let inspect = try runWIBL([
            "inspect", "--json", Fixtures.path("wibl/synth-v1_0.wibl"), Fixtures.path("wibl/test-algo-dedup.wibl"),
            "/nonexistent/x.wibl",
        ])
        #expect(inspect.status == 3)
        #expect(try Self.oneObject(inspect)["files"]?.arrayValue?.count == 3)
        let validate = try runWIBL([
            "validate", "--json", Fixtures.path("wibl/synth-v1_0.reference.geojson"),
            Fixtures.path("wibl/synth-n2k-1mb.reference.geojson"),
        ])
        #expect(validate.status == 7)
        let object = try Self.oneObject(validate)
        #expect(object["valid"] == false && object["files"]?.arrayValue?.count == 2)
    }
}
