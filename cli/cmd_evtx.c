/* SPDX-License-Identifier: Apache-2.0 */
/*
 * cmd_evtx.c - `vigil evtx dump|info FILE|DIR...`.
 *
 * dump: every record as JSON Lines (default) or indented XML, in file and
 * record order. Chunks are independent, so each chunk is one job on a
 * vg_pool (--threads); the pool hands outputs back in submission order, so
 * the output is the same whatever the thread count. --carve adds records
 * recovered from slack space, marked "recovered":true (XML: a comment).
 * info: header fields, chunk and record counts, first and last time,
 * channel and a damage summary per file.
 *
 * Evidence is opened read-only with O_NOFOLLOW (a symlink is refused, never
 * followed) and O_NOATIME when allowed; directories are walked with openat
 * for *.evtx (any case), in name order, without following links.
 * Damaged records are reported on stderr with file and offset and reading
 * goes on. Exit status: 0 when every file was read, 2 when one could not be
 * opened or is not EVTX (the others are still dumped), or on usage errors.
 */
#define _GNU_SOURCE /* O_NOATIME */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"
#include "vigil/evtx.h"

#include "core/banned.h"

#define MAX_WALK_DEPTH 64
#define CHUNKS_PER_JOB 8        /* 512 KiB of input per job: few hand-offs */
#define JOB_OUT_MAX (64u << 20) /* one job's rendered records */

enum dump_fmt { FMT_JSONL, FMT_XML };

static const char evtx_help[] =
    "usage: vigil evtx dump [--format jsonl|xml] [--carve] FILE|DIR...\n"
    "       vigil evtx info [--carve] FILE|DIR...\n\n"
    "dump  print every record (JSON Lines by default, or XML)\n"
    "info  print header, chunk and record counts, time range, channel and\n"
    "      damage found, per file\n\n"
    "Directories are searched for *.evtx files (symlinks are not followed).\n\n"
    "  --carve         also recover records from slack space (marked as\n"
    "                  recovered)\n";

struct file_ent {
    struct vg_evtx *f;
    size_t pending; /* jobs not yet delivered */
    int all_submitted;
    struct vg_evtx_stats st;
    char channel[256]; /* first record's Channel */
};

struct dump;

struct job {
    struct dump *d;
    struct file_ent *fe;
    size_t chunk, n_chunks; /* chunks [chunk, chunk + n) */
    struct vg_evtx_stats st;
    char channel[256];
};

/* Readers are reused across jobs: a small stack guarded by a mutex. */
struct reader_stack {
    pthread_mutex_t mu;
    struct vg_evtx_reader *r[VG_POOL_MAX_THREADS + 1];
    size_t n;
};

struct dump {
    struct cli *cli;
    enum dump_fmt fmt;
    unsigned flags;
    int info;
    struct vg_pool *pool;
    struct job *ring;
    size_t ring_len;
    size_t next_seq;
    struct reader_stack readers;
    struct vg_evtx_stats total;
    uint64_t n_files;
    int failed; /* a file could not be read */
};

struct job_out {
    struct vg_buf *out;
    struct job *job;
};

static int
on_record(void *arg, struct vg_evtx_record *rec)
{
    struct job_out *jo = arg;
    struct job *j = jo->job;
    int rc;

    if (j->channel[0] == '\0' && rec->event.channel.p != NULL) {
        size_t n = rec->event.channel.len < sizeof(j->channel) - 1
                       ? rec->event.channel.len
                       : sizeof(j->channel) - 1;
        memcpy(j->channel, rec->event.channel.p, n);
        j->channel[n] = '\0';
    }
    if (j->d->info) {
        return VG_OK;
    }
    if (j->d->fmt == FMT_XML) {
        return vg_evtx_record_xml(rec, jo->out);
    }
    rc = vg_evtx_record_json(rec, jo->out);
    return rc == VG_OK ? vg_buf_addc(jo->out, '\n') : rc;
}

