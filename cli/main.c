/* SPDX-License-Identifier: Apache-2.0 */
/*
 * main.c - `vigil <command> [options]`: finds the command in a table, sets
 * up the library context (log to stderr, cancel on SIGINT/SIGTERM), and
 * returns the command's exit code (0 clean, 1 findings, 2 error). It does
 * not parse command options: each cmd_<name>.c does.
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"

#include "core/banned.h"

struct command {
    const char *name;
    int (*fn)(int argc, char **argv, struct cli *cli);
    const char *summary;
    const char *status; /* "available" or "planned" (README: command status) */
};

static const struct command commands[] = {
    {"scan", cmd_scan, "scan this system, a mounted image or a folder",
     "available"},
    {"rmm", cmd_rmm, "inventory remote-access software and its traces",
     "available"},
    {"files", cmd_files, "match files against YARA rules and hash IOCs",
     "available"},
    {"hunt", cmd_hunt, "run Sigma rules over Windows event logs", "available"},
    {"evtx", cmd_evtx, "parse and dump EVTX event log files", "available"},
    {"sweep", cmd_sweep, "search text logs and live connections for IOCs",
     "available"},
    {"ioc", cmd_ioc, "load, check and match indicator feeds", "available"},
    {"report", cmd_report, "merge results into one HTML, CSV or text report",
     "available"},
};

static struct vg_ctx *volatile sig_ctx;
static volatile sig_atomic_t sig_caught;

/* Async-signal-safe: a flag and one atomic store (vg_ctx_cancel). */
static void
on_signal(int sig)
{
    sig_caught = sig;
    if (sig_ctx != NULL) {
        vg_ctx_cancel(sig_ctx);
    }
}

static void
log_stderr(void *arg, enum vg_log_level level, const char *module,
           const char *msg)
{
    (void)arg;
    (void)level;
    fprintf(stderr, "vigil: %s: %s\n", module ? module : "vigil", msg);
}

static void
usage(FILE *fp)
{
    fputs("usage: vigil <command> [options] [arguments]\n"
          "       vigil --help | --version | help <command>\n\ncommands:\n",
          fp);
    for (size_t i = 0; i < VG_ARRAY_LEN(commands); i++) {
        fprintf(fp, "  %-8s %s%s\n", commands[i].name, commands[i].summary,
                strcmp(commands[i].status, "planned") == 0 ? " (planned)" : "");
    }
    fputs("\nRun 'vigil <command> --help' for the command's options.\n", fp);
}

static const struct command *
find_command(const char *name)
{
    for (size_t i = 0; i < VG_ARRAY_LEN(commands); i++) {
        if (strcmp(commands[i].name, name) == 0) {
            return &commands[i];
        }
    }
    return NULL;
}

static void
install_signals(struct vg_ctx *ctx)
{
    struct sigaction sa;

    memset(&sa, 0, sizeof(sa));
    sa.sa_handler = on_signal;
    sigemptyset(&sa.sa_mask);
    sig_ctx = ctx;
    (void)sigaction(SIGINT, &sa, NULL); /* best effort: runs without it */
    (void)sigaction(SIGTERM, &sa, NULL);
}

static int
run(const struct command *c, int argc, char **argv)
{
    struct cli cli = {
        .command = c->name,
        .format = VG_FORMAT_TEXT,
        .min_severity = VG_SEV_INFO,
        .fail_on = VG_SEV_LOW,
    };
    const char *nc = getenv("NO_COLOR");
    int rc;

    cli.color = isatty(STDOUT_FILENO) && (nc == NULL || nc[0] == '\0');
    if (vg_ctx_new(&cli.ctx) != VG_OK) {
        fprintf(stderr, "vigil: out of memory\n");
        return CLI_EXIT_ERROR;
    }
    vg_ctx_set_log(cli.ctx, log_stderr, NULL, VG_LOG_WARN);
    install_signals(cli.ctx);
    rc = c->fn(argc, argv, &cli);
    sig_ctx = NULL;
    vg_ctx_free(cli.ctx);
    if (sig_caught && rc != CLI_EXIT_ERROR) {
        fprintf(stderr, "vigil: %s: interrupted\n", c->name);
        rc = CLI_EXIT_ERROR;
    }
    return rc;
}

static int
help_command(int argc, char **argv)
{
    const struct command *c;
    char help[] = "--help";
    char *args[3];

    if (argc < 3) {
        usage(stdout);
        return CLI_EXIT_CLEAN;
    }
    c = find_command(argv[2]);
    if (c == NULL) {
        fprintf(stderr, "vigil: unknown command '%s'\n", argv[2]);
        usage(stderr);
        return CLI_EXIT_ERROR;
    }
    args[0] = argv[2];
    args[1] = help;
    args[2] = NULL;
    return run(c, 2, args);
}

int
main(int argc, char **argv)
{
    const struct command *c;

    if (argc < 2) {
        usage(stderr);
        return CLI_EXIT_ERROR;
    }
    if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
        usage(stdout);
        return CLI_EXIT_CLEAN;
    }
    if (strcmp(argv[1], "--version") == 0) {
        printf("vigil %s\n", vg_version());
        return CLI_EXIT_CLEAN;
    }
    if (strcmp(argv[1], "help") == 0) {
        return help_command(argc, argv);
    }
    c = find_command(argv[1]);
    if (c == NULL) {
        fprintf(stderr,
                argv[1][0] == '-' ? "vigil: unknown option '%s'\n"
                                  : "vigil: unknown command '%s'\n",
                argv[1]);
        usage(stderr);
        return CLI_EXIT_ERROR;
    }
    return run(c, argc - 1, argv + 1);
}
