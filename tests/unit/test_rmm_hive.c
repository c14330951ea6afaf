/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test_rmm_hive.c - the RMM hive reader (libhivex) on real hives from the
 * corpus (../shared/corpora/registry-hives, xz-compressed; skipped visibly
 * when absent) and on a hive this test builds from nothing.
 *
 * Expected counts were taken independently with hivexregedit --export
 * (libwin-hivex-perl): services = subkeys of ControlSet001\Services (every
 * SYSTEM hive here has Select\Current = 1); Uninstall entries = subkeys of
 * ...\CurrentVersion\Uninstall; Run values = values of Run + RunOnce.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "vg_test.h"
#include "vigil/ctx.h"
#include "vigil/rmm.h"

static char tmpdir[64];

/* Decompress corpus file name.xz into the temp dir; path in out. 0 = ok,
 * 1 = corpus absent (skipped). */
static int
corpus_hive(const char *name, char *out, size_t cap)
{
    const char *corp = vg_test_env("VG_CORPORA");
    char src[1024], cmd[2400];
    snprintf(src, sizeof(src), "%s/registry-hives/%s.xz",
             corp != NULL ? corp : "", name);
    if (corp == NULL || access(src, R_OK) != 0) {
        char why[1100];
        snprintf(why, sizeof(why), "corpus not found: %s", src);
        vg_test_skip(why);
        return 1;
    }
    if (tmpdir[0] == '\0') {
        snprintf(tmpdir, sizeof(tmpdir), "/tmp/vg_rmm_hive_XXXXXX");
        if (mkdtemp(tmpdir) == NULL)
            return -1;
    }
    snprintf(out, cap, "%s/%s", tmpdir, name);
    snprintf(cmd, sizeof(cmd), "xz -dc '%s' > '%s'", src, out);
    return system(cmd) == 0 ? 0 : -1;
}

/* A corpus hive, decompressed and opened: what the hive tests share. */
struct hv {
    char path[512];
    struct vg_rmm_hive *h;
    struct vg_diag d;
    int rc; /* of vg_rmm_hive_open; VG_EIO when decompressing failed */
};

/* 0 = corpus absent (skipped), 1 = tried: the result is in v->rc (a failed
 * decompression is also a failed check here). */
static int
hv_open(struct hv *v, const char *name)
{
    int r = corpus_hive(name, v->path, sizeof(v->path));
    v->h = NULL;
    vg_diag_clear(&v->d);
    if (r == 1)
        return 0;
    v->rc = CHECK_EQ_INT(r, 0) ? vg_rmm_hive_open(v->path, &v->h, &v->d)
                               : VG_EIO;
    return 1;
}

struct counts {
    size_t n;
    char first[128];
    char sample[256];
    const char *want; /* a service name to look up */
    int have_want;
    uint32_t want_start;
};

static int
count_svc(void *arg, const struct vg_rmm_service *s)
{
    struct counts *c = arg;
    if (c->n++ == 0)
        snprintf(c->first, sizeof(c->first), "%s", s->name);
    if (c->want != NULL && strcmp(s->name, c->want) == 0) {
        c->have_want = 1;
        c->want_start = s->start;
        snprintf(c->sample, sizeof(c->sample), "%s",
                 s->image_path != NULL ? s->image_path : "");
    }
    return VG_OK;
}

static int
count_prog(void *arg, const struct vg_rmm_program *p)
{
    struct counts *c = arg;
    c->n++;
    if (c->want != NULL && strcmp(p->key, c->want) == 0) {
        c->have_want = 1;
        snprintf(c->sample, sizeof(c->sample), "%s|%s",
                 p->name != NULL ? p->name : "",
                 p->version != NULL ? p->version : "");
    }
    return VG_OK;
}

static int
count_run(void *arg, const struct vg_rmm_autorun *a)
{
    struct counts *c = arg;
    if (c->n++ == 0)
        snprintf(c->sample, sizeof(c->sample), "%s=%s", a->name, a->command);
    return VG_OK;
}

static void
services_of(const char *name, size_t want, const char *svc, const char *image,
            uint32_t start)
{
    struct hv v;
    if (!hv_open(&v, name))
        return;
    REQUIRE_RC(v.rc, VG_OK);
    struct counts c = {.want = svc};
    CHECK_RC(vg_rmm_hive_services(v.h, count_svc, &c, &v.d), VG_OK);
    CHECK_EQ_UINT(c.n, want);
    CHECK(c.have_want);
    CHECK_EQ_STR(c.sample, image);
    CHECK_EQ_UINT(c.want_start, start);
    /* a SYSTEM hive has no Uninstall key: zero entries, no error */
    struct counts p = {0};
    CHECK_RC(vg_rmm_hive_programs(v.h, count_prog, &p, &v.d), VG_OK);
    CHECK_EQ_UINT(p.n, 0);
    vg_rmm_hive_close(v.h);
}

