extension TrackPlot {
    /// The picture as an SVG document (UTF-8 text, SVG 1.1).
    ///
    /// It shows the soundings coloured by depth on the ``Viridis`` scale (shallow yellow, deep
    /// purple) with a legend in metres, a scale bar, a north arrow, the extent in degrees, and a
    /// title with the vessel ids, the time span and the number of soundings. Without soundings it
    /// says so in the middle of an empty frame.
    public func svg() -> String {
        let layout = Layout(options)
        var out = SVGText()
        out.line(
            "<svg xmlns=\"http://www.w3.org/2000/svg\" version=\"1.1\" width=\"\(Int(layout.width))\" height=\"\(Int(layout.height))\" viewBox=\"0 0 \(Int(layout.width)) \(Int(layout.height))\" font-family=\"DejaVu Sans, Helvetica, Arial, sans-serif\">"
        )
        out.line(
            "<rect x=\"0\" y=\"0\" width=\"\(Int(layout.width))\" height=\"\(Int(layout.height))\" fill=\"#ffffff\"/>")
        out.line(
            "<text x=\"\(Int(layout.width / 2))\" y=\"28\" font-size=\"17\" text-anchor=\"middle\" font-weight=\"bold\">\(SVGText.escape(titleVessels))</text>"
        )
        out.line(
            "<text x=\"\(Int(layout.width / 2))\" y=\"50\" font-size=\"13\" text-anchor=\"middle\">\(SVGText.escape(titleDetails))</text>"
        )
        out.line(
            "<rect x=\"\(f(layout.plotX))\" y=\"\(f(layout.plotY))\" width=\"\(f(layout.plotWidth))\" height=\"\(f(layout.plotHeight))\" fill=\"#f4f6f8\" stroke=\"#333333\" stroke-width=\"1\"/>"
        )
        guard let frame = MapFrame(points: points, layout: layout), let depthRange else {
            out.line(
                "<text x=\"\(f(layout.plotX + layout.plotWidth / 2))\" y=\"\(f(layout.plotY + layout.plotHeight / 2))\" font-size=\"16\" text-anchor=\"middle\" fill=\"#555555\">No soundings to plot</text>"
            )
            out.line("</svg>")
            return out.text
        }
        let cells = finalCells(frame)
        drawPoints(cells, depthRange: depthRange, into: &out)
        drawExtent(frame: frame, into: &out)
        drawScaleBar(frame: frame, into: &out)
        drawNorthArrow(layout: layout, into: &out)
        drawLegend(layout: layout, depthRange: depthRange, into: &out)
        let footer =
            "Projection: equirectangular, longitude scaled by cos(\(f((frame.south + frame.north) / 2, 3))°) at the map centre. "
            + "\(soundingCount) soundings drawn as \(cells.count) points (mean depth per \(options.cellPixels)-pixel cell)."
        out.line(
            "<text x=\"\(f(layout.plotX))\" y=\"\(f(layout.height - 14))\" font-size=\"11\" fill=\"#444444\">\(SVGText.escape(footer))</text>"
        )
        out.line("</svg>")
        return out.text
    }

    /// The first title line: the vessel ids (at most three, then how many more).
    var titleVessels: String {
        if vesselIDs.isEmpty { return "No track" }
        let shown = vesselIDs.prefix(3).joined(separator: ", ")
        return vesselIDs.count > 3 ? shown + " and \(vesselIDs.count - 3) more" : shown
    }

    /// The second title line: time span and sounding count.
    var titleDetails: String {
        let count = soundingCount == 1 ? "1 sounding" : "\(soundingCount) soundings"
        guard let timeRange else { return count + " (no times)" }
        let start = PlotTime.format(timeRange.lowerBound)
        let end = PlotTime.format(timeRange.upperBound)
        return start == end ? "\(start) · \(count)" : "\(start) – \(end) · \(count)"
    }

    /// The final thinning: one point per cell of the whole picture.
    func finalCells(_ frame: MapFrame) -> [(x: Double, y: Double, depth: Double)] {
        let cell = Double(max(1, options.cellPixels))
        var cells: [Int: (x: Double, y: Double, depth: Double, n: Double)] = [:]
        var order: [Int] = []
        let columns = Int(frame.layout.width / cell) + 1
        for p in points {
            let (x, y) = frame.project(p)
            let key = Int(y / cell) * columns + Int(x / cell)
            if let c = cells[key] {
                cells[key] = (c.x + x, c.y + y, c.depth + p.depth, c.n + 1)
            } else {
                cells[key] = (x, y, p.depth, 1)
                order.append(key)
            }
        }
        return order.compactMap { key in cells[key].map { ($0.x / $0.n, $0.y / $0.n, $0.depth / $0.n) } }
    }

    /// Fraction on the colour scale: shallow → 1 (yellow), deep → 0 (purple).
    static func scaleFraction(depth: Double, range: ClosedRange<Double>) -> Double {
        let span = range.upperBound - range.lowerBound
        guard span > 0 else { return 0.5 }
        return 1 - (depth - range.lowerBound) / span
    }

