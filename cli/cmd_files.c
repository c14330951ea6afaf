/* SPDX-License-Identifier: Apache-2.0 */
/*
 * cmd_files.c - `vigil files`: walk PATHs read-only and match every file
 * against YARA rules and hash / file-name IOCs.
 *
 * The main thread walks (vigil/fs.h) and submits each open file to the
 * worker pool (vigil/pool.h); each worker thread keeps one vg_files_worker
 * (YARA scanner, hasher, buffer). A job returns its findings as pointers to
 * copies in its output buffer; the pool hands outputs back in walk order,
 * on the main thread, which alone feeds the writer - so output never
 * interleaves and does not depend on the thread count.
 *
 * Throttling for production servers: nice 10 and best-effort I/O priority
 * 7 by default (--priority normal turns that off), --cpu-limit pauses
 * submission to keep the process under a share of all CPUs, --max-runtime
 * stops walking after a time and finishes the files already queued.
 * A progress line goes to stderr when it is a terminal and --quiet is not
 * given. Never writes to the scanned tree.
 */
#define _GNU_SOURCE /* syscall(SYS_ioprio_set) */
#include <errno.h>
#include <getopt.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "vigil/files.h"
#include "vigil/fs.h"
#include "vigil/yara.h"

#if defined(__has_include)
#if __has_include("vigil/ioc.h")
#include "vigil/ioc.h"
#define HAVE_IOC 1
#endif
#endif

#include "core/banned.h"

#define MAX_LIST 256 /* --yara / --iocs / --exclude / PATH each */

static const char files_help[] =
    "usage: vigil files [options] PATH...\n\n"
    "Match every file under PATH against YARA rules and hash / file-name\n"
    "indicators. Read-only: links are not followed, access times are kept.\n\n"
    "  --yara PATH           rule file, folder of .yar/.yara, or compiled\n"
    "                        rules (repeatable)\n"
    "  --iocs PATH           IOC list (Loki/THOR hash or filename list,\n"
    "                        STIX, MISP, CSV, text) or saved store\n"
    "                        (repeatable)\n"
    "  --fp-iocs PATH        known-good hash list (Loki false-positive\n"
    "                        hashes): such files are not reported\n"
    "  --windows-root        each PATH is a mounted Windows volume (C:):\n"
    "                        YARA's filepath is the Windows path\n"
    "  --max-size N          YARA-scan files up to N bytes (K, M, G\n"
    "                        suffixes; default 64M); larger files are\n"
    "                        still hashed\n"
    "  --exclude GLOB        skip matching paths (a GLOB with '/' matches\n"
    "                        the whole path, else the name; repeatable)\n"
    "  --max-depth N         descend at most N folders (0: only the files\n"
    "                        directly in PATH)\n"
    "  --one-file-system     stay on the file system of each PATH\n"
    "  --hash[=LIST]         digests of every file: md5, sha1, sha256\n"
    "                        (comma-separated) or all (the default);\n"
    "                        else only what the IOCs need\n"
    "  --yara-timeout S      per-file YARA timeout (default 60)\n"
    "  --no-cache            do not use the compiled-rules cache\n"
    "  --cpu-limit PERCENT   keep CPU use under PERCENT of all CPUs\n"
    "  --max-runtime S       stop walking after S seconds\n"
    "  --priority P          low (default: nice 10, idle-ish I/O) or "
    "normal\n\n";

enum {
    OPT_YARA = 0x100,
    OPT_IOCS,
    OPT_FP_IOCS,
    OPT_WINDOWS_ROOT,
    OPT_MAX_SIZE,
    OPT_EXCLUDE,
    OPT_MAX_DEPTH,
    OPT_ONE_FS,
    OPT_HASH,
    OPT_YARA_TIMEOUT,
    OPT_NO_CACHE,
    OPT_CPU_LIMIT,
    OPT_MAX_RUNTIME,
    OPT_PRIORITY,
};

struct list {
    const char *v[MAX_LIST];
    size_t n;
};

