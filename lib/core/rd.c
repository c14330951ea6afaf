/* SPDX-License-Identifier: Apache-2.0 */
/*
 * rd.c - bounds-checked little-endian reads over untrusted bytes. Every
 * failure leaves the cursor unchanged. No big-endian or varint readers:
 * nothing Vigil parses needs them yet.
 */
#include <stdint.h>
#include <string.h>

#include "core/rd.h"
#include "vigil/err.h"

#include "core/banned.h"

static int
take(struct vg_rd *rd, size_t n, const uint8_t **out)
{
    if (n > vg_rd_left(rd)) {
        return VG_EFORMAT;
    }
    *out = rd->p + rd->pos;
    rd->pos += n;
    return VG_OK;
}

int
vg_rd_u8(struct vg_rd *rd, uint8_t *out)
{
    const uint8_t *p;

    *out = 0;
    if (take(rd, 1, &p) != VG_OK) {
        return VG_EFORMAT;
    }
    *out = p[0];
    return VG_OK;
}

int
vg_rd_u16le(struct vg_rd *rd, uint16_t *out)
{
    const uint8_t *p;

    *out = 0;
    if (take(rd, 2, &p) != VG_OK) {
        return VG_EFORMAT;
    }
    *out = vg_le16(p);
    return VG_OK;
}

int
vg_rd_u32le(struct vg_rd *rd, uint32_t *out)
{
    const uint8_t *p;

    *out = 0;
    if (take(rd, 4, &p) != VG_OK) {
        return VG_EFORMAT;
    }
    *out = vg_le32(p);
    return VG_OK;
}

int
vg_rd_u64le(struct vg_rd *rd, uint64_t *out)
{
    const uint8_t *p;

    *out = 0;
    if (take(rd, 8, &p) != VG_OK) {
        return VG_EFORMAT;
    }
    *out = vg_le64(p);
    return VG_OK;
}

int
vg_rd_bytes(struct vg_rd *rd, size_t n, const uint8_t **out)
{
    *out = NULL;
    return take(rd, n, out);
}

int
vg_rd_skip(struct vg_rd *rd, size_t n)
{
    const uint8_t *p;

    return take(rd, n, &p);
}

int
vg_rd_seek(struct vg_rd *rd, size_t pos)
{
    if (pos > rd->len) {
        return VG_EFORMAT;
    }
    rd->pos = pos;
    return VG_OK;
}

int
vg_rd_sub(struct vg_rd *rd, size_t n, struct vg_rd *out)
{
    const uint8_t *p;

    vg_rd_init(out, NULL, 0);
    if (take(rd, n, &p) != VG_OK) {
        return VG_EFORMAT;
    }
    out->p = p;
    out->len = n;
    return VG_OK;
}

int
vg_rd_match(struct vg_rd *rd, const void *magic, size_t n)
{
    if (n > vg_rd_left(rd) || (n > 0 && memcmp(rd->p + rd->pos, magic, n) != 0)) {
        return VG_EFORMAT;
    }
    rd->pos += n;
    return VG_OK;
}