static void
t_system(void)
{
    services_of("SYSTEM", 467, "Spooler", "%SystemRoot%\\System32\\spoolsv.exe",
                2);
}

static void
t_system_2(void)
{
    services_of("SYSTEM_2", 469, "Spooler",
                "%SystemRoot%\\System32\\spoolsv.exe", 2);
}

static void
t_system_win10(void)
{
    services_of("SYSTEM_WIN_10_1709", 737, "Spooler",
                "%SystemRoot%\\System32\\spoolsv.exe", 2);
}

static void
t_software_partial(void)
{
    struct hv v;
    if (!hv_open(&v, "ntuser_software_partial"))
        return;
    REQUIRE_RC(v.rc, VG_OK);
    struct counts p = {.want = "distorm3-py3.7"}, a = {0};
    CHECK_RC(vg_rmm_hive_programs(v.h, count_prog, &p, &v.d), VG_OK);
    CHECK_EQ_UINT(p.n, 5);
    CHECK(p.have_want);
    CHECK_EQ_STR(p.sample,
                 "Python 3.7 distorm3-3.3.4|"); /* no DisplayVersion */
    CHECK_RC(vg_rmm_hive_autoruns(v.h, count_run, &a, &v.d), VG_OK);
    CHECK_EQ_UINT(a.n, 5); /* Run: 1, RunOnce: 4 */
    CHECK_EQ_STR(a.sample, "OneDrive=\"C:\\Users\\tony\\AppData\\Local\\"
                           "Microsoft\\OneDrive\\OneDrive.exe\" /background");
    struct counts s = {0};
    CHECK_RC(vg_rmm_hive_services(v.h, count_svc, &s, &v.d), VG_ENOTFOUND);
    CHECK_EQ_STR(v.d.msg,
                 "no ControlSet001\\Services key (not a SYSTEM hive?)");
    vg_rmm_hive_close(v.h);
}

static void
t_ntuser(void)
{
    struct hv v;
    if (!hv_open(&v, "NTUSER.DAT"))
        return;
    REQUIRE_RC(v.rc, VG_OK);
    struct counts p = {0}, a = {0};
    CHECK_RC(vg_rmm_hive_programs(v.h, count_prog, &p, &v.d), VG_OK);
    CHECK_EQ_UINT(p.n, 0);
    CHECK_RC(vg_rmm_hive_autoruns(v.h, count_run, &a, &v.d), VG_OK);
    CHECK_EQ_UINT(a.n, 1);
    CHECK_EQ_STR(a.sample, "Sidebar=%ProgramFiles%\\Windows Sidebar\\"
                           "Sidebar.exe /autoRun");
    vg_rmm_hive_close(v.h);
}

static void
t_corrupted(void)
{
    struct hv v;
    if (!hv_open(&v, "corrupted_system_hive"))
        return;
    CHECK_RC(v.rc, VG_EFORMAT);
    CHECK(v.h == NULL);
    CHECK_EQ_STR(v.d.path, v.path);
    CHECK_EQ_STR(v.d.msg, "not a valid registry hive (Operation not supported)");
}

struct logs {
    int n;
    char last[1200];
};

static void
on_log(void *arg, enum vg_log_level level, const char *module, const char *msg)
{
    struct logs *l = arg;
    (void)level;
    (void)module;
    l->n++;
    snprintf(l->last, sizeof(l->last), "%s", msg);
}

/* A corrupted SYSTEM hive inside an evidence tree: logged with its path,
 * counted as one error, and the rest of the tree is still inventoried. */