    func drawPoints(
        _ cells: [(x: Double, y: Double, depth: Double)], depthRange: ClosedRange<Double>, into out: inout SVGText
    ) {
        let radius = max(1.5, Double(options.cellPixels) * 0.9)
        out.line("<g stroke=\"none\">")
        for c in cells {
            let colour = Viridis.colour(at: Self.scaleFraction(depth: c.depth, range: depthRange))
            out.line("<circle cx=\"\(f(c.x, 1))\" cy=\"\(f(c.y, 1))\" r=\"\(f(radius, 1))\" fill=\"\(colour.hex)\"/>")
        }
        out.line("</g>")
    }

    /// Longitudes and latitudes of the plot area's edges (the map may be narrower than the area).
    func drawExtent(frame: MapFrame, into out: inout SVGText) {
        let l = frame.layout
        let bottom = l.plotY + l.plotHeight
        let degreesPerPixelX = 1 / (frame.pixelsPerDegree * frame.xScale)
        let leftLongitude = frame.west - (frame.originX - l.plotX) * degreesPerPixelX
        let rightLongitude = leftLongitude + l.plotWidth * degreesPerPixelX
        let topLatitude = frame.north + (frame.originY - l.plotY) / frame.pixelsPerDegree
        let bottomLatitude = topLatitude - l.plotHeight / frame.pixelsPerDegree
        out.line(
            "<text x=\"\(f(l.plotX))\" y=\"\(f(bottom + 16))\" font-size=\"11\">\(PlotTime.longitude(Self.normalised(leftLongitude)))</text>"
        )
        out.line(
            "<text x=\"\(f(l.plotX + l.plotWidth))\" y=\"\(f(bottom + 16))\" font-size=\"11\" text-anchor=\"end\">\(PlotTime.longitude(Self.normalised(rightLongitude)))</text>"
        )
        out.line(
            "<text x=\"\(f(l.plotX - 6))\" y=\"\(f(bottom))\" font-size=\"11\" text-anchor=\"end\">\(PlotTime.latitude(bottomLatitude))</text>"
        )
        out.line(
            "<text x=\"\(f(l.plotX - 6))\" y=\"\(f(l.plotY + 10))\" font-size=\"11\" text-anchor=\"end\">\(PlotTime.latitude(topLatitude))</text>"
        )
    }

    /// The scale bar, centred below the map (outside it, so that it never hides soundings).
    func drawScaleBar(frame: MapFrame, into out: inout SVGText) {
        let l = frame.layout
        let metres = Self.niceLength(l.plotWidth / 4 * frame.metresPerPixel)
        let pixels = metres / frame.metresPerPixel
        let x = l.plotX + (l.plotWidth - pixels) / 2
        let y = l.plotY + l.plotHeight + 24
        let label = metres >= 1000 ? "\(f(metres / 1000, metres >= 10_000 ? 0 : 1)) km" : "\(f(metres, 0)) m"
        out.line("<rect x=\"\(f(x))\" y=\"\(f(y))\" width=\"\(f(pixels / 2))\" height=\"5\" fill=\"#222222\"/>")
        out.line(
            "<rect x=\"\(f(x + pixels / 2))\" y=\"\(f(y))\" width=\"\(f(pixels / 2))\" height=\"5\" fill=\"#ffffff\" stroke=\"#222222\" stroke-width=\"0.8\"/>"
        )
        out.line(
            "<text x=\"\(f(x + pixels / 2))\" y=\"\(f(y - 5))\" font-size=\"11\" text-anchor=\"middle\">\(label)</text>"
        )
    }

    /// The largest 1, 2 or 5 × 10ⁿ metres not above `metres`.
    static func niceLength(_ metres: Double) -> Double {
        guard metres.isFinite, metres > 0 else { return 1 }
        var power = 1.0
        while power * 10 <= metres { power *= 10 }
        while power > metres { power /= 10 }
        for step in [5.0, 2.0, 1.0] where power * step <= metres { return power * step }
        return power
    }

    /// The north arrow, in the right margin below the legend (north is up in this projection).
    func drawNorthArrow(layout l: Layout, into out: inout SVGText) {
        let x = l.plotX + l.plotWidth + 39
        let y = l.plotY + l.plotHeight - 50
        out.line(
            "<polygon points=\"\(f(x)),\(f(y)) \(f(x - 8)),\(f(y + 24)) \(f(x)),\(f(y + 18)) \(f(x + 8)),\(f(y + 24))\" fill=\"#222222\"/>"
        )
        out.line(
            "<text x=\"\(f(x))\" y=\"\(f(y + 38))\" font-size=\"13\" font-weight=\"bold\" text-anchor=\"middle\">N</text>"
        )
    }