struct opts {
    struct list yara, iocs, fp_iocs, excludes, paths;
    uint64_t max_size;
    unsigned max_depth;
    int is_one_fs;
    unsigned hash_always; /* VG_DIGEST_* for every file */
    int yara_timeout_s;
    int is_no_cache;
    unsigned cpu_limit; /* percent, 0 = none */
    double max_runtime_s;
    int is_low_priority;
    int is_windows_root;
};

/* One file in flight. */
struct job {
    struct run *run;
    int fd;
    char *path;
    struct stat st;
    size_t root_len;
    int rc;
    struct vg_files_result res;
};

struct run {
    struct cli *cli;
    struct opts *o;
    struct vg_files *files;
    struct vg_pool *pool;
    struct vg_writer *writer;
    struct job **ring; /* in-flight jobs by sequence number */
    size_t ring_n;
    size_t submitted;
    struct vg_run_summary sum;
    uint64_t bytes;
    uint64_t n_timeouts, n_too_large, n_known_good;
    double t0, last_progress, throttle_t, throttle_cpu;
    int is_progress;
    int is_stopped;       /* --max-runtime reached */
    unsigned n_bad_roots; /* PATHs that could not be opened */
    size_t root_len;      /* of the PATH being walked */
    int fatal;            /* first fatal error */
    /* per-thread workers, freed after the pool has stopped */
    pthread_mutex_t mu;
    struct vg_files_worker *workers[VG_POOL_MAX_THREADS];
    size_t n_workers;
};

static _Thread_local struct vg_files_worker *tl_worker;

/* --- option parsing ------------------------------------------------------ */

static int
list_add(struct cli *cli, struct list *l, const char *v, const char *what)
{
    if (l->n == MAX_LIST) {
        cli_err(cli, "too many %s (at most %d)", what, MAX_LIST);
        return -1;
    }
    l->v[l->n++] = v;
    return 0;
}

static int
parse_num(struct cli *cli, const char *opt, const char *s, uint64_t max,
          uint64_t *out)
{
    char *end = NULL;
    unsigned long long v;
    uint64_t mul = 1;

    errno = 0;
    v = strtoull(s, &end, 10);
    if (end == s || errno != 0 || s[0] == '-') {
        goto bad;
    }
    switch (*end) {
    case 'k':
    case 'K':
        mul = 1ull << 10;
        end++;
        break;
    case 'm':
    case 'M':
        mul = 1ull << 20;
        end++;
        break;
    case 'g':
    case 'G':
        mul = 1ull << 30;
        end++;
        break;
    default:
        break;
    }
    if (*end != '\0' || v > max / mul) {
        goto bad;
    }
    *out = v * mul;
    return 0;
bad:
    cli_err(cli, "%s: '%s' is not a number from 0 to %llu", opt, s,
            (unsigned long long)max);
    return -1;
}

/* --hash[=LIST]: "md5,sha1,sha256" in any order, or "all" (no LIST). */
static int
parse_hash(struct cli *cli, const char *arg, unsigned *out)
{
    static const struct {
        const char *name;
        unsigned bit;
    } names[] = {{"md5", VG_DIGEST_MD5},
                 {"sha1", VG_DIGEST_SHA1},
                 {"sha256", VG_DIGEST_SHA256},
                 {"all", VG_DIGEST_ALL}};
    const char *p = arg;

    if (arg == NULL) {
        *out |= VG_DIGEST_ALL;
        return 0;
    }
    while (*p != '\0') {
        size_t n = strcspn(p, ","), k;
        for (k = 0; k < VG_ARRAY_LEN(names); k++) {
            if (strlen(names[k].name) == n &&
                strncmp(p, names[k].name, n) == 0) {
                break;
            }
        }
        if (k == VG_ARRAY_LEN(names)) {
            cli_err(cli, "--hash: unknown digest in '%s' (md5, sha1, "
                         "sha256 or all)", arg);
            return -1;
        }
        *out |= names[k].bit;
        p += n + (p[n] == ',');
    }
    if (*out == 0) {
        cli_err(cli, "--hash: empty list");
        return -1;
    }
    return 0;
}