static struct vg_evtx_reader *
reader_get(struct dump *d)
{
    struct vg_evtx_reader *r = NULL;

    pthread_mutex_lock(&d->readers.mu);
    if (d->readers.n > 0) {
        r = d->readers.r[--d->readers.n];
    }
    pthread_mutex_unlock(&d->readers.mu);
    if (r == NULL && vg_evtx_reader_new(&r) != VG_OK) {
        return NULL;
    }
    return r;
}

static void
reader_put(struct dump *d, struct vg_evtx_reader *r)
{
    pthread_mutex_lock(&d->readers.mu);
    if (d->readers.n < VG_ARRAY_LEN(d->readers.r)) {
        d->readers.r[d->readers.n++] = r;
        r = NULL;
    }
    pthread_mutex_unlock(&d->readers.mu);
    vg_evtx_reader_free(r);
}

/* Worker side: read one chunk, rendering its records into out. */
static int
chunk_job(void *arg, struct vg_buf *out)
{
    struct job *j = arg;
    struct job_out jo = {out, j};
    struct vg_evtx_reader *r;
    int rc;

    vg_evtx_stats_init(&j->st);
    j->channel[0] = '\0';
    r = reader_get(j->d);
    if (r == NULL) {
        return VG_ENOMEM;
    }
    rc = VG_OK;
    for (size_t i = 0; i < j->n_chunks && rc == VG_OK; i++) {
        rc = vg_evtx_chunk_each(r, j->fe->f, j->chunk + i, j->d->flags,
                                on_record, &jo, &j->st);
    }
    reader_put(j->d, r);
    return rc;
}

static void
print_time(FILE *fp, const char *label, int64_t us)
{
    char t[VG_ISO_TIME_LEN];

    (void)vg_time_format(us, t);
    fprintf(fp, "  %-16s %s\n", label, us == VG_TIME_NONE ? "-" : t);
}

static void
print_info(struct dump *d, struct file_ent *fe)
{
    const struct vg_evtx_header *h = vg_evtx_get_header(fe->f);
    const struct vg_evtx_stats *s = &fe->st;
    FILE *fp = d->cli->out;

    fprintf(fp, "%s\n", vg_evtx_name(fe->f));
    if (vg_evtx_header_valid(fe->f)) {
        fprintf(fp, "  %-16s %u.%u%s%s%s\n", "version", h->major_version,
                h->minor_version, (h->flags & 1) ? ", dirty" : "",
                (h->flags & 2) ? ", full" : "",
                h->checksum_ok ? "" : ", header checksum mismatch");
    } else {
        fprintf(fp, "  %-16s %s\n", "version", "no file header signature");
    }
    fprintf(fp, "  %-16s %zu (header: %u)\n", "chunks",
            vg_evtx_chunk_count(fe->f), h->n_chunks);
    fprintf(fp, "  %-16s %llu\n", "records", (unsigned long long)s->n_records);
    if (d->flags & VG_EVTX_CARVE) {
        fprintf(fp, "  %-16s %llu\n", "recovered",
                (unsigned long long)s->n_recovered);
    }
    print_time(fp, "first", s->first_time_us);
    print_time(fp, "last", s->last_time_us);
    fprintf(fp, "  %-16s %s\n", "channel", fe->channel[0] ? fe->channel : "-");
    if (s->n_bad_magic + s->n_bad_header_crc + s->n_bad_data_crc +
            s->n_errors ==
        0) {
        fprintf(fp, "  %-16s none\n", "damage");
    } else {
        fprintf(fp,
                "  %-16s %llu bad chunk signature, %llu chunk header "
                "checksum, %llu records checksum, %llu malformed records\n",
                "damage", (unsigned long long)s->n_bad_magic,
                (unsigned long long)s->n_bad_header_crc,
                (unsigned long long)s->n_bad_data_crc,
                (unsigned long long)s->n_errors);
    }
}

