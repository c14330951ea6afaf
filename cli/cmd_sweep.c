/* SPDX-License-Identifier: Apache-2.0 */
/*
 * cmd_sweep.c - `vigil sweep [--iocs FILE|STORE]... [--live] [PATH...]`:
 * search text logs (files, folders, gzip) and, with --live, this machine's
 * sockets, hosts file and resolver configuration for the indicators of
 * the given feeds or saved stores (default: the store `vigil ioc import`
 * fills). Turns each match into a finding. It does not fetch feeds and
 * does not refang logs.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "cli.h"
#include "sweep_par.h"
#include "vigil/pool.h"
#include "vigil/ioc.h"
#include "vigil/sweep.h"
#include "vigil/time.h"

#include "core/banned.h"

#define MAX_IOCS_ARGS 64

static const char sweep_help[] =
    "usage: vigil sweep [options] [--live] [PATH...]\n\n"
    "Search text logs (files, folders, gzip, rotated) for IOCs: IPv4/IPv6\n"
    "addresses and networks, domains and their subdomains, URLs, hashes.\n\n"
    "  --iocs FILE|STORE   indicators: a feed in any format `vigil ioc\n"
    "                      import` reads, or a saved store (repeatable;\n"
    "                      default: the store of `vigil ioc`)\n"
    "  --live              also this machine: TCP/UDP sockets with their\n"
    "                      process, /etc/hosts, /etc/resolv.conf (Linux)\n"
    "  --year YYYY         year for syslog times, which have none (default:\n"
    "                      the year of each file's modification time)\n"
    "  Files (and ranges of large plain files) are swept on --threads\n"
    "  workers (default: one per CPU); the output is in walk order\n"
    "  whatever the number.\n\n";

enum { O_IOCS = 1, O_LIVE, O_YEAR };

struct sweep_cli {
    struct cli          *cli;
    const char          *iocs[MAX_IOCS_ARGS];
    int                  n_iocs;
    int                  live;
    int                  year;
    struct vg_ioc_store *st;
    struct vg_writer    *w;
    int                  werr;
};

static double
now_s(void)
{
    struct timespec ts;
    (void)clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int
own_opt(struct sweep_cli *c, int opt, const char *arg)
{
    if (opt == O_LIVE) {
        c->live = 1;
    } else if (opt == O_IOCS) {
        if (c->n_iocs == MAX_IOCS_ARGS) {
            cli_err(c->cli, "too many --iocs (at most %d)", MAX_IOCS_ARGS);
            return -1;
        }
        c->iocs[c->n_iocs++] = arg;
    } else if (opt == O_YEAR) {
        char *end;
        long y = strtol(arg, &end, 10);
        if (*end != '\0' || y < 1970 || y > 9999) {
            cli_err(c->cli, "--year: '%s' is not a year (1970..9999)", arg);
            return -1;
        }
        c->year = (int)y;
    } else {
        return 0;
    }
    return 1;
}

static int
parse_args(int argc, char **argv, struct sweep_cli *c)
{
    static const struct option opts[] = {
        { "iocs", required_argument, NULL, O_IOCS },
        { "live", no_argument, NULL, O_LIVE },
        { "year", required_argument, NULL, O_YEAR },
        CLI_COMMON_LONGOPTS, { NULL, 0, NULL, 0 } };
    int opt, help = 0;
    opterr = 0;
    optind = 1;
    while ((opt = getopt_long(argc, argv, "+h", opts, NULL)) != -1) {
        int r = opt == 'h' ? (help = 1) : own_opt(c, opt, optarg);
        if (r == 0) {
            r = cli_common_parse(c->cli, opt, optarg, &help);
        }
        if (r < 0) {
            return -1;
        }
        if (r == 0) {
            cli_err(c->cli, "unknown option or missing value '%s' (see "
                            "'vigil sweep --help')", argv[optind - 1]);
            return -1;
        }
    }
    if (help) {
        printf("%s%s", sweep_help, cli_common_help);
        return 1;
    }
    if (optind >= argc && !c->live) {
        cli_err(c->cli, "nothing to sweep: give PATH... and/or --live (see "
                        "'vigil sweep --help')");
        return -1;
    }
    return 0;
}

static void
print_diag(struct cli *cli, const char *pre, const struct vg_diag *d)
{
    char msg[VG_DIAG_PATH_MAX + VG_DIAG_MSG_MAX + 64];
    cli_err(cli, "%s%s", pre, vg_diag_format(d, msg, sizeof(msg)));
}

static void
on_issue(void *arg, enum vg_ioc_issue_kind k, const struct vg_diag *d)
{
    struct sweep_cli *c = arg;
    if (k == VG_IOC_ISSUE_ERROR && !c->cli->quiet) {
        print_diag(c->cli, "feed: ", d);
    }
}

static int
is_store_file(const char *path)
{
    char magic[8];
    FILE *f = fopen(path, "rb");
    size_t k = 0;
    if (f != NULL) {
        k = fread(magic, 1, sizeof(magic), f);
        fclose(f);
    }
    return k == 8 && memcmp(magic, "VIGILIOC", 8) == 0;
}

/* Copy every indicator (with every source) of a loaded store into dst. */
static int
copy_store(struct vg_ioc_store *dst, const struct vg_ioc_store *src)
{
    struct vg_ioc_info in;
    struct vg_ioc_src s;
    for (uint32_t id = 0; id < vg_ioc_count(src); id++) {
        if (vg_ioc_get(src, id, &in) != VG_OK) {
            continue;
        }
        for (uint32_t k = 0; k < in.n_sources; k++) {
            if (vg_ioc_get_src(src, id, k, &s) != VG_OK) {
                continue;
            }
            int rc = vg_ioc_add(dst, in.type, in.value, strlen(in.value),
                                in.flags, in.aux, &s, NULL);
            if (rc == VG_ENOMEM || rc == VG_ELIMIT) {
                return rc;
            }
        }
    }
    return VG_OK;
}