    func drawLegend(layout l: Layout, depthRange: ClosedRange<Double>, into out: inout SVGText) {
        let x = l.plotX + l.plotWidth + 30
        let top = l.plotY + 30
        let height = min(360, l.plotHeight - 110)
        out.line("<text x=\"\(f(x))\" y=\"\(f(top - 12))\" font-size=\"12\" font-weight=\"bold\">Depth (m)</text>")
        out.line("<defs><linearGradient id=\"depthScale\" x1=\"0\" y1=\"0\" x2=\"0\" y2=\"1\">")
        // Top of the bar: shallow (yellow); bottom: deep (purple).
        for (i, colour) in Viridis.stops.reversed().enumerated() {
            out.line(
                "<stop offset=\"\(f(Double(i) / Double(Viridis.stops.count - 1), 2))\" stop-color=\"\(colour.hex)\"/>")
        }
        out.line("</linearGradient></defs>")
        let span = depthRange.upperBound - depthRange.lowerBound
        if span > 0 {
            out.line(
                "<rect x=\"\(f(x))\" y=\"\(f(top))\" width=\"18\" height=\"\(f(height))\" fill=\"url(#depthScale)\" stroke=\"#333333\" stroke-width=\"0.5\"/>"
            )
            for i in 0...4 {
                let fraction = Double(i) / 4
                let depth = depthRange.lowerBound + span * fraction
                let y = top + height * fraction
                out.line(
                    "<line x1=\"\(f(x + 18))\" y1=\"\(f(y))\" x2=\"\(f(x + 23))\" y2=\"\(f(y))\" stroke=\"#333333\"/>")
                out.line(
                    "<text x=\"\(f(x + 27))\" y=\"\(f(y + 4))\" font-size=\"11\">\(f(depth, span < 10 ? 2 : 1)) m</text>"
                )
            }
        } else {
            let colour = Viridis.colour(at: 0.5)
            out.line(
                "<rect x=\"\(f(x))\" y=\"\(f(top))\" width=\"18\" height=\"18\" fill=\"\(colour.hex)\" stroke=\"#333333\" stroke-width=\"0.5\"/>"
            )
            out.line(
                "<text x=\"\(f(x + 27))\" y=\"\(f(top + 13))\" font-size=\"11\">\(f(depthRange.lowerBound, 2)) m</text>"
            )
        }
    }
}

/// A number with a fixed count of decimals (no exponent), for SVG attributes and labels.
func f(_ value: Double, _ decimals: Int = 1) -> String {
    guard value.isFinite else { return "0" }
    var scale = 1.0
    for _ in 0..<decimals { scale *= 10 }
    let scaled = (abs(value) * scale).rounded()
    guard scaled < 9e15 else { return value < 0 ? "-9e15" : "9e15" }
    let whole = Int64(scaled) / Int64(scale)
    let fraction = Int64(scaled) % Int64(scale)
    var text = (value < 0 && scaled > 0 ? "-" : "") + String(whole)
    if decimals > 0 {
        let digits = String(fraction)
        text += "." + String(repeating: "0", count: decimals - digits.count) + digits
    }
    return text
}

/// The SVG text being built.
struct SVGText {
    var text = ""

    mutating func line(_ s: String) {
        text += s
        text += "\n"
    }

    /// Escapes the five XML special characters.
    static func escape(_ s: String) -> String {
        var out = ""
        for c in s {
            switch c {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&apos;"
            default:
                // Control characters are not allowed in XML 1.0 text.
                if let ascii = c.asciiValue, ascii < 0x20 { out += " " } else { out.append(c) }
            }
        }
        return out
    }
}

/// Labels for times and coordinates.
enum PlotTime {
    /// `YYYY-MM-DD HH:MM:SSZ` of seconds since 1970-01-01 UTC (proleptic Gregorian calendar).
    static func format(_ t: Double) -> String {
        guard t.isFinite, abs(t) < 1e13 else { return "?" }
        let seconds = Int64(t.rounded(.down))
        var days = seconds / 86_400
        var second = seconds % 86_400
        if second < 0 {
            second += 86_400
            days -= 1
        }
        // Civil date from days since 1970-01-01 (the era-based algorithm for the proleptic
        // Gregorian calendar: 400-year eras of 146 097 days, years starting in March).
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let mp = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        let year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)
        return
            "\(pad(year, 4))-\(pad(month, 2))-\(pad(day, 2)) \(pad(second / 3600, 2)):\(pad(second % 3600 / 60, 2)):\(pad(second % 60, 2))Z"
    }

    static func pad(_ value: Int64, _ width: Int) -> String {
        let text = String(value)
        return String(repeating: "0", count: max(0, width - text.count)) + text
    }

    static func latitude(_ value: Double) -> String { "\(f(abs(value), 4))°\(value < 0 ? "S" : "N")" }
    static func longitude(_ value: Double) -> String { "\(f(abs(value), 4))°\(value < 0 ? "W" : "E")" }
}
