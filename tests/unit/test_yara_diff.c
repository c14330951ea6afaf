/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test_yara_diff.c - differential test against the `yara` command line.
 * A test tree (Vigil's fixtures, every 10th signature-base rule file, the
 * signature-base IOC lists, a few system binaries) is scanned by Vigil's
 * file scanner with all of signature-base/yara, and by `yara` with the
 * same rules compiled by `yarac`, given the same Loki/THOR externals per
 * file with -d. The sets of (file, rule) pairs must be equal. Skipped with
 * a message when the corpus or the yara tools are absent.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <pwd.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "test_files_fixtures.h"
#include "vg_test.h"
#include "vigil/err.h"
#include "vigil/files.h"
#include "vigil/fs.h"
#include "vigil/yara.h"

#if defined(__has_include)
#if __has_include("vigil/ioc.h")
#include "vigil/ioc.h"
#define HAVE_IOC 1
#endif
#endif

#define MAX_PAIRS 20000

static char root[256], tree[300], sbyara[512];

struct pairs {
    char **v;
    size_t n;
};

static void
pairs_add(struct pairs *p, const char *path, const char *rule)
{
    size_t len = strlen(path) + strlen(rule) + 2;
    char *s;

    if (p->n == MAX_PAIRS || (s = malloc(len)) == NULL) {
        CHECK(0);
        return;
    }
    (void)snprintf(s, len, "%s\t%s", path, rule);
    p->v[p->n++] = s;
}

static int
cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static void
pairs_free(struct pairs *p)
{
    for (size_t i = 0; i < p->n; i++) {
        free(p->v[i]);
    }
    free(p->v);
}

/* Run argv; stdout into a malloc'd string (NULL on failure). */
static char *
run_capture(const char *const cargv[])
{
    char *argv[1100];
    size_t na = 0;
    int fds[2];
    pid_t pid;
    char *buf = NULL;
    size_t len = 0, cap = 0;
    int status = 0;

    while (cargv[na] != NULL && na + 1 < VG_ARRAY_LEN(argv)) {
        argv[na] = strdup(cargv[na]);
        na++;
    }
    argv[na] = NULL;
    if (pipe(fds) != 0) {
        return NULL;
    }
    pid = fork();
    if (pid == 0) {
        int devnull = open("/dev/null", O_WRONLY);
        dup2(fds[1], 1);
        if (devnull >= 0) {
            dup2(devnull, 2);
        }
        close(fds[0]);
        execvp(argv[0], argv);
        _exit(127);
    }
    close(fds[1]);
    for (;;) {
        ssize_t r;
        if (len + 4096 + 1 > cap) {
            char *nb = realloc(buf, cap = cap * 2 + 8192);
            if (nb == NULL) {
                break;
            }
            buf = nb;
        }
        r = read(fds[0], buf + len, cap - len - 1);
        if (r < 0 && errno == EINTR) {
            continue;
        }
        if (r <= 0) {
            break;
        }
        len += (size_t)r;
    }
    close(fds[0]);
    for (size_t i = 0; i < na; i++) {
        free(argv[i]);
    }
    if (pid < 0 || waitpid(pid, &status, 0) != pid || !WIFEXITED(status) ||
        WEXITSTATUS(status) != 0 || buf == NULL) {
        free(buf);
        return NULL;
    }
    buf[len] = '\0';
    return buf;
}

static int
has_tool(const char *name)
{
    char cmd[128];

    (void)snprintf(cmd, sizeof(cmd), "command -v %s >/dev/null 2>&1", name);
    return system(cmd) == 0;
}

