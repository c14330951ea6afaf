/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test_report_writers.c - the JSON Lines, CSV and text writers end to end
 * through a memory sink, with exact expected bytes: a finding with every
 * field, absent fields, min_severity filtering, grouping by severity,
 * hostile strings, vg_finding_dup and the per-finding size cap.
 */
#include <stdlib.h>
#include <string.h>

#include "core/alloc.h"
#include "core/limits.h"
#include "vg_test.h"
#include "vigil/vigil.h"

static int
mem_sink(void *arg, const void *p, size_t n)
{
    return vg_buf_add(arg, p, n) == VG_OK ? VG_OK : VG_EIO;
}

static const struct vg_kv full_values[] = {
    {"Image", "C:\\Temp\\ScreenConnect.exe"},
    {"User", "bob"},
};
static const struct vg_kv full_extra[] = {{"channel", "Security"}};
static const char *const full_tech[] = {"T1219", "T1078"};

/* 2023-11-02T14:05:09.123456Z */
#define FULL_TIME INT64_C(1698933909123456)

static const struct vg_finding full = {
    .time_us = FULL_TIME,
    .host = "WS01",
    .module = "hunt",
    .severity = VG_SEV_HIGH,
    .score = 80,
    .title = "ScreenConnect run from Temp",
    .reason = "remote-access tool started from a temporary folder",
    .remediation = "isolate the host and check who installed it",
    .rule = {.id = "r-1",
             .name = "RMM in Temp",
             .source = "sigma",
             .reference = "https://example.org/r1"},
    .evidence = {.path = "C:/logs/Security.evtx",
                 .offset = 4096,
                 .record_id = 42,
                 .values = full_values,
                 .n_values = 2},
    .techniques = full_tech,
    .n_techniques = 2,
    .extra = full_extra,
    .n_extra = 1,
};

static const struct vg_finding bare = {
    .time_us = VG_TIME_NONE,
    .severity = VG_SEV_LOW,
    .title = "bare",
    .evidence = {.offset = VG_OFFSET_NONE},
};

/* Run one writer over findings; returns the bytes written (caller frees). */
static char *
render(const struct vg_writer_opts *o, const struct vg_finding *const *f,
       size_t n, struct vg_run_summary *sum)
{
    struct vg_buf out;
    struct vg_writer *w = NULL;
    char *s = NULL;

    vg_buf_init(&out, 1u << 20);
    if (vg_writer_new(o, mem_sink, &out, &w) != VG_OK) {
        goto out;
    }
    for (size_t i = 0; i < n; i++) {
        if (vg_writer_add(w, f[i]) != VG_OK) {
            goto out;
        }
    }
    if (vg_writer_end(w, sum) != VG_OK) {
        goto out;
    }
    s = vg_buf_take(&out);
out:
    vg_writer_free(w);
    vg_buf_fini(&out);
    return s;
}

static void
t_jsonl_full(void)
{
    struct vg_writer_opts o = {.format = VG_FORMAT_JSONL};
    const struct vg_finding *f[] = {&full, &bare};
    struct vg_run_summary sum = {0};
    char *s = render(&o, f, 2, &sum);
    REQUIRE(s != NULL);
    CHECK_EQ_STR(
        s,
        "{\"schema_version\":1,\"@timestamp\":\"2023-11-02T14:05:09.123456Z\","
        "\"host\":{\"name\":\"WS01\"},"
        "\"event\":{\"module\":\"hunt\",\"severity\":3,\"kind\":\"alert\"},"
        "\"vigil\":{\"severity\":\"high\",\"score\":80,"
        "\"title\":\"ScreenConnect run from Temp\","
        "\"reason\":\"remote-access tool started from a temporary folder\","
        "\"remediation\":\"isolate the host and check who installed it\","
        "\"matched\":{\"Image\":\"C:\\\\Temp\\\\ScreenConnect.exe\","
        "\"User\":\"bob\"},\"extra\":{\"channel\":\"Security\"}},"
        "\"rule\":{\"id\":\"r-1\",\"name\":\"RMM in Temp\","
        "\"ruleset\":\"sigma\",\"reference\":\"https://example.org/r1\"},"
        "\"file\":{\"path\":\"C:/logs/Security.evtx\"},"
        "\"evidence\":{\"offset\":4096,\"record_id\":42},"
        "\"threat\":{\"technique\":{\"id\":[\"T1219\",\"T1078\"]}}}\n"
        "{\"schema_version\":1,\"event\":{\"severity\":1,\"kind\":\"alert\"},"
        "\"vigil\":{\"severity\":\"low\",\"score\":30,\"title\":\"bare\"}}\n");
    CHECK_EQ_UINT(sum.n_findings[VG_SEV_HIGH], 1);
    CHECK_EQ_UINT(sum.n_findings[VG_SEV_LOW], 1);
    free(s);
}

