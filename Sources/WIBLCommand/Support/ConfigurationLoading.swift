import WIBLGeoJSON
import WIBLProcessing

/// A configuration problem, for exit code 6.
struct ConfigurationLoadError: Error, CustomStringConvertible {
    var description: String
}

/// Reads the processing configuration: `--config FILE`, else `WIBL_CONFIG_FILE`, else the
/// embedded default; the provider id from `--provider-id`, else `PROVIDER_ID`, else the file.
func loadSettings(
    configPath: String?, providerID: String?, strict: Bool
) throws -> (ProcessingConfiguration, GeoJSONSettings) {
    var configuration: ProcessingConfiguration
    if let path = configPath ?? environment("WIBL_CONFIG_FILE") {
        let bytes: [UInt8]
        do {
            bytes = Array(try readFile(path).readableBytesView)
        } catch {
            throw ConfigurationLoadError(description: "cannot read the configuration: \(error)")
        }
        do {
            configuration = try ProcessingConfiguration(json: bytes)
        } catch {
            throw ConfigurationLoadError(description: "\(path): \(error)")
        }
    } else {
        configuration =
            (try? ProcessingConfiguration(json: Array(ProcessingConfiguration.embeddedDefaultJSON.utf8))) ?? .init()
    }
    if strict { configuration.isStrict = true }
    guard let provider = providerID ?? environment("PROVIDER_ID") ?? configuration.providerID, !provider.isEmpty else {
        throw ConfigurationLoadError(description: ConfigurationError.missingProviderID.description)
    }
    configuration.providerID = provider
    var settings = GeoJSONSettings(providerID: provider, software: "wibl-swift-\(WIBLVersion.string)")
    settings.providerOrganizationName = configuration.providerOrganizationName
    settings.providerEmail = configuration.providerEmail
    return (configuration, settings)
}