static void
file_done(struct dump *d, struct file_ent *fe)
{
    if (d->info) {
        print_info(d, fe);
    }
    vg_evtx_stats_add(&d->total, &fe->st);
    vg_evtx_close(fe->f);
    free(fe);
}

/* Called in order on the submitting thread. */
static int
sink(void *arg, size_t seq, int rc, const struct vg_buf *out)
{
    struct dump *d = arg;
    struct job *j = &d->ring[seq % d->ring_len];
    struct file_ent *fe = j->fe;

    if (out->len > 0 &&
        fwrite(out->data, 1, out->len, d->cli->out) != out->len) {
        return VG_EIO;
    }
    vg_evtx_stats_add(&fe->st, &j->st);
    if (fe->channel[0] == '\0') {
        memcpy(fe->channel, j->channel, sizeof(fe->channel));
    }
    if (rc != VG_OK && rc != VG_ECANCELED) {
        cli_err(d->cli, "%s: chunks %zu-%zu: %s", vg_evtx_name(fe->f), j->chunk,
                j->chunk + j->n_chunks - 1, vg_strerror(rc));
        d->failed = 1;
    }
    if (--fe->pending == 0 && fe->all_submitted) {
        file_done(d, fe);
    }
    return rc == VG_ECANCELED ? rc : VG_OK;
}

static int
open_evidence(const char *path)
{
    int flags = O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY;
    int fd = open(path, flags | O_NOATIME);

    if (fd < 0 && errno == EPERM) { /* O_NOATIME needs ownership */
        fd = open(path, flags);
    }
    return fd;
}

static int
submit_file(struct dump *d, const char *path)
{
    struct file_ent *fe;
    size_t i, n;
    int fd, rc;

    fd = open_evidence(path);
    if (fd < 0) {
        cli_err(d->cli, "%s: %s", path,
                errno == ELOOP ? "is a symbolic link (not followed)"
                               : strerror(errno));
        d->failed = 1;
        return VG_OK;
    }
    fe = calloc(1, sizeof(*fe));
    if (fe == NULL) {
        close(fd);
        return VG_ENOMEM;
    }
    vg_evtx_stats_init(&fe->st);
    rc = vg_evtx_open_fd(d->cli->ctx, fd, path, &fe->f);
    close(fd);
    if (rc != VG_OK) {
        if (rc != VG_EFORMAT) {
            cli_err(d->cli, "%s: %s", path, vg_strerror(rc));
        }
        free(fe);
        d->failed = 1;
        return rc == VG_ENOMEM ? rc : VG_OK;
    }
    d->n_files++;
    n = vg_evtx_chunk_count(fe->f) + ((d->flags & VG_EVTX_CARVE) ? 1 : 0);
    fe->pending = 1; /* held until every chunk is submitted */
    for (i = 0; i < n; i += CHUNKS_PER_JOB) {
        struct job *j = &d->ring[d->next_seq % d->ring_len];
        j->d = d;
        j->fe = fe;
        j->chunk = i;
        j->n_chunks = n - i < CHUNKS_PER_JOB ? n - i : CHUNKS_PER_JOB;
        fe->pending++;
        d->next_seq++;
        rc = vg_pool_submit(d->pool, chunk_job, j);
        if (rc != VG_OK) {
            return rc;
        }
    }
    fe->all_submitted = 1;
    if (--fe->pending == 0) {
        file_done(d, fe);
    }
    return VG_OK;
}

static int
has_evtx_suffix(const char *name)
{
    size_t n = strlen(name);

    return n > 5 && strcasecmp(name + n - 5, ".evtx") == 0;
}

