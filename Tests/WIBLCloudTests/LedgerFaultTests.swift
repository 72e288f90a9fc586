import AsyncHTTPClient
import JSONValue
import Logging
import NIOCore
import S3
import Testing
import WIBLLedger
import WIBLSystem
import WIBLTestSupport

/// The fault suite of issue 10: the built `bootstrap` as a subprocess under the local Runtime API,
/// against the S3 peer of `scripts/test.sh` (moto, or Ceph RGW: `WIBL_TEST_*`) and the local DCDB.
/// Each case asserts the exact number of POSTs that reached DCDB and the final ledger state.
@Suite(.serialized) struct LedgerFaultTests {
    typealias E2E = LambdaEndToEndTests

    /// One test's buckets, client and ledger reader.
    struct World {
        var peer: S3TestPeer
        var s3: S3Client
        var incoming: String
        var staging: String
        var wibl: [UInt8]

        var ledger: Ledger {
            Ledger(storage: S3LedgerStorage(client: s3, bucket: staging), clock: SystemClock.wallMicroseconds)
        }
        var file: String { ledgerFileID(of: ByteBuffer(bytes: wibl)) }

        func record() async throws -> LedgerRecord { try await ledger.record(file: file) }

        func environment(_ api: LocalRuntimeAPI, _ handler: String, s3Endpoint: String? = nil) -> [String: String] {
            var env = E2E.lambdaEnvironment(peer, runtimeAPI: api.address, handler: handler)
            env["STAGING_BUCKET"] = staging
            env["INCOMING_BUCKET"] = incoming
            env["WIBL_SAFETY_MARGIN_MS"] = "1500"
            if let s3Endpoint { env["AWS_ENDPOINT_URL_S3"] = s3Endpoint }
            return env
        }

        func submitEnvironment(_ api: LocalRuntimeAPI, _ dcdb: LocalDCDB, s3Endpoint: String? = nil) -> [String: String]
        {
            var env = environment(api, "submit", s3Endpoint: s3Endpoint)
            env["UPLOAD_POINT"] = dcdb.uploadPoint
            env["PROVIDER_AUTH"] = dcdb.expectedToken
            return env
        }
    }

    static func world(_ http: HTTPClient) async throws -> World {
        let peer = try E2E.peer()
        let s3 = try E2E.makeS3(peer, http)
        let suffix = String(UInt64.random(in: 0...UInt64.max), radix: 36)
        let world = World(
            peer: peer, s3: s3, incoming: "fin-\(suffix)", staging: "fst-\(suffix)",
            wibl: try Fixtures.bytes("wibl/synth-v1_0.wibl"))
        try await s3.createBucket(world.incoming)
        try await s3.createBucket(world.staging)
        return world
    }

    static func withHTTP(_ body: (HTTPClient) async throws -> Void) async throws {
        let http = HTTPClient(eventLoopGroupProvider: .singleton)
        do {
            try await body(http)
        } catch {
            try? await http.shutdown()
            throw error
        }
        try await http.shutdown()
    }

    /// The summary of a successful invocation (records an issue otherwise).
    static func summary(_ result: InvocationResult) -> JSONValue {
        guard case .response(let body) = result, let json = try? JSONValue.parse(body) else {
            Issue.record("the invocation failed: \(result)")
            return .null
        }
        return json
    }

    static func statuses(_ result: InvocationResult) -> [String] {
        summary(result)["items"]?.arrayValue?.compactMap { $0["status"]?.stringValue } ?? []
    }

    /// Puts the logger file in the incoming bucket and processes it once.
    static func processOnce(_ world: World, key: String = "2024/log 1.wibl") async throws {
        _ = try await world.s3.putObject(bucket: world.incoming, key: key, body: .bytes(world.wibl))
        try await withLocalRuntimeAPI { api in
            _ = try await E2E.withBootstrap(environment: world.environment(api, "process")) {
                #expect(statuses(await api.enqueue(E2E.event(bucket: world.incoming, key: key))) == ["processed"])
            }
        }
    }

    static func stagedKey(_ key: String = "2024/log 1.wibl") -> String { String(key.dropLast(5)) + ".geojson" }

    // MARK: - Duplicates

