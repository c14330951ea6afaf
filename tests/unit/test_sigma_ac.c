/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test_sigma_ac.c - the prefilter's Aho-Corasick matcher (lib/sigma/ac.c):
 * exact occurrence lists (pattern, end) for overlapping and nested
 * patterns, case folding, empty and 1-byte patterns, patterns at the start
 * and end of the text, duplicate patterns, separate pattern sets, stopping
 * early, and agreement with a naive search on generated patterns/texts.
 */
#include <stdio.h>
#include <string.h>

#include "core/str.h"
#include "sigma/ac.h"
#include "vg_test.h"
#include "vigil/err.h"

#define MAXHIT 256

struct hits {
    uint32_t id[MAXHIT];
    size_t   end[MAXHIT];
    size_t   n;
    size_t   stop_after; /* 0: never stop */
};

static int
collect(void *arg, uint32_t id, size_t end)
{
    struct hits *h = arg;
    if (h->n < MAXHIT) {
        h->id[h->n] = id;
        h->end[h->n] = end;
    }
    h->n++;
    return h->stop_after != 0 && h->n >= h->stop_after ? 7 : 0;
}

/* Occurrences as "id@end" joined by spaces, sorted by end then id, so the
 * expectation does not depend on the order of suffix reports. */
static void
render(const struct hits *h, char *out, size_t cap)
{
    size_t idx[MAXHIT], n = h->n < MAXHIT ? h->n : MAXHIT, len = 0;
    for (size_t i = 0; i < n; i++) {
        size_t j = i;
        for (; j > 0 && (h->end[idx[j - 1]] > h->end[i] ||
                         (h->end[idx[j - 1]] == h->end[i] &&
                          h->id[idx[j - 1]] > h->id[i]));
             j--)
            idx[j] = idx[j - 1];
        idx[j] = i;
    }
    out[0] = '\0';
    for (size_t i = 0; i < n && len < cap; i++)
        len += (size_t)snprintf(out + len, cap - len, "%s%u@%zu",
                                i ? " " : "", (unsigned)h->id[idx[i]],
                                h->end[idx[i]]);
}

static int
scan_str(const struct sg_ac *ac, uint32_t set, const char *text, char *out,
         size_t cap)
{
    struct hits h;
    memset(&h, 0, sizeof(h));
    int rc = sg_ac_scan(ac, set, (const uint8_t *)text, strlen(text),
                        collect, &h);
    render(&h, out, cap);
    return rc;
}

#define P(set, id, s) { (set), (id), (const uint8_t *)(s), sizeof(s) - 1 }

static void
t_overlap(void)
{
    /* the classic: he, she, his, hers over "ushers" */
    const struct sg_ac_pat p[] = { P(0, 1, "he"), P(0, 2, "she"),
                                   P(0, 3, "his"), P(0, 4, "hers") };
    struct sg_ac ac;
    char got[512];
    REQUIRE_RC(sg_ac_build(&ac, 1, p, 4), VG_OK);
    CHECK_RC(scan_str(&ac, 0, "ushers", got, sizeof(got)), 0);
    CHECK_EQ_STR(got, "1@4 2@4 4@6");
    CHECK_RC(scan_str(&ac, 0, "hishe", got, sizeof(got)), 0);
    CHECK_EQ_STR(got, "3@3 1@5 2@5");
    CHECK_RC(scan_str(&ac, 0, "xyz", got, sizeof(got)), 0);
    CHECK_EQ_STR(got, "");
    CHECK_RC(scan_str(&ac, 0, "", got, sizeof(got)), 0);
    CHECK_EQ_STR(got, "");
    sg_ac_free(&ac);
}

static void
t_nested_and_repeats(void)
{
    const struct sg_ac_pat p[] = { P(0, 10, "aa"), P(0, 11, "aaa"),
                                   P(0, 12, "a"), P(0, 13, "ab") };
    struct sg_ac ac;
    char got[512];
    REQUIRE_RC(sg_ac_build(&ac, 1, p, 4), VG_OK);
    CHECK_RC(scan_str(&ac, 0, "aaab", got, sizeof(got)), 0);
    CHECK_EQ_STR(got, "12@1 10@2 12@2 10@3 11@3 12@3 13@4");
    sg_ac_free(&ac);
}

