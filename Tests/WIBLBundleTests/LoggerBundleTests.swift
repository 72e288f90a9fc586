import Testing
import WIBLSystem
import WIBLTestSupport

@testable import WIBLBundle

/// Reading logger bundles: tar formats, hostile members, limits, damaged data.
@Suite struct LoggerBundleTests {
    func members(_ bundle: LoggerBundle) throws -> [String] {
        var names: [String] = []
        while let (member, _) = try bundle.nextMember() { names.append(member.name) }
        return names
    }

    func wiblBytes() throws -> [UInt8] { try Fixtures.bytes("wibl/synth-v1_0.wibl") }

    @Test func readsUstarPaxAndGNULongNames() throws {
        let data = try wiblBytes()
        var tar = TarBuilder()
        tar.add("logs/", [], type: UInt8(ascii: "5"))
        tar.add("logs/wibl-raw.0", data)
        tar.add("wibl-raw.1", Array("short".utf8), prefix: "logs")
        let long = "logs/" + String(repeating: "d", count: 120) + "/wibl-raw.2"
        tar.addPax([("path", long), ("mtime", "1700000000.5")])
        tar.add("ignored-name", [1, 2, 3])
        tar.add("././@LongLink", Array((long + "x\u{0}").utf8), type: UInt8(ascii: "L"))
        tar.add("truncated-name", [4])
        tar.add("logs/config.jsn", Array("{}".utf8))
        tar.finish()
        let bundle = try LoggerBundle(compressed: gzip(tar.bytes))
        let first = try #require(try bundle.nextMember())
        #expect(first.member.name == "logs/wibl-raw.0" && first.member.bytes == data && first.kind == .wibl(number: 0))
        let second = try #require(try bundle.nextMember())
        #expect(second.member.name == "logs/wibl-raw.1" && second.member.bytes == Array("short".utf8))
        let third = try #require(try bundle.nextMember())
        #expect(third.member.name == long && third.member.bytes == [1, 2, 3] && third.kind == .wibl(number: 2))
        let fourth = try #require(try bundle.nextMember())
        #expect(fourth.member.name == long + "x" && fourth.kind == .other)
        let fifth = try #require(try bundle.nextMember())
        #expect(fifth.kind == .jsonSnapshot)
        #expect(try bundle.nextMember() == nil)
        #expect(bundle.warnings.isEmpty)
    }

    @Test(arguments: ["gnu", "pax", "ustar"])
    func readsWhatSystemTarWrites(format: String) throws {
        let folder = try FileSystem.makeTemporaryFolder()
        try FileSystem.makeFolders(folder + "/logs")
        try writeFile(folder + "/logs/wibl-raw.0", try wiblBytes())
        try writeFile(folder + "/logs/wibl-raw.17", try Fixtures.bytes("wibl/test-algo-dedup.wibl"))
        try writeFile(folder + "/logs/catalog.jsn", Array("{\"files\": 2}".utf8))
        let result = try runProcess(
            "/bin/tar", ["--format=\(format)", "-czf", folder + "/b.tgz", "-C", folder, "logs"])
        try #require(result.status == 0, "\(result.stderr)")
        let bundle = try LoggerBundle(compressed: try readWholeFile(folder + "/b.tgz"))
        var found: [String: [UInt8]] = [:]
        while let member = try bundle.nextWIBLFile() { found[member.name] = member.bytes }
        #expect(found.keys.sorted() == ["logs/wibl-raw.0", "logs/wibl-raw.17"])
        #expect(found["logs/wibl-raw.0"] == (try wiblBytes()))
    }

