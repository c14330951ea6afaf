/* SPDX-License-Identifier: Apache-2.0 */
/*
 * csv.c - CSV/TSV indicator lists (vendor exports, Defender custom
 * indicators, LOLRMM domain lists, Vigil's own export): RFC 4180 records
 * (quotes, doubled quotes, quoted line breaks), delimiter and header
 * detection, column roles from the header or from options, several typed
 * value columns per row ("filename,sha256").
 * Not here: spreadsheet dialects with other quoting rules.
 */
#include <stdio.h>
#include <string.h>

#include "core/str.h"
#include "ioc/ioc_int.h"
#include "vigil/finding.h"
#include "vigil/ioc.h"
#include "vigil/time.h"

#include "core/banned.h"

#define MAX_COLS 64

enum role {
    R_NONE = 0,
    R_VALUE,
    R_TYPE,
    R_DESC,
    R_SCORE,
    R_TLP,
    R_FIRST,
    R_LAST,
    R_TAGS,
    R_FLAGS,
    R_REF,
    R_TYPED, /* a column named after a type: its values are that */
};

struct col {
    enum role role;
    enum vg_ioc_type type; /* R_TYPED */
};

struct rec {
    const char *f[MAX_COLS];
    size_t fl[MAX_COLS];
    size_t nf;
    int too_many;
    uint64_t line; /* first line of the record */
};

struct csv {
    const char *data;
    size_t n, pos;
    uint64_t lineno;
    char delim;
    struct vg_buf unq; /* unquoted field text for this record */
};

static const struct {
    const char *name;
    enum role role;
} hdr[] = {
    {"value", R_VALUE},
    {"indicator", R_VALUE},
    {"ioc", R_VALUE},
    {"indicatorvalue", R_VALUE},
    {"indicator_value", R_VALUE},
    {"observable", R_VALUE},
    {"uri", R_VALUE},
    {"data", R_VALUE},
    {"type", R_TYPE},
    {"indicatortype", R_TYPE},
    {"indicator_type", R_TYPE},
    {"ioc_type", R_TYPE},
    {"description", R_DESC},
    {"comment", R_DESC},
    {"desc", R_DESC},
    {"title", R_DESC},
    {"rmm_tool", R_DESC},
    {"info", R_DESC},
    {"score", R_SCORE},
    {"confidence", R_SCORE},
    {"tlp", R_TLP},
    {"first_seen", R_FIRST},
    {"firstseen", R_FIRST},
    {"valid_from", R_FIRST},
    {"last_seen", R_LAST},
    {"lastseen", R_LAST},
    {"valid_until", R_LAST},
    {"expirationtime", R_LAST},
    {"tags", R_TAGS},
    {"labels", R_TAGS},
    {"flags", R_FLAGS},
    {"source", R_REF},
    {"reference", R_REF},
};

/* Type names used in vendor CSVs (Defender, MISP) besides Vigil's own. */
static enum vg_ioc_type
type_from_text(const char *s, size_t n, const char *v, size_t vn)
{
    static const struct {
        const char *name;
        enum vg_ioc_type t;
    } alias[] = {
        {"filesha256", VG_IOC_SHA256}, {"filesha1", VG_IOC_SHA1},
        {"filemd5", VG_IOC_MD5},       {"ipaddress", VG_IOC_NONE},
        {"ip", VG_IOC_NONE},           {"ip-dst", VG_IOC_NONE},
        {"ip-src", VG_IOC_NONE},       {"hash", VG_IOC_NONE},
        {"domainname", VG_IOC_DOMAIN}, {"cidr", VG_IOC_NONE},
        {"regkey", VG_IOC_REGISTRY},   {"named pipe", VG_IOC_PIPE},
        {"email-src", VG_IOC_EMAIL},   {"email-dst", VG_IOC_EMAIL},
    };
    enum vg_ioc_type t = vg_ioc_type_parse(s, n);
    if (t != VG_IOC_NONE) {
        return t;
    }
    for (size_t i = 0; i < VG_ARRAY_LEN(alias); i++) {
        if (strlen(alias[i].name) == n && vg_ascii_ieq(s, alias[i].name, n)) {
            /* "ip", "hash", "cidr": the value's shape says which. */
            return alias[i].t != VG_IOC_NONE ? alias[i].t
                                             : vg_ioc_classify(v, vn);
        }
    }
    return VG_IOC_NONE;
}

