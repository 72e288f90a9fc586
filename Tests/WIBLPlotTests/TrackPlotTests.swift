import Foundation
import Testing
import WIBLSystem
import WIBLTestSupport

@testable import WIBLPlot

#if canImport(FoundationXML)
    import FoundationXML
#endif

/// `TrackPlot`: thinning, projection, edge cases, and the SVG as a renderer draws it.
@Suite struct TrackPlotTests {
    /// A diagonal track from (70.02 W, 43.00 N) to (69.98 W, 43.03 N), depth 10 → 30 m.
    func diagonal(count: Int = 200) -> (lon: [Double], lat: [Double], z: [Double], t: [Double]) {
        let steps = (0..<count).map { Double($0) / Double(count - 1) }
        return (
            steps.map { -70.02 + 0.04 * $0 }, steps.map { 43.0 + 0.03 * $0 }, steps.map { 10 + 20 * $0 },
            steps.map { 1_577_836_800 + 3600 * $0 }
        )
    }

    func isWellFormedXML(_ text: String) -> Bool {
        let parser = XMLParser(data: Data(text.utf8))
        return parser.parse()
    }

    @Test func svgIsWellFormedAndHasEveryPart() throws {
        var plot = TrackPlot()
        let track = diagonal()
        plot.add(
            vesselID: "UNHJHC-<Gulf & Surveyor>", longitudes: track.lon, latitudes: track.lat, depths: track.z,
            times: track.t)
        let svg = plot.svg()
        #expect(isWellFormedXML(svg))
        #expect(svg.contains("UNHJHC-&lt;Gulf &amp; Surveyor&gt;"), "vessel id in the title, escaped")
        #expect(svg.contains("2020-01-01 00:00:00Z – 2020-01-01 01:00:00Z · 200 soundings"))
        #expect(svg.contains("Depth (m)") && svg.contains("10.0 m") && svg.contains("30.0 m"), "legend in metres")
        #expect(svg.contains(">N</text>"), "north arrow")
        #expect(svg.contains(" km</text>") || svg.contains(" m</text>"), "scale bar label")
        #expect(svg.contains("Projection: equirectangular, longitude scaled by cos(43.015°)"))
        #expect(svg.components(separatedBy: "<circle").count - 1 == 200, "200 soundings far apart: 200 points")
    }

    @Test func rendersColouredPointsWhereTheTrackIs() throws {
        var plot = TrackPlot()
        let track = diagonal()
        plot.add(vesselID: "V", longitudes: track.lon, latitudes: track.lat, depths: track.z, times: track.t)
        let image = try render(plot.svg())
        #expect(image.width == 900 && image.height == 700)
        let frame = try #require(MapFrame(points: plot.points, layout: Layout(plot.options)))
        // The shallowest point is drawn yellow (the top of viridis), the deepest purple (its bottom):
        // sample the pixel under each circle's centre.
        let cells = plot.finalCells(frame)
        let first = try #require(cells.min { $0.depth < $1.depth })
        let last = try #require(cells.max { $0.depth < $1.depth })
        let shallow = image.pixel(Int(first.x), Int(first.y))
        let deep = image.pixel(Int(last.x), Int(last.y))
        #expect(close(shallow, Viridis.colour(at: 1)), "shallow end drawn yellow: \(shallow)")
        #expect(close(deep, Viridis.colour(at: 0)), "deep end drawn purple: \(deep)")
        // North-west of the middle of the track there is no sounding: the map background shows.
        let middle = frame.project(.init(longitude: -70.0, latitude: 43.015, depth: 0))
        let empty = image.pixel(Int(middle.x) - 60, Int(middle.y) - 60)
        #expect(empty.r == 0xF4 && empty.g == 0xF6 && empty.b == 0xF8, "background away from the track: \(empty)")
        // The track goes south-west → north-east: along it every pixel is coloured.
        for step in stride(from: 10, to: 190, by: 20) {
            let p = frame.project(.init(longitude: track.lon[step], latitude: track.lat[step], depth: 0))
            let pixel = image.pixel(Int(p.x.rounded()), Int(p.y.rounded()))
            #expect(!(pixel.r == 0xF4 && pixel.g == 0xF6 && pixel.b == 0xF8), "sounding \(step) drawn")
        }
    }

    @Test func noSoundingsGiveAnEmptyFrameThatSaysSo() throws {
        var plot = TrackPlot()
        plot.add(vesselID: "V", longitudes: [], latitudes: [], depths: [])
        let svg = plot.svg()
        #expect(svg.contains("No soundings to plot"))
        #expect(svg.contains("0 soundings"))
        #expect(!svg.contains("<circle"))
        #expect(isWellFormedXML(svg))
        _ = try render(svg)
    }

