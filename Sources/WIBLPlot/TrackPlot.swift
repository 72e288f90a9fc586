import WIBLSystem  // libc (cos)

/// How a plot looks.
public struct PlotOptions: Sendable, Hashable {
    /// Width of the whole picture, in SVG pixels.
    public var width: Int = 900
    /// Height of the whole picture, in SVG pixels.
    public var height: Int = 700
    /// Side of a thinning cell in pixels: all soundings that fall into one cell are drawn as one
    /// point coloured by their mean depth, so memory and file size are bounded by the picture size.
    public var cellPixels: Int = 2

    /// Creates the default options (900 × 700 pixels, 2-pixel cells).
    public init() {}
}

/// A picture of one or more sounding tracks, coloured by depth (see ``TrackPlot/svg()``).
///
/// Feed it tracks with ``add(vesselID:longitudes:latitudes:depths:times:)``: each track is thinned
/// at once to the pixel grid of its own extent, so only a bounded number of points per track is
/// kept (at most one per cell), whatever the size of the input. Drawing thins again on the grid of
/// the whole picture.
///
/// Projection: equirectangular, with longitude scaled by the cosine of the latitude at the centre
/// of the map (a local projection: distances and angles are right near the centre latitude; north
/// is up). Longitudes are taken in the −180…180 or the 0…360 frame, whichever gives the narrower
/// extent, so a track across the antimeridian is drawn in one piece.
public struct TrackPlot: Sendable {
    /// One drawn point: mean position and depth of the soundings of one cell.
    struct Point: Sendable, Hashable {
        var longitude: Double
        var latitude: Double
        var depth: Double
    }

    /// The options in use.
    public let options: PlotOptions
    /// Thinned points of every track added so far (longitudes in −180…180).
    private(set) var points: [Point] = []
    /// Soundings added (finite ones, before thinning).
    public private(set) var soundingCount = 0
    /// Soundings ignored because a coordinate or the depth was not finite or out of range.
    public private(set) var ignoredCount = 0
    /// Vessel ids in the order they were first seen.
    public private(set) var vesselIDs: [String] = []
    /// Earliest and latest time (seconds since 1970-01-01 UTC), if any track had times.
    public private(set) var timeRange: ClosedRange<Double>?
    /// Shallowest and deepest depth (metres), over every sounding (not the thinned means).
    public private(set) var depthRange: ClosedRange<Double>?

    /// Creates an empty plot.
    public init(options: PlotOptions = PlotOptions()) {
        self.options = options
    }

    /// Number of points that will be drawn, before the final thinning.
    public var keptPointCount: Int { points.count }

    /// Adds one track.
    ///
    /// - Parameters:
    ///   - vesselID: Shown in the title.
    ///   - longitudes: Degrees east, one per sounding.
    ///   - latitudes: Degrees north.
    ///   - depths: Metres.
    ///   - times: Seconds since 1970-01-01 UTC (may be empty when unknown).
    ///   The arrays are read up to the shortest of the first three.
    public mutating func add(
        vesselID: String, longitudes: [Double], latitudes: [Double], depths: [Double], times: [Double] = []
    ) {
        if !vesselIDs.contains(vesselID) { vesselIDs.append(vesselID) }
        let count = min(longitudes.count, latitudes.count, depths.count)
        var lons: [Double] = []
        var lats: [Double] = []
        var zs: [Double] = []
        lons.reserveCapacity(count)
        lats.reserveCapacity(count)
        zs.reserveCapacity(count)
        for i in 0..<count {
            let lon = longitudes[i]
            let lat = latitudes[i]
            let z = depths[i]
            guard lon.isFinite, lat.isFinite, z.isFinite, abs(lat) <= 90, abs(lon) <= 360 else {
                ignoredCount += 1
                continue
            }
            lons.append(Self.normalised(lon))
            lats.append(lat)
            zs.append(z)
            depthRange = depthRange.map { min($0.lowerBound, z)...max($0.upperBound, z) } ?? z...z
            if i < times.count, times[i].isFinite {
                let t = times[i]
                timeRange = timeRange.map { min($0.lowerBound, t)...max($0.upperBound, t) } ?? t...t
            }
        }
        soundingCount += lons.count
        guard !lons.isEmpty else { return }
        let thinned = thin(
            lons.indices.lazy.map { Point(longitude: lons[$0], latitude: lats[$0], depth: zs[$0]) }, count: lons.count)
        points += thinned
    }

    /// Longitude in −180…180.
    static func normalised(_ longitude: Double) -> Double {
        var lon = longitude.truncatingRemainder(dividingBy: 360)
        if lon > 180 { lon -= 360 }
        if lon < -180 { lon += 360 }
        return lon
    }

