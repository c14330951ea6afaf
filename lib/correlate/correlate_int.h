/* SPDX-License-Identifier: Apache-2.0 */
/*
 * correlate_int.h - internals of lib/correlate: link-key extraction
 * (keys.c) used by the incident builder (correlate.c). Not public.
 */
#ifndef VG_CORRELATE_INT_H
#define VG_CORRELATE_INT_H

#include <stddef.h>

#include "vigil/buf.h"
#include "vigil/finding.h"

/* In order of how well a kind names an incident (first = best). */
enum vg_link_kind {
    VG_LINK_INSTANCE = 0, /* ScreenConnect 16-hex instance id */
    VG_LINK_RELAY = 1,    /* relay host */
    VG_LINK_ANYDESK = 2,  /* AnyDesk id */
    VG_LINK_SERVICE = 3,  /* service name */
    VG_LINK_FILE = 4,     /* last two path components of a flagged file */
    VG_LINK_TOOL = 5,     /* a remote tool named (not ScreenConnect) */
    VG_LINK_KINDS = 6
};

#define VG_LINK_TAIL_MAX 512

/* Called for each key found (value lower-case, n bytes, NUL-terminated);
 * return VG_OK to go on. */
typedef int vg_link_fn(void *arg, enum vg_link_kind kind, const char *value,
                       size_t n);

/* Every link key of f; k is scratch. Returns VG_OK or fn's value. */
int vg_link_keys(const struct vg_finding *f, struct vg_buf *k, vg_link_fn *fn,
                 void *arg);
/* "C:\\Windows\\Temp\\test.xml" -> "temp/test.xml"; 0 when path has no
 * folder or the tail does not fit. */
size_t vg_link_path_tail(const char *path, char *out, size_t cap);
/* 1 when a value, extra value or the title of f names the file tail. */
int vg_link_mentions(const struct vg_finding *f, const char *tail,
                     struct vg_buf *tmp);

#endif