static void
t_case_folding(void)
{
    const struct sg_ac_pat p[] = { P(0, 1, "\\PowerShell.EXE"),
                                   P(0, 2, "c:\\windows\\") };
    struct sg_ac ac;
    char got[512];
    REQUIRE_RC(sg_ac_build(&ac, 1, p, 2), VG_OK);
    CHECK_RC(scan_str(&ac, 0, "C:\\WINDOWS\\System32\\powershell.exe", got,
                      sizeof(got)),
             0);
    CHECK_EQ_STR(got, "2@11 1@34");
    /* non-ASCII bytes are compared as they are */
    CHECK_RC(scan_str(&ac, 0, "\xC3\x89\\POWERSHELL.exe", got, sizeof(got)),
             0);
    CHECK_EQ_STR(got, "1@17");
    sg_ac_free(&ac);
}

static void
t_empty_and_one_byte(void)
{
    const struct sg_ac_pat p[] = { { 0, 5, (const uint8_t *)"", 0 },
                                   P(0, 6, "x"), P(0, 7, "X") };
    struct sg_ac ac;
    char got[512];
    REQUIRE_RC(sg_ac_build(&ac, 1, p, 3), VG_OK);
    CHECK_RC(scan_str(&ac, 0, "", got, sizeof(got)), 0);
    CHECK_EQ_STR(got, "5@0");
    CHECK_RC(scan_str(&ac, 0, "xAx", got, sizeof(got)), 0);
    CHECK_EQ_STR(got, "5@0 6@1 7@1 6@3 7@3");
    sg_ac_free(&ac);
}

static void
t_edges_of_text(void)
{
    const struct sg_ac_pat p[] = { P(0, 1, "start"), P(0, 2, "end"),
                                   P(0, 3, "startend") };
    struct sg_ac ac;
    char got[512];
    REQUIRE_RC(sg_ac_build(&ac, 1, p, 3), VG_OK);
    CHECK_RC(scan_str(&ac, 0, "startend", got, sizeof(got)), 0);
    CHECK_EQ_STR(got, "1@5 2@8 3@8");
    CHECK_RC(scan_str(&ac, 0, "star", got, sizeof(got)), 0);
    CHECK_EQ_STR(got, "");
    CHECK_RC(scan_str(&ac, 0, "en", got, sizeof(got)), 0);
    CHECK_EQ_STR(got, "");
    sg_ac_free(&ac);
}

static void
t_sets_and_duplicates(void)
{
    const struct sg_ac_pat p[] = { P(0, 1, "cmd"), P(1, 2, "cmd"),
                                   P(1, 3, "cmd"), P(2, 4, "md") };
    struct sg_ac ac;
    char got[512];
    REQUIRE_RC(sg_ac_build(&ac, 3, p, 4), VG_OK);
    CHECK_RC(scan_str(&ac, 0, "cmd.exe", got, sizeof(got)), 0);
    CHECK_EQ_STR(got, "1@3");
    CHECK_RC(scan_str(&ac, 1, "cmd.exe", got, sizeof(got)), 0);
    CHECK_EQ_STR(got, "2@3 3@3");
    CHECK_RC(scan_str(&ac, 2, "cmd.exe", got, sizeof(got)), 0);
    CHECK_EQ_STR(got, "4@3");
    CHECK_RC(scan_str(&ac, 3, "cmd.exe", got, sizeof(got)), 0); /* no set */
    CHECK_EQ_STR(got, "");
    sg_ac_free(&ac);
    const struct sg_ac_pat bad[] = { P(3, 1, "x") };
    CHECK_RC(sg_ac_build(&ac, 3, bad, 1), VG_EINVAL);
    CHECK_RC(sg_ac_build(&ac, 0, NULL, 0), VG_EINVAL);
}

/* A state with many edges (searched, not indexed): "x" followed by every
 * letter, and a deeper state with many edges too. */
static void
t_wide_state(void)
{
    static uint8_t pat[26][3];
    struct sg_ac_pat p[27];
    for (size_t i = 0; i < 26; i++) {
        pat[i][0] = 'x';
        pat[i][1] = (uint8_t)('a' + i);
        p[i] = (struct sg_ac_pat){ 0, (uint32_t)i, pat[i], 2 };
    }
    p[26] = (struct sg_ac_pat){ 0, 99, (const uint8_t *)"qxm", 3 };
    struct sg_ac ac;
    char got[512];
    REQUIRE_RC(sg_ac_build(&ac, 1, p, 27), VG_OK);
    CHECK_RC(scan_str(&ac, 0, "xA-XZ-xq-xx-QXM-xn-xu", got, sizeof(got)), 0);
    CHECK_EQ_STR(got, "0@2 25@5 16@8 23@11 12@15 99@15 13@18 20@21");
    sg_ac_free(&ac);
}

