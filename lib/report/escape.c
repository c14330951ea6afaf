/* SPDX-License-Identifier: Apache-2.0 */
/*
 * escape.c - sink-level escapers: JSON string bodies (RFC 8259 section 7),
 * CSV fields (RFC 4180 plus a spreadsheet formula guard), terminal text and
 * XML 1.0 text.
 *
 * Evidence is attacker-controlled, so every escaper walks the bytes with
 * vg_utf8_decode and decides per code point; invalid bytes never pass
 * through raw. Choices (tested in tests/unit/test_report_escape.c):
 *   JSON: each invalid byte becomes the six characters \ufffd; DEL and
 *         U+2028/U+2029 are escaped too (JavaScript consumers).
 *   CSV:  each invalid byte becomes U+FFFD (EF BF BD), so a CSV file is
 *         always valid UTF-8; other bytes are kept inside quotes.
 *   Text: each byte of a control (C0, DEL, C1), a bidi override (U+202A..E,
 *         U+2066..9) or an invalid sequence is shown as \xNN.
 * They do not truncate; callers cap lengths.
 */
#include <stdint.h>
#include <string.h>

#include "core/utf.h"
#include "vigil/err.h"
#include "vigil/report.h"

#include "core/banned.h"

static const char hexd[] = "0123456789abcdef";

/* Decode one code point at s[i..n): its length, or 0 for an invalid byte. */
static size_t
next_cp(const char *s, size_t n, size_t i, uint32_t *cp)
{
    return vg_utf8_decode((const uint8_t *)s + i, n - i, cp);
}

/* Per code point writer: cp and its raw bytes raw[0..len); len 0 means
 * raw[0] is a byte that starts no valid UTF-8 sequence. */
typedef int cp_fn(struct vg_buf *b, uint32_t cp, const char *raw, size_t len);

/* The one UTF-8 walk behind every escaper (inlined with its fn). */
static inline int
each_cp(struct vg_buf *b, const char *s, size_t n, cp_fn *fn)
{
    int rc = VG_OK;
    for (size_t i = 0; i < n && rc == VG_OK;) {
        uint32_t cp = 0;
        size_t len = next_cp(s, n, i, &cp);
        rc = fn(b, cp, s + i, len);
        i += len != 0 ? len : 1;
    }
    return rc;
}

static int
json_short(struct vg_buf *b, uint32_t c)
{
    static const struct {
        uint32_t c;
        const char *e;
    } tab[] = {
        {'"', "\\\""}, {'\\', "\\\\"}, {'\b', "\\b"}, {'\f', "\\f"},
        {'\n', "\\n"}, {'\r', "\\r"},  {'\t', "\\t"},
    };
    for (size_t i = 0; i < VG_ARRAY_LEN(tab); i++) {
        if (tab[i].c == c) {
            return vg_buf_adds(b, tab[i].e);
        }
    }
    return 1; /* not a short form */
}

static int
json_cp(struct vg_buf *b, uint32_t c, const char *raw, size_t len)
{
    if (len == 0) {
        return vg_buf_adds(b, "\\ufffd");
    }
    int rc = json_short(b, c);
    if (rc <= 0) {
        return rc;
    }
    if (c < 0x20 || c == 0x7f || c == 0x2028 || c == 0x2029) {
        return vg_buf_printf(b, "\\u%04x", (unsigned)c);
    }
    return vg_buf_add(b, raw, len);
}

/* Printable ASCII other than '"' and '\\' passes through unchanged: the
 * common case, appended a run at a time instead of a code point at a time
 * (a hunt writes tens of megabytes of JSON). */
static size_t
json_plain_run(const char *s, size_t n, size_t i)
{
    /* Eight bytes at a time while none of them needs a look: a byte is
     * plain when it is 0x20..0x7e and not '"' or '\\'. Each test below
     * sets some lane's high bit iff the word holds such a byte (exact for
     * the word, not per lane); the byte loop then finds it. */
    const uint64_t ones = 0x0101010101010101u, highs = 0x8080808080808080u;
    size_t k = i;
    for (; n - k >= 8; k += 8) {
        uint64_t w;
        memcpy(&w, s + k, 8);
        uint64_t lt20 = (w - ones * 0x20) & ~w;          /* < 0x20 */
        uint64_t q = w ^ (ones * 0x22), bs = w ^ (ones * 0x5c);
        uint64_t eq = ((q - ones) & ~q) | ((bs - ones) & ~bs); /* '"', '\\' */
        uint64_t del = w + ones; /* 0x7f -> 0x80 (w itself: >= 0x80) */
        if (((lt20 | eq | del | w) & highs) != 0) {
            break;
        }
    }
    while (k < n && (unsigned char)s[k] >= 0x20 && (unsigned char)s[k] < 0x7f &&
           s[k] != '"' && s[k] != '\\') {
        k++;
    }
    return k - i;
}

