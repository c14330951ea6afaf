/* SPDX-License-Identifier: Apache-2.0 */
/*
 * fuzz_ioc_loki.c - libFuzzer harness for the IOC importer for Loki/THOR lists
 * (first byte picks hash, filename or c2). Imports the input into a fresh
 * store, seals it, runs the free-text matcher over the same bytes and
 * round-trips the store through its saved form. It checks memory safety and
 * that a saved store always loads; it does not check import results (the unit
 * tests do).
 */
#include "fuzz_ioc_import.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The first byte picks the list kind (hash, filename, c2); the rest is the
 * list. */
int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const enum vg_ioc_format kinds[] = {
        VG_IOC_FMT_LOKI_HASH,
        VG_IOC_FMT_LOKI_FILENAME,
        VG_IOC_FMT_LOKI_C2,
    };

    if (size == 0) {
        return 0;
    }
    return fuzz_ioc_import(data + 1, size - 1, kinds[data[0] % 3]);
}