    /// Bins points onto the picture's grid over their own extent; one mean point per occupied cell.
    func thin(_ input: some Sequence<Point>, count: Int) -> [Point] {
        guard let frame = MapFrame(points: input, layout: Layout(options)) else { return [] }
        let columns = max(1, Int(frame.layout.plotWidth) / max(1, options.cellPixels))
        let rows = max(1, Int(frame.layout.plotHeight) / max(1, options.cellPixels))
        var cells: [Int: (lon: Double, lat: Double, depth: Double, n: Double)] = [:]
        var order: [Int] = []
        for p in input {
            let (x, y) = frame.project(p)
            let column = min(columns - 1, max(0, Int((x - frame.layout.plotX) / Double(options.cellPixels))))
            let row = min(rows - 1, max(0, Int((y - frame.layout.plotY) / Double(options.cellPixels))))
            let key = row * columns + column
            let lon = frame.frameLongitude(p.longitude)
            if let cell = cells[key] {
                cells[key] = (cell.lon + lon, cell.lat + p.latitude, cell.depth + p.depth, cell.n + 1)
            } else {
                cells[key] = (lon, p.latitude, p.depth, 1)
                order.append(key)
            }
        }
        return order.compactMap { key in
            guard let c = cells[key] else { return nil }
            return Point(longitude: Self.normalised(c.lon / c.n), latitude: c.lat / c.n, depth: c.depth / c.n)
        }
    }
}

/// Where things go on the picture.
struct Layout: Sendable {
    var width: Double
    var height: Double
    var plotX: Double
    var plotY: Double
    var plotWidth: Double
    var plotHeight: Double

    init(_ options: PlotOptions) {
        width = Double(max(300, options.width))
        height = Double(max(240, options.height))
        plotX = 80
        plotY = 70
        plotWidth = width - plotX - 170
        plotHeight = height - plotY - 70
    }
}

/// The projection of a set of points onto the plot area.
struct MapFrame: Sendable {
    /// Mean Earth radius (IUGG), metres: one degree of latitude is R·π/180 ≈ 111.195 km.
    static let metresPerDegree = 6_371_008.8 * Double.pi / 180
    /// The smallest extent drawn (degrees of latitude, ≈ 220 m), so one sounding or a vessel at
    /// rest still gives a readable map.
    static let minimumExtent = 0.002

    let layout: Layout
    /// Whether longitudes are taken in 0…360 (tracks across the antimeridian).
    let usesEastFrame: Bool
    let west: Double
    let east: Double
    let south: Double
    let north: Double
    /// cos(centre latitude).
    let xScale: Double
    /// Pixels per degree of latitude.
    let pixelsPerDegree: Double
    let originX: Double
    let originY: Double

    init?(points: some Sequence<TrackPlot.Point>, layout: Layout) {
        var minA = Double.infinity
        var maxA = -Double.infinity
        var minB = Double.infinity
        var maxB = -Double.infinity
        var minLat = Double.infinity
        var maxLat = -Double.infinity
        for p in points {
            let b = p.longitude < 0 ? p.longitude + 360 : p.longitude
            minA = min(minA, p.longitude)
            maxA = max(maxA, p.longitude)
            minB = min(minB, b)
            maxB = max(maxB, b)
            minLat = min(minLat, p.latitude)
            maxLat = max(maxLat, p.latitude)
        }
        guard minLat.isFinite else { return nil }
        self.layout = layout
        usesEastFrame = maxB - minB < maxA - minA - 1e-9
        var w = usesEastFrame ? minB : minA
        var e = usesEastFrame ? maxB : maxA
        var s = minLat
        var n = maxLat
        let centreLatitude = (s + n) / 2
        xScale = max(0.01, cos(centreLatitude * Double.pi / 180))
        // Grow the smaller dimension to the minimum extent, then pad by 5 % on every side.
        if n - s < Self.minimumExtent {
            let middle = (s + n) / 2
            s = middle - Self.minimumExtent / 2
            n = middle + Self.minimumExtent / 2
        }
        if (e - w) * xScale < Self.minimumExtent {
            let middle = (w + e) / 2
            w = middle - Self.minimumExtent / xScale / 2
            e = middle + Self.minimumExtent / xScale / 2
        }
        let padX = (e - w) * 0.05
        let padY = (n - s) * 0.05
        west = w - padX
        east = e + padX
        south = s - padY
        north = n + padY
        pixelsPerDegree = min(layout.plotWidth / ((east - west) * xScale), layout.plotHeight / (north - south))
        // Centre the map in the plot area.
        originX = layout.plotX + (layout.plotWidth - (east - west) * xScale * pixelsPerDegree) / 2
        originY = layout.plotY + (layout.plotHeight - (north - south) * pixelsPerDegree) / 2
    }

    /// Longitude in this frame's range.
    func frameLongitude(_ longitude: Double) -> Double {
        usesEastFrame && longitude < 0 ? longitude + 360 : longitude
    }

    /// Picture coordinates (x right, y down) of a point.
    func project(_ p: TrackPlot.Point) -> (x: Double, y: Double) {
        (
            originX + (frameLongitude(p.longitude) - west) * xScale * pixelsPerDegree,
            originY + (north - p.latitude) * pixelsPerDegree
        )
    }

    /// Metres on the ground per picture pixel (exact at the centre latitude).
    var metresPerPixel: Double { Self.metresPerDegree / pixelsPerDegree }
}
