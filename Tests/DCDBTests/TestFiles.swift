import WIBLSystem

/// Writes `text` to `path` (test helper).
func writeTestFile(_ path: String, _ text: String) throws {
    guard let file = fopen(path, "w") else { throw TestFileError(path: path) }
    defer { fclose(file) }
    guard fputs(text, file) >= 0 else { throw TestFileError(path: path) }
}

/// Removes `path`, ignoring errors.
func removeTestFile(_ path: String) { unlink(path) }

struct TestFileError: Error { var path: String }
