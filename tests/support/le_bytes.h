/* SPDX-License-Identifier: Apache-2.0 */
/*
 * le_bytes.h - little-endian loads and stores for the test fixture writers
 * (EVTX writer, registry/PE fixture tool, EVTX unit tests): one place for
 * the byte shifting. They touch exactly 2, 4 or 8 bytes the caller has
 * sized; no bounds checks, no allocation. Not for the library: lib/ reads
 * input only through struct vg_rd.
 */
#ifndef VG_TEST_LE_BYTES_H
#define VG_TEST_LE_BYTES_H

#include <stdint.h>

static inline void
le_put16(uint8_t *p, uint16_t v)
{
    p[0] = (uint8_t)v;
    p[1] = (uint8_t)(v >> 8);
}

static inline void
le_put32(uint8_t *p, uint32_t v)
{
    le_put16(p, (uint16_t)v);
    le_put16(p + 2, (uint16_t)(v >> 16));
}

static inline void
le_put64(uint8_t *p, uint64_t v)
{
    le_put32(p, (uint32_t)v);
    le_put32(p + 4, (uint32_t)(v >> 32));
}

static inline uint32_t
le_get32(const uint8_t *p)
{
    return (uint32_t)p[0] | ((uint32_t)p[1] << 8) | ((uint32_t)p[2] << 16) |
           ((uint32_t)p[3] << 24);
}

#endif
