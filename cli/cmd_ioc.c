/* SPDX-License-Identifier: Apache-2.0 */
/*
 * cmd_ioc.c - `vigil ioc import|list|check|export`: manage the IOC store
 * (--store PATH; default $XDG_DATA_HOME/vigil/iocs.vgs, else
 * ~/.local/share/vigil/iocs.vgs). Import reports counts by type and every
 * skipped/unsupported/bad entry with its file and line or object id; list
 * prints one indicator per line (text or jsonl); check looks values up;
 * export writes CSV or a STIX 2.1 bundle.
 * This command parses its own --format (input format for import, output
 * format for list/export); it does not scan evidence.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "cli.h"
#include "vigil/ioc.h"

#include "core/banned.h"

#define MAX_SHOWN_ISSUES 20

static const char usage_text[] =
    "usage: vigil ioc import [options] FILE...\n"
    "       vigil ioc list   [--type T] [--format text|jsonl] [--output F]\n"
    "       vigil ioc check  VALUE...\n"
    "       vigil ioc export --format csv|stix [--type T] [--output F]\n"
    "options:\n"
    "  --store PATH        IOC store (default $XDG_DATA_HOME/vigil/iocs.vgs)\n"
    "  --format F          import: auto text csv stix misp loki-hash\n"
    "                      loki-filename loki-c2; list: text jsonl;\n"
    "                      export: csv stix\n"
    "  --feed NAME         feed name recorded as provenance\n"
    "  --exclude FILE      drop values FILE lists (known good), any format\n"
    "  --tlp TLP           TLP for entries the feed does not mark\n"
    "  --misp-all          also MISP attributes with to_ids false\n"
    "  --csv-value-col N   CSV: 1-based column of the value\n"
    "  --csv-type-col N    CSV: 1-based column of the type\n"
    "  --csv-desc-col N    CSV: 1-based column of the description\n"
    "  --csv-delim C       CSV: delimiter (default: guessed)\n"
    "  --csv-header yes|no CSV: first row is a header (default: guessed)\n"
    "  --type T            only indicators of type T\n"
    "  --output FILE       write to FILE instead of stdout\n"
    "  --verbose           show every issue (default: first 20 per file)\n";

enum {
    O_STORE = 0x2000,
    O_FORMAT,
    O_FEED,
    O_EXCLUDE,
    O_TLP,
    O_MISP_ALL,
    O_VCOL,
    O_TCOL,
    O_DCOL,
    O_DELIM,
    O_HEADER,
    O_TYPE,
    O_OUTPUT,
    O_VERBOSE,
    O_HELP,
};

static const struct option longopts[] = {
    {"store", required_argument, NULL, O_STORE},
    {"format", required_argument, NULL, O_FORMAT},
    {"feed", required_argument, NULL, O_FEED},
    {"exclude", required_argument, NULL, O_EXCLUDE},
    {"tlp", required_argument, NULL, O_TLP},
    {"misp-all", no_argument, NULL, O_MISP_ALL},
    {"csv-value-col", required_argument, NULL, O_VCOL},
    {"csv-type-col", required_argument, NULL, O_TCOL},
    {"csv-desc-col", required_argument, NULL, O_DCOL},
    {"csv-delim", required_argument, NULL, O_DELIM},
    {"csv-header", required_argument, NULL, O_HEADER},
    {"type", required_argument, NULL, O_TYPE},
    {"output", required_argument, NULL, O_OUTPUT},
    {"verbose", no_argument, NULL, O_VERBOSE},
    {"help", no_argument, NULL, O_HELP},
    {NULL, 0, NULL, 0},
};

struct ioc_cli {
    struct cli *cli;
    const char *store;
    const char *format;
    const char *exclude;
    enum vg_ioc_type type;
    int verbose;
    struct vg_ioc_import_opts opts;
    char store_buf[4096];
    /* issue printing for the current file */
    unsigned shown;
    unsigned hidden;
};