static int
load_one(struct sweep_cli *c, const char *path)
{
    struct vg_diag d;
    vg_diag_clear(&d);
    if (is_store_file(path)) {
        struct vg_ioc_store *s = NULL;
        int rc = vg_ioc_store_load(path, &s, &d);
        if (rc == VG_OK) {
            rc = copy_store(c->st, s);
            vg_ioc_store_free(s);
            if (rc != VG_OK) {
                cli_err(c->cli, "%s: %s", path, vg_strerror(rc));
                return -1;
            }
            return 0;
        }
        print_diag(c->cli, "", &d);
        return -1;
    }
    struct vg_ioc_import_opts o;
    struct vg_ioc_import_stats s;
    vg_ioc_import_opts_init(&o);
    o.on_issue = on_issue;
    o.issue_arg = c;
    memset(&s, 0, sizeof(s));
    if (vg_ioc_import_file(c->st, path, &o, &s, &d) != VG_OK) {
        print_diag(c->cli, "", &d);
        return -1;
    }
    return 0;
}

static int
default_store(char *buf, size_t cap)
{
    const char *x = getenv("XDG_DATA_HOME");
    const char *home = getenv("HOME");
    int n = -1;
    if (x != NULL && x[0] == '/') {
        n = snprintf(buf, cap, "%s/vigil/iocs.vgs", x);
    } else if (home != NULL && home[0] != '\0') {
        n = snprintf(buf, cap, "%s/.local/share/vigil/iocs.vgs", home);
    }
    return n > 0 && (size_t)n < cap ? 0 : -1;
}

static int
load_iocs(struct sweep_cli *c)
{
    char def[4096];
    struct stat sb;
    if (vg_ioc_store_new(&c->st) != VG_OK) {
        cli_err(c->cli, "out of memory");
        return -1;
    }
    if (c->n_iocs == 0) {
        if (default_store(def, sizeof(def)) != 0 || stat(def, &sb) != 0) {
            cli_err(c->cli, "no indicators: give --iocs FILE or import feeds "
                            "with `vigil ioc import`");
            return -1;
        }
        c->iocs[c->n_iocs++] = def;
    }
    for (int i = 0; i < c->n_iocs; i++) {
        if (load_one(c, c->iocs[i]) != 0) {
            return -1;
        }
    }
    if (c->iocs[0] == def) {
        c->n_iocs = 0; /* def is about to go out of scope */
    }
    if (vg_ioc_store_seal(c->st) < 0) {
        cli_err(c->cli, "cannot build the IOC matchers");
        return -1;
    }
    if (vg_ioc_count(c->st) == 0) {
        cli_err(c->cli, "no usable indicators in the given feeds");
        return -1;
    }
    return 0;
}

