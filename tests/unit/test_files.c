/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test_files.c - the file scanner end to end in the library (walker +
 * vg_files + Vigil's rules): a fixture tree built here gives exactly the
 * expected findings with the expected fields; a scan leaves atime, mtime
 * and ctime of every file and folder unchanged (on a file system where a
 * plain read would move atime); a read-only tree scans the same; files
 * over max_size are hashed but not YARA-scanned; hash and file-name IOCs
 * (when the IOC module is in the build).
 */
#define _GNU_SOURCE /* utimensat, AT_SYMLINK_NOFOLLOW */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/alloc.h"
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

static char root[256];
static int is_oom_test;

static void
make_root(void)
{
    char tmpl[] = "/tmp/vg_test_files_XXXXXX";
    char *d = mkdtemp(tmpl);

    if (d == NULL) {
        CHECK(0);
        return;
    }
    (void)snprintf(root, sizeof(root), "%s", d);
}

static void
rm_root(void)
{
    char cmd[600];

    (void)snprintf(cmd, sizeof(cmd), "chmod -R u+rwx '%s'; rm -rf '%s'", root,
                   root);
    CHECK(system(cmd) == 0);
}

static void
put(const char *rel, const char *data, size_t len)
{
    char p[600], cmd[700];
    FILE *f;

    (void)snprintf(cmd, sizeof(cmd), "mkdir -p \"$(dirname '%s/%s')\"", root,
                   rel);
    CHECK(system(cmd) == 0);
    (void)snprintf(p, sizeof(p), "%s/%s", root, rel);
    f = fopen(p, "wb");
    if (f == NULL) {
        CHECK(0);
        return;
    }
    CHECK(fwrite(data, 1, len, f) == len);
    fclose(f);
}

/* The tree: every fixture, plus things the scanner must not report. */
static void
build_tree(void)
{
    char p[600], t[600];
    static char big[8192];

    for (size_t i = 0; i < VG_ARRAY_LEN(fixtures); i++) {
        size_t len =
            fixtures[i].len != 0 ? fixtures[i].len : strlen(fixtures[i].data);
        put(fixtures[i].path, fixtures[i].data, len);
    }
    put("empty", "", 0);
    /* over max_size (4096 in these tests): hashed, not YARA-scanned */
    memset(big, 'x', sizeof(big));
    memcpy(big + 100, fx_stager_array, strlen(fx_stager_array));
    put("big/loader_big.cs", big, sizeof(big));
    /* a link to a positive fixture: not followed, so no second finding */
    (void)snprintf(t, sizeof(t), "%s/tasks/test.xml", root);
    (void)snprintf(p, sizeof(p), "%s/link.xml", root);
    CHECK(symlink(t, p) == 0);
    (void)snprintf(p, sizeof(p), "%s/fifo", root);
    CHECK(mkfifo(p, 0644) == 0);
}

/* Collected findings as "relpath rule" lines, plus a few full records. */
struct got {
    char lines[8192];
    size_t len;
    int n;
    int checked_exec; /* fields of the test.xml finding were checked */
};

static const char *
extra_get(const struct vg_finding *f, const char *key)
{
    for (size_t i = 0; i < f->n_extra; i++) {
        if (strcmp(f->extra[i].key, key) == 0) {
            return f->extra[i].value;
        }
    }
    return NULL;
}

static void
check_exec_finding(struct got *g, const struct vg_finding *f)
{
    struct vg_digests d;
    char hex[65];

    CHECK_RC(vg_digest_mem(VG_DIGEST_ALL, fx_msbuild_exec,
                           strlen(fx_msbuild_exec), &d),
             VG_OK);
    CHECK_EQ_STR(f->module, "files");
    CHECK_EQ_INT(f->score, 90);
    CHECK_EQ_INT(f->severity, VG_SEV_CRITICAL);
    CHECK_EQ_STR(f->rule.source, "yara");
    CHECK_EQ_STR(f->reason, "MSBuild inline C# task allocates executable "
                            "memory and runs it (shellcode loader)");
    CHECK_EQ_STR(f->rule.reference,
                 "https://lolbas-project.github.io/lolbas/Binaries/Msbuild/");
    CHECK_EQ_STR(extra_get(f, "md5"), vg_hex(d.md5, 16, hex));
    CHECK_EQ_STR(extra_get(f, "sha1"), vg_hex(d.sha1, 20, hex));
    CHECK_EQ_STR(extra_get(f, "sha256"), vg_hex(d.sha256, 32, hex));
    (void)snprintf(hex, sizeof(hex), "%zu", strlen(fx_msbuild_exec));
    CHECK_EQ_STR(extra_get(f, "size"), hex);
    CHECK_EQ_STR(extra_get(f, "meta.mitre"), "T1127.001");
    CHECK(extra_get(f, "mtime") != NULL && extra_get(f, "atime") != NULL &&
          extra_get(f, "ctime") != NULL);
    /* first matched string: VirtualAlloc, with its offset */
    REQUIRE(f->evidence.n_values >= 2);
    CHECK_EQ_STR(f->evidence.values[0].key, "$alloc1");
    CHECK_EQ_UINT(
        f->evidence.offset,
        (uint64_t)(strstr(fx_msbuild_exec, "VirtualAlloc") - fx_msbuild_exec));
    (void)snprintf(hex, sizeof(hex), "0x%llx: VirtualAlloc",
                   (unsigned long long)f->evidence.offset);
    CHECK_EQ_STR(f->evidence.values[0].value, hex);
    g->checked_exec = 1;
}

static int
collect(const struct vg_finding *f, void *arg)
{
    struct got *g = arg;
    const char *rel = f->evidence.path + strlen(root) + 1;
    int n = snprintf(g->lines + g->len, sizeof(g->lines) - g->len, "%s %s\n",
                     rel, f->rule.name != NULL ? f->rule.name : f->rule.id);

    if (n > 0 && (size_t)n < sizeof(g->lines) - g->len) {
        g->len += (size_t)n;
    }
    g->n++;
    if (strcmp(rel, "tasks/test.xml") == 0 && !is_oom_test) {
        check_exec_finding(g, f); /* allocates: not under fault injection */
    }
    return VG_OK;
}

struct walk_arg {
    int is_windows_root;
    struct vg_files_worker *w;
    struct got *g;
    uint64_t n_too_large, n_yara;
    int rc;
};

static int
on_file(void *arg, const struct vg_walk_entry *e)
{
    struct walk_arg *wa = arg;
    struct vg_files_job job = {.fd = e->fd,
                               .path = e->path,
                               .st = e->st,
                               .emit = collect,
                               .arg = wa->g,
                               .root_len = strlen(root),
                               .is_windows_root = wa->is_windows_root};
    struct vg_files_result res;
    int rc = vg_files_scan(wa->w, &job, &res);

    close(e->fd);
    wa->n_too_large += res.is_too_large ? 1u : 0u;
    wa->n_yara += res.is_yara_scanned ? 1u : 0u;
    if (rc != VG_OK) {
        wa->rc = rc;
    }
    return rc;
}

static struct vg_yara_rules *
vigil_rules(void)
{
    const char *src = vg_test_env("VG_SRC_DIR");
    char p[512];
    const char *paths[1] = {p};
    struct vg_yara_load_opts o = {
        .paths = paths, .n_paths = 1, .cache_dir = ""};
    struct vg_yara_rules *r = NULL;

    if (src == NULL) {
        return NULL;
    }
    (void)snprintf(p, sizeof(p), "%s/rules/yara", src);
    CHECK_RC(vg_yara_load(NULL, &o, &r, NULL, NULL), VG_OK);
    return r;
}

static int
cmp_lines(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* Sort the lines of s in place (s ends in '\n'). */
static void
sort_lines(char *s, size_t cap)
{
    char *copy = strdup(s), *lines[256], *save = NULL;
    size_t n = 0, o = 0;

    if (copy == NULL) {
        return;
    }
    for (char *l = strtok_r(copy, "\n", &save); l != NULL && n < 256;
         l = strtok_r(NULL, "\n", &save)) {
        lines[n++] = l;
    }
    qsort(lines, n, sizeof(*lines), cmp_lines);
    for (size_t i = 0; i < n; i++) {
        int k = snprintf(s + o, cap - o, "%s\n", lines[i]);
        o += k > 0 && (size_t)k < cap - o ? (size_t)k : 0;
    }
    free(copy);
}

/* The expected "relpath rule" lines from the fixture table. */
static void
expected_lines(char *out, size_t cap)
{
    size_t o = 0;

    out[0] = '\0';
    for (size_t i = 0; i < VG_ARRAY_LEN(fixtures); i++) {
        char names[512], *save = NULL;
        (void)snprintf(names, sizeof(names), "%s", fixtures[i].expect);
        for (char *r = strtok_r(names, ",", &save); r != NULL;
             r = strtok_r(NULL, ",", &save)) {
            int n = snprintf(out + o, cap - o, "%s %s\n", fixtures[i].path, r);
            o += n > 0 ? (size_t)n : 0;
        }
    }
    sort_lines(out, cap);
}

static int
scan_tree(struct vg_files *files, struct got *g, struct walk_arg *wa)
{
    struct vg_walk_opts wo = {.on_file = on_file, .arg = wa};
    int rc;

    int is_win = wa->is_windows_root;

    memset(wa, 0, sizeof(*wa));
    wa->is_windows_root = is_win;
    memset(g, 0, sizeof(*g));
    wa->g = g;
    rc = vg_files_worker_new(files, &wa->w);
    if (rc != VG_OK) {
        return rc;
    }
    rc = vg_walk(NULL, root, &wo, NULL);
    vg_files_worker_free(wa->w);
    sort_lines(g->lines, sizeof(g->lines));
    return rc;
}

static void
t_fixture_tree_exact(void)
{
    struct vg_yara_rules *r = vigil_rules();
    struct vg_files_opts fo = {.rules = r, .max_size = 4096};
    struct vg_files *files = NULL;
    struct got g;
    struct walk_arg wa;
    char want[8192];

    REQUIRE(r != NULL);
    make_root();
    build_tree();
    REQUIRE_RC(vg_files_new(NULL, &fo, &files), VG_OK);
    CHECK_EQ_UINT(vg_files_digests(files), 0); /* no IOCs, no --hash */
    CHECK_RC(scan_tree(files, &g, &wa), VG_OK);
    expected_lines(want, sizeof(want));
    CHECK_EQ_STR(g.lines, want);
    CHECK(g.checked_exec);
    CHECK_EQ_UINT(wa.n_too_large, 1);
    CHECK_EQ_UINT(wa.n_yara, VG_ARRAY_LEN(fixtures) + 1); /* + empty */
    vg_files_free(files);
    vg_yara_rules_free(r);
    rm_root();
}

struct times {
    char path[512];
    struct timespec a, m, c;
};

/* Old atime (before mtime): under relatime a plain read would update it. */
static void
age_and_record(struct times *t, size_t *n, size_t cap)
{
    char cmd[600];
    FILE *p;

    (void)snprintf(cmd, sizeof(cmd), "find '%s' ! -type l", root);
    p = popen(cmd, "r");
    if (p == NULL) {
        CHECK(0);
        return;
    }
    *n = 0;
    while (*n < cap && fgets(t[*n].path, sizeof(t[*n].path), p) != NULL) {
        struct timespec ts[2] = {{978307200, 0}, {1009843200, 0}};
        struct stat st;
        t[*n].path[strcspn(t[*n].path, "\n")] = '\0';
        CHECK(utimensat(AT_FDCWD, t[*n].path, ts, AT_SYMLINK_NOFOLLOW) == 0);
        CHECK(lstat(t[*n].path, &st) == 0);
        t[*n].a = st.st_atim;
        t[*n].m = st.st_mtim;
        t[*n].c = st.st_ctim;
        (*n)++;
    }
    pclose(p);
}

static int
same_ts(struct timespec a, struct timespec b)
{
    return a.tv_sec == b.tv_sec && a.tv_nsec == b.tv_nsec;
}

static void
check_unchanged(const struct times *t, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        struct stat st;
        CHECK(lstat(t[i].path, &st) == 0);
        if (!CHECK(same_ts(st.st_atim, t[i].a) && same_ts(st.st_mtim, t[i].m) &&
                   same_ts(st.st_ctim, t[i].c))) {
            fprintf(stderr, "# times changed: %s\n", t[i].path);
        }
    }
}

/* Control: a plain read of an aged file moves its atime here, so the
 * read-only check below can fail. Returns 0 when it does not (noatime). */
static int
atime_moves_on_read(void)
{
    char p[600], buf[8];
    struct timespec ts[2] = {{978307200, 0}, {1009843200, 0}};
    struct stat st;
    int fd;

    (void)snprintf(p, sizeof(p), "%s/.control", root);
    put(".control", "control", 7);
    CHECK(utimensat(AT_FDCWD, p, ts, 0) == 0);
    fd = open(p, O_RDONLY);
    if (fd < 0 || read(fd, buf, sizeof(buf)) < 0) {
        CHECK(0);
    }
    close(fd);
    CHECK(lstat(p, &st) == 0);
    CHECK(unlink(p) == 0);
    return st.st_atim.tv_sec != 978307200;
}

static void
t_read_only_times_and_tree(void)
{
    static struct times t[128];
    struct vg_yara_rules *r = vigil_rules();
    struct vg_files_opts fo = {
        .rules = r, .always_digests = VG_DIGEST_ALL, .max_size = 4096};
    struct vg_files *files = NULL;
    struct got g, g2;
    struct walk_arg wa;
    size_t n = 0;
    char cmd[600];

    REQUIRE(r != NULL);
    make_root();
    build_tree();
    if (!atime_moves_on_read()) {
        vg_test_skip("reads do not update atime here (noatime mount)");
    }
    REQUIRE_RC(vg_files_new(NULL, &fo, &files), VG_OK);
    age_and_record(t, &n, VG_ARRAY_LEN(t));
    CHECK(n >= VG_ARRAY_LEN(fixtures) + 3);
    CHECK_RC(scan_tree(files, &g, &wa), VG_OK);
    check_unchanged(t, n); /* files and folders: atime, mtime, ctime */
    /* the same scan on a tree nobody may write to */
    (void)snprintf(cmd, sizeof(cmd), "chmod -R a-w '%s'", root);
    CHECK(system(cmd) == 0);
    age_and_record(t, &n, VG_ARRAY_LEN(t));
    CHECK_RC(scan_tree(files, &g2, &wa), VG_OK);
    check_unchanged(t, n);
    CHECK_EQ_STR(g2.lines, g.lines);
    CHECK(g.n > 0);
    vg_files_free(files);
    vg_yara_rules_free(r);
    rm_root();
}

#ifdef HAVE_IOC
static void
t_ioc_hash_and_name(void)
{
    struct vg_ioc_store *st = NULL;
    struct vg_ioc_import_opts io;
    struct vg_ioc_import_stats stats;
    struct vg_files_opts fo = {0};
    struct vg_files *files = NULL;
    struct vg_digests d;
    struct got g;
    struct walk_arg wa;
    struct vg_diag dg;
    char list[600], hex[65], text[256];

    make_root();
    build_tree();
    CHECK_RC(vg_digest_mem(VG_DIGEST_ALL, fx_webshell, strlen(fx_webshell), &d),
             VG_OK);
    (void)snprintf(text, sizeof(text), "%s;Test web shell\n",
                   vg_hex(d.sha256, 32, hex));
    put("../hash-iocs.txt", text, strlen(text));
    (void)snprintf(text, sizeof(text),
                   "# Test name IOC\nC:\\\\bin\\\\stage\\.bin;80\n");
    put("../filename-iocs.txt", text, strlen(text));
    REQUIRE_RC(vg_ioc_store_new(&st), VG_OK);
    vg_ioc_import_opts_init(&io);
    memset(&stats, 0, sizeof(stats));
    (void)snprintf(list, sizeof(list), "%s/../hash-iocs.txt", root);
    CHECK_RC(vg_ioc_import_file(st, list, &io, &stats, &dg), VG_OK);
    (void)snprintf(list, sizeof(list), "%s/../filename-iocs.txt", root);
    CHECK_RC(vg_ioc_import_file(st, list, &io, &stats, &dg), VG_OK);
    CHECK(vg_ioc_store_seal(st) >= 0);
    fo.iocs = st;
    REQUIRE_RC(vg_files_new(NULL, &fo, &files), VG_OK);
    CHECK_EQ_UINT(vg_files_digests(files), VG_DIGEST_SHA256);
    CHECK_RC(scan_tree(files, &g, &wa), VG_OK);
    /* the web shell content sits in three files; the name IOC, written
     * for C:\\, hits bin/stage.bin below the scanned root */
    CHECK_EQ_INT(g.n, 4);
    CHECK(strstr(g.lines, "bin/stage.bin") != NULL);
    CHECK(strstr(g.lines, "www/shell.aspx") != NULL);
    vg_files_free(files);
    vg_ioc_store_free(st);
    (void)snprintf(list, sizeof(list), "%s/../hash-iocs.txt", root);
    (void)unlink(list);
    (void)snprintf(list, sizeof(list), "%s/../filename-iocs.txt", root);
    (void)unlink(list);
    rm_root();
}
/* A known-good hash (Loki false-positive list) silences every finding on
 * that file, YARA included. */
static void
t_ioc_false_positive(void)
{
    struct vg_yara_rules *r = vigil_rules();
    struct vg_ioc_store *fp = NULL;
    struct vg_files_opts fo = {.rules = r, .max_size = 4096};
    struct vg_files *files = NULL;
    struct vg_digests d;
    struct got g;
    struct walk_arg wa;
    char hex[65];
    uint32_t id;

    REQUIRE(r != NULL);
    make_root();
    put("tasks/test.xml", fx_msbuild_exec, strlen(fx_msbuild_exec));
    put("tasks/copy.xml", fx_msbuild_exec, strlen(fx_msbuild_exec) - 1);
    CHECK_RC(vg_digest_mem(VG_DIGEST_MD5, fx_msbuild_exec,
                           strlen(fx_msbuild_exec), &d),
             VG_OK);
    REQUIRE_RC(vg_ioc_store_new(&fp), VG_OK);
    vg_hex(d.md5, 16, hex);
    CHECK(vg_ioc_add(fp, VG_IOC_MD5, hex, 32, 0, NULL, NULL, &id) >= 0);
    CHECK(vg_ioc_store_seal(fp) >= 0);
    fo.fp_iocs = fp;
    REQUIRE_RC(vg_files_new(NULL, &fo, &files), VG_OK);
    CHECK_EQ_UINT(vg_files_digests(files), VG_DIGEST_MD5);
    is_oom_test = 1; /* the remaining file's fields are not the fixture's */
    CHECK_RC(scan_tree(files, &g, &wa), VG_OK);
    is_oom_test = 0;
    CHECK_EQ_STR(g.lines,
                 "tasks/copy.xml VIGIL_MSBuild_InlineTask_Memory_Exec\n");
    vg_files_free(files);
    vg_ioc_store_free(fp);
    vg_yara_rules_free(r);
    rm_root();
}
#else
static void
t_ioc_hash_and_name(void)
{
    vg_test_skip("IOC module (vigil/ioc.h) not in this build");
}

static void
t_ioc_false_positive(void)
{
    vg_test_skip("IOC module (vigil/ioc.h) not in this build");
}
#endif

/* Allocation failures anywhere in set-up or scanning give VG_ENOMEM and
 * leak nothing; once allocations suffice the findings are complete. */
static void
t_oom_scan(void)
{
    struct vg_yara_rules *r = vigil_rules();
    struct vg_files_opts fo = {
        .rules = r, .always_digests = VG_DIGEST_ALL, .max_size = 4096};
    int done = 0;

    REQUIRE(r != NULL);
    make_root();
    put("tasks/test.xml", fx_msbuild_exec, strlen(fx_msbuild_exec));
    is_oom_test = 1;
    for (long k = 0; k < 300 && !done; k++) {
        struct vg_files *files = NULL;
        struct got g;
        struct walk_arg wa;
        int rc;
        vg_alloc_fail_after(k);
        rc = vg_files_new(NULL, &fo, &files);
        if (rc == VG_OK) {
            rc = scan_tree(files, &g, &wa);
        }
        vg_alloc_fail_after(-1);
        vg_files_free(files);
        if (rc == VG_OK) {
            CHECK_EQ_STR(g.lines, "tasks/test.xml "
                                  "VIGIL_MSBuild_InlineTask_Memory_Exec\n");
            done = 1;
        } else if (!CHECK_RC(rc, VG_ENOMEM)) {
            break;
        }
    }
    is_oom_test = 0;
    CHECK(done);
    vg_yara_rules_free(r);
    rm_root();
}

/* --windows-root: YARA's filepath is the live system's path, so rules
 * written for "C:\\..." (signature-base's ScreenConnect App_Data rules)
 * match mounted evidence; without it the path is the Unix one. */
static void
t_windows_root_filepath(void)
{
    char rp[600];
    const char *paths[1] = {rp};
    struct vg_yara_load_opts lo = {
        .paths = paths, .n_paths = 1, .cache_dir = ""};
    struct vg_yara_rules *r = NULL;
    struct vg_files_opts fo = {0};
    struct vg_files *files = NULL;
    struct got g;
    struct walk_arg wa = {0};
    static const char rule[] =
        "rule AppData { condition: filepath matches "
        "/^C:\\\\Program Files "
        "\\(x86\\)\\\\ScreenConnect\\\\App_Data\\\\User\\.xml$/ }\n";

    make_root();
    put("Program Files (x86)/ScreenConnect/App_Data/User.xml", "<Users/>", 8);
    (void)snprintf(rp, sizeof(rp), "%s.yar", root);
    {
        FILE *f = fopen(rp, "w");
        REQUIRE(f != NULL);
        fputs(rule, f);
        fclose(f);
    }
    REQUIRE_RC(vg_yara_load(NULL, &lo, &r, NULL, NULL), VG_OK);
    fo.rules = r;
    REQUIRE_RC(vg_files_new(NULL, &fo, &files), VG_OK);
    CHECK_RC(scan_tree(files, &g, &wa), VG_OK);
    CHECK_EQ_STR(g.lines, "");
    wa.is_windows_root = 1;
    CHECK_RC(scan_tree(files, &g, &wa), VG_OK);
    CHECK_EQ_STR(
        g.lines,
        "Program Files (x86)/ScreenConnect/App_Data/User.xml AppData\n");
    vg_files_free(files);
    vg_yara_rules_free(r);
    (void)unlink(rp);
    rm_root();
}

static void
t_severity_scale(void)
{
    CHECK_EQ_INT(vg_files_severity(100), VG_SEV_CRITICAL);
    CHECK_EQ_INT(vg_files_severity(90), VG_SEV_CRITICAL);
    CHECK_EQ_INT(vg_files_severity(89), VG_SEV_HIGH);
    CHECK_EQ_INT(vg_files_severity(70), VG_SEV_HIGH);
    CHECK_EQ_INT(vg_files_severity(60), VG_SEV_MEDIUM);
    CHECK_EQ_INT(vg_files_severity(40), VG_SEV_MEDIUM);
    CHECK_EQ_INT(vg_files_severity(20), VG_SEV_LOW);
    CHECK_EQ_INT(vg_files_severity(0), VG_SEV_INFO);
}

static const struct vg_test tests[] = {
    T(t_fixture_tree_exact),
    T(t_read_only_times_and_tree),
    T(t_ioc_hash_and_name),
    T(t_ioc_false_positive),
    T(t_windows_root_filepath),
    T(t_severity_scale),
    T(t_oom_scan),
};

int
main(int argc, char **argv)
{
    return vg_test_main(argc, argv, tests, VG_ARRAY_LEN(tests));
}
