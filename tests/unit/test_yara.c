/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test_yara.c - the YARA engine (vigil/yara.h): compiling files and
 * folders, the Loki/THOR externals, the content-keyed cache, bad files left
 * out, precompiled rules, refused includes, match details (tags, meta,
 * strings with offsets, truncation), file types, Vigil's own rules against
 * their positive and negative fixtures, and signature-base compiling
 * unmodified (skipped visibly without the corpus).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/alloc.h"
#include "test_files_fixtures.h"
#include "vg_test.h"
#include "vigil/err.h"
#include "vigil/yara.h"

static char dir[256];

static void
make_dir(void)
{
    char tmpl[] = "/tmp/vg_test_yara_XXXXXX";
    char *d = mkdtemp(tmpl);

    if (d == NULL) {
        CHECK(0);
        return;
    }
    (void)snprintf(dir, sizeof(dir), "%s", d);
}

static void
rm_dir(void)
{
    char cmd[600];

    (void)snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
    CHECK(system(cmd) == 0);
}

static void
write_file(const char *rel, const char *text)
{
    char p[512];
    FILE *f;

    (void)snprintf(p, sizeof(p), "%s/%s", dir, rel);
    f = fopen(p, "wb");
    if (f == NULL) {
        CHECK(0);
        return;
    }
    fputs(text, f);
    fclose(f);
}

/* Comma-joined names of matching rules, in match order. */
struct hits {
    char names[2048];
    size_t len;
    struct vg_yara_match last;
    char meta[8][2][64];
    char strid[20][16];
    uint64_t stroff[20];
    size_t strlen_[20];
    size_t n_meta, n_str, n_total, n_tags;
    char tags[128];
};

static int
on_match(void *arg, const struct vg_yara_match *m)
{
    struct hits *h = arg;
    int n = snprintf(h->names + h->len, sizeof(h->names) - h->len, "%s%s",
                     h->len > 0 ? "," : "", m->rule);

    if (n > 0 && (size_t)n < sizeof(h->names) - h->len) {
        h->len += (size_t)n;
    }
    h->n_meta = m->n_meta < 8 ? m->n_meta : 8;
    for (size_t i = 0; i < h->n_meta; i++) {
        (void)snprintf(h->meta[i][0], 64, "%s", m->meta[i].key);
        (void)snprintf(h->meta[i][1], 64, "%s", m->meta[i].value);
    }
    h->n_str = m->n_strings;
    h->n_total = m->n_strings_total;
    for (size_t i = 0; i < m->n_strings && i < 20; i++) {
        (void)snprintf(h->strid[i], 16, "%s", m->strings[i].id);
        h->stroff[i] = m->strings[i].offset;
        h->strlen_[i] = m->strings[i].len;
    }
    h->n_tags = m->n_tags;
    h->tags[0] = '\0';
    for (size_t i = 0; i < m->n_tags; i++) {
        size_t l = strlen(h->tags);
        (void)snprintf(h->tags + l, sizeof(h->tags) - l, "%s%s",
                       i > 0 ? " " : "", m->tags[i]);
    }
    return VG_OK;
}

static int
load(const char *const *paths, size_t n, const char *cache,
     struct vg_yara_rules **r, struct vg_yara_load_info *info,
     struct vg_diag *d)
{
    struct vg_yara_load_opts o = {
        .paths = paths, .n_paths = n, .cache_dir = cache};

    vg_diag_clear(d);
    return vg_yara_load(NULL, &o, r, info, d);
}

static void
scan(struct vg_yara_rules *r, const struct vg_yara_file *f, const char *data,
     size_t len, struct hits *h)
{
    struct vg_yara_scanner *s = NULL;

    memset(h, 0, sizeof(*h));
    if (!CHECK_RC(vg_yara_scanner_new(r, 10, &s), VG_OK)) {
        return;
    }
    CHECK_RC(vg_yara_scan_mem(s, f, (const uint8_t *)data, len, on_match, h),
             VG_OK);
    vg_yara_scanner_free(s);
}

static void
t_externals(void)
{
    char p[512];
    const char *paths[1] = {p};
    struct vg_yara_rules *r = NULL;
    struct vg_yara_load_info info;
    struct vg_diag d;
    struct hits h;
    struct vg_yara_file f = {.filename = "evil.exe",
                             .filepath = "C:\\Temp\\evil.exe",
                             .extension = ".exe",
                             .filetype = "EXE",
                             .owner = "alice"};

    make_dir();
    write_file("ext.yar",
               "rule Name { condition: filename == \"evil.exe\" }\n"
               "rule Path { condition: filepath contains \"\\\\Temp\\\\\" }\n"
               "rule Ext { condition: extension == \".exe\" }\n"
               "rule Type { condition: filetype == \"EXE\" }\n"
               "rule Owner { condition: owner == \"alice\" }\n"
               "rule NotOwner { condition: owner == \"bob\" }\n");
    (void)snprintf(p, sizeof(p), "%s/ext.yar", dir);
    REQUIRE_RC(load(paths, 1, "", &r, &info, &d), VG_OK);
    CHECK_EQ_UINT(info.n_rules, 6);
    CHECK_EQ_UINT(info.n_files, 1);
    CHECK(!info.is_cached);
    scan(r, &f, "x", 1, &h);
    CHECK_EQ_STR(h.names, "Name,Path,Ext,Type,Owner");
    /* NULL externals are "" */
    f = (struct vg_yara_file){0};
    scan(r, &f, "x", 1, &h);
    CHECK_EQ_STR(h.names, "");
    vg_yara_rules_free(r);
    rm_dir();
}

