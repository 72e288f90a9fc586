import JSONValue

/// The outcome of ``Ledger/apply(_:file:actor:)``.
public enum LedgerResult: Sendable, Hashable {
    /// The entry was written; the record includes it.
    case appended(LedgerEntry, LedgerRecord)
    /// Nothing written: already so, or a duplicate (the reason says which).
    case unchanged(reason: String, LedgerRecord)
    /// Nothing written: not allowed in the current state.
    case refused(reason: String, LedgerRecord)

    /// The record after the action.
    public var record: LedgerRecord {
        switch self {
        case .appended(_, let record), .unchanged(_, let record), .refused(_, let record): record
        }
    }
}

/// The pipeline's ledger: one record per logger file, keyed by the SHA-256 of the file's bytes, kept
/// under `wibl-ledger/` in the staging bucket (no notification matches that prefix).
///
/// **Why append-only, create-only entries rather than compare-and-swap.** Each change is a new
/// object `wibl-ledger/<sha256>/<seq>.json`, written with `If-None-Match: *`; the record is the
/// list of its entries and its state is their fold (``LedgerRecord/state``). Two writers that
/// read the same history both try the same next sequence number and exactly one wins (412 for the
/// other, which reads again and re-decides). We chose this over `If-Match: <ETag>` on a single
/// object because (1) `If-None-Match: *` behaves the same on AWS, moto and Ceph RGW while `If-Match`
/// does not (RGW 16.2 refuses the quoted ETag AWS returns; cloud.md §8.2); (2) entries never change,
/// so the history (who/what/when) is kept by construction and a reader can cache them; (3) a lost
/// reply is harmless: after a retry answered 412, the writer finds its own entry by its nonce.
public struct Ledger: Sendable {
    /// The reserved key prefix.
    public static let prefix = "wibl-ledger/"

    /// Where the entries are.
    public var storage: any LedgerStorage
    /// Now, microseconds since the epoch.
    public var clock: @Sendable () -> Int64
    /// Attempts before ``LedgerError/contention(file:attempts:)``.
    public var maximumAttempts: Int

    /// Creates a ledger.
    public init(storage: any LedgerStorage, clock: @escaping @Sendable () -> Int64, maximumAttempts: Int = 8) {
        self.storage = storage
        self.clock = clock
        self.maximumAttempts = maximumAttempts
    }

    /// `wibl-ledger/<file>/<seq, 6 digits>.json`.
    public static func key(file: String, sequence: Int) -> String {
        let digits = String(sequence)
        return prefix + file + "/" + String(repeating: "0", count: max(0, 6 - digits.count)) + digits + ".json"
    }

    /// Whether `text` is a file id: 64 lower-case hex digits.
    public static func isFileID(_ text: String) -> Bool {
        text.utf8.count == 64 && text.utf8.allSatisfy { (48...57).contains($0) || (97...102).contains($0) }
    }

    /// The record of `file` (empty when unknown).
    public func record(file: String) async throws -> LedgerRecord {
        try await extend(LedgerRecord(file: file))
    }

    /// Reads the entries after the last one `record` has (entries never change, so they are not read again).
    func extend(_ record: LedgerRecord) async throws -> LedgerRecord {
        var record = record
        while true {
            let key = Self.key(file: record.file, sequence: record.nextSequence)
            guard let bytes = try await storage.read(key: key) else { return record }
            record.entries.append(try Self.decode(bytes, key: key))
        }
    }

    static func decode(_ bytes: [UInt8], key: String) throws -> LedgerEntry {
        let json: JSONValue
        do {
            json = try JSONValue.parse(bytes)
        } catch {
            throw LedgerError.malformedEntry(key: key, reason: "\(error)")
        }
        return try LedgerEntry(json: json, key: key)
    }

    /// Decides `action` on the current record and, when it says so, appends the entry atomically.
    ///
    /// - Parameters:
    ///   - action: What to record.
    ///   - file: The file id (SHA-256 hex).
    ///   - actor: Who asks (`submit <request id>` …).
    /// - Throws: ``LedgerError`` (storage failures, contention) or the storage's error.
    public func apply(_ action: LedgerAction, file: String, actor: String) async throws -> LedgerResult {
        var record = try await record(file: file)
        for _ in 0..<maximumAttempts {
            switch LedgerMachine.decide(action, on: record, now: clock(), actor: actor) {
            case .unchanged(let reason): return .unchanged(reason: reason, record)
            case .refused(let reason): return .refused(reason: reason, record)
            case .append(var entry):
                entry.sequence = record.nextSequence
                entry.nonce = Self.makeNonce()
                let key = Self.key(file: file, sequence: entry.sequence)
                let written = try await storage.create(key: key, bytes: entry.json.serializedBytes())
                if written {
                    record.entries.append(entry)
                    return .appended(entry, record)
                }
                // Another writer got there first — or our own write landed and its reply was lost.
                record = try await extend(record)
                if let mine = record.entries.first(where: { $0.sequence == entry.sequence }), mine.nonce == entry.nonce
                {
                    return .appended(mine, record)
                }
            }
        }
        throw LedgerError.contention(file: file, attempts: maximumAttempts)
    }

    /// Every record under the ledger prefix (optionally only ids starting with `filePrefix`).
    public func records(filePrefix: String = "") async throws -> [LedgerRecord] {
        let keys = try await storage.list(prefix: Self.prefix + filePrefix)
        var grouped: [(String, [String])] = []
        for key in keys {
            let rest = key.dropFirst(Self.prefix.count)
            guard let slash = rest.firstIndex(of: "/") else { continue }
            let file = String(rest[..<slash])
            guard Self.isFileID(file) else { continue }
            if grouped.last?.0 == file {
                grouped[grouped.count - 1].1.append(key)
            } else {
                grouped.append((file, [key]))
            }
        }
        var records: [LedgerRecord] = []
        for (file, entryKeys) in grouped {
            var record = LedgerRecord(file: file)
            for key in entryKeys {
                guard let bytes = try await storage.read(key: key) else { continue }
                record.entries.append(try Self.decode(bytes, key: key))
            }
            record.entries.sort { $0.sequence < $1.sequence }
            records.append(record)
        }
        return records
    }

    static func makeNonce() -> String {
        var generator = SystemRandomNumberGenerator()
        let hex = Array("0123456789abcdef")
        return String((0..<24).map { _ in hex[Int(generator.next(upperBound: UInt8(16)))] })
    }
}
