/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test_target.c - target detection on trees built in a temporary folder:
 * live, Windows root in odd case, Linux root, KAPE C/, URL-encoded C%3A/
 * and \\.\C: collections, a symbolic link that must not be followed, a
 * plain folder, a missing path, and case-insensitive resolution.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "vg_test.h"
#include "vigil/target.h"
#include "vigil/vigil.h"

static char tmp[256];

static void
mk(const char *rel)
{
    char p[1024], *s;
    (void)snprintf(p, sizeof(p), "%s/%s", tmp, rel);
    for (s = p + strlen(tmp) + 1; *s; s++) {
        if (*s == '/') {
            *s = '\0';
            (void)mkdir(p, 0755);
            *s = '/';
        }
    }
    (void)mkdir(p, 0755);
}

static void
fresh(void)
{
    char cmd[512];
    if (tmp[0]) {
        (void)snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmp);
        CHECK_EQ_INT(system(cmd), 0);
    }
    (void)snprintf(tmp, sizeof(tmp), "/tmp/vg_target_XXXXXX");
    REQUIRE(mkdtemp(tmp) != NULL);
}

static void
path(char *out, size_t cap, const char *rel)
{
    (void)snprintf(out, cap, "%s%s%s", tmp, rel[0] ? "/" : "", rel);
}

static void
t_live(void)
{
    struct vg_target t;
    char buf[256];
    REQUIRE_RC(vg_target_detect(NULL, &t, NULL), VG_OK);
    CHECK_EQ_INT(t.kind, VG_TARGET_LIVE);
    CHECK_EQ_STR(t.root, "/");
    CHECK_EQ_STR(vg_target_describe(&t, buf, sizeof(buf)), "this live system");
}

static void
t_windows_odd_case(void)
{
    struct vg_target t;
    char p[512], want[512], got[512];

    fresh();
    mk("WINDOWS/sYsTeM32/winevt/Logs");
    path(p, sizeof(p), "");
    REQUIRE_RC(vg_target_detect(p, &t, NULL), VG_OK);
    CHECK_EQ_INT(t.kind, VG_TARGET_WINDOWS);
    CHECK_EQ_INT(t.layout, VG_LAYOUT_DIRECT);
    CHECK_EQ_STR(t.root, p);
    path(want, sizeof(want), "WINDOWS");
    CHECK_EQ_STR(t.windows, want);
    REQUIRE_RC(vg_target_resolve(&t, "Windows/System32/winevt/logs", got,
                                 sizeof(got)),
               VG_OK);
    path(want, sizeof(want), "WINDOWS/sYsTeM32/winevt/Logs");
    CHECK_EQ_STR(got, want);
    CHECK_RC(vg_target_resolve(&t, "Windows/Temp", got, sizeof(got)),
             VG_ENOTFOUND);
    {
        char f[600];
        FILE *fp;
        path(f, sizeof(f), "WINDOWS/sYsTeM32/CONFIG");
        REQUIRE(mkdir(f, 0755) == 0);
        path(f, sizeof(f), "WINDOWS/sYsTeM32/CONFIG/System");
        REQUIRE((fp = fopen(f, "w")) != NULL);
        fclose(fp);
        REQUIRE_RC(vg_target_resolve(&t, "Windows/System32/config/SYSTEM",
                                     got, sizeof(got)),
                   VG_OK);
        CHECK_EQ_STR(got, f);
        /* a file in the middle of a path is not a folder */
        CHECK_RC(vg_target_resolve(&t, "Windows/System32/config/SYSTEM/x",
                                   got, sizeof(got)),
                 VG_ENOTFOUND);
    }
    CHECK_RC(vg_target_resolve(&t, "../x", got, sizeof(got)), VG_ENOTFOUND);
    CHECK_RC(vg_target_resolve(&t, "Windows", got, 4), VG_ELIMIT);
}

static void
t_linux(void)
{
    struct vg_target t;
    char p[512];

    fresh();
    mk("etc");
    mk("usr/bin");
    path(p, sizeof(p), "");
    REQUIRE_RC(vg_target_detect(p, &t, NULL), VG_OK);
    CHECK_EQ_INT(t.kind, VG_TARGET_LINUX);
    CHECK_EQ_STR(t.windows, "");
}

