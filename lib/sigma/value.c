/* SPDX-License-Identifier: Apache-2.0 */
/*
 * value.c - one Sigma value under its modifiers becomes one or more compiled
 * matchers (struct sg_val), and the string matchers themselves.
 *
 * Strings go through a token form first: bytes 0..255 plus SG_TOK_ANY1 (?)
 * and SG_TOK_STAR (*), after Sigma's escape rule (a backslash escapes *, ?
 * and itself; any other backslash is literal, as pySigma reads it). The
 * transforming modifiers (windash, utf16*, wide, base64, base64offset) run
 * on tokens in the order written; contains/startswith/endswith add stars;
 * the result is classified as equals / prefix / suffix / contains (fast
 * literal paths) or a general glob. Case folding is ASCII (Sigma's default
 * is case-insensitive; `cased` turns it off).
 *
 * Deliberately not here: Unicode case folding beyond ASCII; the time
 * modifiers (minute, hour, ...), reported unsupported.
 */
#include <arpa/inet.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/alloc.h"
#include "core/str.h"
#include "sigma/sigma_int.h"
#include "vigil/err.h"

#include "core/banned.h"

/* token string (grown with malloc; copied to the arena when final) */
struct tstr { uint16_t *t; size_t n, cap; };
struct tlist { struct tstr *s; size_t n, cap; };

static int
ts_put(struct tstr *s, uint16_t tok)
{
    if (s->n == s->cap) {
        size_t nc = s->cap ? s->cap * 2 : 32;
        uint16_t *p = vg_reallocarray(s->t, nc, sizeof(*p));
        if (p == NULL)
            return VG_ENOMEM;
        s->t = p;
        s->cap = nc;
    }
    s->t[s->n++] = tok;
    return VG_OK;
}

static int
ts_putb(struct tstr *s, const char *b, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (ts_put(s, (uint8_t)b[i]) != VG_OK)
            return VG_ENOMEM;
    return VG_OK;
}

static int
tl_push(struct tlist *l, struct tstr *s)
{
    if (l->n == l->cap) {
        size_t nc = l->cap ? l->cap * 2 : 4;
        struct tstr *p = vg_reallocarray(l->s, nc, sizeof(*p));
        if (p == NULL)
            return VG_ENOMEM;
        l->s = p;
        l->cap = nc;
    }
    l->s[l->n++] = *s;
    memset(s, 0, sizeof(*s));
    return VG_OK;
}

static void
tl_free(struct tlist *l)
{
    for (size_t i = 0; i < l->n; i++)
        vg_free(l->s[i].t);
    vg_free(l->s);
    memset(l, 0, sizeof(*l));
}

/* Sigma escapes: "\*" "\?" "\\" are escaped characters; a lone backslash
 * is itself. */
static int
unescape(const char *s, size_t n, struct tstr *out)
{
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        int rc;
        if (c == '\\' && i + 1 < n &&
            (s[i + 1] == '*' || s[i + 1] == '?' || s[i + 1] == '\\')) {
            rc = ts_put(out, (uint8_t)s[++i]);
        } else if (c == '*') {
            rc = ts_put(out, SG_TOK_STAR);
        } else if (c == '?') {
            rc = ts_put(out, SG_TOK_ANY1);
        } else {
            rc = ts_put(out, (uint8_t)c);
        }
        if (rc != VG_OK)
            return rc;
    }
    return VG_OK;
}

int
sg_glob_compile(struct vg_arena *a, const char *s, size_t n, uint16_t **out,
                size_t *nout)
{
    struct tstr t = { 0 };
    void *p = NULL;
    int rc = unescape(s, n, &t);
    *out = NULL;
    *nout = 0;
    if (rc == VG_OK && t.n > 0) {
        rc = vg_arena_alloc(a, t.n * sizeof(uint16_t), &p);
        if (rc == VG_OK)
            memcpy(p, t.t, t.n * sizeof(uint16_t));
    }
    if (rc == VG_OK) {
        *out = p;
        *nout = t.n;
    }
    vg_free(t.t);
    return rc;
}