static enum vg_severity
severity_of(const struct vg_ioc_info *in)
{
    if (in->score >= 75) {
        return VG_SEV_HIGH;
    }
    if (in->score >= 0 && in->score < 40) {
        return VG_SEV_LOW;
    }
    return VG_SEV_MEDIUM;
}

/* The line as shown: "..." marks bytes left out. */
static const char *
shown_line(const struct vg_sweep_match *m, char *out, size_t cap)
{
    int k = snprintf(out, cap, "%s%.*s%s", m->cut_head ? "..." : "",
                     (int)m->line_len, m->line_text,
                     m->cut_tail ? "..." : "");
    (void)k; /* truncation only shortens an already cut line */
    return out;
}

struct fctx {
    char title[600], reason[900], rule_id[600], ln[32], pid[32], ts[VG_ISO_TIME_LEN];
    char line[VG_SWEEP_LINE_SHOW + 16], matched[300];
    struct vg_kv vals[4], extra[10];
};

static void
fill_extra(struct fctx *x, const struct vg_sweep_match *m, size_t *ne)
{
    size_t n = 0;
    if (m->line > 0) {
        (void)snprintf(x->ln, sizeof(x->ln), "%llu",
                       (unsigned long long)m->line);
        x->extra[n++] = (struct vg_kv){ "line_number", x->ln };
    }
    if (m->tfmt != VG_SWEEP_T_NONE) {
        x->extra[n++] = (struct vg_kv){ "time_format",
                                        vg_sweep_tfmt_name(m->tfmt) };
    }
    if (m->tfmt == VG_SWEEP_T_SYSLOG) {
        x->extra[n++] = (struct vg_kv){
            "time_note", "syslog times have no year; the year is assumed "
                         "(file modification time or --year)" };
    }
    if (m->gzip) {
        x->extra[n++] = (struct vg_kv){ "compression", "gzip (offset is in "
                                                       "the inflated data)" };
    }
    if (m->proto != NULL) {
        x->extra[n++] = (struct vg_kv){ "proto", m->proto };
        x->extra[n++] = (struct vg_kv){ "local", m->local };
        x->extra[n++] = (struct vg_kv){ "remote", m->remote };
        x->extra[n++] = (struct vg_kv){ "state", m->state };
        if (m->pid > 0) {
            (void)snprintf(x->pid, sizeof(x->pid), "%ld", m->pid);
            x->extra[n++] = (struct vg_kv){ "pid", x->pid };
            x->extra[n++] = (struct vg_kv){ "process", m->comm };
        }
    }
    *ne = n;
}