/* Read one record. 1 = got one, 0 = end, VG_EFORMAT = unterminated quote
 * (the rest of the input is consumed), VG_ELIMIT/VG_ENOMEM. */
static int
read_rec(struct csv *c, struct rec *r)
{
    size_t starts[MAX_COLS];
    r->nf = 0;
    r->too_many = 0;
    if (c->pos >= c->n) {
        return 0;
    }
    vg_buf_reset(&c->unq);
    c->lineno++;
    r->line = c->lineno;
    int rc = VG_OK;
    for (;;) {
        size_t fstart = c->unq.len;
        int quoted = 0;
        if (c->pos < c->n && c->data[c->pos] == '"') {
            quoted = 1;
            c->pos++;
        }
        while (c->pos < c->n && rc == VG_OK) {
            char ch = c->data[c->pos];
            if (quoted) {
                if (ch == '"' && c->pos + 1 < c->n &&
                    c->data[c->pos + 1] == '"') {
                    rc = vg_buf_addc(&c->unq, '"');
                    c->pos += 2;
                    continue;
                }
                if (ch == '"') {
                    quoted = 0;
                    c->pos++;
                    continue;
                }
                if (ch == '\n') {
                    c->lineno++;
                }
            } else if (ch == c->delim || ch == '\n') {
                break;
            }
            if (!(ch == '\r' && !quoted)) {
                rc = vg_buf_addc(&c->unq, ch);
            }
            c->pos++;
        }
        if (rc != VG_OK) {
            return rc;
        }
        if (r->nf < MAX_COLS) {
            starts[r->nf] = fstart;
            r->fl[r->nf++] = c->unq.len - fstart;
        } else {
            r->too_many = 1;
        }
        rc = vg_buf_addc(&c->unq, '\0');
        if (rc != VG_OK) {
            return rc;
        }
        if (quoted) {
            c->pos = c->n;
            return VG_EFORMAT;
        }
        if (c->pos >= c->n || c->data[c->pos] == '\n') {
            c->pos++;
            break;
        }
        c->pos++; /* delimiter */
    }
    for (size_t i = 0; i < r->nf; i++) {
        r->f[i] = c->unq.data + starts[i];
    }
    return 1;
}

static char
guess_delim(const char *d, size_t n)
{
    static const char cand[] = {',', ';', '\t', '|'};
    size_t best = 0;
    char pick = ',';
    const char *e = memchr(d, '\n', n);
    size_t ll = e != NULL ? (size_t)(e - d) : n;
    for (size_t k = 0; k < sizeof(cand); k++) {
        size_t cnt = 0;
        int q = 0;
        for (size_t i = 0; i < ll; i++) {
            q ^= d[i] == '"';
            cnt += !q && d[i] == cand[k];
        }
        if (cnt > best) {
            best = cnt;
            pick = cand[k];
        }
    }
    return pick;
}

static enum role
header_role(const char *s, size_t n, enum vg_ioc_type *typed)
{
    ioc_trim(&s, &n);
    char low[64];
    if (n == 0 || n >= sizeof(low)) {
        return R_NONE;
    }
    for (size_t i = 0; i < n; i++) {
        low[i] = s[i] == ' ' ? '_' : vg_ascii_lower(s[i]);
    }
    for (size_t i = 0; i < VG_ARRAY_LEN(hdr); i++) {
        if (strlen(hdr[i].name) == n && memcmp(low, hdr[i].name, n) == 0) {
            return hdr[i].role;
        }
    }
    enum vg_ioc_type t = vg_ioc_type_parse(low, n);
    if (t == VG_IOC_NONE && ((n == 2 && memcmp(low, "ip", 2) == 0) ||
                             (n == 4 && memcmp(low, "hash", 4) == 0))) {
        *typed = VG_IOC_NONE; /* the value's shape decides */
        return R_TYPED;
    }
    if (t != VG_IOC_NONE) {
        *typed = t;
        return R_TYPED;
    }
    return R_NONE;
}

/* Roles from a header row; returns the number of columns with a role. */
static int
map_header(const struct rec *r, struct col *cols)
{
    int known = 0;
    for (size_t i = 0; i < r->nf; i++) {
        cols[i].type = VG_IOC_NONE;
        cols[i].role = header_role(r->f[i], r->fl[i], &cols[i].type);
        known += cols[i].role != R_NONE;
    }
    return known;
}