static int
default_store(struct ioc_cli *c)
{
    const char *x = getenv("XDG_DATA_HOME");
    const char *home = getenv("HOME");
    int n;
    if (x != NULL && x[0] == '/') {
        n = snprintf(c->store_buf, sizeof(c->store_buf), "%s/vigil/iocs.vgs",
                     x);
    } else if (home != NULL && home[0] != '\0') {
        n = snprintf(c->store_buf, sizeof(c->store_buf),
                     "%s/.local/share/vigil/iocs.vgs", home);
    } else {
        cli_err(c->cli, "no --store given and neither XDG_DATA_HOME nor HOME "
                        "is set");
        return -1;
    }
    if (n < 0 || (size_t)n >= sizeof(c->store_buf)) {
        cli_err(c->cli, "store path too long");
        return -1;
    }
    c->store = c->store_buf;
    return 0;
}

/* mkdir -p for the store's folder (0700: the store may hold TLP:RED). */
static int
make_parent(struct ioc_cli *c, const char *path)
{
    char dir[4096];
    size_t n = strlen(path);
    if (n >= sizeof(dir)) {
        return -1;
    }
    memcpy(dir, path, n + 1);
    char *slash = strrchr(dir, '/');
    if (slash == NULL || slash == dir) {
        return 0;
    }
    *slash = '\0';
    for (char *p = dir + 1; *p != '\0'; p++) {
        if (*p == '/') {
            *p = '\0';
            if (mkdir(dir, 0700) != 0 && errno != EEXIST) {
                cli_err(c->cli, "cannot create %s: %s", dir, strerror(errno));
                return -1;
            }
            *p = '/';
        }
    }
    if (mkdir(dir, 0700) != 0 && errno != EEXIST) {
        cli_err(c->cli, "cannot create %s: %s", dir, strerror(errno));
        return -1;
    }
    return 0;
}

static void
print_diag(struct ioc_cli *c, const char *kind, const struct vg_diag *d)
{
    if (d->line != VG_DIAG_NONE) {
        cli_err(c->cli, "%s:%llu: %s%s", d->path, (unsigned long long)d->line,
                kind, d->msg);
    } else if (d->offset != VG_DIAG_NONE) {
        cli_err(c->cli, "%s: offset %llu: %s%s", d->path,
                (unsigned long long)d->offset, kind, d->msg);
    } else {
        cli_err(c->cli, "%s: %s%s", d->path, kind, d->msg);
    }
}

static void
on_issue(void *arg, enum vg_ioc_issue_kind k, const struct vg_diag *d)
{
    static const char *const kinds[] = {
        "error: ", "unsupported: ", "skipped: ", "note: "};
    struct ioc_cli *c = arg;
    if (!c->verbose && c->shown >= MAX_SHOWN_ISSUES) {
        c->hidden++;
        return;
    }
    c->shown++;
    print_diag(c, kinds[k], d);
}

static int
load_store(struct ioc_cli *c, int create, struct vg_ioc_store **out)
{
    struct vg_diag d;
    int rc = vg_ioc_store_load(c->store, out, &d);
    if (rc == VG_ENOTFOUND && create) {
        return vg_ioc_store_new(out) == VG_OK ? 0 : -1;
    }
    if (rc == VG_ENOTFOUND) {
        cli_err(c->cli, "no IOC store at %s (run `vigil ioc import` first)",
                c->store);
        return -1;
    }
    if (rc != VG_OK) {
        print_diag(c, "", &d);
        return -1;
    }
    return 0;
}

