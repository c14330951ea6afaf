/* SPDX-License-Identifier: Apache-2.0 */
/*
 * cmd_rmm.c - `vigil rmm [--policy FILE] [--catalog DIR] [TARGET]`: which
 * remote-access tools are on a host, their version, how they persist, which
 * server each obeys and the last incoming session; then the findings of
 * the site policy and the catalog (vulnerable versions, several instances,
 * unusual places, recent installs, web shells).
 *
 * Without TARGET it inventories the running host ("/" plus /proc); with
 * TARGET it reads that folder as offline evidence (a mounted image or a
 * collected Windows/Linux tree) and never /proc unless --live is given.
 * Text output is an inventory table followed by the findings; jsonl and csv
 * carry one "inventory" record per tool instance plus the findings.
 * It deliberately does not change, stop or remove anything it finds.
 */
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "vigil/ioc.h"
#include "vigil/rmm.h"

#include "core/banned.h"

enum {
    OPT_POLICY = 1,
    OPT_CATALOG,
    OPT_RULES,
    OPT_LIVE,
    OPT_RECENT,
    OPT_NOW,
    OPT_IOC,
};

static const char usage[] =
    "usage: vigil rmm [options] [TARGET]\n\n"
    "Inventory remote-access (RMM) software: tool, version, where, how it\n"
    "persists, the relay it obeys, the last incoming session; then check it\n"
    "against a site policy. Without TARGET: this host (files and /proc).\n\n"
    "options:\n"
    "  --policy FILE         approved tools, relays, instance ids\n"
    "                        (docs/rmm.md)\n"
    "  --catalog DIR         also load the LOLRMM YAML folder DIR\n"
    "  --rules FILE          Vigil's catalog (default: rules/rmm/catalog\n"
    "                        found next to the program)\n"
    "  --live                also read /proc when TARGET is given\n"
    "  --recent-days N       a recent install is at most N days old\n"
    "                        (default 7, or the policy's recent-days)\n"
    "  --now TIME            judge \"recent\" as of TIME (ISO 8601, e.g. the\n"
    "                        evidence acquisition time; default: now)\n"
    "  --iocs FILE           IOC store (made by `vigil ioc`) or feed (STIX,\n"
    "                        MISP, CSV, text): flag sessions from its\n"
    "                        addresses\n\n";

static const struct option longopts[] = {
    {"policy", required_argument, NULL, OPT_POLICY},
    {"catalog", required_argument, NULL, OPT_CATALOG},
    {"rules", required_argument, NULL, OPT_RULES},
    {"live", no_argument, NULL, OPT_LIVE},
    {"recent-days", required_argument, NULL, OPT_RECENT},
    {"now", required_argument, NULL, OPT_NOW},
    {"iocs", required_argument, NULL, OPT_IOC},
    CLI_COMMON_LONGOPTS,
    {NULL, 0, NULL, 0},
};

struct args {
    const char *policy, *catalog, *rules, *target, *ioc;
    int live, recent_days;
    int64_t now_us;
};

