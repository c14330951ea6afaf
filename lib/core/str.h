/* SPDX-License-Identifier: Apache-2.0 */
/*
 * str.h - length-delimited string helpers. Outside text is (ptr, len), never
 * assumed NUL-terminated; numbers are parsed with explicit bounds.
 */
#ifndef VG_CORE_STR_H
#define VG_CORE_STR_H

#include <stddef.h>
#include <stdint.h>

#include "vigil/compiler.h"

/* Copy with truncation; always NUL-terminates (cap > 0). Returns strlen(src);
 * truncation happened if the result >= cap (OpenBSD strlcpy). */
size_t vg_strlcpy(char *dst, const char *src, size_t cap);
/* Parse an unsigned decimal (or 0x hex) number that fills all of s[0..n) and
 * lies in [min, max]. VG_OK or VG_EINVAL. */
VG_NODISCARD int vg_parse_u64(const char *s, size_t n, uint64_t min,
                              uint64_t max, uint64_t *out);
/* ASCII case-insensitive compare of equal-length byte strings: 1 if equal. */
int vg_ascii_ieq(const char *a, const char *b, size_t n);
static inline char
vg_ascii_lower(char c)
{
    return (c >= 'A' && c <= 'Z') ? (char)(c + 32) : c;
}

#endif
