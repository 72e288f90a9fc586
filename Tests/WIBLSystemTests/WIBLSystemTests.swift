import Testing
import WIBLSystem

@Suite struct UTCCalendarTests {
    @Test(arguments: [
        (Int64(0), Int64(1970), Int64(1), Int64(1)),
        (-1, 1969, 12, 31),
        (11_016, 2000, 2, 29),
        (19_782, 2024, 2, 29),
        (-719_162, 1, 1, 1),
        (2_932_896, 9999, 12, 31),
    ])
    func civilDatesOfKnownDays(days: Int64, year: Int64, month: Int64, day: Int64) {
        let civil = UTCCalendar.civil(days: days)
        #expect(civil.year == year && civil.month == month && civil.day == day)
        #expect(UTCCalendar.days(year: year, month: month, day: day) == days)
    }

    @Test func fieldsOfAnInstantBeforeTheEpochRoundDown() {
        let fields = UTCCalendar.fields(secondsSince1970: -1)
        #expect(fields == UTCCalendar.Fields(year: 1969, month: 12, day: 31, hour: 23, minute: 59, second: 59))
        #expect(UTCCalendar.floorDivide(-1, 86_400) == -1)
        #expect(UTCCalendar.padded(7, 3) == "007")
    }

    @Test func leapYears() {
        #expect(UTCCalendar.daysInMonth(year: 2000, month: 2) == 29)
        #expect(UTCCalendar.daysInMonth(year: 1900, month: 2) == 28)
        #expect(UTCCalendar.daysInMonth(year: 2024, month: 4) == 30)
    }
}

@Suite struct FileTests {
    @Test func aTemporaryFolderIsMadeUsedAndRemoved() async throws {
        var seen = ""
        try await FileSystem.withTemporaryFolder(prefix: "wibl-system-test") { folder in
            seen = folder
            #expect(FileSystem.isFolder(folder))
            try FileSystem.makeFolders(folder + "/a/b")
            try AtomicFile.write(to: folder + "/a/b/file") { sink in try sink.write(Array("hello".utf8)) }
            #expect(try FileSystem.entries(of: folder + "/a/b") == ["file"])
            #expect(try readWholeFile(folder + "/a/b/file") == Array("hello".utf8))
        }
        #expect(!seen.isEmpty && !FileSystem.isFolder(seen), "the folder and its contents are gone")
    }

    @Test func aFileOverTheLimitIsRefusedBeforeItIsRead() async throws {
        try await FileSystem.withTemporaryFolder { folder in
            try AtomicFile.write(to: folder + "/big") { sink in try sink.write([UInt8](repeating: 1, count: 100)) }
            #expect(throws: FileTooLargeError(path: folder + "/big", size: 100, limit: 99)) {
                try readWholeFile(folder + "/big", limit: 99)
            }
        }
    }

    @Test func aMissingFileIsASystemErrorWithTheReasonInWords() {
        #expect {
            try readWholeFile("/nonexistent-wibl/file")
        } throws: { error in
            guard let error = error as? SystemError else { return false }
            return error.isMissing
                && error.description == "cannot read '/nonexistent-wibl/file': No such file or directory."
        }
    }

    @Test func aFolderIsNotAFile() {
        #expect(throws: SystemError("read", path: "/tmp", code: EISDIR)) { try readWholeFile("/tmp") }
    }

    @Test func makingAFolderWhereAFileIsFailsNamingIt() async throws {
        try await FileSystem.withTemporaryFolder { folder in
            try AtomicFile.write(to: folder + "/file") { sink in try sink.write([1]) }
            #expect(throws: SystemError.self) { try FileSystem.makeFolders(folder + "/file/sub") }
        }
    }
}

@Suite struct EnvironmentAndClockTests {
    @Test func variablesAreSetReadAndRemoved() {
        Environment.set("WIBL_SYSTEM_TEST", "x")
        #expect(Environment.get("WIBL_SYSTEM_TEST") == "x")
        #expect(Environment.all()["WIBL_SYSTEM_TEST"] == "x")
        Environment.set("WIBL_SYSTEM_TEST", "")
        #expect(Environment.get("WIBL_SYSTEM_TEST") == "" && Environment.nonEmpty("WIBL_SYSTEM_TEST") == nil)
        Environment.set("WIBL_SYSTEM_TEST", nil)
        #expect(Environment.get("WIBL_SYSTEM_TEST") == nil)
    }

    @Test func theWallClockIsAfter2024AndTheMonotonicClockNeverGoesBack() {
        #expect(SystemClock.wallSeconds() > 1_704_067_200)
        let a = SystemClock.monotonicNanoseconds()
        let b = SystemClock.monotonicNanoseconds()
        #expect(b >= a)
    }
}
