/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test_fs.c - the read-only walker and the digests (vigil/fs.h): visiting
 * order, links not followed, special files skipped, excludes, max depth,
 * one file system, permission errors counted (in a child that drops root),
 * and digest values against published test vectors. Trees are built by
 * the tests in a fresh temporary folder.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "vg_test.h"
#include "vigil/err.h"
#include "vigil/fs.h"

static char root[256];

static void
put(const char *rel, const char *content)
{
    char p[512];
    FILE *f;

    (void)snprintf(p, sizeof(p), "%s/%s", root, rel);
    f = fopen(p, "wb");
    if (f == NULL) {
        CHECK(0);
        return;
    }
    fputs(content, f);
    fclose(f);
}

static void
mkd(const char *rel)
{
    char p[512];

    (void)snprintf(p, sizeof(p), "%s/%s", root, rel);
    CHECK(mkdir(p, 0755) == 0);
}

static void
make_root(void)
{
    char tmpl[] = "/tmp/vg_test_fs_XXXXXX";
    char *d = mkdtemp(tmpl);

    REQUIRE(d != NULL);
    (void)snprintf(root, sizeof(root), "%s", d);
}

static void
rm_root(void)
{
    char cmd[600];

    (void)snprintf(cmd, sizeof(cmd),
                   "chmod -R u+rwx '%s' 2>/dev/null; rm -rf '%s'", root, root);
    CHECK(system(cmd) == 0);
}

/* Records visited paths relative to root, one per line. */
struct rec {
    char seen[4096];
    size_t len;
    int n_err;
    int last_err;
    int is_noatime_all;
};

static int
on_file(void *arg, const struct vg_walk_entry *e)
{
    struct rec *r = arg;
    const char *rel = e->path + strlen(root);
    int n = snprintf(r->seen + r->len, sizeof(r->seen) - r->len, "%s\n",
                     rel[0] == '/' ? rel + 1 : rel);
    struct stat st;

    if (n > 0 && (size_t)n < sizeof(r->seen) - r->len) {
        r->len += (size_t)n;
    }
    /* the fd is the file itself, regular and open for reading */
    CHECK(fstat(e->fd, &st) == 0 && S_ISREG(st.st_mode));
    CHECK(strcmp(e->name, strrchr(e->path, '/') + 1) == 0);
    r->is_noatime_all &= e->is_noatime;
    close(e->fd);
    return VG_OK;
}

static void
on_err(void *arg, const char *path, int err)
{
    struct rec *r = arg;

    (void)path;
    r->n_err++;
    r->last_err = err;
}

static void
build_tree(void)
{
    char p[512], t[512];

    mkd("b");
    mkd("a");
    mkd("a/deep");
    mkd("a/deep/er");
    put("z.txt", "z");
    put("a/1.exe", "MZ");
    put("a/deep/2.log", "2");
    put("a/deep/er/3.bin", "3");
    put("b/keep.yar", "k");
    put("b/skip.tmp", "s");
    /* a link to a file and to a folder outside the tree: never followed */
    (void)snprintf(p, sizeof(p), "%s/b/link_file", root);
    CHECK(symlink("/etc/hostname", p) == 0);
    (void)snprintf(p, sizeof(p), "%s/b/link_dir", root);
    CHECK(symlink("/etc", p) == 0);
    (void)snprintf(p, sizeof(p), "%s/b/fifo", root);
    CHECK(mkfifo(p, 0644) == 0);
    (void)snprintf(t, sizeof(t), "%s/a", root);
    (void)snprintf(p, sizeof(p), "%s/b/loop", root);
    CHECK(symlink(t, p) == 0);
}

static void
t_walk_order_links_special(void)
{
    struct rec r = {.is_noatime_all = 1};
    struct vg_walk_stats st = {0};
    struct vg_walk_opts o = {.on_file = on_file, .on_error = on_err, .arg = &r};

    make_root();
    build_tree();
    CHECK_RC(vg_walk(NULL, root, &o, &st), VG_OK);
    CHECK_EQ_STR(r.seen, "a/1.exe\na/deep/2.log\na/deep/er/3.bin\n"
                         "b/keep.yar\nb/skip.tmp\nz.txt\n");
    CHECK_EQ_UINT(st.n_files, 6);
    CHECK_EQ_UINT(st.n_dirs, 5); /* root, a, a/deep, a/deep/er, b */
    CHECK_EQ_UINT(st.n_links, 3);
    CHECK_EQ_UINT(st.n_special, 1);
    CHECK_EQ_UINT(st.n_errors, 0);
    CHECK_EQ_INT(r.n_err, 0);
    CHECK(r.is_noatime_all); /* we own the files: O_NOATIME granted */
    rm_root();
}

