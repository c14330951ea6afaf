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

/* What the tests share: the loaded rules, what loading said, and the hits
 * of the last scan. Zero it with {0}; yt_end frees what is left. */
struct yt {
    struct vg_yara_rules *r;
    struct vg_yara_load_info info;
    struct vg_diag d;
    struct hits h;
};

static int
yt_load(struct yt *t, const char *const *paths, size_t n, const char *cache)
{
    return load(paths, n, cache, &t->r, &t->info, &t->d);
}

/* A fresh temp dir holding one rule file, loaded without a cache. */
static int
yt_load_one(struct yt *t, const char *name, const char *text)
{
    char p[512];
    const char *paths[1] = {p};

    make_dir();
    write_file(name, text);
    (void)snprintf(p, sizeof(p), "%s/%s", dir, name);
    return yt_load(t, paths, 1, "");
}

static void
yt_scan(struct yt *t, const struct vg_yara_file *f, const char *data,
        size_t len)
{
    scan(t->r, f, data, len, &t->h);
}

static void
yt_free_rules(struct yt *t)
{
    vg_yara_rules_free(t->r);
    t->r = NULL;
}

static void
yt_end(struct yt *t)
{
    yt_free_rules(t);
    rm_dir();
}

static const char ext_rules[] =
    "rule Name { condition: filename == \"evil.exe\" }\n"
    "rule Path { condition: filepath contains \"\\\\Temp\\\\\" }\n"
    "rule Ext { condition: extension == \".exe\" }\n"
    "rule Type { condition: filetype == \"EXE\" }\n"
    "rule Owner { condition: owner == \"alice\" }\n"
    "rule NotOwner { condition: owner == \"bob\" }\n";

static void
t_externals(void)
{
    struct yt t = {0};
    struct vg_yara_file f = {.filename = "evil.exe",
                             .filepath = "C:\\Temp\\evil.exe",
                             .extension = ".exe",
                             .filetype = "EXE",
                             .owner = "alice"};

    REQUIRE_RC(yt_load_one(&t, "ext.yar", ext_rules), VG_OK);
    CHECK_EQ_UINT(t.info.n_rules, 6);
    CHECK_EQ_UINT(t.info.n_files, 1);
    CHECK(!t.info.is_cached);
    yt_scan(&t, &f, "x", 1);
    CHECK_EQ_STR(t.h.names, "Name,Path,Ext,Type,Owner");
    /* NULL externals are "" */
    f = (struct vg_yara_file){0};
    yt_scan(&t, &f, "x", 1);
    CHECK_EQ_STR(t.h.names, "");
    yt_end(&t);
}

static void
t_cache_keyed_by_content(void)
{
    char cache[512];
    const char *paths[1] = {dir};
    struct yt t = {0};
    struct vg_yara_file f = {0};

    make_dir();
    (void)snprintf(cache, sizeof(cache), "%s/cache/vigil", dir);
    write_file("a.yar", "rule A { strings: $a = \"alpha\" condition: $a }\n");
    write_file("b.yara", "rule B { strings: $b = \"beta\" condition: $b }\n");
    write_file("c.txt", "this is not a rule file and is ignored\n");
    REQUIRE_RC(yt_load(&t, paths, 1, cache), VG_OK);
    CHECK(!t.info.is_cached);
    CHECK_EQ_UINT(t.info.n_files, 2);
    yt_free_rules(&t);
    REQUIRE_RC(yt_load(&t, paths, 1, cache), VG_OK);
    CHECK(t.info.is_cached);
    yt_scan(&t, &f, "alpha beta", 10);
    CHECK_EQ_STR(t.h.names, "A,B");
    yt_free_rules(&t);
    /* a cache file others may write is not trusted (and is rewritten) */
    {
        char cmd[700];
        (void)snprintf(cmd, sizeof(cmd), "chmod g+w %s/yara-*.yarc", cache);
        CHECK(system(cmd) == 0);
    }
    REQUIRE_RC(yt_load(&t, paths, 1, cache), VG_OK);
    CHECK(!t.info.is_cached);
    yt_free_rules(&t);
    REQUIRE_RC(yt_load(&t, paths, 1, cache), VG_OK);
    CHECK(t.info.is_cached);
    yt_free_rules(&t);
    /* any change to a rule gives a new key, so a recompile */
    write_file("b.yara", "rule B { strings: $b = \"gamma\" condition: $b }\n");
    REQUIRE_RC(yt_load(&t, paths, 1, cache), VG_OK);
    CHECK(!t.info.is_cached);
    yt_scan(&t, &f, "alpha beta", 10);
    CHECK_EQ_STR(t.h.names, "A");
    yt_end(&t);
}

