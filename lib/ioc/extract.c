/* SPDX-License-Identifier: Apache-2.0 */
/*
 * extract.c - refanging and the indicator tokeniser for free text.
 * The tokeniser cuts text at white space and quoting/bracketing characters,
 * then recognises URLs, Windows paths, IPs (with port or prefix), hashes,
 * e-mail addresses, domains and file names (a domain-shaped token whose last
 * label is a known file extension). It does not look anything up and does
 * not extract AnyDesk IDs or bare words from prose (too many false hits):
 * the line-based importers do that for whole lines.
 */
#include <string.h>

#include "core/str.h"
#include "ioc/ioc_int.h"
#include "vigil/ioc.h"

#include "core/banned.h"

struct fang {
    const char *from;
    const char *to;
};

/* Longest forms first where one is a prefix of another. */
static const struct fang fangs[] = {
    {"[://]", "://"}, {"[:]//", "://"}, {"[.]", "."},   {"(.)", "."},
    {"{.}", "."},     {"[dot]", "."},   {"(dot)", "."}, {"{dot}", "."},
    {"[:]", ":"},     {"[at]", "@"},    {"(at)", "@"},  {"[@]", "@"},
    {"{at}", "@"},
};

static int
fang_start(char c)
{
    return c == '[' || c == '(' || c == '{' || c == 'h' || c == 'H';
}

/* One defanged form at s (n bytes left): its length, and its replacement. */
static size_t
fang_at(const char *s, size_t n, size_t i, const char **to)
{
    char c = s[i];
    if (c == '[' || c == '(' || c == '{') {
        for (size_t k = 0; k < VG_ARRAY_LEN(fangs); k++) {
            size_t fl = strlen(fangs[k].from);
            if (fl <= n - i && vg_ascii_ieq(s + i, fangs[k].from, fl)) {
                *to = fangs[k].to;
                return fl;
            }
        }
        return 0;
    }
    if (n - i >= 4 && s[i + 3] != 'P' && s[i + 3] != 'p') {
        return 0;
    }
    if (n - i >= 4 &&
        (vg_ascii_ieq(s + i, "hxxp", 4) || vg_ascii_ieq(s + i, "h**p", 4) ||
         vg_ascii_ieq(s + i, "h__p", 4)) &&
        (i == 0 || !((s[i - 1] | 32) >= 'a' && (s[i - 1] | 32) <= 'z'))) {
        *to = s[i + 1] == 'X' ? "HTTP" : "http";
        return 4;
    }
    return 0;
}

int
vg_ioc_refang(const char *s, size_t n, struct vg_buf *out)
{
    size_t i = 0, run = 0;
    while (i < n) {
        const char *to = NULL;
        size_t fl = fang_start(s[i]) ? fang_at(s, n, i, &to) : 0;
        if (fl == 0) {
            i++;
            continue;
        }
        int rc = vg_buf_add(out, s + run, i - run);
        if (rc == VG_OK) {
            rc = vg_buf_adds(out, to);
        }
        if (rc != VG_OK) {
            return rc;
        }
        i += fl;
        run = i;
    }
    /* vg_buf_add(…, 0) still allocates, so an empty input gives "" */
    return vg_buf_add(out, s + run, n - run);
}

static int
is_delim(char c)
{
    return (unsigned char)c <= ' ' || c == '"' || c == '\'' || c == '<' ||
           c == '>' || c == '(' || c == ')' || c == '[' || c == ']' ||
           c == '{' || c == '}' || c == '|' || c == ',' || c == ';' ||
           c == '`' || c == '^' || c == 0x7f;
}

static int
is_trail(char c)
{
    return c == '.' || c == ':' || c == '!' || c == '?' || c == '*' ||
           c == '=' || c == '&' || c == '-';
}

/* Trailing punctuation of prose; a URL keeps its final '/'. */
static size_t
trim_trail(const char *s, size_t n, int url)
{
    while (n > 0 && (is_trail(s[n - 1]) ||
                     (!url && (s[n - 1] == '/' || s[n - 1] == '\\')))) {
        n--;
    }
    return n;
}

static int
emit(ioc_tok_fn *fn, void *arg, const char *text, enum vg_ioc_type t,
     size_t off, size_t len)
{
    struct ioc_tok tok = {t, off, len};
    return fn(arg, &tok, text);
}

/* Classify a piece without separators: IP (maybe :port or /prefix), hash,
 * e-mail, domain or file name. */
