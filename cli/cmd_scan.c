/* SPDX-License-Identifier: Apache-2.0 */
/*
 * cmd_scan.c - `vigil scan [TARGET]`, the one-command entry point. It finds
 * out what TARGET is (vigil/target.h: this live system when absent, an
 * offline Windows or Linux root, a KAPE or URL-encoded triage collection,
 * or a plain folder) and says so on stderr; loads content once (IOC feeds,
 * Sigma and YARA rules, remote-access catalog and policy); runs the stages
 * in order - remote-access inventory, file scan of the places that matter,
 * Sigma hunt over the event logs, IOC sweep of tool and web logs -; links
 * what they found (vigil/correlate.h) and writes verdict, reason, findings
 * and a final line with counts and elapsed time.
 *
 * Production behaviour: the process lowers its CPU and IO priority
 * (nice 10, best-effort IO at the lowest level) before touching evidence; --cpu-limit PCT sleeps
 * between units of work to stay under PCT percent of one CPU;
 * --max-runtime S stops the work (the report says the results are
 * partial). It never writes to the target.
 */
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "scan.h"

#include "core/banned.h"

static const char scan_help[] =
    "usage: vigil scan [options] [TARGET]\n\n"
    "Scan this system (no TARGET), a mounted Windows or Linux image, a\n"
    "triage collection (KAPE C/..., Velociraptor C%3A/...) or a folder of\n"
    "collected evidence with every module that applies, and give one\n"
    "verdict: CLEAN, SUSPICIOUS or COMPROMISED. --format html writes a\n"
    "self-contained HTML report.\n\n"
    "scan options:\n"
    "  --full                file-scan the whole target, not only the\n"
    "                        places that matter (temp folders, user\n"
    "                        profiles, ProgramData, remote-tool folders,\n"
    "                        web roots)\n"
    "  --rules DIR           also load the Sigma rules in DIR\n"
    "  --yara PATH           also load YARA rules (file or folder)\n"
    "  --iocs FILE           load an IOC feed (STIX, MISP, CSV, text);\n"
    "                        may be given more than once\n"
    "  --policy FILE         approved remote-access tools and relays\n"
    "  --cpu-limit PCT       use at most PCT percent of one CPU (1..100)\n"
    "  --max-runtime S       stop after S seconds; the report says the\n"
    "                        results are partial\n\n";

enum {
    OPT_FULL = 1,
    OPT_RULES,
    OPT_YARA,
    OPT_IOCS,
    OPT_POLICY,
    OPT_CPU,
    OPT_RUNTIME,
};

static const struct scan_stage *const stages[] = {
    &scan_stage_ioc, &scan_stage_rmm, &scan_stage_files, &scan_stage_hunt,
    &scan_stage_sweep,
};