static int
parse_own(struct cli *cli, struct opts *o, int opt, const char *arg)
{
    uint64_t v = 0;

    switch (opt) {
    case OPT_YARA:
        return list_add(cli, &o->yara, arg, "--yara");
    case OPT_IOCS:
        return list_add(cli, &o->iocs, arg, "--iocs");
    case OPT_FP_IOCS:
        return list_add(cli, &o->fp_iocs, arg, "--fp-iocs");
    case OPT_WINDOWS_ROOT:
        o->is_windows_root = 1;
        return 0;
    case OPT_EXCLUDE:
        return list_add(cli, &o->excludes, arg, "--exclude");
    case OPT_ONE_FS:
        o->is_one_fs = 1;
        return 0;
    case OPT_HASH:
        return parse_hash(cli, arg, &o->hash_always);
    case OPT_NO_CACHE:
        o->is_no_cache = 1;
        return 0;
    case OPT_MAX_SIZE:
        if (parse_num(cli, "--max-size", arg, 1ull << 40, &v) != 0) {
            return -1;
        }
        if (v == 0) {
            cli_err(cli, "--max-size must be more than 0");
            return -1;
        }
        o->max_size = v;
        return 0;
    case OPT_MAX_DEPTH:
        if (parse_num(cli, "--max-depth", arg, VG_WALK_MAX_DEPTH - 1, &v) !=
            0) {
            return -1;
        }
        o->max_depth = (unsigned)v + 1u; /* the walker counts files */
        return 0;
    case OPT_YARA_TIMEOUT:
        if (parse_num(cli, "--yara-timeout", arg, 86400, &v) != 0) {
            return -1;
        }
        o->yara_timeout_s = (int)v;
        return 0;
    case OPT_CPU_LIMIT:
        if (parse_num(cli, "--cpu-limit", arg, 100, &v) != 0) {
            return -1;
        }
        if (v == 0) {
            cli_err(cli, "--cpu-limit: a percentage from 1 to 100");
            return -1;
        }
        o->cpu_limit = (unsigned)v;
        return 0;
    case OPT_MAX_RUNTIME:
        if (parse_num(cli, "--max-runtime", arg, 100ull * 365 * 86400, &v) !=
            0) {
            return -1;
        }
        o->max_runtime_s = (double)v;
        return 0;
    case OPT_PRIORITY:
        if (strcmp(arg, "low") != 0 && strcmp(arg, "normal") != 0) {
            cli_err(cli, "--priority: low or normal, not '%s'", arg);
            return -1;
        }
        o->is_low_priority = strcmp(arg, "low") == 0;
        return 0;
    default:
        return 1;
    }
}

