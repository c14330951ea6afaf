/* SPDX-License-Identifier: Apache-2.0 */
/*
 * text.c - line-based importers: plain or defanged text (one indicator per
 * line, or free text pasted from an alert) and the Loki/THOR lists
 * (hash-iocs, filename-iocs, c2-iocs). A '#' comment line right above
 * entries becomes their description (Loki's convention).
 * Not here: CSV (csv.c), JSON feeds (feed_json.c).
 */
#include <string.h>

#include "core/str.h"
#include "ioc/ioc_int.h"
#include "vigil/finding.h"
#include "vigil/ioc.h"

#include "core/banned.h"

struct lines {
    const char *data;
    size_t n, pos;
    uint64_t lineno;
};

/* Next line without its terminator; 0 at the end. */
static int
next_line(struct lines *L, const char **l, size_t *ll)
{
    if (L->pos >= L->n) {
        return 0;
    }
    const char *s = L->data + L->pos;
    const char *e = memchr(s, '\n', L->n - L->pos);
    size_t len = e != NULL ? (size_t)(e - s) : L->n - L->pos;
    L->pos += len + 1;
    L->lineno++;
    if (L->lineno == 1 && len >= 3 && (uint8_t)s[0] == 0xef &&
        (uint8_t)s[1] == 0xbb && (uint8_t)s[2] == 0xbf) {
        s += 3; /* UTF-8 BOM */
        len -= 3;
    }
    *l = s;
    *ll = len;
    return 1;
}

/* Keep a comment as the description of the entries below it. */
static void
set_comment(char *desc, size_t cap, const char *l, size_t ll)
{
    while (ll > 0 && (l[0] == '#' || l[0] == ' ' || l[0] == '\t')) {
        l++;
        ll--;
    }
    if (ll == 0) {
        return; /* a bare "#" keeps the current description */
    }
    if (ll >= cap) {
        ll = cap - 1;
    }
    memcpy(desc, l, ll);
    desc[ll] = '\0';
}

static void
src_for(struct ioc_imp *im, struct vg_ioc_src *s, uint64_t line,
        const char *desc)
{
    vg_ioc_src_init(s);
    s->feed = im->feed;
    s->file = im->path;
    s->line = line;
    s->description = desc[0] != '\0' ? desc : NULL;
    s->tlp = im->opts->tlp;
}

struct tok_ctx {
    struct ioc_imp *im;
    const struct vg_ioc_src *src;
    int found;
    int rc;
};

static int
on_token(void *arg, const struct ioc_tok *t, const char *text)
{
    struct tok_ctx *c = arg;
    c->found++;
    c->rc = ioc_imp_add(c->im, t->type, text + t->off, t->len, 0, NULL, c->src);
    return c->rc != VG_OK;
}

/* A whole line is one value when it classifies as such; a path is taken
 * whole only when its base name has no space (else it is prose). */
static enum vg_ioc_type
whole_line(const char *l, size_t ll)
{
    enum vg_ioc_type t = vg_ioc_classify(l, ll);
    if (t == VG_IOC_FILEPATH) {
        size_t bl;
        const char *b = ioc_basename(l, ll, &bl);
        if (memchr(b, ' ', bl) != NULL) {
            return VG_IOC_NONE;
        }
    } else if (t == VG_IOC_REGISTRY || t == VG_IOC_ANYDESK) {
        return t;
    } else if (t == VG_IOC_RELAY) {
        return VG_IOC_NONE; /* "ip:port" in a list is the IP: extract it */
    } else if (memchr(l, ' ', ll) != NULL || memchr(l, '\t', ll) != NULL) {
        return VG_IOC_NONE;
    }
    return t;
}

