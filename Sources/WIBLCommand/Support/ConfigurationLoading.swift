import WIBLCloud
import WIBLGeoJSON
import WIBLProcessing

/// Reads the processing configuration: `--config FILE`, else `WIBL_CONFIG_FILE`, else the
/// embedded default; the provider id from `--provider-id`, else `PROVIDER_ID`, else the file.
///
/// - Throws: ``CloudConfigurationError`` (exit code 6).
func loadSettings(
    configPath: String?, providerID: String?, strict: Bool
) throws -> (ProcessingConfiguration, GeoJSONSettings) {
    var configuration = try PipelineFactory.loadConfiguration(configPath ?? environment("WIBL_CONFIG_FILE"))
    if strict { configuration.isStrict = true }
    guard let provider = providerID ?? environment("PROVIDER_ID") ?? configuration.providerID, !provider.isEmpty else {
        throw CloudConfigurationError(ConfigurationError.missingProviderID.description)
    }
    configuration.providerID = provider
    return (configuration, GeoJSONSettings(providerID: provider, configuration: configuration))
}
