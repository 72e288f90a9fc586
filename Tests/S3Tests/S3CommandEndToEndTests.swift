import AsyncHTTPClient
import S3
import Testing
import WIBLSystem
import WIBLTestSupport

/// The built `wibl s3 …` against moto: output, files and exit codes (ExitCodes.swift).
@Suite struct S3CommandEndToEndTests {
    func environment(_ peer: MotoPeer, _ extra: [String: String] = [:]) -> [String: String] {
        var env = [
            "HOME": "/nonexistent", "PATH": "/usr/bin:/bin",
            "AWS_ACCESS_KEY_ID": peer.credentials.accessKeyID,
            "AWS_SECRET_ACCESS_KEY": peer.credentials.secretAccessKey,
            "AWS_ENDPOINT_URL_S3": peer.endpointURL, "AWS_REGION": peer.region,
        ]
        env.merge(extra) { $1 }
        return env.filter { !$0.value.isEmpty }
    }

    func wibl(_ arguments: [String], _ env: [String: String]) throws -> ChildProcessResult {
        try runChildProcess(Fixtures.wiblExecutable, ["s3"] + arguments, environment: env)
    }

    @Test func copyListTagsRemove() async throws {
        let peer = try MotoPeer.fromEnvironment()
        let bucket = uniqueBucket("cli")
        try await HTTPClient.withHTTPClient { http in try await peer.client(http).createBucket(bucket) }
        let env = environment(peer)
        let source = Fixtures.path("wibl/synth-v1_0.wibl")

        let up = try wibl(
            ["cp", source, "s3://\(bucket)/x.wibl", "--tag", "SourceID=abc", "--tag", "Logger=WIBL L1"], env)
        #expect(up.exitCode == 0, "\(up.standardError)")
        #expect(up.standardOutput == "upload: \(source) to s3://\(bucket)/x.wibl\n")

        let tags = try wibl(["tags", "s3://\(bucket)/x.wibl"], env)
        #expect(tags.exitCode == 0, "\(tags.standardError)")
        #expect(tags.standardOutput == "SourceID=abc\nLogger=WIBL L1\n")

        let list = try wibl(["ls", "s3://\(bucket)"], env)
        #expect(list.exitCode == 0, "\(list.standardError)")
        let size = try Fixtures.bytes("wibl/synth-v1_0.wibl").count
        #expect(list.standardOutput.hasSuffix(" \(size) x.wibl\n"))
        #expect(list.standardOutput.split(separator: "\n").count == 1)

        var template = Array("/tmp/wibl-cli-e2e.XXXXXX".utf8CString)
        let folder = try template.withUnsafeMutableBufferPointer { buffer -> String in
            guard let base = buffer.baseAddress, mkdtemp(base) != nil else { throw TestSetupError("mkdtemp") }
            return String(cString: base)
        }
        defer {
            unlink(folder + "/x.wibl")
            rmdir(folder)
        }
        let down = try wibl(["cp", "s3://\(bucket)/x.wibl", folder + "/"], env)
        #expect(down.exitCode == 0, "\(down.standardError)")
        #expect(down.standardOutput == "download: s3://\(bucket)/x.wibl to \(folder)/x.wibl\n")
        let downloaded: [UInt8] = try readFile(folder + "/x.wibl")
        let original: [UInt8] = try Fixtures.bytes("wibl/synth-v1_0.wibl")
        #expect(downloaded == original)

        let remove = try wibl(["rm", "s3://\(bucket)/x.wibl"], env)
        #expect(remove.exitCode == 0, "\(remove.standardError)")
        #expect(remove.standardOutput == "delete: s3://\(bucket)/x.wibl\n")

        let gone = try wibl(["cp", "s3://\(bucket)/x.wibl", folder + "/gone.wibl"], env)
        #expect(gone.exitCode == 8)
        #expect(gone.standardError.contains("404 NoSuchKey"))
        #expect(!LocalFileProbe.exists(folder + "/gone.wibl"), "a failed download leaves no file")
    }

    @Test func failuresHaveClearMessagesAndExitCodes() async throws {
        let peer = try MotoPeer.fromEnvironment()
        let bucket = uniqueBucket("clierr")
        try await HTTPClient.withHTTPClient { http in try await peer.client(http).createBucket(bucket) }
        let source = Fixtures.path("wibl/synth-v1_0.wibl")

        let noCredentials = try wibl(
            ["ls", "s3://\(bucket)"], environment(peer, ["AWS_ACCESS_KEY_ID": "", "AWS_SECRET_ACCESS_KEY": ""]))
        #expect(noCredentials.exitCode == 9)
        #expect(noCredentials.standardError.contains("no AWS credentials found"))

        let wrongSecret = try wibl(
            ["cp", source, "s3://\(bucket)/y.wibl"], environment(peer, ["AWS_SECRET_ACCESS_KEY": "wrong"]))
        #expect(wrongSecret.exitCode == 9)
        #expect(wrongSecret.standardError.contains("SignatureDoesNotMatch"))
        #expect(!wrongSecret.standardError.contains("wrong"), "the secret is never printed")

        let noBucket = try wibl(["ls", "s3://\(bucket)-absent"], environment(peer))
        #expect(noBucket.exitCode == 8)
        #expect(noBucket.standardError.contains("NoSuchBucket"))

        let noFile = try wibl(["cp", "/nonexistent/z.wibl", "s3://\(bucket)/z.wibl"], environment(peer))
        #expect(noFile.exitCode == 3)
        #expect(noFile.standardError.contains("cannot read /nonexistent/z.wibl"))

        let badEndpoint = try wibl(["ls", "s3://\(bucket)", "--endpoint-url", "ftp://x"], environment(peer))
        #expect(badEndpoint.exitCode == 6)

        let usage = try wibl(["cp", "a", "b"], environment(peer))
        #expect(usage.exitCode == 64)

        let unknownProfile = try wibl(["ls", "s3://\(bucket)", "--profile", "ghost"], environment(peer))
        #expect(unknownProfile.exitCode == 9)
        #expect(unknownProfile.standardError.contains("profile 'ghost'"))
    }
}

enum LocalFileProbe {
    static func exists(_ path: String) -> Bool {
        var info = stat()
        return stat(path, &info) == 0
    }
}
