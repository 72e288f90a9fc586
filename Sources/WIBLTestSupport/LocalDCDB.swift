import JSONValue

/// How the local DCDB server answers uploads.
public enum DCDBBehaviour: Sendable, Hashable {
    /// 200 `{"success": true, …}` for every well-formed upload with the right token.
    case success
    /// 500 for the first `times` uploads, then as ``success``.
    case serverError(times: Int)
    /// 401 `{"success": false, …}` whatever the token.
    case unauthorized
    /// 200 `{"success": false, …}`: DCDB refuses the file.
    case refused
    /// 200 with an HTML body.
    case notJSON
    /// Waits this long, then answers as ``success`` (longer than the client's time limit in tests).
    case slow(Duration)
    /// Stores the file, then never answers (a backend that took the file behind a stalled proxy).
    case storeThenStall
    /// Stores the file, then answers this status with an HTML body (a 502/504 from a proxy after the
    /// backend stored it).
    case storeThenAnswer(status: Int)
    /// Stores the file, then resets the connection in the middle of the (success) answer.
    case storeThenReset
    /// Answers `status` (a 3xx) with `Location: location` and stores nothing.
    case redirect(status: Int, location: String)
}

/// One upload received by the local DCDB server.
public struct ReceivedUpload: Sendable {
    /// The request path.
    public var path: String
    /// The `x-auth-token` header, if sent.
    public var token: String?
    /// The request's `Content-Type`.
    public var contentType: String?
    /// The whole request body, as received.
    public var rawBody: [UInt8]
    /// The `file` part's `filename`.
    public var fileName: String?
    /// The `file` part's `Content-Type`.
    public var fileContentType: String?
    /// The `file` part's bytes.
    public var fileBytes: [UInt8]
    /// The `metadataInput` part as text.
    public var metadataInputText: String?
    /// The `metadataInput` part parsed.
    public var metadataInput: JSONValue?
    /// The status the server answered.
    public var status: Int
    /// Whether the server kept the file (it answered success, or stored it before failing to answer).
    public var stored = false

    /// `metadataInput.uniqueID`.
    public var uniqueID: String? { metadataInput?["uniqueID"]?.stringValue }
    /// True when the server answered success.
    public var accepted: Bool { status == 200 && fileName != nil }
}

/// The local DCDB server of one test: its URL, and what it received.
public struct LocalDCDB: Sendable {
    /// The TCP port on 127.0.0.1.
    public let port: Int
    /// The token the server accepts.
    public let expectedToken: String
    let state: DCDBServerState

    /// The URL to POST uploads to (the test upload point's path).
    public var uploadPoint: String { "http://127.0.0.1:\(port)/ingest-external/upload/csb/test/geojson/" }

    /// Every request that reached the upload handler, in order (including refused ones).
    public func uploads() async -> [ReceivedUpload] { await state.uploads }
    /// The uploads answered with success.
    public func acceptedUploads() async -> [ReceivedUpload] { await state.uploads.filter(\.accepted) }
    /// Number of requests answered (or refused).
    public func requestCount() async -> Int { await state.uploads.count }
    /// Number of requests that arrived, answered or not yet (a slow answer is counted on arrival).
    public func arrivalCount() async -> Int { await state.arrivals }
    /// The uploads whose file the server kept (answered or not): what "DCDB has it" means.
    public func storedUploads() async -> [ReceivedUpload] { await state.uploads.filter(\.stored) }
}

actor DCDBServerState {
    let behaviour: DCDBBehaviour
    let expectedToken: String
    var uploads: [ReceivedUpload] = []
    var failuresSent = 0
    var arrivals = 0

    func arrive() { arrivals += 1 }

    init(behaviour: DCDBBehaviour, expectedToken: String) {
        self.behaviour = behaviour
        self.expectedToken = expectedToken
    }

    func record(_ upload: ReceivedUpload) { uploads.append(upload) }

    func takeFailure(limit: Int) -> Bool {
        guard failuresSent < limit else { return false }
        failuresSent += 1
        return true
    }
}

/// Runs a faithful local DCDB upload endpoint (`cloud.md` §6) for the duration of `body`.
///
/// The server parses `multipart/form-data` properly (boundary from `Content-Type`, parts by
/// `Content-Disposition` name and filename), requires a `file` part with a filename and a
/// `metadataInput` part holding `{"uniqueID": "…"}`, checks `x-auth-token`, answers JSON as
/// `behaviour` says, and records every upload.
public func withLocalDCDB<Result>(
    behaviour: DCDBBehaviour = .success, expectedToken: String = "test-provider-token-0123456789",
    _ body: (LocalDCDB) async throws -> Result
) async throws -> Result {
    let state = DCDBServerState(behaviour: behaviour, expectedToken: expectedToken)
    let handler: @Sendable (LocalHTTPRequest) async -> LocalHTTPResponse = { request in
        await handleUpload(request, state: state)
    }
    return try await withLocalHTTPServer(handler: handler) { port in
        try await body(LocalDCDB(port: port, expectedToken: expectedToken, state: state))
    }
}

