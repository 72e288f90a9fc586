import ArgumentParser
import AsyncHTTPClient
import NIOCore
import NIOPosix
import S3

/// The options of every command that talks to the network (`wibl s3 …`, `wibl submit`, and any
/// later one): the same `--timeout SECONDS` everywhere.
struct NetworkOptions: ParsableArguments {
    /// The default of `--timeout`, in seconds.
    static let defaultTimeout = 120

    @Option(
        name: .long,
        help: ArgumentHelp(
            "Give up on one network operation, retries included, after this many seconds.",
            valueName: "SECONDS"))
    var timeout: Int = NetworkOptions.defaultTimeout

    func validate() throws {
        guard timeout >= 1 else { throw ValidationError("--timeout must be at least 1 second.") }
    }

    /// `--timeout` as a duration.
    var deadline: Duration { .seconds(timeout) }

    /// The time a connection may take to open (DNS, TCP and TLS), whatever `--timeout` says.
    static let connectTimeout = TimeAmount.seconds(5)

    /// Runs `body` with an HTTP client that opens connections within ``connectTimeout`` and fails a
    /// host name that does not resolve at once; shuts it down afterwards.
    func withHTTPClient<T>(_ body: (HTTPClient) async throws -> T) async throws -> T {
        let client = HTTPClient(
            eventLoopGroup: MultiThreadedEventLoopGroup.singleton,
            configuration: S3Client.httpClientConfiguration(
                connectTimeout: min(Self.connectTimeout, .seconds(Int64(timeout)))))
        let result: T
        do {
            result = try await body(client)
        } catch {
            try? await client.shutdown()
            throw error
        }
        try await client.shutdown()
        return result
    }
}