static int
name_cmp(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static int walk(struct dump *d, int dirfd, const char *path, int depth);

/* One directory entry: recurse into directories, submit *.evtx files.
 * fstatat without following: a symlink is neither. */
static int
walk_entry(struct dump *d, int dirfd, const char *dir, const char *name,
           int depth)
{
    struct stat st;
    char path[4096];
    int n = snprintf(path, sizeof(path), "%s/%s", dir, name), fd, rc;

    if (n < 0 || (size_t)n >= sizeof(path) ||
        fstatat(dirfd, name, &st, AT_SYMLINK_NOFOLLOW) != 0) {
        return VG_OK;
    }
    if (S_ISDIR(st.st_mode)) {
        fd = openat(dirfd, name,
                    O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
        if (fd < 0) {
            cli_err(d->cli, "%s: %s", path, strerror(errno));
            return VG_OK;
        }
        rc = walk(d, fd, path, depth + 1);
        return rc;
    }
    if (S_ISREG(st.st_mode) && has_evtx_suffix(name)) {
        return submit_file(d, path);
    }
    return VG_OK;
}

/* Takes ownership of dirfd. Entries in name order, so output is stable. */
static int
walk(struct dump *d, int dirfd, const char *path, int depth)
{
    DIR *dir;
    struct dirent *e;
    char **names = NULL;
    size_t n = 0, cap = 0, i;
    int rc = VG_OK;

    if (depth > MAX_WALK_DEPTH || (dir = fdopendir(dirfd)) == NULL) {
        close(dirfd);
        return VG_OK;
    }
    while (rc == VG_OK && (e = readdir(dir)) != NULL) {
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0) {
            continue;
        }
        if (n == cap) {
            char **nn =
                realloc(names, (cap = cap ? cap * 2 : 32) * sizeof(*names));
            if (nn == NULL) {
                rc = VG_ENOMEM;
                break;
            }
            names = nn;
        }
        if ((names[n] = strdup(e->d_name)) == NULL) {
            rc = VG_ENOMEM;
            break;
        }
        n++;
    }
    if (n > 0) {
        qsort(names, n, sizeof(*names), name_cmp);
    }
    for (i = 0; i < n; i++) {
        if (rc == VG_OK && !vg_ctx_cancelled(d->cli->ctx)) {
            rc = walk_entry(d, dirfd, path, names[i], depth);
        }
        free(names[i]);
    }
    free(names);
    closedir(dir);
    return rc;
}

static int
submit_arg(struct dump *d, char *arg)
{
    struct stat st;
    size_t n = strlen(arg);
    int fd;

    while (n > 1 && arg[n - 1] == '/') { /* "dir/" prints as "dir/x" */
        arg[--n] = '\0';
    }
    if (lstat(arg, &st) == 0 && S_ISDIR(st.st_mode)) {
        fd = open(arg, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
        if (fd < 0) {
            cli_err(d->cli, "%s: %s", arg, strerror(errno));
            d->failed = 1;
            return VG_OK;
        }
        return walk(d, fd, arg, 0);
    }
    return submit_file(d, arg);
}

static int
run(struct dump *d, char **paths, int n_paths)
{
    struct vg_pool_opts po;
    unsigned threads = d->cli->threads ? d->cli->threads : vg_cpu_count();
    int rc = VG_OK, i;

    if (threads > VG_POOL_MAX_THREADS) {
        threads = VG_POOL_MAX_THREADS;
    }
    memset(&po, 0, sizeof(po));
    po.n_threads = threads;
    po.queue_max = 2 * (size_t)threads + 2;
    po.out_max = JOB_OUT_MAX;
    d->ring_len = 2 * po.queue_max + 1;
    d->ring = calloc(d->ring_len, sizeof(*d->ring));
    if (d->ring == NULL ||
        (rc = vg_pool_new(&po, sink, d, &d->pool)) != VG_OK) {
        free(d->ring);
        return VG_ENOMEM;
    }
    for (i = 0; i < n_paths && rc == VG_OK; i++) {
        rc = submit_arg(d, paths[i]);
    }
    if (rc == VG_OK) {
        rc = vg_pool_finish(d->pool);
    }
    vg_pool_free(d->pool);
    free(d->ring);
    while (d->readers.n > 0) {
        vg_evtx_reader_free(d->readers.r[--d->readers.n]);
    }
    return rc;
}

static int
parse_args(struct dump *d, int argc, char **argv, int *first)
{
    static const struct option opts[] = {
        {"carve", no_argument, NULL, 'c'},
        CLI_COMMON_LONGOPTS,
        {NULL, 0, NULL, 0},
    };
    int opt, help = 0;

    optind = 1;
    while ((opt = getopt_long(argc, argv, "+h", opts, NULL)) != -1) {
        if (opt == 'c') {
            d->flags |= VG_EVTX_CARVE;
        } else if (opt == 'h') {
            help = 1;
        } else if (opt == CLI_OPT_FORMAT) {
            if (strcmp(optarg, "jsonl") == 0 || strcmp(optarg, "json") == 0) {
                d->fmt = FMT_JSONL;
            } else if (strcmp(optarg, "xml") == 0) {
                d->fmt = FMT_XML;
            } else {
                cli_err(d->cli, "--format: '%s' is not jsonl or xml", optarg);
                return CLI_EXIT_ERROR;
            }
        } else if (opt == '?') {
            cli_err(d->cli, "try 'vigil evtx --help'");
            return CLI_EXIT_ERROR;
        } else {
            int r = cli_common_parse(d->cli, opt, optarg, &help);
            if (r <= 0) {
                return CLI_EXIT_ERROR;
            }
        }
    }
    if (help) {
        printf("%s\n%s", evtx_help, cli_common_help);
        return CLI_EXIT_CLEAN;
    }
    *first = optind;
    return -1;
}

int
cmd_evtx(int argc, char **argv, struct cli *cli)
{
    struct dump d;
    int first, rc;

    memset(&d, 0, sizeof(d));
    d.cli = cli;
    vg_evtx_stats_init(&d.total);
    if (argc < 2) {
        fprintf(stderr, "%s", evtx_help);
        return CLI_EXIT_ERROR;
    }
    if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
        printf("%s\n%s", evtx_help, cli_common_help);
        return CLI_EXIT_CLEAN;
    }
    if (strcmp(argv[1], "dump") != 0 && strcmp(argv[1], "info") != 0) {
        cli_err(cli, "unknown subcommand '%s' (dump or info)", argv[1]);
        return CLI_EXIT_ERROR;
    }
    d.info = strcmp(argv[1], "info") == 0;
    rc = parse_args(&d, argc - 1, argv + 1, &first);
    if (rc >= 0) {
        return rc;
    }
    if (first + 1 >= argc) {
        cli_err(cli, "%s: no FILE or DIR given", argv[1]);
        return CLI_EXIT_ERROR;
    }
    if (cli_open_output(cli) != 0 ||
        pthread_mutex_init(&d.readers.mu, NULL) != 0) {
        return CLI_EXIT_ERROR;
    }
    rc = run(&d, argv + 1 + first, argc - 1 - first);
    pthread_mutex_destroy(&d.readers.mu);
    if (cli_close_output(cli) != 0) {
        return CLI_EXIT_ERROR;
    }
    if (rc != VG_OK) {
        if (rc != VG_ECANCELED) {
            cli_err(cli, "%s", vg_strerror(rc));
        }
        return CLI_EXIT_ERROR;
    }
    if (!cli->quiet && !d.info) {
        fprintf(stderr,
                "vigil: evtx: %llu files, %llu records%s%llu "
                "recovered, %llu malformed\n",
                (unsigned long long)d.n_files,
                (unsigned long long)d.total.n_records, ", ",
                (unsigned long long)d.total.n_recovered,
                (unsigned long long)d.total.n_errors);
    }
    return d.failed ? CLI_EXIT_ERROR : CLI_EXIT_CLEAN;
}
