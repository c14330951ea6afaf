/* SPDX-License-Identifier: Apache-2.0 */
/*
 * hive.c - offline registry hives for the RMM inventory, through libhivex
 * (the only file of libvigil that includes <hivex.h>). Reads services of
 * the current control set (SYSTEM), Uninstall entries and Run/RunOnce
 * values (SOFTWARE, NTUSER.DAT) and the string values of named keys.
 *
 * Hives are opened read-only and strict (no HIVEX_OPEN_UNSAFE): a damaged
 * hive is reported with its name, not half-read. The descriptor the caller
 * opened safely (openat, O_NOFOLLOW) is handed to hivex as
 * /proc/self/fd/N, so hivex never resolves an evidence path itself.
 * Every walk is capped; hivex allocations are freed on every path.
 */
#include <errno.h>
#include <fcntl.h>
#include <hivex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/alloc.h"
#include "core/str.h"
#include "rmm/rmm_int.h"
#include "vigil/time.h"

#include "core/banned.h"

#define HIVE_MAX_KEYS 200000u /* children looked at under one key */

struct vg_rmm_hive {
    hive_h *h;
    char name[VG_DIAG_PATH_MAX];
};

int
vg_rmm_hive_open_fd(int fd, const char *name, struct vg_rmm_hive **out,
                    struct vg_diag *d)
{
    char path[64];
    *out = NULL;
    (void)snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
    struct vg_rmm_hive *hv = vg_calloc(1, sizeof(*hv));
    if (hv == NULL)
        return VG_ENOMEM;
    vg_strlcpy(hv->name, name != NULL ? name : path, sizeof(hv->name));
    errno = 0;
    hv->h = hivex_open(path, 0);
    if (hv->h == NULL) {
        int e = errno;
        vg_free(hv);
        return vg_diag_set(d, VG_EFORMAT, name, VG_DIAG_NONE, VG_DIAG_NONE,
                           "not a valid registry hive (%s)",
                           e != 0 ? strerror(e) : "rejected by libhivex");
    }
    *out = hv;
    return VG_OK;
}

int
vg_rmm_hive_open(const char *path, struct vg_rmm_hive **out, struct vg_diag *d)
{
    *out = NULL;
    int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
    if (fd < 0)
        return vg_diag_set(d, VG_EIO, path, VG_DIAG_NONE, VG_DIAG_NONE,
                           "cannot open: %s", strerror(errno));
    int rc = vg_rmm_hive_open_fd(fd, path, out, d);
    close(fd); /* hivex holds its own descriptor/mapping */
    return rc;
}

void
vg_rmm_hive_close(struct vg_rmm_hive *h)
{
    if (h == NULL)
        return;
    hivex_close(h->h);
    vg_free(h);
}

/* Walk a backslash path from node (case-insensitive, as hivex compares). */
static hive_node_h
walk(hive_h *h, hive_node_h node, const char *path)
{
    char comp[256];
    const char *p = path;
    while (node != 0 && *p != '\0') {
        const char *s = strchr(p, '\\');
        size_t n = s != NULL ? (size_t)(s - p) : strlen(p);
        if (n == 0 || n >= sizeof(comp))
            return 0;
        memcpy(comp, p, n);
        comp[n] = '\0';
        node = hivex_node_get_child(h, node, comp);
        p = s != NULL ? s + 1 : p + n;
    }
    return node;
}

/* String value (REG_SZ / REG_EXPAND_SZ) or NULL; caller free()s. */
static char *
str_value(hive_h *h, hive_node_h node, const char *key)
{
    hive_value_h v = hivex_node_get_value(h, node, key);
    if (v == 0)
        return NULL;
    hive_type t;
    size_t len;
    if (hivex_value_type(h, v, &t, &len) != 0)
        return NULL;
    if (t == hive_t_REG_SZ || t == hive_t_REG_EXPAND_SZ)
        return hivex_value_string(h, v);
    if (t == hive_t_REG_DWORD && len == 4) {
        char b[16];
        (void)snprintf(b, sizeof(b), "%u", (uint32_t)hivex_value_dword(h, v));
        return strdup(b);
    }
    return NULL;
}

