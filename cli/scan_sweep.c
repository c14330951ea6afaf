/* SPDX-License-Identifier: Apache-2.0 */
/*
 * scan_sweep.c - the IOC sweep stage of `vigil scan`: every line of the
 * remote-tool and web-server logs on the target (AnyDesk traces and
 * connection lists, ScreenConnect files, IIS / nginx / Apache logs; under
 * a plain folder every .log/.txt/.trace file) through the IOC store's
 * free-text matcher, which finds IPs, domains, URLs, hashes and names,
 * defanged or not. Lines longer than 64 KiB are cut there; files are read
 * in blocks, never whole. Runs only when IOC feeds were loaded; built only
 * when the ioc module is in this build.
 */
#include <dirent.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "scan.h"

#if __has_include("vigil/ioc.h")
#include "vigil/ioc.h"

#include "core/banned.h"

#define LINE_MAX_BYTES 65536u
#define HITS_PER_FILE  1000u /* past this a file is summarised */

static int
available(void)
{
    return 1;
}

struct sweep_ctx {
    struct scan *s;
    const struct vg_ioc_store *st;
    const char *path;
    const char *line;
    size_t len;
    uint64_t line_no, off, hits;
};

static int
on_hit(void *arg, uint32_t id, size_t off, size_t len)
{
    struct sweep_ctx *c = arg;
    struct vg_ioc_info in;
    struct vg_ioc_src src;
    char lineno[24], shown[513], title[384];

    if (vg_ioc_get(c->st, id, &in) != VG_OK || ++c->hits > HITS_PER_FILE) {
        return 0;
    }
    vg_ioc_src_init(&src);
    (void)vg_ioc_get_src(c->st, id, 0, &src);
    (void)snprintf(lineno, sizeof(lineno), "%" PRIu64, c->line_no);
    (void)snprintf(shown, sizeof(shown), "%.*s",
                   (int)(c->len < 512 ? c->len : 512), c->line);
    (void)snprintf(title, sizeof(title), "Indicator %s found in a log",
                   in.value);
    struct vg_kv vals[4] = {
        {"indicator", in.value},
        {"type", vg_ioc_type_name(in.type)},
        {"line", lineno},
        {"text", shown},
    };
    struct vg_finding f = {
        .time_us = VG_TIME_NONE,
        .module = "sweep",
        .severity = in.score >= 80 || in.score < 0 ? VG_SEV_HIGH
                                                   : VG_SEV_MEDIUM,
        .score = in.score > 0 ? in.score : 0,
        .title = title,
        .reason = src.description ? src.description
                                  : "a value from a loaded IOC feed",
        .remediation = "Find what on this host talked to it and when; "
                       "block it at the firewall.",
        .rule = {.id = "vigil.ioc", .name = src.feed, .source = src.file},
        .evidence = {.path = c->path, .offset = c->off + off,
                     .values = vals, .n_values = 4},
    };
    (void)len;
    return scan_emit(&f, c->s) == VG_OK ? 0 : 1;
}

static void
one_line(struct sweep_ctx *c, const char *p, size_t n, size_t sep)
{
    c->line = p;
    c->len = n;
    c->line_no++;
    (void)vg_ioc_match_text(c->st, p, n, on_hit, c);
    c->off += n + sep;
}

static void
sweep_file(struct sweep_ctx *c, const char *path)
{
    char *blk = malloc(LINE_MAX_BYTES);
    size_t have = 0;
    int fd = scan_open(path);

    if (fd < 0 || blk == NULL) {
        if (fd < 0) {
            vg_log(c->s->cli->ctx, VG_LOG_WARN, "sweep", "%s: %s", path,
                   strerror(errno));
        }
        free(blk);
        if (fd >= 0) {
            (void)close(fd);
        }
        return;
    }
    c->path = path;
    c->line_no = c->off = c->hits = 0;
    c->s->n_items++;
    for (;;) {
        ssize_t got = read(fd, blk + have, LINE_MAX_BYTES - have);
        size_t n, start = 0;
        int eof;
        if (got < 0 && errno == EINTR) {
            continue;
        }
        eof = got <= 0;
        n = have + (eof ? 0 : (size_t)got);
        for (size_t i = 0; i < n; i++) {
            if (blk[i] == '\n') {
                one_line(c, blk + start, i - start, 1);
                start = i + 1;
            }
        }
        if (start < n && (eof || (start == 0 && n == LINE_MAX_BYTES))) {
            one_line(c, blk + start, n - start, 0); /* last or cut line */
            start = n;
        }
        have = n - start;
        memmove(blk, blk + start, have);
        if (eof) {
            break;
        }
    }
    (void)close(fd);
    free(blk);
}

static int
is_log(const char *name, int any)
{
    static const char *const ext[] = {".log", ".txt", ".trace", ".conf"};
    size_t n = strlen(name);
    if (any) {
        return 1;
    }
    for (size_t i = 0; i < VG_ARRAY_LEN(ext); i++) {
        size_t e = strlen(ext[i]);
        if (n > e && strcasecmp(name + n - e, ext[i]) == 0) {
            return 1;
        }
    }
    return 0;
}

static void
sweep_dir(struct sweep_ctx *c, const char *dir, int depth, int any)
{
    struct dirent **names = NULL;
    char p[VG_TARGET_PATH_MAX];
    int n = scandir(dir, &names, NULL, alphasort);

    for (int i = 0; i < n; i++) {
        const char *nm = names[i]->d_name;
        int w = snprintf(p, sizeof(p), "%s/%s", dir, nm);
        if (nm[0] != '.' && w > 0 && (size_t)w < sizeof(p) &&
            !scan_pause(c->s)) {
            if (names[i]->d_type == DT_REG && is_log(nm, any)) {
                sweep_file(c, p);
            } else if (names[i]->d_type == DT_DIR && depth > 0) {
                sweep_dir(c, p, depth - 1, any);
            }
        }
        free(names[i]);
    }
    free(names);
}

static const char *const win_logs[] = {
    "ProgramData/AnyDesk", "inetpub/logs/LogFiles",
    "Windows/System32/LogFiles/HTTPERR", "ProgramData/ScreenConnect",
};
static const char *const linux_logs[] = {
    "var/log/nginx", "var/log/apache2", "var/log/httpd", "var/log/anydesk",
    "var/log/rustdesk",
};

static void
run(struct scan *s)
{
    struct sweep_ctx c = {.s = s, .st = scan_iocs(s)};
    const char *const *dirs = s->t.kind == VG_TARGET_WINDOWS ? win_logs
                                                             : linux_logs;
    size_t n = s->t.kind == VG_TARGET_WINDOWS ? VG_ARRAY_LEN(win_logs)
                                              : VG_ARRAY_LEN(linux_logs);
    char p[VG_TARGET_PATH_MAX];

    if (c.st == NULL) {
        return; /* no feed: nothing to sweep for */
    }
    if (s->t.kind == VG_TARGET_FOLDER) {
        sweep_dir(&c, s->t.root, 16, 0);
        return;
    }
    for (size_t i = 0; i < n && !scan_pause(s); i++) {
        if (vg_target_resolve(&s->t, dirs[i], p, sizeof(p)) == VG_OK) {
            sweep_dir(&c, p, 4, 1);
        }
    }
}

const struct scan_stage scan_stage_sweep = {
    "ioc", "IOC sweep of tool and web logs", available, NULL, run, NULL,
};

#else /* the ioc module is not in this build */

static int
available(void)
{
    return 0;
}

const struct scan_stage scan_stage_sweep = {
    "ioc", "IOC sweep of tool and web logs", available, NULL, NULL, NULL,
};

#endif