static int
parse_args(int argc, char **argv, struct cli *cli, struct args *a)
{
    int opt, help = 0;
    optind = 1;
    while ((opt = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
        int r = cli_common_parse(cli, opt, optarg, &help);
        if (r < 0)
            return CLI_EXIT_ERROR;
        if (r > 0)
            continue;
        switch (opt) {
        case OPT_POLICY:
            a->policy = optarg;
            break;
        case OPT_CATALOG:
            a->catalog = optarg;
            break;
        case OPT_RULES:
            a->rules = optarg;
            break;
        case OPT_LIVE:
            a->live = 1;
            break;
        case OPT_RECENT: {
            char *end = NULL;
            long v = strtol(optarg, &end, 10);
            if (end == optarg || *end != '\0' || v < 1 || v > 36500) {
                cli_err(cli, "--recent-days: '%s' is not 1..36500", optarg);
                return CLI_EXIT_ERROR;
            }
            a->recent_days = (int)v;
            break;
        }
        case OPT_IOC:
            a->ioc = optarg;
            break;
        case OPT_NOW:
            if (vg_time_parse(optarg, &a->now_us) != VG_OK) {
                cli_err(cli, "--now: '%s' is not an ISO 8601 time", optarg);
                return CLI_EXIT_ERROR;
            }
            break;
        default:
            fprintf(stderr, "%s", usage);
            return CLI_EXIT_ERROR;
        }
    }
    if (help) {
        printf("%s%s", usage, cli_common_help);
        return CLI_EXIT_CLEAN;
    }
    if (argc - optind > 1) {
        cli_err(cli, "one TARGET at most (got %d)", argc - optind);
        return CLI_EXIT_ERROR;
    }
    a->target = optind < argc ? argv[optind] : NULL;
    return -1; /* go on */
}

/* rules/rmm/catalog next to the program: build tree, install prefix, cwd */
static int
default_rules(char *out, size_t cap)
{
    static const char *const rel[] = {"/../rules/rmm/catalog",
                                      "/../share/vigil/rules/rmm/catalog",
                                      "/rules/rmm/catalog"};
    char exe[PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
    if (n > 0) {
        exe[n] = '\0';
        char *slash = strrchr(exe, '/');
        if (slash != NULL)
            *slash = '\0';
        for (size_t i = 0; i < sizeof(rel) / sizeof(rel[0]); i++) {
            int k = snprintf(out, cap, "%s%s", exe, rel[i]);
            if (k > 0 && (size_t)k < cap && access(out, R_OK) == 0)
                return 0;
        }
    }
    int k = snprintf(out, cap, "rules/rmm/catalog");
    return k > 0 && access(out, R_OK) == 0 ? 0 : -1;
}

static int
load_catalog(struct cli *cli, const struct args *a, struct vg_ctx *ctx,
             struct vg_rmm_catalog **out)
{
    char path[PATH_MAX + 64], msg[VG_DIAG_PATH_MAX + VG_DIAG_MSG_MAX];
    struct vg_diag d;
    vg_diag_clear(&d);
    if (vg_rmm_catalog_new(out) != VG_OK)
        return -1;
    if (a->rules != NULL)
        snprintf(path, sizeof(path), "%s", a->rules);
    else if (default_rules(path, sizeof(path)) != 0) {
        cli_err(cli, "cannot find rules/rmm/catalog; give --rules FILE");
        return -1;
    }
    if (vg_rmm_catalog_load_file(*out, path, &d) != VG_OK) {
        cli_err(cli, "%s", vg_diag_format(&d, msg, sizeof(msg)));
        return -1;
    }
    if (a->catalog != NULL) {
        size_t nf = 0;
        if (vg_rmm_catalog_load_lolrmm_dir(*out, a->catalog, ctx, &nf, &d) !=
            VG_OK) {
            cli_err(cli, "%s", vg_diag_format(&d, msg, sizeof(msg)));
            return -1;
        }
        if (!cli->quiet)
            fprintf(stderr,
                    "vigil: rmm: %zu LOLRMM entries loaded, %zu tools "
                    "in the catalog\n",
                    nf, vg_rmm_catalog_count(*out));
    }
    return 0;
}

/* ---- inventory table ---------------------------------------------------- */

#define TRY(e)                                                                 \
    do {                                                                       \
        int r_ = (e);                                                          \
        if (r_ != VG_OK)                                                       \
            return r_;                                                         \
    } while (0)

static int
cell(struct vg_buf *b, const char *s, size_t width, int last)
{
    size_t start = b->len;
    if (s == NULL || s[0] == '\0')
        s = "-";
    TRY(vg_text_escape(b, s, strlen(s)));
    size_t w = b->len - start;
    if (last)
        return VG_OK;
    if (w > width - 1) { /* cut, keep a gap */
        vg_buf_truncate(b, start + width - 2);
        TRY(vg_buf_adds(b, "~"));
        w = width - 1;
    }
    while (w++ < width)
        TRY(vg_buf_addc(b, ' '));
    return VG_OK;
}

static int
item_row(struct vg_buf *b, const struct vg_rmm_item *it)
{
    char relay[400], tool[200], last[128] = "";
    snprintf(tool, sizeof(tool), "%s%s%s%s", it->tool_id,
             it->instance ? " (" : "", it->instance ? it->instance : "",
             it->instance ? ")" : "");
    if (it->relay != NULL)
        snprintf(relay, sizeof(relay), "%s%s%s", it->relay, it->port ? ":" : "",
                 it->port ? it->port : "");
    else
        snprintf(relay, sizeof(relay), "%s%s", it->local_id ? "id " : "",
                 it->local_id ? it->local_id : "");
    int64_t best = VG_TIME_NONE;
    const struct vg_rmm_session *bs = NULL;
    for (size_t i = 0; i < it->n_sessions; i++)
        if (bs == NULL || it->sessions[i].time_us > best) {
            bs = &it->sessions[i];
            best = bs->time_us;
        }
    if (bs != NULL) {
        char ts[VG_ISO_TIME_LEN] = "";
        (void)vg_time_format(bs->time_us, ts);
        snprintf(last, sizeof(last), "%.19s %s", ts[0] ? ts : "?",
                 bs->remote_ip   ? bs->remote_ip
                 : bs->remote_id ? bs->remote_id
                                 : "");
    }
    TRY(cell(b, tool, 36, 0));
    TRY(cell(b, it->version, 14, 0));
    TRY(cell(b, it->where, 48, 0));
    TRY(cell(b, it->persist, 36, 0));
    TRY(cell(b, relay, 40, 0));
    TRY(cell(b, last, 0, 1));
    return vg_buf_addc(b, '\n');
}

static int
table(struct vg_buf *b, const struct vg_rmm_result *r)
{
    if (vg_rmm_result_count(r) == 0)
        return vg_buf_adds(b, "No remote-access tool found.\n\n");
    TRY(cell(b, "TOOL", 36, 0));
    TRY(cell(b, "VERSION", 14, 0));
    TRY(cell(b, "WHERE", 48, 0));
    TRY(cell(b, "PERSISTS", 36, 0));
    TRY(cell(b, "RELAY / ID", 40, 0));
    TRY(cell(b, "LAST INCOMING", 0, 1));
    TRY(vg_buf_addc(b, '\n'));
    for (size_t i = 0; i < vg_rmm_result_count(r); i++)
        TRY(item_row(b, vg_rmm_result_item(r, i)));
    return vg_buf_addc(b, '\n');
}

static int
print_table(struct cli *cli, const struct vg_rmm_result *r)
{
    struct vg_buf b;
    vg_buf_init(&b, 1u << 24);
    int rc = table(&b, r);
    if (rc == VG_OK && b.data != NULL)
        rc = cli_sink(cli, b.data, b.len);
    vg_buf_fini(&b);
    return rc;
}

/* ---- findings ------------------------------------------------------------ */

struct out {
    struct vg_writer *w;
    int text;
};

static int
on_finding(const struct vg_finding *f, void *arg)
{
    struct out *o = arg;
    /* the table already shows the inventory in text mode */
    if (o->text && f->rule.id != NULL &&
        strcmp(f->rule.id, "vigil.rmm.inventory") == 0)
        return VG_OK;
    return vg_writer_add(o->w, f);
}

/* A saved IOC store, else a feed imported on the fly (format detected). */
static int
load_ioc(struct cli *cli, const char *path, struct vg_ioc_store **out)
{
    char msg[VG_DIAG_PATH_MAX + VG_DIAG_MSG_MAX];
    struct vg_diag d;
    vg_diag_clear(&d);
    int rc = vg_ioc_store_load(path, out, &d);
    if (rc == VG_OK)
        return 0;
    if (rc != VG_EFORMAT) {
        cli_err(cli, "%s", vg_diag_format(&d, msg, sizeof(msg)));
        return -1;
    }
    *out = NULL;
    struct vg_ioc_import_opts o;
    struct vg_ioc_import_stats st = {0};
    vg_ioc_import_opts_init(&o);
    vg_diag_clear(&d);
    if (vg_ioc_store_new(out) != VG_OK ||
        vg_ioc_import_file(*out, path, &o, &st, &d) != VG_OK ||
        vg_ioc_store_seal(*out) < 0) {
        cli_err(cli, "%s",
                d.msg[0] != '\0' ? vg_diag_format(&d, msg, sizeof(msg))
                                 : "cannot load the IOC feed");
        return -1;
    }
    return 0;
}

static int
ioc_addr(void *arg, const char *addr)
{
    uint32_t ids[1];
    return vg_ioc_lookup_ip(arg, addr, strlen(addr), ids, 1) > 0;
}

static int
run(struct cli *cli, const struct args *a, struct vg_ctx *ctx)
{
    struct vg_rmm_catalog *cat = NULL;
    struct vg_rmm_policy *pol = NULL;
    struct vg_rmm_result *res = NULL;
    struct vg_ioc_store *iocs = NULL;
    struct vg_writer *w = NULL;
    char msg[VG_DIAG_PATH_MAX + VG_DIAG_MSG_MAX], title[PATH_MAX + 32];
    struct vg_diag d;
    int code = CLI_EXIT_ERROR;
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    vg_diag_clear(&d);
    if (load_catalog(cli, a, ctx, &cat) != 0)
        goto out;
    if (a->policy != NULL &&
        vg_rmm_policy_load_file(a->policy, &pol, &d) != VG_OK) {
        cli_err(cli, "%s", vg_diag_format(&d, msg, sizeof(msg)));
        goto out;
    }
    if (a->ioc != NULL && load_ioc(cli, a->ioc, &iocs) != 0)
        goto out;
    struct vg_rmm_opts opts = {
        .root = a->target != NULL ? a->target : "/",
        .live = a->target == NULL || a->live,
        .recent_days = a->recent_days,
        .now_us = a->now_us,
        .ioc_addr = iocs != NULL ? ioc_addr : NULL,
        .ioc_arg = iocs,
    };
    if (vg_rmm_scan(cat, &opts, ctx, &res, &d) != VG_OK) {
        cli_err(cli, "%s", vg_diag_format(&d, msg, sizeof(msg)));
        goto out;
    }
    if (cli_open_output(cli) != 0)
        goto out;
    snprintf(title, sizeof(title), "vigil rmm %s", opts.root);
    if (cli_writer_new(cli, title, &w) != VG_OK)
        goto out;
    if (cli->format == VG_FORMAT_TEXT && print_table(cli, res) != VG_OK) {
        cli_err(cli, "write error");
        goto out;
    }
    struct out o = {w, cli->format == VG_FORMAT_TEXT};
    if (vg_rmm_findings(cat, res, pol, &opts, on_finding, &o) != VG_OK) {
        cli_err(cli, "cannot write findings");
        goto out;
    }
    clock_gettime(CLOCK_MONOTONIC, &t1);
    struct vg_run_summary sum = {
        .n_errors = vg_rmm_result_errors(res),
        .n_items = vg_rmm_result_patterns(res),
        .items_name = "catalog paths",
        .elapsed_s = (double)(t1.tv_sec - t0.tv_sec) +
                     (double)(t1.tv_nsec - t0.tv_nsec) / 1e9,
    };
    if (vg_writer_end(w, &sum) != VG_OK) {
        cli_err(cli, "write error");
        goto out;
    }
    code = cli_exit_code(cli, &sum);
out:
    if (cli_close_output(cli) != 0)
        code = CLI_EXIT_ERROR;
    vg_writer_free(w);
    vg_rmm_result_free(res);
    vg_rmm_policy_free(pol);
    vg_ioc_store_free(iocs);
    vg_rmm_catalog_free(cat);
    return code;
}

int
cmd_rmm(int argc, char **argv, struct cli *cli)
{
    struct args a = {0};
    int rc = parse_args(argc, argv, cli, &a);
    if (rc >= 0)
        return rc;
    return run(cli, &a, cli->ctx);
}