/* 0: go on, 1: --help shown, -1: error shown. */
static int
parse_args(int argc, char **argv, struct cli *cli, struct opts *o)
{
    static const struct option lopts[] = {
        {"yara", required_argument, NULL, OPT_YARA},
        {"iocs", required_argument, NULL, OPT_IOCS},
        {"fp-iocs", required_argument, NULL, OPT_FP_IOCS},
        {"windows-root", no_argument, NULL, OPT_WINDOWS_ROOT},
        {"max-size", required_argument, NULL, OPT_MAX_SIZE},
        {"exclude", required_argument, NULL, OPT_EXCLUDE},
        {"max-depth", required_argument, NULL, OPT_MAX_DEPTH},
        {"one-file-system", no_argument, NULL, OPT_ONE_FS},
        {"hash", optional_argument, NULL, OPT_HASH},
        {"yara-timeout", required_argument, NULL, OPT_YARA_TIMEOUT},
        {"no-cache", no_argument, NULL, OPT_NO_CACHE},
        {"cpu-limit", required_argument, NULL, OPT_CPU_LIMIT},
        {"max-runtime", required_argument, NULL, OPT_MAX_RUNTIME},
        {"priority", required_argument, NULL, OPT_PRIORITY},
        CLI_COMMON_LONGOPTS,
        {NULL, 0, NULL, 0},
    };
    int opt, help = 0;

    opterr = 0;
    optind = 1;
    while ((opt = getopt_long(argc, argv, "+h", lopts, NULL)) != -1) {
        int r;
        if (opt == 'h') {
            help = 1;
            continue;
        }
        if (opt == '?' || opt == ':') {
            cli_err(cli, "bad option '%s' (see 'vigil files --help')",
                    argv[optind - 1]);
            return -1;
        }
        r = parse_own(cli, o, opt, optarg);
        if (r == 1) {
            r = cli_common_parse(cli, opt, optarg, &help) > 0 ? 0 : -1;
        }
        if (r != 0) {
            return -1;
        }
    }
    if (help) {
        printf("%s%s", files_help, cli_common_help);
        return 1;
    }
    for (int i = optind; i < argc; i++) {
        if (list_add(cli, &o->paths, argv[i], "PATHs") != 0) {
            return -1;
        }
    }
    if (o->paths.n == 0) {
        cli_err(cli, "no PATH given (see 'vigil files --help')");
        return -1;
    }
    if (o->yara.n == 0 && o->iocs.n == 0 && o->hash_always == 0) {
        cli_err(cli, "nothing to match: give --yara and/or --iocs");
        return -1;
    }
    return 0;
}

/* --- set-up -----------------------------------------------------------------
 */