static void
t_walk_excludes_depth(void)
{
    const char *const ex[] = {"*.tmp", "*/a/deep"};
    struct rec r = {.is_noatime_all = 1};
    struct vg_walk_stats st = {0};
    struct vg_walk_opts o = {
        .excludes = ex, .n_excludes = 2, .on_file = on_file, .arg = &r};

    make_root();
    build_tree();
    CHECK_RC(vg_walk(NULL, root, &o, &st), VG_OK);
    CHECK_EQ_STR(r.seen, "a/1.exe\nb/keep.yar\nz.txt\n");
    CHECK_EQ_UINT(st.n_excluded, 2);

    memset(&r, 0, sizeof(r));
    memset(&st, 0, sizeof(st));
    o.n_excludes = 0;
    o.max_depth = 2;
    CHECK_RC(vg_walk(NULL, root, &o, &st), VG_OK);
    CHECK_EQ_STR(r.seen, "a/1.exe\nb/keep.yar\nb/skip.tmp\nz.txt\n");
    CHECK_EQ_UINT(st.n_too_deep, 1); /* a/deep/er not entered */

    memset(&r, 0, sizeof(r));
    o.max_depth = 1;
    CHECK_RC(vg_walk(NULL, root, &o, NULL), VG_OK);
    CHECK_EQ_STR(r.seen, "z.txt\n");
    rm_root();
}

static void
t_walk_single_file_and_missing(void)
{
    char p[512];
    struct rec r = {0};
    struct vg_walk_opts o = {.on_file = on_file, .on_error = on_err, .arg = &r};

    make_root();
    put("only.txt", "x");
    (void)snprintf(p, sizeof(p), "%s/only.txt", root);
    CHECK_RC(vg_walk(NULL, p, &o, NULL), VG_OK);
    CHECK_EQ_STR(r.seen, "only.txt\n");
    /* a link named as the PATH itself is followed (like find -H) */
    memset(&r, 0, sizeof(r));
    (void)snprintf(p, sizeof(p), "%s/link", root);
    {
        char t[600];
        (void)snprintf(t, sizeof(t), "%s/only.txt", root);
        CHECK(symlink(t, p) == 0);
    }
    CHECK_RC(vg_walk(NULL, p, &o, NULL), VG_OK);
    CHECK_EQ_STR(r.seen, "link\n");
    (void)snprintf(p, sizeof(p), "%s/missing", root);
    CHECK_RC(vg_walk(NULL, p, &o, NULL), VG_ENOTFOUND);
    CHECK_EQ_INT(r.n_err, 1);
    CHECK_EQ_INT(r.last_err, ENOENT);
    CHECK_RC(vg_walk(NULL, NULL, &o, NULL), VG_EINVAL);
    rm_root();
}

static int
count_file(void *arg, const struct vg_walk_entry *e)
{
    (*(int *)arg)++;
    close(e->fd);
    return VG_OK;
}

static void
t_walk_one_fs(void)
{
    int n = 0;
    struct vg_walk_stats st = {0};
    struct vg_walk_opts o = {
        .is_one_fs = 1, .max_depth = 1, .on_file = count_file, .arg = &n};
    struct stat a, b;

    /* /proc is its own file system on Linux: with is_one_fs the walk of /
     * must count it as another file system instead of entering it. */
    if (stat("/", &a) != 0 || stat("/proc", &b) != 0 || a.st_dev == b.st_dev) {
        vg_test_skip("/proc is not a separate file system here");
        return;
    }
    CHECK_RC(vg_walk(NULL, "/", &o, &st), VG_OK);
    CHECK(st.n_other_fs >= 1);
    CHECK_EQ_UINT(st.n_dirs, 1); /* only / itself: depth 1 entered nothing */
    CHECK_EQ_INT(n, (int)st.n_files);
}

/* Permission errors are counted and the walk goes on. Root reads
 * everything, so a child process drops to nobody first. */
static void
t_walk_permission_errors(void)
{
    char p[512];
    pid_t pid;
    int status = 0;

    make_root();
    CHECK(chmod(root, 0755) == 0);
    mkd("open");
    mkd("closed");
    put("open/ok.txt", "ok");
    put("closed/secret.txt", "s");
    put("unreadable.txt", "u");
    (void)snprintf(p, sizeof(p), "%s/closed", root);
    CHECK(chmod(p, 0700) == 0);
    (void)snprintf(p, sizeof(p), "%s/unreadable.txt", root);
    CHECK(chmod(p, 0600) == 0);
    if (geteuid() == 0) {
        CHECK(chown(root, 0, 0) == 0);
    }
    pid = fork();
    REQUIRE(pid >= 0);
    if (pid == 0) {
        struct rec r = {0};
        struct vg_walk_stats st = {0};
        struct vg_walk_opts o = {
            .on_file = on_file, .on_error = on_err, .arg = &r};
        if (geteuid() == 0 && (setgid(65534) != 0 || setuid(65534) != 0)) {
            _exit(3);
        }
        if (vg_walk(NULL, root, &o, &st) != VG_OK) {
            _exit(4);
        }
        /* closed/ cannot be opened, unreadable.txt cannot be opened */
        _exit(strcmp(r.seen, "open/ok.txt\n") == 0 && st.n_errors == 2 &&
                      r.n_err == 2 && r.last_err == EACCES
                  ? 0
                  : 5);
    }
    CHECK(waitpid(pid, &status, 0) == pid);
    CHECK(WIFEXITED(status));
    CHECK_EQ_INT(WEXITSTATUS(status), 0);
    rm_root();
}