static void
t_csv_rows(void)
{
    struct vg_writer_opts o = {.format = VG_FORMAT_CSV};
    struct vg_finding evil = bare;
    const struct vg_finding *f[] = {&full, &evil};
    struct vg_run_summary sum = {0};

    evil.title = "=cmd|' /C calc'!A0";
    evil.reason = "say \"hi\", twice";
    char *s = render(&o, f, 2, &sum);
    REQUIRE(s != NULL);
    CHECK_EQ_STR(
        s,
        "time,severity,score,module,title,reason,rule_id,rule_name,path,"
        "offset,record_id,host,techniques,matched,remediation\r\n"
        "2023-11-02T14:05:09.123456Z,high,80,hunt,ScreenConnect run from Temp,"
        "remote-access tool started from a temporary folder,r-1,RMM in Temp,"
        "C:/logs/Security.evtx,4096,42,WS01,T1219;T1078,"
        "Image=C:\\Temp\\ScreenConnect.exe;User=bob,"
        "isolate the host and check who installed it\r\n"
        ",low,30,,'=cmd|' /C calc'!A0,\"say \"\"hi\"\", twice\","
        ",,,,,,,,\r\n");
    free(s);
}

static void
t_text_nocolor(void)
{
    struct vg_writer_opts o = {.format = VG_FORMAT_TEXT,
                               .title = "vigil scan demo/"};
    struct vg_finding info = bare, crit = bare;
    const struct vg_finding *f[] = {&bare, &full, &info, &crit};
    struct vg_run_summary sum = {
        .n_items = 12, .items_name = "files", .n_errors = 1, .elapsed_s = 2.5};

    info.severity = VG_SEV_INFO;
    info.title = "note";
    crit.severity = VG_SEV_CRITICAL;
    crit.title = "evil\x1b[2Jtitle";
    crit.reason = "line\nbreak";
    char *s = render(&o, f, 4, &sum);
    REQUIRE(s != NULL);
    CHECK_EQ_STR(
        s, "vigil scan demo/\n"
           "Verdict: COMPROMISED - 2 high or critical findings: act now.\n"
           "\n"
           "[critical] evil\\x1b[2Jtitle\n"
           "    why:   line\\x0abreak\n"
           "\n"
           "[high] ScreenConnect run from Temp\n"
           "    time:  2023-11-02T14:05:09.123456Z\n"
           "    where: C:/logs/Security.evtx (offset 4096) (record 42)\n"
           "    why:   remote-access tool started from a temporary folder\n"
           "    ->     isolate the host and check who installed it\n"
           "\n"
           "[low] bare\n"
           "\n"
           "[info] note\n"
           "\n"
           "Summary: 1 critical, 1 high, 0 medium, 1 low, 1 info; 12 files "
           "examined; 1 error; elapsed 2.5 s\n");
    free(s);
}

static void
t_text_color_and_quiet(void)
{
    struct vg_writer_opts o = {
        .format = VG_FORMAT_TEXT, .use_color = 1, .quiet = 1};
    const struct vg_finding *f[] = {&bare};
    struct vg_run_summary sum = {.n_items = 1};
    char *s = render(&o, f, 1, &sum);
    REQUIRE(s != NULL);
    CHECK_EQ_STR(
        s, "Verdict: \033[33mSUSPICIOUS\033[0m - 1 low or medium finding to "
           "review.\n\n\033[36m[low]\033[0m bare\n");
    free(s);
}

static void
t_text_clean(void)
{
    struct vg_writer_opts o = {.format = VG_FORMAT_TEXT};
    struct vg_run_summary sum = {.n_items = 3, .items_name = "records"};
    char *s = render(&o, NULL, 0, &sum);
    REQUIRE(s != NULL);
    CHECK_EQ_STR(s, "Verdict: CLEAN - no findings.\n\n"
                    "Summary: 0 critical, 0 high, 0 medium, 0 low, 0 info; "
                    "3 records examined; 0 errors; elapsed <1 s\n");
    free(s);
}

static void
t_min_severity(void)
{
    struct vg_writer_opts o = {.format = VG_FORMAT_JSONL,
                               .min_severity = VG_SEV_MEDIUM};
    const struct vg_finding *f[] = {&bare};
    struct vg_run_summary sum = {0};
    char *s = render(&o, f, 1, &sum);
    REQUIRE(s != NULL);
    CHECK_EQ_STR(s, "");
    CHECK_EQ_UINT(sum.n_findings[VG_SEV_LOW], 0);
    free(s);
}

