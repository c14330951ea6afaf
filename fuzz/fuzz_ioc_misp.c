/* SPDX-License-Identifier: Apache-2.0 */
/*
 * fuzz_ioc_misp.c - libFuzzer harness for the IOC importer for MISP JSON
 * (body in fuzz_ioc_import.h).
 */
#include "fuzz_ioc_import.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    return fuzz_ioc_import(data, size, VG_IOC_FMT_MISP);
}