static uint32_t
dword_value(hive_h *h, hive_node_h node, const char *key)
{
    hive_value_h v = hivex_node_get_value(h, node, key);
    hive_type t;
    size_t len;
    if (v == 0 || hivex_value_type(h, v, &t, &len) != 0 ||
        t != hive_t_REG_DWORD || len != 4)
        return UINT32_MAX;
    return (uint32_t)hivex_value_dword(h, v);
}

static int64_t
node_time(hive_h *h, hive_node_h node)
{
    int64_t ft = hivex_node_timestamp(h, node);
    return ft > 0 ? vg_filetime_to_us((uint64_t)ft) : VG_TIME_NONE;
}

static int
current_set(hive_h *h, hive_node_h root, char out[32])
{
    hive_node_h sel = hivex_node_get_child(h, root, "Select");
    uint32_t cur = sel != 0 ? dword_value(h, sel, "Current") : UINT32_MAX;
    if (cur == UINT32_MAX || cur == 0 || cur > 999)
        cur = 1;
    (void)snprintf(out, 32, "ControlSet%03u", cur);
    return VG_OK;
}

/* The hive's root key, or 0 with d set (a hive without one is damaged). */
static hive_node_h
root_of(struct vg_rmm_hive *hv, struct vg_diag *d)
{
    hive_node_h root = hivex_root(hv->h);
    if (root == 0)
        (void)vg_diag_set(d, VG_EFORMAT, hv->name, VG_DIAG_NONE, VG_DIAG_NONE,
                          "hive has no root key");
    return root;
}

/* fn for each of the keys paths[0..n) that exists below the root. */
typedef int key_fn(hive_h *h, hive_node_h k, const char *path, void *ctx);
static int
each_key(struct vg_rmm_hive *hv, const char *const *paths, size_t n,
         key_fn *fn, void *ctx, struct vg_diag *d)
{
    hive_node_h root = root_of(hv, d);
    if (root == 0)
        return VG_EFORMAT;
    int rc = VG_OK;
    for (size_t i = 0; rc == VG_OK && i < n; i++) {
        hive_node_h k = walk(hv->h, root, paths[i]);
        if (k != 0)
            rc = fn(hv->h, k, paths[i], ctx);
    }
    return rc;
}

int
vg_rmm_hive_services(struct vg_rmm_hive *hv, vg_rmm_service_fn *fn, void *arg,
                     struct vg_diag *d)
{
    hive_h *h = hv->h;
    char set[32], path[64];
    hive_node_h root = root_of(hv, d);
    if (root == 0)
        return VG_EFORMAT;
    (void)current_set(h, root, set);
    (void)snprintf(path, sizeof(path), "%s\\Services", set);
    hive_node_h svcs = walk(h, root, path);
    if (svcs == 0)
        return vg_diag_set(d, VG_ENOTFOUND, hv->name, VG_DIAG_NONE,
                           VG_DIAG_NONE, "no %s key (not a SYSTEM hive?)",
                           path);
    hive_node_h *kids = hivex_node_children(h, svcs);
    if (kids == NULL)
        return vg_diag_set(d, VG_EFORMAT, hv->name, VG_DIAG_NONE, VG_DIAG_NONE,
                           "cannot list %s: %s", path, strerror(errno));
    int rc = VG_OK;
    for (size_t i = 0; rc == VG_OK && kids[i] != 0 && i < HIVE_MAX_KEYS; i++) {
        char *name = hivex_node_name(h, kids[i]);
        if (name == NULL)
            continue;
        char *disp = str_value(h, kids[i], "DisplayName");
        char *img = str_value(h, kids[i], "ImagePath");
        struct vg_rmm_service s = {
            .name = name,
            .display = disp,
            .image_path = img,
            .start = dword_value(h, kids[i], "Start"),
            .type = dword_value(h, kids[i], "Type"),
            .time_us = node_time(h, kids[i]),
        };
        rc = fn(arg, &s);
        free(name);
        free(disp);
        free(img);
    }
    free(kids);
    return rc;
}

static const char *const uninst_keys[] = {
    "Microsoft\\Windows\\CurrentVersion\\Uninstall",
    "WOW6432Node\\Microsoft\\Windows\\CurrentVersion\\Uninstall",
    "Software\\Microsoft\\Windows\\CurrentVersion\\Uninstall",
    "Software\\WOW6432Node\\Microsoft\\Windows\\CurrentVersion\\Uninstall",
};

