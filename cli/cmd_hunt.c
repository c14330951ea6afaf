/* SPDX-License-Identifier: Apache-2.0 */
/*
 * cmd_hunt.c - `vigil hunt`: Sigma rules over Windows event logs.
 *
 * Rules (--rules, repeatable; default: Vigil's own rules/sigma) are loaded
 * and compiled once into an immutable set. Each EVTX file is cut into jobs
 * of SG_JOB_CHUNKS chunks run on the worker pool; every worker thread takes
 * a free (reader, scanner) slot, scans the live records of its chunks and
 * writes its hits, serialised, into the job's output. The pool hands the
 * outputs back in submission order, so findings come out in file order
 * whatever --threads is, and go through the report writer (or are kept and
 * sorted by event time for --timeline). Records carved from slack space are
 * not hunted. Correlation rules need every event in one scanner: when the
 * set has any, the hunt runs on one thread.
 *
 * Deliberately not here: rule semantics (lib/sigma), EVTX parsing
 * (lib/evtx), output formats (lib/report).
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "vigil/sigma.h"
#if defined(__has_include)
#if __has_include("vigil/evtx.h")
#include "vigil/evtx.h"
#define HAVE_EVTX 1
#endif
#endif

#include "core/banned.h"

#define SG_JOB_CHUNKS 16u
#define SG_SUMMARY_RULES 30u /* rules listed in the stderr summary */
#define SG_JOB_OUT_MAX ((size_t)64 << 20)
#define SG_OUT_BUF     ((size_t)1 << 20) /* stdio buffer of a file/pipe */
#define SG_MAX_FILES 1000000u
#define SG_MAX_KV 32u /* matched fields per finding (= lib/sigma cap) */

static const char hunt_help[] =
    "usage: vigil hunt [options] EVTX|DIR...\n\n"
    "Run Sigma rules over Windows event logs (.evtx files; folders are\n"
    "searched recursively, symbolic links are not followed).\n\n"
    "  --rules PATH          Sigma rule file or folder (repeatable; default:\n"
    "                        Vigil's own rules)\n"
    "  --min-level LEVEL     only rules at or above LEVEL (informational,\n"
    "                        low, medium, high, critical)\n"
    "  --from TIME           only events at or after TIME (ISO 8601)\n"
    "  --to TIME             only events before TIME (ISO 8601)\n"
    "  --timeline            findings in event-time order across files\n"
    "  --mapping FILE        logsource/field mapping (default: built-in\n"
    "                        rules/mapping/windows.yml)\n"
    "  --logsource-map MODE  'default' or 'taxonomy' (Sigma taxonomy table\n"
    "                        only: no Security 4688 process creation)\n"
    "  --placeholders FILE   values for |expand placeholders (YAML map)\n"
    "  --list-unsupported    list rules that cannot be loaded, and why\n\n";

enum {
    OPT_RULES = 1,
    OPT_MIN_LEVEL,
    OPT_FROM,
    OPT_TO,
    OPT_TIMELINE,
    OPT_MAPPING,
    OPT_LSMAP,
    OPT_PLACEHOLDERS,
    OPT_LIST_UNSUPPORTED,
};

struct hunt_opts {
    const char     **rules;
    size_t           n_rules;
    int              min_level;  /* -1 = all */
    int64_t          from, to;   /* VG_TIME_NONE = open */
    int              timeline;
    int              list_unsupported;
    struct vg_sigma_opts so;
    char           **files;
    size_t           n_files, cap_files;
};

