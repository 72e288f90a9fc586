import WIBLCloud
import WIBLGeoJSON
import WIBLProcessing

/// Reads the processing configuration: `--config FILE`, else `WIBL_CONFIG_FILE`, else the
/// embedded default; the provider id from `--provider-id`, else `PROVIDER_ID`, else the file.
/// The provider id is checked first, and an error blames the flag or variable it came from.
///
/// - Throws: ``ConfigurationError`` or ``CloudConfigurationError`` (exit code 6).
func loadSettings(
    configPath: String?, providerID: String?, strict: Bool
) throws -> (ProcessingConfiguration, GeoJSONSettings) {
    let given = try checkedProviderID(option: providerID)
    var configuration = try PipelineFactory.loadConfiguration(configPath ?? environment("WIBL_CONFIG_FILE"))
    if strict { configuration.isStrict = true }
    guard let provider = given ?? configuration.providerID, !provider.isEmpty else {
        throw ConfigurationError.missingProviderID
    }
    configuration.providerID = provider
    return (configuration, GeoJSONSettings(providerID: provider, configuration: configuration))
}

/// The provider id of `--provider-id`, else of `PROVIDER_ID`, checked; `nil` when neither is given.
///
/// - Throws: ``ConfigurationError/badProviderID(value:source:)`` naming the flag or the variable.
func checkedProviderID(option: String?) throws -> String? {
    if let option {
        try ProcessingConfiguration.checkProviderID(option, source: "--provider-id")
        return option
    }
    if let variable = environment("PROVIDER_ID") {
        try ProcessingConfiguration.checkProviderID(variable, source: "the environment variable PROVIDER_ID")
        return variable
    }
    return nil
}
