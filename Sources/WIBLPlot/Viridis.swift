/// An sRGB colour with 8-bit channels.
public struct PlotColour: Sendable, Hashable {
    /// Red, 0–255.
    public var red: UInt8
    /// Green, 0–255.
    public var green: UInt8
    /// Blue, 0–255.
    public var blue: UInt8

    /// Creates a colour.
    public init(red: UInt8, green: UInt8, blue: UInt8) {
        self.red = red
        self.green = green
        self.blue = blue
    }

    /// `#rrggbb`, as SVG wants it.
    public var hex: String {
        let digits = Array("0123456789abcdef")
        var text = "#"
        for channel in [red, green, blue] {
            text.append(digits[Int(channel >> 4)])
            text.append(digits[Int(channel & 0x0F)])
        }
        return text
    }
}

/// The viridis colour scale: perceptually uniform, readable in grey scale and by most colour-blind
/// readers.
///
/// The table holds eleven stops of the published scale (at 0, 0.1, …, 1; values as listed in
/// matplotlib's documentation of the colormap); colours between stops are interpolated linearly in
/// sRGB, which stays within a few units of the full 256-entry table.
public enum Viridis {
    /// The stops, from 0 (dark purple) to 1 (yellow).
    public static let stops: [PlotColour] = [
        PlotColour(red: 0x44, green: 0x01, blue: 0x54),
        PlotColour(red: 0x48, green: 0x24, blue: 0x75),
        PlotColour(red: 0x41, green: 0x44, blue: 0x87),
        PlotColour(red: 0x35, green: 0x5F, blue: 0x8D),
        PlotColour(red: 0x2A, green: 0x78, blue: 0x8E),
        PlotColour(red: 0x21, green: 0x91, blue: 0x8C),
        PlotColour(red: 0x22, green: 0xA8, blue: 0x84),
        PlotColour(red: 0x44, green: 0xBF, blue: 0x70),
        PlotColour(red: 0x7A, green: 0xD1, blue: 0x51),
        PlotColour(red: 0xBD, green: 0xDF, blue: 0x26),
        PlotColour(red: 0xFD, green: 0xE7, blue: 0x25),
    ]

    /// The colour at `fraction` (clamped to 0…1; NaN gives the first stop).
    public static func colour(at fraction: Double) -> PlotColour {
        let f = fraction.isNaN ? 0 : min(1, max(0, fraction))
        let position = f * Double(stops.count - 1)
        let lower = min(stops.count - 2, Int(position))
        let t = position - Double(lower)
        let a = stops[lower]
        let b = stops[lower + 1]
        func mix(_ x: UInt8, _ y: UInt8) -> UInt8 {
            UInt8(max(0, min(255, (Double(x) + (Double(y) - Double(x)) * t).rounded())))
        }
        return PlotColour(red: mix(a.red, b.red), green: mix(a.green, b.green), blue: mix(a.blue, b.blue))
    }
}
