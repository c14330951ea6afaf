/* SPDX-License-Identifier: Apache-2.0 */
/*
 * cmd_scan.c - `vigil scan [TARGET]`, the one-command entry point. It finds
 * out what TARGET is (this live system when absent; an offline Windows root
 * when it holds Windows/System32, any case; a Linux root when it holds etc/
 * and usr/; otherwise a plain folder), says so on stderr, runs the detection
 * modules that exist for that layout and writes findings, verdict and
 * summary. No detection module is built yet, so today it reports that and
 * examines nothing; it never writes to the target.
 */
#include <dirent.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>

#include "cli.h"

#include "core/banned.h"

enum layout { LAYOUT_LIVE, LAYOUT_WINDOWS, LAYOUT_LINUX, LAYOUT_FOLDER };

static const char *const layout_names[] = {
    "this live system",
    "an offline Windows root",
    "an offline Linux root",
    "a plain folder",
};

static const char scan_help[] =
    "usage: vigil scan [options] [TARGET]\n\n"
    "Scan this system (no TARGET), a mounted Windows or Linux image, or a\n"
    "folder of collected evidence, with every module that applies.\n\n";

/* 1 if dir holds a directory whose name equals name, ignoring ASCII case. */
static int
has_subdir_icase(const char *dir, const char *name, char *found, size_t cap)
{
    DIR *d = opendir(dir);
    struct dirent *e;
    int hit = 0;

    if (d == NULL) {
        return 0;
    }
    while (!hit && (e = readdir(d)) != NULL) {
        struct stat st;
        char p[4096];
        if (strcasecmp(e->d_name, name) != 0) {
            continue;
        }
        int n = snprintf(p, sizeof(p), "%s/%s", dir, e->d_name);
        /* lstat: a link out of the target root is not followed */
        hit = n > 0 && (size_t)n < sizeof(p) && lstat(p, &st) == 0 &&
              S_ISDIR(st.st_mode);
        if (hit && found != NULL) {
            (void)snprintf(found, cap, "%s", p);
        }
    }
    closedir(d);
    return hit;
}

static enum layout
detect(const char *target)
{
    char win[4096];

    if (target == NULL) {
        return LAYOUT_LIVE;
    }
    if (has_subdir_icase(target, "windows", win, sizeof(win)) &&
        has_subdir_icase(win, "system32", NULL, 0)) {
        return LAYOUT_WINDOWS;
    }
    if (has_subdir_icase(target, "etc", NULL, 0) &&
        has_subdir_icase(target, "usr", NULL, 0)) {
        return LAYOUT_LINUX;
    }
    return LAYOUT_FOLDER;
}

static double
now_s(void)
{
    struct timespec ts;
    (void)clock_gettime(CLOCK_MONOTONIC, &ts); /* cannot fail for MONOTONIC */
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int
parse_args(int argc, char **argv, struct cli *cli, const char **target)
{
    static const struct option opts[] = {CLI_COMMON_LONGOPTS,
                                         {NULL, 0, NULL, 0}};
    int opt, help = 0;

    opterr = 0;
    optind = 1;
    while ((opt = getopt_long(argc, argv, "+h", opts, NULL)) != -1) {
        int r = 1;
        if (opt == 'h') {
            help = 1;
        } else {
            r = cli_common_parse(cli, opt, optarg, &help);
        }
        if (r < 0) {
            return -1;
        }
        if (r == 0) {
            cli_err(cli, "unknown option '%s' (see 'vigil scan --help')",
                    argv[optind - 1]);
            return -1;
        }
    }
    if (help) {
        printf("%s%s", scan_help, cli_common_help);
        return 1;
    }
    if (argc - optind > 1) {
        cli_err(cli, "one TARGET at most (see 'vigil scan --help')");
        return -1;
    }
    *target = optind < argc ? argv[optind] : NULL;
    return 0;
}

static int
check_target(struct cli *cli, const char *target)
{
    struct stat st;

    if (target == NULL) {
        return 0;
    }
    if (stat(target, &st) != 0 || !S_ISDIR(st.st_mode)) {
        cli_err(cli,
                "%s: not a folder (give a folder or nothing for this "
                "system)",
                target);
        return -1;
    }
    return 0;
}

static int
write_report(struct cli *cli, const char *target, double t0)
{
    struct vg_run_summary sum = {.items_name = "files"};
    struct vg_writer *w = NULL;
    char title[512];
    int rc;

    (void)snprintf(title, sizeof(title), "vigil scan %s",
                   target ? target : "(this system)");
    if (cli_open_output(cli) != 0) {
        return CLI_EXIT_ERROR;
    }
    rc = cli_writer_new(cli, title, &w);
    if (rc == VG_OK) {
        sum.elapsed_s = now_s() - t0;
        rc = vg_writer_end(w, &sum);
    }
    vg_writer_free(w);
    if (cli_close_output(cli) != 0 || rc != VG_OK) {
        return CLI_EXIT_ERROR;
    }
    return cli_exit_code(cli, &sum);
}

int
cmd_scan(int argc, char **argv, struct cli *cli)
{
    const char *target = NULL;
    double t0 = now_s();
    int r = parse_args(argc, argv, cli, &target);

    if (r != 0) {
        return r > 0 ? CLI_EXIT_CLEAN : CLI_EXIT_ERROR;
    }
    if (check_target(cli, target) != 0) {
        return CLI_EXIT_ERROR;
    }
    enum layout l = detect(target);
    if (!cli->quiet) {
        cli_err(cli, "target %s: %s", target ? target : "/", layout_names[l]);
        cli_err(cli, "no detection modules are available yet in this "
                     "version; nothing was examined");
    }
    return write_report(cli, target, t0);
}
