import ArgumentParser
import AsyncHTTPClient
import DCDB
import JSONValue
import Logging
import NIOCore
import WIBLConversion
import WIBLSystem

/// `wibl submit`: B-12 GeoJSON files → NOAA DCDB, one POST per file (`cloud.md` §6).
struct SubmitCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "submit",
        abstract: "Submit B-12 GeoJSON files to NOAA's Data Centre for Digital Bathymetry (DCDB).",
        discussion: """
            Each file is posted once to the upload point with your trusted-node token. The vessel's \
            unique id is read from properties.trustedNode.uniqueVesselID and prefixed with \
            PROVIDER_ID- unless it already starts with it. One line is printed per file with DCDB's \
            answer. Exit status: 0 all accepted, 10 DCDB refused at least one file, 8 DCDB could not \
            be reached, 3 a file could not be read, 7 a file is not usable GeoJSON, 6 missing settings.
            """
    )

    @Argument(help: "GeoJSON files to submit.", completion: .file(extensions: ["geojson", "json"]))
    var files: [String]

    @Option(name: .long, help: "DCDB upload URL (default: UPLOAD_POINT).")
    var uploadPoint: String?

    @Option(name: .long, help: "Your trusted-node provider id, e.g. UNHJHC (default: PROVIDER_ID).")
    var providerID: String?

    @Option(name: .long, help: "File whose first line is the DCDB token (default: the PROVIDER_AUTH variable).")
    var authFile: String?

    @Option(name: .long, help: "Seconds to wait for DCDB's answer to one upload.")
    var timeout: Int = 120

    func validate() throws {
        if timeout < 1 { throw ValidationError("--timeout must be at least 1 second.") }
    }

    func run() async throws {
        let settings: (uploadPoint: String, providerID: String, token: AuthToken)
        do {
            settings = try resolveSettings()
        } catch {
            writeStandardError("Error: \(error)\n")
            throw WIBLExitCode.configuration
        }
        var logger = Logger(label: "wibl.submit")
        logger.logLevel = .error
        let client = DCDBClient(
            httpClient: HTTPClient.shared, logger: logger,
            configuration: .init(timeout: .seconds(timeout)))

        var worst = WIBLExitCode.success
        func note(_ code: ExitCode) {
            let rank = [
                WIBLExitCode.success, WIBLExitCode.configuration, WIBLExitCode.invalidGeoJSON,
                WIBLExitCode.ioError, WIBLExitCode.remote, WIBLExitCode.submissionRefused,
            ]
            if (rank.firstIndex(of: code) ?? 0) > (rank.firstIndex(of: worst) ?? 0) { worst = code }
        }
        for file in files {
            let bytes: ByteBuffer
            do {
                bytes = try ByteBuffer(contentsOfFile: file)
            } catch {
                print("\(file): not submitted: \(error)")
                note(WIBLExitCode.ioError)
                continue
            }
            let vesselID: String
            do {
                vesselID = try Self.vesselID(in: bytes)
            } catch {
                print("\(file): not submitted: \(error)")
                note(WIBLExitCode.invalidGeoJSON)
                continue
            }
            do throws(DCDBError) {
                let receipt = try await client.submit(
                    geojson: .bytes(bytes), fileName: file, uniqueID: vesselID, providerID: settings.providerID,
                    authToken: settings.token, uploadPoint: settings.uploadPoint)
                print("\(file): accepted as \(receipt.uniqueID) (HTTP \(receipt.status)): \(receipt.body)")
            } catch {
                print("\(file): \(error.isRefusal ? "refused" : "failed"): \(error)")
                note(error.isRefusal ? WIBLExitCode.submissionRefused : WIBLExitCode.remote)
            }
        }
        if worst != WIBLExitCode.success { throw worst }
    }

    private func resolveSettings() throws -> (uploadPoint: String, providerID: String, token: AuthToken) {
        guard let uploadPoint = uploadPoint ?? Environment.nonEmpty("UPLOAD_POINT") else {
            throw SubmitSettingError("no upload point: give --upload-point URL or set UPLOAD_POINT")
        }
        guard let providerID = providerID ?? Environment.nonEmpty("PROVIDER_ID") else {
            throw SubmitSettingError("no provider id: give --provider-id ID or set PROVIDER_ID")
        }
        let token: AuthToken
        if let authFile {
            token = try AuthToken.fromFile(authFile)
        } else if Environment.nonEmpty("PROVIDER_AUTH") != nil {
            token = try AuthToken.fromEnvironment("PROVIDER_AUTH")
        } else {
            throw SubmitSettingError(
                "no DCDB token: give --auth-file FILE (e.g. ingest-external-\(providerID).txt) or set PROVIDER_AUTH")
        }
        return (uploadPoint, providerID, token)
    }

    /// `properties.trustedNode.uniqueVesselID` of a GeoJSON document.
    static func vesselID(in bytes: ByteBuffer) throws -> String {
        let document: JSONValue
        do {
            document = try JSONValue.parse(bytes.readableBytesView)
        } catch {
            throw SubmitSettingError("not JSON: \(error)")
        }
        guard let id = document["properties"]?["trustedNode"]?["uniqueVesselID"]?.stringValue, !id.isEmpty else {
            throw SubmitSettingError("no properties.trustedNode.uniqueVesselID in the GeoJSON")
        }
        return id
    }
}

/// A missing or unusable `wibl submit` setting or input, as a sentence.
struct SubmitSettingError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