static void
print_stats(struct ioc_cli *c, const char *file,
            const struct vg_ioc_import_stats *s)
{
    FILE *o = c->cli->out;
    uint64_t added = 0;
    for (int t = 1; t < VG_IOC_TYPE_COUNT; t++) {
        added += s->added[t];
    }
    fprintf(o, "%s (%s): %llu new", file, vg_ioc_format_name(s->format),
            (unsigned long long)added);
    const char *sep = " (";
    for (int t = 1; t < VG_IOC_TYPE_COUNT; t++) {
        if (s->added[t] != 0) {
            fprintf(o, "%s%s %llu", sep, vg_ioc_type_name((enum vg_ioc_type)t),
                    (unsigned long long)s->added[t]);
            sep = ", ";
        }
    }
    fprintf(o,
            "%s, %llu merged, %llu excluded, %llu errors, "
            "%llu unsupported, %llu skipped\n",
            added ? ")" : "", (unsigned long long)s->merged,
            (unsigned long long)s->excluded,
            (unsigned long long)s->issues[VG_IOC_ISSUE_ERROR],
            (unsigned long long)s->issues[VG_IOC_ISSUE_UNSUPPORTED],
            (unsigned long long)s->issues[VG_IOC_ISSUE_SKIPPED]);
}

static int
load_exclude(struct ioc_cli *c, struct vg_ioc_store **ex)
{
    struct vg_ioc_import_stats s;
    struct vg_ioc_import_opts o;
    struct vg_diag d;
    memset(&s, 0, sizeof(s));
    vg_ioc_import_opts_init(&o);
    if (vg_ioc_store_new(ex) != VG_OK) {
        return -1;
    }
    if (vg_ioc_import_file(*ex, c->exclude, &o, &s, &d) != VG_OK) {
        print_diag(c, "", &d);
        return -1;
    }
    return vg_ioc_store_seal(*ex) < 0 ? -1 : 0;
}

static int
do_import(struct ioc_cli *c, int argc, char **argv)
{
    struct vg_ioc_store *st = NULL, *ex = NULL;
    int status = CLI_EXIT_CLEAN;
    struct vg_diag d;

    if (argc == 0) {
        cli_err(c->cli, "import: no FILE given");
        return CLI_EXIT_ERROR;
    }
    if (c->format != NULL &&
        vg_ioc_format_parse(c->format, &c->opts.format) != VG_OK) {
        cli_err(c->cli, "unknown input format '%s'", c->format);
        return CLI_EXIT_ERROR;
    }
    if ((c->exclude != NULL && load_exclude(c, &ex) != 0) ||
        load_store(c, 1, &st) != 0) {
        status = CLI_EXIT_ERROR;
        goto out;
    }
    c->opts.exclude = ex;
    c->opts.on_issue = on_issue;
    c->opts.issue_arg = c;
    for (int i = 0; i < argc; i++) {
        struct vg_ioc_import_stats s;
        memset(&s, 0, sizeof(s));
        c->shown = c->hidden = 0;
        int rc = vg_ioc_import_file(st, argv[i], &c->opts, &s, &d);
        if (c->hidden > 0) {
            cli_err(c->cli,
                    "%s: %u more issues not shown (--verbose shows "
                    "them)",
                    argv[i], c->hidden);
        }
        if (rc != VG_OK) {
            print_diag(c, "", &d);
            status = CLI_EXIT_ERROR;
            if (rc == VG_ENOMEM || vg_ioc_count(st) >= VG_IOC_MAX_IOCS) {
                break;
            }
            continue;
        }
        print_stats(c, argv[i], &s);
    }
    if (make_parent(c, c->store) != 0 ||
        vg_ioc_store_save(st, c->store, &d) != VG_OK) {
        if (d.msg[0] != '\0') {
            print_diag(c, "", &d);
        }
        status = CLI_EXIT_ERROR;
        goto out;
    }
    fprintf(c->cli->out, "store %s: %u indicators\n", c->store,
            vg_ioc_count(st));
out:
    vg_ioc_store_free(st);
    vg_ioc_store_free(ex);
    return status;
}

static void
json_str(FILE *o, const char *s)
{
    fputc('"', o);
    for (const unsigned char *p = (const unsigned char *)s; *p != 0; p++) {
        if (*p == '"' || *p == '\\') {
            fprintf(o, "\\%c", *p);
        } else if (*p < 0x20 || *p == 0x7f) {
            fprintf(o, "\\u%04x", *p);
        } else {
            fputc(*p, o);
        }
    }
    fputc('"', o);
}