static int
is_word_tok(const struct tstr *s, size_t i)
{
    if (i >= s->n)
        return 0;
    uint16_t c = s->t[i];
    if (c >= 256)
        return 0;
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
           (c >= '0' && c <= '9') || c == '_' || c >= 0x80;
}

/* windash: a '-' or '/' at the start of a word (pySigma: \B[-/]\b) may be
 * any of - / en-dash em-dash horizontal-bar. All permutations. */
static const char *const dashes[] = { "-", "/", "\xE2\x80\x93",
                                      "\xE2\x80\x94", "\xE2\x80\x95" };

static int
windash_one(const struct tstr *in, struct tlist *out)
{
    size_t pos[8], np = 0, total = 1;
    for (size_t i = 0; i < in->n; i++) {
        uint16_t c = in->t[i];
        int prev_word = i > 0 && is_word_tok(in, i - 1);
        if ((c == '-' || c == '/') && !prev_word && is_word_tok(in, i + 1)) {
            if (np == VG_ARRAY_LEN(pos) || total * 5 > SG_MAX_VARIANTS)
                return VG_ELIMIT;
            pos[np++] = i;
            total *= 5;
        }
    }
    for (size_t k = 0; k < total; k++) {
        struct tstr t = { 0 };
        size_t code = k, pi = 0;
        int rc = VG_OK;
        for (size_t i = 0; i < in->n && rc == VG_OK; i++) {
            if (pi < np && pos[pi] == i) {
                const char *d = dashes[code % 5];
                code /= 5;
                pi++;
                rc = ts_putb(&t, d, strlen(d));
            } else {
                rc = ts_put(&t, in->t[i]);
            }
        }
        if (rc == VG_OK)
            rc = tl_push(out, &t);
        vg_free(t.t);
        if (rc != VG_OK)
            return rc;
    }
    return VG_OK;
}

/* Literal bytes of a token string; VG_EINVAL if it holds wildcards. */
static int
ts_bytes(const struct tstr *in, uint8_t **out)
{
    *out = vg_malloc(in->n + 1);
    if (*out == NULL)
        return VG_ENOMEM;
    for (size_t i = 0; i < in->n; i++) {
        if (in->t[i] >= 256) {
            vg_free(*out);
            *out = NULL;
            return VG_EINVAL;
        }
        (*out)[i] = (uint8_t)in->t[i];
    }
    return VG_OK;
}

static uint32_t
next_cp(const uint8_t *p, size_t n, size_t *i)
{
    uint8_t c = p[*i];
    uint32_t cp;
    size_t need;
    if (c < 0x80) { (*i)++; return c; }
    if ((c & 0xE0) == 0xC0) { cp = c & 0x1Fu; need = 1; }
    else if ((c & 0xF0) == 0xE0) { cp = c & 0x0Fu; need = 2; }
    else if ((c & 0xF8) == 0xF0) { cp = c & 0x07u; need = 3; }
    else { (*i)++; return 0xFFFD; }
    if (*i + need >= n) { (*i)++; return 0xFFFD; }
    for (size_t k = 1; k <= need; k++) {
        if ((p[*i + k] & 0xC0) != 0x80) { (*i)++; return 0xFFFD; }
        cp = (cp << 6) | (p[*i + k] & 0x3Fu);
    }
    *i += need + 1;
    return cp > 0x10FFFF ? 0xFFFD : cp;
}

static int
put16(struct tstr *t, uint32_t u, int be)
{
    uint8_t lo = (uint8_t)(u & 0xFF), hi = (uint8_t)(u >> 8);
    int rc = ts_put(t, be ? hi : lo);
    return rc == VG_OK ? ts_put(t, be ? lo : hi) : rc;
}

