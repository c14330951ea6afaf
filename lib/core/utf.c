/* SPDX-License-Identifier: Apache-2.0 */
/*
 * utf.c - UTF-16LE to UTF-8 (unpaired surrogates become U+FFFD) and strict
 * UTF-8 decoding (no overlongs, surrogates, > U+10FFFF or truncation). No
 * other encodings, no normalisation, no case folding.
 */
#include <stdint.h>

#include "core/rd.h"
#include "core/utf.h"
#include "vigil/err.h"

#include "core/banned.h"

#define REPLACEMENT 0xFFFDu

/* Encode cp (already valid) into out; returns 1..4. */
static size_t
encode(uint32_t cp, uint8_t out[4])
{
    if (cp < 0x80) {
        out[0] = (uint8_t)cp;
        return 1;
    }
    if (cp < 0x800) {
        out[0] = (uint8_t)(0xC0 | (cp >> 6));
        out[1] = (uint8_t)(0x80 | (cp & 0x3F));
        return 2;
    }
    if (cp < 0x10000) {
        out[0] = (uint8_t)(0xE0 | (cp >> 12));
        out[1] = (uint8_t)(0x80 | ((cp >> 6) & 0x3F));
        out[2] = (uint8_t)(0x80 | (cp & 0x3F));
        return 3;
    }
    out[0] = (uint8_t)(0xF0 | (cp >> 18));
    out[1] = (uint8_t)(0x80 | ((cp >> 12) & 0x3F));
    out[2] = (uint8_t)(0x80 | ((cp >> 6) & 0x3F));
    out[3] = (uint8_t)(0x80 | (cp & 0x3F));
    return 4;
}

static uint32_t
sanitize(uint32_t cp)
{
    return (cp >= 0xD800 && cp <= 0xDFFF) || cp > 0x10FFFF ? REPLACEMENT : cp;
}

int
vg_utf8_put(struct vg_buf *b, uint32_t cp)
{
    uint8_t tmp[4];

    return vg_buf_add(b, tmp, encode(sanitize(cp), tmp));
}

/* Next code point from UTF-16LE units at p[*i..n); advances *i. */
static uint32_t
next_unit(const uint8_t *p, size_t n, size_t *i)
{
    uint32_t u = vg_le16(p + 2 * *i);
    uint32_t lo;

    (*i)++;
    if (u < 0xD800 || u > 0xDFFF) {
        return u;
    }
    if (u >= 0xDC00 || *i >= n) {
        return REPLACEMENT; /* lone low, or high at the end */
    }
    lo = vg_le16(p + 2 * *i);
    if (lo < 0xDC00 || lo > 0xDFFF) {
        return REPLACEMENT; /* high not followed by low: keep the next unit */
    }
    (*i)++;
    return 0x10000u + ((u - 0xD800u) << 10) + (lo - 0xDC00u);
}

int
vg_utf16le_to_utf8(struct vg_buf *b, const uint8_t *p, size_t n_units,
                   int stop_at_nul)
{
    uint8_t chunk[256];
    size_t used = 0, i = 0, start = b->len;
    int rc = VG_OK;

    /* Convert through a stack chunk: one buffer append per 60+ units. */
    while (i < n_units) {
        uint32_t cp = next_unit(p, n_units, &i);
        if (cp == 0 && stop_at_nul) {
            break;
        }
        used += encode(cp, chunk + used);
        if (used > sizeof(chunk) - 4) {
            rc = vg_buf_add(b, chunk, used);
            if (rc != VG_OK) {
                goto out;
            }
            used = 0;
        }
    }
    rc = vg_buf_add(b, chunk, used);
out:
    if (rc != VG_OK) {
        vg_buf_truncate(b, start); /* all or nothing */
    }
    return rc;
}

size_t
vg_utf8_decode(const uint8_t *p, size_t n, uint32_t *cp)
{
    /* Smallest code point per sequence length: below it is an overlong. */
    static const uint32_t min_cp[5] = {0, 0, 0x80, 0x800, 0x10000};
    uint32_t c = p[0];
    size_t len;

    *cp = 0;
    if (c < 0x80) {
        *cp = c;
        return 1;
    }
    if (c >= 0xC2 && c <= 0xDF) {
        len = 2;
    } else if (c >= 0xE0 && c <= 0xEF) {
        len = 3;
    } else if (c >= 0xF0 && c <= 0xF4) {
        len = 4;
    } else {
        return 0; /* continuation byte, C0/C1 overlong lead, F5..FF */
    }
    c &= 0x7Fu >> len;
    if (n < len) {
        return 0;
    }
    for (size_t k = 1; k < len; k++) {
        if ((p[k] & 0xC0) != 0x80) {
            return 0;
        }
        c = (c << 6) | (p[k] & 0x3Fu);
    }
    if (c < min_cp[len] || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF)) {
        return 0;
    }
    *cp = c;
    return len;
}

int
vg_utf8_valid(const uint8_t *p, size_t n)
{
    size_t i = 0;
    uint32_t cp;

    while (i < n) {
        size_t k = vg_utf8_decode(p + i, n - i, &cp);
        if (k == 0) {
            return 0;
        }
        i += k;
    }
    return 1;
}
