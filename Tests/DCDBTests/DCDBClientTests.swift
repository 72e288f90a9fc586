import AsyncHTTPClient
import DCDB
import JSONValue
import Logging
import NIOCore
import Testing
import WIBLTestSupport

let geojson = #"{"type":"FeatureCollection","properties":{"trustedNode":{"uniqueVesselID":"UNHJHC-1"}},"features":[]}"#
let fastRetries = DCDBClient.Configuration(initialBackoff: .milliseconds(20), timeout: .seconds(10))

/// The DCDB client against the local DCDB server, one scripted behaviour per test.
@Suite struct DCDBClientTests {
    func submit(
        to server: LocalDCDB, token: String? = nil, configuration: DCDBClient.Configuration = fastRetries,
        logger: Logger = Logger(label: "test"), uniqueID: String = "abc-1",
        body: GeoJSONBody = .bytes(ByteBuffer(string: geojson)), uploadPoint: String? = nil
    ) async throws(DCDBError) -> DCDBReceipt {
        let client = DCDBClient(logger: logger, configuration: configuration)
        return try await client.submit(
            geojson: body, fileName: "out/ship1.geojson", uniqueID: uniqueID, providerID: "UNHJHC",
            authToken: try AuthToken(token ?? server.expectedToken), uploadPoint: uploadPoint ?? server.uploadPoint)
    }

    @Test func successIsExactlyOneUpload() async throws {
        try await withLocalDCDB(behaviour: .success) { server in
            let receipt = try await submit(to: server)
            #expect(receipt.status == 200)
            #expect(receipt.attempts == 1)
            #expect(receipt.uniqueID == "UNHJHC-abc-1")
            #expect(receipt.response["success"] == .bool(true))
            let uploads = await server.uploads()
            #expect(uploads.count == 1)
            let upload = try #require(uploads.first)
            #expect(upload.accepted)
            #expect(upload.fileName == "ship1.geojson")
            #expect(upload.fileContentType == "application/octet-stream")
            #expect(upload.fileBytes == Array(geojson.utf8))
            #expect(upload.metadataInput == ["uniqueID": "UNHJHC-abc-1"])
            #expect(upload.token == server.expectedToken)
            #expect(upload.contentType?.hasPrefix("multipart/form-data; boundary=wibl-") == true)
        }
    }

    @Test func streamedBodyArrivesIntact() async throws {
        let chunks = (0..<50).map { index in ByteBuffer(string: String(repeating: "\(index % 10)", count: 1000)) }
        let total = chunks.reduce(0) { $0 + $1.readableBytes }
        try await withLocalDCDB(behaviour: .success) { server in
            let body = GeoJSONBody.stream(length: total) { chunks.async }
            let receipt = try await submit(to: server, body: body)
            #expect(receipt.attempts == 1)
            let accepted = await server.acceptedUploads()
            #expect(accepted.count == 1)
            #expect(accepted.first?.fileBytes == chunks.flatMap { Array($0.readableBytesView) })
        }
    }

    /// A 5xx may come from a proxy after DCDB stored the file (cloud.md §8.5): unknown, never repeated.
    @Test func aServerErrorIsUnknownAndNotRetried() async throws {
        try await withLocalDCDB(behaviour: .storeThenAnswer(status: 502)) { server in
            do throws(DCDBError) {
                _ = try await submit(to: server)
                Issue.record("expected an error")
            } catch {
                guard case .httpStatus(502, _, 1) = error else {
                    Issue.record("got \(error)")
                    return
                }
                #expect(error.outcome == .unknown)
            }
            #expect(await server.requestCount() == 1)
        }
    }

    @Test func aResetInTheMiddleOfTheAnswerIsUnknown() async throws {
        try await withLocalDCDB(behaviour: .storeThenReset) { server in
            do throws(DCDBError) {
                _ = try await submit(to: server)
                Issue.record("expected an error")
            } catch {
                #expect(error.outcome == .unknown, "\(error)")
            }
            #expect(await server.requestCount() == 1)
            #expect(await server.storedUploads().count == 1)
        }
    }

    /// A redirect is never followed: the token goes nowhere else (issue 10).
    @Test func aRedirectIsNotFollowedAndTheTokenStaysHome() async throws {
        try await withLocalDCDB { elsewhere in
            try await withLocalDCDB(behaviour: .redirect(status: 307, location: elsewhere.uploadPoint)) { server in
                do throws(DCDBError) {
                    _ = try await submit(to: server)
                    Issue.record("expected an error")
                } catch {
                    guard case .redirect(307, let location) = error else {
                        Issue.record("got \(error)")
                        return
                    }
                    #expect(location == elsewhere.uploadPoint)
                    #expect(error.outcome == .refused)
                }
                #expect(await server.requestCount() == 1)
            }
            #expect(await elsewhere.requestCount() == 0)
        }
    }

    @Test func theUploadPointMustBeHTTPSUnlessLoopback() throws {
        for good in [
            "https://www.ngdc.noaa.gov/ingest-external/upload/csb/test/geojson/", "http://127.0.0.1:8080/x",
            "http://localhost/x", "http://[::1]:9/x", "HTTP://127.8.9.10",
        ] {
            #expect(throws: Never.self) { try DCDBClient.validateUploadPoint(good) }
        }
        for bad in [
            "http://www.ngdc.noaa.gov/x", "http://127.0.0.1.example.com/x", "http://10.0.0.1/",
            "http://localhost.evil/",
        ] {
            #expect(throws: DCDBError.insecureUploadPoint(bad)) { try DCDBClient.validateUploadPoint(bad) }
        }
        #expect(throws: DCDBError.invalidUploadPoint("ftp://x")) { try DCDBClient.validateUploadPoint("ftp://x") }
    }

