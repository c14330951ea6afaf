/* SPDX-License-Identifier: Apache-2.0 */
/*
 * str.c - bounded string copy, strict unsigned number parsing and ASCII
 * case folding. No locale, no strtoul (it accepts signs, spaces and
 * partial input, all of which are wrong for evidence fields).
 */
#include <stdint.h>
#include <string.h>

#include "core/str.h"
#include "vigil/err.h"

#include "core/banned.h"

size_t
vg_strlcpy(char *dst, const char *src, size_t cap)
{
    size_t len = strlen(src);

    if (cap > 0) {
        size_t n = len < cap - 1 ? len : cap - 1;
        memcpy(dst, src, n);
        dst[n] = '\0';
    }
    return len;
}

static int
digit_value(char c, unsigned base)
{
    int v;

    if (c >= '0' && c <= '9') {
        v = c - '0';
    } else if (base == 16 && c >= 'a' && c <= 'f') {
        v = c - 'a' + 10;
    } else if (base == 16 && c >= 'A' && c <= 'F') {
        v = c - 'A' + 10;
    } else {
        return -1;
    }
    return v;
}

int
vg_parse_u64(const char *s, size_t n, uint64_t min, uint64_t max,
             uint64_t *out)
{
    unsigned base = 10;
    uint64_t v = 0;
    size_t i = 0;

    *out = 0;
    if (s == NULL || n == 0) {
        return VG_EINVAL;
    }
    if (n > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
        base = 16;
        i = 2;
    }
    for (; i < n; i++) {
        int d = digit_value(s[i], base);
        if (d < 0 || v > (UINT64_MAX - (uint64_t)d) / base) {
            return VG_EINVAL;
        }
        v = v * base + (uint64_t)d;
    }
    if (v < min || v > max) {
        return VG_EINVAL;
    }
    *out = v;
    return VG_OK;
}

int
vg_ascii_ieq(const char *a, const char *b, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (vg_ascii_lower(a[i]) != vg_ascii_lower(b[i])) {
            return 0;
        }
    }
    return 1;
}
