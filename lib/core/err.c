/* SPDX-License-Identifier: Apache-2.0 */
/*
 * err.c - error strings and struct vg_diag helpers. Pure value handling:
 * nothing here logs or allocates.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "core/str.h"
#include "vigil/err.h"

#include "core/banned.h"

/* Indexed by -rc; codes are never renumbered. */
static const char *const err_names[] = {
    "success",
    "out of memory",
    "invalid argument",
    "input/output error",
    "malformed data",
    "limit exceeded",
    "unsupported feature",
    "not found",
    "syntax error",
    "timed out",
    "canceled",
    "YARA error",
    "permission denied",
    "internal error",
};

const char *
vg_strerror(int rc)
{
    if (rc > 0 || rc < -(int)(VG_ARRAY_LEN(err_names) - 1)) {
        return "unknown error";
    }
    return err_names[-rc];
}

void
vg_diag_clear(struct vg_diag *d)
{
    d->path[0] = '\0';
    d->line = VG_DIAG_NONE;
    d->offset = VG_DIAG_NONE;
    d->rc = VG_OK;
    d->msg[0] = '\0';
}

int
vg_diag_set(struct vg_diag *d, int rc, const char *path, uint64_t line,
            uint64_t offset, const char *fmt, ...)
{
    va_list ap;

    if (d == NULL) {
        return rc;
    }
    vg_strlcpy(d->path, path != NULL ? path : "", sizeof(d->path));
    d->line = line;
    d->offset = offset;
    d->rc = rc;
    va_start(ap, fmt);
    if (vsnprintf(d->msg, sizeof(d->msg), fmt, ap) < 0) {
        d->msg[0] = '\0';
    }
    va_end(ap);
    /* The message is one line: a hostile value must not forge another. */
    for (char *c = d->msg; *c != '\0'; c++) {
        if (*c == '\n' || *c == '\r') {
            *c = ' ';
        }
    }
    return rc;
}

const char *
vg_diag_format(const struct vg_diag *d, char *out, size_t out_cap)
{
    const char *sep = d->path[0] != '\0' ? ": " : "";
    int n;

    if (out_cap == 0) {
        return out;
    }
    if (d->line != VG_DIAG_NONE) {
        n = snprintf(out, out_cap, "%s%s%llu: %s", d->path,
                     d->path[0] != '\0' ? ":" : "line ",
                     (unsigned long long)d->line, d->msg);
    } else if (d->offset != VG_DIAG_NONE) {
        n = snprintf(out, out_cap, "%s%soffset %llu: %s", d->path, sep,
                     (unsigned long long)d->offset, d->msg);
    } else {
        n = snprintf(out, out_cap, "%s%s%s", d->path, sep, d->msg);
    }
    if (n < 0) {
        out[0] = '\0';
    }
    return out;
}