    @Test func hostileNamesAndLinksAreSkippedWithAWarning() throws {
        var tar = TarBuilder()
        tar.add("/etc/wibl-raw.0", [1])
        tar.add("logs/../../wibl-raw.1", [2])
        tar.add("wibl-raw.2", [], type: UInt8(ascii: "2"), link: "/etc/passwd")
        tar.add("wibl-raw.3", [], type: UInt8(ascii: "1"), link: "wibl-raw.4")
        tar.add("fifo", [], type: UInt8(ascii: "6"))
        tar.addPax([("path", "../escape")])
        tar.add("harmless-looking", [3])
        tar.add("logs/wibl-raw.5", [5])
        tar.finish()
        let bundle = try LoggerBundle(compressed: gzip(tar.bytes))
        #expect(try members(bundle) == ["logs/wibl-raw.5"])
        #expect(
            bundle.warnings == [
                .unsafeName("/etc/wibl-raw.0"), .unsafeName("logs/../../wibl-raw.1"),
                .link(name: "wibl-raw.2", target: "/etc/passwd"), .link(name: "wibl-raw.3", target: "wibl-raw.4"),
                .specialMember(name: "fifo", type: UInt8(ascii: "6")), .unsafeName("../escape"),
            ])
        #expect(bundle.warnings[0].description.contains("absolute names and '..' are not allowed"))
    }

    @Test func theDecompressedSizeIsCapped() throws {
        var tar = TarBuilder()
        tar.add("wibl-raw.0", [UInt8](repeating: 7, count: 300_000))
        tar.add("wibl-raw.1", [UInt8](repeating: 8, count: 300_000))
        tar.finish()
        var limits = BundleLimits()
        limits.maximumDecompressedBytes = 400_000
        limits.maximumCompressionRatio = 100_000
        let bundle = try LoggerBundle(compressed: gzip(tar.bytes), limits: limits)
        #expect(try bundle.nextWIBLFile()?.name == "wibl-raw.0", "the first member is within the limit")
        #expect(throws: BundleError.decompressedSizeLimit(limit: 400_000)) { try bundle.nextWIBLFile() }
    }

    @Test func aDeclaredSizeAboveTheCapIsRefusedBeforeReading() throws {
        var tar = TarBuilder()
        // GNU base-256 size field: 2^62 bytes.
        tar.add("wibl-raw.0", [], sizeField: [0x80, 0, 0, 0, 0x40, 0, 0, 0, 0, 0, 0, 0])
        tar.finish()
        let bundle = try LoggerBundle(compressed: gzip(tar.bytes))
        #expect(throws: BundleError.decompressedSizeLimit(limit: 256 << 20)) { try bundle.nextMember() }
    }

    @Test func theCompressionRatioIsCapped() throws {
        var tar = TarBuilder()
        tar.add("wibl-raw.0", [UInt8](repeating: 0, count: 4 << 20))
        tar.finish()
        let compressed = gzip(tar.bytes, level: 9)
        #expect(compressed.count < (4 << 20) / 200, "zeros compress far more than 200:1")
        let bundle = try LoggerBundle(compressed: compressed)
        #expect(throws: BundleError.compressionRatioLimit(ratio: 200)) { try bundle.nextMember() }
    }

    @Test func theMemberCountIsCapped() throws {
        var tar = TarBuilder()
        for i in 0..<20 { tar.add("wibl-raw.\(i)", [UInt8(i)]) }
        tar.finish()
        var limits = BundleLimits()
        limits.maximumMembers = 10
        let bundle = try LoggerBundle(compressed: gzip(tar.bytes), limits: limits)
        var read = 0
        #expect(throws: BundleError.memberCountLimit(limit: 10)) {
            while try bundle.nextMember() != nil { read += 1 }
        }
        #expect(read == 10)
    }

    @Test func corruptGzipIsATypedErrorAfterTheGoodMembers() throws {
        var tar = TarBuilder()
        var generator = SystemRandomNumberGenerator()
        // Incompressible members, so that the damage lands in the second one.
        tar.add("wibl-raw.0", (0..<100_000).map { _ in UInt8.random(in: 0...255, using: &generator) })
        tar.add("wibl-raw.1", (0..<100_000).map { _ in UInt8.random(in: 0...255, using: &generator) })
        tar.finish()
        var compressed = gzip(tar.bytes, level: 1)
        for i in 150_000..<150_100 { compressed[i] ^= 0x5A }
        let bundle = try LoggerBundle(compressed: compressed)
        #expect(try bundle.nextWIBLFile()?.name == "wibl-raw.0")
        do {
            _ = try bundle.nextWIBLFile()
            Issue.record("the damage went unnoticed")
        } catch {
            guard case .corruptGzip(let offset, let reason) = error else {
                Issue.record("unexpected \(error)")
                return
            }
            #expect(offset > 100_000 && !reason.isEmpty)
        }
    }

    @Test func truncatedGzipAndTruncatedTar() throws {
        var tar = TarBuilder()
        tar.add("wibl-raw.0", [UInt8](repeating: 1, count: 5000))
        tar.add("wibl-raw.1", [UInt8](repeating: 2, count: 5000))
        tar.finish()
        let compressed = gzip(tar.bytes)
        let cut = try LoggerBundle(compressed: Array(compressed.prefix(compressed.count - 12)))
        var names: [String] = []
        do {
            while let m = try cut.nextWIBLFile() { names.append(m.name) }
            Issue.record("no error")
        } catch {
            if case .truncatedGzip = error {} else { Issue.record("unexpected \(error)") }
        }
        #expect(names == ["wibl-raw.0", "wibl-raw.1"] || names == ["wibl-raw.0"])
        let shortTar = try LoggerBundle(compressed: gzip(Array(tar.bytes.prefix(512 + 5000 + 512 + 100))))
        #expect(try shortTar.nextWIBLFile()?.name == "wibl-raw.0")
        #expect(throws: BundleError.truncatedTar(member: 1, offset: 5632)) { try shortTar.nextWIBLFile() }
    }

    @Test func corruptTarHeadersAndNonGzipInput() throws {
        var tar = TarBuilder()
        tar.add("wibl-raw.0", [1])
        tar.add("wibl-raw.1", [2], corruptChecksum: true)
        tar.finish()
        let bundle = try LoggerBundle(compressed: gzip(tar.bytes))
        #expect(try bundle.nextWIBLFile()?.name == "wibl-raw.0")
        do {
            _ = try bundle.nextWIBLFile()
            Issue.record("bad checksum accepted")
        } catch {
            guard case .corruptTar(member: 1, offset: 1024, _) = error else {
                Issue.record("unexpected \(error)")
                return
            }
        }
        #expect(throws: BundleError.notGzip) { try LoggerBundle(compressed: Array("hello".utf8)) }
        #expect(throws: BundleError.notGzip) { try LoggerBundle(compressed: []) }
        var badSize = TarBuilder()
        badSize.add("wibl-raw.0", [], sizeField: Array("12x".utf8))
        #expect(throws: BundleError.self) { try LoggerBundle(compressed: gzip(badSize.bytes)).nextMember() }
    }

    @Test func concatenatedGzipMembersAndTrailingZeros() throws {
        var a = TarBuilder()
        a.add("wibl-raw.0", [1, 2, 3])
        var b = TarBuilder()
        b.add("wibl-raw.1", [4, 5])
        b.finish()
        let bundle = try LoggerBundle(compressed: gzip(a.bytes) + gzip(b.bytes) + [0, 0, 0, 0])
        #expect(try members(bundle) == ["wibl-raw.0", "wibl-raw.1"])
        let garbage = try LoggerBundle(compressed: gzip(b.bytes) + Array("junk".utf8))
        #expect(throws: BundleError.self) { try members(garbage) }
    }

    @Test func namesAndKinds() {
        #expect(
            LoggerBundle.outputName(bundle: "/x/ABC-123.tgz", member: "logs/wibl-raw.7") == "ABC-123/wibl-raw.7.geojson"
        )
        #expect(LoggerBundle.stem("wibl-logs.tar.gz") == "wibl-logs")
        #expect(LoggerBundle.isBundleName("A.TGZ") && !LoggerBundle.isBundleName("a.wibl"))
        #expect(BundleMemberKind(name: "logs/wibl-raw.12") == .wibl(number: 12))
        #expect(BundleMemberKind(name: "logs/wibl-raw.x") == .other)
        #expect(BundleMemberKind(name: "logs/wibl-raw.") == .other)
        #expect(BundleMemberKind(name: "logs/wibl-raw.+5") == .other)
        #expect(BundleMemberKind(name: "defaults.jsn") == .jsonSnapshot)
        #expect(TarReader.number(ArraySlice(Array("0000644\u{0}".utf8))) == 0o644)
        #expect(TarReader.number(ArraySlice(Array("  17 ".utf8))) == 0o17)
        #expect(TarReader.number(ArraySlice(Array("1 2".utf8))) == nil)
        #expect(!TarReader.isSafe("a/../b") && !TarReader.isSafe("/a") && TarReader.isSafe("a/..b"))
    }
}
