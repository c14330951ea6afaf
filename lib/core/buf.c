/* SPDX-License-Identifier: Apache-2.0 */
/*
 * buf.c - growable byte buffer with a hard maximum. Growth doubles, capped
 * at max + 1 (room for the NUL). Every failing call leaves len, data and the
 * content exactly as they were. Not thread-safe; no small-buffer trick.
 */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "core/alloc.h"
#include "vigil/buf.h"
#include "vigil/err.h"

#include "core/banned.h"

#define BUF_MIN_CAP 32

void
vg_buf_init(struct vg_buf *b, size_t max)
{
    b->data = NULL;
    b->len = 0;
    b->cap = 0;
    b->max = max;
}

void
vg_buf_fini(struct vg_buf *b)
{
    vg_free(b->data);
    vg_buf_init(b, b->max);
}

void
vg_buf_reset(struct vg_buf *b)
{
    b->len = 0;
    if (b->data != NULL) {
        b->data[0] = '\0';
    }
}

int
vg_buf_reserve(struct vg_buf *b, size_t n)
{
    size_t need, limit, cap;
    char *p;

    if (n > b->max - b->len) {
        return VG_ELIMIT;
    }
    need = b->len + n; /* <= max */
    if (b->data != NULL && need < b->cap) {
        return VG_OK;
    }
    if (need == SIZE_MAX) {
        return VG_ENOMEM; /* no room for the NUL */
    }
    limit = b->max < SIZE_MAX ? b->max + 1 : SIZE_MAX;
    cap = b->cap != 0 ? b->cap : BUF_MIN_CAP;
    while (cap < need + 1 && cap <= SIZE_MAX / 2) {
        cap *= 2;
    }
    if (cap < need + 1) {
        cap = need + 1;
    }
    if (cap > limit) {
        cap = limit;
    }
    p = vg_realloc(b->data, cap);
    if (p == NULL) {
        return VG_ENOMEM;
    }
    if (b->data == NULL) {
        p[0] = '\0';
    }
    b->data = p;
    b->cap = cap;
    return VG_OK;
}

int
vg_buf_add(struct vg_buf *b, const void *p, size_t n)
{
    int rc = vg_buf_reserve(b, n);

    if (rc != VG_OK) {
        return rc;
    }
    if (n > 0) {
        memcpy(b->data + b->len, p, n);
    }
    b->len += n;
    b->data[b->len] = '\0';
    return VG_OK;
}

int
vg_buf_addc(struct vg_buf *b, char c)
{
    return vg_buf_add(b, &c, 1);
}

int
vg_buf_adds(struct vg_buf *b, const char *s)
{
    return vg_buf_add(b, s, strlen(s));
}

int
vg_buf_vprintf(struct vg_buf *b, const char *fmt, va_list ap)
{
    va_list ap2;
    int n, rc;

    /* Measure first, so a failure never leaves half a string behind. */
    va_copy(ap2, ap);
    n = vsnprintf(NULL, 0, fmt, ap2);
    va_end(ap2);
    if (n < 0) {
        return VG_EINVAL;
    }
    rc = vg_buf_reserve(b, (size_t)n);
    if (rc != VG_OK) {
        return rc;
    }
    if (vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap) != n) {
        b->data[b->len] = '\0';
        return VG_EINTERNAL;
    }
    b->len += (size_t)n;
    return VG_OK;
}

int
vg_buf_printf(struct vg_buf *b, const char *fmt, ...)
{
    va_list ap;
    int rc;

    va_start(ap, fmt);
    rc = vg_buf_vprintf(b, fmt, ap);
    va_end(ap);
    return rc;
}

void
vg_buf_truncate(struct vg_buf *b, size_t len)
{
    if (len < b->len) {
        b->len = len;
        b->data[len] = '\0';
    }
}

char *
vg_buf_take(struct vg_buf *b)
{
    char *p = b->data;

    if (p == NULL) {
        return vg_strdup("");
    }
    vg_buf_init(b, b->max);
    return p;
}

size_t
vg_u64_dec(char *out, uint64_t v)
{
    char tmp[VG_U64_DEC_MAX];
    size_t n = sizeof(tmp);

    do {
        tmp[--n] = (char)('0' + v % 10);
        v /= 10;
    } while (v != 0);
    memcpy(out, tmp + n, sizeof(tmp) - n);
    return sizeof(tmp) - n;
}

void
vg_dec_fixed(char *out, uint64_t v, unsigned w)
{
    while (w-- > 0) {
        out[w] = (char)('0' + v % 10);
        v /= 10;
    }
}
