import WIBLFormat

/// The columns gathered from a file's packets (`processing.md` §8), before interpolation: each
/// observation kind as an `x` column (unwrapped elapsed time) and its value columns.
struct SeriesColumns {
    var loggerVersion = ""
    var metadata: Metadata?
    var jsonMetadata: TextPayload?
    var setups: [TextPayload] = []
    var timeX: [Double] = []
    var timeRef: [Double] = []
    var positionX: [Double] = []
    var latitudes: [Double] = []
    var longitudes: [Double] = []
    var depthX: [Double] = []
    var depths: [Double] = []
    var headingX: [Double] = []
    var headings: [Double] = []
    var temperatureX: [Double] = []
    var temperatures: [Double] = []
    var windX: [Double] = []
    var windDirections: [Double] = []
    var windSpeeds: [Double] = []

    /// Reserves room for about `count` entries in the main columns.
    mutating func reserve(_ count: Int) {
        for keyPath in [\Self.timeX, \.timeRef, \.positionX, \.latitudes, \.longitudes, \.depthX, \.depths] {
            self[keyPath: keyPath].reserveCapacity(count)
        }
    }

    /// §9: time and position interpolated at every depth.
    func interpolatedDepth() -> DepthSeries {
        var depth = DepthSeries()
        depth.t = Interpolation.interp(depthX, timeX, timeRef)
        depth.lat = Interpolation.interp(depthX, positionX, latitudes)
        depth.lon = Interpolation.interp(depthX, positionX, longitudes)
        depth.z = depths
        return depth
    }

    /// §9 for an auxiliary series: time and position interpolated at its `x` values.
    func auxiliary(_ x: [Double], _ values: [[Double]]) -> AuxiliarySeries {
        var series = AuxiliarySeries()
        guard !x.isEmpty else { return series }
        series.t = Interpolation.interp(x, timeX, timeRef)
        series.lat = Interpolation.interp(x, positionX, latitudes)
        series.lon = Interpolation.interp(x, positionX, longitudes)
        series.values = values
        return series
    }
}