static int
programs_under(hive_h *h, hive_node_h key, vg_rmm_program_fn *fn, void *arg)
{
    hive_node_h *kids = hivex_node_children(h, key);
    if (kids == NULL)
        return VG_OK;
    int rc = VG_OK;
    for (size_t i = 0; rc == VG_OK && kids[i] != 0 && i < HIVE_MAX_KEYS; i++) {
        char *kn = hivex_node_name(h, kids[i]);
        char *nm = str_value(h, kids[i], "DisplayName");
        char *ver = str_value(h, kids[i], "DisplayVersion");
        char *pub = str_value(h, kids[i], "Publisher");
        char *dt = str_value(h, kids[i], "InstallDate");
        char *loc = str_value(h, kids[i], "InstallLocation");
        struct vg_rmm_program p = {
            .key = kn,
            .name = nm,
            .version = ver,
            .publisher = pub,
            .install_date = dt,
            .location = loc,
            .time_us = node_time(h, kids[i]),
        };
        if (kn != NULL)
            rc = fn(arg, &p);
        free(kn);
        free(nm);
        free(ver);
        free(pub);
        free(dt);
        free(loc);
    }
    free(kids);
    return rc;
}

struct cb {
    vg_rmm_program_fn *program;
    vg_rmm_autorun_fn *autorun;
    void *arg;
};

static int
programs_key(hive_h *h, hive_node_h k, const char *path, void *ctx)
{
    const struct cb *c = ctx;
    (void)path;
    return programs_under(h, k, c->program, c->arg);
}

int
vg_rmm_hive_programs(struct vg_rmm_hive *hv, vg_rmm_program_fn *fn, void *arg,
                     struct vg_diag *d)
{
    struct cb c = {fn, NULL, arg};
    return each_key(hv, uninst_keys, VG_ARRAY_LEN(uninst_keys), programs_key,
                    &c, d);
}

static const char *const run_keys[] = {
    "Microsoft\\Windows\\CurrentVersion\\Run",
    "Microsoft\\Windows\\CurrentVersion\\RunOnce",
    "WOW6432Node\\Microsoft\\Windows\\CurrentVersion\\Run",
    "WOW6432Node\\Microsoft\\Windows\\CurrentVersion\\RunOnce",
    "Software\\Microsoft\\Windows\\CurrentVersion\\Run",
    "Software\\Microsoft\\Windows\\CurrentVersion\\RunOnce",
    "Software\\WOW6432Node\\Microsoft\\Windows\\CurrentVersion\\Run",
};

static int
values_of(hive_h *h, hive_node_h node, const char *keyname,
          vg_rmm_autorun_fn *afn, vg_rmm_value_fn *vfn, void *arg)
{
    hive_value_h *vals = hivex_node_values(h, node);
    if (vals == NULL)
        return VG_OK;
    int rc = VG_OK;
    for (size_t i = 0; rc == VG_OK && vals[i] != 0 && i < HIVE_MAX_KEYS; i++) {
        char *k = hivex_value_key(h, vals[i]);
        if (k == NULL)
            continue;
        char *v = str_value(h, node, k);
        if (v != NULL) {
            if (afn != NULL) {
                struct vg_rmm_autorun a = {keyname, k, v};
                rc = afn(arg, &a);
            } else {
                rc = vfn(arg, k, v);
            }
        }
        free(k);
        free(v);
    }
    free(vals);
    return rc;
}

static int
autoruns_key(hive_h *h, hive_node_h k, const char *path, void *ctx)
{
    const struct cb *c = ctx;
    return values_of(h, k, path, c->autorun, NULL, c->arg);
}

int
vg_rmm_hive_autoruns(struct vg_rmm_hive *hv, vg_rmm_autorun_fn *fn, void *arg,
                     struct vg_diag *d)
{
    struct cb c = {NULL, fn, arg};
    return each_key(hv, run_keys, VG_ARRAY_LEN(run_keys), autoruns_key, &c, d);
}

int
vg_rmm_hive_values(struct vg_rmm_hive *hv, const char *path,
                   vg_rmm_value_fn *fn, void *arg, struct vg_diag *d)
{
    hive_node_h root = root_of(hv, d);
    if (root == 0)
        return VG_EFORMAT;
    hive_node_h k = walk(hv->h, root, path);
    if (k == 0)
        return VG_ENOTFOUND;
    return values_of(hv->h, k, path, NULL, fn, arg);
}
