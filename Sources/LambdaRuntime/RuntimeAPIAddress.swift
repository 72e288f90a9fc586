import WIBLSystem

/// The `host:port` of the Runtime API, parsed from `AWS_LAMBDA_RUNTIME_API` without trapping.
public struct RuntimeAPIAddress: Sendable, Hashable, CustomStringConvertible {
    /// Host name or IP address (IPv6 without brackets).
    public var host: String
    /// TCP port, 1…65535.
    public var port: Int

    /// Creates an address from its parts.
    public init(host: String, port: Int) {
        self.host = host
        self.port = port
    }

    /// Parses `host:port` or `[v6]:port`.
    ///
    /// - Throws: ``LambdaRuntimeError/invalidRuntimeAPIAddress(_:)`` when the host is empty, the port
    ///   is missing, not a number, or outside 1…65535.
    public init(parsing text: String) throws(LambdaRuntimeError) {
        let trimmed = text.trimmingASCIIWhitespace()
        let hostPart: Substring
        let portPart: Substring
        if trimmed.hasPrefix("[") {
            guard let close = trimmed.firstIndex(of: "]") else { throw .invalidRuntimeAPIAddress(text) }
            hostPart = trimmed[trimmed.index(after: trimmed.startIndex)..<close]
            let rest = trimmed[trimmed.index(after: close)...]
            guard rest.hasPrefix(":") else { throw .invalidRuntimeAPIAddress(text) }
            portPart = rest.dropFirst()
        } else {
            guard let colon = trimmed.lastIndex(of: ":") else { throw .invalidRuntimeAPIAddress(text) }
            hostPart = trimmed[..<colon]
            portPart = trimmed[trimmed.index(after: colon)...]
            if hostPart.contains(":") { throw .invalidRuntimeAPIAddress(text) }
        }
        guard !hostPart.isEmpty, !hostPart.contains(where: { $0 == "/" || $0 == " " }),
            !portPart.isEmpty, portPart.count <= 5, portPart.allSatisfy({ $0.isASCII && $0.isNumber }),
            let port = Int(portPart), (1...65535).contains(port)
        else { throw .invalidRuntimeAPIAddress(text) }
        self.host = String(hostPart)
        self.port = port
    }

    /// Reads `AWS_LAMBDA_RUNTIME_API` from `environment`.
    ///
    /// - Throws: ``LambdaRuntimeError/missingRuntimeAPIAddress`` or
    ///   ``LambdaRuntimeError/invalidRuntimeAPIAddress(_:)``.
    public static func fromEnvironment(
        _ environment: @Sendable (String) -> String? = Environment.get
    ) throws(LambdaRuntimeError) -> RuntimeAPIAddress {
        guard let value = environment(RuntimeAPI.addressVariable), !value.isEmpty else {
            throw .missingRuntimeAPIAddress
        }
        return try RuntimeAPIAddress(parsing: value)
    }

    /// `http://host:port`, with brackets around an IPv6 host.
    public var baseURL: String {
        host.contains(":") ? "http://[\(host)]:\(port)" : "http://\(host):\(port)"
    }

    /// `host:port`.
    public var description: String { host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)" }
}

extension String {
    func trimmingASCIIWhitespace() -> Substring {
        let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\t" || $0 == "\n" || $0 == "\r" }
        guard let first = firstIndex(where: { !isSpace($0) }), let last = lastIndex(where: { !isSpace($0) }) else {
            return ""
        }
        return self[first...last]
    }
}
