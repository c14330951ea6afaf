/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test_report_read_html.c - the JSON Lines reader and the HTML writer.
 * Reader: findings written by the JSONL writer read back byte-identical
 * (every field, absent fields, hostile bytes), bad lines reported with
 * file:line and exact reasons and skipped, the fd reader's block and
 * long-line handling. HTML: evidence appears only escaped (text and the
 * JSON blob), exactly two script elements, the CSP, verdict reason,
 * inventory and incident sections, and allocation failures are clean.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/alloc.h"
#include "vg_test.h"
#include "vigil/vigil.h"

static int
mem_sink(void *arg, const void *p, size_t n)
{
    return vg_buf_add(arg, p, n) == VG_OK ? VG_OK : VG_EIO;
}

static const struct vg_kv vals[] = {
    {"Image", "C:\\Temp\\<img src=x onerror=alert(1)>.exe"},
    {"bytes", "\x01\xff</script><!--"},
};
static const struct vg_kv ext[] = {{"channel", "Security"}};
static const char *const tech[] = {"T1219", "T1127.001"};

static const struct vg_finding full = {
    .time_us = INT64_C(1698933909123456),
    .host = "RX01",
    .module = "hunt",
    .severity = VG_SEV_HIGH,
    .score = 80,
    .title = "<img src=x onerror=alert(1)>.xml",
    .reason = "why \"quoted\" & more",
    .remediation = "isolate",
    .rule = {.id = "r-1", .name = "n", .source = "sigma",
             .reference = "https://example.org/r1"},
    .evidence = {.path = "C:/Windows/Temp/<img src=x onerror=alert(1)>.xml",
                 .offset = 4096,
                 .record_id = 42,
                 .values = vals,
                 .n_values = 2},
    .techniques = tech,
    .n_techniques = 2,
    .extra = ext,
    .n_extra = 1,
};

static const struct vg_finding bare = {
    .time_us = VG_TIME_NONE,
    .severity = VG_SEV_LOW,
    .title = "bare",
    .evidence = {.offset = VG_OFFSET_NONE},
};

static void
jsonl_of(const struct vg_finding *f, size_t n, struct vg_buf *out)
{
    struct vg_writer_opts o = {.format = VG_FORMAT_JSONL};
    struct vg_writer *w = NULL;
    struct vg_run_summary sum = {0};

    REQUIRE_RC(vg_writer_new(&o, mem_sink, out, &w), VG_OK);
    for (size_t i = 0; i < n; i++) {
        CHECK_RC(vg_writer_add(w, &f[i]), VG_OK);
    }
    CHECK_RC(vg_writer_end(w, &sum), VG_OK);
    vg_writer_free(w);
}

struct collect {
    struct vg_buf out;   /* findings re-rendered as JSONL */
    struct vg_buf diags; /* "path:line: msg\n" */
};

static int
rewrite(const struct vg_finding *f, void *arg)
{
    struct collect *c = arg;
    struct vg_buf one;
    vg_buf_init(&one, 1u << 22);
    jsonl_of(f, 1, &one);
    int rc = vg_buf_add(&c->out, one.data, one.len);
    vg_buf_fini(&one);
    return rc;
}

static void
on_bad(void *arg, const struct vg_diag *d)
{
    struct collect *c = arg;
    char msg[2048];
    CHECK_RC(vg_buf_printf(&c->diags, "%s\n",
                           vg_diag_format(d, msg, sizeof(msg))),
             VG_OK);
}

/* Byte-identical for valid UTF-8 (an invalid byte is written as \ufffd
 * and read back as U+FFFD itself, which is then written raw). */
static const struct vg_kv vals_utf8[] = {
    {"Image", "C:\\Temp\\<img src=x onerror=alert(1)>.exe"},
    {"bytes", "\x01\xc3\xa9</script><!--\xe2\x80\xa8"},
};

static void
t_roundtrip(void)
{
    struct vg_finding two[2] = {full, bare};
    two[0].evidence.values = vals_utf8;
    struct vg_buf in;
    struct collect c;
    struct vg_read_stats st = {0};

    vg_buf_init(&in, 1u << 22);
    vg_buf_init(&c.out, 1u << 22);
    vg_buf_init(&c.diags, 1u << 16);
    jsonl_of(two, 2, &in);
    REQUIRE_RC(vg_jsonl_read_buf(in.data, in.len, "a.jsonl", rewrite, &c,
                                 on_bad, &c, &st),
               VG_OK);
    CHECK_EQ_UINT(st.n_lines, 2);
    CHECK_EQ_UINT(st.n_findings, 2);
    CHECK_EQ_UINT(st.n_bad, 0);
    CHECK_EQ_STR(c.out.data, in.data);
    vg_buf_fini(&in);
    vg_buf_fini(&c.out);
    vg_buf_fini(&c.diags);
}

