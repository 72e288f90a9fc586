import WIBLSystem

/// A TCP port on 127.0.0.1 that accepts connections (the kernel completes the handshake into the
/// listen backlog) but never reads or answers: a client's request to it waits until the client's own
/// deadline. It stands in for a server that has stopped answering.
public struct BlackholeListenerError: Error, CustomStringConvertible {
    /// What failed.
    public var description: String
}

/// Runs `body` with the port of a listener that never answers, and closes the listener afterwards.
///
/// - Throws: ``BlackholeListenerError`` when the socket cannot be set up, or what `body` throws.
public func withBlackholeListener<T>(_ body: (_ port: Int) async throws -> T) async throws -> T {
    #if canImport(Darwin)
        let fd = socket(AF_INET, SOCK_STREAM, 0)
    #else
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    #endif
    guard fd >= 0 else { throw BlackholeListenerError(description: "socket() failed: errno \(errno)") }
    defer { close(fd) }
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_port = 0
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    let bound = withUnsafePointer(to: &address) { pointer in
        pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) {
            bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
        }
    }
    guard bound == 0, listen(fd, 16) == 0 else {
        throw BlackholeListenerError(description: "bind/listen on 127.0.0.1 failed: errno \(errno)")
    }
    var length = socklen_t(MemoryLayout<sockaddr_in>.size)
    let named = withUnsafeMutablePointer(to: &address) { pointer in
        pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
    }
    guard named == 0 else { throw BlackholeListenerError(description: "getsockname failed: errno \(errno)") }
    return try await body(Int(UInt16(bigEndian: address.sin_port)))
}
