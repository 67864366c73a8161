#ifndef HERD_CFUZZDRIVER_H
#define HERD_CFUZZDRIVER_H

#include <stddef.h>
#include <stdint.h>

// SwiftPM renames an executable's entry point to `<Module>_main` and links `main` to it, which hides libFuzzer's
// own `main`. So each target keeps a Swift `@main` that hands over to libFuzzer's documented driver entry instead.

/// The target's fuzz function, defined in Swift with `@_cdecl("LLVMFuzzerTestOneInput")`.
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/// libFuzzer's driver (compiler-rt), linked in by `-sanitize=fuzzer`.
int LLVMFuzzerRunDriver(int *argc, char ***argv, int (*callback)(const uint8_t *data, size_t size));

/// Runs libFuzzer over `LLVMFuzzerTestOneInput` with the process's arguments.
int herd_fuzz_main(int argc, char **argv);

#endif