static void
t_cache_keyed_by_content(void)
{
    char cache[512];
    const char *paths[1] = {dir};
    struct vg_yara_rules *r = NULL;
    struct vg_yara_load_info info;
    struct vg_diag d;
    struct vg_yara_file f = {0};
    struct hits h;

    make_dir();
    (void)snprintf(cache, sizeof(cache), "%s/cache/vigil", dir);
    write_file("a.yar", "rule A { strings: $a = \"alpha\" condition: $a }\n");
    write_file("b.yara", "rule B { strings: $b = \"beta\" condition: $b }\n");
    write_file("c.txt", "this is not a rule file and is ignored\n");
    REQUIRE_RC(load(paths, 1, cache, &r, &info, &d), VG_OK);
    CHECK(!info.is_cached);
    CHECK_EQ_UINT(info.n_files, 2);
    vg_yara_rules_free(r);
    REQUIRE_RC(load(paths, 1, cache, &r, &info, &d), VG_OK);
    CHECK(info.is_cached);
    scan(r, &f, "alpha beta", 10, &h);
    CHECK_EQ_STR(h.names, "A,B");
    vg_yara_rules_free(r);
    /* a cache file others may write is not trusted (and is rewritten) */
    {
        char cmd[700];
        (void)snprintf(cmd, sizeof(cmd), "chmod g+w %s/yara-*.yarc", cache);
        CHECK(system(cmd) == 0);
    }
    REQUIRE_RC(load(paths, 1, cache, &r, &info, &d), VG_OK);
    CHECK(!info.is_cached);
    vg_yara_rules_free(r);
    REQUIRE_RC(load(paths, 1, cache, &r, &info, &d), VG_OK);
    CHECK(info.is_cached);
    vg_yara_rules_free(r);
    /* any change to a rule gives a new key, so a recompile */
    write_file("b.yara", "rule B { strings: $b = \"gamma\" condition: $b }\n");
    REQUIRE_RC(load(paths, 1, cache, &r, &info, &d), VG_OK);
    CHECK(!info.is_cached);
    scan(r, &f, "alpha beta", 10, &h);
    CHECK_EQ_STR(h.names, "A");
    vg_yara_rules_free(r);
    rm_dir();
}

static void
t_bad_files_left_out(void)
{
    const char *paths[1] = {dir};
    struct vg_yara_rules *r = NULL;
    struct vg_yara_load_info info;
    struct vg_diag d;
    struct vg_yara_file f = {0};
    struct hits h;

    make_dir();
    write_file("1good.yar",
               "rule Good { strings: $a = \"ok\" condition: $a }\n");
    write_file("2bad.yar", "rule Bad {\n condition: nonsense_identifier }\n");
    write_file("3dup.yar", "rule Good { condition: true }\n");
    write_file("4inc.yar",
               "include \"1good.yar\"\nrule Inc { condition: true }\n");
    write_file("5also.yar", "rule Also { condition: filesize == 2 }\n");
    REQUIRE_RC(load(paths, 1, "", &r, &info, &d), VG_OK);
    CHECK_EQ_UINT(info.n_failed, 3);
    CHECK_EQ_UINT(info.n_files, 2);
    CHECK_EQ_UINT(info.n_rules, 2);
    scan(r, &f, "ok", 2, &h);
    CHECK_EQ_STR(h.names, "Good,Also");
    vg_yara_rules_free(r);
    rm_dir();

    make_dir();
    write_file("only_bad.yar", "rule X {\n\n condition: nope }\n");
    CHECK_RC(load(paths, 1, "", &r, &info, &d), VG_ESYNTAX);
    CHECK(r == NULL);
    CHECK_EQ_UINT(d.line, 3);
    CHECK(strstr(d.path, "only_bad.yar") != NULL);
    rm_dir();

    make_dir();
    CHECK_RC(load(paths, 1, "", &r, &info, &d), VG_ENOTFOUND);
    rm_dir();
}