static int
text_line(struct ioc_imp *im, const char *l, size_t ll, uint64_t lineno,
          const char *desc, struct vg_buf *fang)
{
    struct vg_ioc_src src;
    src_for(im, &src, lineno, desc);
    vg_buf_reset(fang);
    int rc = vg_ioc_refang(l, ll, fang);
    if (rc != VG_OK) {
        return rc;
    }
    const char *r = fang->data;
    size_t rl = fang->len;
    enum vg_ioc_type t = whole_line(r, rl);
    if (t != VG_IOC_NONE) {
        return ioc_imp_add(im, t, r, rl, 0, NULL, &src);
    }
    struct tok_ctx c = {im, &src, 0, VG_OK};
    ioc_extract(r, rl, on_token, &c);
    if (c.rc != VG_OK) {
        return c.rc;
    }
    if (c.found == 0) {
        ioc_issue(im, VG_IOC_ISSUE_SKIPPED, lineno, "no indicator in line");
    }
    return VG_OK;
}

int
ioc_import_text(struct ioc_imp *im, const char *data, size_t n)
{
    struct lines L = {data, n, 0, 0};
    struct vg_buf fang;
    char desc[512] = "";
    const char *l;
    size_t ll;
    int rc = VG_OK;

    vg_buf_init(&fang, VG_IOC_MAX_LINE);
    while (rc == VG_OK && next_line(&L, &l, &ll)) {
        if (ll > VG_IOC_MAX_LINE) {
            ioc_issue(im, VG_IOC_ISSUE_ERROR, L.lineno,
                      "line longer than %u bytes", VG_IOC_MAX_LINE);
            continue;
        }
        if (!ioc_trim(&l, &ll)) {
            continue;
        }
        if (l[0] == '#' || (ll >= 2 && l[0] == '/' && l[1] == '/')) {
            set_comment(desc, sizeof(desc), l[0] == '#' ? l : l + 2,
                        l[0] == '#' ? ll : ll - 2);
            continue;
        }
        rc = text_line(im, l, ll, L.lineno, desc, &fang);
    }
    vg_buf_fini(&fang);
    return rc;
}

/* --- Loki / THOR lists ---------------------------------------------------- */

static int
loki_score(const char *s, size_t n, int *out)
{
    uint64_t v;
    if (!ioc_trim(&s, &n) || vg_parse_u64(s, n, 0, 1000, &v) != VG_OK) {
        return VG_EFORMAT;
    }
    *out = v > 100 ? 100 : (int)v;
    return VG_OK;
}

static int
loki_hash(struct ioc_imp *im, const char *l, size_t ll, struct vg_ioc_src *src)
{
    const char *sc = memchr(l, ';', ll);
    size_t hl = sc != NULL ? (size_t)(sc - l) : ll;
    char d[512];
    ioc_trim(&l, &hl);
    enum vg_ioc_type t = hl == 32   ? VG_IOC_MD5
                         : hl == 40 ? VG_IOC_SHA1
                         : hl == 64 ? VG_IOC_SHA256
                                    : VG_IOC_NONE;
    if (t == VG_IOC_NONE || !ioc_is_hex(l, hl)) {
        ioc_issue(im, VG_IOC_ISSUE_ERROR, src->line,
                  "not an MD5, SHA-1 or SHA-256 hash");
        return VG_OK;
    }
    if (sc != NULL) {
        const char *c = sc + 1;
        size_t cl = ll - hl - 1;
        if (ioc_trim(&c, &cl)) {
            if (cl >= sizeof(d)) {
                cl = sizeof(d) - 1;
            }
            memcpy(d, c, cl);
            d[cl] = '\0';
            src->description = d;
        }
    }
    return ioc_imp_add(im, t, l, hl, 0, NULL, src);
}