static void
json_time(FILE *o, const char *key, int64_t t)
{
    char ts[VG_ISO_TIME_LEN];
    if (t == VG_TIME_NONE) {
        return;
    }
    vg_time_format(t, ts);
    fprintf(o, ",\"%s\":\"%s\"", key, ts);
}

static void
list_jsonl(FILE *o, const struct vg_ioc_store *st, uint32_t id,
           const struct vg_ioc_info *in)
{
    static const char *const fl[] = {"private", "reserved", "glob", "regex",
                                     "nocase"};
    fputs("{\"type\":", o);
    json_str(o, vg_ioc_type_name(in->type));
    fputs(",\"value\":", o);
    json_str(o, in->value);
    fputs(",\"flags\":[", o);
    for (unsigned b = 0, k = 0; b < 5; b++) {
        if (in->flags & (1u << b)) {
            fprintf(o, "%s\"%s\"", k++ ? "," : "", fl[b]);
        }
    }
    fputc(']', o);
    if (in->score >= 0) {
        fprintf(o, ",\"score\":%d", in->score);
    }
    if (in->tlp != VG_TLP_NONE) {
        fprintf(o, ",\"tlp\":\"%s\"", vg_tlp_name(in->tlp));
    }
    json_time(o, "first_seen", in->first_seen);
    json_time(o, "last_seen", in->last_seen);
    if (in->aux != NULL) {
        fputs(",\"exclude_regex\":", o);
        json_str(o, in->aux);
    }
    fputs(",\"sources\":[", o);
    for (uint32_t k = 0; k < in->n_sources; k++) {
        struct vg_ioc_src s;
        if (vg_ioc_get_src(st, id, k, &s) != VG_OK) {
            break;
        }
        fputs(k ? ",{" : "{", o);
        const char *key[] = {"feed", "file", "object_id", "description",
                             "tags"};
        const char *val[] = {s.feed, s.file, s.object_id, s.description,
                             s.tags};
        int first = 1;
        for (int i = 0; i < 5; i++) {
            if (val[i] != NULL) {
                fprintf(o, "%s\"%s\":", first ? "" : ",", key[i]);
                json_str(o, val[i]);
                first = 0;
            }
        }
        if (s.line != 0) {
            fprintf(o, "%s\"line\":%llu", first ? "" : ",",
                    (unsigned long long)s.line);
        }
        fputc('}', o);
    }
    fputs("]}\n", o);
}

/* "feed:line" or "feed#object-id" for each source. */
static void
list_sources(FILE *o, const struct vg_ioc_store *st, uint32_t id, uint32_t n)
{
    for (uint32_t k = 0; k < n; k++) {
        struct vg_ioc_src s;
        if (vg_ioc_get_src(st, id, k, &s) != VG_OK) {
            break;
        }
        fprintf(o, "%s%s", k ? ", " : "", s.feed != NULL ? s.feed : "-");
        if (s.line != 0) {
            fprintf(o, ":%llu", (unsigned long long)s.line);
        } else if (s.object_id != NULL) {
            fprintf(o, "#%s", s.object_id);
        }
    }
}

static void
list_text(FILE *o, const struct vg_ioc_store *st, uint32_t id,
          const struct vg_ioc_info *in)
{
    fprintf(o, "%s\t%s\t", vg_ioc_type_name(in->type), in->value);
    const char *fl[] = {"private", "reserved", "glob", "regex", "nocase"};
    int k = 0;
    for (unsigned b = 0; b < 5; b++) {
        if (in->flags & (1u << b)) {
            fprintf(o, "%s%s", k++ ? "," : "", fl[b]);
        }
    }
    fputs(k ? "\t" : "-\t", o);
    list_sources(o, st, id, in->n_sources);
    fputc('\n', o);
}

