import Logging
import WIBLSystem

/// A swift-log handler that writes one JSON object per line, for CloudWatch Logs.
///
/// Each line has `timestamp` (UTC, ISO 8601 with milliseconds), `level`, `message`, `logger` (the
/// label), then every metadata key (handler, provider and call metadata, the call winning), e.g.
/// `aws-request-id`. Metadata keys that would overwrite one of the fixed keys are written under
/// `metadata.<key>`. Each line goes to the sink in one piece (one `write(2)` for standard output).
public struct JSONLogHandler: LogHandler {
    /// Minimum level written.
    public var logLevel: Logger.Level
    /// Metadata added to every line.
    public var metadata: Logger.Metadata = [:]
    /// Contextual metadata (task locals, …).
    public var metadataProvider: Logger.MetadataProvider?
    /// The logger label.
    public let label: String
    private let sink: @Sendable ([UInt8]) -> Void

    /// Creates a handler.
    ///
    /// - Parameters:
    ///   - label: written as `logger`.
    ///   - level: the minimum level; by default `LOG_LEVEL` (see ``level(from:)``), else `.info`.
    ///   - metadataProvider: contextual metadata.
    ///   - sink: receives each line, newline included; standard output by default.
    public init(
        label: String,
        level: Logger.Level = JSONLogHandler.level(from: Environment.get("LOG_LEVEL")) ?? .info,
        metadataProvider: Logger.MetadataProvider? = nil,
        sink: @escaping @Sendable ([UInt8]) -> Void = JSONLogHandler.writeToStandardOutput
    ) {
        self.label = label
        self.logLevel = level
        self.metadataProvider = metadataProvider
        self.sink = sink
    }

    /// Parses a `LOG_LEVEL` value (`trace` … `critical`, any case; `warn` and `fatal` accepted).
    public static func level(from text: String?) -> Logger.Level? {
        guard let text else { return nil }
        switch text.lowercased() {
        case "trace": return .trace
        case "debug": return .debug
        case "info": return .info
        case "notice": return .notice
        case "warn", "warning": return .warning
        case "error": return .error
        case "critical", "fatal": return .critical
        default: return nil
        }
    }

    /// Writes `line` to file descriptor 1 in as few `write(2)` calls as it takes.
    @Sendable public static func writeToStandardOutput(_ line: [UInt8]) {
        line.withUnsafeBytes { raw in
            var offset = 0
            while offset < raw.count {
                let written = write(1, raw.baseAddress.map { $0 + offset }, raw.count - offset)
                if written <= 0 {
                    if written < 0 && errno == EINTR { continue }
                    return
                }
                offset += written
            }
        }
    }

    /// Handler metadata by key.
    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    /// Formats and writes one line.
    public func log(event: LogEvent) {
        var merged = metadata
        if let provided = metadataProvider?.get() { merged.merge(provided) { _, new in new } }
        if let call = event.metadata { merged.merge(call) { _, new in new } }
        sink(
            Self.line(
                timestampNanoseconds: SystemClock.wallNanoseconds(), level: event.level,
                message: event.message.description,
                label: label, metadata: merged))
    }

    /// The JSON line for one message (exposed for tests).
    public static func line(
        timestampNanoseconds: Int64, level: Logger.Level, message: String, label: String, metadata: Logger.Metadata
    ) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(128 + message.utf8.count)
        out.append(contentsOf: #"{"timestamp":""#.utf8)
        out.append(contentsOf: formatTimestamp(nanoseconds: timestampNanoseconds).utf8)
        out.append(contentsOf: #"","level":"#.utf8)
        appendJSONString(level.rawValue, to: &out)
        out.append(contentsOf: #","message":"#.utf8)
        appendJSONString(message, to: &out)
        out.append(contentsOf: #","logger":"#.utf8)
        appendJSONString(label, to: &out)
        let reserved: Set<String> = ["timestamp", "level", "message", "logger"]
        for key in metadata.keys.sorted() {
            guard let value = metadata[key] else { continue }
            out.append(UInt8(ascii: ","))
            appendJSONString(reserved.contains(key) ? "metadata." + key : key, to: &out)
            out.append(UInt8(ascii: ":"))
            appendMetadataValue(value, to: &out)
        }
        out.append(contentsOf: "}\n".utf8)
        return out
    }

    private static func appendMetadataValue(_ value: Logger.Metadata.Value, to out: inout [UInt8]) {
        switch value {
        case .string(let text): appendJSONString(text, to: &out)
        case .stringConvertible(let convertible): appendJSONString(convertible.description, to: &out)
        case .array(let values):
            out.append(UInt8(ascii: "["))
            for (index, element) in values.enumerated() {
                if index > 0 { out.append(UInt8(ascii: ",")) }
                appendMetadataValue(element, to: &out)
            }
            out.append(UInt8(ascii: "]"))
        case .dictionary(let dictionary):
            out.append(UInt8(ascii: "{"))
            for (index, key) in dictionary.keys.sorted().enumerated() {
                if index > 0 { out.append(UInt8(ascii: ",")) }
                appendJSONString(key, to: &out)
                out.append(UInt8(ascii: ":"))
                if let element = dictionary[key] { appendMetadataValue(element, to: &out) }
            }
            out.append(UInt8(ascii: "}"))
        }
    }

    /// `YYYY-MM-DDTHH:MM:SS.mmmZ` for a Unix time in nanoseconds (proleptic Gregorian, UTC).
    public static func formatTimestamp(nanoseconds: Int64) -> String {
        let milliseconds = UTCCalendar.floorDivide(nanoseconds, 1_000_000)
        let seconds = UTCCalendar.floorDivide(milliseconds, 1000)
        let f = UTCCalendar.fields(secondsSince1970: seconds)
        func pad(_ value: Int64, _ width: Int) -> String { UTCCalendar.padded(value, width) }
        return "\(pad(f.year, 4))-\(pad(f.month, 2))-\(pad(f.day, 2))T\(pad(f.hour, 2)):"
            + "\(pad(f.minute, 2)):\(pad(f.second, 2)).\(pad(milliseconds - seconds * 1000, 3))Z"
    }
}
