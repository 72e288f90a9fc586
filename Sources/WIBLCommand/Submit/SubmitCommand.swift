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
            answer. Exit status (the highest over the files): 0 all accepted, 3 a file could not be read, \
            6 missing or bad settings, 7 a file is not usable GeoJSON, 8 DCDB could not be reached, \
            10 DCDB refused a file.
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

    @OptionGroup var network: NetworkOptions

    func run() async throws {
        try await reportingErrors {
            let settings = try resolveSettings()
            try await network.withHTTPClient { http in try await submitAll(settings, http) }
        }
    }

    private func submitAll(
        _ settings: (uploadPoint: String, providerID: String, token: AuthToken), _ http: HTTPClient
    ) async throws {
        var logger = Logger(label: "wibl.submit")
        logger.logLevel = .error
        let client = DCDBClient(
            httpClient: http, logger: logger, configuration: .init(timeout: .seconds(network.timeout)))
        var failures: [ExitCode] = []
        for file in files {
            do {
                let bytes = try ByteBuffer(contentsOfFile: file)
                let vesselID = try Self.vesselID(in: bytes)
                let receipt = try await client.submit(
                    geojson: .bytes(bytes), fileName: file, uniqueID: vesselID, providerID: settings.providerID,
                    authToken: settings.token, uploadPoint: settings.uploadPoint)
                print("\(file): accepted as \(receipt.uniqueID) (HTTP \(receipt.status)): \(receipt.body)")
            } catch {
                let verdict =
                    switch error {
                    case let error as DCDBError: error.isRefusal ? "refused" : "failed"
                    default: "not submitted"
                    }
                print("\(file): \(verdict): \(error)")
                failures.append(WIBLExitCode.exitCode(for: error))
            }
        }
        if !failures.isEmpty { throw WIBLExitCode.exitCode(for: failures) }
    }

    private func resolveSettings() throws -> (uploadPoint: String, providerID: String, token: AuthToken) {
        guard let uploadPoint = uploadPoint ?? Environment.nonEmpty("UPLOAD_POINT") else {
            throw SettingError("no upload point: give --upload-point URL or set UPLOAD_POINT")
        }
        guard let providerID = try checkedProviderID(option: providerID) else {
            throw SettingError("no provider id: give --provider-id ID or set PROVIDER_ID")
        }
        let token: AuthToken
        if let authFile {
            token = try AuthToken.fromFile(authFile)
        } else if Environment.nonEmpty("PROVIDER_AUTH") != nil {
            token = try AuthToken.fromEnvironment("PROVIDER_AUTH")
        } else {
            throw SettingError(
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
            throw UnusableGeoJSONError("not JSON: \(error)")
        }
        guard let id = document["properties"]?["trustedNode"]?["uniqueVesselID"]?.stringValue, !id.isEmpty else {
            throw UnusableGeoJSONError("no properties.trustedNode.uniqueVesselID in the GeoJSON")
        }
        return id
    }
}
