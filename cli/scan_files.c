/* SPDX-License-Identifier: Apache-2.0 */
/*
 * scan_files.c - the file-scan stage of `vigil scan`: YARA rules (Vigil's
 * rules/yara plus --yara) and the IOC store's hash and file-name
 * indicators over the places that matter - temp folders, user profiles,
 * ProgramData, remote-tool install folders, web roots, scheduled tasks -
 * or over the whole target with --full or when it is a plain folder.
 * Folders are walked read-only (vigil/fs.h: no link followed, access
 * times kept); caches that are large and never hold the evidence we look
 * for (browser caches, WinSxS, the component store) are skipped.
 * Built only when the files module is in this build.
 */
#include <dirent.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "scan.h"

#if __has_include("vigil/files.h")
#include "vigil/files.h"
#include "vigil/fs.h"
#include "vigil/yara.h"

#include "core/banned.h"

static struct vg_yara_rules *rules;
static struct vg_files *files;

static int
available(void)
{
    return 1;
}

static void
load_rules(struct scan *s)
{
    const char *paths[2];
    size_t n = 0;
    char own[4096];
    struct vg_yara_load_opts o = {0};
    struct vg_diag d;

    if (scan_content_path("yara", own, sizeof(own)) == 0) {
        paths[n++] = own;
    }
    if (s->yara_path) {
        paths[n++] = s->yara_path;
    }
    if (n == 0) {
        return;
    }
    o.paths = paths;
    o.n_paths = n;
    vg_diag_clear(&d);
    if (vg_yara_load(s->cli->ctx, &o, &rules, NULL, &d) != VG_OK) {
        char msg[VG_DIAG_PATH_MAX + VG_DIAG_MSG_MAX + 32];
        char line[sizeof(msg) + 32];
        (void)snprintf(line, sizeof(line), "YARA rules not loaded: %s",
                       vg_diag_format(&d, msg, sizeof(msg)));
        s->n_errors++;
        scan_note(s, VG_SEV_INFO, "vigil.content-error", line, line, NULL);
    }
}

static void
load(struct scan *s)
{
    struct vg_files_opts o = {0};

    load_rules(s);
    o.rules = rules;
    o.iocs = scan_iocs(s);
    o.host = s->host;
    if (vg_files_new(s->cli->ctx, &o, &files) != VG_OK) {
        files = NULL;
        cli_err(s->cli, "file scan: cannot set up (out of memory)");
    }
}

struct walk_ctx {
    struct scan *s;
    struct vg_files_worker *w;
};

static int
on_file(void *arg, const struct vg_walk_entry *e)
{
    struct walk_ctx *c = arg;
    struct vg_files_job job = {
        .fd = e->fd, .path = e->path, .st = e->st, .emit = scan_emit,
        .arg = c->s,
    };
    struct vg_files_result r;
    int rc;

    memset(&r, 0, sizeof(r));
    rc = vg_files_scan(c->w, &job, &r);
    (void)close(e->fd);
    c->s->n_items++;
    if (rc == VG_EIO) {
        vg_log(c->s->cli->ctx, VG_LOG_WARN, "files", "%s: could not be read",
               e->path);
        rc = VG_OK;
    }
    if (rc == VG_OK && scan_pause(c->s)) {
        rc = VG_ECANCELED;
    }
    return rc;
}

static void
on_walk_error(void *arg, const char *path, int err)
{
    struct walk_ctx *c = arg;
    vg_log(c->s->cli->ctx, VG_LOG_WARN, "files", "%s: %s", path,
           strerror(err));
}

/* Big caches that never hold what we look for. */
static const char *const skip[] = {
    "INetCache", "Cache", "Code Cache", "GPUCache", "WebCache",
    "WinSxS", "Installer", "SoftwareDistribution", "node_modules", ".git",
};