/* UTF-8 tokens to UTF-16 (wildcards kept as tokens). */
static int
utf16_one(const struct tstr *in, int be, int bom, struct tstr *out)
{
    int rc = VG_OK;
    if (bom)
        rc = put16(out, 0xFEFF, be);
    size_t i = 0;
    uint8_t buf[4];
    while (i < in->n && rc == VG_OK) {
        if (in->t[i] >= 256) {
            rc = ts_put(out, in->t[i++]);
            continue;
        }
        size_t k = 0;
        while (k < 4 && i + k < in->n && in->t[i + k] < 256) {
            buf[k] = (uint8_t)in->t[i + k];
            k++;
        }
        size_t j = 0;
        uint32_t cp = next_cp(buf, k, &j);
        i += j;
        if (cp >= 0x10000) {
            cp -= 0x10000;
            rc = put16(out, 0xD800 + (cp >> 10), be);
            if (rc == VG_OK)
                rc = put16(out, 0xDC00 + (cp & 0x3FF), be);
        } else {
            rc = put16(out, cp, be);
        }
    }
    return rc;
}

static const char b64chars[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

static int
b64(const uint8_t *p, size_t n, struct tstr *out)
{
    for (size_t i = 0; i < n; i += 3) {
        uint32_t v = (uint32_t)p[i] << 16;
        if (i + 1 < n)
            v |= (uint32_t)p[i + 1] << 8;
        if (i + 2 < n)
            v |= p[i + 2];
        char q[4] = { b64chars[(v >> 18) & 63], b64chars[(v >> 12) & 63],
                      i + 1 < n ? b64chars[(v >> 6) & 63] : '=',
                      i + 2 < n ? b64chars[v & 63] : '=' };
        if (ts_putb(out, q, 4) != VG_OK)
            return VG_ENOMEM;
    }
    return VG_OK;
}

/* base64offset: the value at offsets 0, 1, 2 of a base64 stream; only the
 * characters that do not depend on the neighbours are kept. */
static int
b64offset(const uint8_t *p, size_t n, struct tlist *out)
{
    static const size_t start[3] = { 0, 2, 3 };
    static const size_t cut[3] = { 0, 3, 2 };
    for (size_t i = 0; i < 3; i++) {
        struct tstr enc = { 0 }, t = { 0 };
        uint8_t *buf = vg_malloc(n + 3);
        int rc = buf ? VG_OK : VG_ENOMEM;
        if (rc == VG_OK) {
            memset(buf, ' ', i);
            if (n > 0)
                memcpy(buf + i, p, n);
            rc = b64(buf, n + i, &enc);
        }
        vg_free(buf);
        size_t end = enc.n - cut[(n + i) % 3];
        for (size_t k = start[i]; rc == VG_OK && k < end; k++)
            rc = ts_put(&t, enc.t[k]);
        if (rc == VG_OK)
            rc = tl_push(out, &t);
        vg_free(t.t);
        vg_free(enc.t);
        if (rc != VG_OK)
            return rc;
    }
    return VG_OK;
}

enum { X_WINDASH = 1, X_U16LE, X_U16BE, X_U16, X_B64, X_B64OFF };

/* Apply one transformation to every string in *l. */
static int
transform(int x, struct tlist *l, struct sg_lctx *lc)
{
    struct tlist nl = { 0 };
    int rc = VG_OK;
    for (size_t i = 0; i < l->n && rc == VG_OK; i++) {
        struct tstr t = { 0 };
        uint8_t *b = NULL;
        switch (x) {
        case X_WINDASH:
            rc = windash_one(&l->s[i], &nl);
            break;
        case X_U16LE: case X_U16BE: case X_U16:
            rc = utf16_one(&l->s[i], x == X_U16BE, x == X_U16, &t);
            if (rc == VG_OK)
                rc = tl_push(&nl, &t);
            break;
        default:
            rc = ts_bytes(&l->s[i], &b);
            if (rc == VG_EINVAL) {
                rc = sg_fail(lc, VG_EUNSUPPORTED, 0,
                             "base64 of a value with wildcards");
                break;
            }
            if (rc == VG_OK && x == X_B64) {
                rc = b64(b, l->s[i].n, &t);
                if (rc == VG_OK)
                    rc = tl_push(&nl, &t);
            } else if (rc == VG_OK) {
                rc = b64offset(b, l->s[i].n, &nl);
            }
        }
        vg_free(t.t);
        vg_free(b);
        if (nl.n > SG_MAX_VARIANTS)
            rc = sg_fail(lc, VG_ELIMIT, 0, "too many value variants");
    }
    if (rc == VG_OK) {
        tl_free(l);
        *l = nl;
    } else {
        tl_free(&nl);
    }
    return rc;
}

/* Parsed modifier list. */
struct mods {
    uint8_t op;          /* SG_S_EQ / PREFIX / SUFFIX / CONTAINS */
    uint8_t cased, re, re_i, re_m, re_s, cidr, exists, fieldref, expand;
    int     cmp;         /* -1 or enum sg_cmp */
    int     x[8];
    size_t  nx;
};

static int
parse_mods(struct sg_lctx *lc, const char *const *m, size_t n, struct mods *o)
{
    static const struct { const char *name; int x; } xs[] = {
        { "windash", X_WINDASH }, { "utf16le", X_U16LE }, { "wide", X_U16LE },
        { "utf16be", X_U16BE }, { "utf16", X_U16 }, { "base64", X_B64 },
        { "base64offset", X_B64OFF },
    };
    static const char *const cmps[] = { "gt", "gte", "lt", "lte" };
    memset(o, 0, sizeof(*o));
    o->cmp = -1;
    for (size_t i = 0; i < n; i++) {
        const char *s = m[i];
        int known = 1;
        if (strcmp(s, "contains") == 0) o->op = SG_S_CONTAINS;
        else if (strcmp(s, "startswith") == 0) o->op = SG_S_PREFIX;
        else if (strcmp(s, "endswith") == 0) o->op = SG_S_SUFFIX;
        else if (strcmp(s, "cased") == 0) o->cased = 1;
        else if (strcmp(s, "re") == 0) o->re = 1;
        else if (strcmp(s, "i") == 0) o->re_i = 1;
        else if (strcmp(s, "m") == 0) o->re_m = 1;
        else if (strcmp(s, "s") == 0) o->re_s = 1;
        else if (strcmp(s, "cidr") == 0) o->cidr = 1;
        else if (strcmp(s, "exists") == 0) o->exists = 1;
        else if (strcmp(s, "fieldref") == 0) o->fieldref = 1;
        else if (strcmp(s, "expand") == 0) o->expand = 1;
        else if (strcmp(s, "all") == 0 || strcmp(s, "neq") == 0) (void)0;
        else known = 0;
        for (size_t k = 0; !known && k < VG_ARRAY_LEN(cmps); k++)
            if (strcmp(s, cmps[k]) == 0) { o->cmp = (int)k; known = 1; }
        for (size_t k = 0; !known && k < VG_ARRAY_LEN(xs); k++) {
            if (strcmp(s, xs[k].name) == 0) {
                if (o->nx == VG_ARRAY_LEN(o->x))
                    return sg_fail(lc, VG_ELIMIT, 0, "too many modifiers");
                o->x[o->nx++] = xs[k].x;
                known = 1;
            }
        }
        if (!known)
            return sg_fail(lc, VG_EUNSUPPORTED, 0, "unknown modifier '%s'", s);
    }
    if ((o->re_i || o->re_m || o->re_s) && !o->re)
        return sg_fail(lc, VG_EUNSUPPORTED, 0, "i/m/s modifiers need re");
    return VG_OK;
}

int
sg_valbuf_push(struct sg_valbuf *b, const struct sg_val *v)
{
    if (b->n == b->cap) {
        size_t nc = b->cap ? b->cap * 2 : 4;
        struct sg_val *p = vg_reallocarray(b->v, nc, sizeof(*p));
        if (p == NULL)
            return VG_ENOMEM;
        b->v = p;
        b->cap = nc;
    }
    b->v[b->n++] = *v;
    return VG_OK;
}

void
sg_fold(uint8_t *dst, const char *src, size_t n)
{
    for (size_t i = 0; i < n; i++)
        dst[i] = (uint8_t)vg_ascii_lower(src[i]);
}

/* Final token string + op -> literal fast path or glob. */
static int
finish_str(struct sg_lctx *lc, struct tstr *t, const struct mods *m,
           int str_num, struct sg_valbuf *out)
{
    struct sg_val v;
    memset(&v, 0, sizeof(v));
    v.type = SG_M_STR;
    v.cased = m->cased;
    v.str_num = str_num;
    size_t b = 0, e = t->n;
    int lead = m->op == SG_S_CONTAINS || m->op == SG_S_SUFFIX;
    int trail = m->op == SG_S_CONTAINS || m->op == SG_S_PREFIX;
    while (b < e && t->t[b] == SG_TOK_STAR) { lead = 1; b++; }
    while (e > b && t->t[e - 1] == SG_TOK_STAR) { trail = 1; e--; }
    int inner = 0;
    for (size_t i = b; i < e; i++)
        inner |= t->t[i] >= 256;
    for (size_t i = b; i < e; i++)
        if (t->t[i] < 256 && !m->cased)
            t->t[i] = (uint8_t)vg_ascii_lower((char)t->t[i]);
    void *p = NULL;
    int rc;
    if (inner) {
        size_t n = (e - b) + (size_t)lead + (size_t)trail;
        rc = vg_arena_alloc(lc->a, n * sizeof(uint16_t) + 2, &p);
        if (rc != VG_OK)
            return rc;
        uint16_t *g = p;
        size_t k = 0;
        if (lead) g[k++] = SG_TOK_STAR;
        for (size_t i = b; i < e; i++) g[k++] = t->t[i];
        if (trail) g[k++] = SG_TOK_STAR;
        v.op = SG_S_GLOB;
        v.glob = g;
        v.len = k;
    } else {
        rc = vg_arena_alloc(lc->a, (e - b) + 1, &p);
        if (rc != VG_OK)
            return rc;
        uint8_t *l = p;
        for (size_t i = b; i < e; i++) l[i - b] = (uint8_t)t->t[i];
        v.lit = l;
        v.len = e - b;
        v.op = lead && trail ? SG_S_CONTAINS : lead ? SG_S_SUFFIX
             : trail ? SG_S_PREFIX : SG_S_EQ;
    }
    return sg_valbuf_push(out, &v);
}

/* Replace %name% placeholders with every combination of their values. */
static int
expand_one(struct sg_lctx *lc, const char *s, struct tlist *raw)
{
    const char *p = strchr(s, '%');
    const char *q = p ? strchr(p + 1, '%') : NULL;
    if (p == NULL || q == NULL) {
        struct tstr t = { 0 };
        int rc = ts_putb(&t, s, strlen(s));
        if (rc == VG_OK)
            rc = tl_push(raw, &t);
        vg_free(t.t);
        return rc;
    }
    if (lc->ph == NULL)
        return sg_fail(lc, VG_EUNSUPPORTED, 0,
                       "placeholder %.*s needs a value (--placeholders FILE)",
                       (int)(q - p + 1), p);
    const struct sg_strlist *vals =
        vg_map_get(&lc->ph->map, p + 1, (size_t)(q - p - 1));
    if (vals == NULL)
        return sg_fail(lc, VG_EUNSUPPORTED, 0,
                       "placeholder %.*s has no value in the placeholder file",
                       (int)(q - p + 1), p);
    for (size_t i = 0; i < vals->n; i++) {
        size_t n = (size_t)(p - s) + strlen(vals->s[i]) + strlen(q + 1) + 1;
        char *buf = vg_malloc(n);
        if (buf == NULL)
            return VG_ENOMEM;
        snprintf(buf, n, "%.*s%s%s", (int)(p - s), s, vals->s[i], q + 1);
        int rc = raw->n >= SG_MAX_VARIANTS
                     ? sg_fail(lc, VG_ELIMIT, 0, "too many placeholder values")
                     : expand_one(lc, buf, raw);
        vg_free(buf);
        if (rc != VG_OK)
            return rc;
    }
    return VG_OK;
}

static int
compile_strings(struct sg_lctx *lc, const struct sg_node *val,
                const struct mods *m, struct sg_valbuf *out)
{
    struct tlist raw = { 0 }, l = { 0 };
    int rc = VG_OK;
    if (m->expand)
        rc = expand_one(lc, val->s, &raw);
    else {
        struct tstr t = { 0 };
        rc = ts_putb(&t, val->s, val->len);
        if (rc == VG_OK)
            rc = tl_push(&raw, &t);
        vg_free(t.t);
    }
    for (size_t i = 0; i < raw.n && rc == VG_OK; i++) {
        struct tstr t = { 0 };
        char *s = vg_malloc(raw.s[i].n + 1);
        if (s == NULL) { rc = VG_ENOMEM; break; }
        for (size_t k = 0; k < raw.s[i].n; k++) s[k] = (char)raw.s[i].t[k];
        rc = unescape(s, raw.s[i].n, &t);
        vg_free(s);
        if (rc == VG_OK)
            rc = tl_push(&l, &t);
        vg_free(t.t);
    }
    for (size_t i = 0; i < m->nx && rc == VG_OK; i++)
        rc = transform(m->x[i], &l, lc);
    int str_num = !val->quoted && m->nx == 0 && m->op == SG_S_EQ &&
                  sg_num_parse(val->s, val->len, &(double){ 0 }) == VG_OK;
    for (size_t i = 0; i < l.n && rc == VG_OK; i++)
        rc = finish_str(lc, &l.s[i], m, str_num, out);
    tl_free(&raw);
    tl_free(&l);
    return rc;
}

static int
compile_cidr(struct sg_lctx *lc, const struct sg_node *val, struct sg_val *v)
{
    char buf[64];
    const char *slash = strchr(val->s, '/');
    size_t alen = slash ? (size_t)(slash - val->s) : val->len;
    if (alen >= sizeof(buf))
        return sg_fail(lc, VG_EFORMAT, val->line, "bad cidr '%s'", val->s);
    memcpy(buf, val->s, alen);
    buf[alen] = '\0';
    v->type = SG_M_CIDR;
    if (inet_pton(AF_INET, buf, v->addr) == 1)
        v->flag = 4;
    else if (inet_pton(AF_INET6, buf, v->addr) == 1)
        v->flag = 6;
    else
        return sg_fail(lc, VG_EFORMAT, val->line, "bad cidr '%s'", val->s);
    uint64_t bits = v->flag == 4 ? 32 : 128;
    if (slash && vg_parse_u64(slash + 1, strlen(slash + 1), 0, bits, &bits) !=
                     VG_OK)
        return sg_fail(lc, VG_EFORMAT, val->line, "bad cidr '%s'", val->s);
    v->bits = (uint8_t)bits;
    return VG_OK;
}

static int
compile_special(struct sg_lctx *lc, const struct sg_node *val,
                const struct mods *m, struct sg_rule *r, struct sg_val *v)
{
    if (m->exists) {
        if (strcmp(val->s, "true") == 0 || strcmp(val->s, "yes") == 0)
            v->flag = 1;
        else if (strcmp(val->s, "false") != 0 && strcmp(val->s, "no") != 0)
            return sg_fail(lc, VG_EFORMAT, val->line,
                           "exists needs true or false");
        v->type = SG_M_EXISTS;
        return VG_OK;
    }
    if (m->fieldref) {
        if (m->op != SG_S_EQ)
            return sg_fail(lc, VG_EUNSUPPORTED, val->line,
                           "fieldref combined with %s",
                           m->op == SG_S_CONTAINS ? "contains" : "startswith/endswith");
        v->type = SG_M_FIELDREF;
        v->cased = m->cased;
        v->ref = sg_rule_field(lc->a, r, val->s, val->len);
        return v->ref == SG_FIELD_NONE ? VG_ENOMEM : VG_OK;
    }
    if (m->cmp >= 0) {
        if (sg_num_parse(val->s, val->len, &v->num) != VG_OK)
            return sg_fail(lc, VG_EFORMAT, val->line,
                           "'%s' is not a number", val->s);
        v->type = SG_M_NUM;
        v->op = (uint8_t)m->cmp;
        return VG_OK;
    }
    if (m->cidr)
        return compile_cidr(lc, val, v);
    /* re */
    struct sg_re *re;
    int rc = sg_re_compile(val->s, val->len, m->re_i, m->re_m, m->re_s, &re,
                           lc->reason, lc->cap);
    if (rc != VG_OK) {
        lc->line = val->line;
        return rc;
    }
    rc = sg_set_track_re(lc->set, re);
    if (rc != VG_OK)
        return rc;
    v->type = SG_M_RE;
    v->re = re;
    uint8_t lit[256];
    size_t n = sg_re_literal(val->s, val->len, m->re_i, lit, sizeof(lit));
    if (n >= SG_NEEDLE_MIN) { /* the prefilter's needle for the regex */
        char *copy;
        rc = vg_arena_strndup(lc->a, (const char *)lit, n, &copy);
        v->lit = (const uint8_t *)copy;
        v->len = n;
    }
    return rc;
}

int
sg_value_compile(struct sg_lctx *lc, const struct sg_node *val,
                 const char *const *mods, size_t n_mods, struct sg_rule *r,
                 struct sg_valbuf *out)
{
    struct mods m;
    struct sg_val v;
    int rc = parse_mods(lc, mods, n_mods, &m);
    if (rc != VG_OK)
        return rc;
    memset(&v, 0, sizeof(v));
    if (val->t != SG_N_SCALAR)
        return sg_fail(lc, VG_EFORMAT, val->line, "value is not a scalar");
    if (sg_is_null(val) && !m.exists) {
        if (m.nx || m.re || m.cidr || m.cmp >= 0 || m.op != SG_S_EQ)
            return sg_fail(lc, VG_EUNSUPPORTED, val->line,
                           "modifier applied to null");
        v.type = SG_M_NULL;
        return sg_valbuf_push(out, &v);
    }
    if (m.exists || m.fieldref || m.cmp >= 0 || m.cidr || m.re) {
        rc = compile_special(lc, val, &m, r, &v);
        return rc == VG_OK ? sg_valbuf_push(out, &v) : rc;
    }
    return compile_strings(lc, val, &m, out);
}

/* ---- matching ---- */

static int
find(const uint8_t *h, size_t hn, const uint8_t *nd, size_t nn)
{
    if (nn == 0)
        return 1;
    if (nn > hn)
        return 0;
    const uint8_t *end = h + (hn - nn) + 1;
    for (const uint8_t *p = h; p < end;) {
        p = memchr(p, nd[0], (size_t)(end - p));
        if (p == NULL)
            return 0;
        if (memcmp(p, nd, nn) == 0)
            return 1;
        p++;
    }
    return 0;
}

/* Iterative glob with single backtrack point (classic, linear-ish). '?'
 * takes one UTF-8 character. */
int
sg_glob_match(const uint16_t *p, size_t np, const uint8_t *s, size_t n)
{
    size_t pi = 0, si = 0, star_p = SIZE_MAX, star_s = 0;
    while (si < n) {
        if (pi < np && p[pi] == SG_TOK_STAR) {
            star_p = ++pi;
            star_s = si;
            continue;
        }
        if (pi < np && (p[pi] == s[si] || p[pi] == SG_TOK_ANY1)) {
            if (p[pi] == SG_TOK_ANY1)
                while (si + 1 < n && (s[si + 1] & 0xC0) == 0x80)
                    si++;
            pi++;
            si++;
            continue;
        }
        if (star_p == SIZE_MAX)
            return 0;
        pi = star_p;
        si = ++star_s;
    }
    while (pi < np && p[pi] == SG_TOK_STAR)
        pi++;
    return pi == np;
}

int
sg_str_match(const struct sg_val *v, const uint8_t *s, size_t n)
{
    switch (v->op) {
    case SG_S_EQ:
        return n == v->len && memcmp(s, v->lit, n) == 0;
    case SG_S_PREFIX:
        return n >= v->len && memcmp(s, v->lit, v->len) == 0;
    case SG_S_SUFFIX:
        return n >= v->len && memcmp(s + n - v->len, v->lit, v->len) == 0;
    case SG_S_CONTAINS:
        return find(s, n, v->lit, v->len);
    default:
        return sg_glob_match(v->glob, v->len, s, n);
    }
}

int
sg_num_parse(const char *s, size_t n, double *out)
{
    char buf[64];
    if (n == 0 || n >= sizeof(buf))
        return VG_EINVAL;
    memcpy(buf, s, n);
    buf[n] = '\0';
    if (n > 2 && buf[0] == '0' && (buf[1] == 'x' || buf[1] == 'X')) {
        uint64_t u;
        if (vg_parse_u64(buf, n, 0, UINT64_MAX, &u) != VG_OK)
            return VG_EINVAL;
        *out = (double)u;
        return VG_OK;
    }
    for (size_t i = 0; i < n; i++) {
        char c = buf[i];
        if (!((c >= '0' && c <= '9') || c == '-' || c == '+' || c == '.' ||
              c == 'e' || c == 'E'))
            return VG_EINVAL;
    }
    char *end;
    double d = strtod(buf, &end);
    if (end != buf + n)
        return VG_EINVAL;
    *out = d;
    return VG_OK;
}

static int
prefix_eq(const uint8_t *a, const uint8_t *b, unsigned bits)
{
    unsigned full = bits / 8, rest = bits % 8;
    if (memcmp(a, b, full) != 0)
        return 0;
    if (rest == 0)
        return 1;
    uint8_t mask = (uint8_t)(0xFF << (8 - rest));
    return (a[full] & mask) == (b[full] & mask);
}

int
sg_cidr_match(const struct sg_val *v, const char *s, size_t n)
{
    char buf[64];
    uint8_t a[16];
    if (n == 0 || n >= sizeof(buf))
        return 0;
    memcpy(buf, s, n);
    buf[n] = '\0';
    if (inet_pton(AF_INET, buf, a) == 1)
        return v->flag == 4 && prefix_eq(a, v->addr, v->bits);
    if (inet_pton(AF_INET6, buf, a) != 1)
        return 0;
    if (v->flag == 6)
        return prefix_eq(a, v->addr, v->bits);
    static const uint8_t mapped[12] = { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xFF,
                                        0xFF };
    return memcmp(a, mapped, 12) == 0 && prefix_eq(a + 12, v->addr, v->bits);
}

int
sg_fail(struct sg_lctx *lc, int rc, uint64_t line, const char *fmt, ...)
{
    va_list ap;
    if (lc->reason[0] == '\0') {
        va_start(ap, fmt);
        vsnprintf(lc->reason, lc->cap, fmt, ap);
        va_end(ap);
        if (line)
            lc->line = line;
    }
    return rc;
}
