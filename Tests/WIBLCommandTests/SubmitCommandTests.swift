import Testing
import WIBLSystem
import WIBLTestSupport

/// `wibl submit` end to end: the built `.build/debug/wibl` against the local DCDB server.
@Suite struct SubmitCommandTests {
    func runWIBL(_ arguments: [String], environment: [String: String] = [:]) async throws -> ProcessResult {
        try await runProcessAsync(
            Fixtures.wiblExecutable, arguments, environment: environment,
            removing: ["PROVIDER_ID", "PROVIDER_AUTH", "UPLOAD_POINT"])
    }

    func makeFolder() throws -> String { try FileSystem.makeTemporaryFolder(prefix: "wibl-submit") }

    func writeGeoJSON(_ folder: String, _ name: String, vessel: String) throws -> String {
        let path = folder + "/" + name
        let text =
            #"{"type":"FeatureCollection","properties":{"trustedNode":{"uniqueVesselID":"\#(vessel)"}},"features":[]}"#
        try writeFile(path, Array(text.utf8))
        return path
    }

    @Test func submitsEachFileOnceAndPrintsTheAnswer() async throws {
        let folder = try makeFolder()
        defer { FileSystem.removeTree(folder) }
        let first = try writeGeoJSON(folder, "a.geojson", vessel: "UNHJHC-0001")
        let second = try writeGeoJSON(folder, "b.geojson", vessel: "0002")
        try await withLocalDCDB { server in
            let tokenFile = folder + "/ingest-external-UNHJHC.txt"
            try writeFile(tokenFile, Array((server.expectedToken + "\n").utf8))
            let run = try await runWIBL([
                "submit", first, second, "--upload-point", server.uploadPoint, "--provider-id", "UNHJHC",
                "--auth-file", tokenFile,
            ])
            #expect(run.status == 0, "stderr: \(run.stderr)")
            let lines = run.stdout.split(separator: "\n")
            #expect(lines.count == 2)
            #expect(lines.first?.contains("a.geojson: accepted as UNHJHC-0001 (HTTP 200)") == true)
            #expect(lines.last?.contains("b.geojson: accepted as UNHJHC-0002") == true)
            #expect(!run.stdout.contains(server.expectedToken) && !run.stderr.contains(server.expectedToken))
            let uploads = await server.acceptedUploads()
            #expect(uploads.map(\.uniqueID) == ["UNHJHC-0001", "UNHJHC-0002"])
            #expect(uploads.map(\.fileName) == ["a.geojson", "b.geojson"])
        }
    }

    @Test func refusedFileExitsWith10() async throws {
        let folder = try makeFolder()
        defer { FileSystem.removeTree(folder) }
        let file = try writeGeoJSON(folder, "a.geojson", vessel: "UNHJHC-0001")
        try await withLocalDCDB(behaviour: .refused) { server in
            let run = try await runWIBL(
                ["submit", file],
                environment: [
                    "UPLOAD_POINT": server.uploadPoint, "PROVIDER_ID": "UNHJHC",
                    "PROVIDER_AUTH": " \(server.expectedToken) ",
                ])
            #expect(run.status == 10, "stdout: \(run.stdout) stderr: \(run.stderr)")
            #expect(run.stdout.contains("a.geojson: refused: DCDB refused the submission"))
            #expect(await server.requestCount() == 1)
        }
    }

    @Test func missingTokenIsAConfigurationError() async throws {
        let run = try await runWIBL([
            "submit", "x.geojson", "--upload-point", "http://127.0.0.1:1/", "--provider-id", "UNHJHC",
        ])
        #expect(run.status == 6)
        #expect(run.stderr.contains("no DCDB token"))
    }

    @Test func fileWithoutVesselIDIsNotSubmitted() async throws {
        let folder = try makeFolder()
        defer { FileSystem.removeTree(folder) }
        let path = folder + "/bad.geojson"
        try writeFile(path, Array(#"{"type":"FeatureCollection"}"#.utf8))
        try await withLocalDCDB { server in
            let run = try await runWIBL(
                ["submit", path, "--upload-point", server.uploadPoint, "--provider-id", "UNHJHC"],
                environment: ["PROVIDER_AUTH": server.expectedToken])
            #expect(run.status == 7)
            #expect(run.stdout.contains("uniqueVesselID"))
            #expect(await server.requestCount() == 0)
        }
    }
}
