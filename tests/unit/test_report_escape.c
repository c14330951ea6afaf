/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test_report_escape.c - the sink escapers (lib/report/escape.c) and the
 * severity/format parsers, table-driven with exact expected bytes. Every
 * escaping bug fixed later adds a row here.
 */
#include <string.h>

#include "core/limits.h"
#include "vg_test.h"
#include "vigil/vigil.h"

typedef int esc_fn(struct vg_buf *b, const char *s, size_t n);

struct row {
    const char *in;
    size_t n; /* 0 = strlen(in) */
    const char *want;
};

static void
run_rows(esc_fn *fn, const struct row *rows, size_t n_rows)
{
    for (size_t i = 0; i < n_rows; i++) {
        struct vg_buf b;
        size_t n = rows[i].n ? rows[i].n : strlen(rows[i].in);
        vg_buf_init(&b, 4096);
        CHECK_RC(fn(&b, rows[i].in, n), VG_OK);
        CHECK_EQ_STR(b.data ? b.data : "", rows[i].want);
        vg_buf_fini(&b);
    }
}

static void
t_json_escape(void)
{
    static const struct row rows[] = {
        {"plain", 0, "plain"},
        {"a\"b\\c", 0, "a\\\"b\\\\c"},
        {"\b\f\n\r\t", 0, "\\b\\f\\n\\r\\t"},
        {"\x01\x1b[31m\x1f\x7f", 0, "\\u0001\\u001b[31m\\u001f\\u007f"},
        {"nul\0x", 5, "nul\\u0000x"},
        /* valid UTF-8 kept raw */
        {"caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80", 0,
         "caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80"},
        /* each invalid byte becomes \ufffd */
        {"a\xff"
         "b",
         0, "a\\ufffdb"},
        {"\xc3(", 0, "\\ufffd("},                     /* truncated 2-byte */
        {"\xc0\xaf", 0, "\\ufffd\\ufffd"},            /* overlong '/' */
        {"\xed\xa0\x80", 0, "\\ufffd\\ufffd\\ufffd"}, /* surrogate */
        {"\xe2\x82", 0, "\\ufffd\\ufffd"},            /* cut at the end */
        {"\xe2\x80\xa8", 0, "\\u2028"},               /* JS line separator */
    };
    run_rows(vg_json_escape, rows, VG_ARRAY_LEN(rows));
}

/* The plain-run scan reads eight bytes at a time: each byte that needs a
 * look, at every position of a longer plain text (every lane of a word,
 * and the tail after the last whole word), must still be found. */
static void
t_json_escape_lanes(void)
{
    static const struct {
        char c;
        const char *esc;
    } sp[] = {
        {'"', "\\\""}, {'\\', "\\\\"}, {'\x1f', "\\u001f"}, {'\x7f', "\\u007f"},
        {'\x80', "\\ufffd"}, {'\x00', "\\u0000"}, {' ', " "}, {'~', "~"},
    };
    char in[24], want[64];
    for (size_t k = 0; k < VG_ARRAY_LEN(sp); k++) {
        for (size_t pos = 0; pos < sizeof(in); pos++) {
            struct vg_buf b;
            memset(in, 'a', sizeof(in));
            in[pos] = sp[k].c;
            size_t e = strlen(sp[k].esc);
            memset(want, 'a', pos);
            memcpy(want + pos, sp[k].esc, e);
            memset(want + pos + e, 'a', sizeof(in) - pos - 1);
            want[sizeof(in) - 1 + e] = '\0';
            vg_buf_init(&b, 4096);
            CHECK_RC(vg_json_escape(&b, in, sizeof(in)), VG_OK);
            CHECK_EQ_STR(b.data ? b.data : "", want);
            vg_buf_fini(&b);
        }
    }
}

static void
t_csv_field(void)
{
    static const struct row rows[] = {
        {"plain", 0, "plain"},
        {"", 0, ""},
        {"a,b", 0, "\"a,b\""},
        {"say \"hi\"", 0, "\"say \"\"hi\"\"\""},
        {"two\nlines", 0, "\"two\nlines\""},
        {"=cmd|' /C calc'!A0", 0, "'=cmd|' /C calc'!A0"},
        {"+1", 0, "'+1"},
        {"-2+3", 0, "'-2+3"},
        {"@SUM(A1)", 0, "'@SUM(A1)"},
        {"\tx", 0, "'\tx"},
        {"\rx", 0, "\"'\rx\""},
        {"=1,2", 0, "\"'=1,2\""},
        {"a=1", 0, "a=1"},             /* only the first byte */
        {"x\xff", 0, "x\xef\xbf\xbd"}, /* invalid -> U+FFFD */
    };
    run_rows(vg_csv_field, rows, VG_ARRAY_LEN(rows));
}

