/* SPDX-License-Identifier: Apache-2.0 */
/*
 * common.c - what every command shares: the common options, the output
 * file, the writer with those options applied, the exit-code rule and the
 * "not available yet" answer of planned commands. It prints only to stderr
 * (messages) and to cli->out (findings); it never decides to exit.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

#include "core/banned.h"

const char cli_common_help[] =
    "common options:\n"
    "  --format FMT          text (default; also 'table'), jsonl (also\n"
    "                        'json'), csv\n"
    "  --output FILE         write findings to FILE instead of stdout\n"
    "  --quiet               no progress and no summary line\n"
    "  --threads N           worker threads, 1..64 (0 = one per CPU)\n"
    "  --min-severity SEV    leave out findings below SEV\n"
    "                        (info, low, medium, high, critical)\n"
    "  --fail-on SEV         exit 1 when a finding is at or above SEV\n"
    "                        (default low)\n"
    "  --no-color            no colour (also when NO_COLOR is set)\n"
    "  --help                show this help\n";

void
cli_err(const struct cli *cli, const char *fmt, ...)
{
    va_list ap;

    fprintf(stderr,
            "vigil: %s: ", cli && cli->command ? cli->command : "vigil");
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
}

static int
parse_threads(struct cli *cli, const char *arg)
{
    char *end = NULL;
    unsigned long v;

    errno = 0;
    v = strtoul(arg, &end, 10);
    if (arg[0] < '0' || arg[0] > '9' || errno != 0 || *end != '\0' || v > 64) {
        cli_err(cli, "--threads: '%s' is not a number from 0 to 64", arg);
        return -1;
    }
    cli->threads = (unsigned)v;
    return 1;
}

static int
parse_severity(struct cli *cli, const char *opt, const char *arg,
               enum vg_severity *out)
{
    if (vg_severity_parse(arg, out) != VG_OK) {
        cli_err(cli,
                "%s: '%s' is not a severity (info, low, medium, high, "
                "critical)",
                opt, arg);
        return -1;
    }
    return 1;
}

static int
parse_format(struct cli *cli, const char *arg)
{
    if (vg_format_parse(arg, &cli->format) != VG_OK) {
        cli_err(cli,
                "--format: '%s' is not a format (text, table, jsonl, "
                "json, csv)",
                arg);
        return -1;
    }
    cli->format_set = 1;
    return 1;
}

int
cli_common_parse(struct cli *cli, int opt, const char *arg, int *wants_help)
{
    switch (opt) {
    case CLI_OPT_FORMAT:
        return parse_format(cli, arg);
    case CLI_OPT_OUTPUT:
        cli->output = arg;
        return 1;
    case CLI_OPT_QUIET:
        cli->quiet = 1;
        return 1;
    case CLI_OPT_THREADS:
        return parse_threads(cli, arg);
    case CLI_OPT_MIN_SEVERITY:
        return parse_severity(cli, "--min-severity", arg, &cli->min_severity);
    case CLI_OPT_FAIL_ON:
        return parse_severity(cli, "--fail-on", arg, &cli->fail_on);
    case CLI_OPT_NO_COLOR:
        cli->color = 0;
        return 1;
    case CLI_OPT_HELP:
        *wants_help = 1;
        return 1;
    default:
        return 0;
    }
}

int
cli_open_output(struct cli *cli)
{
    if (cli->output == NULL || strcmp(cli->output, "-") == 0) {
        cli->out = stdout;
        return 0;
    }
    cli->out = fopen(cli->output, "we");
    if (cli->out == NULL) {
        cli_err(cli, "%s: %s", cli->output, strerror(errno));
        return -1;
    }
    cli->color = 0; /* a file is not a terminal */
    return 0;
}

int
cli_close_output(struct cli *cli)
{
    int bad;

    if (cli->out == NULL) {
        return 0;
    }
    bad = fflush(cli->out) != 0 || ferror(cli->out);
    if (cli->out != stdout && fclose(cli->out) != 0) {
        bad = 1;
    }
    cli->out = NULL;
    if (bad) {
        cli_err(cli, "%s: write error", cli->output ? cli->output : "stdout");
        return -1;
    }
    return 0;
}

int
cli_sink(void *arg, const void *p, size_t n)
{
    struct cli *cli = arg;
    if (n > 0 && fwrite(p, 1, n, cli->out) != n) {
        return VG_EIO;
    }
    return VG_OK;
}

int
cli_writer_new(struct cli *cli, const char *title, struct vg_writer **out)
{
    struct vg_writer_opts o = {
        .format = cli->format,
        .use_color = cli->color && cli->format == VG_FORMAT_TEXT,
        .min_severity = cli->min_severity,
        .title = title,
        .quiet = cli->quiet,
    };
    int rc = vg_writer_new(&o, cli_sink, cli, out);
    if (rc != VG_OK) {
        cli_err(cli, "cannot set up output: %s", vg_strerror(rc));
    }
    return rc;
}

int
cli_exit_code(const struct cli *cli, const struct vg_run_summary *sum)
{
    for (int s = (int)cli->fail_on; s < VG_SEV_COUNT; s++) {
        if (sum->n_findings[s] > 0) {
            return CLI_EXIT_FINDINGS;
        }
    }
    return CLI_EXIT_CLEAN;
}

int
cli_not_available(struct cli *cli, const char *what)
{
    fprintf(stderr,
            "vigil: %s: not available yet in this version (see README: "
            "command status)\n",
            what ? what : cli->command);
    return CLI_EXIT_ERROR;
}