static void
t_stop(void)
{
    const struct sg_ac_pat p[] = { P(0, 1, "a") };
    struct sg_ac ac;
    struct hits h;
    memset(&h, 0, sizeof(h));
    h.stop_after = 2;
    REQUIRE_RC(sg_ac_build(&ac, 1, p, 1), VG_OK);
    CHECK_RC(sg_ac_scan(&ac, 0, (const uint8_t *)"aaaa", 4, collect, &h), 7);
    CHECK_EQ_UINT(h.n, 2);
    CHECK_EQ_UINT(h.end[1], 2);
    sg_ac_free(&ac);
}

/* Deterministic pseudo-random patterns over a small alphabet (so that
 * they overlap a lot), checked against a naive search. */
static uint32_t
rnd(uint32_t *st)
{
    *st = *st * 1103515245u + 12345u;
    return *st >> 16;
}

static size_t
naive(const struct sg_ac_pat *p, size_t np, uint32_t set, const uint8_t *t,
      size_t n)
{
    size_t c = 0;
    for (size_t i = 0; i < np; i++) {
        if (p[i].set != set)
            continue;
        if (p[i].len == 0) {
            c++;
            continue;
        }
        for (size_t e = p[i].len; e <= n; e++)
            if (vg_ascii_ieq((const char *)p[i].p,
                             (const char *)t + e - p[i].len, p[i].len))
                c++;
    }
    return c;
}

static void
against_naive(size_t minlen)
{
    uint8_t store[200][8];
    struct sg_ac_pat p[200];
    uint32_t st = 42;
    /* 12 letters folding to 10 bytes: enough edges per state to exercise
     * the edge search, few enough for many overlaps */
    const char alpha[] = "abcdefgAB\\.-";
    for (size_t i = 0; i < 200; i++) {
        size_t len = minlen + rnd(&st) % 4;
        for (size_t k = 0; k < len; k++)
            store[i][k] = (uint8_t)alpha[rnd(&st) % 12];
        p[i] = (struct sg_ac_pat){ (uint32_t)(i % 3), (uint32_t)i, store[i],
                                   len };
    }
    struct sg_ac ac;
    REQUIRE_RC(sg_ac_build(&ac, 3, p, 200), VG_OK);
    for (int round = 0; round < 50; round++) {
        uint8_t text[300];
        size_t n = rnd(&st) % sizeof(text);
        for (size_t k = 0; k < n; k++)
            text[k] = (uint8_t)alpha[rnd(&st) % 12];
        for (uint32_t set = 0; set < 3; set++) {
            struct hits h;
            memset(&h, 0, sizeof(h));
            CHECK_RC(sg_ac_scan(&ac, set, text, n, collect, &h), 0);
            if (!CHECK_EQ_UINT(h.n, naive(p, 200, set, text, n)))
                break;
            /* every reported occurrence is real */
            for (size_t i = 0; i < h.n && i < MAXHIT; i++) {
                const struct sg_ac_pat *q = &p[h.id[i]];
                CHECK(q->set == set && h.end[i] >= q->len &&
                      vg_ascii_ieq((const char *)q->p,
                                   (const char *)text + h.end[i] - q->len,
                                   q->len));
            }
        }
    }
    sg_ac_free(&ac);
}

/* With 1-byte patterns (the automaton alone) and without (the bigram skip
 * at the root is used too). */
static void
t_against_naive(void)
{
    against_naive(1);
    against_naive(2);
}

static const struct vg_test tests[] = {
    T(t_overlap),     T(t_nested_and_repeats), T(t_case_folding),
    T(t_empty_and_one_byte), T(t_edges_of_text), T(t_sets_and_duplicates),
    T(t_wide_state),  T(t_stop),        T(t_against_naive),
};

int
main(int argc, char **argv)
{
    return vg_test_main(argc, argv, tests, VG_ARRAY_LEN(tests));
}
