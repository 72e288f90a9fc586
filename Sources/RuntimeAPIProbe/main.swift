// runtime-api-probe: the cold-start measurement behind AWS-setup/measure-cold-start.sh, on the
// project's one local Lambda Runtime API (WIBLTestSupport's LocalRuntimeAPI, cloud.md §5).
//
//   runtime-api-probe BOOTSTRAP [--handler process|submit|reconcile] [--runs N] [--timeout S] [--env K=V]...
//
// For each run: starts BOOTSTRAP with a clean Lambda-like environment pointing at a fresh local
// Runtime API, and measures on the monotonic clock
//   init  = exec -> its first GET /2018-06-01/runtime/invocation/next
//   first = that GET answered with S3's one-off test event -> the function's response or error.
// The peak RSS is the child's VmHWM just before it is stopped.
// Exit status: 0 all runs reached the Runtime API; 2 the bootstrap exited or timed out without
// calling it (e.g. a placeholder main); 3 it posted /runtime/init/error; 1 bad usage.
import WIBLSystem
import WIBLTestSupport

/// What one run saw.
struct RunResult {
    var initMilliseconds: Double?
    var firstMilliseconds: Double?
    var answer: String?
    var initError: String?
    var exitStatus: Int32?
    var peakRSSKiB: Int?
    var log: String
}

/// The one-off message S3 sends when a notification is configured (cloud.md §4.1): handlers ignore it.
let testEvent = Array(
    #"{"Service":"Amazon S3","Event":"s3:TestEvent","Time":"2026-01-01T00:00:00.000Z","Bucket":"wibl-incoming","RequestId":"COLDSTART","HostId":"probe"}"#
        .utf8)

func fail(_ message: String, _ status: Int32) -> Never {
    var line = Array("runtime-api-probe: \(message)\n".utf8)
    _ = write(STDERR_FILENO, &line, line.count)
    exit(status)
}

/// The child has exited (a zombie, not yet reaped) or is gone.
func hasExited(_ pid: pid_t) -> Bool {
    guard let stat = try? readWholeFile("/proc/\(pid)/stat", limit: 4096) else { return true }
    // "pid (comm) S ...": the state follows the last ')'
    guard let close = stat.lastIndex(of: UInt8(ascii: ")")), close + 2 < stat.count else { return true }
    return stat[close + 2] == UInt8(ascii: "Z") || stat[close + 2] == UInt8(ascii: "X")
}

/// VmHWM (peak resident set) of a running child, in KiB.
func peakRSS(_ pid: pid_t) -> Int? {
    guard let status = try? readWholeFile("/proc/\(pid)/status", limit: 1 << 16) else { return nil }
    for line in String(decoding: status, as: UTF8.self).split(separator: "\n") where line.hasPrefix("VmHWM:") {
        return line.dropFirst(6).split(whereSeparator: { $0 == " " || $0 == "\t" }).first.flatMap { Int($0) }
    }
    return nil
}

func milliseconds(_ from: Int64, _ to: Int64) -> Double { Double(to - from) / 1e6 }

func runOnce(bootstrap: String, handler: String, timeout: Double, extra: [String: String]) async throws -> RunResult {
    try await withLocalRuntimeAPI { api in
        var environment = [
            "PATH": "/usr/local/bin:/usr/bin:/bin", "LANG": "en_US.UTF-8", "TZ": ":UTC",
            "AWS_LAMBDA_RUNTIME_API": api.address, "_HANDLER": handler, "LAMBDA_RUNTIME_DIR": "/var/runtime",
            "AWS_REGION": "us-east-2", "AWS_DEFAULT_REGION": "us-east-2",
            "AWS_LAMBDA_FUNCTION_NAME": "coldstart-probe", "AWS_LAMBDA_FUNCTION_VERSION": "$LATEST",
            "AWS_LAMBDA_FUNCTION_MEMORY_SIZE": "2048", "AWS_LAMBDA_LOG_GROUP_NAME": "/aws/lambda/coldstart-probe",
            "AWS_LAMBDA_LOG_STREAM_NAME": "probe", "AWS_ACCESS_KEY_ID": "AKIDCOLDSTARTPROBE",
            "AWS_SECRET_ACCESS_KEY": "coldstart-probe-secret", "AWS_SESSION_TOKEN": "coldstart-probe-token",
            "INCOMING_BUCKET": "wibl-incoming", "STAGING_BUCKET": "wibl-staging", "PROVIDER_ID": "PROBE",
            "PROVIDER_AUTH": "coldstart-probe-auth", "UPLOAD_POINT": "http://127.0.0.1:9/", "LOG_LEVEL": "info",
        ]
        environment["LAMBDA_TASK_ROOT"] = String(bootstrap[..<(bootstrap.lastIndex(of: "/") ?? bootstrap.startIndex)])
        environment.merge(extra) { _, new in new }
        var result = RunResult(log: "")
        let deadline = SystemClock.monotonicNanoseconds() + Int64(timeout * 1e9)
        let started = SystemClock.monotonicNanoseconds()
        let child = try BackgroundProcess(
            bootstrap, environment: environment, removing: Array(Environment.all().keys))
        // Until the first GET next, an init error, the child's exit or the timeout: a 1 ms poll
        // (a measuring tool, not a test: the resolution is the point).
        var firstNext: Int64?
        while SystemClock.monotonicNanoseconds() < deadline {
            if await api.nextCount() > 0 {
                firstNext = SystemClock.monotonicNanoseconds()
                break
            }
            if await !api.initErrors().isEmpty || hasExited(child.pid) { break }
            try await Task.sleep(for: .milliseconds(1))
        }
        if let firstNext {
            result.initMilliseconds = milliseconds(started, firstNext)
            let remaining = Double(deadline - SystemClock.monotonicNanoseconds()) / 1e9
            let answer = await withTaskGroup(of: InvocationResult?.self) { group in
                group.addTask { await api.enqueue(testEvent, requestID: "coldstart-1", timeout: .seconds(60)) }
                group.addTask {
                    try? await Task.sleep(for: .seconds(max(0, remaining)))
                    return nil
                }
                let first = await group.next() ?? nil
                group.cancelAll()
                return first
            }
            switch answer {
            case .response?:
                result.answer = "response"
                result.firstMilliseconds = milliseconds(firstNext, SystemClock.monotonicNanoseconds())
            case .error?:
                result.answer = "error"
                result.firstMilliseconds = milliseconds(firstNext, SystemClock.monotonicNanoseconds())
            case .abandoned?, nil: break
            }
        }
        if let error = await api.initErrors().first { result.initError = String(decoding: error.body, as: UTF8.self) }
        let exited = hasExited(child.pid)
        if !exited { result.peakRSSKiB = peakRSS(child.pid) }
        // SIGKILL: a child spawned from a Swift concurrency thread inherits its blocked signals,
        // SIGTERM among them (BackgroundProcess does not reset the mask).
        let stopped = try child.stop(signal: SIGKILL)
        if exited { result.exitStatus = stopped.status }
        result.log = stopped.log
        return result
    }
}