    @Test func oneSoundingIsDrawnInTheMiddleWithAReadableExtent() throws {
        var plot = TrackPlot()
        plot.add(vesselID: "V", longitudes: [-70], latitudes: [43], depths: [12.5], times: [1_577_836_800])
        let svg = plot.svg()
        #expect(svg.components(separatedBy: "<circle").count - 1 == 1)
        #expect(svg.contains("12.50 m"), "single-value legend")
        #expect(svg.contains("2020-01-01 00:00:00Z · 1 sounding"))
        let layout = Layout(plot.options)
        let frame = try #require(MapFrame(points: plot.points, layout: layout))
        let p = frame.project(plot.points[0])
        #expect(
            abs(p.x - (layout.plotX + layout.plotWidth / 2)) < 1
                && abs(p.y - (layout.plotY + layout.plotHeight / 2)) < 1)
        #expect(frame.metresPerPixel.isFinite && frame.metresPerPixel > 0)
        let image = try render(svg)
        let pixel = image.pixel(Int(p.x), Int(p.y))
        #expect(close(pixel, Viridis.colour(at: 0.5)))
    }

    @Test func aTrackAcrossTheAntimeridianIsDrawnInOnePiece() throws {
        var plot = TrackPlot()
        let lons = stride(from: 179.9, through: 180.1, by: 0.002).map { $0 > 180 ? $0 - 360 : $0 }
        plot.add(
            vesselID: "V", longitudes: lons, latitudes: lons.map { _ in -17.0 }, depths: lons.map { _ in 4000 })
        let layout = Layout(plot.options)
        let frame = try #require(MapFrame(points: plot.points, layout: layout))
        #expect(frame.usesEastFrame)
        let xs = plot.points.map { frame.project($0).x }
        let span = (xs.max() ?? 0) - (xs.min() ?? 0)
        // 0.2° of longitude at 17° S fills the width, not 359.8°.
        #expect(span > layout.plotWidth * 0.8 && span <= layout.plotWidth)
        let svg = plot.svg()
        #expect(svg.contains("179.") && svg.contains("°W") && svg.contains("°E"))
        #expect(isWellFormedXML(svg))
    }

    @Test func thinningBoundsTheNumberOfPoints() throws {
        var plot = TrackPlot()
        var lon = -70.0
        var lat = 43.0
        var lons: [Double] = []
        var lats: [Double] = []
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<300_000 {
            lon += Double.random(in: -1e-4...1e-4, using: &generator)
            lat += Double.random(in: -1e-4...1e-4, using: &generator)
            lons.append(lon)
            lats.append(lat)
        }
        plot.add(vesselID: "V", longitudes: lons, latitudes: lats, depths: lons.map { _ in 5 })
        plot.add(vesselID: "V", longitudes: lons, latitudes: lats, depths: lons.map { _ in 6 })
        let layout = Layout(plot.options)
        let cells = Int(layout.plotWidth / 2) * Int(layout.plotHeight / 2)
        #expect(plot.soundingCount == 600_000)
        #expect(plot.keptPointCount <= 2 * cells, "each track keeps at most one point per cell")
        let circles = plot.svg().components(separatedBy: "<circle").count - 1
        #expect(circles > 100 && circles <= cells)
        #expect(plot.vesselIDs == ["V"])
    }

    @Test func nonFiniteSoundingsAreLeftOutAndCounted() {
        var plot = TrackPlot()
        plot.add(vesselID: "V", longitudes: [1, .nan, 3, 400], latitudes: [1, 2, 95, 1], depths: [1, 2, 3, 4])
        #expect(plot.soundingCount == 1 && plot.ignoredCount == 3)
    }

    @Test(arguments: [
        (0.0, PlotColour(red: 0x44, green: 0x01, blue: 0x54)), (1.0, PlotColour(red: 0xFD, green: 0xE7, blue: 0x25)),
        (0.05, PlotColour(red: 0x46, green: 0x13, blue: 0x65)), (-3.0, PlotColour(red: 0x44, green: 0x01, blue: 0x54)),
    ])
    func viridisStopsAndInterpolation(fraction: Double, expected: PlotColour) {
        #expect(Viridis.colour(at: fraction) == expected)
    }

    @Test func scaleBarLengthsAreRound() {
        #expect(TrackPlot.niceLength(1234) == 1000)
        #expect(TrackPlot.niceLength(2600) == 2000)
        #expect(TrackPlot.niceLength(7.3) == 5)
        #expect(TrackPlot.niceLength(0.3) == 0.2)
        #expect(f(-0.04, 1) == "0.0" || f(-0.04, 1) == "-0.0")
        #expect(f(12.345, 2) == "12.35" && f(-3.5, 0) == "-4" && f(7, 3) == "7.000")
    }

    @Test func timesAreFormattedInUTC() {
        #expect(PlotTime.format(0) == "1970-01-01 00:00:00Z")
        #expect(PlotTime.format(951_782_400) == "2000-02-29 00:00:00Z")
        #expect(PlotTime.format(-1) == "1969-12-31 23:59:59Z")
    }

    // MARK: - helpers

    func close(_ pixel: (r: UInt8, g: UInt8, b: UInt8, a: UInt8), _ colour: PlotColour) -> Bool {
        abs(Int(pixel.r) - Int(colour.red)) <= 6 && abs(Int(pixel.g) - Int(colour.green)) <= 6
            && abs(Int(pixel.b) - Int(colour.blue)) <= 6
    }
}

/// Renders SVG text to a PNG with `rsvg-convert` (Debian `librsvg2-bin`, installed by
/// `scripts/install-test-tools.sh`) and decodes it.
func render(_ svg: String) throws -> PNGImage {
    let folder = try FileSystem.makeTemporaryFolder()
    try writeFile(folder + "/plot.svg", Array(svg.utf8))
    let candidates: [String] = ["/usr/bin/rsvg-convert", "/usr/local/bin/rsvg-convert"]
    let tool = candidates.first { (path: String) in access(path, X_OK) == 0 }
    let rsvg = try #require(tool, "rsvg-convert is missing: run scripts/install-test-tools.sh (librsvg2-bin)")
    let result = try runProcess(rsvg, ["-f", "png", "-o", folder + "/plot.png", folder + "/plot.svg"])
    try #require(result.status == 0, "rsvg-convert failed: \(result.stderr)")
    return try PNGImage(readWholeFile(folder + "/plot.png"))
}