static int
on_match(void *arg, const struct vg_sweep_match *m)
{
    struct sweep_cli *c = arg;
    struct vg_ioc_info in;
    struct vg_ioc_src src;
    struct fctx x;
    size_t ne = 0;
    if (vg_ioc_get(c->st, m->ioc, &in) != VG_OK ||
        vg_ioc_get_src(c->st, m->ioc, 0, &src) != VG_OK) {
        return 0;
    }
    const char *tn = vg_ioc_type_name(in.type);
    const char *feed = src.feed != NULL ? src.feed : "a feed";
    if (m->proto != NULL) {
        (void)snprintf(x.title, sizeof(x.title),
                       "IOC %s %s in a live %s connection", tn, in.value,
                       m->proto);
    } else {
        (void)snprintf(x.title, sizeof(x.title), "IOC %s %s at line %llu", tn,
                       in.value, (unsigned long long)m->line);
    }
    (void)snprintf(x.reason, sizeof(x.reason), "%s lists %s%s%s", feed,
                   in.value, src.description != NULL ? ": " : "",
                   src.description != NULL ? src.description : "");
    (void)snprintf(x.rule_id, sizeof(x.rule_id), "ioc:%s:%s", tn, in.value);
    (void)snprintf(x.matched, sizeof(x.matched), "%.*s",
                   (int)(m->text_len < 256 ? m->text_len : 256), m->text);
    x.vals[0] = (struct vg_kv){ "indicator", in.value };
    x.vals[1] = (struct vg_kv){ "type", tn };
    x.vals[2] = (struct vg_kv){ "matched", x.matched };
    x.vals[3] = (struct vg_kv){ "line", shown_line(m, x.line, sizeof(x.line)) };
    fill_extra(&x, m, &ne);
    struct vg_finding f = {
        .time_us = m->time_us, .module = "sweep", .severity = severity_of(&in),
        .title = x.title, .reason = x.reason,
        .remediation = "Confirm the activity in the source; if genuine, scope "
                       "the hosts involved and block the indicator.",
        .rule = { .id = x.rule_id, .name = in.value, .source = feed,
                  .reference = src.object_id },
        .evidence = { .path = m->path, .offset = m->offset,
                      .values = x.vals, .n_values = 4 },
        .extra = x.extra, .n_extra = ne,
    };
    if (vg_writer_add(c->w, &f) != VG_OK) {
        c->werr = 1;
        return 1;
    }
    return 0;
}

static void
on_error(void *arg, const struct vg_diag *d)
{
    struct sweep_cli *c = arg;
    print_diag(c->cli, "", d);
}

static int
run(struct sweep_cli *c, int argc, char **argv, struct vg_run_summary *sum)
{
    struct vg_sweep *sw = NULL;
    struct vg_sweep_stats stats;
    memset(&stats, 0, sizeof(stats));
    if (vg_sweep_new(c->st, &sw) != VG_OK) {
        cli_err(c->cli, "out of memory");
        return -1;
    }
    struct vg_sweep_opts o = { .on_match = on_match, .on_error = on_error,
                               .arg = c, .default_year = c->year };
    unsigned threads = c->cli->threads != 0 ? c->cli->threads : vg_cpu_count();
    int rc = VG_OK;
    if (threads > 1 && optind < argc) {
        rc = sweep_parallel(sw, argv + optind, argc - optind, threads, &o,
                            &stats);
    }
    for (int i = optind; threads <= 1 && i < argc && rc == VG_OK; i++) {
        rc = vg_sweep_path(sw, argv[i], &o, &stats);
    }
    if (c->live && rc == VG_OK) {
        rc = vg_sweep_live(sw, "", &o, &stats);
    }
    vg_sweep_free(sw);
    sum->n_items = stats.files;
    sum->n_errors = stats.errors;
    if (rc != VG_OK && !c->werr) {
        cli_err(c->cli, "sweep stopped: %s", vg_strerror(rc));
    }
    return rc == VG_OK && !c->werr ? 0 : -1;
}

int
cmd_sweep(int argc, char **argv, struct cli *cli)
{
    struct sweep_cli c = { .cli = cli };
    struct vg_run_summary sum = { .items_name = "files" };
    double t0 = now_s();
    int r = parse_args(argc, argv, &c);
    if (r != 0) {
        return r > 0 ? CLI_EXIT_CLEAN : CLI_EXIT_ERROR;
    }
    int ex = CLI_EXIT_ERROR;
    if (load_iocs(&c) != 0 || cli_open_output(cli) != 0) {
        goto out;
    }
    char title[256];
    (void)snprintf(title, sizeof(title), "vigil sweep (%u indicators)",
                   vg_ioc_count(c.st));
    if (cli_writer_new(cli, title, &c.w) != VG_OK) {
        cli_close_output(cli);
        goto out;
    }
    int ok = run(&c, argc, argv, &sum) == 0;
    sum.elapsed_s = now_s() - t0;
    ok = vg_writer_end(c.w, &sum) == VG_OK && ok;
    ok = cli_close_output(cli) == 0 && ok;
    ex = ok ? cli_exit_code(cli, &sum) : CLI_EXIT_ERROR;
out:
    vg_writer_free(c.w);
    vg_ioc_store_free(c.st);
    return ex;
}
