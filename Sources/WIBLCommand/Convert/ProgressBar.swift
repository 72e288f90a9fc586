import WIBLSystem

/// A one-line progress bar on standard error, drawn only when standard error is a terminal.
///
/// Updated by the single task that collects batch results, so it needs no synchronisation.
struct ProgressBar {
    let total: Int
    let isEnabled: Bool
    private(set) var done = 0
    private var lastDrawn = -1

    init(total: Int, enabled: Bool = isatty(STDERR_FILENO) == 1) {
        self.total = total
        self.isEnabled = enabled && total > 0
    }

    /// Counts one more finished item and redraws when the shown percentage changes.
    mutating func advance(label: String) {
        done += 1
        guard isEnabled else { return }
        let percent = done * 100 / total
        guard percent != lastDrawn || done == total else { return }
        lastDrawn = percent
        let width = 30
        let filled = done * width / total
        let bar = String(repeating: "#", count: filled) + String(repeating: "-", count: width - filled)
        let shortLabel = label.count > 40 ? "…" + label.suffix(39) : label
        writeStandardError("\r[\(bar)] \(done)/\(total) \(shortLabel)\u{1B}[K")
        if done == total { writeStandardError("\r\u{1B}[K") }
    }
}

/// Writes text to standard error, unbuffered.
func writeStandardError(_ text: String) {
    var bytes = Array(text.utf8)
    var offset = 0
    while offset < bytes.count {
        let written = bytes.withUnsafeMutableBytes { raw in
            write(STDERR_FILENO, raw.baseAddress.map { $0 + offset }, raw.count - offset)
        }
        if written <= 0 { return }
        offset += written
    }
    bytes.removeAll()
}
