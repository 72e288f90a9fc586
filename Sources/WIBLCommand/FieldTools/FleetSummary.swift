import WIBLSystem

/// What one file contributes to a fleet summary.
struct FileTally: Sendable {
    /// Where it came from.
    var source: String
    /// Its vessel id.
    var vesselID: String
    /// Soundings in the file.
    var soundings = 0
    /// Seconds between its first and last sounding.
    var seconds = 0.0
    /// Great-circle length of the track, metres.
    var metres = 0.0
    /// Shallowest and deepest sounding.
    var depthRange: ClosedRange<Double>?
    /// Earliest and latest time.
    var timeRange: ClosedRange<Double>?

    /// Steps faster than this (50 knots) are position jumps, not ship movement: a file that mixes
    /// NMEA2000 and NMEA0183 positions alternates between two tracks (`wibl-format.md` §8, the GGA
    /// quirk), and summing those jumps would count kilometres per second.
    static let maximumSpeedMetresPerSecond = 50 * 1852.0 / 3600
    /// Position noise allowed on top of the speed limit, metres.
    static let jitterMetres = 10.0
    /// After this many jumps in a row, the track restarts from the current sounding (without adding
    /// the jump), so one bad first position cannot hide the rest of the track.
    static let maximumRejectedInARow = 5

    /// Tallies a track: the distance is the sum of the great-circle distances between consecutive
    /// soundings in time order, leaving out soundings without a finite position and steps faster than
    /// ``maximumSpeedMetresPerSecond``; the time is the span from the earliest to the latest sounding.
    init(_ track: LoadedTrack) {
        source = track.source
        vesselID = track.vesselID
        soundings = track.count
        let hasTimes = track.times.count == track.count && track.times.allSatisfy(\.isFinite)
        var order = Array(0..<track.count)
        if hasTimes { order.sort { (track.times[$0], $0) < (track.times[$1], $1) } }
        var previous: (lat: Double, lon: Double, t: Double)?
        var rejectedInARow = 0
        for i in order {
            let z = track.depths[i]
            if z.isFinite { depthRange = depthRange.map { min($0.lowerBound, z)...max($0.upperBound, z) } ?? z...z }
            let t = i < track.times.count ? track.times[i] : .nan
            if t.isFinite { timeRange = timeRange.map { min($0.lowerBound, t)...max($0.upperBound, t) } ?? t...t }
            let lat = track.latitudes[i]
            let lon = track.longitudes[i]
            guard lat.isFinite, lon.isFinite, abs(lat) <= 90 else { continue }
            guard let last = previous else {
                previous = (lat, lon, t)
                continue
            }
            let step = Geodesy.greatCircleMetres(last.lat, last.lon, lat, lon)
            if hasTimes, step > Self.maximumSpeedMetresPerSecond * (t - last.t) + Self.jitterMetres {
                rejectedInARow += 1
                if rejectedInARow >= Self.maximumRejectedInARow {
                    previous = (lat, lon, t)
                    rejectedInARow = 0
                }
                continue
            }
            rejectedInARow = 0
            metres += step
            previous = (lat, lon, t)
        }
        if let timeRange { seconds = timeRange.upperBound - timeRange.lowerBound }
    }
}

/// Totals for one vessel (or the whole fleet).
struct VesselTotals: Sendable {
    /// The vessel id, or `TOTAL`.
    var vesselID: String
    /// Files read.
    var files = 0
    /// Soundings.
    var soundings = 0
    /// Sum of the files' time spans, seconds.
    var seconds = 0.0
    /// Sum of the files' track lengths, metres.
    var metres = 0.0
    /// Shallowest and deepest sounding.
    var depthRange: ClosedRange<Double>?
    /// Earliest and latest time.
    var timeRange: ClosedRange<Double>?

    /// Hours of logging (the sum of the files' spans).
    var hours: Double { seconds / 3600 }
    /// Nautical miles of track (1 NM = 1852 m).
    var nauticalMiles: Double { metres / 1852 }

    /// Adds a file.
    mutating func add(_ file: FileTally) {
        files += 1
        soundings += file.soundings
        seconds += file.seconds
        metres += file.metres
        depthRange = merge(depthRange, file.depthRange)
        timeRange = merge(timeRange, file.timeRange)
    }

    /// Adds another vessel's totals.
    mutating func add(_ other: VesselTotals) {
        files += other.files
        soundings += other.soundings
        seconds += other.seconds
        metres += other.metres
        depthRange = merge(depthRange, other.depthRange)
        timeRange = merge(timeRange, other.timeRange)
    }

    private func merge(_ a: ClosedRange<Double>?, _ b: ClosedRange<Double>?) -> ClosedRange<Double>? {
        guard let a else { return b }
        guard let b else { return a }
        return min(a.lowerBound, b.lowerBound)...max(a.upperBound, b.upperBound)
    }
}

/// Distances on the sphere.
enum Geodesy {
    /// Mean Earth radius (IUGG), metres.
    static let earthRadiusMetres = 6_371_008.8

    /// The great-circle distance between two positions in degrees (haversine formula, which stays
    /// accurate for the short steps between soundings).
    static func greatCircleMetres(_ lat1: Double, _ lon1: Double, _ lat2: Double, _ lon2: Double) -> Double {
        let radians = Double.pi / 180
        let dLat = (lat2 - lat1) * radians
        let dLon = (lon2 - lon1) * radians
        let a =
            sin(dLat / 2) * sin(dLat / 2) + cos(lat1 * radians) * cos(lat2 * radians) * sin(dLon / 2) * sin(dLon / 2)
        return 2 * earthRadiusMetres * asin(min(1, sqrt(a)))
    }
}