static void
t_bad_files_left_out(void)
{
    const char *paths[1] = {dir};
    struct yt t = {0};
    struct vg_yara_file f = {0};

    make_dir();
    write_file("1good.yar",
               "rule Good { strings: $a = \"ok\" condition: $a }\n");
    write_file("2bad.yar", "rule Bad {\n condition: nonsense_identifier }\n");
    write_file("3dup.yar", "rule Good { condition: true }\n");
    write_file("4inc.yar",
               "include \"1good.yar\"\nrule Inc { condition: true }\n");
    write_file("5also.yar", "rule Also { condition: filesize == 2 }\n");
    REQUIRE_RC(yt_load(&t, paths, 1, ""), VG_OK);
    CHECK_EQ_UINT(t.info.n_failed, 3);
    CHECK_EQ_UINT(t.info.n_files, 2);
    CHECK_EQ_UINT(t.info.n_rules, 2);
    yt_scan(&t, &f, "ok", 2);
    CHECK_EQ_STR(t.h.names, "Good,Also");
    yt_end(&t);

    make_dir();
    write_file("only_bad.yar", "rule X {\n\n condition: nope }\n");
    CHECK_RC(yt_load(&t, paths, 1, ""), VG_ESYNTAX);
    CHECK(t.r == NULL);
    CHECK_EQ_UINT(t.d.line, 3);
    CHECK(strstr(t.d.path, "only_bad.yar") != NULL);
    rm_dir();

    make_dir();
    CHECK_RC(yt_load(&t, paths, 1, ""), VG_ENOTFOUND);
    rm_dir();
}

static void
t_precompiled(void)
{
    char cache[512], yarc[1024], src[512];
    const char *paths[2] = {src, yarc};
    struct yt t = {0};
    struct vg_yara_file f = {.filename = "a"};
    char cmd[1400];
    FILE *p;

    make_dir();
    (void)snprintf(cache, sizeof(cache), "%s/c", dir);
    (void)snprintf(src, sizeof(src), "%s/r.yar", dir);
    write_file("r.yar", "rule P { condition: filename == \"a\" }\n");
    REQUIRE_RC(yt_load(&t, paths, 1, cache), VG_OK);
    yt_free_rules(&t);
    /* the cache file is a yarac-format file: load it as precompiled */
    (void)snprintf(cmd, sizeof(cmd), "ls %s/yara-*.yarc", cache);
    p = popen(cmd, "r");
    REQUIRE(p != NULL);
    REQUIRE(fgets(yarc, sizeof(yarc), p) != NULL);
    pclose(p);
    yarc[strcspn(yarc, "\n")] = '\0';
    REQUIRE_RC(yt_load(&t, paths + 1, 1, ""), VG_OK);
    CHECK(t.info.is_compiled);
    CHECK_EQ_UINT(t.info.n_rules, 1);
    yt_scan(&t, &f, "", 0);
    CHECK_EQ_STR(t.h.names, "P");
    yt_free_rules(&t);
    /* sources and compiled rules do not mix */
    CHECK_RC(yt_load(&t, paths, 2, ""), VG_EUNSUPPORTED);
    CHECK(t.r == NULL);
    /* a damaged compiled file is an error, not a crash */
    write_file("bad.yarc", "YARA this is not really compiled");
    (void)snprintf(yarc, sizeof(yarc), "%s/bad.yarc", dir);
    CHECK_RC(yt_load(&t, paths + 1, 1, ""), VG_EFORMAT);
    yt_end(&t);
}