static void
walk(struct walk_ctx *c, const char *dir)
{
    struct vg_walk_opts o = {
        .excludes = c->s->full ? NULL : skip,
        .n_excludes = c->s->full ? 0 : VG_ARRAY_LEN(skip),
        .is_one_fs = c->s->t.kind == VG_TARGET_LIVE,
        .on_file = on_file,
        .on_error = on_walk_error,
        .arg = c,
    };
    struct vg_walk_stats st = {0};
    int rc = vg_walk(c->s->cli->ctx, dir, &o, &st);

    if (rc != VG_OK && rc != VG_ECANCELED) {
        vg_log(c->s->cli->ctx, VG_LOG_WARN, "files", "%s: %s", dir,
               vg_strerror(rc));
    }
}

/* Windows places that matter, relative to the root, any case. Entries
 * ending in '*' match folder-name prefixes (remote tools). */
static const char *const win_places[] = {
    "Windows/Temp", "Windows/System32/Tasks", "Users", "ProgramData",
    "inetpub", "Program Files/ScreenConnect*",
    "Program Files (x86)/ScreenConnect*", "Program Files/AnyDesk*",
    "Program Files (x86)/AnyDesk*", "Program Files/TeamViewer*",
    "Program Files (x86)/TeamViewer*", "Program Files/RustDesk*",
    "Program Files/Splashtop*", "Program Files (x86)/Splashtop*",
    "Program Files/ATERA Networks*", "Program Files (x86)/ATERA Networks*",
    "Program Files/NetSupport*", "Program Files (x86)/NetSupport*",
    "Program Files/SimpleHelp*", "Program Files/Mesh Agent*",
};
static const char *const linux_places[] = {
    "tmp", "var/tmp", "dev/shm", "home", "root", "opt", "srv", "var/www",
    "etc/systemd/system", "etc/cron.d",
};

/* "Program Files/ScreenConnect*": every folder of the parent whose name
 * starts with the prefix. */
static void
walk_prefix(struct walk_ctx *c, const char *place)
{
    const char *slash = strrchr(place, '/');
    char parent_rel[256], parent[VG_TARGET_PATH_MAX], p[VG_TARGET_PATH_MAX];
    size_t plen = strlen(slash + 1) - 1; /* without the '*' */
    DIR *d;
    struct dirent *e;

    (void)snprintf(parent_rel, sizeof(parent_rel), "%.*s",
                   (int)(slash - place), place);
    if (vg_target_resolve(&c->s->t, parent_rel, parent, sizeof(parent)) !=
            VG_OK ||
        (d = opendir(parent)) == NULL) {
        return;
    }
    while ((e = readdir(d)) != NULL) {
        if (strncasecmp(e->d_name, slash + 1, plen) == 0 &&
            snprintf(p, sizeof(p), "%s/%s", parent, e->d_name) <
                (int)sizeof(p) &&
            e->d_type == DT_DIR) {
            walk(c, p);
        }
    }
    closedir(d);
}

static void
walk_places(struct walk_ctx *c, const char *const *places, size_t n)
{
    char p[VG_TARGET_PATH_MAX];
    for (size_t i = 0; i < n && !scan_pause(c->s); i++) {
        if (places[i][strlen(places[i]) - 1] == '*') {
            walk_prefix(c, places[i]);
        } else if (vg_target_resolve(&c->s->t, places[i], p, sizeof(p)) ==
                   VG_OK) {
            walk(c, p);
        }
    }
}

static void
run(struct scan *s)
{
    struct walk_ctx c = {.s = s};

    if (files == NULL || vg_files_worker_new(files, &c.w) != VG_OK) {
        return;
    }
    if (s->full || s->t.kind == VG_TARGET_FOLDER) {
        walk(&c, s->t.root);
    } else if (s->t.kind == VG_TARGET_WINDOWS) {
        walk_places(&c, win_places, VG_ARRAY_LEN(win_places));
    } else {
        walk_places(&c, linux_places, VG_ARRAY_LEN(linux_places));
    }
    vg_files_worker_free(c.w);
}

static void
fini(struct scan *s)
{
    (void)s;
    vg_files_free(files);
    vg_yara_rules_free(rules);
    files = NULL;
    rules = NULL;
}

const struct scan_stage scan_stage_files = {
    "files", "file scan", available, load, run, fini,
};

#else /* the files module is not in this build */

static int
available(void)
{
    return 0;
}

const struct scan_stage scan_stage_files = {
    "files", "file scan", available, NULL, NULL, NULL,
};

#endif
