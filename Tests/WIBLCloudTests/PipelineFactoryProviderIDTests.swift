import AsyncHTTPClient
import Logging
import Testing
import WIBLCloud

/// A malformed `PROVIDER_ID` is an initialisation error that names the variable, before any event.
@Suite struct PipelineFactoryProviderIDTests {
    @Test(arguments: ["process", "submit"])
    func aMalformedProviderIDIsRefusedAtInitialisation(_ handler: String) {
        let environment = [
            "PROVIDER_ID": "UNH-JHC", "STAGING_BUCKET": "staging", "UPLOAD_POINT": "http://127.0.0.1:9/",
            "PROVIDER_AUTH": "token", "AWS_ACCESS_KEY_ID": "AKIDEXAMPLE", "AWS_SECRET_ACCESS_KEY": "secret",
            "AWS_REGION": "us-east-1",
        ]
        let error = #expect(throws: CloudConfigurationError.self) {
            _ = try PipelineFactory.makeHandler(
                name: handler, environment: environment, httpClient: .shared,
                logger: Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() }))
        }
        #expect(error?.description.contains("'UNH-JHC' given by the environment variable PROVIDER_ID") == true)
    }
}
