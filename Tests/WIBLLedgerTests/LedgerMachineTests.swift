import JSONValue
import NIOCore
import Testing
import WIBLLedger

let source = LedgerObject(bucket: "in", key: "a.wibl")
let staged = LedgerObject(bucket: "staging", key: "a.geojson")
let fileID = String(repeating: "ab", count: 32)

func record(_ events: [LedgerEntry]) -> LedgerRecord {
    var entries = events
    for index in entries.indices {
        entries[index].sequence = index
        entries[index].nonce = "n\(index)"
    }
    return LedgerRecord(file: fileID, entries: entries)
}

func processedEntry() -> LedgerEntry {
    LedgerEntry(event: .processed, time: 10, actor: "process", note: "", source: source, staged: staged, soundings: 5)
}

func claimEntry(deadline: Int64) -> LedgerEntry {
    LedgerEntry(event: .claimed, time: 20, actor: "submit r1", note: "", staged: staged, deadline: deadline)
}

/// The transitions as a pure function: no network, no clock.
@Suite struct LedgerMachineTests {
    func decide(_ action: LedgerAction, _ record: LedgerRecord, now: Int64 = 100) -> LedgerDecision {
        LedgerMachine.decide(action, on: record, now: now, actor: "test")
    }

    func appendedEvent(_ decision: LedgerDecision) -> LedgerEvent? {
        if case .append(let entry) = decision { return entry.event }
        return nil
    }

    @Test func aNewFileIsProcessedOnceAndDuplicatesChangeNothing() {
        let processed = LedgerAction.processed(
            source: source, staged: staged, soundings: 5, vesselID: "UNHJHC-x", nauticalMiles: 1.5)
        #expect(appendedEvent(decide(processed, record([]))) == .processed)
        let done = record([processedEntry()])
        guard case .unchanged(let reason) = decide(processed, done) else {
            Issue.record("a second processing must be a duplicate")
            return
        }
        #expect(reason.contains("duplicate"))
        #expect(
            decide(.seen(source: source), done)
                == .unchanged(reason: "duplicate delivery: s3://in/a.wibl is already recorded"))
        let other = LedgerObject(bucket: "in", key: "copy.wibl")
        #expect(appendedEvent(decide(.seen(source: other), done)) == .seen)
        #expect(
            record([processedEntry(), LedgerEntry(event: .seen, time: 1, actor: "", note: "", source: other)]).state
                == .processed)
    }

    @Test func permanentFailuresAreFinalForProcessing() {
        let failed = record([LedgerEntry(event: .failed, time: 1, actor: "", note: "", source: source)])
        #expect(failed.state == .failed)
        let again = LedgerAction.processed(
            source: source, staged: staged, soundings: 1, vesselID: "v", nauticalMiles: nil)
        guard case .unchanged = decide(again, failed) else {
            Issue.record("a failed file is not converted again without an operator")
            return
        }
        #expect(appendedEvent(decide(.reprocess(confirmNotReceived: false), failed)) == .reprocessRequested)
        let pending = record([failed.entries[0], LedgerEntry(event: .reprocessRequested, time: 2, actor: "", note: "")])
        #expect(pending.state == .pending)
        #expect(appendedEvent(decide(again, pending)) == .processed)
    }

    @Test func onlyAProcessedFileStagedAtTheSameKeyCanBeClaimed() {
        let processed = record([processedEntry()])
        guard case .append(let claim) = decide(.claim(staged: staged, deadline: 500), processed) else {
            Issue.record("a processed file can be claimed")
            return
        }
        #expect(claim.deadline == 500 && claim.staged == staged)
        let elsewhere = LedgerObject(bucket: "staging", key: "copy.geojson")
        guard case .unchanged = decide(.claim(staged: elsewhere, deadline: 500), processed) else {
            Issue.record("the copy staged by a losing duplicate is never posted")
            return
        }
        #expect(
            decide(.claim(staged: staged, deadline: 500), record([]))
                == .refused(reason: "the file is not in the ledger"))
    }

    @Test func aClaimIsExclusiveAndOnlyItsHolderRecordsTheOutcome() {
        let claimed = record([processedEntry(), claimEntry(deadline: 500)])
        #expect(claimed.state == .claimed)
        #expect(
            decide(.claim(staged: staged, deadline: 900), claimed, now: 200)
                == .unchanged(reason: "another invocation holds the claim"))
        let mine = LedgerAction.outcome(
            claimNonce: "n1", event: .submitted, message: "ok", httpStatus: 200, errorClass: nil)
        #expect(appendedEvent(decide(mine, claimed)) == .submitted)
        let theirs = LedgerAction.outcome(
            claimNonce: "other", event: .submitted, message: "ok", httpStatus: 200, errorClass: nil)
        #expect(decide(theirs, claimed) == .refused(reason: "the claim is no longer this invocation's"))
        #expect(appendedEvent(decide(.release(claimNonce: "n1", reason: "refused connection"), claimed)) == .released)
        let released = record([
            processedEntry(), claimEntry(deadline: 500), LedgerEntry(event: .released, time: 30, actor: "", note: ""),
        ])
        #expect(released.state == .processed)
    }

    @Test func aStaleClaimIsUnknownAndNeverPostedAgainWithoutConfirmation() {
        let claimed = record([processedEntry(), claimEntry(deadline: 500)])
        #expect(claimed.effectiveState(now: 400) == .claimed)
        #expect(claimed.effectiveState(now: 501) == .unknown)
        guard case .refused = decide(.claim(staged: staged, deadline: 900), claimed, now: 600) else {
            Issue.record("a stale claim is not claimed again")
            return
        }
        #expect(appendedEvent(decide(.expire, claimed, now: 600)) == .expired)
        #expect(decide(.expire, claimed, now: 400) == .unchanged(reason: "no stale claim"))
        guard case .refused(let reason) = decide(.resubmit(confirmNotReceived: false), claimed, now: 600) else {
            Issue.record("resubmitting an unknown file needs confirmation")
            return
        }
        #expect(reason.contains("--confirm-not-received"))
        #expect(appendedEvent(decide(.resubmit(confirmNotReceived: true), claimed, now: 600)) == .resubmitRequested)
    }

    @Test func submittedIsFinal() {
        let submitted = record([
            processedEntry(), claimEntry(deadline: 500),
            LedgerEntry(event: .submitted, time: 40, actor: "", note: ""),
        ])
        #expect(submitted.state == .submitted)
        for action in [
            LedgerAction.claim(staged: staged, deadline: 900), .resubmit(confirmNotReceived: true),
            .reprocess(confirmNotReceived: true),
        ] {
            if case .append = decide(action, submitted) { Issue.record("\(action) must not change a submitted file") }
        }
    }

    @Test func entriesRoundTripThroughJSON() throws {
        var entry = claimEntry(deadline: 1_700_000_000_000_000)
        entry.sequence = 3
        entry.nonce = "abc"
        entry.message = "ünïcode \"quoted\""
        let bytes = entry.json.serializedBytes()
        #expect(try LedgerEntry(json: JSONValue.parse(bytes), key: "k") == entry)
        #expect(String(decoding: bytes, as: UTF8.self).contains("\"iso\":\"1970-01-01T00:00:00Z\""))
        #expect(isoTime(microseconds: 1_700_000_000_000_000) == "2023-11-14T22:13:20Z")
    }

    @Test func theFileIDIsTheSHA256OfTheBytes() {
        #expect(
            ledgerFileID(of: ByteBuffer(string: "abc"))
                == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(Ledger.isFileID(ledgerFileID(of: ByteBuffer())))
        #expect(Ledger.key(file: fileID, sequence: 7) == "wibl-ledger/\(fileID)/000007.json")
    }

    @Test func trackLengthIsTheSumOfGreatCircleLegs() throws {
        // One minute of latitude is one nautical mile (on the sphere used here, within 0.2 %).
        let doc = try JSONValue.parse(
            #"{"features":[{"geometry":{"coordinates":[-70,43]}},{"geometry":{"coordinates":[-70,43.0166666667]}},{"geometry":{"coordinates":[-70,43.0333333333]}}]}"#
        )
        let miles = try #require(trackNauticalMiles(geojson: doc))
        #expect(abs(miles - 2.0) < 0.01)
        #expect(trackNauticalMiles(geojson: ["features": []]) == nil)
    }
}

