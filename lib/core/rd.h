/* SPDX-License-Identifier: Apache-2.0 */
/*
 * rd.h - bounds-checked little-endian cursor over untrusted bytes (OpenBSD's
 * CBS). Binary input is read only through this: no struct casts over input.
 * A failed read returns VG_EFORMAT and leaves the cursor where it was, so the
 * caller can report the exact offset. The cursor borrows the bytes.
 */
#ifndef VG_CORE_RD_H
#define VG_CORE_RD_H

#include <stddef.h>
#include <stdint.h>

#include "vigil/compiler.h"

struct vg_rd {
    const uint8_t *p;   /* start of the window */
    size_t         len; /* bytes in the window */
    size_t         pos; /* cursor, 0..len */
};

static inline void
vg_rd_init(struct vg_rd *rd, const void *p, size_t len)
{
    rd->p = (const uint8_t *)p;
    rd->len = p != NULL ? len : 0;
    rd->pos = 0;
}

static inline size_t
vg_rd_left(const struct vg_rd *rd)
{
    return rd->len - rd->pos;
}

VG_NODISCARD int vg_rd_u8(struct vg_rd *rd, uint8_t *out);
VG_NODISCARD int vg_rd_u16le(struct vg_rd *rd, uint16_t *out);
VG_NODISCARD int vg_rd_u32le(struct vg_rd *rd, uint32_t *out);
VG_NODISCARD int vg_rd_u64le(struct vg_rd *rd, uint64_t *out);
/* Borrow n bytes at the cursor and advance. */
VG_NODISCARD int vg_rd_bytes(struct vg_rd *rd, size_t n, const uint8_t **out);
VG_NODISCARD int vg_rd_skip(struct vg_rd *rd, size_t n);
/* Move the cursor to an absolute position (pos <= len). */
VG_NODISCARD int vg_rd_seek(struct vg_rd *rd, size_t pos);
/* Sub-cursor over the next n bytes (the parent advances past them). */
VG_NODISCARD int vg_rd_sub(struct vg_rd *rd, size_t n, struct vg_rd *out);
/* Advance past n bytes if they equal magic; VG_EFORMAT (cursor kept) if not. */
VG_NODISCARD int vg_rd_match(struct vg_rd *rd, const void *magic, size_t n);

/* Unchecked loads for callers that already checked the bounds. */
static inline uint16_t
vg_le16(const uint8_t *p)
{
    return (uint16_t)(p[0] | (p[1] << 8));
}
static inline uint32_t
vg_le32(const uint8_t *p)
{
    return (uint32_t)p[0] | ((uint32_t)p[1] << 8) | ((uint32_t)p[2] << 16) |
           ((uint32_t)p[3] << 24);
}
static inline uint64_t
vg_le64(const uint8_t *p)
{
    return (uint64_t)vg_le32(p) | ((uint64_t)vg_le32(p + 4) << 32);
}

#endif
