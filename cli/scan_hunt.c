/* SPDX-License-Identifier: Apache-2.0 */
/*
 * scan_hunt.c - the event-log hunt stage of `vigil scan`: Vigil's Sigma
 * rules (rules/sigma) plus --rules DIR, compiled once, matched against
 * every record of the event logs found - Windows/System32/winevt/Logs on
 * a Windows root, every *.evtx under a plain folder. A damaged log is
 * read as far as it goes; the EVTX reader logs where it failed and the
 * report shows it. Rules that cannot be used are counted in one note.
 * Built only when both the evtx and the sigma modules are in this build.
 */
#include <dirent.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "scan.h"

#if __has_include("vigil/sigma.h") && __has_include("vigil/evtx.h")
#include "vigil/evtx.h"
#include "vigil/sigma.h"

#include "core/banned.h"

#define MAX_FIELDS 32
#define MAX_TECH   16

static struct vg_sigma *rules;

static int
available(void)
{
    return 1;
}

static void
note_diag(struct scan *s, const char *what, const struct vg_diag *d)
{
    char msg[VG_DIAG_PATH_MAX + VG_DIAG_MSG_MAX + 32], line[sizeof(msg) + 64];
    (void)snprintf(line, sizeof(line), "%s: %s", what,
                   vg_diag_format(d, msg, sizeof(msg)));
    s->n_errors++;
    scan_note(s, VG_SEV_INFO, "vigil.content-error", line, line, NULL);
}

static void
load(struct scan *s)
{
    char own[4096];
    struct vg_diag d;
    size_t n_bad;

    vg_diag_clear(&d);
    if (vg_sigma_new(s->cli->ctx, NULL, &rules, &d) != VG_OK) {
        note_diag(s, "Sigma engine", &d);
        return;
    }
    if (scan_content_path("sigma", own, sizeof(own)) == 0 &&
        vg_sigma_add_path(rules, own, &d) != VG_OK) {
        note_diag(s, "Vigil's Sigma rules", &d);
    }
    if (s->rules_dir && vg_sigma_add_path(rules, s->rules_dir, &d) != VG_OK) {
        note_diag(s, "--rules", &d);
    }
    if (vg_sigma_compile(rules, &d) != VG_OK) {
        note_diag(s, "Sigma rules", &d);
        vg_sigma_free(rules);
        rules = NULL;
        return;
    }
    n_bad = vg_sigma_unsupported_count(rules);
    if (n_bad > 0 && !s->cli->quiet) {
        cli_err(s->cli, "%zu Sigma rule%s could not be used (run 'vigil hunt' on the rules "
                        "for details)",
                n_bad, n_bad == 1 ? "" : "s");
    }
}

struct hit {
    struct vg_kv fields[MAX_FIELDS];
    char tech[MAX_TECH][32];
    const char *tp[MAX_TECH];
    char reason[512], eid[16], channel[128], provider[256], computer[256];
    struct vg_kv extra[3];
};

struct hunt_ctx {
    struct scan *s;
    struct vg_sigma_scanner *sc;
    const char *file;
    struct hit h;
};

/* "attack.t1059.001" -> "T1059.001" */
static size_t
techniques(const struct vg_sigma_rule_info *in, struct hit *h)
{
    size_t n = 0;
    for (size_t i = 0; i < in->n_tags && n < MAX_TECH; i++) {
        const char *t = in->tags[i];
        if (strncasecmp(t, "attack.t", 8) != 0 || t[8] < '0' || t[8] > '9') {
            continue;
        }
        (void)snprintf(h->tech[n], sizeof(h->tech[n]), "T%s", t + 8);
        for (char *p = h->tech[n]; *p; p++) {
            *p = (*p >= 'a' && *p <= 'z') ? (char)(*p - 32) : *p;
        }
        h->tp[n] = h->tech[n];
        n++;
    }
    return n;
}

static void
copy_str(char *out, size_t cap, struct vg_str v)
{
    (void)snprintf(out, cap, "%.*s", v.p ? (int)(v.len < cap ? v.len : cap)
                                          : 0,
                   v.p ? v.p : "");
}

