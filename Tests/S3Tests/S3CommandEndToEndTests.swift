import AsyncHTTPClient
import S3
import Testing
import WIBLSystem
import WIBLTestSupport

/// The built `wibl s3 …` against moto: output, files and exit codes (ExitCodes.swift).
@Suite struct S3CommandEndToEndTests {
    func environment(_ peer: S3TestPeer, _ extra: [String: String] = [:]) -> [String: String] {
        var env = [
            "HOME": "/nonexistent", "PATH": "/usr/bin:/bin",
            "AWS_ACCESS_KEY_ID": peer.credentials.accessKeyID,
            "AWS_SECRET_ACCESS_KEY": peer.credentials.secretAccessKey,
            "AWS_ENDPOINT_URL_S3": peer.endpointURL, "AWS_REGION": peer.region,
        ]
        env.merge(extra) { $1 }
        return env.filter { !$0.value.isEmpty }
    }

    func wibl(_ arguments: [String], _ env: [String: String]) throws -> ProcessResult {
        try runProcess(Fixtures.wiblExecutable, ["s3"] + arguments, environment: env, inheritEnvironment: false)
    }

    @Test func copyListTagsRemove() async throws {
        let peer = try S3TestPeer.fromEnvironment()
        let bucket = uniqueBucket("cli")
        try await HTTPClient.withHTTPClient { http in try await peer.client(http).createBucket(bucket) }
        let env = environment(peer)
        let source = Fixtures.path("wibl/synth-v1_0.wibl")

        let up = try wibl(
            ["cp", source, "s3://\(bucket)/x.wibl", "--tag", "SourceID=abc", "--tag", "Logger=WIBL L1"], env)
        #expect(up.status == 0, "\(up.stderr)")
        #expect(up.stdout == "upload: \(source) to s3://\(bucket)/x.wibl\n")

        let tags = try wibl(["tags", "s3://\(bucket)/x.wibl"], env)
        #expect(tags.status == 0, "\(tags.stderr)")
        // in the server's order (Ceph RGW sorts by key)
        #expect(tags.stdout.split(separator: "\n").sorted() == ["Logger=WIBL L1", "SourceID=abc"])

        let list = try wibl(["ls", "s3://\(bucket)"], env)
        #expect(list.status == 0, "\(list.stderr)")
        let size = try Fixtures.bytes("wibl/synth-v1_0.wibl").count
        #expect(list.stdout.hasSuffix(" \(size) x.wibl\n"))
        #expect(list.stdout.split(separator: "\n").count == 1)

        let folder = try FileSystem.makeTemporaryFolder(prefix: "wibl-cli-e2e")
        defer { FileSystem.removeTree(folder) }
        let down = try wibl(["cp", "s3://\(bucket)/x.wibl", folder + "/"], env)
        #expect(down.status == 0, "\(down.stderr)")
        #expect(down.stdout == "download: s3://\(bucket)/x.wibl to \(folder)/x.wibl\n")
        let downloaded: [UInt8] = try readWholeFile(folder + "/x.wibl")
        let original: [UInt8] = try Fixtures.bytes("wibl/synth-v1_0.wibl")
        #expect(downloaded == original)

        let remove = try wibl(["rm", "s3://\(bucket)/x.wibl"], env)
        #expect(remove.status == 0, "\(remove.stderr)")
        #expect(remove.stdout == "delete: s3://\(bucket)/x.wibl\n")

        let gone = try wibl(["cp", "s3://\(bucket)/x.wibl", folder + "/gone.wibl"], env)
        #expect(gone.status == 8)
        #expect(gone.stderr.contains("404 NoSuchKey"))
        #expect(!LocalFileProbe.exists(folder + "/gone.wibl"), "a failed download leaves no file")
    }

    @Test func failuresHaveClearMessagesAndExitCodes() async throws {
        let peer = try S3TestPeer.fromEnvironment()
        let bucket = uniqueBucket("clierr")
        try await HTTPClient.withHTTPClient { http in try await peer.client(http).createBucket(bucket) }
        let source = Fixtures.path("wibl/synth-v1_0.wibl")

        let noCredentials = try wibl(
            ["ls", "s3://\(bucket)"], environment(peer, ["AWS_ACCESS_KEY_ID": "", "AWS_SECRET_ACCESS_KEY": ""]))
        #expect(noCredentials.status == 9)
        #expect(noCredentials.stderr.contains("no AWS credentials found"))

        let wrongSecret = try wibl(
            ["cp", source, "s3://\(bucket)/y.wibl"], environment(peer, ["AWS_SECRET_ACCESS_KEY": "wrong"]))
        #expect(wrongSecret.status == 9)
        #expect(wrongSecret.stderr.contains(peer.wrongSecretCode))
        #expect(!wrongSecret.stderr.contains("wrong"), "the secret is never printed")

        let noBucket = try wibl(["ls", "s3://\(bucket)-absent"], environment(peer))
        #expect(noBucket.status == 8)
        #expect(noBucket.stderr.contains("NoSuchBucket"))

        let noFile = try wibl(["cp", "/nonexistent/z.wibl", "s3://\(bucket)/z.wibl"], environment(peer))
        #expect(noFile.status == 3)
        #expect(noFile.stderr.contains("cannot read /nonexistent/z.wibl"))

        let badEndpoint = try wibl(["ls", "s3://\(bucket)", "--endpoint-url", "ftp://x"], environment(peer))
        #expect(badEndpoint.status == 6)

        let usage = try wibl(["cp", "a", "b"], environment(peer))
        #expect(usage.status == 64)

        let unknownProfile = try wibl(["ls", "s3://\(bucket)", "--profile", "ghost"], environment(peer))
        #expect(unknownProfile.status == 9)
        #expect(unknownProfile.stderr.contains("profile 'ghost'"))
    }
}

enum LocalFileProbe {
    static func exists(_ path: String) -> Bool {
        var info = stat()
        return stat(path, &info) == 0
    }
}
