import AWSParameterStore
import AsyncHTTPClient
import Logging
import S3

extension PipelineFactory {
    /// `environment` with `PROVIDER_AUTH` (the DCDB token) read from SSM Parameter Store, once, at
    /// start-up: when `PROVIDER_AUTH` is unset or empty and `PROVIDER_AUTH_PARAMETER` names a parameter
    /// (a `SecureString`, decrypted), the request is signed with the function's credentials and sent to
    /// `AWS_ENDPOINT_URL_SSM`, `AWS_ENDPOINT_URL` or `https://ssm.<region>.amazonaws.com`.
    /// `PROVIDER_AUTH` set in the environment wins, for local runs and tests; with neither set, the
    /// environment comes back unchanged. The token is never logged: the log line names the parameter,
    /// its type and version.
    ///
    /// - Throws: ``CloudConfigurationError`` when the parameter cannot be read (missing, access denied,
    ///   unreachable), naming the parameter and AWS's error type; an initialisation error.
    public static func resolvingProviderAuth(
        environment: [String: String], httpClient: HTTPClient, logger: Logger
    ) async throws -> [String: String] {
        if let token = environment["PROVIDER_AUTH"], !token.isEmpty { return environment }
        guard let name = environment["PROVIDER_AUTH_PARAMETER"], !name.isEmpty else { return environment }
        let parameter: SSMParameter
        do {
            let resolver = AWSConfigurationResolver(environment: environment)
            let region = try resolver.region()
            let chain = DefaultCredentialsChain(resolver: resolver)
            let client = ParameterStoreClient(
                httpClient: httpClient, credentials: { try await chain.credentials() }, region: region,
                endpoint: try ParameterStoreEndpoint.resolve(region: region, environment: environment))
            parameter = try await client.getParameter(name: name, withDecryption: true)
        } catch {
            throw CloudConfigurationError(
                "cannot read the DCDB token from the SSM parameter \(name) (PROVIDER_AUTH_PARAMETER): \(error)")
        }
        logger.info(
            "DCDB token read from SSM Parameter Store",
            metadata: [
                "parameter": "\(parameter.name)", "type": "\(parameter.type)",
                "version": "\(parameter.version.map(String.init) ?? "?")",
            ])
        var resolved = environment
        resolved["PROVIDER_AUTH"] = parameter.value
        return resolved
    }
}
