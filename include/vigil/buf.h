/* SPDX-License-Identifier: Apache-2.0 */
/*
 * buf.h - growable byte buffer with a hard maximum (curl's dynbuf, OpenSSH's
 * sshbuf). Every buffer is created with the largest size it may reach; an
 * append past it fails with VG_ELIMIT and leaves the buffer as it was.
 * The data is always NUL-terminated (the NUL is not counted in len), so text
 * can be handed to printf-like sinks without copying.
 *
 * Ownership: the struct is embedded by its owner (init/fini); data belongs to
 * the buffer until vg_buf_take(). Single owner, not thread-safe.
 */
#ifndef VIGIL_BUF_H
#define VIGIL_BUF_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "vigil/compiler.h"
#include "vigil/err.h"

struct vg_buf {
    char  *data; /* NULL until the first append; NUL-terminated after */
    size_t len;  /* bytes of content */
    size_t cap;  /* bytes allocated */
    size_t max;  /* largest len allowed */
};

/* Empty buffer that may grow to max bytes. Allocates nothing. */
VG_API void vg_buf_init(struct vg_buf *b, size_t max);
/* Free the data; the buffer is empty (and reusable) afterwards. */
VG_API void vg_buf_fini(struct vg_buf *b);
/* Keep the allocation, drop the content. */
VG_API void vg_buf_reset(struct vg_buf *b);

/* Append n bytes. VG_OK, VG_ELIMIT (past max) or VG_ENOMEM. */
VG_API VG_NODISCARD int vg_buf_add(struct vg_buf *b, const void *p, size_t n);
VG_API VG_NODISCARD int vg_buf_addc(struct vg_buf *b, char c);
VG_API VG_NODISCARD int vg_buf_adds(struct vg_buf *b, const char *s);
VG_API VG_NODISCARD int vg_buf_printf(struct vg_buf *b, const char *fmt, ...)
    VG_PRINTF(2, 3);
VG_API VG_NODISCARD int vg_buf_vprintf(struct vg_buf *b, const char *fmt,
                                       va_list ap) VG_PRINTF(2, 0);
/* vg_buf_add with the common case (the room is there) inline, for writers
 * that append many short pieces (JSON output): same results. */
static inline VG_NODISCARD int
vg_buf_put(struct vg_buf *b, const void *p, size_t n)
{
    if (b->data != NULL && n < b->cap - b->len && n <= b->max - b->len) {
        if (n > 0) {
            memcpy(b->data + b->len, p, n);
        }
        b->len += n;
        b->data[b->len] = '\0';
        return VG_OK;
    }
    return vg_buf_add(b, p, n);
}
/* Make room for n more bytes without adding them. */
VG_API VG_NODISCARD int vg_buf_reserve(struct vg_buf *b, size_t n);
/* Shorten to len bytes (len <= b->len). */
VG_API void vg_buf_truncate(struct vg_buf *b, size_t len);

/* Decimal digits without printf (writers emit several numbers per record).
 * vg_u64_dec: v in VG_U64_DEC_MAX digits or fewer at out, no NUL; returns
 * how many. vg_dec_fixed: the low w digits of v at out, zero-padded. */
#define VG_U64_DEC_MAX 20
VG_API size_t vg_u64_dec(char *out, uint64_t v);
VG_API void vg_dec_fixed(char *out, uint64_t v, unsigned w);

/* Transfer the data to the caller (free() it); the buffer is left empty.
 * Returns an allocated "" for an empty buffer, NULL only on VG_ENOMEM. */
VG_API char *vg_buf_take(struct vg_buf *b);

#endif
