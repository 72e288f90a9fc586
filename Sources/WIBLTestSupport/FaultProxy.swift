import AsyncHTTPClient
import NIOCore
import NIOHTTP1
import Synchronization

/// What the fault proxy does with one request.
public enum ProxyAction: Sendable {
    /// Pass it to the upstream server unchanged (Host header included, so SigV4 still holds).
    case forward
    /// Answer this instead (e.g. a 503 `SlowDown`); the upstream never sees the request.
    case respond(LocalHTTPResponse)
    /// Never answer (the caller's time-out, or a `kill -9`, ends it).
    case stall

    /// An S3 XML error reply.
    public static func s3Error(_ status: Int, _ code: String) -> ProxyAction {
        let body =
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>\(code)</Code><Message>injected by the test"
            + "</Message><RequestId>FAULT\(status)</RequestId></Error>"
        return .respond(
            LocalHTTPResponse(
                status: status, headers: [LocalHeader("Content-Type", "application/xml")], body: Array(body.utf8)))
    }
}

/// A request the proxy saw, and what it did.
public struct ProxiedRequest: Sendable {
    /// `GET`, `PUT`, …
    public var method: String
    /// The request target (path and query).
    public var uri: String
    /// Whether it was passed upstream.
    public var forwarded: Bool
}

/// A value shared between tasks and closures, behind a lock.
public final class Locked<Value: Sendable>: Sendable {
    let mutex: Mutex<Value>

    /// Creates the box.
    public init(_ value: Value) { mutex = Mutex(value) }

    /// Runs `body` with exclusive access to the value.
    public func withLock<T: Sendable>(_ body: (inout Value) -> T) -> T { mutex.withLock { body(&$0) } }

    /// The current value.
    public var value: Value { mutex.withLock { $0 } }
}

/// The running proxy.
public struct FaultProxy: Sendable {
    /// The port on 127.0.0.1.
    public let port: Int
    let log: Locked<[ProxiedRequest]>

    /// The endpoint URL to give the client instead of the upstream's.
    public var endpoint: String { "http://127.0.0.1:\(port)" }
    /// Every request seen, in order.
    public func requests() -> [ProxiedRequest] { log.value }
}

/// Runs an HTTP proxy in front of `upstream` (e.g. moto) that injects faults request by request:
/// `rule` gets each request and the number of earlier requests and says what to do.
public func withFaultProxy<Result>(
    upstream: String, rule: @escaping @Sendable (LocalHTTPRequest, Int) -> ProxyAction,
    _ body: (FaultProxy) async throws -> Result
) async throws -> Result {
    let log = Locked<[ProxiedRequest]>([])
    let counter = Locked(0)
    let http = HTTPClient(eventLoopGroupProvider: .singleton)
    let handler: @Sendable (LocalHTTPRequest) async -> LocalHTTPResponse = { request in
        let index = counter.withLock { value in
            defer { value += 1 }
            return value
        }
        let action = rule(request, index)
        let forwarded: Bool = if case .forward = action { true } else { false }
        log.withLock { $0.append(ProxiedRequest(method: request.method, uri: request.uri, forwarded: forwarded)) }
        switch action {
        case .respond(let response): return response
        case .stall:
            try? await Task.sleep(for: .seconds(3600))
            return LocalHTTPResponse(status: 504)
        case .forward:
            var outgoing = HTTPClientRequest(url: upstream + request.uri)
            outgoing.method = .init(rawValue: request.method)
            let hopByHop: Set<String> = ["content-length", "transfer-encoding", "connection", "keep-alive"]
            for header in request.headers where !hopByHop.contains(header.name.lowercased()) {
                outgoing.headers.add(name: header.name, value: header.value)
            }
            if !request.body.isEmpty { outgoing.body = .bytes(ByteBuffer(bytes: request.body)) }
            do {
                let response = try await http.execute(outgoing, timeout: .seconds(60))
                let bytes = try await response.body.collect(upTo: 256 << 20)
                var headers = response.headers.filter {
                    !hopByHop.contains($0.name.lowercased()) || $0.name.lowercased() == "content-length"
                }
                .map { LocalHeader($0.name, $0.value) }
                if request.method != "HEAD" { headers.removeAll { $0.name.lowercased() == "content-length" } }
                return LocalHTTPResponse(
                    status: Int(response.status.code), headers: headers, body: Array(bytes.readableBytesView))
            } catch {
                return LocalHTTPResponse(status: 502, body: Array("proxy: \(error)".utf8))
            }
        }
    }
    do {
        let result = try await withLocalHTTPServer(handler: handler) { port in
            try await body(FaultProxy(port: port, log: log))
        }
        try await http.shutdown()
        return result
    } catch {
        try? await http.shutdown()
        throw error
    }
}