static double
now_s(clockid_t clk)
{
    struct timespec ts;

    (void)clock_gettime(clk, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* nice 10 and I/O best-effort level 7 (lowest) for this thread; threads
 * created afterwards (the pool) inherit both. Best effort: a failure only
 * means normal priority. */
static void
lower_priority(void)
{
    const long ioprio_class_be = 2, ioprio_who_process = 1;

    (void)setpriority(PRIO_PROCESS, 0, 10);
#ifdef SYS_ioprio_set
    (void)syscall(SYS_ioprio_set, ioprio_who_process, 0,
                  (int)((ioprio_class_be << 13) | 7));
#endif
}

static int
load_rules(struct cli *cli, const struct opts *o, struct vg_yara_rules **out)
{
    struct vg_yara_load_opts lo = {
        .paths = o->yara.v,
        .n_paths = o->yara.n,
        .cache_dir = o->is_no_cache ? "" : NULL,
    };
    struct vg_yara_load_info info;
    struct vg_diag d;
    char msg[1400];
    int rc;

    *out = NULL;
    if (o->yara.n == 0) {
        return VG_OK;
    }
    vg_diag_clear(&d);
    rc = vg_yara_load(cli->ctx, &lo, out, &info, &d);
    if (rc != VG_OK) {
        cli_err(cli, "%s",
                d.msg[0] != '\0' ? vg_diag_format(&d, msg, sizeof(msg))
                                 : vg_strerror(rc));
        return rc;
    }
    if (info.n_failed > 0) {
        cli_err(cli, "%u rule file(s) did not compile and were left out",
                info.n_failed);
    }
    return VG_OK;
}

#ifdef HAVE_IOC
static void
on_ioc_issue(void *arg, enum vg_ioc_issue_kind kind, const struct vg_diag *d)
{
    struct cli *cli = arg;
    char msg[1400];

    if (kind == VG_IOC_ISSUE_ERROR) {
        cli_err(cli, "%s", vg_diag_format(d, msg, sizeof(msg)));
    }
}

static int
load_iocs(struct cli *cli, const struct list *l, struct vg_ioc_store **out)
{
    struct vg_ioc_import_opts io;
    struct vg_ioc_import_stats stats;
    struct vg_diag d;
    char msg[1400];
    int rc;

    *out = NULL;
    if (l->n == 0) {
        return VG_OK;
    }
    vg_diag_clear(&d);
    /* One file: a saved store or a feed (the IOC module tells them apart);
     * several: feeds merged into one store. */
    if (l->n == 1) {
        rc = vg_ioc_store_open(l->v[0], on_ioc_issue, cli, out, &d);
        if (rc != VG_OK) {
            cli_err(cli, "%s", vg_diag_format(&d, msg, sizeof(msg)));
        }
        return rc;
    }
    rc = vg_ioc_store_new(out);
    vg_ioc_import_opts_init(&io);
    io.on_issue = on_ioc_issue;
    io.issue_arg = cli;
    memset(&stats, 0, sizeof(stats));
    for (size_t i = 0; i < l->n && rc == VG_OK; i++) {
        vg_diag_clear(&d);
        rc = vg_ioc_import_file(*out, l->v[i], &io, &stats, &d);
        if (rc != VG_OK) {
            cli_err(cli, "%s", vg_diag_format(&d, msg, sizeof(msg)));
        }
    }
    if (rc == VG_OK) {
        int r = vg_ioc_store_seal(*out);
        rc = r < 0 ? r : VG_OK;
    }
    if (rc != VG_OK) {
        vg_ioc_store_free(*out);
        *out = NULL;
    }
    return rc;
}

static void
free_iocs(struct vg_ioc_store *st)
{
    vg_ioc_store_free(st);
}
#else
struct vg_ioc_store;
static int
load_iocs(struct cli *cli, const struct list *l, struct vg_ioc_store **out)
{
    *out = NULL;
    if (l->n == 0) {
        return VG_OK;
    }
    cli_err(cli, "--iocs, --fp-iocs: this build has no IOC module");
    return VG_EUNSUPPORTED;
}

static void
free_iocs(struct vg_ioc_store *st)
{
    (void)st;
}
#endif

/* --- workers ----------------------------------------------------------------
 */

static int
emit_copy(const struct vg_finding *f, void *arg)
{
    struct vg_buf *out = arg;
    struct vg_finding *copy = vg_finding_dup(f);
    int rc;

    if (copy == NULL) {
        return VG_ENOMEM;
    }
    rc = vg_buf_add(out, &copy, sizeof(copy));
    if (rc != VG_OK) {
        free(copy);
    }
    return rc;
}

static struct vg_files_worker *
thread_worker(struct run *run, int *rc)
{
    struct vg_files_worker *w = NULL;

    if (tl_worker != NULL) {
        *rc = VG_OK;
        return tl_worker;
    }
    *rc = vg_files_worker_new(run->files, &w);
    if (*rc != VG_OK) {
        return NULL;
    }
    pthread_mutex_lock(&run->mu);
    if (run->n_workers == VG_ARRAY_LEN(run->workers)) {
        pthread_mutex_unlock(&run->mu);
        vg_files_worker_free(w);
        *rc = VG_EINTERNAL;
        return NULL;
    }
    run->workers[run->n_workers++] = w;
    pthread_mutex_unlock(&run->mu);
    tl_worker = w;
    return w;
}

static int
job_fn(void *arg, struct vg_buf *out)
{
    struct job *j = arg;
    struct vg_files_worker *w = thread_worker(j->run, &j->rc);
    struct vg_files_job fj = {
        .fd = j->fd,
        .path = j->path,
        .st = &j->st,
        .emit = emit_copy,
        .arg = out,
        .root_len = j->root_len,
        .is_windows_root = j->run->o->is_windows_root,
    };

    if (w != NULL) {
        j->rc = vg_files_scan(w, &fj, &j->res);
    }
    close(j->fd);
    j->fd = -1;
    return j->rc;
}

/* --- output (main thread) ------------------------------------------------ */

static void
progress(struct run *run, const char *path, int is_final)
{
    double t = now_s(CLOCK_MONOTONIC);
    double dt = t - run->t0;
    struct vg_buf b;

    if (!run->is_progress || (!is_final && t - run->last_progress < 0.2)) {
        return;
    }
    run->last_progress = t;
    if (is_final) {
        fputs("\r\033[K", stderr);
        return;
    }
    vg_buf_init(&b, 256);
    if (vg_text_escape(&b, path, strlen(path)) != VG_OK) {
        vg_buf_reset(&b); /* too long: the counters alone still help */
    }
    fprintf(stderr, "\r\033[K%llu files, %.1f MB, %.0f files/s  %.60s",
            (unsigned long long)run->sum.n_items, (double)run->bytes / 1e6,
            dt > 0 ? (double)run->sum.n_items / dt : 0.0,
            b.data != NULL ? b.data : "");
    vg_buf_fini(&b);
}

static int
sink_fn(void *arg, size_t seq, int rc, const struct vg_buf *out)
{
    struct run *run = arg;
    struct job *j = run->ring[seq % run->ring_n];
    size_t n = out->len / sizeof(struct vg_finding *);
    int wrc = VG_OK;

    run->ring[seq % run->ring_n] = NULL;
    for (size_t i = 0; i < n; i++) {
        struct vg_finding *f;
        memcpy(&f, out->data + i * sizeof(f), sizeof(f));
        if (wrc == VG_OK) {
            wrc = vg_writer_add(run->writer, f);
        }
        free(f);
    }
    run->sum.n_items++;
    run->bytes += j->res.bytes_read;
    run->n_timeouts += j->res.is_timeout ? 1u : 0u;
    run->n_too_large += j->res.is_too_large ? 1u : 0u;
    run->n_known_good += j->res.is_known_good ? 1u : 0u;
    if (rc != VG_OK) {
        run->sum.n_errors++;
        cli_err(run->cli, "%s: %s", j->path, vg_strerror(rc));
        if (rc == VG_ENOMEM && run->fatal == VG_OK) {
            run->fatal = rc;
        }
    }
    if (j->res.is_timeout) {
        cli_err(run->cli, "%s: YARA timed out; matches so far reported",
                j->path);
    }
    free(j->path);
    free(j);
    return wrc;
}

/* --- walking (main thread) ----------------------------------------------- */

/* Keep process CPU time under cpu_limit% of all CPUs: after each file,
 * sleep long enough that CPU used since the last pause fits the share. */
static void
throttle(struct run *run)
{
    double wall, cpu, need;
    struct timespec ts;

    if (run->o->cpu_limit == 0) {
        return;
    }
    wall = now_s(CLOCK_MONOTONIC);
    cpu = now_s(CLOCK_PROCESS_CPUTIME_ID);
    need = (cpu - run->throttle_cpu) /
               ((double)run->o->cpu_limit / 100.0 * (double)vg_cpu_count()) -
           (wall - run->throttle_t);
    if (need < 0.01) {
        if (wall - run->throttle_t > 1.0) { /* forget old history */
            run->throttle_t = wall;
            run->throttle_cpu = cpu;
        }
        return;
    }
    if (need > 1.0) {
        need = 1.0;
    }
    ts.tv_sec = (time_t)need;
    ts.tv_nsec = (long)((need - (double)ts.tv_sec) * 1e9);
    (void)nanosleep(&ts, NULL);
}

static int
on_file(void *arg, const struct vg_walk_entry *e)
{
    struct run *run = arg;
    struct job *j = calloc(1, sizeof(*j));
    int rc;

    if (run->o->max_runtime_s > 0 &&
        now_s(CLOCK_MONOTONIC) - run->t0 >= run->o->max_runtime_s) {
        run->is_stopped = 1;
        free(j);
        close(e->fd);
        return VG_ETIMEOUT;
    }
    if (j == NULL || (j->path = strdup(e->path)) == NULL) {
        free(j);
        close(e->fd);
        return VG_ENOMEM;
    }
    j->run = run;
    j->root_len = run->root_len;
    j->fd = e->fd;
    j->st = *e->st;
    run->ring[run->submitted % run->ring_n] = j;
    run->submitted++;
    rc = vg_pool_submit(run->pool, job_fn, j);
    progress(run, e->path, 0);
    throttle(run);
    return rc;
}

static void
on_walk_error(void *arg, const char *path, int err)
{
    struct run *run = arg;

    run->sum.n_errors++;
    cli_err(run->cli, "%s: %s", path, strerror(err));
}

static int
walk_all(struct run *run)
{
    struct vg_walk_opts wo = {
        .excludes = run->o->excludes.v,
        .n_excludes = run->o->excludes.n,
        .max_depth = run->o->max_depth,
        .is_one_fs = run->o->is_one_fs,
        .on_file = on_file,
        .on_error = on_walk_error,
        .arg = run,
    };
    int rc = VG_OK;

    for (size_t i = 0; i < run->o->paths.n && rc == VG_OK; i++) {
        struct vg_walk_stats ws = {0};
        const char *p = run->o->paths.v[i];
        size_t pl = strlen(p);
        while (pl > 1 && p[pl - 1] == '/') { /* as the walker reports it */
            pl--;
        }
        run->root_len = pl == 1 && p[0] == '/' ? 0 : pl;
        rc = vg_walk(run->cli->ctx, run->o->paths.v[i], &wo, &ws);
        /* Entry errors were reported by on_walk_error; a root that cannot
         * be opened was too: the rest of the PATHs still run, and the exit
         * status says a PATH was bad. */
        if (rc == VG_EPERM || rc == VG_ENOTFOUND || rc == VG_EIO) {
            run->n_bad_roots++;
            rc = VG_OK;
        }
    }
    if (rc == VG_ETIMEOUT && run->is_stopped) {
        cli_err(run->cli, "--max-runtime reached: stopped walking");
        rc = VG_OK;
    }
    return rc;
}

/* --- the command ------------------------------------------------------------
 */

/* Jobs in flight. Output is delivered in walk order, so while one worker
 * is on a large file the others can only run ahead by this many files; a
 * small window left a worker idle behind every 100 MB library. Each queued
 * job holds an open descriptor, so the window also stays under half the
 * descriptor limit (raised to the hard limit first). */
static size_t
window(unsigned threads)
{
    struct rlimit rl;
    size_t want = 256u * threads, fds;

    if (getrlimit(RLIMIT_NOFILE, &rl) != 0) {
        return 4u * threads;
    }
    if (rl.rlim_cur != RLIM_INFINITY && rl.rlim_cur < rl.rlim_max &&
        rl.rlim_cur < 65536) {
        rl.rlim_cur = rl.rlim_max < 65536 ? rl.rlim_max : 65536;
        (void)setrlimit(RLIMIT_NOFILE, &rl);
        (void)getrlimit(RLIMIT_NOFILE, &rl);
    }
    fds = rl.rlim_cur == RLIM_INFINITY ? want : (size_t)rl.rlim_cur / 2;
    fds = fds > 64 ? fds - 32 : 4u * threads;
    return want < fds ? want : fds;
}

static int
run_scan(struct run *run, unsigned threads)
{
    struct vg_pool_opts po = {.n_threads = threads};
    int rc, frc;

    po.queue_max = window(threads != 0 ? threads : vg_cpu_count());
    run->ring_n = 2 * po.queue_max; /* see sink_fn: seq - delivered <= q */
    run->ring = calloc(run->ring_n, sizeof(*run->ring));
    if (run->ring == NULL) {
        return VG_ENOMEM;
    }
    rc = vg_pool_new(&po, sink_fn, run, &run->pool);
    if (rc != VG_OK) {
        return rc;
    }
    rc = walk_all(run);
    frc = vg_pool_finish(run->pool);
    rc = rc != VG_OK ? rc : frc;
    vg_pool_free(run->pool);
    run->pool = NULL;
    for (size_t i = 0; i < run->n_workers; i++) {
        vg_files_worker_free(run->workers[i]);
    }
    run->n_workers = 0;
    progress(run, "", 1);
    return rc != VG_OK ? rc : run->fatal;
}

struct stores {
    struct vg_yara_rules *rules;
    struct vg_ioc_store *iocs;
    struct vg_ioc_store *fp_iocs;
};

static int
setup_and_run(struct cli *cli, struct opts *o, struct run *run,
              const struct stores *st)
{
    struct vg_files_opts fo = {
        .rules = st->rules,
        .iocs = st->iocs,
        .fp_iocs = st->fp_iocs,
        .always_digests = o->hash_always,
        .max_size = o->max_size,
        .yara_timeout_s = o->yara_timeout_s,
    };
    unsigned threads = cli->threads != 0 ? cli->threads : vg_cpu_count();
    int rc;

    if (st->rules != NULL && threads > 32) {
        threads = 32; /* libyara's YR_MAX_THREADS */
    }
    rc = vg_files_new(cli->ctx, &fo, &run->files);
    if (rc == VG_OK) {
        rc = cli_writer_new(cli, "vigil files", &run->writer) == VG_OK ? VG_OK
                                                                       : VG_EIO;
    }
    if (rc == VG_OK) {
        run->t0 = now_s(CLOCK_MONOTONIC);
        run->throttle_t = run->t0;
        run->throttle_cpu = now_s(CLOCK_PROCESS_CPUTIME_ID);
        rc = run_scan(run, threads);
    }
    return rc;
}

static int
finish(struct cli *cli, struct run *run, int rc)
{
    int code = CLI_EXIT_ERROR;

    run->sum.items_name = "files";
    run->sum.elapsed_s = now_s(CLOCK_MONOTONIC) - run->t0;
    if (run->writer != NULL && vg_writer_end(run->writer, &run->sum) != VG_OK) {
        rc = rc != VG_OK ? rc : VG_EIO;
    }
    if (rc == VG_OK) {
        code = run->n_bad_roots > 0 ? CLI_EXIT_ERROR
                                    : cli_exit_code(cli, &run->sum);
    } else {
        cli_err(cli, "%s", vg_strerror(rc));
    }
    if (!cli->quiet && run->n_known_good > 0) {
        cli_err(cli, "%llu known-good file(s) (--fp-iocs) not reported",
                (unsigned long long)run->n_known_good);
    }
    if (!cli->quiet && run->n_too_large > 0) {
        cli_err(cli, "%llu file(s) larger than --max-size were hashed only",
                (unsigned long long)run->n_too_large);
    }
    return code;
}

int
cmd_files(int argc, char **argv, struct cli *cli)
{
    struct opts o = {.is_low_priority = 1};
    struct run run = {.cli = cli, .o = &o};
    struct stores st = {0};
    int rc, code = CLI_EXIT_ERROR;

    rc = parse_args(argc, argv, cli, &o);
    if (rc != 0) {
        return rc > 0 ? CLI_EXIT_CLEAN : CLI_EXIT_ERROR;
    }
    pthread_mutex_init(&run.mu, NULL);
    if (o.is_low_priority) {
        lower_priority();
    }
    run.is_progress = !cli->quiet && isatty(STDERR_FILENO);
    if (load_rules(cli, &o, &st.rules) != VG_OK ||
        load_iocs(cli, &o.iocs, &st.iocs) != VG_OK ||
        load_iocs(cli, &o.fp_iocs, &st.fp_iocs) != VG_OK ||
        cli_open_output(cli) != 0) {
        goto out;
    }
    rc = setup_and_run(cli, &o, &run, &st);
    code = finish(cli, &run, rc);
    if (cli_close_output(cli) != 0) {
        code = CLI_EXIT_ERROR;
    }
out:
    vg_writer_free(run.writer);
    vg_files_free(run.files);
    free(run.ring);
    free_iocs(st.fp_iocs);
    free_iocs(st.iocs);
    vg_yara_rules_free(st.rules);
    pthread_mutex_destroy(&run.mu);
    return code;
}
