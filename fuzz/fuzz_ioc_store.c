/* SPDX-License-Identifier: Apache-2.0 */
/*
 * fuzz_ioc_store.c - libFuzzer harness for the saved IOC store loader
 * (.vgs). A file that loads must serialise back to exactly the same bytes
 * and answer lookups; anything else must be refused with an error. The
 * CRC is recomputed by the seeds' generator, not here: the harness also
 * accepts inputs whose CRC the fuzzer cannot fix, so it feeds every input
 * a second time with the CRC patched to match, reaching the validators
 * behind the checksum.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "vigil/ioc.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
try_load(const uint8_t *data, size_t size)
{
    struct vg_ioc_store *st = NULL;
    struct vg_diag d;
    struct vg_buf b;
    uint32_t ids[8];

    if (vg_ioc_store_load_mem(data, size, &st, &d) != VG_OK) {
        return;
    }
    vg_buf_init(&b, 1u << 28);
    if (vg_ioc_store_serialize(st, &b) != VG_OK || b.len != size ||
        memcmp(b.data, data, size) != 0) {
        abort(); /* loading is exact: what loads re-serialises unchanged */
    }
    vg_buf_fini(&b);
    (void)vg_ioc_lookup_any(st, "10.1.2.3", 8, ids, 8);
    (void)vg_ioc_lookup_path(st, "C:\\Windows\\Temp\\x.exe", 21, ids, 8);
    (void)vg_ioc_match_text(st, "a.example 1.2.3.4 test.xml", 26, NULL, NULL);
    vg_ioc_store_free(st);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    try_load(data, size);
    if (size > 64 && size < (64u << 20)) {
        uint8_t *copy = malloc(size);
        if (copy == NULL) {
            return 0;
        }
        memcpy(copy, data, size);
        uint32_t crc = (uint32_t)crc32_z(0, copy + 64, size - 64);
        for (int i = 0; i < 4; i++) {
            copy[40 + i] = (uint8_t)(crc >> (8 * i));
        }
        for (int i = 0; i < 8; i++) {
            copy[48 + i] = (uint8_t)((uint64_t)size >> (8 * i));
        }
        try_load(copy, size);
        free(copy);
    }
    return 0;
}
