import JSONValue

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// The length of the track through a GeoJSON document's point features, in order, in nautical miles
/// (great-circle legs on a sphere of mean radius 6,371,008.8 m; 1 NM = 1852 m). `nil` when the
/// document has no point features.
public func trackNauticalMiles(geojson: JSONValue) -> Double? {
    guard let features = geojson["features"]?.arrayValue else { return nil }
    let radius = 6_371_008.8 / 1852
    var previous: (Double, Double)?
    var total = 0.0
    var points = 0
    for feature in features {
        guard let coordinates = feature["geometry"]?["coordinates"]?.arrayValue, coordinates.count >= 2,
            let lon = coordinates[0].doubleValue, let lat = coordinates[1].doubleValue
        else { continue }
        let point = (lat * .pi / 180, lon * .pi / 180)
        points += 1
        if let (lat0, lon0) = previous {
            let a =
                sin((point.0 - lat0) / 2) * sin((point.0 - lat0) / 2)
                + cos(lat0) * cos(point.0) * sin((point.1 - lon0) / 2) * sin((point.1 - lon0) / 2)
            total += 2 * radius * asin(min(1, sqrt(a)))
        }
        previous = point
    }
    return points == 0 ? nil : total
}