/// The ledger over storage that behaves like S3's create-only writes, in memory.
@Suite struct LedgerMemoryTests {
    @Test func concurrentClaimsHaveExactlyOneWinner() async throws {
        let storage = MemoryLedgerStorage()
        let ledger = Ledger(storage: storage, clock: { 100 })
        let processed = LedgerAction.processed(
            source: source, staged: staged, soundings: 5, vesselID: "v", nauticalMiles: nil)
        guard case .appended = try await ledger.apply(processed, file: fileID, actor: "process") else {
            Issue.record("first processing is recorded")
            return
        }
        let winners = try await withThrowingTaskGroup(of: Bool.self) { group in
            for index in 0..<8 {
                group.addTask {
                    let result = try await ledger.apply(
                        .claim(staged: staged, deadline: 1000), file: fileID, actor: "submit \(index)")
                    if case .appended = result { return true }
                    return false
                }
            }
            var count = 0
            for try await won in group where won { count += 1 }
            return count
        }
        #expect(winners == 1)
        let final = try await ledger.record(file: fileID)
        #expect(final.entries.map(\.event) == [.processed, .claimed])
    }

    @Test func aWriteWhoseReplyWasLostIsRecognisedByItsNonce() async throws {
        /// Stores the entry but reports a lost race, as a retried PUT answered 412 would.
        actor LosingReplies: LedgerStorage {
            let inner = MemoryLedgerStorage()
            func create(key: String, bytes: [UInt8]) async throws -> Bool {
                _ = try await inner.create(key: key, bytes: bytes)
                return false
            }
            func read(key: String) async throws -> [UInt8]? { try await inner.read(key: key) }
            func list(prefix: String) async throws -> [String] { try await inner.list(prefix: prefix) }
        }
        let ledger = Ledger(storage: LosingReplies(), clock: { 100 })
        let result = try await ledger.apply(
            .failed(source: source, errorClass: "NoTimeSource", message: "no time"), file: fileID, actor: "process")
        guard case .appended(let entry, let record) = result else {
            Issue.record("the writer's own entry counts as written: \(result)")
            return
        }
        #expect(entry.errorClass == "NoTimeSource")
        #expect(record.entries.count == 1)
    }

    @Test func recordsAreListedAndGroupedByFile() async throws {
        let storage = MemoryLedgerStorage()
        let ledger = Ledger(storage: storage, clock: { 100 })
        let other = String(repeating: "cd", count: 32)
        _ = try await ledger.apply(
            .invalid(source: source, errorClass: "NotWIBL", message: "x"), file: fileID, actor: "p")
        _ = try await ledger.apply(
            .processed(source: source, staged: staged, soundings: 1, vesselID: "v", nauticalMiles: nil), file: other,
            actor: "p")
        _ = try await ledger.apply(.claim(staged: staged, deadline: 50), file: other, actor: "s")
        let records = try await ledger.records()
        #expect(records.map(\.file) == [fileID, other])
        #expect(records.map(\.state) == [.invalid, .claimed])
        #expect(records[1].effectiveState(now: 100) == .unknown)
    }
}
