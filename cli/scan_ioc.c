/* SPDX-License-Identifier: Apache-2.0 */
/*
 * scan_ioc.c - IOC feeds for `vigil scan`: Vigil's own pack (every file in
 * rules/ioc/, when present) and each --iocs FILE (STIX 2.1, MISP, CSV,
 * Loki lists, plain or defanged text; the format is detected), imported
 * once into one sealed store that the other stages share read-only. Bad
 * entries are reported with file and line and skipped. Built only when
 * the ioc module is in this build.
 */
#include <dirent.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>

#include "scan.h"

#if __has_include("vigil/ioc.h")
#include "vigil/ioc.h"

#include "core/banned.h"

static struct vg_ioc_store *store;

static int
available(void)
{
    return 1;
}

const void *
scan_iocs(const struct scan *s)
{
    (void)s;
    return store;
}

static void
on_issue(void *arg, enum vg_ioc_issue_kind kind, const struct vg_diag *d)
{
    struct scan *s = arg;
    char msg[VG_DIAG_PATH_MAX + VG_DIAG_MSG_MAX + 32];

    if (kind == VG_IOC_ISSUE_ERROR && !s->cli->quiet) {
        cli_err(s->cli, "IOC feed: %s", vg_diag_format(d, msg, sizeof(msg)));
    }
}

static int
import(struct scan *s, const char *path)
{
    struct vg_ioc_import_opts o;
    struct vg_ioc_import_stats st;
    struct vg_diag d;
    char msg[VG_DIAG_PATH_MAX + VG_DIAG_MSG_MAX + 32], line[sizeof(msg) + 32];

    vg_ioc_import_opts_init(&o);
    o.on_issue = on_issue;
    o.issue_arg = s;
    memset(&st, 0, sizeof(st));
    vg_diag_clear(&d);
    if (vg_ioc_import_file(store, path, &o, &st, &d) < 0) {
        (void)snprintf(line, sizeof(line), "IOC feed not loaded: %s",
                       vg_diag_format(&d, msg, sizeof(msg)));
        s->n_errors++;
        scan_note(s, VG_SEV_INFO, "vigil.content-error", line, line, path);
        return -1;
    }
    return 0;
}

/* Vigil's own pack: regular files in rules/ioc/, in name order. */
static void
import_pack(struct scan *s)
{
    char dir[4096], p[4200];
    struct dirent **names = NULL;
    int n;

    if (scan_content_path("ioc", dir, sizeof(dir)) != 0) {
        return;
    }
    n = scandir(dir, &names, NULL, alphasort);
    for (int i = 0; i < n; i++) {
        if (names[i]->d_name[0] != '.' && names[i]->d_type == DT_REG &&
            snprintf(p, sizeof(p), "%s/%s", dir, names[i]->d_name) <
                (int)sizeof(p)) {
            (void)import(s, p);
        }
        free(names[i]);
    }
    free(names);
}

static void
load(struct scan *s)
{
    if (vg_ioc_store_new(&store) != VG_OK) {
        return;
    }
    import_pack(s);
    for (size_t i = 0; i < s->n_iocs; i++) {
        (void)import(s, s->iocs[i]);
    }
    if (vg_ioc_store_seal(store) < 0 || vg_ioc_count(store) == 0) {
        vg_ioc_store_free(store);
        store = NULL;
    }
}

static void
fini(struct scan *s)
{
    (void)s;
    vg_ioc_store_free(store);
    store = NULL;
}

const struct scan_stage scan_stage_ioc = {
    "ioc", "IOC feed loading", available, load, NULL, fini,
};

#else /* the ioc module is not in this build */

const void *
scan_iocs(const struct scan *s)
{
    (void)s;
    return NULL;
}

static int
available(void)
{
    return 0;
}

const struct scan_stage scan_stage_ioc = {
    "ioc", "IOC feed loading", available, NULL, NULL, NULL,
};

#endif
