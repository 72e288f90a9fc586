import WIBLConversion
import WIBLGeoJSON
import WIBLProcessing
import WIBLSystem

/// Reads the processing configuration: `--config FILE`, else `WIBL_CONFIG_FILE`, else the
/// embedded default; the provider id from `--provider-id`, else `PROVIDER_ID`, else the file.
///
/// - Throws: ``ConfigurationLoadError`` (exit code 6).
func loadSettings(
    configPath: String?, providerID: String?, strict: Bool
) throws -> (ProcessingConfiguration, GeoJSONSettings) {
    try ConfigurationLoader.settings(
        configPath: configPath ?? Environment.nonEmpty("WIBL_CONFIG_FILE"),
        providerID: providerID ?? Environment.nonEmpty("PROVIDER_ID"), isStrict: strict)
}