int
vg_json_escape(struct vg_buf *b, const char *s, size_t n)
{
    int rc = VG_OK;
    for (size_t i = 0; i < n && rc == VG_OK;) {
        size_t run = json_plain_run(s, n, i);
        if (run > 0) {
            rc = vg_buf_put(b, s + i, run);
            i += run;
            continue;
        }
        if (s[i] == '\\' || s[i] == '"') { /* Windows paths: many */
            char e[2] = { '\\', s[i] };
            rc = vg_buf_put(b, e, 2);
            i++;
            continue;
        }
        uint32_t cp = 0;
        size_t len = next_cp(s, n, i, &cp);
        rc = json_cp(b, cp, s + i, len); /* len 0: an invalid byte */
        i += len != 0 ? len : 1;
    }
    return rc;
}

static int
csv_needs_quotes(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (s[i] == ',' || s[i] == '"' || s[i] == '\r' || s[i] == '\n') {
            return 1;
        }
    }
    return 0;
}

static int
csv_cp(struct vg_buf *b, uint32_t c, const char *raw, size_t len)
{
    if (len == 0) {
        return vg_utf8_put(b, 0xfffd);
    }
    return c == '"' ? vg_buf_add(b, "\"\"", 2) : vg_buf_add(b, raw, len);
}

int
vg_csv_field(struct vg_buf *b, const char *s, size_t n)
{
    int guard = n > 0 && strchr("=+-@\t\r", s[0]) != NULL && s[0] != '\0';
    int quote = csv_needs_quotes(s, n);
    int rc = VG_OK;

    if (quote) {
        rc = vg_buf_addc(b, '"');
    }
    if (rc == VG_OK && guard) {
        rc = vg_buf_addc(b, '\'');
    }
    if (rc == VG_OK) {
        rc = each_cp(b, s, n, csv_cp);
    }
    if (rc == VG_OK && quote) {
        rc = vg_buf_addc(b, '"');
    }
    return rc;
}

static int
text_hex(struct vg_buf *b, const char *p, size_t len)
{
    int rc = VG_OK;
    for (size_t k = 0; k < len && rc == VG_OK; k++) {
        unsigned char c = (unsigned char)p[k];
        char e[4] = {'\\', 'x', hexd[c >> 4], hexd[c & 15]};
        rc = vg_buf_add(b, e, sizeof(e));
    }
    return rc;
}

/* Code points a terminal would act on rather than show. */
static int
text_unsafe(uint32_t c)
{
    return c < 0x20 || (c >= 0x7f && c <= 0x9f) ||
           (c >= 0x202a && c <= 0x202e) || (c >= 0x2066 && c <= 0x2069);
}

static int
text_cp(struct vg_buf *b, uint32_t c, const char *raw, size_t len)
{
    if (len == 0) {
        return text_hex(b, raw, 1);
    }
    if (c == '\\') {
        return vg_buf_add(b, "\\\\", 2);
    }
    return text_unsafe(c) ? text_hex(b, raw, len) : vg_buf_add(b, raw, len);
}

int
vg_text_escape(struct vg_buf *b, const char *s, size_t n)
{
    return each_cp(b, s, n, text_cp);
}

static int
xml_cp(struct vg_buf *b, uint32_t c, const char *raw, size_t len)
{
    if (len == 0) {
        return vg_utf8_put(b, 0xfffd);
    }
    switch (c) {
    case '&':
        return vg_buf_adds(b, "&amp;");
    case '<':
        return vg_buf_adds(b, "&lt;");
    case '>':
        return vg_buf_adds(b, "&gt;");
    case '"':
        return vg_buf_adds(b, "&quot;");
    case '\'':
        return vg_buf_adds(b, "&apos;");
    default:
        break;
    }
    /* XML 1.0 Char production: no C0 except TAB LF CR, no U+FFFE/U+FFFF. */
    if ((c < 0x20 && c != '\t' && c != '\n' && c != '\r') || c == 0xfffe ||
        c == 0xffff) {
        return vg_utf8_put(b, 0xfffd);
    }
    return vg_buf_add(b, raw, len);
}

int
vg_xml_escape(struct vg_buf *b, const char *s, size_t n)
{
    return each_cp(b, s, n, xml_cp);
}