static double
now_s(void)
{
    struct timespec ts;
    (void)clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int
parse_time_opt(struct cli *cli, const char *name, const char *arg,
               int64_t *out)
{
    if (vg_time_parse(arg, out) != VG_OK) {
        cli_err(cli, "%s: '%s' is not an ISO 8601 time", name, arg);
        return -1;
    }
    return 1;
}

static int
parse_own(struct cli *cli, struct hunt_opts *o, int opt, const char *arg)
{
    enum vg_severity lv;
    switch (opt) {
    case OPT_RULES: {
        const char **p = realloc(o->rules, (o->n_rules + 1) * sizeof(*p));
        if (p == NULL)
            return -1;
        o->rules = p;
        o->rules[o->n_rules++] = arg;
        return 1;
    }
    case OPT_MIN_LEVEL:
        if (vg_sigma_level_parse(arg, strlen(arg), &lv) != VG_OK) {
            cli_err(cli, "--min-level: unknown level '%s'", arg);
            return -1;
        }
        o->min_level = (int)lv;
        return 1;
    case OPT_FROM: return parse_time_opt(cli, "--from", arg, &o->from);
    case OPT_TO: return parse_time_opt(cli, "--to", arg, &o->to);
    case OPT_TIMELINE: o->timeline = 1; return 1;
    case OPT_MAPPING: o->so.mapping_path = arg; return 1;
    case OPT_PLACEHOLDERS: o->so.placeholders_path = arg; return 1;
    case OPT_LIST_UNSUPPORTED: o->list_unsupported = 1; return 1;
    case OPT_LSMAP:
        if (strcmp(arg, "taxonomy") != 0 && strcmp(arg, "default") != 0) {
            cli_err(cli, "--logsource-map: 'default' or 'taxonomy', not '%s'",
                    arg);
            return -1;
        }
        o->so.taxonomy_only = strcmp(arg, "taxonomy") == 0;
        return 1;
    default:
        return 0;
    }
}

/* 0 run, 1 help shown, -1 usage error. */
static int
parse_args(int argc, char **argv, struct cli *cli, struct hunt_opts *o)
{
    static const struct option opts[] = {
        { "rules", required_argument, NULL, OPT_RULES },
        { "min-level", required_argument, NULL, OPT_MIN_LEVEL },
        { "from", required_argument, NULL, OPT_FROM },
        { "to", required_argument, NULL, OPT_TO },
        { "timeline", no_argument, NULL, OPT_TIMELINE },
        { "mapping", required_argument, NULL, OPT_MAPPING },
        { "logsource-map", required_argument, NULL, OPT_LSMAP },
        { "placeholders", required_argument, NULL, OPT_PLACEHOLDERS },
        { "list-unsupported", no_argument, NULL, OPT_LIST_UNSUPPORTED },
        CLI_COMMON_LONGOPTS,
        { NULL, 0, NULL, 0 },
    };
    int opt, help = 0;
    opterr = 0;
    optind = 1;
    while ((opt = getopt_long(argc, argv, "+h", opts, NULL)) != -1) {
        int r = opt == 'h' ? (help = 1) : parse_own(cli, o, opt, optarg);
        if (r == 0)
            r = cli_common_parse(cli, opt, optarg, &help);
        if (r < 0)
            return -1;
        if (r == 0) {
            cli_err(cli, "unknown option '%s' (see 'vigil hunt --help')",
                    argv[optind - 1]);
            return -1;
        }
    }
    if (help) {
        printf("%s%s", hunt_help, cli_common_help);
        return 1;
    }
    if (optind == argc && !o->list_unsupported) {
        cli_err(cli, "no EVTX file or folder given (see 'vigil hunt --help')");
        return -1;
    }
    return 0;
}

/* ---- rules ---- */

/* Vigil's own rules: $VIGIL_SIGMA_RULES, else next to the executable
 * (build tree: ../rules/sigma; install: ../share/vigil/rules/sigma). */
static int
own_rules_dir(char *out, size_t cap)
{
    const char *env = getenv("VIGIL_SIGMA_RULES");
    struct stat st;
    if (env != NULL && env[0] != '\0') {
        snprintf(out, cap, "%s", env);
        return 0;
    }
    char exe[PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
    if (n <= 0)
        return -1;
    exe[n] = '\0';
    char *slash = strrchr(exe, '/');
    if (slash != NULL)
        *slash = '\0';
    static const char *const rel[] = { "../rules/sigma",
                                       "../share/vigil/rules/sigma" };
    for (size_t i = 0; i < sizeof(rel) / sizeof(rel[0]); i++) {
        char p[PATH_MAX + 64];
        int k = snprintf(p, sizeof(p), "%s/%s", exe, rel[i]);
        /* canonical, so findings name the same path from any build dir */
        if (k > 0 && (size_t)k < sizeof(p) && cap >= PATH_MAX &&
            realpath(p, out) != NULL && stat(out, &st) == 0 &&
            S_ISDIR(st.st_mode))
            return 0;
    }
    return -1;
}

static int
load_rules(struct cli *cli, struct hunt_opts *o, struct vg_sigma **out)
{
    struct vg_diag d;
    char own[PATH_MAX];
    vg_diag_clear(&d);
    if (vg_sigma_new(cli->ctx, &o->so, out, &d) != VG_OK) {
        char msg[1400];
        cli_err(cli, "%s", vg_diag_format(&d, msg, sizeof(msg)));
        return -1;
    }
    if (o->n_rules == 0) {
        if (own_rules_dir(own, sizeof(own)) != 0) {
            cli_err(cli, "Vigil's own rules not found (set VIGIL_SIGMA_RULES "
                         "or give --rules)");
            return -1;
        }
        o->rules = malloc(sizeof(char *));
        if (o->rules == NULL)
            return -1;
        o->rules[0] = own;
        o->n_rules = 1;
    }
    for (size_t i = 0; i < o->n_rules; i++) {
        if (vg_sigma_add_path(*out, o->rules[i], &d) != VG_OK) {
            cli_err(cli, "--rules %s: %s", o->rules[i],
                    d.msg[0] ? d.msg : "cannot load");
            return -1;
        }
    }
    if (o->rules[0] == own) { /* own is on this stack frame */
        o->rules[0] = NULL;
        o->n_rules = 0;
    }
    if (vg_sigma_compile(*out, &d) != VG_OK) {
        char msg[1400];
        cli_err(cli, "%s", vg_diag_format(&d, msg, sizeof(msg)));
        return -1;
    }
    return 0;
}

static int
list_unsupported(struct cli *cli, const struct vg_sigma *s)
{
    size_t nu = vg_sigma_unsupported_count(s), nosrc = 0;
    if (cli_open_output(cli) != 0)
        return CLI_EXIT_ERROR;
    for (size_t i = 0; i < nu; i++) {
        const struct vg_sigma_unsupported_info *u = vg_sigma_unsupported(s, i);
        fprintf(cli->out, "%s:%" PRIu64 ": %s%s%s%s\n", u->path, u->line,
                u->reason, u->title ? " (" : "", u->title ? u->title : "",
                u->title ? ")" : "");
    }
    for (size_t i = 0; i < vg_sigma_count(s); i++) {
        const struct vg_sigma_rule_info *r = vg_sigma_rule(s, i);
        if (r->kind == VG_SIGMA_RULE && !r->applies) {
            nosrc++;
            fprintf(cli->out, "%s: no event-log source for logsource "
                    "product=%s category=%s service=%s (loaded, never "
                    "matches EVTX)\n", r->path, r->product ? r->product : "-",
                    r->category ? r->category : "-",
                    r->service ? r->service : "-");
        }
    }
    fprintf(cli->out, "%zu rules loaded, %zu unsupported, %zu without an "
            "event-log source\n", vg_sigma_count(s), nu, nosrc);
    return cli_close_output(cli) != 0 ? CLI_EXIT_ERROR : CLI_EXIT_CLEAN;
}

/* ---- input files ---- */

static int
has_evtx_ext(const char *n)
{
    size_t l = strlen(n);
    return l > 5 && strcasecmp(n + l - 5, ".evtx") == 0;
}

static int
add_file(struct hunt_opts *o, const char *path)
{
    if (o->n_files == o->cap_files) {
        size_t nc = o->cap_files ? o->cap_files * 2 : 64;
        if (nc > SG_MAX_FILES)
            return -1;
        char **p = realloc(o->files, nc * sizeof(*p));
        if (p == NULL)
            return -1;
        o->files = p;
        o->cap_files = nc;
    }
    o->files[o->n_files] = strdup(path);
    return o->files[o->n_files++] ? 0 : -1;
}

static int
cmp_cstr(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static int
walk(struct cli *cli, struct hunt_opts *o, const char *dir, unsigned depth)
{
    DIR *d = opendir(dir);
    struct dirent *e;
    size_t first = o->n_files;
    int rc = 0;
    if (d == NULL || depth > 64) {
        if (d != NULL)
            closedir(d);
        cli_err(cli, "%s: cannot read folder", dir);
        return 0; /* a per-path error: the hunt goes on */
    }
    while (rc == 0 && (e = readdir(d)) != NULL) {
        char p[PATH_MAX];
        struct stat st;
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
            continue;
        int n = snprintf(p, sizeof(p), "%s/%s", dir, e->d_name);
        if (n <= 0 || (size_t)n >= sizeof(p) || lstat(p, &st) != 0)
            continue;
        if (S_ISDIR(st.st_mode))
            rc = walk(cli, o, p, depth + 1);
        else if (S_ISREG(st.st_mode) && has_evtx_ext(e->d_name))
            rc = add_file(o, p);
    }
    closedir(d);
    if (o->n_files > first)
        qsort(o->files + first, o->n_files - first, sizeof(char *), cmp_cstr);
    return rc;
}

static int
collect(struct cli *cli, struct hunt_opts *o, int argc, char **argv)
{
    for (int i = optind; i < argc; i++) {
        struct stat st;
        if (stat(argv[i], &st) != 0) {
            cli_err(cli, "%s: %s", argv[i], strerror(errno));
            continue;
        }
        int rc = S_ISDIR(st.st_mode) ? walk(cli, o, argv[i], 0)
                                     : add_file(o, argv[i]);
        if (rc != 0)
            return -1;
    }
    return 0;
}

#ifdef HAVE_EVTX
/* ---- the hunt ---- */

struct slot {
    struct vg_evtx_reader   *rd;
    struct vg_sigma_scanner *sc;
    int                      busy;
};

struct ofile {
    struct vg_evtx *f;
    char           *name;
    size_t          pending; /* jobs not yet delivered */
    int             all_submitted;
};

struct run {
    struct cli             *cli;
    const struct hunt_opts *o;
    const struct vg_sigma  *s;
    pthread_mutex_t         mu;
    struct slot            *slots;
    size_t                  n_slots;
    struct ofile           *files;
    struct vg_writer       *w;
    struct vg_run_summary   sum;
    uint64_t               *per_rule;
    struct rule_out        *rout;     /* by rule: what every finding shares */
    struct job            **jobs;     /* by pool sequence number */
    size_t                  n_jobs, cap_jobs;
    struct vg_finding     **kept; /* --timeline */
    size_t                  n_kept, cap_kept;
};

struct job {
    struct run *run;
    size_t      file, c0, c1;
};

struct jctx {
    struct run    *run;
    struct vg_buf *out;
    uint64_t       records;
    int            rc;
};

static int
put_u64(struct vg_buf *b, uint64_t v)
{
    return vg_buf_add(b, &v, sizeof(v));
}

static int
put_str(struct vg_buf *b, const char *p, size_t n)
{
    int rc = put_u64(b, n);
    return rc == VG_OK && n ? vg_buf_add(b, p, n) : rc;
}

/* Hit record: 'H', rule, time, record id, offset, event id, computer,
 * channel, provider, n fields, (key, value)... */
static int
on_hit(void *arg, const struct vg_sigma_match *m, const struct vg_event *ev)
{
    struct jctx *j = arg;
    struct vg_buf *b = j->out;
    int rc = vg_buf_addc(b, 'H');
    const struct vg_str none = { "", 0 };
    if (rc == VG_OK) rc = put_u64(b, m->rule);
    if (rc == VG_OK) rc = put_u64(b, (uint64_t)(ev ? ev->time_us : VG_TIME_NONE));
    if (rc == VG_OK) rc = put_u64(b, ev ? ev->record_id : 0);
    if (rc == VG_OK) rc = put_u64(b, ev ? ev->offset : VG_OFFSET_NONE);
    if (rc == VG_OK) rc = put_u64(b, ev ? ev->event_id : 0);
    const struct vg_str *c = ev && ev->computer.p ? &ev->computer : &none;
    const struct vg_str *ch = ev && ev->channel.p ? &ev->channel : &none;
    const struct vg_str *pv = ev && ev->provider.p ? &ev->provider : &none;
    if (rc == VG_OK) rc = put_str(b, c->p, c->len);
    if (rc == VG_OK) rc = put_str(b, ch->p, ch->len);
    if (rc == VG_OK) rc = put_str(b, pv->p, pv->len);
    if (rc == VG_OK) rc = put_u64(b, m->n_fields);
    for (size_t i = 0; i < m->n_fields && rc == VG_OK; i++) {
        rc = put_str(b, m->fields[i].key, strlen(m->fields[i].key));
        if (rc == VG_OK)
            rc = put_str(b, m->fields[i].value, strlen(m->fields[i].value));
    }
    return rc;
}

static int
on_record(void *arg, struct vg_evtx_record *rec)
{
    struct jctx *j = arg;
    const struct hunt_opts *o = j->run->o;
    if (rec->is_recovered)
        return VG_OK;
    int64_t t = rec->event.time_us;
    if ((o->from != VG_TIME_NONE && (t == VG_TIME_NONE || t < o->from)) ||
        (o->to != VG_TIME_NONE && (t == VG_TIME_NONE || t >= o->to)))
        return VG_OK;
    j->records++;
    return VG_OK;
}

static struct slot *
take_slot(struct run *r)
{
    struct slot *s = NULL;
    pthread_mutex_lock(&r->mu);
    for (size_t i = 0; i < r->n_slots && s == NULL; i++)
        if (!r->slots[i].busy)
            s = &r->slots[i];
    if (s != NULL)
        s->busy = 1;
    pthread_mutex_unlock(&r->mu);
    return s;
}

static void
give_slot(struct run *r, struct slot *s)
{
    pthread_mutex_lock(&r->mu);
    s->busy = 0;
    pthread_mutex_unlock(&r->mu);
}

struct scanrec {
    struct jctx             *j;
    struct vg_sigma_scanner *sc;
};

static int
scan_record(void *arg, struct vg_evtx_record *rec)
{
    struct scanrec *sr = arg;
    uint64_t before = sr->j->records;
    int rc = on_record(sr->j, rec);
    if (rc != VG_OK || sr->j->records == before)
        return rc;
    return vg_sigma_scan(sr->sc, &rec->event, on_hit, sr->j);
}

/* A job: chunks [c0, c1) of one file. Output: hits, then 'S' records. */
static int
run_job(void *arg, struct vg_buf *out)
{
    struct job *jb = arg;
    struct run *r = jb->run;
    struct jctx j = { r, out, 0, VG_OK };
    struct slot *sl = take_slot(r); /* slots == threads: never NULL */
    if (sl == NULL)
        return VG_EINTERNAL;
    struct scanrec sr = { &j, sl->sc };
    struct vg_evtx_stats st;
    int rc = VG_OK;
    vg_evtx_stats_init(&st);
    for (size_t c = jb->c0; c < jb->c1 && rc == VG_OK; c++)
        rc = vg_evtx_chunk_each(sl->rd, r->files[jb->file].f, c, 0,
                                scan_record, &sr, &st);
    give_slot(r, sl);
    int rc2 = vg_buf_addc(out, 'S');
    if (rc2 == VG_OK)
        rc2 = put_u64(out, j.records);
    if (rc2 == VG_OK)
        rc2 = put_u64(out, st.n_errors);
    return rc != VG_OK ? rc : rc2;
}

struct cur {
    const uint8_t *p;
    size_t         n, i;
};

static uint64_t
get_u64(struct cur *c)
{
    uint64_t v = 0;
    if (c->n - c->i >= sizeof(v)) {
        memcpy(&v, c->p + c->i, sizeof(v));
        c->i += sizeof(v);
    } else {
        c->i = c->n;
    }
    return v;
}

/* Borrow a string and NUL-terminate a copy in tmp (cut to cap - 1). */
static const char *
get_str(struct cur *c, char *tmp, size_t cap)
{
    uint64_t n = get_u64(c);
    if (n > c->n - c->i)
        n = c->n - c->i;
    size_t k = n < cap - 1 ? (size_t)n : cap - 1;
    memcpy(tmp, c->p + c->i, k);
    tmp[k] = '\0';
    c->i += (size_t)n;
    return tmp;
}

static int
emit(struct run *r, const struct vg_finding *f)
{
    if (!r->o->timeline)
        return vg_writer_add(r->w, f);
    if (r->n_kept == r->cap_kept) {
        size_t nc = r->cap_kept ? r->cap_kept * 2 : 256;
        struct vg_finding **p = realloc(r->kept, nc * sizeof(*p));
        if (p == NULL)
            return VG_ENOMEM;
        r->kept = p;
        r->cap_kept = nc;
    }
    r->kept[r->n_kept] = vg_finding_dup(f);
    return r->kept[r->n_kept++] ? VG_OK : VG_ENOMEM;
}

#define MAX_TECH 16

/* What every finding of one rule shares, made on the rule's first hit (in
 * the sink thread) rather than per finding. */
struct rule_out {
    int         ready;
    char        reason[512];
    char        tech[MAX_TECH][32];
    const char *tp[MAX_TECH];
    size_t      n_tech;
};

/* "attack.t1059.001" -> "T1059.001" */
static size_t
techniques(const struct vg_sigma_rule_info *in, char tech[][32],
           const char **out, size_t max)
{
    size_t n = 0;
    for (size_t i = 0; i < in->n_tags && n < max; i++) {
        const char *t = in->tags[i];
        if (strncasecmp(t, "attack.t", 8) != 0 || t[8] < '0' || t[8] > '9')
            continue;
        snprintf(tech[n], 32, "T%s", t + 8);
        for (char *p = tech[n]; *p; p++)
            if (*p >= 'a' && *p <= 'z')
                *p = (char)(*p - 32);
        out[n] = tech[n];
        n++;
    }
    return n;
}

static void
reason_of(const struct vg_sigma_rule_info *in, char *out, size_t cap)
{
    const char *d = in->description ? in->description : "";
    size_t n = strcspn(d, "\r\n");
    snprintf(out, cap, "Sigma rule matched%s%.*s", n ? ": " : "",
             (int)(n < 400 ? n : 400), d);
}

static const struct rule_out *
rule_out(struct run *r, size_t ri, const struct vg_sigma_rule_info *in)
{
    struct rule_out *o = &r->rout[ri];
    if (!o->ready) {
        reason_of(in, o->reason, sizeof(o->reason));
        o->n_tech = techniques(in, o->tech, o->tp, MAX_TECH);
        o->ready = 1;
    }
    return o;
}

struct hitbuf {
    char             computer[256], channel[256], provider[256], eid[24];
    char             kv_store[SG_MAX_KV][2][512];
    struct vg_kv     kv[SG_MAX_KV];
    struct vg_kv     extra[4];
};

static int
deliver_hit(struct run *r, struct cur *c, const char *file, struct hitbuf *h)
{
    struct vg_finding f;
    memset(&f, 0, sizeof(f));
    uint64_t ri = get_u64(c);
    const struct vg_sigma_rule_info *in = vg_sigma_rule(r->s, (size_t)ri);
    if (in == NULL)
        return VG_EINTERNAL;
    const struct rule_out *ro = rule_out(r, (size_t)ri, in);
    int below = r->o->min_level >= 0 && (int)in->level < r->o->min_level;
    f.time_us = (int64_t)get_u64(c);
    f.evidence.record_id = get_u64(c);
    f.evidence.offset = get_u64(c);
    h->eid[vg_u64_dec(h->eid, get_u64(c))] = '\0';
    f.host = get_str(c, h->computer, sizeof(h->computer));
    get_str(c, h->channel, sizeof(h->channel));
    get_str(c, h->provider, sizeof(h->provider));
    uint64_t nf = get_u64(c);
    for (size_t i = 0; i < nf; i++) {
        const char *k = get_str(c, h->kv_store[i % SG_MAX_KV][0], 512);
        const char *v = get_str(c, h->kv_store[i % SG_MAX_KV][1], 512);
        h->kv[i % SG_MAX_KV] = (struct vg_kv){ k, v };
    }
    f.module = "hunt";
    f.severity = in->level;
    f.title = in->title;
    f.reason = ro->reason;
    f.rule.id = in->id;
    f.rule.name = in->title;
    f.rule.source = "sigma";
    f.rule.reference = in->path;
    f.evidence.path = file;
    f.evidence.values = h->kv;
    f.evidence.n_values = nf < SG_MAX_KV ? (size_t)nf : SG_MAX_KV;
    f.n_techniques = ro->n_tech;
    f.techniques = ro->tp;
    h->extra[0] = (struct vg_kv){ "channel", h->channel };
    h->extra[1] = (struct vg_kv){ "event_id", h->eid };
    h->extra[2] = (struct vg_kv){ "provider", h->provider };
    f.extra = h->extra;
    f.n_extra = 3;
    if (below) /* parsed anyway: the cursor must move past the hit */
        return VG_OK;
    r->per_rule[ri]++;
    return emit(r, &f);
}

static void
job_done(struct run *r, struct job *jb)
{
    struct ofile *of = &r->files[jb->file];
    if (--of->pending == 0 && of->all_submitted) {
        vg_evtx_close(of->f);
        of->f = NULL;
    }
    free(jb);
}

static int
sink(void *arg, size_t seq, int rc, const struct vg_buf *out)
{
    struct run *r = arg;
    struct job *jb = r->jobs[seq];
    const char *file = r->files[jb->file].name;
    struct cur c = { (const uint8_t *)out->data, out->len, 0 };
    struct hitbuf *h = malloc(sizeof(*h));
    int ret = h ? VG_OK : VG_ENOMEM;
    r->jobs[seq] = NULL;
    if (rc != VG_OK && rc != VG_ECANCELED) {
        cli_err(r->cli, "%s: chunks %zu-%zu: %s", file, jb->c0, jb->c1 - 1,
                vg_strerror(rc));
        r->sum.n_errors++;
    }
    while (ret == VG_OK && c.i < c.n) {
        char tag = (char)c.p[c.i++];
        if (tag == 'H') {
            ret = deliver_hit(r, &c, file, h);
        } else if (tag == 'S') {
            r->sum.n_items += get_u64(&c);
            r->sum.n_errors += get_u64(&c);
        } else {
            ret = VG_EINTERNAL;
        }
    }
    free(h);
    job_done(r, jb);
    return ret;
}

static int
submit(struct run *r, struct vg_pool *p, size_t fi, size_t c0, size_t c1)
{
    struct job *jb = malloc(sizeof(*jb));
    if (jb == NULL)
        return VG_ENOMEM;
    *jb = (struct job){ r, fi, c0, c1 };
    if (r->n_jobs == r->cap_jobs) {
        size_t nc = r->cap_jobs ? r->cap_jobs * 2 : 256;
        struct job **q = realloc(r->jobs, nc * sizeof(*q));
        if (q == NULL) {
            free(jb);
            return VG_ENOMEM;
        }
        r->jobs = q;
        r->cap_jobs = nc;
    }
    r->jobs[r->n_jobs++] = jb;
    r->files[fi].pending++;
    return vg_pool_submit(p, run_job, jb);
}

static int
open_evtx(struct run *r, size_t fi)
{
    const char *path = r->o->files[fi];
    struct ofile *of = &r->files[fi];
    of->name = r->o->files[fi];
    int fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
    if (fd < 0) {
        cli_err(r->cli, "%s: %s", path, strerror(errno));
        r->sum.n_errors++;
        return -1;
    }
    int rc = vg_evtx_open_fd(r->cli->ctx, fd, path, &of->f);
    close(fd);
    if (rc != VG_OK) {
        cli_err(r->cli, "%s: not an EVTX file (%s)", path, vg_strerror(rc));
        r->sum.n_errors++;
        return -1;
    }
    return 0;
}

/* Submit every file's chunks; files are opened one by one and closed by
 * the sink once their last job is delivered. */
static int
submit_all(struct run *r, struct vg_pool *p)
{
    int rc = VG_OK;
    for (size_t fi = 0; fi < r->o->n_files && rc == VG_OK; fi++) {
        if (vg_ctx_cancelled(r->cli->ctx))
            return VG_ECANCELED;
        if (open_evtx(r, fi) != 0)
            continue;
        size_t n = vg_evtx_chunk_count(r->files[fi].f);
        r->files[fi].pending++; /* held while submitting */
        for (size_t c = 0; c < n && rc == VG_OK; c += SG_JOB_CHUNKS)
            rc = submit(r, p, fi, c, c + SG_JOB_CHUNKS < n ? c + SG_JOB_CHUNKS
                                                           : n);
        r->files[fi].all_submitted = 1;
        if (--r->files[fi].pending == 0) {
            vg_evtx_close(r->files[fi].f);
            r->files[fi].f = NULL;
        }
    }
    return rc;
}

static int
cmp_finding(const void *a, const void *b)
{
    const struct vg_finding *x = *(struct vg_finding *const *)a;
    const struct vg_finding *y = *(struct vg_finding *const *)b;
    if (x->time_us != y->time_us)
        return x->time_us < y->time_us ? -1 : 1;
    int c = strcmp(x->evidence.path ? x->evidence.path : "",
                   y->evidence.path ? y->evidence.path : "");
    if (c != 0)
        return c;
    return x->evidence.record_id < y->evidence.record_id ? -1
           : x->evidence.record_id > y->evidence.record_id;
}

static int
flush_timeline(struct run *r)
{
    int rc = VG_OK;
    if (r->n_kept > 1)
        qsort(r->kept, r->n_kept, sizeof(*r->kept), cmp_finding);
    for (size_t i = 0; i < r->n_kept; i++) {
        if (rc == VG_OK)
            rc = vg_writer_add(r->w, r->kept[i]);
        free(r->kept[i]);
    }
    r->n_kept = 0;
    return rc;
}

struct rule_hits {
    uint64_t n;
    size_t   rule;
};

static int
cmp_rule_hits(const void *a, const void *b)
{
    const struct rule_hits *x = a, *y = b;
    if (x->n != y->n)
        return x->n > y->n ? -1 : 1;
    return x->rule < y->rule ? -1 : x->rule > y->rule;
}

static void
print_rule_summary(struct run *r)
{
    size_t n = vg_sigma_count(r->s), shown = 0;
    struct rule_hits *idx = malloc((n ? n : 1) * sizeof(*idx));
    uint64_t lv[VG_SEV_COUNT] = { 0 };
    if (idx == NULL)
        return;
    for (size_t i = 0; i < n; i++) {
        idx[i] = (struct rule_hits){ r->per_rule[i], i };
        lv[vg_sigma_rule(r->s, i)->level] += r->per_rule[i];
    }
    qsort(idx, n, sizeof(*idx), cmp_rule_hits);
    fprintf(stderr, "vigil: hunt: hits by level: critical %" PRIu64
            ", high %" PRIu64 ", medium %" PRIu64 ", low %" PRIu64
            ", informational %" PRIu64 "\n", lv[4], lv[3], lv[2], lv[1], lv[0]);
    for (size_t i = 0; i < n && idx[i].n > 0 && shown < SG_SUMMARY_RULES;
         i++, shown++) {
        const struct vg_sigma_rule_info *in = vg_sigma_rule(r->s, idx[i].rule);
        fprintf(stderr, "vigil: hunt: %8" PRIu64 "  %-13s %s [%s]\n",
                idx[i].n, in->level == VG_SEV_INFO
                                         ? "informational"
                                         : vg_severity_name(in->level),
                in->title, in->id ? in->id : "no id");
    }
    size_t more = 0;
    for (size_t i = shown; i < n; i++)
        more += idx[i].n > 0;
    if (more > 0)
        fprintf(stderr, "vigil: hunt: ... and %zu more rules with hits (every "
                "finding is in the output)\n", more);
    if (shown == 0)
        fprintf(stderr, "vigil: hunt: no rule matched\n");
    free(idx);
}

static int
has_correlations(const struct vg_sigma *s)
{
    for (size_t i = 0; i < vg_sigma_count(s); i++)
        if (vg_sigma_rule(s, i)->kind == VG_SIGMA_CORRELATION)
            return 1;
    return 0;
}

static int
make_slots(struct run *r, unsigned threads)
{
    r->n_slots = threads;
    r->slots = calloc(threads, sizeof(*r->slots));
    if (r->slots == NULL)
        return VG_ENOMEM;
    for (size_t i = 0; i < threads; i++) {
        int rc = vg_evtx_reader_new(&r->slots[i].rd);
        if (rc == VG_OK)
            rc = vg_sigma_scanner_new(r->s, &r->slots[i].sc);
        if (rc != VG_OK)
            return rc;
    }
    return VG_OK;
}

static void
free_run(struct run *r)
{
    for (size_t i = 0; i < r->n_slots; i++) {
        vg_evtx_reader_free(r->slots[i].rd);
        vg_sigma_scanner_free(r->slots[i].sc);
    }
    free(r->slots);
    for (size_t i = 0; r->files && i < r->o->n_files; i++)
        vg_evtx_close(r->files[i].f);
    for (size_t i = 0; i < r->n_jobs; i++)
        free(r->jobs[i]);
    free(r->jobs);
    free(r->files);
    for (size_t i = 0; i < r->n_kept; i++)
        free(r->kept[i]);
    free(r->kept);
    free(r->per_rule);
    free(r->rout);
    vg_writer_free(r->w);
    pthread_mutex_destroy(&r->mu);
}

/* Correlations seen at end of input (lt/lte windows) become findings. */
static int
flush_scanners(struct run *r)
{
    struct vg_buf b;
    int rc = VG_OK;
    vg_buf_init(&b, SG_JOB_OUT_MAX);
    for (size_t i = 0; i < r->n_slots && rc == VG_OK; i++) {
        struct jctx j = { r, &b, 0, VG_OK };
        vg_buf_reset(&b);
        rc = vg_sigma_scanner_flush(r->slots[i].sc, on_hit, &j);
        struct cur c = { (const uint8_t *)b.data, b.len, 0 };
        struct hitbuf *h = malloc(sizeof(*h));
        while (rc == VG_OK && h != NULL && c.i < c.n && c.p[c.i++] == 'H')
            rc = deliver_hit(r, &c, "(correlation)", h);
        free(h);
    }
    vg_buf_fini(&b);
    return rc;
}

static int
hunt_files(struct cli *cli, const struct hunt_opts *o,
           const struct vg_sigma *s, double t0)
{
    struct run r;
    struct vg_pool *p = NULL;
    char title[256];
    memset(&r, 0, sizeof(r));
    r.cli = cli;
    r.o = o;
    r.s = s;
    r.sum.items_name = "records";
    pthread_mutex_init(&r.mu, NULL);
    unsigned threads = has_correlations(s) ? 1
                       : cli->threads ? cli->threads : vg_cpu_count();
    if (threads == 1 && cli->threads > 1 && !cli->quiet)
        cli_err(cli, "correlation rules are loaded: hunting on one thread");
    struct vg_pool_opts po = { threads, 0, SG_JOB_OUT_MAX };
    int rc = make_slots(&r, threads);
    r.files = calloc(o->n_files ? o->n_files : 1, sizeof(*r.files));
    r.per_rule = calloc(vg_sigma_count(s) + 1, sizeof(uint64_t));
    r.rout = calloc(vg_sigma_count(s) + 1, sizeof(*r.rout));
    snprintf(title, sizeof(title), "vigil hunt (%zu rules, %zu files)",
             vg_sigma_count(s), o->n_files);
    if (rc == VG_OK && (r.files == NULL || r.per_rule == NULL ||
                         r.rout == NULL))
        rc = VG_ENOMEM;
    if (rc == VG_OK && cli_open_output(cli) != 0)
        rc = VG_EIO;
    /* findings come by the tens of thousands: write them in large blocks,
     * not stdio's 4 KiB (nothing has been written to the stream yet) */
    if (rc == VG_OK && !isatty(fileno(cli->out)))
        (void)setvbuf(cli->out, NULL, _IOFBF, SG_OUT_BUF);
    if (rc == VG_OK)
        rc = cli_writer_new(cli, title, &r.w);
    if (rc == VG_OK)
        rc = vg_pool_new(&po, sink, &r, &p);
    if (rc == VG_OK)
        rc = submit_all(&r, p);
    if (p != NULL) {
        int rc2 = vg_pool_finish(p);
        rc = rc == VG_OK ? rc2 : rc;
        vg_pool_free(p);
    }
    if (rc == VG_OK)
        rc = flush_scanners(&r);
    if (rc == VG_OK)
        rc = flush_timeline(&r);
    r.sum.elapsed_s = now_s() - t0;
    if (rc == VG_OK)
        rc = vg_writer_end(r.w, &r.sum);
    if (rc == VG_OK && !cli->quiet)
        print_rule_summary(&r);
    if (rc != VG_OK && rc != VG_EIO)
        cli_err(cli, "%s", vg_strerror(rc));
    int closed = cli_close_output(cli);
    int ret = rc != VG_OK || closed != 0 ? CLI_EXIT_ERROR
                                         : cli_exit_code(cli, &r.sum);
    free_run(&r);
    return ret;
}
#endif

int
cmd_hunt(int argc, char **argv, struct cli *cli)
{
    struct hunt_opts o;
    struct vg_sigma *s = NULL;
    int ret = CLI_EXIT_ERROR;
    double t0 = now_s();
    memset(&o, 0, sizeof(o));
    o.min_level = -1;
    o.from = o.to = VG_TIME_NONE;
    int r = parse_args(argc, argv, cli, &o);
    if (r != 0) {
        ret = r > 0 ? CLI_EXIT_CLEAN : CLI_EXIT_ERROR;
        goto out;
    }
    if (load_rules(cli, &o, &s) != 0)
        goto out;
    if (o.list_unsupported) {
        ret = list_unsupported(cli, s);
        goto out;
    }
    if (collect(cli, &o, argc, argv) != 0)
        goto out;
#ifdef HAVE_EVTX
    ret = hunt_files(cli, &o, s, t0);
#else
    (void)t0;
    cli_err(cli, "this build has no EVTX reader (include/vigil/evtx.h)");
#endif
out:
    vg_sigma_free(s);
    for (size_t i = 0; i < o.n_files; i++)
        free(o.files[i]);
    free(o.files);
    free(o.rules);
    return ret;
}
