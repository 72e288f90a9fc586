/// NMEA0183 checksums (`wibl-format.md` §8): XOR of every byte strictly between `$` and `*`.
public enum NMEA0183Checksum {
    /// The XOR of `bytes`.
    public static func compute(_ bytes: some Sequence<UInt8>) -> UInt8 {
        bytes.reduce(0, ^)
    }

    /// A full sentence: `$` + `body` + `*HH` (upper-case hex) + `terminator`.
    public static func sentence(_ body: String, terminator: String = "\r\n") -> String {
        let sum = compute(body.utf8)
        let digits = Array("0123456789ABCDEF")
        return "$" + body + "*" + String(digits[Int(sum >> 4)]) + String(digits[Int(sum & 0xF)]) + terminator
    }
}
