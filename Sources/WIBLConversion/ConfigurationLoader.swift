import WIBLGeoJSON
import WIBLProcessing
import WIBLSystem

/// Why the processing configuration could not be loaded.
public enum ConfigurationLoadError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The configuration file could not be read.
    case unreadable(SystemError)
    /// The configuration file is larger than any configuration can be.
    case tooLarge(path: String, size: Int)
    /// A key of the file has a bad value (or the file is not JSON).
    case invalid(path: String, ConfigurationError)
    /// No provider id was given anywhere.
    case missingProviderID

    /// A sentence for the user.
    public var description: String {
        switch self {
        case .unreadable(let error): "cannot read the configuration: \(error)"
        case .tooLarge(let path, let size):
            "cannot read the configuration: '\(path)' is \(size) bytes, more than the limit of \(ConfigurationLoader.sizeLimit) bytes."
        case .invalid(let path, let error): "\(path): \(error)"
        case .missingProviderID: ConfigurationError.missingProviderID.description
        }
    }
}

/// Loads the processing configuration and builds the GeoJSON settings, the same way for `wibl`
/// and for the `process` Lambda.
public enum ConfigurationLoader {
    /// The largest configuration file accepted, in bytes.
    public static let sizeLimit = 1 << 20

    /// The configuration file at `path` (`--config` or `WIBL_CONFIG_FILE`), else the built-in default.
    ///
    /// - Throws: ``ConfigurationLoadError`` naming the file and, for a bad value, the key.
    public static func load(_ path: String?) throws(ConfigurationLoadError) -> ProcessingConfiguration {
        guard let path, !path.isEmpty else {
            do {
                return try ProcessingConfiguration(json: Array(ProcessingConfiguration.embeddedDefaultJSON.utf8))
            } catch {
                throw .invalid(path: "the built-in configuration", error)
            }
        }
        let bytes: [UInt8]
        do {
            bytes = try readWholeFile(path, limit: sizeLimit)
        } catch let error as SystemError {
            throw .unreadable(error)
        } catch let error as FileTooLargeError {
            throw .tooLarge(path: path, size: error.size)
        } catch {
            throw .unreadable(SystemError("read", path: path, code: EIO))
        }
        do {
            return try ProcessingConfiguration(json: bytes)
        } catch {
            throw .invalid(path: path, error)
        }
    }

    /// The configuration and GeoJSON settings of a conversion run.
    ///
    /// - Parameters:
    ///   - configPath: `--config`, else `WIBL_CONFIG_FILE`; `nil` for the built-in default.
    ///   - providerID: `--provider-id` or `PROVIDER_ID`; else the configuration's `provider_id`.
    ///   - isStrict: Whether damaged packets refuse the file (`--strict`).
    /// - Throws: ``ConfigurationLoadError``.
    public static func settings(
        configPath: String?, providerID: String?, isStrict: Bool = false
    ) throws(ConfigurationLoadError) -> (ProcessingConfiguration, GeoJSONSettings) {
        var configuration = try load(configPath)
        if isStrict { configuration.isStrict = true }
        guard let provider = providerID ?? configuration.providerID, !provider.isEmpty else {
            throw .missingProviderID
        }
        configuration.providerID = provider
        return (configuration, GeoJSONSettings(providerID: provider, configuration: configuration))
    }
}

extension GeoJSONSettings {
    /// Settings for this software, with the trusted-node values of `configuration`.
    public init(providerID: String, configuration: ProcessingConfiguration) {
        self.init(providerID: providerID, software: WIBLSoftware.name)
        providerOrganizationName = configuration.providerOrganizationName
        providerEmail = configuration.providerEmail
    }
}