static void
t_precompiled(void)
{
    char cache[512], yarc[1024], src[512];
    const char *paths[2] = {src, yarc};
    struct vg_yara_rules *r = NULL;
    struct vg_yara_load_info info;
    struct vg_diag d;
    struct vg_yara_file f = {.filename = "a"};
    struct hits h;
    char cmd[1400];
    FILE *p;

    make_dir();
    (void)snprintf(cache, sizeof(cache), "%s/c", dir);
    (void)snprintf(src, sizeof(src), "%s/r.yar", dir);
    write_file("r.yar", "rule P { condition: filename == \"a\" }\n");
    REQUIRE_RC(load(paths, 1, cache, &r, &info, &d), VG_OK);
    vg_yara_rules_free(r);
    /* the cache file is a yarac-format file: load it as precompiled */
    (void)snprintf(cmd, sizeof(cmd), "ls %s/yara-*.yarc", cache);
    p = popen(cmd, "r");
    REQUIRE(p != NULL);
    REQUIRE(fgets(yarc, sizeof(yarc), p) != NULL);
    pclose(p);
    yarc[strcspn(yarc, "\n")] = '\0';
    REQUIRE_RC(load(paths + 1, 1, "", &r, &info, &d), VG_OK);
    CHECK(info.is_compiled);
    CHECK_EQ_UINT(info.n_rules, 1);
    scan(r, &f, "", 0, &h);
    CHECK_EQ_STR(h.names, "P");
    vg_yara_rules_free(r);
    /* sources and compiled rules do not mix */
    CHECK_RC(load(paths, 2, "", &r, &info, &d), VG_EUNSUPPORTED);
    CHECK(r == NULL);
    /* a damaged compiled file is an error, not a crash */
    write_file("bad.yarc", "YARA this is not really compiled");
    (void)snprintf(yarc, sizeof(yarc), "%s/bad.yarc", dir);
    CHECK_RC(load(paths + 1, 1, "", &r, &info, &d), VG_EFORMAT);
    rm_dir();
}

static void
t_match_details(void)
{
    char p[512];
    const char *paths[1] = {p};
    struct vg_yara_rules *r = NULL;
    struct vg_yara_load_info info;
    struct vg_diag d;
    struct vg_yara_file f = {0};
    struct hits h;
    char data[4096];

    make_dir();
    write_file("m.yar", "rule M : t1 t2 {\n"
                        " meta: description = \"desc\" score = 75 flag = true\n"
                        " strings: $a = \"AB\" $long = /C{100}/\n"
                        " condition: any of them }\n"
                        "private rule Hidden { condition: true }\n");
    (void)snprintf(p, sizeof(p), "%s/m.yar", dir);
    REQUIRE_RC(load(paths, 1, "", &r, &info, &d), VG_OK);
    memset(data, '.', sizeof(data));
    for (int i = 0; i < 20; i++) {
        memcpy(data + 10 + i * 3, "AB", 2);
    }
    memset(data + 1000, 'C', 100);
    scan(r, &f, data, sizeof(data), &h);
    CHECK_EQ_STR(h.names, "M"); /* private rules are not reported */
    CHECK_EQ_STR(h.tags, "t1 t2");
    CHECK_EQ_UINT(h.n_meta, 3);
    CHECK_EQ_STR(h.meta[0][0], "description");
    CHECK_EQ_STR(h.meta[1][1], "75");
    CHECK_EQ_STR(h.meta[2][1], "true");
    CHECK_EQ_UINT(h.n_total, 21); /* 20 x $a, 1 x $long */
    CHECK_EQ_UINT(h.n_str, VG_YARA_MAX_STRINGS);
    CHECK_EQ_STR(h.strid[0], "$a");
    CHECK_EQ_UINT(h.stroff[0], 10);
    CHECK_EQ_UINT(h.stroff[1], 13);
    CHECK_EQ_UINT(h.strlen_[0], 2);
    vg_yara_rules_free(r);
    rm_dir();
}

static void
t_filetype(void)
{
    CHECK_EQ_STR(vg_yara_filetype((const uint8_t *)"MZ\x90", 3), "EXE");
    CHECK_EQ_STR(vg_yara_filetype((const uint8_t *)"\x7f"
                                                   "ELF\x02",
                                  5),
                 "ELF");
    CHECK_EQ_STR(vg_yara_filetype((const uint8_t *)"PK\x03\x04", 4), "ZIP");
    CHECK_EQ_STR(vg_yara_filetype((const uint8_t *)"%PDF-1.7", 8), "PDF");
    CHECK_EQ_STR(vg_yara_filetype((const uint8_t *)"M", 1), "");
    CHECK_EQ_STR(vg_yara_filetype(NULL, 0), "");
}

static const char *
base_name(const char *p)
{
    const char *s = strrchr(p, '/');

    return s != NULL ? s + 1 : p;
}

/* Every fixture, scanned with Vigil's rules alone, matches exactly its
 * expected rules: positives fire, negatives stay silent. */