static enum vg_ioc_type
piece_type(const char *s, size_t n, size_t *use)
{
    uint32_t a;
    uint8_t a6[16];
    *use = n;
    if (n >= 7 && n <= 18 && ioc_parse_ip4(s, n, &a) == VG_OK) {
        return VG_IOC_IPV4;
    }
    const char *c = memchr(s, ':', n);
    if (c != NULL && ioc_parse_ip4(s, (size_t)(c - s), &a) == VG_OK &&
        memchr(c + 1, ':', n - (size_t)(c - s) - 1) == NULL) {
        *use = (size_t)(c - s); /* a.b.c.d:port */
        return VG_IOC_IPV4;
    }
    if (c != NULL && memchr(c + 1, ':', n - (size_t)(c - s) - 1) != NULL &&
        ioc_parse_ip6(s, n, a6) == VG_OK) {
        return VG_IOC_IPV6;
    }
    if (n == 32 || n == 40 || n == 64) {
        if (ioc_is_hex(s, n)) {
            return n == 32 ? VG_IOC_MD5 : n == 40 ? VG_IOC_SHA1 : VG_IOC_SHA256;
        }
    }
    const char *at = memchr(s, '@', n);
    if (at != NULL) {
        char v[512];
        if (n < sizeof(v) &&
            vg_ioc_normalize(VG_IOC_EMAIL, s, n, v, sizeof(v)) >= 0) {
            return VG_IOC_EMAIL;
        }
        return VG_IOC_NONE;
    }
    size_t hl = c != NULL ? (size_t)(c - s) : n;
    if (memchr(s, '.', hl) == NULL) {
        return VG_IOC_NONE;
    }
    if (ioc_has_file_ext(s, hl) && c == NULL) {
        return VG_IOC_FILENAME;
    }
    if (ioc_valid_domain(s, hl)) {
        *use = hl; /* host:port keeps the host */
        return VG_IOC_DOMAIN;
    }
    return VG_IOC_NONE;
}

static int
is_url_start(const char *s, size_t n)
{
    for (size_t i = 0; i + 2 < n && i < 12; i++) {
        if (s[i] == ':' && s[i + 1] == '/' && s[i + 2] == '/') {
            return i > 0;
        }
        char c = vg_ascii_lower(s[i]);
        if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '+' ||
              c == '-' || c == '.')) {
            return 0;
        }
    }
    return 0;
}

static int
is_path_start(const char *s, size_t n)
{
    return n >= 3 && ((s[0] | 32) >= 'a' && (s[0] | 32) <= 'z') &&
           s[1] == ':' && s[2] == '\\';
}

static int
cidr_len(const char *s, size_t n)
{
    char v[64];
    const char *sl = memchr(s, '/', n);
    if (sl == NULL || n >= sizeof(v)) {
        return 0;
    }
    enum vg_ioc_type t = vg_ioc_classify(s, n);
    return (t == VG_IOC_CIDR4 || t == VG_IOC_CIDR6) &&
           vg_ioc_normalize(t, s, n, v, sizeof(v)) >= 0;
}

static int
token(const char *text, size_t off, size_t n, ioc_tok_fn *fn, void *arg)
{
    const char *s = text + off;
    n = trim_trail(s, n, is_url_start(s, n));
    while (n > 0 && (s[0] == '.' || s[0] == ':' || s[0] == '=')) {
        s++;
        off++;
        n--;
    }
    if (n == 0) {
        return 0;
    }
    if (is_url_start(s, n)) {
        char v[VG_IOC_MAX_VALUE + 1];
        if (vg_ioc_normalize(VG_IOC_URL, s, n, v, sizeof(v)) >= 0) {
            return emit(fn, arg, text, VG_IOC_URL, off, n);
        }
    }
    if (is_path_start(s, n)) {
        return emit(fn, arg, text, VG_IOC_FILEPATH, off, n);
    }
    if (cidr_len(s, n)) {
        return emit(fn, arg, text, vg_ioc_classify(s, n), off, n);
    }
    size_t use;
    enum vg_ioc_type t = piece_type(s, n, &use);
    if (t != VG_IOC_NONE) {
        return emit(fn, arg, text, t, off, use);
    }
    /* Cut at separators of query strings and paths and try the pieces. */
    size_t start = 0;
    for (size_t i = 0; i <= n; i++) {
        if (i < n && !(s[i] == '=' || s[i] == '&' || s[i] == '?' ||
                       s[i] == '/' || s[i] == '\\' || s[i] == '#')) {
            continue;
        }
        size_t pl = i - start;
        const char *p = s + start;
        pl = trim_trail(p, pl, 0);
        if (pl > 0 && pl < n) {
            t = piece_type(p, pl, &use);
            if (t != VG_IOC_NONE) {
                int rc = emit(fn, arg, text, t, off + start, use);
                if (rc != 0) {
                    return rc;
                }
            }
        }
        start = i + 1;
    }
    return 0;
}

int
ioc_extract(const char *text, size_t n, ioc_tok_fn *fn, void *arg)
{
    size_t i = 0;
    while (i < n) {
        while (i < n && is_delim(text[i])) {
            i++;
        }
        size_t st = i;
        while (i < n && !is_delim(text[i])) {
            i++;
        }
        if (i > st) {
            int rc = token(text, st, i - st, fn, arg);
            if (rc != 0) {
                return rc;
            }
        }
    }
    return 0;
}
