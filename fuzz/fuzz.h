/*
 * fuzz.h: the entry point every fuzz/fuzz_<name>.c defines. Built with
 * -DINKAN_FUZZ=ON it is driven by libFuzzer (make fuzz); otherwise replay.c
 * runs it over the seed corpus fuzz/corpus/<name>/ as a ctest.
 *
 * A target must not leak, must not print, and must treat every status as a
 * normal outcome: the only failures are the sanitizers' findings.
 */
#ifndef INKAN_FUZZ_H
#define INKAN_FUZZ_H

#include <stddef.h>
#include <stdint.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#endif