static int
looks_like_data(const struct rec *r)
{
    for (size_t i = 0; i < r->nf; i++) {
        if (vg_ioc_classify(r->f[i], r->fl[i]) != VG_IOC_NONE) {
            return 1;
        }
    }
    return 0;
}

static void
apply_opts(const struct vg_ioc_import_opts *o, struct col *cols)
{
    if (o->csv_value_col >= 0 && o->csv_value_col < MAX_COLS) {
        for (int i = 0; i < MAX_COLS; i++) {
            if (cols[i].role == R_VALUE || cols[i].role == R_TYPED) {
                cols[i].role = R_NONE;
            }
        }
        cols[o->csv_value_col].role = R_VALUE;
    }
    if (o->csv_type_col >= 0 && o->csv_type_col < MAX_COLS) {
        cols[o->csv_type_col].role = R_TYPE;
    }
    if (o->csv_desc_col >= 0 && o->csv_desc_col < MAX_COLS) {
        cols[o->csv_desc_col].role = R_DESC;
    }
}

/* Description with its public source appended: "desc (source: ref)". */
static void
add_ref(const struct rec *r, const struct col *cols, struct vg_ioc_src *s,
        char *buf, size_t cap)
{
    for (size_t i = 0; i < r->nf; i++) {
        if (cols[i].role == R_REF && r->fl[i] > 0) {
            snprintf(buf, cap, "%s%s(source: %s)",
                     s->description != NULL ? s->description : "",
                     s->description != NULL ? " " : "", r->f[i]);
            s->description = buf;
            return;
        }
    }
}

static void
fill_meta(const struct rec *r, const struct col *cols, struct vg_ioc_src *s)
{
    for (size_t i = 0; i < r->nf; i++) {
        const char *v = r->f[i];
        size_t n = r->fl[i];
        uint64_t u;
        int64_t t;
        if (!ioc_trim(&v, &n)) {
            continue;
        }
        switch (cols[i].role) {
        case R_DESC:
            s->description = r->f[i];
            break;
        case R_TAGS:
            s->tags = r->f[i];
            break;
        case R_SCORE:
            if (vg_parse_u64(v, n, 0, 100, &u) == VG_OK) {
                s->score = (int)u;
            }
            break;
        case R_TLP:
            if (vg_tlp_parse(v, n) != VG_TLP_NONE) {
                s->tlp = vg_tlp_parse(v, n);
            }
            break;
        case R_FIRST:
        case R_LAST:
            if (vg_time_parse(r->f[i], &t) == VG_OK) {
                *(cols[i].role == R_FIRST ? &s->first_seen : &s->last_seen) = t;
            }
            break;
        default:
            break;
        }
    }
}

static int row_value2(struct ioc_imp *im, const struct rec *r,
                      const struct col *cols, size_t vi, enum vg_ioc_type t,
                      const struct vg_ioc_src *s, const char *v, size_t n);

static int
row_value(struct ioc_imp *im, const struct rec *r, const struct col *cols,
          size_t vi, enum vg_ioc_type t, const struct vg_ioc_src *s)
{
    const char *v = r->f[vi];
    size_t n = r->fl[vi];
    struct vg_buf fang;
    if (!ioc_trim(&v, &n)) {
        return 0;
    }
    vg_buf_init(&fang, VG_IOC_MAX_VALUE);
    if (vg_ioc_refang(v, n, &fang) == VG_OK && fang.len > 0) {
        v = fang.data; /* vendor sheets are often defanged too */
        n = fang.len;
    }
    int rc = row_value2(im, r, cols, vi, t, s, v, n);
    vg_buf_fini(&fang);
    return rc;
}

