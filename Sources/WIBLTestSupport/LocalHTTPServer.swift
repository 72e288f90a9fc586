import NIOCore
import NIOHTTP1
import NIOPosix

/// One header line.
public struct LocalHeader: Sendable, Hashable {
    /// Header name as received.
    public var name: String
    /// Header value.
    public var value: String

    /// Creates a header line.
    public init(_ name: String, _ value: String) {
        self.name = name
        self.value = value
    }
}

/// A complete request received by a local test server.
public struct LocalHTTPRequest: Sendable {
    /// `GET`, `POST`, …
    public var method: String
    /// The request target as sent (path and query).
    public var uri: String
    /// Header lines in order.
    public var headers: [LocalHeader]
    /// The whole body.
    public var body: [UInt8]

    /// The path without the query.
    public var path: String { String(uri.prefix { $0 != "?" }) }

    /// The first value of header `name` (case-insensitive).
    public func header(_ name: String) -> String? {
        headers.first { $0.name.lowercased() == name.lowercased() }?.value
    }
}

/// What a local test server answers.
public struct LocalHTTPResponse: Sendable {
    /// HTTP status code.
    public var status: Int
    /// Header lines (`Content-Length` is added by the server).
    public var headers: [LocalHeader]
    /// The body.
    public var body: [UInt8]

    /// Creates a response.
    public init(status: Int, headers: [LocalHeader] = [], body: [UInt8] = []) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    /// A JSON response.
    public static func json(_ status: Int, _ text: String) -> LocalHTTPResponse {
        LocalHTTPResponse(
            status: status, headers: [LocalHeader("Content-Type", "application/json")], body: Array(text.utf8))
    }
}

/// Runs an HTTP/1.1 server on 127.0.0.1 (port chosen by the system) for the duration of `body`.
///
/// Each connection is served on its own task, requests in order (keep-alive honoured); `handler` may
/// suspend as long as it likes (long polls, slow answers). The server and its connections are
/// cancelled when `body` returns or throws.
public func withLocalHTTPServer<Result>(
    handler: @escaping @Sendable (LocalHTTPRequest) async -> LocalHTTPResponse,
    _ body: (_ port: Int) async throws -> Result
) async throws -> Result {
    let server = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
        .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
        .bind(host: "127.0.0.1", port: 0) { channel in
            channel.eventLoop.makeCompletedFuture {
                try channel.pipeline.syncOperations.configureHTTPServerPipeline()
                return try NIOAsyncChannel<HTTPServerRequestPart, HTTPServerResponsePart>(
                    wrappingChannelSynchronously: channel)
            }
        }
    guard let port = server.channel.localAddress?.port else {
        try? await server.channel.close()
        throw TestSupportError(description: "the local server has no port")
    }
    return try await withThrowingTaskGroup(of: Void.self) { group in
        group.addTask {
            await withDiscardingTaskGroup { connections in
                try? await server.executeThenClose { inbound in
                    for try await connection in inbound {
                        connections.addTask { await serve(connection, handler: handler) }
                    }
                }
            }
        }
        do {
            let result = try await body(port)
            group.cancelAll()
            return result
        } catch {
            group.cancelAll()
            throw error
        }
    }
}

private func serve(
    _ connection: NIOAsyncChannel<HTTPServerRequestPart, HTTPServerResponsePart>,
    handler: @Sendable (LocalHTTPRequest) async -> LocalHTTPResponse
) async {
    try? await connection.executeThenClose { inbound, outbound in
        var head: HTTPRequestHead?
        var body: [UInt8] = []
        for try await part in inbound {
            switch part {
            case .head(let received):
                head = received
                body = []
            case .body(let chunk):
                body.append(contentsOf: chunk.readableBytesView)
            case .end:
                guard let received = head else { continue }
                let request = LocalHTTPRequest(
                    method: received.method.rawValue, uri: received.uri,
                    headers: received.headers.map { LocalHeader($0.name, $0.value) }, body: body)
                let response = await handler(request)
                var headers = HTTPHeaders(response.headers.map { ($0.name, $0.value) })
                headers.replaceOrAdd(name: "Content-Length", value: "\(response.body.count)")
                if !received.isKeepAlive { headers.replaceOrAdd(name: "Connection", value: "close") }
                try await outbound.write(
                    .head(
                        HTTPResponseHead(
                            version: received.version, status: .init(statusCode: response.status), headers: headers)))
                try await outbound.write(.body(.byteBuffer(ByteBuffer(bytes: response.body))))
                try await outbound.write(.end(nil))
                if !received.isKeepAlive { return }
                head = nil
            }
        }
    }
}