static void
t_text_escape(void)
{
    static const struct row rows[] = {
        {"plain text", 0, "plain text"},
        {"\x1b[2J\x1b]0;pwned\x07", 0, "\\x1b[2J\\x1b]0;pwned\\x07"},
        {"back\\slash", 0, "back\\\\slash"},
        {"tab\tnl\n", 0, "tab\\x09nl\\x0a"},
        {"del\x7f", 0, "del\\x7f"},
        {"c1\xc2\x9b", 0, "c1\\xc2\\x9b"},              /* U+009B CSI */
        {"bidi\xe2\x80\xae", 0, "bidi\\xe2\\x80\\xae"}, /* U+202E */
        {"caf\xc3\xa9", 0, "caf\xc3\xa9"},
        {"bad\xff\xfe", 0, "bad\\xff\\xfe"},
    };
    run_rows(vg_text_escape, rows, VG_ARRAY_LEN(rows));
}

static void
t_xml_escape(void)
{
    static const struct row rows[] = {
        {"<a href=\"x\">&'", 0, "&lt;a href=&quot;x&quot;&gt;&amp;&apos;"},
        {"t\tn\nr\r", 0, "t\tn\nr\r"},
        {"esc\x1b", 0, "esc\xef\xbf\xbd"},
        {"bad\xff", 0, "bad\xef\xbf\xbd"},
        {"\xef\xbf\xbf", 0, "\xef\xbf\xbd"}, /* U+FFFF not an XML Char */
    };
    run_rows(vg_xml_escape, rows, VG_ARRAY_LEN(rows));
}

static void
t_escape_limit(void)
{
    struct vg_buf b;
    vg_buf_init(&b, 8);
    CHECK_RC(vg_json_escape(&b, "\x01\x02", 2), VG_ELIMIT);
    vg_buf_fini(&b);
}

static void
t_severity(void)
{
    enum vg_severity s = VG_SEV_CRITICAL;
    CHECK_RC(vg_severity_parse("HIGH", &s), VG_OK);
    CHECK_EQ_INT(s, VG_SEV_HIGH);
    CHECK_RC(vg_severity_parse("info", &s), VG_OK);
    CHECK_EQ_INT(s, VG_SEV_INFO);
    CHECK_RC(vg_severity_parse("Critical", &s), VG_OK);
    CHECK_EQ_INT(s, VG_SEV_CRITICAL);
    CHECK_RC(vg_severity_parse("severe", &s), VG_EINVAL);
    CHECK_RC(vg_severity_parse("", &s), VG_EINVAL);
    CHECK_RC(vg_severity_parse(NULL, &s), VG_EINVAL);
    CHECK_EQ_STR(vg_severity_name(VG_SEV_MEDIUM), "medium");
    CHECK_EQ_STR(vg_severity_name((enum vg_severity)7), "unknown");
    CHECK_EQ_INT(vg_severity_score(VG_SEV_INFO), 10);
    CHECK_EQ_INT(vg_severity_score(VG_SEV_LOW), 30);
    CHECK_EQ_INT(vg_severity_score(VG_SEV_MEDIUM), 50);
    CHECK_EQ_INT(vg_severity_score(VG_SEV_HIGH), 75);
    CHECK_EQ_INT(vg_severity_score(VG_SEV_CRITICAL), 95);
}

static void
t_format_parse(void)
{
    enum vg_format f = VG_FORMAT_CSV;
    CHECK_RC(vg_format_parse("table", &f), VG_OK);
    CHECK_EQ_INT(f, VG_FORMAT_TEXT);
    CHECK_RC(vg_format_parse("json", &f), VG_OK);
    CHECK_EQ_INT(f, VG_FORMAT_JSONL);
    CHECK_RC(vg_format_parse("csv", &f), VG_OK);
    CHECK_EQ_INT(f, VG_FORMAT_CSV);
    CHECK_RC(vg_format_parse("xml", &f), VG_EINVAL);
}

static void
t_verdict(void)
{
    uint64_t n[VG_SEV_COUNT] = {0};
    CHECK_EQ_STR(vg_verdict(n), "CLEAN");
    n[VG_SEV_INFO] = 5;
    CHECK_EQ_STR(vg_verdict(n), "CLEAN");
    n[VG_SEV_LOW] = 1;
    CHECK_EQ_STR(vg_verdict(n), "SUSPICIOUS");
    n[VG_SEV_LOW] = 0;
    n[VG_SEV_MEDIUM] = 1;
    CHECK_EQ_STR(vg_verdict(n), "SUSPICIOUS");
    n[VG_SEV_HIGH] = 1;
    CHECK_EQ_STR(vg_verdict(n), "COMPROMISED");
    n[VG_SEV_HIGH] = 0;
    n[VG_SEV_CRITICAL] = 1;
    CHECK_EQ_STR(vg_verdict(n), "COMPROMISED");
}

static const struct vg_test tests[] = {
    T(t_json_escape),  T(t_json_escape_lanes), T(t_csv_field), T(t_text_escape),  T(t_xml_escape),
    T(t_escape_limit), T(t_severity),  T(t_format_parse), T(t_verdict),
};

int
main(int argc, char **argv)
{
    return vg_test_main(argc, argv, tests, VG_ARRAY_LEN(tests));
}