static void
t_match_details(void)
{
    struct yt t = {0};
    struct vg_yara_file f = {0};
    char data[4096];

    REQUIRE_RC(yt_load_one(&t, "m.yar",
                           "rule M : t1 t2 {\n"
                           " meta: description = \"desc\" score = 75 "
                           "flag = true\n"
                           " strings: $a = \"AB\" $long = /C{100}/\n"
                           " condition: any of them }\n"
                           "private rule Hidden { condition: true }\n"),
               VG_OK);
    memset(data, '.', sizeof(data));
    for (int i = 0; i < 20; i++) {
        memcpy(data + 10 + i * 3, "AB", 2);
    }
    memset(data + 1000, 'C', 100);
    yt_scan(&t, &f, data, sizeof(data));
    CHECK_EQ_STR(t.h.names, "M"); /* private rules are not reported */
    CHECK_EQ_STR(t.h.tags, "t1 t2");
    CHECK_EQ_UINT(t.h.n_meta, 3);
    CHECK_EQ_STR(t.h.meta[0][0], "description");
    CHECK_EQ_STR(t.h.meta[1][1], "75");
    CHECK_EQ_STR(t.h.meta[2][1], "true");
    CHECK_EQ_UINT(t.h.n_total, 21); /* 20 x $a, 1 x $long */
    CHECK_EQ_UINT(t.h.n_str, VG_YARA_MAX_STRINGS);
    CHECK_EQ_STR(t.h.strid[0], "$a");
    CHECK_EQ_UINT(t.h.stroff[0], 10);
    CHECK_EQ_UINT(t.h.stroff[1], 13);
    CHECK_EQ_UINT(t.h.strlen_[0], 2);
    yt_end(&t);
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
    struct yt t = {0};

    REQUIRE(src != NULL);
    (void)snprintf(rules, sizeof(rules), "%s/rules/yara", src);
    REQUIRE_RC(yt_load(&t, paths, 1, ""), VG_OK);
    CHECK_EQ_UINT(t.info.n_failed, 0);
    CHECK_EQ_UINT(t.info.n_files, 3);
    for (size_t i = 0; i < VG_ARRAY_LEN(fixtures); i++) {
        const struct fixture *fx = &fixtures[i];
        size_t len = fx->len != 0 ? fx->len : strlen(fx->data);
        char path[512], ext[16] = "";
        const char *dot = strrchr(base_name(fx->path), '.');
        struct vg_yara_file f;
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
        yt_scan(&t, &f, fx->data, len);
        if (!CHECK_EQ_STR(t.h.names, fx->expect)) {
            fprintf(stderr, "# fixture %s\n", fx->path);
        }
        /* the same with '/' separators (mounted evidence) */
        (void)snprintf(path, sizeof(path), "/mnt/evidence/%s", fx->path);
        yt_scan(&t, &f, fx->data, len);
        if (!CHECK_EQ_STR(t.h.names, fx->expect)) {
            fprintf(stderr, "# fixture %s (unix path)\n", fx->path);
        }
    }
    yt_free_rules(&t);
}

/* signature-base compiles unmodified thanks to the externals. */
static void
t_signature_base_compiles(void)
{
    const char *corpora = vg_test_env("VG_CORPORA");
    char rules[512];
    const char *paths[1] = {rules};
    struct yt t = {0};
    struct stat st;

    (void)snprintf(rules, sizeof(rules), "%s/signature-base/yara",
                   corpora != NULL ? corpora : "");
    if (corpora == NULL || stat(rules, &st) != 0) {
        vg_test_skip("corpus not found: signature-base/yara");
        return;
    }
    REQUIRE_RC(yt_load(&t, paths, 1, ""), VG_OK);
    CHECK_EQ_UINT(t.info.n_failed, 0);
    CHECK_EQ_UINT(t.info.n_files, 741);
    /* 5871 public rules (what `yara` and `yara -n` list together for any
     * file) plus 12 private ones; commented-out rules do not count. */
    CHECK_EQ_UINT(t.info.n_rules, 5883);
    yt_free_rules(&t);
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
