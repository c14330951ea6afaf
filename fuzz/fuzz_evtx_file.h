/* SPDX-License-Identifier: Apache-2.0 */
/*
 * fuzz_evtx_file.h - what the EVTX chunk harnesses (fuzz_evtx_chunk.c,
 * fuzz_evtx_tplcache.c) share: the fuzz input as the one chunk of a file
 * with a valid header, so the input exercises the chunk and record parsers
 * instead of failing the file checks.
 */
#ifndef VG_FUZZ_EVTX_FILE_H
#define VG_FUZZ_EVTX_FILE_H

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "vigil/evtx.h"

/* A calloc'ed file of *total bytes (free() it), or NULL. The first input
 * byte is a switch: odd forces the chunk magic, so mutations of the rest
 * reach past the signature check; the other bytes are the chunk (cut or
 * zero-padded to the chunk size). */
static uint8_t *
fuzz_evtx_one_chunk(const uint8_t *data, size_t size, size_t *total)
{
    int force = size > 0 && (data[0] & 1);
    uint8_t *file;

    *total = VG_EVTX_FILE_HEADER_SIZE + VG_EVTX_CHUNK_SIZE;
    if (size > 0) {
        data++;
        size--;
    }
    file = calloc(1, *total);
    if (file == NULL) {
        return NULL;
    }
    memcpy(file, "ElfFile", 8);
    file[32] = 128; /* header size */
    file[36] = 1;   /* minor version */
    file[38] = 3;   /* major version */
    file[41] = 0x10; /* header block size 4096 */
    file[42] = 1;   /* one chunk */
    memcpy(file + VG_EVTX_FILE_HEADER_SIZE, data,
           size < VG_EVTX_CHUNK_SIZE ? size : VG_EVTX_CHUNK_SIZE);
    if (force) {
        memcpy(file + VG_EVTX_FILE_HEADER_SIZE, "ElfChnk", 8);
    }
    return file;
}

#endif