static int
do_list(struct ioc_cli *c)
{
    struct vg_ioc_store *st = NULL;
    int jsonl = 0;
    if (c->format != NULL) {
        if (strcmp(c->format, "jsonl") == 0 || strcmp(c->format, "json") == 0) {
            jsonl = 1;
        } else if (strcmp(c->format, "text") != 0) {
            cli_err(c->cli, "list: --format is text or jsonl");
            return CLI_EXIT_ERROR;
        }
    }
    if (load_store(c, 0, &st) != 0) {
        return CLI_EXIT_ERROR;
    }
    for (uint32_t id = 0; id < vg_ioc_count(st); id++) {
        struct vg_ioc_info in;
        if (vg_ioc_get(st, id, &in) != VG_OK ||
            (c->type != VG_IOC_NONE && in.type != c->type)) {
            continue;
        }
        if (jsonl) {
            list_jsonl(c->cli->out, st, id, &in);
        } else {
            list_text(c->cli->out, st, id, &in);
        }
    }
    vg_ioc_store_free(st);
    return CLI_EXIT_CLEAN;
}

static int
do_check(struct ioc_cli *c, int argc, char **argv)
{
    struct vg_ioc_store *st = NULL;
    int any = 0;
    if (argc == 0) {
        cli_err(c->cli, "check: no VALUE given");
        return CLI_EXIT_ERROR;
    }
    if (load_store(c, 0, &st) != 0) {
        return CLI_EXIT_ERROR;
    }
    FILE *o = c->cli->out;
    for (int i = 0; i < argc; i++) {
        uint32_t ids[64];
        int n = vg_ioc_lookup_any(st, argv[i], strlen(argv[i]), ids, 64);
        if (n <= 0) {
            fprintf(o, "%s\tno match\n", argv[i]);
            continue;
        }
        any = 1;
        for (int k = 0; k < n && k < 64; k++) {
            struct vg_ioc_info in;
            if (vg_ioc_get(st, ids[k], &in) != VG_OK) {
                continue;
            }
            fprintf(o, "%s\tmatch\t%s %s\t", argv[i], vg_ioc_type_name(in.type),
                    in.value);
            list_sources(o, st, ids[k], in.n_sources);
            fputc('\n', o);
        }
    }
    vg_ioc_store_free(st);
    return any ? CLI_EXIT_FINDINGS : CLI_EXIT_CLEAN;
}

static int
do_export(struct ioc_cli *c)
{
    struct vg_ioc_store *st = NULL;
    struct vg_buf b;
    int stix;
    if (c->format == NULL ||
        (strcmp(c->format, "csv") != 0 && strcmp(c->format, "stix") != 0)) {
        cli_err(c->cli, "export: --format csv or --format stix is required");
        return CLI_EXIT_ERROR;
    }
    stix = strcmp(c->format, "stix") == 0;
    if (load_store(c, 0, &st) != 0) {
        return CLI_EXIT_ERROR;
    }
    vg_buf_init(&b, (size_t)VG_IOC_MAX_STORE);
    int rc = stix ? vg_ioc_export_stix(st, c->type,
                                       (int64_t)time(NULL) * 1000000, &b)
                  : vg_ioc_export_csv(st, c->type, &b);
    if (rc == VG_OK && b.len > 0 &&
        fwrite(b.data, 1, b.len, c->cli->out) != b.len) {
        rc = VG_EIO;
    }
    if (rc != VG_OK) {
        cli_err(c->cli, "export failed: %s", vg_strerror(rc));
    }
    vg_buf_fini(&b);
    vg_ioc_store_free(st);
    return rc == VG_OK ? CLI_EXIT_CLEAN : CLI_EXIT_ERROR;
}

static int
col_arg(struct ioc_cli *c, const char *a, int *out)
{
    char *end;
    long v = strtol(a, &end, 10);
    if (*a == '\0' || *end != '\0' || v < 1 || v > 64) {
        cli_err(c->cli, "column numbers are 1..64, not '%s'", a);
        return -1;
    }
    *out = (int)v - 1;
    return 0;
}