static void
t_excluded_matching(void)
{
    const char *const g[] = {"*.log", "/var/*/cache", "node_modules"};

    CHECK(vg_walk_excluded("/x/a.log", g, 3));
    CHECK(!vg_walk_excluded("/x/a.log.gz", g, 3));
    CHECK(vg_walk_excluded("/var/lib/cache", g, 3));
    CHECK(vg_walk_excluded("/var/lib/x/cache", g, 3)); /* '*' spans '/' */
    CHECK(vg_walk_excluded("/src/node_modules", g, 3));
    CHECK(!vg_walk_excluded("/src/node_modules2", g, 3));
    CHECK(!vg_walk_excluded("/src/x", g, 0));
}

/* RFC 1321, FIPS 180 test vectors. */
static void
t_digest_vectors(void)
{
    struct vg_digests d;
    char hex[65];

    CHECK_RC(vg_digest_mem(VG_DIGEST_ALL, "abc", 3, &d), VG_OK);
    CHECK_EQ_UINT(d.have, VG_DIGEST_ALL);
    CHECK_EQ_STR(vg_hex(d.md5, 16, hex), "900150983cd24fb0d6963f7d28e17f72");
    CHECK_EQ_STR(vg_hex(d.sha1, 20, hex),
                 "a9993e364706816aba3e25717850c26c9cd0d89d");
    CHECK_EQ_STR(
        vg_hex(d.sha256, 32, hex),
        "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    CHECK_RC(vg_digest_mem(VG_DIGEST_MD5, "", 0, &d), VG_OK);
    CHECK_EQ_UINT(d.have, VG_DIGEST_MD5);
    CHECK_EQ_STR(vg_hex(d.md5, 16, hex), "d41d8cd98f00b204e9800998ecf8427e");
    CHECK_RC(vg_digest_mem(0, "abc", 3, &d), VG_OK);
    CHECK_EQ_UINT(d.have, 0);
}

/* Chunked updates equal one update; only the requested digests exist. */
static void
t_digest_streaming(void)
{
    static uint8_t big[1 << 16];
    struct vg_hasher *h = NULL;
    struct vg_digests one, many;

    for (size_t i = 0; i < sizeof(big); i++) {
        big[i] = (uint8_t)(i * 7 + 3);
    }
    CHECK_RC(vg_digest_mem(VG_DIGEST_ALL, big, sizeof(big), &one), VG_OK);
    REQUIRE_RC(vg_hasher_new(VG_DIGEST_SHA1 | VG_DIGEST_SHA256, &h), VG_OK);
    for (size_t off = 0; off < sizeof(big); off += 1000) {
        size_t n = sizeof(big) - off < 1000 ? sizeof(big) - off : 1000;
        CHECK_RC(vg_hasher_update(h, big + off, n), VG_OK);
    }
    CHECK_RC(vg_hasher_final(h, &many), VG_OK);
    CHECK_EQ_UINT(many.have, VG_DIGEST_SHA1 | VG_DIGEST_SHA256);
    CHECK_EQ_MEM(many.sha1, 20, one.sha1, 20);
    CHECK_EQ_MEM(many.sha256, 32, one.sha256, 32);
    /* reuse after reset, with another set */
    CHECK_RC(vg_hasher_reset(h, VG_DIGEST_MD5), VG_OK);
    CHECK_RC(vg_hasher_update(h, big, sizeof(big)), VG_OK);
    CHECK_RC(vg_hasher_final(h, &many), VG_OK);
    CHECK_EQ_UINT(many.have, VG_DIGEST_MD5);
    CHECK_EQ_MEM(many.md5, 16, one.md5, 16);
    vg_hasher_free(h);
    vg_hasher_free(NULL);
}

static const struct vg_test tests[] = {
    T(t_walk_order_links_special),
    T(t_walk_excludes_depth),
    T(t_walk_single_file_and_missing),
    T(t_walk_one_fs),
    T(t_walk_permission_errors),
    T(t_excluded_matching),
    T(t_digest_vectors),
    T(t_digest_streaming),
};

int
main(int argc, char **argv)
{
    return vg_test_main(argc, argv, tests, VG_ARRAY_LEN(tests));
}