static void
t_corrupted_in_tree(void)
{
    char path[512], cmd[2400];
    int r = corpus_hive("corrupted_system_hive", path, sizeof(path));
    if (r == 1)
        return;
    REQUIRE_EQ_INT(r, 0);
    char root[600];
    snprintf(root, sizeof(root), "%s/tree", tmpdir);
    int k = snprintf(
        cmd, sizeof(cmd),
        "mkdir -p '%s/Windows/System32/config' '%s/ProgramData/AnyDesk' "
        "&& cp '%s' '%s/Windows/System32/config/SYSTEM' && "
        "printf 'ad.anynet.id=42424242\\n' > "
        "'%s/ProgramData/AnyDesk/system.conf'",
        root, root, path, root, root);
    REQUIRE(k > 0 && (size_t)k < sizeof(cmd));
    REQUIRE_EQ_INT(system(cmd), 0);
    struct vg_rmm_catalog *c = NULL;
    struct vg_rmm_result *res = NULL;
    struct vg_ctx *ctx = NULL;
    struct vg_diag d;
    struct logs lg = {0};
    char cat[700];
    snprintf(cat, sizeof(cat), "%s/rules/rmm/catalog",
             vg_test_env("VG_SRC_DIR"));
    REQUIRE_RC(vg_ctx_new(&ctx), VG_OK);
    vg_ctx_set_log(ctx, on_log, &lg, VG_LOG_WARN);
    REQUIRE_RC(vg_rmm_catalog_new(&c), VG_OK);
    CHECK_RC(vg_rmm_catalog_load_file(c, cat, &d), VG_OK);
    struct vg_rmm_opts o = {.root = root};
    CHECK_RC(vg_rmm_scan(c, &o, ctx, &res, &d), VG_OK);
    CHECK_EQ_UINT(vg_rmm_result_errors(res), 1);
    CHECK_EQ_INT(lg.n, 1);
    char want[1200];
    k = snprintf(want, sizeof(want),
                 "%s/Windows/System32/config/SYSTEM: not a valid registry "
                 "hive (Operation not supported)",
                 root);
    REQUIRE(k > 0 && (size_t)k < sizeof(want));
    CHECK_EQ_STR(lg.last, want);
    CHECK_EQ_UINT(vg_rmm_result_count(res), 1);
    const struct vg_rmm_item *it = vg_rmm_result_item(res, 0);
    REQUIRE(it != NULL);
    CHECK_EQ_STR(it->tool_id, "anydesk");
    CHECK_EQ_STR(it->local_id, "42424242");
    vg_rmm_result_free(res);
    vg_rmm_catalog_free(c);
    vg_ctx_free(ctx);
}

static void
t_not_a_hive(void)
{
    char path[] = "/tmp/vg_rmm_nothive_XXXXXX";
    int fd = mkstemp(path);
    REQUIRE(fd >= 0);
    REQUIRE(write(fd, "regf but not really", 19) == 19);
    close(fd);
    struct vg_rmm_hive *h = NULL;
    struct vg_diag d;
    CHECK_RC(vg_rmm_hive_open(path, &h, &d), VG_EFORMAT);
    CHECK(strncmp(d.msg, "not a valid registry hive (", 27) == 0);
    unlink(path);
    CHECK_RC(vg_rmm_hive_open("/nonexistent/x", &h, &d), VG_EIO);
    CHECK_EQ_STR(d.msg, "cannot open: No such file or directory");
}

/* A hive built from nothing by the fixture tool, then written with libhivex:
 * the reader sees exactly what was written. */
static void
t_fixture_hive(void)
{
    const char *bd = vg_test_env("VG_BUILD_DIR");
    char dir[] = "/tmp/vg_rmm_fxh_XXXXXX", cmd[1200], path[256];
    REQUIRE(bd != NULL && mkdtemp(dir) != NULL);
    snprintf(path, sizeof(path), "%s/empty", dir);
    snprintf(cmd, sizeof(cmd), "'%s/tools/rmm_fixture' --hive '%s'", bd, path);
    REQUIRE_EQ_INT(system(cmd), 0);
    struct vg_rmm_hive *h = NULL;
    struct vg_diag d;
    REQUIRE_RC(vg_rmm_hive_open(path, &h, &d), VG_OK);
    struct counts s = {0};
    CHECK_RC(vg_rmm_hive_services(h, count_svc, &s, &d), VG_ENOTFOUND);
    struct counts p = {0};
    CHECK_RC(vg_rmm_hive_programs(h, count_prog, &p, &d), VG_OK);
    CHECK_EQ_UINT(p.n, 0);
    vg_rmm_hive_close(h);
    snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
    CHECK_EQ_INT(system(cmd), 0);
}

static const struct vg_test tests[] = {
    T(t_system),           T(t_system_2),     T(t_system_win10),
    T(t_software_partial), T(t_ntuser),       T(t_corrupted),
    T(t_not_a_hive),       T(t_fixture_hive), T(t_corrupted_in_tree),
};

int
main(int argc, char **argv)
{
    int rc = vg_test_main(argc, argv, tests, sizeof(tests) / sizeof(tests[0]));
    if (tmpdir[0] != '\0') {
        char cmd[128];
        snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmpdir);
        if (system(cmd) != 0)
            rc = 1;
    }
    return rc;
}