static int
parse_opt(struct ioc_cli *c, int opt, const char *a)
{
    switch (opt) {
    case O_STORE:
        c->store = a;
        return 0;
    case O_FORMAT:
        c->format = a;
        return 0;
    case O_FEED:
        c->opts.feed = a;
        return 0;
    case O_EXCLUDE:
        c->exclude = a;
        return 0;
    case O_MISP_ALL:
        c->opts.misp_all = 1;
        return 0;
    case O_VERBOSE:
        c->verbose = 1;
        return 0;
    case O_OUTPUT:
        c->cli->output = a;
        return 0;
    case O_VCOL:
        return col_arg(c, a, &c->opts.csv_value_col);
    case O_TCOL:
        return col_arg(c, a, &c->opts.csv_type_col);
    case O_DCOL:
        return col_arg(c, a, &c->opts.csv_desc_col);
    case O_TLP:
        c->opts.tlp = vg_tlp_parse(a, strlen(a));
        if (c->opts.tlp == VG_TLP_NONE) {
            cli_err(c->cli, "unknown TLP '%s'", a);
            return -1;
        }
        return 0;
    case O_DELIM:
        if (strcmp(a, "tab") == 0 || strcmp(a, "\\t") == 0) {
            c->opts.csv_delim = '\t';
        } else if (strlen(a) == 1) {
            c->opts.csv_delim = a[0];
        } else {
            cli_err(c->cli, "--csv-delim takes one character or 'tab'");
            return -1;
        }
        return 0;
    case O_HEADER:
        c->opts.csv_header = strcmp(a, "yes") == 0  ? 1
                             : strcmp(a, "no") == 0 ? 0
                                                    : -2;
        if (c->opts.csv_header == -2) {
            cli_err(c->cli, "--csv-header is yes or no");
            return -1;
        }
        return 0;
    case O_TYPE:
        c->type = vg_ioc_type_parse(a, strlen(a));
        if (c->type == VG_IOC_NONE) {
            cli_err(c->cli, "unknown indicator type '%s'", a);
            return -1;
        }
        return 0;
    default:
        return -1;
    }
}

int
cmd_ioc(int argc, char **argv, struct cli *cli)
{
    struct ioc_cli c;
    int opt, status;

    memset(&c, 0, sizeof(c));
    c.cli = cli;
    vg_ioc_import_opts_init(&c.opts);
    if (argc < 2 || strcmp(argv[1], "--help") == 0 ||
        strcmp(argv[1], "-h") == 0) {
        fputs(usage_text, argc < 2 ? stderr : stdout);
        return argc < 2 ? CLI_EXIT_ERROR : CLI_EXIT_CLEAN;
    }
    const char *sub = argv[1];
    optind = 0; /* glibc: re-initialise (main may have run getopt) */
    opterr = 1;
    while ((opt = getopt_long(argc - 1, argv + 1, "", longopts, NULL)) != -1) {
        if (opt == O_HELP) {
            fputs(usage_text, stdout);
            return CLI_EXIT_CLEAN;
        }
        if (opt == '?' || parse_opt(&c, opt, optarg) != 0) {
            fputs(usage_text, stderr);
            return CLI_EXIT_ERROR;
        }
    }
    int nargs = argc - 1 - optind;
    char **args = argv + 1 + optind;
    if (c.store == NULL && default_store(&c) != 0) {
        return CLI_EXIT_ERROR;
    }
    if (cli_open_output(cli) != 0) {
        return CLI_EXIT_ERROR;
    }
    if (strcmp(sub, "import") == 0) {
        status = do_import(&c, nargs, args);
    } else if (strcmp(sub, "list") == 0) {
        status = do_list(&c);
    } else if (strcmp(sub, "check") == 0) {
        status = do_check(&c, nargs, args);
    } else if (strcmp(sub, "export") == 0) {
        status = do_export(&c);
    } else {
        cli_err(cli, "unknown subcommand '%s' (import, list, check, export)",
                sub);
        status = CLI_EXIT_ERROR;
    }
    if (cli_close_output(cli) != 0 && status == CLI_EXIT_CLEAN) {
        status = CLI_EXIT_ERROR;
    }
    return status;
}
