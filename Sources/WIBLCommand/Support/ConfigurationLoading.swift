import WIBLConversion
import WIBLGeoJSON
import WIBLProcessing
import WIBLSystem

/// Reads the processing configuration: `--config FILE`, else `WIBL_CONFIG_FILE`, else the
/// embedded default; the provider id from `--provider-id`, else `PROVIDER_ID`, else the file.
/// The provider id is checked first, and an error blames the flag or variable it came from.
///
/// - Throws: ``ConfigurationError`` (a bad provider id) or ``ConfigurationLoadError`` (exit code 6).
func loadSettings(
    configPath: String?, providerID: String?, strict: Bool
) throws -> (ProcessingConfiguration, GeoJSONSettings) {
    let given = try checkedProviderID(option: providerID)
    return try ConfigurationLoader.settings(
        configPath: configPath ?? Environment.nonEmpty("WIBL_CONFIG_FILE"), providerID: given, isStrict: strict)
}

/// The provider id of `--provider-id`, else of `PROVIDER_ID`, checked; `nil` when neither is given.
///
/// - Throws: ``ConfigurationError/badProviderID(value:source:)`` naming the flag or the variable.
func checkedProviderID(option: String?) throws -> String? {
    if let option {
        try ProcessingConfiguration.checkProviderID(option, source: "--provider-id")
        return option
    }
    if let variable = Environment.nonEmpty("PROVIDER_ID") {
        try ProcessingConfiguration.checkProviderID(variable, source: "the environment variable PROVIDER_ID")
        return variable
    }
    return nil
}
