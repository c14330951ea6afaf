/* SPDX-License-Identifier: Apache-2.0 */
/*
 * target.h - what a scan target is: this live system, an offline Windows
 * root (Windows/System32 present, any case), an offline Linux root (etc/
 * and usr/), a triage collection whose drive folder holds such a root
 * (KAPE-style "C/Windows/...", Velociraptor's URL-encoded "C%3A/Windows/..."
 * or "%5C%5C.%5CC%3A/...", up to four folders deep, at most 2048 folders
 * opened), or a plain folder.
 *
 * Detection only reads directory entries (lstat: symbolic links are never
 * followed, so a link cannot lead the scan out of the evidence). Paths
 * inside the root are resolved component by component, ignoring ASCII case,
 * because evidence copied from NTFS keeps whatever case Windows used.
 *
 * A struct vg_target is a plain value (fixed buffers, no allocation):
 * copy it freely; thread-safe to read. It does not mount images or unpack
 * archives.
 */
#ifndef VIGIL_TARGET_H
#define VIGIL_TARGET_H

#include <stddef.h>

#include "vigil/compiler.h"
#include "vigil/err.h"

#define VG_TARGET_PATH_MAX 4096

enum vg_target_kind {
    VG_TARGET_LIVE = 0,    /* the running Linux system ("/") */
    VG_TARGET_WINDOWS = 1, /* offline Windows root */
    VG_TARGET_LINUX = 2,   /* offline Linux root */
    VG_TARGET_FOLDER = 3,  /* a folder of loose evidence */
};

enum vg_target_layout {
    VG_LAYOUT_DIRECT = 0,  /* the root is the folder given */
    VG_LAYOUT_KAPE = 1,    /* <given>/.../C/ (a drive-letter folder) */
    VG_LAYOUT_URLENC = 2,  /* <given>/.../C%3A/ (URL-encoded drive) */
};

struct vg_target {
    enum vg_target_kind   kind;
    enum vg_target_layout layout;
    char given[VG_TARGET_PATH_MAX];   /* the path as given ("/" for live) */
    char root[VG_TARGET_PATH_MAX];    /* normalised root: the folder that
                                         holds Windows/ or etc/ */
    char windows[VG_TARGET_PATH_MAX]; /* <root>/<Windows as spelt>, or "" */
    char drive[16];                   /* "C:" for collections, else "" */
};

/* Detect what path is; path NULL means this live system. Fails with
 * VG_ENOTFOUND / VG_EINVAL (diag filled) when path is not a readable
 * folder. */
VG_API VG_NODISCARD int vg_target_detect(const char *path,
                                         struct vg_target *out,
                                         struct vg_diag *d);

/* "this live system", "an offline Windows root", ... (never NULL). */
VG_API const char *vg_target_kind_name(enum vg_target_kind k);

/* One line for people: "an offline Windows root (KAPE-style collection,
 * drive C: at <root>)". Always NUL-terminated. Returns out. */
VG_API const char *vg_target_describe(const struct vg_target *t, char *out,
                                      size_t cap);

/* Resolve rel ("Windows/System32/winevt/Logs", '/'-separated) under the
 * root ignoring ASCII case, never through a symbolic link; the last
 * component may be a folder or a regular file. VG_OK with the real path
 * in out; VG_ENOTFOUND when a component is missing or a link;
 * VG_ELIMIT when the path does not fit cap. */
VG_API VG_NODISCARD int vg_target_resolve(const struct vg_target *t,
                                          const char *rel, char *out,
                                          size_t cap);

#endif
