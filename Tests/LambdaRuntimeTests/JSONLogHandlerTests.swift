import LambdaRuntime
import Logging
import Synchronization
import Testing
import WIBLTestSupport

@Suite struct JSONLogHandlerTests {
    @Test(arguments: [
        (Int64(0), "1970-01-01T00:00:00.000Z"),
        (Int64(951_782_400_123_000_000), "2000-02-29T00:00:00.123Z"),
        (Int64(1_700_000_000_999_999_999), "2023-11-14T22:13:20.999Z"),
        (Int64(-1_000_000), "1969-12-31T23:59:59.999Z"),
    ])
    func timestamps(_ nanoseconds: Int64, _ expected: String) {
        #expect(JSONLogHandler.formatTimestamp(nanoseconds: nanoseconds) == expected)
    }

    @Test func lineFormat() {
        let line = JSONLogHandler.line(
            timestampNanoseconds: 0, level: .info, message: "said \"hi\"", label: "wibl",
            metadata: ["aws-request-id": "r-1", "level": "x", "n": .stringConvertible(3), "list": ["a", "b"]])
        #expect(
            String(decoding: line, as: UTF8.self)
                == #"{"timestamp":"1970-01-01T00:00:00.000Z","level":"info","message":"said \"hi\"","logger":"wibl","aws-request-id":"r-1","metadata.level":"x","list":["a","b"],"n":"3"}"#
                + "\n")
    }

    @Test func levelsFromEnvironmentText() {
        #expect(JSONLogHandler.level(from: "DEBUG") == .debug)
        #expect(JSONLogHandler.level(from: "warn") == .warning)
        #expect(JSONLogHandler.level(from: "loud") == nil)
        #expect(JSONLogHandler.level(from: nil) == nil)
    }

    @Test func writesOneLinePerMessageToTheSink() {
        let lines = Mutex<[String]>([])
        var logger = Logger(label: "t") { label in
            JSONLogHandler(
                label: label, level: .debug,
                sink: { bytes in lines.withLock { $0.append(String(decoding: bytes, as: UTF8.self)) } })
        }
        logger[metadataKey: "aws-request-id"] = "abc"
        logger.trace("hidden")
        logger.debug("shown", metadata: ["key": "k"])
        let captured = lines.withLock { $0 }
        #expect(captured.count == 1)
        #expect(captured.first?.contains(#""aws-request-id":"abc""#) == true)
        #expect(captured.first?.contains(#""key":"k""#) == true)
        #expect(captured.first?.hasSuffix("}\n") == true)
    }
}