static void
check_collection(const char *tree, const char *root_rel,
                 enum vg_target_layout layout, const char *desc_kind)
{
    struct vg_target t;
    char p[512], want[512], desc[1024], wdesc[1024];

    fresh();
    mk(tree);
    path(p, sizeof(p), "");
    REQUIRE_RC(vg_target_detect(p, &t, NULL), VG_OK);
    CHECK_EQ_INT(t.kind, VG_TARGET_WINDOWS);
    CHECK_EQ_INT(t.layout, layout);
    path(want, sizeof(want), root_rel);
    CHECK_EQ_STR(t.root, want);
    CHECK_EQ_STR(t.drive, "C:");
    (void)snprintf(wdesc, sizeof(wdesc),
                   "an offline Windows root (%s, drive C: at %s)", desc_kind,
                   want);
    CHECK_EQ_STR(vg_target_describe(&t, desc, sizeof(desc)), wdesc);
}

static void
t_kape(void)
{
    check_collection("C/Windows/System32", "C", VG_LAYOUT_KAPE,
                     "KAPE-style collection");
    check_collection("HOST1/c/windows/system32", "HOST1/c", VG_LAYOUT_KAPE,
                     "KAPE-style collection");
}

static void
t_urlenc(void)
{
    check_collection("uploads/auto/C%3A/Windows/System32", "uploads/auto/C%3A",
                     VG_LAYOUT_URLENC,
                     "URL-encoded (Velociraptor) collection");
    check_collection("H1/uploads/auto/C%3A/Windows/System32",
                     "H1/uploads/auto/C%3A", VG_LAYOUT_URLENC,
                     "URL-encoded (Velociraptor) collection");
    check_collection("uploads/ntfs/%5C%5C.%5CC%3A/Windows/System32",
                     "uploads/ntfs/%5C%5C.%5CC%3A", VG_LAYOUT_URLENC,
                     "URL-encoded (Velociraptor) collection");
}

static void
t_symlink_not_followed(void)
{
    struct vg_target t;
    char p[512], link[512];

    fresh();
    mk("real/Windows/System32");
    mk("ev");
    path(p, sizeof(p), "real/Windows");
    path(link, sizeof(link), "ev/Windows");
    REQUIRE(symlink(p, link) == 0);
    path(link, sizeof(link), "ev/C");
    path(p, sizeof(p), "real");
    REQUIRE(symlink(p, link) == 0);
    path(p, sizeof(p), "ev");
    REQUIRE_RC(vg_target_detect(p, &t, NULL), VG_OK);
    CHECK_EQ_INT(t.kind, VG_TARGET_FOLDER);
    CHECK_EQ_STR(t.root, p);
}

static void
t_too_deep_is_folder(void)
{
    struct vg_target t;
    char p[512];

    fresh();
    mk("a/b/c/d/e/C/Windows/System32");
    path(p, sizeof(p), "");
    REQUIRE_RC(vg_target_detect(p, &t, NULL), VG_OK);
    CHECK_EQ_INT(t.kind, VG_TARGET_FOLDER);
}

static void
t_missing(void)
{
    struct vg_target t;
    struct vg_diag d;
    char msg[512];

    vg_diag_clear(&d);
    CHECK_RC(vg_target_detect("/nonexistent/vigil", &t, &d), VG_ENOTFOUND);
    CHECK_EQ_STR(vg_diag_format(&d, msg, sizeof(msg)),
                 "/nonexistent/vigil: not a folder");
}

static void
t_cleanup(void)
{
    char cmd[512];
    (void)snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmp);
    CHECK_EQ_INT(system(cmd), 0);
}

static const struct vg_test tests[] = {
    T(t_live),         T(t_windows_odd_case),     T(t_linux),
    T(t_kape),         T(t_urlenc),               T(t_symlink_not_followed),
    T(t_too_deep_is_folder), T(t_missing),        T(t_cleanup),
};

int
main(int argc, char **argv)
{
    return vg_test_main(argc, argv, tests, VG_ARRAY_LEN(tests));
}