static void
t_text_truncates(void)
{
    struct vg_writer_opts o = {.format = VG_FORMAT_TEXT, .quiet = 1};
    struct vg_finding big = bare;
    char *title = malloc(VG_MAX_TEXT_FIELD + 100);
    REQUIRE(title != NULL);
    memset(title, 'A', VG_MAX_TEXT_FIELD + 99);
    title[VG_MAX_TEXT_FIELD + 99] = '\0';
    big.title = title;
    const struct vg_finding *f[] = {&big};
    struct vg_run_summary sum = {.n_items = 1};
    char *s = render(&o, f, 1, &sum);
    REQUIRE(s != NULL);
    const char *t = strstr(s, "[low] ");
    REQUIRE(t != NULL);
    /* "[low] " + 512 bytes + "..." + "\n" */
    CHECK_EQ_UINT(strlen(t), 6 + VG_MAX_TEXT_FIELD + 3 + 1);
    free(s);
    free(title);
}

static void
t_dup(void)
{
    struct vg_finding *d = vg_finding_dup(&full);
    REQUIRE(d != NULL);
    CHECK_EQ_STR(d->title, full.title);
    CHECK(d->title != full.title);
    CHECK_EQ_STR(d->rule.reference, full.rule.reference);
    CHECK_EQ_UINT(d->evidence.n_values, 2);
    CHECK_EQ_STR(d->evidence.values[1].value, "bob");
    CHECK_EQ_STR(d->extra[0].key, "channel");
    CHECK_EQ_STR(d->techniques[1], "T1078");
    CHECK_EQ_INT(d->time_us, FULL_TIME);
    free(d);
    d = vg_finding_dup(&bare);
    REQUIRE(d != NULL);
    CHECK(d->host == NULL && d->evidence.values == NULL &&
          d->techniques == NULL && d->extra == NULL);
    free(d);
}

static void
t_oversize_is_elimit(void)
{
    struct vg_buf out;
    struct vg_writer_opts o = {.format = VG_FORMAT_JSONL};
    struct vg_writer *w = NULL;
    struct vg_finding big = bare;
    size_t n = VG_MAX_FINDING_BYTES / 6 + 16;
    char *s = malloc(n + 1);
    REQUIRE(s != NULL);
    memset(s, 1, n); /* each becomes \u0001: six bytes */
    s[n] = '\0';
    big.title = s;
    vg_buf_init(&out, 1u << 20);
    CHECK_RC(vg_writer_new(&o, mem_sink, &out, &w), VG_OK);
    CHECK_RC(vg_writer_add(w, &big), VG_ELIMIT);
    CHECK_EQ_UINT(out.len, 0); /* no half line */
    CHECK_RC(vg_writer_add(w, &bare), VG_OK);
    CHECK_EQ_STR(out.data,
                 "{\"schema_version\":1,\"event\":{\"severity\":1,"
                 "\"kind\":\"alert\"},\"vigil\":{\"severity\":\"low\","
                 "\"score\":30,\"title\":\"bare\"}}\n");
    vg_writer_free(w);
    vg_buf_fini(&out);
    free(s);
}

/* Fail the k-th allocation for every k: each run either succeeds with the
 * exact output or fails cleanly (NULL), and ASan sees no leak. */
static void
oom_format(enum vg_format fmt)
{
    struct vg_writer_opts o = {.format = fmt, .title = "t"};
    const struct vg_finding *f[] = {&full, &bare};
    struct vg_run_summary sum = {.n_items = 1};
    char *want = render(&o, f, 2, &sum);
    int failed = 0;

    REQUIRE(want != NULL);
    for (long k = 0; k < 10000; k++) {
        vg_alloc_fail_after(k);
        char *got = render(&o, f, 2, &sum);
        vg_alloc_fail_after(-1);
        if (got == NULL) {
            failed++;
            continue;
        }
        CHECK_EQ_STR(got, want);
        free(got);
        break;
    }
    CHECK(failed > 0);
    free(want);
}

static void
t_oom(void)
{
    oom_format(VG_FORMAT_JSONL);
    oom_format(VG_FORMAT_CSV);
    oom_format(VG_FORMAT_TEXT);
}

static const struct vg_test tests[] = {
    T(t_jsonl_full),         T(t_csv_rows),
    T(t_text_nocolor),       T(t_text_color_and_quiet),
    T(t_text_clean),         T(t_min_severity),
    T(t_text_truncates),     T(t_dup),
    T(t_oversize_is_elimit), T(t_oom),
};

int
main(int argc, char **argv)
{
    return vg_test_main(argc, argv, tests, VG_ARRAY_LEN(tests));
}