static void
t_bad_lines(void)
{
    static const char in[] =
        "not json\n"
        "[1,2]\n"
        "{\"schema_version\":2}\n"
        "{\"schema_version\":1,\"event\":{\"severity\":9}}\n"
        "{\"schema_version\":1,\"event\":{\"severity\":1},\"vigil\":"
        "{\"title\":7}}\n"
        "{\"schema_version\":1,\"event\":{\"severity\":1},\"@timestamp\":"
        "\"yesterday\"}\n"
        "{\"schema_version\":1,\"event\":{\"severity\":1},\"vigil\":"
        "{\"matched\":{\"a\":1}}}\n"
        "\n"
        "{\"schema_version\":1,\"event\":{\"severity\":2},\"vigil\":"
        "{\"title\":\"ok\"},\"new_field\":[1]}\r\n"
        "{\"schema_version\":1,\"a\":1,\"a\":2}";
    struct collect c;
    struct vg_read_stats st = {0};

    vg_buf_init(&c.out, 1u << 16);
    vg_buf_init(&c.diags, 1u << 16);
    REQUIRE_RC(vg_jsonl_read_buf(in, sizeof(in) - 1, "b.jsonl", rewrite, &c,
                                 on_bad, &c, &st),
               VG_OK);
    CHECK_EQ_UINT(st.n_lines, 9);
    CHECK_EQ_UINT(st.n_findings, 1);
    CHECK_EQ_UINT(st.n_bad, 8);
    CHECK_EQ_STR(c.diags.data,
                 "b.jsonl:1: not JSON: '[' or '{' expected near 'not' "
                 "(column 3)\n"
                 "b.jsonl:2: not a JSON object\n"
                 "b.jsonl:3: not a Vigil finding: bad or missing "
                 "schema_version\n"
                 "b.jsonl:4: not a Vigil finding: bad or missing "
                 "event.severity\n"
                 "b.jsonl:5: not a Vigil finding: bad or missing vigil.title\n"
                 "b.jsonl:6: not a Vigil finding: bad or missing "
                 "@timestamp\n"
                 "b.jsonl:7: not a Vigil finding: bad or missing "
                 "vigil.matched\n"
                 "b.jsonl:10: not JSON: duplicate object key near '\"a\"' "
                 "(column 29)\n");
    CHECK_EQ_STR(c.out.data,
                 "{\"schema_version\":1,\"event\":{\"severity\":2,\"kind\":"
                 "\"alert\"},\"vigil\":{\"severity\":\"medium\",\"score\":"
                 "50,\"title\":\"ok\"}}\n");
    vg_buf_fini(&c.out);
    vg_buf_fini(&c.diags);
}

/* The fd reader: a file of many findings crossing 64 KiB blocks, a line
 * over the limit in the middle, and a last line without a newline. */
static void
t_fd_blocks_and_long_line(void)
{
    char path[] = "/tmp/vg_read_XXXXXX";
    int fd = mkstemp(path);
    struct vg_buf in, big;
    struct collect c;
    struct vg_read_stats st = {0};

    REQUIRE(fd >= 0);
    vg_buf_init(&in, 1u << 24);
    vg_buf_init(&big, 1u << 22);
    for (int i = 0; i < 300; i++) {
        jsonl_of(&full, 1, &in);
    }
    REQUIRE_RC(vg_buf_adds(&big, "{\"x\":\""), VG_OK);
    for (int i = 0; i < (1 << 20) + 100; i++) {
        REQUIRE_RC(vg_buf_addc(&big, 'a'), VG_OK);
    }
    REQUIRE_RC(vg_buf_adds(&big, "\"}\n"), VG_OK);
    REQUIRE_RC(vg_buf_add(&in, big.data, big.len), VG_OK);
    jsonl_of(&bare, 1, &in);
    in.len--; /* no final newline */
    REQUIRE(write(fd, in.data, in.len) == (ssize_t)in.len);
    REQUIRE(lseek(fd, 0, SEEK_SET) == 0);
    vg_buf_init(&c.out, 1u << 24);
    vg_buf_init(&c.diags, 1u << 16);
    CHECK_RC(vg_jsonl_read_fd(fd, "c.jsonl", rewrite, &c, on_bad, &c, &st),
             VG_OK);
    CHECK_EQ_UINT(st.n_findings, 301);
    CHECK_EQ_UINT(st.n_bad, 1);
    CHECK_EQ_STR(c.diags.data,
                 "c.jsonl:301: line longer than 1048640 bytes\n");
    close(fd);
    unlink(path);
    vg_buf_fini(&in);
    vg_buf_fini(&big);
    vg_buf_fini(&c.out);
    vg_buf_fini(&c.diags);
}

static size_t
count(const char *hay, const char *needle)
{
    size_t n = 0;
    for (const char *p = strstr(hay, needle); p; p = strstr(p + 1, needle)) {
        n++;
    }
    return n;
}

static void
html_of(struct vg_buf *out, const struct vg_finding *f, size_t n,
        const char *reason)
{
    struct vg_writer_opts o = {.format = VG_FORMAT_HTML,
                               .title = "vigil scan <demo>"};
    struct vg_writer *w = NULL;
    struct vg_run_summary sum = {.n_items = 3, .items_name = "files",
                                 .verdict_reason = reason};

    REQUIRE_RC(vg_writer_new(&o, mem_sink, out, &w), VG_OK);
    for (size_t i = 0; i < n; i++) {
        CHECK_RC(vg_writer_add(w, &f[i]), VG_OK);
    }
    CHECK_RC(vg_writer_end(w, &sum), VG_OK);
    vg_writer_free(w);
}

