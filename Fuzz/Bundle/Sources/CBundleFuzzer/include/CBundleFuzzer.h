#ifndef CBUNDLEFUZZER_H
#define CBUNDLEFUZZER_H
#include <stddef.h>
#include <stdint.h>

/// libFuzzer's driver entry point (compiler-rt, available with -sanitize=fuzzer); the Swift
/// top-level code calls it, as in Fuzz/Sources/FuzzWIBLDecode.
int LLVMFuzzerRunDriver(int *argc, char ***argv, int (*UserCb)(const uint8_t *Data, size_t Size));

#endif