static int
row_value2(struct ioc_imp *im, const struct rec *r, const struct col *cols,
           size_t vi, enum vg_ioc_type t, const struct vg_ioc_src *s,
           const char *v, size_t n)
{
    if (t == VG_IOC_NONE) {
        for (size_t i = 0; i < r->nf; i++) {
            if (cols[i].role == R_TYPE) {
                t = type_from_text(r->f[i], r->fl[i], v, n);
                if (t == VG_IOC_NONE) {
                    ioc_issue(im, VG_IOC_ISSUE_UNSUPPORTED, r->line,
                              "unsupported indicator type '%.40s'", r->f[i]);
                    return 1;
                }
            }
        }
    }
    if (t == VG_IOC_NONE) {
        t = vg_ioc_classify(v, n);
    }
    if (t == VG_IOC_NONE) {
        ioc_issue(im, VG_IOC_ISSUE_ERROR, r->line,
                  "column %zu: not a recognisable indicator", vi + 1);
        return 1;
    }
    unsigned fl = 0;
    for (size_t i = 0; i < r->nf; i++) {
        if (cols[i].role == R_FLAGS) {
            fl |= strstr(r->f[i], "regex") != NULL ? VG_IOC_F_REGEX : 0u;
            fl |= strstr(r->f[i], "nocase") != NULL ? VG_IOC_F_NOCASE : 0u;
        }
    }
    int rc = ioc_imp_add(im, t, v, n, fl, NULL, s);
    return rc < 0 ? rc : 1;
}

static int
csv_row(struct ioc_imp *im, const struct rec *r, const struct col *cols)
{
    struct vg_ioc_src s;
    int used = 0;
    vg_ioc_src_init(&s);
    s.feed = im->feed;
    s.file = im->path;
    s.line = r->line;
    s.tlp = im->opts->tlp;
    fill_meta(r, cols, &s);
    char desc[2048];
    add_ref(r, cols, &s, desc, sizeof(desc));
    for (size_t i = 0; i < r->nf; i++) {
        int k = 0;
        if (cols[i].role == R_VALUE) {
            k = row_value(im, r, cols, i, VG_IOC_NONE, &s);
        } else if (cols[i].role == R_TYPED) {
            k = row_value(im, r, cols, i, cols[i].type, &s);
        }
        if (k < 0) {
            return k;
        }
        used += k;
    }
    if (used == 0) {
        ioc_issue(im, VG_IOC_ISSUE_SKIPPED, r->line, "no value in row");
    }
    return VG_OK;
}

int
ioc_import_csv(struct ioc_imp *im, const char *data, size_t n)
{
    struct csv c = {data, n, 0, 0, 0, {0}};
    struct col cols[MAX_COLS];
    struct rec r;
    int rc, first = 1, fatal = VG_OK;

    memset(cols, 0, sizeof(cols));
    if (n >= 3 && (uint8_t)data[0] == 0xef && (uint8_t)data[1] == 0xbb &&
        (uint8_t)data[2] == 0xbf) {
        c.pos = 3;
    }
    c.delim = im->opts->csv_delim ? im->opts->csv_delim
                                  : guess_delim(data + c.pos, n - c.pos);
    vg_buf_init(&c.unq, VG_IOC_MAX_LINE);
    cols[0].role = R_VALUE; /* without a header: value, then description */
    cols[1].role = R_DESC;
    while ((rc = read_rec(&c, &r)) != 0) {
        if (rc == VG_EFORMAT) {
            ioc_issue(im, VG_IOC_ISSUE_ERROR, r.line,
                      "unterminated quoted field (rest of file ignored)");
            break;
        }
        if (rc < 0) {
            ioc_issue(im, VG_IOC_ISSUE_ERROR, r.line,
                      "record longer than %u bytes", VG_IOC_MAX_LINE);
            break;
        }
        if (r.nf == 1 && r.fl[0] == 0) {
            continue; /* blank line */
        }
        if (r.fl[0] > 0 && r.f[0][0] == '#') {
            continue; /* comment */
        }
        if (first) {
            first = 0;
            int hdr_row = im->opts->csv_header;
            struct col h[MAX_COLS];
            memset(h, 0, sizeof(h));
            int known = map_header(&r, h);
            if (hdr_row < 0) {
                hdr_row = known > 0 && !looks_like_data(&r);
            }
            if (hdr_row) {
                memcpy(cols, h, sizeof(cols));
            }
            apply_opts(im->opts, cols);
            if (hdr_row) {
                continue;
            }
        }
        if (r.too_many) {
            ioc_issue(im, VG_IOC_ISSUE_NOTE, r.line,
                      "more than %d columns: the rest ignored", MAX_COLS);
        }
        fatal = csv_row(im, &r, cols);
        if (fatal < 0) {
            break;
        }
    }
    vg_buf_fini(&c.unq);
    return fatal;
}