static void
t_html_escaped(void)
{
    struct vg_finding inv = bare;
    struct vg_finding f[3];
    struct vg_buf out;

    inv.module = "rmm";
    inv.severity = VG_SEV_INFO;
    inv.title = "AnyDesk <b>";
    f[0] = full;
    f[1] = bare;
    f[2] = inv;
    vg_buf_init(&out, 1u << 22);
    html_of(&out, f, 3, "one <sentence>.");
    REQUIRE(out.data != NULL);
    CHECK(strncmp(out.data, "<!DOCTYPE html>\n", 16) == 0);
    CHECK_EQ_UINT(count(out.data, "<script"), 2);
    CHECK_EQ_UINT(count(out.data, "</script"), 2);
    CHECK_EQ_UINT(count(out.data, "<img"), 0);
    CHECK_EQ_UINT(count(out.data, "<!--"), 0);
    CHECK_EQ_UINT(count(out.data, "<b>"), 0);
    CHECK_EQ_UINT(count(out.data, "&lt;img src=x onerror=alert(1)&gt;.xml"),
                  2); /* title and path cells */
    CHECK_EQ_UINT(count(out.data, "\\u003cimg src=x onerror=alert(1)\\u003e"),
                  3); /* JSON: title, matched Image, file.path */
    CHECK_EQ_UINT(count(out.data, "\\u003c/script\\u003e\\u003c!--"), 1);
    CHECK_EQ_UINT(count(out.data, "Content-Security-Policy"), 1);
    CHECK_EQ_UINT(count(out.data, "script-src 'nonce-"), 1);
    CHECK_EQ_UINT(count(out.data, "<title>Vigil report: vigil scan &lt;demo&gt;"
                                  "</title>"),
                  1);
    CHECK_EQ_UINT(count(out.data, "<p id=\"reason\">one &lt;sentence&gt;."
                                  "</p>"),
                  1);
    CHECK_EQ_UINT(count(out.data, "<p class=\"vw\">COMPROMISED</p>"), 1);
    CHECK_EQ_UINT(count(out.data, "<td>AnyDesk &lt;b&gt;</td>"), 1);
    CHECK_EQ_UINT(count(out.data, "<tr data-sev="), 3);
    CHECK_EQ_UINT(count(out.data, "\xef\xbf\xbd"), 2); /* \x01 and \xff */
    /* no external asset: nothing loaded by URL */
    CHECK_EQ_UINT(count(out.data, " src=\""), 0);
    CHECK_EQ_UINT(count(out.data, "href="), 0);
    CHECK_EQ_UINT(count(out.data, "url("), 0);
    CHECK_EQ_UINT(count(out.data, "@import"), 0);
    vg_buf_fini(&out);
}

static void
t_html_empty(void)
{
    struct vg_buf out;
    vg_buf_init(&out, 1u << 22);
    html_of(&out, NULL, 0, NULL);
    REQUIRE(out.data != NULL);
    CHECK_EQ_UINT(count(out.data, "<p class=\"vw\">CLEAN</p>"), 1);
    CHECK_EQ_UINT(count(out.data, "<p id=\"reason\">No findings.</p>"), 1);
    CHECK_EQ_UINT(count(out.data, "No linked findings."), 1);
    CHECK_EQ_UINT(count(out.data, "id=\"vigil-data\">[]</script>"), 1);
    vg_buf_fini(&out);
}

static void
t_html_alloc_failures(void)
{
    for (long k = 0; k < 60; k++) {
        struct vg_writer_opts o = {.format = VG_FORMAT_HTML};
        struct vg_writer *w = NULL;
        struct vg_run_summary sum = {0};
        struct vg_buf out;
        int rc;

        vg_buf_init(&out, 1u << 22);
        vg_alloc_fail_after(k);
        rc = vg_writer_new(&o, mem_sink, &out, &w);
        if (rc == VG_OK) {
            rc = vg_writer_add(w, &full);
        }
        if (rc == VG_OK) {
            rc = vg_writer_end(w, &sum);
        }
        vg_alloc_fail_after(-1);
        CHECK(rc == VG_OK || rc == VG_ENOMEM || rc == VG_EIO);
        vg_writer_free(w);
        vg_buf_fini(&out);
    }
}

static void
t_format_parse(void)
{
    enum vg_format f;
    CHECK_RC(vg_format_parse("HTML", &f), VG_OK);
    CHECK_EQ_INT(f, VG_FORMAT_HTML);
}

static const struct vg_test tests[] = {
    T(t_roundtrip),   T(t_bad_lines),           T(t_fd_blocks_and_long_line),
    T(t_html_escaped), T(t_html_empty),         T(t_html_alloc_failures),
    T(t_format_parse),
};

int
main(int argc, char **argv)
{
    return vg_test_main(argc, argv, tests, VG_ARRAY_LEN(tests));
}
