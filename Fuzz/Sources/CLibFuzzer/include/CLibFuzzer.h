#ifndef CLIBFUZZER_H
#define CLIBFUZZER_H
#include <stddef.h>
#include <stdint.h>

/// libFuzzer's driver entry point (compiler-rt, available with -sanitize=fuzzer).
/// SwiftPM renames an executable's `main` and points the `main` symbol at it, so libFuzzer's own
/// `main` is not used: the Swift top-level code calls this instead.
int LLVMFuzzerRunDriver(int *argc, char ***argv, int (*UserCb)(const uint8_t *Data, size_t Size));

#endif
