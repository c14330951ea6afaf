/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test_ioc_corpus.c - the signature-base iocs/ lists (third-party Loki
 * data) import with exact counts per type, round-trip through the saved
 * store, and known entries are found. Skips visibly without the corpus.
 *
 * Expected counts were computed independently of Vigil with awk on the
 * corpus at commit 8a89b3bf5451 (see ../shared/corpora/README.md):
 *   hash-iocs.txt: non-comment, non-blank lines, field 1 with blanks
 *     removed, hex of length 32/40/64, lower-cased, `sort -u | wc -l`:
 *       md5 986 (of 1039 lines), sha1 893 (of 926), sha256 1174 (of 1259)
 *   c2-iocs.txt: field 1; dotted quads `sort -u`: 118 (of 135 lines);
 *     the rest lower-cased, trailing dot removed, `sort -u`: 1655 domains
 *     (of 1709 lines); every one matches ^([a-z0-9_-]{1,63}\.)+[a-z]{2,63}$
 *   filename-iocs.txt: 3828 data lines, all REGEX;SCORE[;FP]; regex
 *     field (sed 's/;[0-9]+(;.*)?$//') `sort -u`: 3711
 * Duplicates become merged sources: 3224-3053 = 171, 1844-1773 = 71,
 * 3828-3711 = 117.
 */
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "vg_test.h"
#include "vigil/ioc.h"

static int
corpus_file(const char *name, char *out, size_t cap)
{
    const char *root = vg_test_env("VG_CORPORA");
    struct stat sb;
    if (root == NULL) {
        root = "../shared/corpora";
    }
    snprintf(out, cap, "%s/signature-base/iocs/%s", root, name);
    if (stat(out, &sb) != 0) {
        char msg[600];
        snprintf(msg, sizeof(msg), "corpus not found: %s", out);
        vg_test_skip(msg);
        return 0;
    }
    return 1;
}

static int
import(struct vg_ioc_store *st, const char *name, struct vg_ioc_import_stats *s)
{
    char path[512];
    struct vg_diag d;
    memset(s, 0, sizeof(*s));
    if (!corpus_file(name, path, sizeof(path))) {
        return 0;
    }
    return CHECK_RC(vg_ioc_import_file(st, path, NULL, s, &d), VG_OK);
}

static void
t_signature_base(void)
{
    struct vg_ioc_store *st = NULL, *back = NULL;
    struct vg_ioc_import_stats s;
    REQUIRE_RC(vg_ioc_store_new(&st), VG_OK);

    if (!import(st, "hash-iocs.txt", &s)) {
        goto out;
    }
    CHECK_EQ_INT(s.format, VG_IOC_FMT_LOKI_HASH);
    CHECK_EQ_UINT(s.added[VG_IOC_MD5], 986);
    CHECK_EQ_UINT(s.added[VG_IOC_SHA1], 893);
    CHECK_EQ_UINT(s.added[VG_IOC_SHA256], 1174);
    CHECK_EQ_UINT(s.merged, 171);
    CHECK_EQ_UINT(s.issues[VG_IOC_ISSUE_ERROR], 0);

    if (!import(st, "c2-iocs.txt", &s)) {
        goto out;
    }
    CHECK_EQ_INT(s.format, VG_IOC_FMT_LOKI_C2);
    CHECK_EQ_UINT(s.added[VG_IOC_IPV4], 118);
    CHECK_EQ_UINT(s.added[VG_IOC_DOMAIN], 1655);
    CHECK_EQ_UINT(s.merged, 71);
    CHECK_EQ_UINT(s.issues[VG_IOC_ISSUE_ERROR], 0);

    if (!import(st, "filename-iocs.txt", &s)) {
        goto out;
    }
    CHECK_EQ_INT(s.format, VG_IOC_FMT_LOKI_FILENAME);
    CHECK_EQ_UINT(s.added[VG_IOC_FILEPATH], 3711);
    CHECK_EQ_UINT(s.merged, 117);
    CHECK_EQ_UINT(s.issues[VG_IOC_ISSUE_ERROR], 0);

    CHECK_EQ_UINT(vg_ioc_count(st), 986 + 893 + 1174 + 118 + 1655 + 3711);
    /* every Loki filename regex compiles with PCRE2 */
    CHECK_EQ_INT(vg_ioc_store_seal(st), 0);

    /* known entries (hash-iocs.txt line 3336, c2 line 1851, filename 4394) */
    uint32_t ids[8];
    CHECK_EQ_INT(
        vg_ioc_lookup_hash(
            st,
            "78A11835B48BBE6A0127B777C0C3CC102E726205F67AFEFCD82F073E56489E49",
            64, ids, 8),
        1);
    CHECK_EQ_INT(vg_ioc_lookup_domain(st, "cdn.anydeskupdate.com", 21, ids, 8),
                 1);
    const char *lb3 =
        "C:\\Windows\\TEMP\\ScreenConnect\\22.5.7881.8171\\LB3.exe";
    CHECK(vg_ioc_lookup_path(st, lb3, strlen(lb3), ids, 8) >= 1);
    struct vg_ioc_src src;
    REQUIRE_RC(
        vg_ioc_lookup_hash(
            st,
            "78a11835b48bbe6a0127b777c0c3cc102e726205f67afefcd82f073e56489e49",
            64, ids, 8),
        1);
    REQUIRE_RC(vg_ioc_get_src(st, ids[0], 0, &src), VG_OK);
    CHECK_EQ_UINT(src.line, 3336);
    CHECK(strncmp(src.description, "ScreenConnect Exploitation IOCs", 31) == 0);
    CHECK_EQ_STR(src.feed, "hash-iocs.txt");

    /* save/load round trip keeps everything and loads fast */
    struct vg_buf a;
    struct vg_diag d;
    vg_buf_init(&a, 1u << 28);
    REQUIRE_RC(vg_ioc_store_serialize(st, &a), VG_OK);
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    CHECK_RC(vg_ioc_store_load_mem(a.data, a.len, &back, &d), VG_OK);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    double ms = (double)(t1.tv_sec - t0.tv_sec) * 1e3 +
                (double)(t1.tv_nsec - t0.tv_nsec) / 1e6;
    printf("# signature-base store: %zu bytes, %u indicators, loaded in "
           "%.1f ms\n",
           a.len, back != NULL ? vg_ioc_count(back) : 0, ms);
    CHECK_EQ_UINT(back != NULL ? vg_ioc_count(back) : 0, vg_ioc_count(st));
    if (back != NULL) {
        CHECK_EQ_UINT(vg_ioc_count_type(back, VG_IOC_SHA256), 1174);
        CHECK_EQ_UINT(vg_ioc_count_type(back, VG_IOC_FILEPATH), 3711);
        CHECK_EQ_INT(
            vg_ioc_lookup_domain(back, "anydeskupdates.com", 18, ids, 8), 1);
    }
    vg_buf_fini(&a);
out:
    vg_ioc_store_free(back);
    vg_ioc_store_free(st);
}

static const struct vg_test tests[] = {
    T(t_signature_base),
};

int
main(int argc, char **argv)
{
    return vg_test_main(argc, argv, tests, VG_ARRAY_LEN(tests));
}