static double
now_s(void)
{
    struct timespec ts;
    (void)clock_gettime(CLOCK_MONOTONIC, &ts); /* cannot fail for MONOTONIC */
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

double
scan_elapsed(const struct scan *s)
{
    return now_s() - s->t0;
}

static int
parse_num(struct scan *s, const char *opt, const char *arg, double lo,
          double hi, double *out)
{
    char *end = NULL;
    double v;

    errno = 0;
    v = strtod(arg, &end);
    if (errno != 0 || end == arg || *end != '\0' || !(v >= lo && v <= hi)) {
        cli_err(s->cli, "%s: '%s' is not a number from %g to %g", opt, arg,
                lo, hi);
        return -1;
    }
    *out = v;
    return 1;
}

static int
scan_opt(struct scan *s, int opt, const char *arg)
{
    double v = 0;
    int r;

    switch (opt) {
    case OPT_FULL:
        s->full = 1;
        return 1;
    case OPT_RULES:
        s->rules_dir = arg;
        return 1;
    case OPT_YARA:
        s->yara_path = arg;
        return 1;
    case OPT_IOCS:
        if (s->n_iocs >= VG_ARRAY_LEN(s->iocs)) {
            cli_err(s->cli, "--iocs: at most %zu feeds",
                    VG_ARRAY_LEN(s->iocs));
            return -1;
        }
        s->iocs[s->n_iocs++] = arg;
        return 1;
    case OPT_POLICY:
        s->policy_path = arg;
        return 1;
    case OPT_CPU:
        r = parse_num(s, "--cpu-limit", arg, 1, 100, &v);
        s->cpu_limit = (unsigned)v;
        return r;
    case OPT_RUNTIME:
        r = parse_num(s, "--max-runtime", arg, 0.001, 1e7, &v);
        s->max_runtime = v;
        return r;
    default:
        return 0;
    }
}

static int
parse_args(int argc, char **argv, struct scan *s, const char **target)
{
    static const struct option opts[] = {
        {"full", no_argument, NULL, OPT_FULL},
        {"rules", required_argument, NULL, OPT_RULES},
        {"yara", required_argument, NULL, OPT_YARA},
        {"iocs", required_argument, NULL, OPT_IOCS},
        {"policy", required_argument, NULL, OPT_POLICY},
        {"cpu-limit", required_argument, NULL, OPT_CPU},
        {"max-runtime", required_argument, NULL, OPT_RUNTIME},
        CLI_COMMON_LONGOPTS,
        {NULL, 0, NULL, 0}};
    int opt, help = 0;

    opterr = 0;
    optind = 1;
    while ((opt = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        int r = opt == 'h' ? (help = 1) : scan_opt(s, opt, optarg);
        if (r == 0) {
            r = cli_common_parse(s->cli, opt, optarg, &help);
        }
        if (r < 0) {
            return -1;
        }
        if (r == 0) {
            cli_err(s->cli, "unknown option '%s' (see 'vigil scan --help')",
                    argv[optind - 1]);
            return -1;
        }
    }
    if (help) {
        printf("%s%s", scan_help, cli_common_help);
        return 1;
    }
    if (argc - optind > 1) {
        cli_err(s->cli, "one TARGET at most (see 'vigil scan --help')");
        return -1;
    }
    *target = optind < argc ? argv[optind] : NULL;
    return 0;
}

int
scan_emit(const struct vg_finding *f, void *arg)
{
    struct scan *s = arg;
    struct vg_finding c;

    if (s->host == NULL) {
        return vg_correlate_add(f, s->cor);
    }
    c = *f;
    c.host = s->host;
    return vg_correlate_add(&c, s->cor);
}

void
scan_note(struct scan *s, enum vg_severity sev, const char *rule_id,
          const char *title, const char *reason, const char *path)
{
    struct vg_finding f = {
        .time_us = VG_TIME_NONE,
        .host = s->host,
        .module = "scan",
        .severity = sev,
        .title = title,
        .reason = reason,
        .rule = {.id = rule_id, .source = "vigil"},
        .evidence = {.path = path, .offset = VG_OFFSET_NONE},
    };
    if (!s->cli->quiet) {
        cli_err(s->cli, "%s%s%s", path ? path : "", path ? ": " : "",
                reason ? reason : title);
    }
    if (vg_correlate_add(&f, s->cor) != VG_OK) {
        cli_err(s->cli, "out of memory recording: %s", title);
    }
}

static double
cpu_s(void)
{
    struct timespec ts;
    if (clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts) != 0) {
        return 0;
    }
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int
scan_pause(struct scan *s)
{
    if (vg_ctx_cancelled(s->cli->ctx)) {
        return 1;
    }
    if (s->max_runtime > 0 && scan_elapsed(s) >= s->max_runtime) {
        if (!s->stopped) {
            s->stopped = 1;
            vg_ctx_cancel(s->cli->ctx); /* modules stop between units */
        }
        return 1;
    }
    if (s->cpu_limit > 0 && s->cpu_limit < 100) {
        /* Sleep until CPU time is at most cpu_limit% of wall time. */
        double want = cpu_s() * 100.0 / s->cpu_limit - scan_elapsed(s);
        if (want > 0.001) {
            struct timespec ts = {(time_t)want,
                                  (long)((want - (double)(time_t)want) * 1e9)};
            (void)nanosleep(&ts, NULL); /* EINTR: the cancel check follows */
        }
    }
    return 0;
}

/* Be a good guest on a production host: lower CPU and IO priority. */
static void
lower_priority(void)
{
    (void)setpriority(PRIO_PROCESS, 0, 10); /* best effort */
#ifdef SYS_ioprio_set
    /* IOPRIO_WHO_PROCESS = 1; best-effort class (2 << 13) at its lowest
     * level 7. Not the idle class: on a busy server idle IO can starve the
     * scan for minutes. */
    (void)syscall(SYS_ioprio_set, 1, 0, (2 << 13) | 7);
#endif
}

/* First line of <root>/etc/hostname (offline Linux root). */
static int
host_from_etc(struct scan *s)
{
    char p[VG_TARGET_PATH_MAX + 16];
    FILE *fp;
    int ok = 0;

    if (snprintf(p, sizeof(p), "%s/etc/hostname", s->t.root) >=
            (int)sizeof(p) ||
        (fp = fopen(p, "re")) == NULL) {
        return -1;
    }
    if (fgets(s->host_buf, sizeof(s->host_buf), fp) != NULL) {
        s->host_buf[strcspn(s->host_buf, "\r\n \t")] = '\0';
        ok = s->host_buf[0] != '\0';
    }
    fclose(fp);
    return ok ? 0 : -1;
}

static void
set_host(struct scan *s)
{
    const char *g = s->t.given, *b;
    size_t n = strlen(g);

    s->host = s->host_buf;
    if (s->t.kind == VG_TARGET_LIVE) {
        if (gethostname(s->host_buf, sizeof(s->host_buf) - 1) != 0) {
            s->host = NULL;
        }
        return;
    }
    if ((s->t.kind == VG_TARGET_WINDOWS && scan_host_from_hive(s) == 0) ||
        (s->t.kind == VG_TARGET_LINUX && host_from_etc(s) == 0)) {
        return;
    }
    /* No recorded name: the folder's name ("demo/evidence/" -> "evidence") */
    while (n > 1 && g[n - 1] == '/') {
        n--;
    }
    b = g + n;
    while (b > g && b[-1] != '/') {
        b--;
    }
    (void)snprintf(s->host_buf, sizeof(s->host_buf), "%.*s",
                   (int)(g + n - b), b);
}

/* Modules log per-file problems through the context; each one also goes
 * into the report, so a damaged log or unreadable hive is visible there.
 * Workers may log from several threads: one lock. */
static pthread_mutex_t log_lock = PTHREAD_MUTEX_INITIALIZER;

static void
scan_log(void *arg, enum vg_log_level level, const char *module,
         const char *msg)
{
    struct scan *s = arg;
    struct vg_finding f = {
        .time_us = VG_TIME_NONE,
        .host = s->host,
        .module = module ? module : "scan",
        .severity = VG_SEV_INFO,
        .title = "Evidence that could not be read completely",
        .reason = msg,
        .remediation = "Check the file; results for it may be incomplete.",
        .rule = {.id = "vigil.read-error", .source = "vigil"},
        .evidence = {.offset = VG_OFFSET_NONE},
    };

    (void)pthread_mutex_lock(&log_lock);
    if (!s->cli->quiet || level == VG_LOG_ERROR) {
        fprintf(stderr, "vigil: %s: %s\n", module ? module : "scan", msg);
    }
    if (level <= VG_LOG_WARN) {
        s->n_errors++;
        if (vg_correlate_add(&f, s->cor) != VG_OK) {
            fputs("vigil: scan: out of memory\n", stderr);
        }
    }
    (void)pthread_mutex_unlock(&log_lock);
}

/* --max-runtime also stops a module in the middle of its work: the alarm
 * cancels the context, which every long loop checks. */
static struct vg_ctx *volatile alarm_ctx;
static volatile sig_atomic_t alarm_fired;

static void
on_alarm(int sig)
{
    (void)sig;
    alarm_fired = 1;
    if (alarm_ctx != NULL) {
        vg_ctx_cancel(alarm_ctx);
    }
}

static void
arm_runtime(struct scan *s)
{
    struct sigaction sa;
    unsigned secs;

    if (s->max_runtime <= 0) {
        return;
    }
    memset(&sa, 0, sizeof(sa));
    sa.sa_handler = on_alarm;
    sigemptyset(&sa.sa_mask);
    alarm_ctx = s->cli->ctx;
    (void)sigaction(SIGALRM, &sa, NULL);
    secs = (unsigned)(s->max_runtime + 0.999);
    (void)alarm(secs ? secs : 1);
}

/* One note per missing module, naming every stage it would have run. */
static void
note_unavailable(struct scan *s)
{
    for (size_t i = 0; i < VG_ARRAY_LEN(stages); i++) {
        char why[512], title[128];
        size_t n = 0;
        int first = 1;
        if (!stages[i]->available || stages[i]->available()) {
            continue;
        }
        for (size_t j = 0; j < i && first; j++) {
            first = strcmp(stages[j]->module, stages[i]->module) != 0;
        }
        if (!first) {
            continue;
        }
        for (size_t j = i; j < VG_ARRAY_LEN(stages) && n < sizeof(why); j++) {
            if (strcmp(stages[j]->module, stages[i]->module) == 0) {
                int w = snprintf(why + n, sizeof(why) - n, "%s%s",
                                 n ? " and the " : "the ", stages[j]->what);
                n += w > 0 ? (size_t)w : 0;
            }
        }
        if (n < sizeof(why)) {
            (void)snprintf(why + n, sizeof(why) - n,
                           " did not run: the %s module is not available "
                           "in this build",
                           stages[i]->module);
        }
        (void)snprintf(title, sizeof(title),
                       "Module not available in this build: %s",
                       stages[i]->module);
        scan_note(s, VG_SEV_INFO, "vigil.module.unavailable", title, why,
                  NULL);
    }
}

static void
run_stages(struct scan *s)
{
    note_unavailable(s);
    for (size_t i = 0; i < VG_ARRAY_LEN(stages); i++) {
        if ((!stages[i]->available || stages[i]->available()) &&
            stages[i]->load) {
            stages[i]->load(s);
        }
    }
    for (size_t i = 0; i < VG_ARRAY_LEN(stages) && !scan_pause(s); i++) {
        if ((!stages[i]->available || stages[i]->available()) &&
            stages[i]->run) {
            stages[i]->run(s);
        }
    }
    for (size_t i = 0; i < VG_ARRAY_LEN(stages); i++) {
        if ((!stages[i]->available || stages[i]->available()) &&
            stages[i]->fini) {
            stages[i]->fini(s);
        }
    }
}

static int
to_writer(const struct vg_finding *f, void *arg)
{
    return vg_writer_add(arg, f);
}

static int
write_report(struct scan *s, const char *desc)
{
    struct vg_run_summary sum = {.items_name = "files, records and lines"};
    struct vg_writer *w = NULL;
    char title[VG_TARGET_PATH_MAX + 32], reason[1200];
    int rc;

    (void)snprintf(title, sizeof(title), "vigil scan %s",
                   s->t.kind == VG_TARGET_LIVE ? "(this system)" : s->t.given);
    (void)snprintf(reason, sizeof(reason), "%s%s",
                   s->n_items == 0 &&
                           strcmp(vg_correlate_verdict(s->cor), "CLEAN") == 0
                       ? "No findings, but nothing was examined."
                       : vg_correlate_reason(s->cor),
                   s->stopped ? " Results are partial: --max-runtime was "
                                "reached."
                              : "");
    if (cli_open_output(s->cli) != 0) {
        return CLI_EXIT_ERROR;
    }
    rc = cli_writer_new(s->cli, title, &w);
    if (rc == VG_OK) {
        rc = s->cli->format == VG_FORMAT_CSV
                 ? vg_correlate_emit_timeline(s->cor, to_writer, w)
                 : vg_correlate_emit(s->cor, to_writer, w);
    }
    if (rc == VG_OK) {
        sum.n_items = s->n_items;
        sum.n_errors = s->n_errors;
        sum.verdict_reason = reason;
        sum.target = desc;
        sum.elapsed_s = scan_elapsed(s);
        rc = vg_writer_end(w, &sum);
    }
    vg_writer_free(w);
    if (cli_close_output(s->cli) != 0 || rc != VG_OK) {
        if (rc != VG_OK) {
            cli_err(s->cli, "writing the report: %s", vg_strerror(rc));
        }
        return CLI_EXIT_ERROR;
    }
    return cli_exit_code(s->cli, &sum);
}

static int
detect(struct scan *s, const char *target, char *desc, size_t cap)
{
    struct vg_diag d;
    char msg[VG_DIAG_PATH_MAX + VG_DIAG_MSG_MAX + 32];

    vg_diag_clear(&d);
    if (vg_target_detect(target, &s->t, &d) != VG_OK) {
        cli_err(s->cli,
                "%s (give a folder, or nothing for this system)",
                vg_diag_format(&d, msg, sizeof(msg)));
        return -1;
    }
    (void)vg_target_describe(&s->t, desc, cap);
    if (!s->cli->quiet) {
        cli_err(s->cli, "target %s: %s", s->t.given, desc);
    }
    return 0;
}

int
cmd_scan(int argc, char **argv, struct cli *cli)
{
    static struct scan s; /* large (paths); one scan per process */
    const char *target = NULL;
    char desc[2 * VG_TARGET_PATH_MAX];
    int r;

    memset(&s, 0, sizeof(s));
    s.cli = cli;
    s.t0 = now_s();
    r = parse_args(argc, argv, &s, &target);
    if (r != 0) {
        return r > 0 ? CLI_EXIT_CLEAN : CLI_EXIT_ERROR;
    }
    if (detect(&s, target, desc, sizeof(desc)) != 0) {
        return CLI_EXIT_ERROR;
    }
    if (vg_correlate_new(&s.cor) != VG_OK) {
        cli_err(cli, "out of memory");
        return CLI_EXIT_ERROR;
    }
    lower_priority();
    set_host(&s);
    vg_ctx_set_log(cli->ctx, scan_log, &s, VG_LOG_WARN);
    arm_runtime(&s);
    run_stages(&s);
    (void)alarm(0);
    alarm_ctx = NULL;
    s.stopped |= alarm_fired;
    vg_correlate_set_min_severity(s.cor, cli->min_severity);
    r = vg_correlate_finish(s.cor) == VG_OK ? write_report(&s, desc)
                                            : CLI_EXIT_ERROR;
    vg_correlate_free(s.cor);
    return r;
}