func format(_ value: Double) -> String {
    let tenths = Int((value * 10).rounded())
    return "\(tenths / 10).\(tenths % 10)"
}

// ---------------------------------------------------------------- arguments
var arguments = Array(CommandLine.arguments.dropFirst())
var handler = "process"
var runs = 5
var timeout = 10.0
var extra: [String: String] = [:]
var bootstrap: String?
while !arguments.isEmpty {
    let argument = arguments.removeFirst()
    func value() -> String {
        guard !arguments.isEmpty else { fail("\(argument) needs a value", 1) }
        return arguments.removeFirst()
    }
    switch argument {
    case "--handler": handler = value()
    case "--runs": runs = Int(value()) ?? 0
    case "--timeout": timeout = Double(value()) ?? 0
    case "--env":
        let pair = value()
        guard let equals = pair.firstIndex(of: "=") else { fail("--env takes KEY=VALUE, not '\(pair)'", 1) }
        extra[String(pair[..<equals])] = String(pair[pair.index(after: equals)...])
    case _ where argument.hasPrefix("-"): fail("unknown option \(argument)", 1)
    default:
        guard bootstrap == nil else { fail("one BOOTSTRAP only", 1) }
        bootstrap = argument
    }
}
guard let bootstrap, runs > 0, timeout > 0 else {
    fail("usage: runtime-api-probe BOOTSTRAP [--handler H] [--runs N] [--timeout S] [--env K=V]...", 1)
}
guard access(bootstrap, X_OK) == 0 else { fail("\(bootstrap) is not executable", 1) }

// ---------------------------------------------------------------- runs
var inits: [Double] = []
for run in 1...runs {
    let result: RunResult
    do {
        result = try await runOnce(bootstrap: bootstrap, handler: handler, timeout: timeout, extra: extra)
    } catch {
        fail("run \(run): \(error)", 1)
    }
    if let initError = result.initError {
        print("run \(run): the bootstrap reported an initialisation error: \(initError)")
        print(String(result.log.suffix(2000)))
        exit(3)
    }
    guard let initMilliseconds = result.initMilliseconds else {
        let how =
            result.exitStatus.map { "exited with status \($0)" } ?? "was still running after \(format(timeout)) s"
        print(
            "run \(run): the bootstrap \(how) without calling the Runtime API "
                + "(GET /2018-06-01/runtime/invocation/next): no cold start to measure. A placeholder main "
                + "does this; the real runtime loop must call the API. Its output:")
        let output = result.log.split(separator: "\n").suffix(40).joined(separator: "\n  ")
        print("  " + (output.isEmpty ? "(none)" : output))
        exit(2)
    }
    inits.append(initMilliseconds)
    let first =
        result.firstMilliseconds.map {
            "first invocation (s3:TestEvent) answered by POST .../\(result.answer ?? "?") after \(format($0)) ms"
        } ?? "first invocation not answered before the timeout"
    let rss = result.peakRSSKiB.map { ", peak RSS \(format(Double($0) / 1024)) MiB" } ?? ""
    print("run \(run): init \(format(initMilliseconds)) ms (exec -> first GET next); \(first)\(rss)")
}
let sorted = inits.sorted()
let median =
    sorted.count % 2 == 1
    ? sorted[sorted.count / 2] : (sorted[sorted.count / 2 - 1] + sorted[sorted.count / 2]) / 2
print(
    "cold start (exec -> first GET next) over \(inits.count) runs: min \(format(sorted[0])) ms, "
        + "median \(format(median)) ms, max \(format(sorted[sorted.count - 1])) ms")