static int
on_match(void *arg, const struct vg_sigma_match *m, const struct vg_event *ev)
{
    struct hunt_ctx *c = arg;
    const struct vg_sigma_rule_info *in = vg_sigma_rule(rules, m->rule);
    struct hit *h = &c->h;
    const char *d;
    size_t dn;

    if (in == NULL) {
        return VG_OK;
    }
    d = in->description ? in->description : "";
    dn = strcspn(d, "\r\n");
    (void)snprintf(h->reason, sizeof(h->reason), "Sigma rule matched%s%.*s",
                   dn ? ": " : "", (int)(dn < 400 ? dn : 400), d);
    (void)snprintf(h->eid, sizeof(h->eid), "%" PRIu32, ev->event_id);
    copy_str(h->channel, sizeof(h->channel), ev->channel);
    copy_str(h->provider, sizeof(h->provider), ev->provider);
    copy_str(h->computer, sizeof(h->computer), ev->computer);
    h->extra[0] = (struct vg_kv){"channel", h->channel};
    h->extra[1] = (struct vg_kv){"event_id", h->eid};
    h->extra[2] = (struct vg_kv){"provider", h->provider};
    struct vg_finding f = {
        .time_us = ev->time_us,
        .host = h->computer[0] ? h->computer : NULL,
        .module = "hunt",
        .severity = in->level,
        .title = in->title,
        .reason = h->reason,
        .rule = {.id = in->id, .name = in->title, .source = "sigma",
                 .reference = in->path},
        .evidence = {.path = c->file, .offset = ev->offset,
                     .record_id = ev->record_id, .values = m->fields,
                     .n_values = m->n_fields},
        .extra = h->extra,
        .n_extra = 3,
    };
    f.n_techniques = techniques(in, h);
    f.techniques = f.n_techniques ? h->tp : NULL;
    return scan_emit(&f, c->s);
}

static int
on_record(void *arg, struct vg_evtx_record *rec)
{
    struct hunt_ctx *c = arg;
    c->s->n_items++;
    if ((c->s->n_items & 1023) == 0 && scan_pause(c->s)) {
        return VG_ECANCELED;
    }
    return vg_sigma_scan(c->sc, &rec->event, on_match, c);
}

static void
hunt_file(struct scan *s, struct vg_evtx_reader *rd, const char *path)
{
    struct hunt_ctx c = {.s = s, .file = path};
    struct vg_evtx *f = NULL;
    int fd = scan_open(path), rc;

    if (fd < 0) {
        vg_log(s->cli->ctx, VG_LOG_WARN, "hunt", "%s: %s", path,
               strerror(errno));
        return;
    }
    rc = vg_evtx_open_fd(s->cli->ctx, fd, path, &f);
    (void)close(fd);
    if (rc != VG_OK) {
        vg_log(s->cli->ctx, VG_LOG_WARN, "evtx", "%s: not readable as an "
               "event log: %s", path, vg_strerror(rc));
        return;
    }
    if (vg_sigma_scanner_new(rules, &c.sc) == VG_OK) {
        rc = vg_evtx_each(rd, f, 0, on_record, &c, NULL);
        if (rc == VG_OK) {
            rc = vg_sigma_scanner_flush(c.sc, on_match, &c);
        }
        if (rc != VG_OK && rc != VG_ECANCELED) {
            vg_log(s->cli->ctx, VG_LOG_WARN, "hunt", "%s: %s", path,
                   vg_strerror(rc));
        }
        vg_sigma_scanner_free(c.sc);
    }
    vg_evtx_close(f);
}

static int
is_evtx(const char *name)
{
    size_t n = strlen(name);
    return n > 5 && strcasecmp(name + n - 5, ".evtx") == 0;
}

/* *.evtx in dir (name order); below it too when deep. */
static void
hunt_dir(struct scan *s, struct vg_evtx_reader *rd, const char *dir,
         int depth)
{
    struct dirent **names = NULL;
    char p[VG_TARGET_PATH_MAX];
    int n = scandir(dir, &names, NULL, alphasort);

    for (int i = 0; i < n; i++) {
        const char *nm = names[i]->d_name;
        int w = snprintf(p, sizeof(p), "%s/%s", dir, nm);
        if (nm[0] != '.' && w > 0 && (size_t)w < sizeof(p) &&
            !scan_pause(s)) {
            if (names[i]->d_type == DT_REG && is_evtx(nm)) {
                hunt_file(s, rd, p);
            } else if (names[i]->d_type == DT_DIR && depth > 0) {
                hunt_dir(s, rd, p, depth - 1);
            }
        }
        free(names[i]);
    }
    free(names);
}

static void
run(struct scan *s)
{
    struct vg_evtx_reader *rd = NULL;
    char logs[VG_TARGET_PATH_MAX];

    if (rules == NULL || vg_evtx_reader_new(&rd) != VG_OK) {
        return;
    }
    if (s->t.kind == VG_TARGET_FOLDER) {
        hunt_dir(s, rd, s->t.root, 16);
    } else if (s->t.kind == VG_TARGET_WINDOWS &&
               vg_target_resolve(&s->t, "Windows/System32/winevt/Logs", logs,
                                 sizeof(logs)) == VG_OK) {
        hunt_dir(s, rd, logs, 0);
    }
    vg_evtx_reader_free(rd);
}

static void
fini(struct scan *s)
{
    (void)s;
    vg_sigma_free(rules);
    rules = NULL;
}

const struct scan_stage scan_stage_hunt = {
    "sigma", "Sigma hunt over the event logs", available, load, run, fini,
};

#else /* evtx or sigma is not in this build */

static int
available(void)
{
    return 0;
}

const struct scan_stage scan_stage_hunt = {
    "sigma", "Sigma hunt over the event logs", available, NULL, NULL, NULL,
};

#endif
