import Logging
import Synchronization

/// One captured log line.
public struct CapturedLogEntry: Sendable {
    /// The level.
    public var level: Logger.Level
    /// The message.
    public var message: String
    /// Handler and call metadata, merged.
    public var metadata: Logger.Metadata

    /// Message and metadata as one searchable text.
    public var rendered: String {
        message + " "
            + metadata.keys.sorted().map { "\($0)=\(metadata[$0].map { "\($0)" } ?? "")" }.joined(separator: " ")
    }
}

/// An in-memory swift-log destination for tests: every entry at every level is kept.
///
/// A `LogHandler` is called synchronously from any thread, so the entries sit behind a `Mutex`
/// (an actor cannot be awaited from `log(event:)`).
public final class LogCapture: Sendable {
    private let storage = Mutex<[CapturedLogEntry]>([])

    /// Creates an empty capture.
    public init() {}

    /// A logger writing into this capture at `level`.
    public func makeLogger(label: String = "test", level: Logger.Level = .trace) -> Logger {
        var logger = Logger(label: label) { _ in CaptureHandler(capture: self) }
        logger.logLevel = level
        return logger
    }

    /// The entries so far.
    public var entries: [CapturedLogEntry] { storage.withLock { $0 } }

    /// True when some entry's message or metadata contains `text`.
    public func contains(_ text: String) -> Bool { entries.contains { $0.rendered.contains(text) } }

    fileprivate func append(_ entry: CapturedLogEntry) { storage.withLock { $0.append(entry) } }
}

private struct CaptureHandler: LogHandler {
    let capture: LogCapture
    var logLevel: Logger.Level = .trace
    var metadata: Logger.Metadata = [:]
    var metadataProvider: Logger.MetadataProvider?

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        var merged = metadata
        if let provided = metadataProvider?.get() { merged.merge(provided) { _, new in new } }
        if let call = event.metadata { merged.merge(call) { _, new in new } }
        capture.append(CapturedLogEntry(level: event.level, message: event.message.description, metadata: merged))
    }
}