    @Test func aDuplicateIncomingEventIsNotConvertedOrPostedAgain() async throws {
        try await Self.withHTTP { http in
            let world = try await Self.world(http)
            try await Self.processOnce(world)
            let stagedBefore = try await world.s3.headObject(bucket: world.staging, key: Self.stagedKey())
            try await withLocalRuntimeAPI { api in
                _ = try await E2E.withBootstrap(environment: world.environment(api, "process")) {
                    let again = await api.enqueue(E2E.event(bucket: world.incoming, key: "2024/log 1.wibl"))
                    #expect(Self.statuses(again) == ["duplicate"])
                    #expect(Self.summary(again)["duplicates"] == 1)
                }
            }
            let stagedAfter = try await world.s3.headObject(bucket: world.staging, key: Self.stagedKey())
            #expect(stagedAfter?.eTag == stagedBefore?.eTag && stagedAfter?.lastModified == stagedBefore?.lastModified)
            try await withLocalDCDB { dcdb in
                try await withLocalRuntimeAPI { api in
                    _ = try await E2E.withBootstrap(environment: world.submitEnvironment(api, dcdb)) {
                        let event = E2E.event(bucket: world.staging, key: Self.stagedKey())
                        #expect(Self.statuses(await api.enqueue(event)) == ["submitted"])
                        #expect(Self.statuses(await api.enqueue(event)) == ["duplicate"])
                    }
                }
                #expect(await dcdb.requestCount() == 1)
            }
            let record = try await world.record()
            #expect(record.entries.map(\.event) == [.processed, .claimed, .submitted])
        }
    }

