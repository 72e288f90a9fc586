import Foundation
import Testing
import WIBLTestSupport

/// `wibl submit` end to end: the built `.build/debug/wibl` against the local DCDB server.
@Suite struct SubmitCommandTests {
    struct Run {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    func runWIBL(_ arguments: [String], environment: [String: String] = [:]) async throws -> Run {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: Fixtures.wiblExecutable)
        process.arguments = arguments
        var env = ProcessInfo.processInfo.environment
        for key in ["PROVIDER_ID", "PROVIDER_AUTH", "UPLOAD_POINT"] { env.removeValue(forKey: key) }
        env.merge(environment) { _, new in new }
        process.environment = env
        let out = Pipe()
        let err = Pipe()
        process.standardOutput = out
        process.standardError = err
        // Wait for the exit without blocking a cooperative thread: the local server in this process
        // must keep answering. The output is a few lines, far below the pipe's buffer.
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            process.terminationHandler = { _ in continuation.resume() }
            do {
                try process.run()
            } catch {
                process.terminationHandler = nil
                continuation.resume()
            }
        }
        guard process.processIdentifier != 0 else { throw CocoaError(.executableNotLoadable) }
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        let errData = err.fileHandleForReading.readDataToEndOfFile()
        return Run(
            status: process.terminationStatus, stdout: String(decoding: outData, as: UTF8.self),
            stderr: String(decoding: errData, as: UTF8.self))
    }

    func makeFolder() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("wibl-submit-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    func writeGeoJSON(_ folder: URL, _ name: String, vessel: String) throws -> String {
        let path = folder.appendingPathComponent(name).path
        let text =
            #"{"type":"FeatureCollection","properties":{"trustedNode":{"uniqueVesselID":"\#(vessel)"}},"features":[]}"#
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
        return path
    }

    @Test func submitsEachFileOnceAndPrintsTheAnswer() async throws {
        let folder = try makeFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let first = try writeGeoJSON(folder, "a.geojson", vessel: "UNHJHC-0001")
        let second = try writeGeoJSON(folder, "b.geojson", vessel: "0002")
        try await withLocalDCDB { server in
            let tokenFile = folder.appendingPathComponent("ingest-external-UNHJHC.txt").path
            try Data((server.expectedToken + "\n").utf8).write(to: URL(fileURLWithPath: tokenFile))
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
        defer { try? FileManager.default.removeItem(at: folder) }
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
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("bad.geojson").path
        try Data(#"{"type":"FeatureCollection"}"#.utf8).write(to: URL(fileURLWithPath: path))
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