static int
loki_filename(struct ioc_imp *im, const char *l, size_t ll,
              struct vg_ioc_src *src)
{
    const char *f[3] = {l, NULL, NULL};
    size_t fl[3] = {ll, 0, 0};
    /* REGEX;SCORE[;FP_REGEX]: the regex may itself hold ';', so split at
     * the last field that is a score. */
    int nf = 1;
    for (size_t i = ll; i > 0 && nf == 1; i--) {
        if (l[i - 1] != ';') {
            continue;
        }
        int sc;
        const char *rest = l + i;
        const char *semi = memchr(rest, ';', ll - i);
        size_t sl = semi != NULL ? (size_t)(semi - rest) : ll - i;
        if (loki_score(rest, sl, &sc) == VG_OK) {
            fl[0] = i - 1;
            f[1] = rest;
            fl[1] = sl;
            if (semi != NULL) {
                f[2] = semi + 1;
                fl[2] = ll - i - sl - 1;
            }
            nf = semi != NULL ? 3 : 2;
            src->score = sc;
        }
    }
    if (nf == 1) {
        ioc_issue(im, VG_IOC_ISSUE_ERROR, src->line,
                  "expected REGEX;SCORE[;FALSE_POSITIVE_REGEX]");
        return VG_OK;
    }
    char aux[VG_IOC_MAX_VALUE + 1];
    const char *fp = NULL;
    if (nf == 3 && ioc_trim(&f[2], &fl[2]) && fl[2] < sizeof(aux)) {
        memcpy(aux, f[2], fl[2]);
        aux[fl[2]] = '\0';
        fp = aux;
    }
    return ioc_imp_add(im, VG_IOC_FILEPATH, f[0], fl[0], VG_IOC_F_REGEX, fp,
                       src);
}

static int
loki_c2(struct ioc_imp *im, const char *l, size_t ll, struct vg_ioc_src *src)
{
    const char *sc = memchr(l, ';', ll);
    size_t vl = sc != NULL ? (size_t)(sc - l) : ll;
    if (sc != NULL) {
        int s;
        if (loki_score(sc + 1, ll - vl - 1, &s) != VG_OK) {
            ioc_issue(im, VG_IOC_ISSUE_ERROR, src->line,
                      "expected VALUE[;SCORE]");
            return VG_OK;
        }
        src->score = s;
    }
    ioc_trim(&l, &vl);
    enum vg_ioc_type t = vg_ioc_classify(l, vl);
    if (t != VG_IOC_IPV4 && t != VG_IOC_IPV6 && t != VG_IOC_CIDR4 &&
        t != VG_IOC_CIDR6 && t != VG_IOC_DOMAIN && t != VG_IOC_URL) {
        if (t == VG_IOC_FILENAME && ioc_valid_domain(l, vl)) {
            t = VG_IOC_DOMAIN; /* c2 list: "x.zip" is a host */
        } else {
            ioc_issue(im, VG_IOC_ISSUE_ERROR, src->line,
                      "not a domain, IP address, CIDR or URL");
            return VG_OK;
        }
    }
    return ioc_imp_add(im, t, l, vl, 0, NULL, src);
}

int
ioc_import_loki(struct ioc_imp *im, enum vg_ioc_format f, const char *data,
                size_t n)
{
    struct lines L = {data, n, 0, 0};
    char desc[512] = "";
    const char *l;
    size_t ll;
    int rc = VG_OK;

    while (rc == VG_OK && next_line(&L, &l, &ll)) {
        if (ll > VG_IOC_MAX_LINE) {
            ioc_issue(im, VG_IOC_ISSUE_ERROR, L.lineno,
                      "line longer than %u bytes", VG_IOC_MAX_LINE);
            continue;
        }
        if (!ioc_trim(&l, &ll)) {
            continue;
        }
        if (l[0] == '#') {
            set_comment(desc, sizeof(desc), l, ll);
            continue;
        }
        struct vg_ioc_src src;
        src_for(im, &src, L.lineno, desc);
        if (f == VG_IOC_FMT_LOKI_HASH) {
            rc = loki_hash(im, l, ll, &src);
        } else if (f == VG_IOC_FMT_LOKI_FILENAME) {
            rc = loki_filename(im, l, ll, &src);
        } else {
            rc = loki_c2(im, l, ll, &src);
        }
    }
    return rc;
}
