import NIOCore
import NIOHTTP1
import NIOPosix
import Synchronization

/// A request as the scripted server saw it on the wire.
public struct RecordedRequest: Sendable, Hashable {
    /// `GET`, `PUT`, …
    public var method: String
    /// The request-target exactly as sent (path and query, still percent-encoded).
    public var target: String
    /// The headers (lower-cased names; repeated headers joined with `,`).
    public var headers: [String: String]
    /// The body bytes.
    public var body: [UInt8]
}

/// What the scripted server does with one request.
public enum ScriptedReply: Sendable {
    /// Answer with this status, headers and body.
    case respond(status: Int, headers: [String: String] = [:], body: [UInt8] = [])
    /// Close the connection without answering (a "connection reset" for the client).
    case closeConnection
    /// Announce `declaredLength` bytes, send only `body`, then close the connection.
    case truncated(status: Int, declaredLength: Int, body: [UInt8])

    /// An S3-style XML error reply.
    public static func s3Error(status: Int, code: String, message: String = "scripted failure") -> ScriptedReply {
        let body =
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>\(code)</Code><Message>\(message)</Message>"
            + "<RequestId>SCRIPTED\(status)</RequestId></Error>"
        return .respond(status: status, headers: ["Content-Type": "application/xml"], body: Array(body.utf8))
    }
}

/// A tiny HTTP/1.1 server on 127.0.0.1 (port 0) whose answers a test scripts request by request:
/// it injects 503s, throttling and dropped connections in front of the S3 client, and shows the
/// exact request-target the client puts on the wire.
public final class ScriptedHTTPServer: Sendable {
    /// The port the server listens on.
    public let port: Int
    let log: RequestLog

    /// Every request received so far, in order.
    public var requests: [RecordedRequest] { log.requests.withLock { $0 } }

    init(port: Int, log: RequestLog) {
        self.port = port
        self.log = log
    }
}

/// The requests seen, shared between the server object and its channel handlers.
final class RequestLog: Sendable {
    let requests = Mutex<[RecordedRequest]>([])
}

/// What the scripted server answers: a function of the request's 0-based index and the request.
public struct ServerScript: Sendable {
    let reply: @Sendable (_ index: Int, _ request: RecordedRequest) -> ScriptedReply

    /// Creates a script.
    public init(_ reply: @escaping @Sendable (_ index: Int, _ request: RecordedRequest) -> ScriptedReply) {
        self.reply = reply
    }
}

/// Runs `body` with a scripted server, closing it afterwards.
///
/// - Parameters:
///   - script: What to answer to each request.
///   - body: The test, given the running server.
public func withScriptedHTTPServer<T>(
    _ script: ServerScript,
    _ body: (ScriptedHTTPServer) async throws -> T
) async throws -> T {
    let reply = script.reply
    let log = RequestLog()
    let channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
        .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
        .childChannelInitializer { channel in
            channel.eventLoop.makeCompletedFuture {
                try channel.pipeline.syncOperations.configureHTTPServerPipeline()
                try channel.pipeline.syncOperations.addHandler(ScriptedHandler(log: log, reply: reply))
            }
        }
        .bind(host: "127.0.0.1", port: 0).get()
    guard let port = channel.localAddress?.port else {
        try? await channel.close()
        throw TestSupportError(description: "scripted server has no port")
    }
    do {
        let result = try await body(ScriptedHTTPServer(port: port, log: log))
        try? await channel.close()
        return result
    } catch {
        try? await channel.close()
        throw error
    }
}

final class ScriptedHandler: ChannelInboundHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    let log: RequestLog
    let reply: @Sendable (Int, RecordedRequest) -> ScriptedReply
    var current: RecordedRequest?

    init(log: RequestLog, reply: @escaping @Sendable (Int, RecordedRequest) -> ScriptedReply) {
        self.log = log
        self.reply = reply
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let head):
            var headers: [String: String] = [:]
            for (name, value) in head.headers {
                let lower = name.lowercased()
                headers[lower] = headers[lower].map { $0 + "," + value } ?? value
            }
            current = RecordedRequest(method: head.method.rawValue, target: head.uri, headers: headers, body: [])
        case .body(let buffer):
            current?.body += Array(buffer.readableBytesView)
        case .end:
            guard let request = current else { return }
            current = nil
            let index = log.requests.withLock { requests in
                requests.append(request)
                return requests.count - 1
            }
            switch reply(index, request) {
            case .closeConnection:
                context.close(promise: nil)
            case .truncated(let status, let declaredLength, let body):
                var headers = HTTPHeaders()
                headers.add(name: "Content-Length", value: "\(declaredLength)")
                let head = HTTPResponseHead(
                    version: .http1_1, status: HTTPResponseStatus(statusCode: status), headers: headers)
                context.write(wrapOutboundOut(.head(head)), promise: nil)
                context.writeAndFlush(wrapOutboundOut(.body(.byteBuffer(ByteBuffer(bytes: body)))), promise: nil)
                context.close(promise: nil)
            case .respond(let status, let extraHeaders, let body):
                var headers = HTTPHeaders()
                for (name, value) in extraHeaders { headers.add(name: name, value: value) }
                if request.method != "HEAD" || headers["content-length"].isEmpty {
                    headers.replaceOrAdd(name: "Content-Length", value: "\(body.count)")
                }
                let head = HTTPResponseHead(
                    version: .http1_1, status: HTTPResponseStatus(statusCode: status), headers: headers)
                context.write(wrapOutboundOut(.head(head)), promise: nil)
                if request.method != "HEAD", !body.isEmpty {
                    context.write(wrapOutboundOut(.body(.byteBuffer(ByteBuffer(bytes: body)))), promise: nil)
                }
                context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: nil)
            }
        }
    }
}
