import JSONValue
import NIOCore
import WIBLFormat
import WIBLProcessing

/// The soundings of one logger file or GeoJSON output, as `wibl plot` and `wibl summary` read them.
struct LoadedTrack: Sendable {
    /// Where it came from (a path, or `bundle.tgz/wibl-raw.3`).
    var source: String
    /// The vessel id (GeoJSON `uniqueVesselID`, else the logger's unique id from a `.wibl` file).
    var vesselID: String
    /// Seconds since 1970-01-01 UTC, one per sounding (NaN where a GeoJSON time could not be read).
    var times: [Double] = []
    /// Degrees north.
    var latitudes: [Double] = []
    /// Degrees east.
    var longitudes: [Double] = []
    /// Metres.
    var depths: [Double] = []

    /// Number of soundings.
    var count: Int { depths.count }
}

/// Why a track could not be read.
enum TrackLoadError: Error, CustomStringConvertible {
    /// The input is neither a readable WIBL file nor a GeoJSON FeatureCollection.
    case notGeoJSON(source: String, reason: String)
    /// The WIBL file could not be decoded.
    case decode(source: String, WIBLDecodeError)
    /// The processing refused the WIBL file.
    case processing(source: String, ProcessingError)

    var description: String {
        switch self {
        case .notGeoJSON(let source, let reason): "\(source) is not a B-12 GeoJSON file: \(reason)"
        case .decode(let source, let error): "\(source): \(error.description)"
        case .processing(let source, let error): "\(source): \(error.description)"
        }
    }
}

/// Reading tracks from bytes.
enum TrackSource {
    /// Whether a name looks like GeoJSON (`.geojson` or `.json`), rather than a logger file.
    static func isGeoJSONName(_ name: String) -> Bool {
        let lower = name.lowercased()
        return lower.hasSuffix(".geojson") || lower.hasSuffix(".json")
    }

    /// Reads a track from the bytes of a GeoJSON file or a `.wibl` file (chosen by name; a `.wibl`
    /// file is decoded and processed with `configuration`).
    static func load(_ bytes: ByteBuffer, source: String, configuration: ProcessingConfiguration) throws -> LoadedTrack
    {
        if isGeoJSONName(source) {
            let document: JSONValue
            do {
                document = try JSONValue.parse(bytes.readableBytesView)
            } catch {
                throw TrackLoadError.notGeoJSON(source: source, reason: error.description)
            }
            return try track(fromGeoJSON: document, source: source)
        }
        return try track(fromWIBL: bytes, source: source, configuration: configuration)
    }

    /// Decodes and processes a `.wibl` file into its soundings.
    static func track(fromWIBL bytes: ByteBuffer, source: String, configuration: ProcessingConfiguration) throws
        -> LoadedTrack
    {
        let file: WIBLFile
        do {
            file = try WIBLFile.decode(bytes, options: DecodingOptions(isStrict: configuration.isStrict))
        } catch {
            throw TrackLoadError.decode(source: source, error)
        }
        let processed: ProcessedFile
        do {
            processed = try processWIBL(
                file, configuration: configuration, options: ProcessingOptions(fileName: source, nowMicroseconds: 0))
        } catch {
            throw TrackLoadError.processing(source: source, error)
        }
        var track = LoadedTrack(source: source, vesselID: processed.loggerName ?? "(no logger id)")
        track.times = processed.depth.t
        track.latitudes = processed.depth.lat
        track.longitudes = processed.depth.lon
        track.depths = processed.depth.z
        return track
    }

    /// Reads the Point features of a B-12 FeatureCollection (`geojson-b12.md`).
    static func track(fromGeoJSON document: JSONValue, source: String) throws -> LoadedTrack {
        guard document["type"]?.stringValue == "FeatureCollection", let features = document["features"]?.arrayValue
        else {
            throw TrackLoadError.notGeoJSON(source: source, reason: "no FeatureCollection with a \"features\" array.")
        }
        let properties = document["properties"]
        let vessel =
            properties?["trustedNode"]?["uniqueVesselID"]?.stringValue ?? properties?["platform"]?["uniqueID"]?
            .stringValue ?? "(no vessel id)"
        var track = LoadedTrack(source: source, vesselID: vessel)
        track.times.reserveCapacity(features.count)
        track.latitudes.reserveCapacity(features.count)
        track.longitudes.reserveCapacity(features.count)
        track.depths.reserveCapacity(features.count)
        for feature in features {
            guard let coordinates = feature["geometry"]?["coordinates"]?.arrayValue, coordinates.count >= 2,
                let lon = coordinates[0].doubleValue, let lat = coordinates[1].doubleValue,
                let depth = feature["properties"]?["depth"]?.doubleValue
            else { continue }
            track.longitudes.append(lon)
            track.latitudes.append(lat)
            track.depths.append(depth)
            track.times.append(feature["properties"]?["time"]?.stringValue.flatMap(parseB12Time) ?? .nan)
        }
        return track
    }

    /// Seconds since 1970-01-01 UTC of `YYYY-MM-DDTHH:MM:SS[.f…]Z` (`geojson-b12.md` §3), or `nil`.
    static func parseB12Time(_ text: String) -> Double? {
        let b = Array(text.utf8)
        guard b.count >= 20, b[4] == 0x2D, b[7] == 0x2D, b[10] == 0x54, b[13] == 0x3A, b[16] == 0x3A,
            b.last == 0x5A
        else { return nil }
        func number(_ range: Range<Int>) -> Int64? {
            var value: Int64 = 0
            for i in range {
                guard b[i] >= 0x30, b[i] <= 0x39 else { return nil }
                value = value * 10 + Int64(b[i] - 0x30)
            }
            return value
        }
        guard let year = number(0..<4), let month = number(5..<7), let day = number(8..<10),
            let hour = number(11..<13), let minute = number(14..<16), let second = number(17..<19),
            (1...12).contains(month), (1...31).contains(day), hour < 24, minute < 60, second < 61
        else { return nil }
        var fraction = 0.0
        if b.count > 20 {
            guard b[19] == 0x2E, b.count > 21 else { return nil }
            var scale = 0.1
            for i in 20..<(b.count - 1) {
                guard b[i] >= 0x30, b[i] <= 0x39 else { return nil }
                fraction += Double(b[i] - 0x30) * scale
                scale /= 10
            }
        } else if b[19] != 0x5A {
            return nil
        }
        // Days from the civil date (the inverse of the era-based civil-from-days algorithm).
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        let days = era * 146_097 + dayOfEra - 719_468
        return Double(days * 86_400 + hour * 3600 + minute * 60 + second) + fraction
    }
}
