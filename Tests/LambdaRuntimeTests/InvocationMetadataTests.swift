import LambdaRuntime
import Testing

@Suite struct InvocationMetadataTests {
    let complete: [(name: String, value: String)] = [
        ("Lambda-Runtime-Aws-Request-Id", "8476a536-e9f4-11e8-9739-2dfe598c3fcd"),
        ("Lambda-Runtime-Deadline-Ms", "1542409706888"),
        ("Lambda-Runtime-Invoked-Function-Arn", "arn:aws:lambda:us-east-2:123456789012:function:custom-runtime"),
        ("Lambda-Runtime-Trace-Id", "Root=1-5bef4de7-ad49b0e87f6ef6c87fc2e700;Parent=9a9197af755a6419;Sampled=1"),
    ]

    @Test func parsesAllHeaders() throws {
        let metadata = try InvocationMetadata(headers: complete + [("Lambda-Runtime-Client-Context", "{}")])
        #expect(metadata.requestID == "8476a536-e9f4-11e8-9739-2dfe598c3fcd")
        #expect(metadata.deadlineMilliseconds == 1_542_409_706_888)
        #expect(metadata.invokedFunctionARN == "arn:aws:lambda:us-east-2:123456789012:function:custom-runtime")
        #expect(metadata.traceID?.hasPrefix("Root=1-5bef4de7") == true)
        #expect(metadata.clientContext == "{}")
        #expect(metadata.cognitoIdentity == nil)
    }

    @Test func namesAreCaseInsensitiveAndOptionalHeadersMayBeAbsent() throws {
        let headers = complete.dropLast().map { (name: $0.name.lowercased(), value: $0.value) }
        let metadata = try InvocationMetadata(headers: headers)
        #expect(metadata.traceID == nil)
        #expect(metadata.requestID == "8476a536-e9f4-11e8-9739-2dfe598c3fcd")
    }

    @Test(arguments: [
        "Lambda-Runtime-Aws-Request-Id", "Lambda-Runtime-Deadline-Ms", "Lambda-Runtime-Invoked-Function-Arn",
    ])
    func eachMissingRequiredHeaderHasItsOwnError(_ missing: String) {
        let headers = complete.filter { $0.name != missing }
        #expect(throws: LambdaRuntimeError.missingHeader(missing)) { try InvocationMetadata(headers: headers) }
        let empty = complete.map { (name: $0.name, value: $0.name == missing ? "" : $0.value) }
        #expect(throws: LambdaRuntimeError.missingHeader(missing)) { try InvocationMetadata(headers: empty) }
    }

    @Test(arguments: ["soon", "-5", "1.5e12", "99999999999999999999"])
    func invalidDeadline(_ value: String) {
        let headers = complete.map {
            (name: $0.name, value: $0.name == "Lambda-Runtime-Deadline-Ms" ? value : $0.value)
        }
        #expect(throws: LambdaRuntimeError.invalidHeader(name: "Lambda-Runtime-Deadline-Ms", value: value)) {
            try InvocationMetadata(headers: headers)
        }
    }

    @Test(arguments: ["../../init/error", "a b", "id?x"])
    func requestIDThatWouldChangeTheURLIsRefused(_ value: String) {
        let headers = complete.map {
            (name: $0.name, value: $0.name == "Lambda-Runtime-Aws-Request-Id" ? value : $0.value)
        }
        #expect(throws: LambdaRuntimeError.invalidHeader(name: "Lambda-Runtime-Aws-Request-Id", value: value)) {
            try InvocationMetadata(headers: headers)
        }
    }
}

@Suite struct RuntimeAPIAddressTests {
    @Test func parsesHostAndPort() throws {
        #expect(try RuntimeAPIAddress(parsing: "127.0.0.1:9001") == RuntimeAPIAddress(host: "127.0.0.1", port: 9001))
        #expect(try RuntimeAPIAddress(parsing: "localhost:1") == RuntimeAPIAddress(host: "localhost", port: 1))
        #expect(try RuntimeAPIAddress(parsing: "[::1]:9001") == RuntimeAPIAddress(host: "::1", port: 9001))
        #expect(try RuntimeAPIAddress(parsing: "[::1]:9001").baseURL == "http://[::1]:9001")
        #expect(try RuntimeAPIAddress(parsing: "127.0.0.1:9001").baseURL == "http://127.0.0.1:9001")
    }

    @Test(arguments: [
        "", "127.0.0.1", "127.0.0.1:", ":9001", "host:port", "host:0", "host:65536", "host:-1", "a:b:9001", "[::1]9001",
        "h/x:80",
    ])
    func refusesMalformed(_ value: String) {
        #expect(throws: LambdaRuntimeError.invalidRuntimeAPIAddress(value)) { try RuntimeAPIAddress(parsing: value) }
    }

    @Test func environment() throws {
        #expect(throws: LambdaRuntimeError.missingRuntimeAPIAddress) {
            try RuntimeAPIAddress.fromEnvironment { _ in nil }
        }
        #expect(throws: LambdaRuntimeError.invalidRuntimeAPIAddress("nonsense")) {
            try RuntimeAPIAddress.fromEnvironment { _ in "nonsense" }
        }
        #expect(
            try RuntimeAPIAddress.fromEnvironment { $0 == "AWS_LAMBDA_RUNTIME_API" ? "127.0.0.1:9001" : nil }.port
                == 9001)
    }
}

@Suite struct ErrorReportTests {
    @Test func jsonBodyIsExact() {
        let report = ErrorReport(errorMessage: "bad \"key\"\n\u{1}", errorType: "WIBL.NoTimeSource", requestID: "r-1")
        #expect(
            String(decoding: report.jsonBytes(), as: UTF8.self)
                == #"{"errorMessage":"bad \"key\"\n\u0001","errorType":"WIBL.NoTimeSource","requestId":"r-1","stackTrace":[]}"#
        )
    }
}