    @Test func unauthorizedIsNotRetried() async throws {
        try await withLocalDCDB(behaviour: .unauthorized) { server in
            do throws(DCDBError) {
                _ = try await submit(to: server)
                Issue.record("expected unauthorized")
            } catch {
                #expect(error.status == 401)
                #expect(error.isRefusal)
                guard case .unauthorized = error else {
                    Issue.record("got \(error)")
                    return
                }
            }
            #expect(await server.requestCount() == 1)
        }
    }

    @Test func wrongTokenIsUnauthorized() async throws {
        try await withLocalDCDB(behaviour: .success) { server in
            do throws(DCDBError) {
                _ = try await submit(to: server, token: "wrong-token")
                Issue.record("expected unauthorized")
            } catch {
                guard case .unauthorized(401, _) = error else {
                    Issue.record("got \(error)")
                    return
                }
            }
            #expect(await server.acceptedUploads().isEmpty)
        }
    }

    @Test func successFalseIsRefused() async throws {
        try await withLocalDCDB(behaviour: .refused) { server in
            do throws(DCDBError) {
                _ = try await submit(to: server)
                Issue.record("expected refused")
            } catch {
                guard case .refused(200, let body) = error else {
                    Issue.record("got \(error)")
                    return
                }
                #expect(body.contains("Submission rejected"))
            }
            #expect(await server.requestCount() == 1)
        }
    }

    @Test func nonJSONBodyIsAnError() async throws {
        try await withLocalDCDB(behaviour: .notJSON) { server in
            do throws(DCDBError) {
                _ = try await submit(to: server)
                Issue.record("expected notJSON")
            } catch {
                guard case .notJSON(200, let body) = error else {
                    Issue.record("got \(error)")
                    return
                }
                #expect(body.contains("<html>"))
            }
            #expect(await server.requestCount() == 1)
        }
    }

    @Test func slowServerTimesOutWithoutRetry() async throws {
        try await withLocalDCDB(behaviour: .slow(.seconds(5))) { server in
            do throws(DCDBError) {
                _ = try await submit(
                    to: server, configuration: .init(initialBackoff: .milliseconds(20), timeout: .milliseconds(400)))
                Issue.record("expected a time-out")
            } catch {
                guard case .timedOut = error else {
                    Issue.record("got \(error)")
                    return
                }
                #expect(!error.isRefusal)
            }
            #expect(await server.arrivalCount() == 1, "the body was sent: a time-out is never retried")
        }
    }

    @Test func connectionRefusedIsRetriedThenTransport() async throws {
        // Port 1 on the loopback: nothing listens there (a port freed by this test could be taken by a
        // parallel test's server, which then resets the connection: that is not "nothing sent").
        let port = 1
        // The DCDB client's HTTP client fails at once when the connection cannot be made.
        do {
            // A generous overall budget: this test counts attempts, and on a loaded machine three
            // refused connections must not run out of time before the third one is made.
            let patient = DCDBClient.Configuration(initialBackoff: .milliseconds(20), timeout: .seconds(60))
            let client = DCDBClient(logger: Logger(label: "test"), configuration: patient)
            do throws(DCDBError) {
                _ = try await client.submit(
                    geojson: .bytes(ByteBuffer(string: geojson)), fileName: "f.geojson", uniqueID: "1",
                    providerID: "UNHJHC",
                    authToken: try AuthToken("unused-token-value"), uploadPoint: "http://127.0.0.1:\(port)/upload")
                Issue.record("expected a transport error")
            } catch {
                guard case .transport(_, let attempts) = error else {
                    Issue.record("got \(error)")
                    return
                }
                #expect(attempts == 3)
                #expect(!error.isRefusal)
                #expect(error.outcome == .notSent)
            }
        }
    }

    @Test func invalidSettingsAreRefusedBeforeAnyRequest() async throws {
        try await withLocalDCDB { server in
            await #expect(throws: DCDBError.invalidUploadPoint("ftp://x")) {
                try await submit(to: server, uploadPoint: "ftp://x")
            }
            let client = DCDBClient(logger: Logger(label: "test"))
            await #expect(throws: DCDBError.invalidProviderID("UN HJ")) {
                try await client.submit(
                    geojson: .bytes(ByteBuffer()), fileName: "f", uniqueID: "1", providerID: "UN HJ",
                    authToken: try AuthToken("t"), uploadPoint: server.uploadPoint)
            }
            #expect(await server.requestCount() == 0)
        }
    }

    @Test(arguments: [
        DCDBBehaviour.success, .serverError(times: 1), .unauthorized, .refused, .notJSON, .storeThenReset,
    ])
    func tokenNeverInLogsOrErrors(_ behaviour: DCDBBehaviour) async throws {
        let capture = LogCapture()
        try await withLocalDCDB(behaviour: behaviour) { server in
            do throws(DCDBError) {
                _ = try await submit(to: server, logger: capture.makeLogger(level: .trace))
            } catch {
                #expect(!"\(error)".contains(server.expectedToken))
                #expect(!String(reflecting: error).contains(server.expectedToken))
            }
            #expect(!capture.entries.isEmpty)
            #expect(!capture.contains(server.expectedToken))
        }
    }
}

extension Array where Element: Sendable {
    /// The elements as an async sequence (for streamed bodies).
    var async: AsyncArray<Element> { AsyncArray(elements: self) }
}

struct AsyncArray<Element: Sendable>: AsyncSequence, Sendable {
    let elements: [Element]
    func makeAsyncIterator() -> Iterator { Iterator(elements: elements) }
    struct Iterator: AsyncIteratorProtocol {
        var elements: [Element]
        var index = 0
        mutating func next() async -> Element? {
            guard index < elements.count else { return nil }
            defer { index += 1 }
            return elements[index]
        }
    }
}
