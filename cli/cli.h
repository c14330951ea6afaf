/* SPDX-License-Identifier: Apache-2.0 */
/*
 * cli.h - what every `vigil <command>` shares: the command table entry, the
 * common options (--format, --output, --quiet, --threads, --min-severity,
 * --fail-on, --no-color), the writer set-up and the exit-code rule.
 *
 * Each command lives in cli/cmd_<name>.c and exports one function
 *     int cmd_<name>(int argc, char **argv, struct cli *cli);
 * argv[0] is the command name; the function parses its own options with
 * getopt_long, using cli_common_opts[] and cli_common_parse() for the shared
 * ones, and returns the process exit code:
 *     0  ran; nothing at or above --fail-on
 *     1  ran; findings at or above --fail-on
 *     2  usage error or fatal error
 * Messages for people go to stderr as "vigil: <command>: <message>";
 * findings (and only findings) go to stdout or --output.
 */
#ifndef VIGIL_CLI_H
#define VIGIL_CLI_H

#include <getopt.h>
#include <stdio.h>

#include "vigil/vigil.h"

enum cli_exit {
    CLI_EXIT_CLEAN = 0,
    CLI_EXIT_FINDINGS = 1,
    CLI_EXIT_ERROR = 2,
};

struct cli {
    const char      *command;      /* "scan", "hunt", ... */
    struct vg_ctx   *ctx;          /* logs to stderr; cancelled by SIGINT */
    enum vg_format   format;       /* --format (default text) */
    int              format_set;   /* --format was given */
    const char      *output;       /* --output FILE, NULL = stdout */
    FILE            *out;          /* opened by cli_open_output */
    int              quiet;        /* --quiet: no progress, no summary */
    unsigned         threads;      /* --threads N (0 = online CPUs) */
    enum vg_severity min_severity; /* --min-severity (default info) */
    enum vg_severity fail_on;      /* --fail-on (default low) */
    int              color;        /* colour on stdout: TTY, no NO_COLOR,
                                      no --no-color */
};

/* Shared long options, ids >= CLI_OPT_BASE; append them to a command's own
 * table with CLI_COMMON_LONGOPTS and handle them with cli_common_parse. */
enum {
    CLI_OPT_BASE = 0x1000,
    CLI_OPT_FORMAT,
    CLI_OPT_OUTPUT,
    CLI_OPT_QUIET,
    CLI_OPT_THREADS,
    CLI_OPT_MIN_SEVERITY,
    CLI_OPT_FAIL_ON,
    CLI_OPT_NO_COLOR,
    CLI_OPT_HELP,
};
#define CLI_COMMON_LONGOPTS                                          \
    { "format", required_argument, NULL, CLI_OPT_FORMAT },           \
    { "output", required_argument, NULL, CLI_OPT_OUTPUT },           \
    { "quiet", no_argument, NULL, CLI_OPT_QUIET },                   \
    { "threads", required_argument, NULL, CLI_OPT_THREADS },         \
    { "min-severity", required_argument, NULL, CLI_OPT_MIN_SEVERITY }, \
    { "fail-on", required_argument, NULL, CLI_OPT_FAIL_ON },         \
    { "no-color", no_argument, NULL, CLI_OPT_NO_COLOR },             \
    { "help", no_argument, NULL, CLI_OPT_HELP }
/* The text `vigil <cmd> --help` prints for these, after the command's own. */
extern const char cli_common_help[];

/* Handle a shared option returned by getopt_long (opt) with its argument.
 * Returns 1 when opt is a shared option and was valid (--help sets
 * *wants_help = 1; the command prints its usage and exits 0), 0 when opt is
 * not a shared option (the command handles it), -1 after an error message on
 * stderr (the command returns CLI_EXIT_ERROR). */
int cli_common_parse(struct cli *cli, int opt, const char *arg,
                     int *wants_help);

/* Print "vigil: <command>: <fmt>" to stderr. */
void cli_err(const struct cli *cli, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* Open --output (or use stdout). 0 or -1 after an error message. */
int cli_open_output(struct cli *cli);
/* Flush and close --output. 0 or -1 (write error reported). */
int cli_close_output(struct cli *cli);
/* A vg_sink_fn writing to cli->out. */
int cli_sink(void *arg, const void *p, size_t n);
/* Writer for this command's findings with the common options applied. */
int cli_writer_new(struct cli *cli, const char *title, struct vg_writer **out);
/* Exit code from the summary: 1 if any finding >= fail_on, else 0. */
int cli_exit_code(const struct cli *cli, const struct vg_run_summary *sum);

/* Commands (cli/cmd_<name>.c). A command whose issue is not done yet prints
 * that it is not available and returns 2 (cli_not_available). */
int cmd_scan(int argc, char **argv, struct cli *cli);
int cmd_rmm(int argc, char **argv, struct cli *cli);
int cmd_files(int argc, char **argv, struct cli *cli);
int cmd_hunt(int argc, char **argv, struct cli *cli);
int cmd_evtx(int argc, char **argv, struct cli *cli);
int cmd_sweep(int argc, char **argv, struct cli *cli);
int cmd_ioc(int argc, char **argv, struct cli *cli);
int cmd_report(int argc, char **argv, struct cli *cli);
int cli_not_available(struct cli *cli, const char *what);

#endif
