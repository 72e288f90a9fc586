import ArgumentParser
import JSONValue
import S3
import WIBLLedger
import WIBLSystem

/// Where the ledger is: `--ledger-bucket`, else `STAGING_BUCKET`, else the bucket named.
struct LedgerOptions: ParsableArguments {
    @Option(
        name: .customLong("ledger-bucket"),
        help: "The bucket holding wibl-ledger/ (the staging bucket; default: STAGING_BUCKET, else the bucket given).")
    var ledgerBucket: String?

    @OptionGroup var s3: S3Options

    func ledgerBucket(default bucket: String) -> String {
        if let ledgerBucket, !ledgerBucket.isEmpty { return ledgerBucket }
        if let text = Environment.all()["STAGING_BUCKET"], !text.isEmpty { return text }
        return bucket
    }
}

/// Now, microseconds since the epoch (the ledger's clock).
@Sendable func ledgerNow() -> Int64 { SystemClock.wallMicroseconds() }

/// `wibl status s3://BUCKET[/prefix]`: the pipeline's ledger, summed up.
struct StatusCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract: "Show the pipeline's ledger: files per state, what was submitted, and what needs attention.",
        discussion: """
            BUCKET is the staging bucket (which holds wibl-ledger/) or the incoming bucket (then give \
            --ledger-bucket or set STAGING_BUCKET; incoming .wibl files with no ledger entry are listed too). \
            A prefix limits the report to files whose incoming or staged key starts with it. Exit code 0 \
            when nothing needs attention, 1 when some file is failed, invalid, refused, unknown or stale.
            Example: wibl status s3://wibl-staging --json
            """
    )

    @Argument(help: "s3://BUCKET[/prefix]")
    var location: String

    @Flag(help: "Print the report as JSON.")
    var json = false

    @OptionGroup var options: LedgerOptions

    func validate() throws {
        guard S3Location(location) != nil else { throw ValidationError("'\(location)' is not s3://bucket[/prefix].") }
    }

    func run() async throws {
        guard let target = S3Location(location) else { throw WIBLExitCode.configuration }
        let ledgerBucket = options.ledgerBucket(default: target.bucket)
        var report: LedgerReport?
        try await reportingErrors(json: json ? JSONObject() : nil) {
            try await options.s3.withClient { client in
                let ledger = Ledger(storage: S3LedgerStorage(client: client, bucket: ledgerBucket), clock: ledgerNow)
                var records = try await ledger.records()
                var unrecorded: [String] = []
                if target.bucket != ledgerBucket || !target.key.isEmpty {
                    records = records.filter { $0.lies(in: target.bucket, under: target.key) }
                }
                if target.bucket != ledgerBucket {
                    let known = Set(records.flatMap(\.sources))
                    let prefix = listablePrefix(target.key)
                    for try await page in client.listObjectsPages(bucket: target.bucket, prefix: prefix) {
                        for object in page.objects
                        where object.key.hasPrefix(target.key) && object.key.lowercased().hasSuffix(".wibl") {
                            let reference = LedgerObject(bucket: target.bucket, key: object.key)
                            if !known.contains(reference) { unrecorded.append(reference.description) }
                        }
                    }
                }
                report = LedgerReport(records: records, unrecorded: unrecorded, now: ledgerNow())
            }
        }
        guard let report else { throw WIBLExitCode.remote }
        if json {
            print(String(decoding: report.json.serializedBytes(), as: UTF8.self))
        } else {
            print(report.text, terminator: "")
        }
        if !report.problems.isEmpty { throw WIBLExitCode.otherFailure }
    }
}

/// The shared part of `wibl resubmit` and `wibl reprocess`: find the named files and record the request.
struct LedgerActionArguments: ParsableArguments {
    @Argument(help: "Files: ledger ids (SHA-256), or s3:// locations of their incoming or staged objects.")
    var files: [String]

    @Flag(help: "For a file whose state is unknown: you checked with DCDB that it did not receive it.")
    var confirmNotReceived = false

    @Option(
        help:
            "The staging bucket holding wibl-ledger/ (default: STAGING_BUCKET, else the bucket of the first s3:// file)."
    )
    var ledgerBucket: String?

    @OptionGroup var s3: S3Options

    func run(command: String, action: LedgerAction, next: String) async throws {
        let bucket =
            ledgerBucket ?? Environment.all()["STAGING_BUCKET"] ?? files.compactMap { S3Location($0)?.bucket }.first
        guard let bucket, !bucket.isEmpty else {
            throw SettingError("give --ledger-bucket (the staging bucket) or set STAGING_BUCKET")
        }
        let user = Environment.all()["USER"] ?? "operator"
        var failures = 0
        try await reportingErrors {
            try await s3.withClient { client in
                let ledger = Ledger(storage: S3LedgerStorage(client: client, bucket: bucket), clock: ledgerNow)
                let all = files.allSatisfy(Ledger.isFileID) ? [] : try await ledger.records()
                for name in files {
                    let id: String?
                    if Ledger.isFileID(name) {
                        id = name
                    } else if let location = S3Location(name) {
                        id = all.first { $0.names(LedgerObject(bucket: location.bucket, key: location.key)) }?.file
                    } else {
                        id = nil
                    }
                    guard let id else {
                        print("\(name): not in the ledger")
                        failures += 1
                        continue
                    }
                    switch try await ledger.apply(action, file: id, actor: "wibl \(command) \(user)") {
                    case .appended(_, let record):
                        print("\(name): recorded (\(record.state?.rawValue ?? "?")); \(next)")
                    case .unchanged(let reason, _):
                        print("\(name): nothing to do: \(reason)")
                    case .refused(let reason, _):
                        print("\(name): not done: \(reason)")
                        failures += 1
                    }
                }
            }
        }
        if failures > 0 { throw WIBLExitCode.otherFailure }
    }
}

/// `wibl resubmit FILE…`: ask for files to be posted to DCDB again (recorded in the ledger).
struct ResubmitCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "resubmit",
        abstract: "Mark refused (or unknown, with --confirm-not-received) files for submission again.",
        discussion: """
            The request is recorded in each file's ledger history; the next reconcile run (or a submit \
            invocation for the staged object) posts it, once. A file DCDB accepted is never posted again. \
            A file whose state is unknown may already be at DCDB: check with DCDB first, then pass \
            --confirm-not-received.
            """
    )

    @OptionGroup var arguments: LedgerActionArguments

    func run() async throws {
        try await arguments.run(
            command: "resubmit", action: .resubmit(confirmNotReceived: arguments.confirmNotReceived),
            next: "the next reconcile run submits it")
    }
}

/// `wibl reprocess FILE…`: ask for files to be converted again (recorded in the ledger).
struct ReprocessCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "reprocess",
        abstract: "Mark failed, invalid or refused files for conversion again (e.g. after a configuration fix).",
        discussion: """
            The request is recorded in each file's ledger history; the next reconcile run converts the \
            file again from its incoming object. A file DCDB accepted is never reprocessed; an unknown one \
            needs --confirm-not-received.
            """
    )

    @OptionGroup var arguments: LedgerActionArguments

    func run() async throws {
        try await arguments.run(
            command: "reprocess", action: .reprocess(confirmNotReceived: arguments.confirmNotReceived),
            next: "the next reconcile run converts it again")
    }
}