    @Test func theSameFileUnderTwoKeysIsOneLedgerEntryAndOnePost() async throws {
        try await Self.withHTTP { http in
            let world = try await Self.world(http)
            try await Self.processOnce(world, key: "a.wibl")
            _ = try await world.s3.putObject(bucket: world.incoming, key: "b.wibl", body: .bytes(world.wibl))
            try await withLocalDCDB { dcdb in
                try await withLocalRuntimeAPI { api in
                    _ = try await E2E.withBootstrap(environment: world.environment(api, "process")) {
                        #expect(
                            Self.statuses(await api.enqueue(E2E.event(bucket: world.incoming, key: "b.wibl"))) == [
                                "duplicate"
                            ])
                    }
                }
                #expect(
                    try await world.s3.headObject(bucket: world.staging, key: "b.geojson") == nil, "not staged twice")
                try await withLocalRuntimeAPI { api in
                    _ = try await E2E.withBootstrap(environment: world.submitEnvironment(api, dcdb)) {
                        #expect(
                            Self.statuses(await api.enqueue(E2E.event(bucket: world.staging, key: "a.geojson")))
                                == ["submitted"])
                    }
                }
                #expect(await dcdb.requestCount() == 1)
            }
            let record = try await world.record()
            #expect(record.state == .submitted)
            #expect(record.sources.map(\.key) == ["a.wibl", "b.wibl"])
        }
    }

    @Test func aReUploadOfTheSameKeyIsNotPostedAgain() async throws {
        try await Self.withHTTP { http in
            let world = try await Self.world(http)
            try await Self.processOnce(world)
            try await withLocalDCDB { dcdb in
                try await withLocalRuntimeAPI { api in
                    _ = try await E2E.withBootstrap(environment: world.submitEnvironment(api, dcdb)) {
                        #expect(
                            Self.statuses(
                                await api.enqueue(E2E.event(bucket: world.staging, key: Self.stagedKey()))) == [
                                    "submitted"
                                ])
                    }
                }
                _ = try await world.s3.putObject(
                    bucket: world.incoming, key: "2024/log 1.wibl", body: .bytes(world.wibl))
                try await withLocalRuntimeAPI { api in
                    _ = try await E2E.withBootstrap(environment: world.environment(api, "process")) {
                        #expect(
                            Self.statuses(
                                await api.enqueue(E2E.event(bucket: world.incoming, key: "2024/log 1.wibl"))) == [
                                    "duplicate"
                                ])
                    }
                }
                try await withLocalRuntimeAPI { api in
                    _ = try await E2E.withBootstrap(environment: world.submitEnvironment(api, dcdb)) {
                        #expect(
                            Self.statuses(
                                await api.enqueue(E2E.event(bucket: world.staging, key: Self.stagedKey()))) == [
                                    "duplicate"
                                ])
                    }
                }
                #expect(await dcdb.requestCount() == 1)
            }
            #expect(try await world.record().state == .submitted)
        }
    }

    @Test func eightConcurrentSubmitInvocationsPostExactlyOnce() async throws {
        try await Self.withHTTP { http in
            let world = try await Self.world(http)
            try await Self.processOnce(world)
            try await withLocalDCDB { dcdb in
                let event = E2E.event(bucket: world.staging, key: Self.stagedKey())
                // Eight execution environments, each with its own Runtime API and bootstrap.
                let results = try await withThrowingTaskGroup(of: [String].self) { group in
                    for _ in 0..<8 {
                        group.addTask {
                            try await withLocalRuntimeAPI { api in
                                var statuses: [String] = []
                                _ = try await E2E.withBootstrap(environment: world.submitEnvironment(api, dcdb)) {
                                    statuses = Self.statuses(await api.enqueue(event))
                                }
                                return statuses
                            }
                        }
                    }
                    var all: [String] = []
                    for try await statuses in group { all += statuses }
                    return all
                }
                #expect(await dcdb.requestCount() == 1, "exactly one POST")
                #expect(results.count { $0 == "submitted" } == 1)
                #expect(results.count { $0 == "duplicate" } == 7)
            }
            #expect(try await world.record().entries.map(\.event) == [.processed, .claimed, .submitted])
        }
    }

    // MARK: - Crashes

    @Test func killedRightAfterTheClaimNothingIsPostedAndTheFileShowsUnknown() async throws {
        try await Self.withHTTP { http in
            let world = try await Self.world(http)
            try await Self.processOnce(world)
            // DCDB holds the request without storing it; the claim is written before the POST.
            try await withLocalDCDB(behaviour: .slow(.seconds(3600))) { dcdb in
                try await withLocalRuntimeAPI { api in
                    let bootstrap = try Bootstrap(environment: world.submitEnvironment(api, dcdb))
                    let pending = Task { await api.enqueue(E2E.event(bucket: world.staging, key: Self.stagedKey())) }
                    try await Self.waitUntil { try await world.record().state == .claimed }
                    bootstrap.kill9()
                    pending.cancel()
                }
                try await Self.deliverAgainAndExpectNoPost(world, dcdb, posts: 0)
            }
            let record = try await world.record()
            #expect(record.state == .claimed)
            let deadline = try #require(record.activeClaim?.deadline)
            #expect(record.effectiveState(now: deadline + 1) == .unknown, "a stale claim shows as unknown")
        }
    }

    @Test func killedRightAfterDCDBAnsweredThereIsNoSecondPost() async throws {
        try await Self.withHTTP { http in
            let world = try await Self.world(http)
            try await Self.processOnce(world)
            try await withLocalDCDB { dcdb in
                // The outcome entry (sequence 2) never gets written: the process dies first.
                let outcomeKey = Ledger.key(file: world.file, sequence: 2)
                try await withFaultProxy(
                    upstream: world.peer.endpointURL,
                    rule: { request, _ in
                        request.method == "PUT" && request.path.hasSuffix(outcomeKey) ? .stall : .forward
                    }
                ) { proxy in
                    try await withLocalRuntimeAPI { api in
                        let bootstrap = try Bootstrap(
                            environment: world.submitEnvironment(api, dcdb, s3Endpoint: proxy.endpoint))
                        let pending = Task {
                            await api.enqueue(E2E.event(bucket: world.staging, key: Self.stagedKey()))
                        }
                        try await Self.waitUntil { await dcdb.acceptedUploads().count == 1 }
                        try await Self.waitUntil { proxy.requests().contains { $0.uri.hasSuffix(outcomeKey) } }
                        bootstrap.kill9()
                        pending.cancel()
                    }
                }
                try await Self.deliverAgainAndExpectNoPost(world, dcdb, posts: 1)
            }
            let record = try await world.record()
            #expect(record.state == .claimed)
            let deadline = try #require(record.activeClaim?.deadline)
            #expect(record.effectiveState(now: deadline + 1) == .unknown)
        }
    }

    // MARK: - DCDB faults

    @Test(arguments: [
        DCDBBehaviour.storeThenStall, .storeThenAnswer(status: 502), .storeThenAnswer(status: 504), .storeThenReset,
    ])
    func anUnclearDCDBAnswerIsUnknownAndPostedOnce(_ behaviour: DCDBBehaviour) async throws {
        try await Self.withHTTP { http in
            let world = try await Self.world(http)
            try await Self.processOnce(world)
            try await withLocalDCDB(behaviour: behaviour) { dcdb in
                try await withLocalRuntimeAPI { api in
                    let log = try await E2E.withBootstrap(environment: world.submitEnvironment(api, dcdb)) {
                        let result = await api.enqueue(
                            E2E.event(bucket: world.staging, key: Self.stagedKey()), timeout: .seconds(6))
                        #expect(Self.statuses(result) == ["unknown"])
                    }
                    #expect(!log.contains(dcdb.expectedToken))
                }
                try await Self.deliverAgainAndExpectNoPost(world, dcdb, posts: 1)
                #expect(await dcdb.storedUploads().count == 1)
            }
            #expect(try await world.record().state == .unknown)
        }
    }

    @Test func aRedirectIsNotFollowedAndTheTokenIsNotSentThere() async throws {
        try await Self.withHTTP { http in
            let world = try await Self.world(http)
            try await Self.processOnce(world)
            try await withLocalDCDB { elsewhere in
                try await withLocalDCDB(behaviour: .redirect(status: 307, location: elsewhere.uploadPoint)) { dcdb in
                    try await withLocalRuntimeAPI { api in
                        _ = try await E2E.withBootstrap(environment: world.submitEnvironment(api, dcdb)) {
                            let result = await api.enqueue(E2E.event(bucket: world.staging, key: Self.stagedKey()))
                            #expect(Self.statuses(result) == ["refused"])
                        }
                    }
                    #expect(await dcdb.requestCount() == 1)
                }
                #expect(await elsewhere.requestCount() == 0, "the redirect target saw nothing (and no token)")
            }
            let record = try await world.record()
            #expect(record.state == .refused)
            #expect(record.entries.last?.httpStatus == 307)
        }
    }

    @Test func aPlainHTTPUploadPointOffTheLoopbackIsRefusedAtInit() async throws {
        try await Self.withHTTP { http in
            let world = try await Self.world(http)
            try await withLocalRuntimeAPI { api in
                var env = world.environment(api, "submit")
                env["UPLOAD_POINT"] = "http://www.ngdc.noaa.gov/ingest-external/upload/csb/test/geojson/"
                env["PROVIDER_AUTH"] = "secret-token-for-the-test-0123"
                let log = try await E2E.withBootstrap(environment: env) {
                    try await Self.waitUntil { await !api.initErrors().isEmpty }
                }
                let errors = await api.initErrors()
                #expect(errors.count == 1)
                let body = String(decoding: errors.first?.body ?? [], as: UTF8.self)
                #expect(body.contains("https://"))
                #expect(
                    !body.contains("secret-token-for-the-test-0123") && !log.contains("secret-token-for-the-test-0123"))
            }
        }
    }

    // MARK: - Size, missed events, S3 faults

    @Test func anOversizeObjectIsRefusedWithoutDownload() async throws {
        try await Self.withHTTP { http in
            let world = try await Self.world(http)
            _ = try await world.s3.putObject(bucket: world.incoming, key: "big.wibl", body: .bytes(world.wibl))
            try await withFaultProxy(upstream: world.peer.endpointURL, rule: { _, _ in .forward }) { proxy in
                try await withLocalRuntimeAPI { api in
                    var env = world.environment(api, "process", s3Endpoint: proxy.endpoint)
                    env["MAX_OBJECT_BYTES"] = "1000"
                    _ = try await E2E.withBootstrap(environment: env) {
                        // The event carries the object's real size, as S3 sends it.
                        let event = E2E.event(bucket: world.incoming, key: "big.wibl", size: world.wibl.count)
                        let result = await api.enqueue(event)
                        #expect(Self.statuses(result) == ["invalid"])
                        #expect(Self.summary(result)["items"]?[0]?["errorClass"] == "TooLarge")
                    }
                }
                let gets = proxy.requests().filter {
                    $0.method == "GET" && $0.uri == "/\(world.incoming)/big.wibl"
                }
                #expect(gets.isEmpty, "the object was never downloaded")
            }
            let records = try await world.ledger.records()
            #expect(records.map(\.state) == [.invalid])
            #expect(records.first?.sources.map(\.key) == ["big.wibl"])
        }
    }

    @Test func anIncomingObjectWithNoEventIsFoundAndSubmittedByReconcile() async throws {
        try await Self.withHTTP { http in
            let world = try await Self.world(http)
            _ = try await world.s3.putObject(bucket: world.incoming, key: "missed.wibl", body: .bytes(world.wibl))
            try await withLocalDCDB { dcdb in
                try await withLocalRuntimeAPI { api in
                    var env = world.submitEnvironment(api, dcdb)
                    env["_HANDLER"] = "reconcile"
                    _ = try await E2E.withBootstrap(environment: env) {
                        let scheduled = Array(
                            #"{"version":"0","detail-type":"Scheduled Event","source":"aws.events","detail":{}}"#.utf8)
                        #expect(Self.statuses(await api.enqueue(scheduled)) == ["processed"])
                        #expect(Self.statuses(await api.enqueue(scheduled)) == ["submitted"])
                        #expect(Self.statuses(await api.enqueue(scheduled)) == [])
                    }
                }
                #expect(await dcdb.requestCount() == 1)
            }
            let record = try await world.record()
            #expect(record.state == .submitted)
            #expect(record.entries.allSatisfy { $0.actor.hasPrefix("reconcile ") })
        }
    }

    @Test func s3UnavailableDuringLedgerWritesIsRetriedAndNothingIsLost() async throws {
        try await Self.withHTTP { http in
            let world = try await Self.world(http)
            _ = try await world.s3.putObject(bucket: world.incoming, key: "a.wibl", body: .bytes(world.wibl))
            // The first attempt of every ledger write gets 503 SlowDown.
            let seen = Locked<Set<String>>([])
            try await withFaultProxy(
                upstream: world.peer.endpointURL,
                rule: { request, _ in
                    guard request.method == "PUT", request.path.contains("/wibl-ledger/") else { return .forward }
                    let first = seen.withLock { $0.insert(request.path).inserted }
                    return first ? .s3Error(503, "SlowDown") : .forward
                }
            ) { proxy in
                try await withLocalDCDB { dcdb in
                    try await withLocalRuntimeAPI { api in
                        _ = try await E2E.withBootstrap(
                            environment: world.environment(api, "process", s3Endpoint: proxy.endpoint)
                        ) {
                            #expect(
                                Self.statuses(await api.enqueue(E2E.event(bucket: world.incoming, key: "a.wibl")))
                                    == ["processed"])
                        }
                    }
                    try await withLocalRuntimeAPI { api in
                        _ = try await E2E.withBootstrap(
                            environment: world.submitEnvironment(api, dcdb, s3Endpoint: proxy.endpoint)
                        ) {
                            #expect(
                                Self.statuses(await api.enqueue(E2E.event(bucket: world.staging, key: "a.geojson")))
                                    == ["submitted"])
                        }
                    }
                    #expect(await dcdb.requestCount() == 1)
                }
                let injected = proxy.requests().filter { !$0.forwarded }.count
                #expect(injected == 3, "processed, claimed and submitted each met one 503")
            }
            #expect(try await world.record().entries.map(\.event) == [.processed, .claimed, .submitted])
        }
    }

    // MARK: - Operators

    /// `wibl status` shows a refused and an unknown file with their reasons; `wibl resubmit` records
    /// the request, and refuses an unknown file without `--confirm-not-received`; reconcile then posts
    /// the resubmitted file once.
    @Test func statusShowsProblemsAndResubmitIsExplicitAndRecorded() async throws {
        try await Self.withHTTP { http in
            let world = try await Self.world(http)
            // A second valid file (distinct bytes), and one whose GeoJSON DCDB would refuse.
            let folder = try FileSystem.makeTemporaryFolder()
            let simulated = try runWIBL([
                "simulate", "-o", folder + "/other.wibl", "--duration", "60", "--seed", "7", "--logger-id",
                "0c2c3f58-24a4-448f-a538-ccca22993ed7",
            ])
            #expect(simulated.status == 0)
            let other = try readWholeFile(folder + "/other.wibl")
            _ = try await world.s3.putObject(bucket: world.incoming, key: "other.wibl", body: .bytes(other))
            _ = try await world.s3.putObject(
                bucket: world.incoming, key: "meta.wibl", body: .bytes(try Fixtures.bytes("wibl/synth-meta-1mb.wibl")))
            try await Self.processOnce(world, key: "a.wibl")
            try await withLocalRuntimeAPI { api in
                _ = try await E2E.withBootstrap(environment: world.environment(api, "process")) {
                    _ = await api.enqueue(E2E.event(bucket: world.incoming, key: "other.wibl"))
                    _ = await api.enqueue(E2E.event(bucket: world.incoming, key: "meta.wibl"))
                }
            }
            try await withLocalDCDB(behaviour: .refused) { dcdb in
                try await withLocalRuntimeAPI { api in
                    _ = try await E2E.withBootstrap(environment: world.submitEnvironment(api, dcdb)) {
                        #expect(
                            Self.statuses(await api.enqueue(E2E.event(bucket: world.staging, key: "a.geojson")))
                                == ["refused"])
                    }
                }
            }
            try await withLocalDCDB(behaviour: .storeThenAnswer(status: 502)) { dcdb in
                try await withLocalRuntimeAPI { api in
                    _ = try await E2E.withBootstrap(environment: world.submitEnvironment(api, dcdb)) {
                        #expect(
                            Self.statuses(await api.enqueue(E2E.event(bucket: world.staging, key: "other.geojson")))
                                == ["unknown"])
                        let meta = await api.enqueue(E2E.event(bucket: world.staging, key: "meta.geojson"))
                        #expect(Self.statuses(meta) == ["invalid"])
                    }
                }
            }
            var cli = E2E.lambdaEnvironment(world.peer, runtimeAPI: "", handler: "")
            cli["STAGING_BUCKET"] = world.staging
            let status = try runWIBL(
                ["status", "s3://\(world.incoming)", "--json"], environment: cli, removing: ["AWS_PROFILE"])
            #expect(status.status == 1, "problems make exit code 1: \(status.stderr)")
            let report = try JSONValue.parse(Array(status.stdout.utf8))
            #expect(report["files"] == 3)
            #expect(report["states"]?["refused"] == 1 && report["states"]?["unknown"] == 1)
            #expect(report["states"]?["invalid"] == 1)
            let problems = report["problems"]?.arrayValue ?? []
            #expect(problems.compactMap { $0["state"]?.stringValue }.sorted() == ["invalid", "refused", "unknown"])
            #expect(problems.contains { $0["reason"]?.stringValue?.contains("whole number of metres") == true })
            #expect(problems.contains { $0["reason"]?.stringValue?.contains("Submission rejected") == true })
            #expect(report["unrecorded"] == [])

            let otherID = ledgerFileID(of: ByteBuffer(bytes: other))
            let refusedUnknown = try runWIBL(["resubmit", otherID], environment: cli, removing: ["AWS_PROFILE"])
            #expect(refusedUnknown.status == 1)
            #expect(refusedUnknown.stdout.contains("--confirm-not-received"))
            let resubmit = try runWIBL(
                ["resubmit", "s3://\(world.incoming)/a.wibl"], environment: cli, removing: ["AWS_PROFILE"])
            #expect(resubmit.status == 0, "\(resubmit.stdout) \(resubmit.stderr)")
            let record = try await world.record()
            #expect(record.state == .processed)
            #expect(record.entries.last?.event == .resubmitRequested)
            #expect(record.entries.last?.actor.hasPrefix("wibl resubmit") == true)
            try await withLocalDCDB { dcdb in
                try await withLocalRuntimeAPI { api in
                    var env = world.submitEnvironment(api, dcdb)
                    env["_HANDLER"] = "reconcile"
                    _ = try await E2E.withBootstrap(environment: env) {
                        #expect(Self.statuses(await api.enqueue(Array("{}".utf8))) == ["submitted"])
                    }
                }
                #expect(await dcdb.requestCount() == 1)
            }
            #expect(try await world.record().state == .submitted)
        }
    }

    // MARK: - Helpers

    /// A second delivery of the staged object's event posts nothing more.
    static func deliverAgainAndExpectNoPost(_ world: World, _ dcdb: LocalDCDB, posts: Int) async throws {
        let before = await dcdb.requestCount()
        #expect(before == posts)
        try await withLocalRuntimeAPI { api in
            _ = try await E2E.withBootstrap(environment: world.submitEnvironment(api, dcdb)) {
                let again = await api.enqueue(E2E.event(bucket: world.staging, key: stagedKey()))
                #expect(statuses(again) == ["duplicate"])
            }
        }
        #expect(await dcdb.requestCount() == before, "no second POST")
    }

    /// Polls `condition` (every 50 ms, at most 30 s): for states another process reaches.
    static func waitUntil(_ condition: () async throws -> Bool) async throws {
        for _ in 0..<600 {
            if try await condition() { return }
            try await Task.sleep(for: .milliseconds(50))
        }
        Issue.record("the condition did not become true within 30 s")
    }
}

/// The built `bootstrap`, running until killed (for the crash cases).
struct Bootstrap {
    let process: BackgroundProcess

    init(environment: [String: String]) throws {
        process = try BackgroundProcess(
            Fixtures.root + "/.build/debug/bootstrap", environment: environment,
            removing: Environment.all().keys.filter { $0.hasPrefix("AWS_") })
    }

    /// `kill -9`, then waits for the process to end.
    func kill9() { _ = try? process.stop(signal: SIGKILL) }
}