private func handleUpload(_ request: LocalHTTPRequest, state: DCDBServerState) async -> LocalHTTPResponse {
    var upload = ReceivedUpload(
        path: request.path, token: request.header("x-auth-token"), contentType: request.header("content-type"),
        rawBody: request.body, fileName: nil, fileContentType: nil, fileBytes: [], metadataInputText: nil,
        metadataInput: nil, status: 0)
    func answer(_ status: Int, _ json: String) async -> LocalHTTPResponse {
        upload.status = status
        await state.record(upload)
        return .json(status, json)
    }
    await state.arrive()
    if case .slow(let delay) = state.behaviour {
        try? await Task.sleep(for: delay)
    }
    guard request.method == "POST" else { return await answer(405, #"{"success": false, "message": "POST only"}"#) }
    if state.behaviour == .unauthorized || upload.token != state.expectedToken {
        return await answer(401, #"{"success": false, "message": "Invalid or missing x-auth-token"}"#)
    }
    let parts: [MultipartPart]
    do {
        let boundary = try MultipartFormData.boundary(fromContentType: upload.contentType ?? "")
        parts = try MultipartFormData.parse(request.body, boundary: boundary)
    } catch {
        return await answer(400, #"{"success": false, "message": "\#(escape("\(error)"))"}"#)
    }
    guard let file = parts.first(where: { $0.name == "file" }), let fileName = file.fileName, !fileName.isEmpty else {
        return await answer(400, #"{"success": false, "message": "no file part with a filename"}"#)
    }
    guard let metadata = parts.first(where: { $0.name == "metadataInput" }), metadata.fileName == nil else {
        return await answer(400, #"{"success": false, "message": "no metadataInput form field"}"#)
    }
    upload.fileName = fileName
    upload.fileContentType = file.contentType
    upload.fileBytes = file.body
    upload.metadataInputText = String(decoding: metadata.body, as: UTF8.self)
    upload.metadataInput = try? JSONValue.parse(metadata.body)
    guard let uniqueID = upload.uniqueID, uniqueID.contains("-") else {
        upload.fileName = nil
        return await answer(400, #"{"success": false, "message": "metadataInput has no uniqueID PROVIDER-id"}"#)
    }
    switch state.behaviour {
    case .serverError(let times):
        if await state.takeFailure(limit: times) {
            upload.status = 500
            await state.record(upload)
            return LocalHTTPResponse(
                status: 500, headers: [LocalHeader("Content-Type", "text/html")],
                body: Array("<html><body>Internal Server Error</body></html>".utf8))
        }
    case .refused:
        return await answer(200, #"{"success": false, "message": "Submission rejected: \#(escape(uniqueID))"}"#)
    case .storeThenStall:
        upload.status = 0
        upload.stored = true
        await state.record(upload)
        try? await Task.sleep(for: .seconds(3600))
        return LocalHTTPResponse(status: 504)
    case .storeThenAnswer(let status):
        upload.status = status
        upload.stored = true
        await state.record(upload)
        return LocalHTTPResponse(
            status: status, headers: [LocalHeader("Content-Type", "text/html")],
            body: Array("<html><body>\(status) Bad Gateway</body></html>".utf8))
    case .storeThenReset:
        upload.status = 200
        upload.stored = true
        await state.record(upload)
        var response = LocalHTTPResponse.json(
            200, #"{"success": true, "message": "Submission received", "submissionID": "local-reset"}"#)
        response.truncateAfter = 10
        return response
    case .redirect(let status, let location):
        upload.status = status
        await state.record(upload)
        return LocalHTTPResponse(status: status, headers: [LocalHeader("Location", location)])
    case .notJSON:
        upload.status = 200
        upload.fileName = nil  // not an acceptance the client can see
        await state.record(upload)
        return LocalHTTPResponse(
            status: 200, headers: [LocalHeader("Content-Type", "text/html")],
            body: Array("<html><body>Thank you</body></html>".utf8))
    default:
        break
    }
    let count = await state.uploads.count + 1
    upload.stored = true
    return await answer(
        200, #"{"success": true, "message": "Submission received", "submissionID": "local-\#(count)"}"#)
}

private func escape(_ text: String) -> String {
    var out: [UInt8] = []
    JSONWriter.appendString(text, to: &out)
    return String(decoding: out.dropFirst().dropLast(), as: UTF8.self)
}
