/// Why the ledger could not be read or written.
public enum LedgerError: Error, Sendable, Hashable, CustomStringConvertible {
    /// An entry object is not a ledger entry.
    case malformedEntry(key: String, reason: String)
    /// Other writers kept winning: no entry could be appended after this many tries.
    case contention(file: String, attempts: Int)
    /// The storage failed (S3 error text); transient unless the text says otherwise.
    case storage(operation: String, key: String, reason: String, isTransient: Bool)
    /// The name is not a ledger file id (64 lower-case hex digits) or a prefix of one.
    case badFileID(String)

    /// A sentence.
    public var description: String {
        switch self {
        case .malformedEntry(let key, let reason): "the ledger entry \(key) is not readable: \(reason)"
        case .contention(let file, let attempts):
            "the ledger record \(file) changed under us \(attempts) times; try again"
        case .storage(let operation, let key, let reason, _): "ledger \(operation) of \(key) failed: \(reason)"
        case .badFileID(let id): "'\(id)' is not a ledger file id (the SHA-256 of the file, in hex)"
        }
    }

    /// Whether trying again later may succeed (S3 unavailable, throttling, timeouts, contention).
    public var isTransient: Bool {
        switch self {
        case .contention: true
        case .storage(_, _, _, let transient): transient
        default: false
        }
    }
}