static void sh(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static void
sh(const char *fmt, ...)
{
    char cmd[2048];
    va_list ap;

    va_start(ap, fmt);
    (void)vsnprintf(cmd, sizeof(cmd), fmt, ap);
    va_end(ap);
    CHECK(system(cmd) == 0);
}

static void
build_tree(void)
{
    char tmpl[] = "/tmp/vg_test_ydiff_XXXXXX";
    char *d = mkdtemp(tmpl);
    char p[700];

    REQUIRE(d != NULL);
    (void)snprintf(root, sizeof(root), "%s", d);
    (void)snprintf(tree, sizeof(tree), "%s/tree", root);
    for (size_t i = 0; i < VG_ARRAY_LEN(fixtures); i++) {
        size_t len =
            fixtures[i].len != 0 ? fixtures[i].len : strlen(fixtures[i].data);
        FILE *f;
        (void)snprintf(p, sizeof(p), "%s/vigil/%s", tree, fixtures[i].path);
        sh("mkdir -p \"$(dirname '%s')\"", p);
        f = fopen(p, "wb");
        REQUIRE(f != NULL);
        CHECK(fwrite(fixtures[i].data, 1, len, f) == len);
        fclose(f);
    }
    sh("mkdir -p '%s/sb' '%s/bin'", tree, tree);
    (void)snprintf(p, sizeof(p), "%s/sb", tree);
    sh("cd '%s' && ls | LC_ALL=C sort | awk 'NR %% 10 == 1' | "
       "xargs -I{} cp {} '%s/'",
       sbyara, p);
    sh("cp %s/../iocs/*.txt '%s/'", sbyara, p);
    (void)snprintf(p, sizeof(p), "%s/bin", tree);
    sh("cp /bin/ls /bin/sh /usr/bin/yara '%s/'", p);
    /* Small "MZ" files named like Windows system binaries: rules that
     * test filename, filepath and extension (anomaly rules) fire on them,
     * so the externals are compared too. */
    (void)snprintf(p, sizeof(p), "%s/Windows/System32", tree);
    sh("mkdir -p '%s' && cd '%s' && for f in explorer.exe iexplore.exe "
       "svchost.exe csrss.exe lsass.exe Notepad.EXE; do "
       "{ printf 'MZ'; head -c 3000 /dev/zero; } > $f; done",
       p, p);
}

/* --- Vigil side ------------------------------------------------------------
 */

struct vside {
    struct vg_files_worker *w;
    struct pairs *p;
    int rc;
};

static int
collect(const struct vg_finding *f, void *arg)
{
    struct pairs *p = arg;

    /* IOC findings (signature-base lists, when loaded) are not YARA's */
    if (strcmp(f->rule.source, "yara") == 0) {
        pairs_add(p, f->evidence.path, f->rule.name);
    }
    return VG_OK;
}

#ifdef HAVE_IOC
/* All of signature-base: the hash and file-name lists ride along, as in
 * a Loki run; they must not change which rules match. */
static struct vg_ioc_store *
load_sb_iocs(void)
{
    static const char *const lists[] = {"hash-iocs.txt", "filename-iocs.txt"};
    struct vg_ioc_store *st = NULL;
    struct vg_ioc_import_opts io;
    struct vg_ioc_import_stats stats;
    struct vg_diag d;
    char p[700];

    if (vg_ioc_store_new(&st) != VG_OK) {
        return NULL;
    }
    vg_ioc_import_opts_init(&io);
    memset(&stats, 0, sizeof(stats));
    for (size_t i = 0; i < VG_ARRAY_LEN(lists); i++) {
        (void)snprintf(p, sizeof(p), "%s/../iocs/%s", sbyara, lists[i]);
        vg_diag_clear(&d);
        CHECK_RC(vg_ioc_import_file(st, p, &io, &stats, &d), VG_OK);
    }
    CHECK(vg_ioc_store_seal(st) >= 0);
    return st;
}
#else
struct vg_ioc_store;
static struct vg_ioc_store *
load_sb_iocs(void)
{
    return NULL;
}
static void
vg_ioc_store_free(struct vg_ioc_store *st)
{
    (void)st;
}
#endif

static int
on_file(void *arg, const struct vg_walk_entry *e)
{
    struct vside *v = arg;
    struct vg_files_job job = {.fd = e->fd,
                               .path = e->path,
                               .st = e->st,
                               .emit = collect,
                               .arg = v->p};
    struct vg_files_result res;
    int rc = vg_files_scan(v->w, &job, &res);

    close(e->fd);
    CHECK(res.is_yara_scanned);
    return rc;
}

static int
vigil_scan(struct pairs *p)
{
    char cache[400];
    const char *paths[1] = {sbyara};
    struct vg_yara_load_opts lo = {
        .paths = paths, .n_paths = 1, .cache_dir = cache};
    struct vg_yara_load_info info;
    struct vg_yara_rules *r = NULL;
    struct vg_files_opts fo = {0};
    struct vg_ioc_store *iocs = NULL;
    struct vg_files *files = NULL;
    struct vside v = {.p = p};
    struct vg_walk_opts wo = {.on_file = on_file, .arg = &v};
    int rc;

    (void)snprintf(cache, sizeof(cache), "%s/cache", root);
    rc = vg_yara_load(NULL, &lo, &r, &info, NULL);
    if (rc != VG_OK) {
        return rc;
    }
    CHECK_EQ_UINT(info.n_failed, 0);
    fo.rules = r;
    iocs = load_sb_iocs();
    fo.iocs = iocs;
    fo.max_size = 1ull << 30;
    rc = vg_files_new(NULL, &fo, &files);
    if (rc == VG_OK) {
        rc = vg_files_worker_new(files, &v.w);
    }
    if (rc == VG_OK) {
        rc = vg_walk(NULL, tree, &wo, NULL);
    }
    vg_files_worker_free(v.w);
    vg_files_free(files);
    vg_ioc_store_free(iocs);
    vg_yara_rules_free(r);
    return rc;
}

/* --- yara side --------------------------------------------------------------
 */

static int
compile_with_yarac(const char *out)
{
    const char *argv[1024];
    char *own[1024];
    size_t n = 0, n_own = 0;
    struct dirent **ents = NULL;
    int ne = scandir(sbyara, &ents, NULL, alphasort);
    static const char *const defs[] = {
        "filename=", "filepath=", "extension=", "filetype=", "owner="};
    char *res;

    if (ne < 0) {
        return -1;
    }
    argv[n++] = "yarac";
    for (size_t i = 0; i < VG_ARRAY_LEN(defs); i++) {
        argv[n++] = "-d";
        argv[n++] = defs[i];
    }
    for (int i = 0; i < ne; i++) {
        const char *nm = ents[i]->d_name;
        const char *dot = strrchr(nm, '.');
        if (n < VG_ARRAY_LEN(argv) - 3 && dot != NULL &&
            (strcmp(dot, ".yar") == 0 || strcmp(dot, ".yara") == 0)) {
            size_t l = strlen(sbyara) + strlen(nm) + 2;
            char *full = malloc(l);
            if (full != NULL) {
                (void)snprintf(full, l, "%s/%s", sbyara, nm);
                own[n_own++] = full;
                argv[n++] = full;
            }
        }
    }
    argv[n++] = out;
    argv[n] = NULL;
    res = run_capture(argv);
    for (size_t i = 0; i < n_own; i++) {
        free(own[i]);
    }
    for (int i = 0; i < ne; i++) {
        free(ents[i]);
    }
    free(ents);
    free(res);
    return res != NULL ? 0 : -1;
}

/* Parse "RULE PATH" lines of one yara run. */
static void
parse_yara_out(struct pairs *p, char *out, const char *path)
{
    char *save = NULL;

    for (char *l = strtok_r(out, "\n", &save); l != NULL;
         l = strtok_r(NULL, "\n", &save)) {
        char *sp = strchr(l, ' ');
        if (sp == NULL || strcmp(sp + 1, path) != 0) {
            CHECK(0);
            continue;
        }
        *sp = '\0';
        pairs_add(p, path, l);
    }
}

struct yside {
    const char *yarc;
    const char *owner;
    struct pairs *p;
    int n_fail;
};

static int
on_file_yara(void *arg, const struct vg_walk_entry *e)
{
    struct yside *y = arg;
    char fn[600], fp[4200], ext[80], ft[64], own[128];
    const char *dot = strrchr(e->name, '.');
    uint8_t head[16];
    ssize_t hn = read(e->fd, head, sizeof(head));
    const char *argv[16];
    char *out;
    size_t i = 0;

    close(e->fd);
    (void)snprintf(fn, sizeof(fn), "filename=%s", e->name);
    (void)snprintf(fp, sizeof(fp), "filepath=%s", e->path);
    (void)snprintf(ext, sizeof(ext), "extension=");
    if (dot != NULL && dot != e->name) {
        for (i = 0; dot[i] != '\0' && i < 60; i++) {
            char c = dot[i];
            ext[10 + i] = (c >= 'A' && c <= 'Z') ? (char)(c + 32) : c;
        }
        ext[10 + i] = '\0';
    }
    (void)snprintf(ft, sizeof(ft), "filetype=%s",
                   vg_yara_filetype(head, hn > 0 ? (size_t)hn : 0));
    (void)snprintf(own, sizeof(own), "owner=%s", y->owner);
    i = 0;
    argv[i++] = "yara";
    argv[i++] = "-C";
    argv[i++] = "-d";
    argv[i++] = fn;
    argv[i++] = "-d";
    argv[i++] = fp;
    argv[i++] = "-d";
    argv[i++] = ext;
    argv[i++] = "-d";
    argv[i++] = ft;
    argv[i++] = "-d";
    argv[i++] = own;
    argv[i++] = y->yarc;
    argv[i++] = e->path;
    argv[i] = NULL;
    out = run_capture(argv);
    if (out == NULL) {
        y->n_fail++;
        return VG_OK;
    }
    parse_yara_out(y->p, out, e->path);
    free(out);
    return VG_OK;
}

static void
report_diff(const struct pairs *a, const struct pairs *b)
{
    size_t i = 0, j = 0;
    int shown = 0;

    while ((i < a->n || j < b->n) && shown < 40) {
        int c = i == a->n ? 1 : j == b->n ? -1 : strcmp(a->v[i], b->v[j]);
        if (c == 0) {
            i++;
            j++;
            continue;
        }
        fprintf(stderr, "# only in %s: %s\n", c < 0 ? "vigil" : "yara",
                c < 0 ? a->v[i] : b->v[j]);
        shown++;
        if (c < 0) {
            i++;
        } else {
            j++;
        }
    }
}

static void
t_same_matches_as_yara_cli(void)
{
    const char *corpora = vg_test_env("VG_CORPORA");
    struct pairs ours = {calloc(MAX_PAIRS, sizeof(char *)), 0};
    struct pairs theirs = {calloc(MAX_PAIRS, sizeof(char *)), 0};
    struct passwd *pw = getpwuid(geteuid());
    char yarc[400];
    struct yside y = {.yarc = yarc, .p = &theirs};
    struct vg_walk_opts wo = {.on_file = on_file_yara, .arg = &y};
    struct stat st;

    (void)snprintf(sbyara, sizeof(sbyara), "%s/signature-base/yara",
                   corpora != NULL ? corpora : "");
    if (corpora == NULL || stat(sbyara, &st) != 0) {
        vg_test_skip("corpus not found: signature-base/yara");
        goto out;
    }
    if (!has_tool("yara") || !has_tool("yarac")) {
        vg_test_skip("yara command line not installed");
        goto out;
    }
    REQUIRE(ours.v != NULL && theirs.v != NULL && pw != NULL);
    y.owner = pw->pw_name;
    build_tree();
    CHECK_RC(vigil_scan(&ours), VG_OK);
    (void)snprintf(yarc, sizeof(yarc), "%s/sb.yarc", root);
    REQUIRE(compile_with_yarac(yarc) == 0);
    CHECK_RC(vg_walk(NULL, tree, &wo, NULL), VG_OK);
    CHECK_EQ_INT(y.n_fail, 0);
    qsort(ours.v, ours.n, sizeof(char *), cmp_str);
    qsort(theirs.v, theirs.n, sizeof(char *), cmp_str);
    fprintf(stderr, "# %zu (file, rule) pairs from vigil, %zu from yara\n",
            ours.n, theirs.n);
    CHECK(theirs.n >= 50); /* the tree really exercises the rules */
    CHECK_EQ_UINT(ours.n, theirs.n);
    report_diff(&ours, &theirs);
    for (size_t i = 0; i < ours.n && i < theirs.n; i++) {
        if (!CHECK_EQ_STR(ours.v[i], theirs.v[i])) {
            break;
        }
    }
    sh("rm -rf '%s'", root);
out:
    pairs_free(&ours);
    pairs_free(&theirs);
}

static const struct vg_test tests[] = {
    T(t_same_matches_as_yara_cli),
};

int
main(int argc, char **argv)
{
    return vg_test_main(argc, argv, tests, VG_ARRAY_LEN(tests));
}
