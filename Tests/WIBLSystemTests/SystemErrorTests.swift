import Testing
import WIBLSystem

/// `SystemError` says what really went wrong when the system's own sentence would mislead.
@Suite struct SystemErrorTests {
    @Test func creatingInAFolderThatExistsButRefusesEntriesSaysSo() {
        // /proc answers ENOENT to mkdir although /proc exists.
        let error = SystemError("create the folder", path: "/proc/x", code: ENOENT)
        #expect(error.description.contains("'/proc' exists but does not accept new entries"))
        #expect(error.description.contains(SystemError.reason(ENOENT)), "the system's own words are kept")
    }

    @Test func aMissingFileIsStillMissing() {
        #expect(
            SystemError("read", path: "/tmp/wibl-no-such-file", code: ENOENT).description
                == "cannot read '/tmp/wibl-no-such-file': \(SystemError.reason(ENOENT)).")
        #expect(
            SystemError("create the folder", path: "/wibl-no-such-folder/x", code: ENOENT).description
                == "cannot create the folder '/wibl-no-such-folder/x': \(SystemError.reason(ENOENT)).",
            "the parent does not exist: the system's sentence is right")
    }
}