static void
t_vigil_rules_fixtures(void)
{
    const char *src = vg_test_env("VG_SRC_DIR");
    char rules[512];
    const char *paths[1] = {rules};
    struct vg_yara_rules *r = NULL;
    struct vg_yara_load_info info;
    struct vg_diag d;

    REQUIRE(src != NULL);
    (void)snprintf(rules, sizeof(rules), "%s/rules/yara", src);
    REQUIRE_RC(load(paths, 1, "", &r, &info, &d), VG_OK);
    CHECK_EQ_UINT(info.n_failed, 0);
    CHECK_EQ_UINT(info.n_files, 3);
    for (size_t i = 0; i < VG_ARRAY_LEN(fixtures); i++) {
        const struct fixture *fx = &fixtures[i];
        size_t len = fx->len != 0 ? fx->len : strlen(fx->data);
        char path[512], ext[16] = "";
        const char *dot = strrchr(base_name(fx->path), '.');
        struct vg_yara_file f;
        struct hits h;
        if (dot != NULL) {
            (void)snprintf(ext, sizeof(ext), "%s", dot);
        }
        /* Windows-style path, as on a ScreenConnect server */
        (void)snprintf(path, sizeof(path), "C:\\Program Files (x86)\\%s",
                       fx->path);
        for (char *c = path; *c != '\0'; c++) {
            *c = *c == '/' ? '\\' : *c;
        }
        f = (struct vg_yara_file){
            base_name(fx->path), path, ext,
            vg_yara_filetype((const uint8_t *)fx->data, len), "root"};
        scan(r, &f, fx->data, len, &h);
        if (!CHECK_EQ_STR(h.names, fx->expect)) {
            fprintf(stderr, "# fixture %s\n", fx->path);
        }
        /* the same with '/' separators (mounted evidence) */
        (void)snprintf(path, sizeof(path), "/mnt/evidence/%s", fx->path);
        scan(r, &f, fx->data, len, &h);
        if (!CHECK_EQ_STR(h.names, fx->expect)) {
            fprintf(stderr, "# fixture %s (unix path)\n", fx->path);
        }
    }
    vg_yara_rules_free(r);
}

/* signature-base compiles unmodified thanks to the externals. */
static void
t_signature_base_compiles(void)
{
    const char *corpora = vg_test_env("VG_CORPORA");
    char rules[512];
    const char *paths[1] = {rules};
    struct vg_yara_rules *r = NULL;
    struct vg_yara_load_info info;
    struct vg_diag d;
    struct stat st;

    (void)snprintf(rules, sizeof(rules), "%s/signature-base/yara",
                   corpora != NULL ? corpora : "");
    if (corpora == NULL || stat(rules, &st) != 0) {
        vg_test_skip("corpus not found: signature-base/yara");
        return;
    }
    REQUIRE_RC(load(paths, 1, "", &r, &info, &d), VG_OK);
    CHECK_EQ_UINT(info.n_failed, 0);
    CHECK_EQ_UINT(info.n_files, 741);
    /* 5871 public rules (what `yara` and `yara -n` list together for any
     * file) plus 12 private ones; commented-out rules do not count. */
    CHECK_EQ_UINT(info.n_rules, 5883);
    vg_yara_rules_free(r);
}

/* Every allocation failure while loading gives VG_ENOMEM, no crash and no
 * leak (ASan); with enough allocations the load succeeds. */
static void
t_oom_load(void)
{
    const char *paths[1] = {dir};
    struct vg_yara_load_info info;
    struct vg_diag d;
    int done = 0;

    make_dir();
    write_file("a.yar", "rule A { strings: $a = \"alpha\" condition: $a }\n");
    write_file("b.yar", "rule B { condition: filename == \"b\" }\n");
    for (long k = 0; k < 200 && !done; k++) {
        struct vg_yara_rules *r = NULL;
        int rc;
        vg_alloc_fail_after(k);
        rc = load(paths, 1, "", &r, &info, &d);
        vg_alloc_fail_after(-1);
        if (rc == VG_OK) {
            CHECK_EQ_UINT(info.n_rules, 2);
            done = 1;
        } else if (!CHECK_RC(rc, VG_ENOMEM) || !CHECK(r == NULL)) {
            break;
        }
        vg_yara_rules_free(r);
    }
    CHECK(done);
    rm_dir();
}

static const struct vg_test tests[] = {
    T(t_externals),
    T(t_cache_keyed_by_content),
    T(t_bad_files_left_out),
    T(t_precompiled),
    T(t_match_details),
    T(t_filetype),
    T(t_vigil_rules_fixtures),
    T(t_signature_base_compiles),
    T(t_oom_load),
};

int
main(int argc, char **argv)
{
    return vg_test_main(argc, argv, tests, VG_ARRAY_LEN(tests));
}
