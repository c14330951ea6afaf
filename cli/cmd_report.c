/* SPDX-License-Identifier: Apache-2.0 */
/*
 * cmd_report.c - `vigil report FILE.jsonl...`: reads Vigil JSON Lines from
 * one or many hosts ("-" = standard input), correlates them again (links
 * never cross hosts; incidents from the inputs are recomputed, not
 * doubled), and writes one report: text, csv, jsonl or a self-contained
 * html page. A bad line is reported as "FILE:LINE: why" and skipped; an
 * unreadable file is reported and the others are still merged. It does not
 * send results anywhere.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "vigil/correlate.h"

#include "core/banned.h"

static const char report_help[] =
    "usage: vigil report [options] RESULTS.jsonl...\n\n"
    "Merge JSON Lines results (from one host or many; '-' reads standard\n"
    "input) into one report: --format html for a self-contained page,\n"
    "csv for a timeline, text (default) or jsonl. Findings are linked into\n"
    "incidents per host and duplicates are folded.\n\n";

struct report_run {
    struct cli *cli;
    struct vg_correlate *cor;
    struct vg_read_stats st;
    uint64_t n_errors;
};

static void
on_bad(void *arg, const struct vg_diag *d)
{
    struct report_run *r = arg;
    char msg[VG_DIAG_PATH_MAX + VG_DIAG_MSG_MAX + 32];
    cli_err(r->cli, "%s", vg_diag_format(d, msg, sizeof(msg)));
}

static int
parse_args(int argc, char **argv, struct cli *cli)
{
    static const struct option opts[] = {CLI_COMMON_LONGOPTS,
                                         {NULL, 0, NULL, 0}};
    int opt, help = 0;

    opterr = 0;
    optind = 1;
    while ((opt = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        int r = opt == 'h' ? (help = 1) : cli_common_parse(cli, opt, optarg,
                                                           &help);
        if (r < 0) {
            return -1;
        }
        if (r == 0) {
            cli_err(cli, "unknown option '%s' (see 'vigil report --help')",
                    argv[optind - 1]);
            return -1;
        }
    }
    if (help) {
        printf("%s%s", report_help, cli_common_help);
        return 1;
    }
    if (optind >= argc) {
        cli_err(cli, "give one or more RESULTS.jsonl files (see 'vigil "
                     "report --help')");
        return -1;
    }
    return 0;
}

static void
read_one(struct report_run *r, const char *path)
{
    int is_stdin = strcmp(path, "-") == 0;
    struct stat st;
    int fd = is_stdin ? STDIN_FILENO : open(path, O_RDONLY | O_CLOEXEC);
    int rc;

    if (fd < 0) {
        cli_err(r->cli, "%s: %s", path, strerror(errno));
        r->n_errors++;
        return;
    }
    if (fstat(fd, &st) == 0 && S_ISDIR(st.st_mode)) {
        cli_err(r->cli, "%s: a folder, not a results file (give the .jsonl "
                        "files in it)",
                path);
        r->n_errors++;
        (void)close(fd);
        return;
    }
    rc = vg_jsonl_read_fd(fd, is_stdin ? "(stdin)" : path, vg_correlate_add,
                          r->cor, on_bad, r, &r->st);
    if (rc != VG_OK) {
        cli_err(r->cli, "%s: %s", path, vg_strerror(rc));
        r->n_errors++;
    }
    if (!is_stdin) {
        (void)close(fd);
    }
}

static int
to_writer(const struct vg_finding *f, void *arg)
{
    return vg_writer_add(arg, f);
}

static double
now_s(void)
{
    struct timespec ts;
    (void)clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int
write_out(struct report_run *r, int n_files, double t0)
{
    struct vg_run_summary sum = {.items_name = "result lines"};
    struct vg_writer *w = NULL;
    char title[128], target[128];
    int rc;

    (void)snprintf(title, sizeof(title), "vigil report (%d file%s)", n_files,
                   n_files == 1 ? "" : "s");
    (void)snprintf(target, sizeof(target), "%d result file%s merged",
                   n_files, n_files == 1 ? "" : "s");
    if (cli_open_output(r->cli) != 0) {
        return CLI_EXIT_ERROR;
    }
    rc = cli_writer_new(r->cli, title, &w);
    if (rc == VG_OK) {
        rc = r->cli->format == VG_FORMAT_CSV
                 ? vg_correlate_emit_timeline(r->cor, to_writer, w)
                 : vg_correlate_emit(r->cor, to_writer, w);
    }
    if (rc == VG_OK) {
        sum.n_items = r->st.n_lines;
        sum.n_errors = r->st.n_bad + r->n_errors;
        sum.verdict_reason = vg_correlate_reason(r->cor);
        sum.target = target;
        sum.n_hosts = vg_correlate_hosts(r->cor);
        sum.elapsed_s = now_s() - t0;
        rc = vg_writer_end(w, &sum);
    }
    vg_writer_free(w);
    if (cli_close_output(r->cli) != 0 || rc != VG_OK) {
        if (rc != VG_OK) {
            cli_err(r->cli, "writing the report: %s", vg_strerror(rc));
        }
        return CLI_EXIT_ERROR;
    }
    return cli_exit_code(r->cli, &sum);
}

int
cmd_report(int argc, char **argv, struct cli *cli)
{
    struct report_run r = {.cli = cli};
    double t0 = now_s();
    int rc = parse_args(argc, argv, cli);

    if (rc != 0) {
        return rc > 0 ? CLI_EXIT_CLEAN : CLI_EXIT_ERROR;
    }
    if (vg_correlate_new(&r.cor) != VG_OK) {
        cli_err(cli, "out of memory");
        return CLI_EXIT_ERROR;
    }
    for (int i = optind; i < argc; i++) {
        read_one(&r, argv[i]);
    }
    vg_correlate_set_min_severity(r.cor, cli->min_severity);
    if (r.n_errors == (uint64_t)(argc - optind)) {
        rc = CLI_EXIT_ERROR; /* nothing could be read at all: no report */
    } else if (vg_correlate_finish(r.cor) != VG_OK) {
        cli_err(cli, "out of memory");
        rc = CLI_EXIT_ERROR;
    } else {
        rc = write_out(&r, argc - optind, t0);
    }
    vg_correlate_free(r.cor);
    return rc;
}
