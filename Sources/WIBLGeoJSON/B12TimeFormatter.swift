import WIBLSystem

/// Formats the feature times of one document quickly (`geojson-b12.md` §3).
///
/// Soundings of one file fall on one or a few days, so the `YYYY-MM-DDT` part is computed once per
/// day and kept; the time of day and the microseconds come from a two-digit table. The result is
/// byte-for-byte that of ``B12Time/append(_:to:)``.
public struct B12TimeFormatter: Sendable {
    private var cachedDay: Int64 = .min
    private var isCachedDayInRange = false
    /// The 27 bytes of the last time written; bytes 0–10 (`YYYY-MM-DDT`) belong to `cachedDay`.
    private var text = Array("0000-00-00T00:00:00.000000Z".utf8)

    /// `"00"…"99"` as byte pairs.
    private static let pairs: [UInt8] = {
        var table: [UInt8] = []
        table.reserveCapacity(200)
        for n in 0..<100 {
            table.append(UInt8(truncatingIfNeeded: 0x30 + n / 10))
            table.append(UInt8(truncatingIfNeeded: 0x30 + n % 10))
        }
        return table
    }()

    /// Creates a formatter with an empty cache.
    public init() {}

    /// Appends `YYYY-MM-DDTHH:MM:SS.ffffffZ` for `t` seconds since 1970-01-01T00:00:00Z.
    ///
    /// - Returns: `false`, appending nothing, when `t` is not finite or its year is outside
    ///   0001–9999 (`geojson-b12.md` G6, G7).
    @inline(__always)
    public mutating func append(_ t: Double, to out: inout [UInt8]) -> Bool {
        guard let (seconds, micro) = B12Time.split(t) else { return false }
        let day = seconds.floorDiv(86_400)
        if day != cachedDay { cacheDay(day) }
        guard isCachedDayInRange else { return false }
        let secondOfDay = Int(seconds - day * 86_400)
        let m = Int(micro)
        Self.pairs.withUnsafeBufferPointer { pairs in
            text.withUnsafeMutableBufferPointer { text in
                func put(_ value: Int, at index: Int) {
                    text[index] = pairs[2 * value]
                    text[index + 1] = pairs[2 * value + 1]
                }
                put(secondOfDay / 3600, at: 11)
                put(secondOfDay / 60 % 60, at: 14)
                put(secondOfDay % 60, at: 17)
                put(m / 10_000, at: 20)
                put(m / 100 % 100, at: 22)
                put(m % 100, at: 24)
            }
        }
        out.append(contentsOf: text)
        return true
    }

    private mutating func cacheDay(_ day: Int64) {
        cachedDay = day
        let c = B12Time.civil(day * 86_400)
        isCachedDayInRange = (1...9999).contains(c.year)
        guard isCachedDayInRange else { return }
        var prefix: [UInt8] = []
        B12Time.appendDigits(c.year, 4, &prefix)
        prefix.append(0x2D)  // '-'
        B12Time.appendDigits(c.month, 2, &prefix)
        prefix.append(0x2D)
        B12Time.appendDigits(c.day, 2, &prefix)
        text.replaceSubrange(0..<10, with: prefix)
    }
}
