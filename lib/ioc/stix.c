/* SPDX-License-Identifier: Apache-2.0 */
/*
 * stix.c - STIX 2.x patterns to indicators. A small recursive-descent
 * parser for the patterning grammar (observation expressions in [ ], joined
 * by AND/OR/FOLLOWEDBY, grouped by ( ), with WITHIN/REPEATS/START-STOP
 * qualifiers; comparison expressions joined by AND/OR; operators = != < >
 * <= >= IN LIKE MATCHES ISSUBSET ISSUPERSET EXISTS, NOT). Every '=' or IN
 * comparison on an object path Vigil knows becomes an indicator; LIKE and
 * MATCHES on file names and paths become globs and regexes. What cannot be
 * used is counted and reported with the object id. AND is kept as the
 * union of its usable comparisons (broader than the pattern: noted).
 * Not here: evaluating patterns against observed data.
 */
#include <string.h>

#include "core/str.h"
#include "ioc/ioc_int.h"
#include "vigil/ioc.h"

#include "core/banned.h"

#define MAX_DEPTH 64
#define MAX_COMPARISONS 4096

struct pp {
    const char *s;
    size_t n, i;
    int depth;
    int err; /* syntax error seen */
    unsigned used, unusable, ands, temporal;
    int fatal; /* negative VG_E* from adding */
    struct ioc_imp *im;
    const struct vg_ioc_src *src;
    char why[96]; /* first unusable reason */
    /* registry key and value name of the current [ ], joined at ']' */
    char rk[VG_IOC_MAX_VALUE + 1];
    char rv[VG_IOC_MAX_VALUE + 1];
    size_t rkl, rvl;
};

static void
ws(struct pp *p)
{
    while (p->i < p->n && (p->s[p->i] == ' ' || p->s[p->i] == '\t' ||
                           p->s[p->i] == '\r' || p->s[p->i] == '\n')) {
        p->i++;
    }
}

static int
is_word(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
           (c >= '0' && c <= '9') || c == '_' || c == '-';
}

/* Consume keyword kw (case-sensitive, as the grammar says) if next. */
static int
kw(struct pp *p, const char *k)
{
    ws(p);
    size_t kl = strlen(k);
    if (p->n - p->i >= kl && memcmp(p->s + p->i, k, kl) == 0 &&
        (p->i + kl == p->n || !is_word(p->s[p->i + kl]) || !is_word(k[0]))) {
        p->i += kl;
        return 1;
    }
    return 0;
}

static void
unusable(struct pp *p, const char *why)
{
    p->unusable++;
    if (p->why[0] == '\0') {
        vg_strlcpy(p->why, why, sizeof(p->why));
    }
}

/* 'string' with \' and \\ escapes into out; 1 on success. */
static int
str_lit(struct pp *p, char *out, size_t cap, size_t *len)
{
    size_t k = 0;
    ws(p);
    if (p->i >= p->n || p->s[p->i] != '\'') {
        return 0;
    }
    p->i++;
    while (p->i < p->n && p->s[p->i] != '\'') {
        char c = p->s[p->i];
        if (c == '\\' && p->i + 1 < p->n) {
            c = p->s[++p->i];
        }
        if (k + 1 < cap) {
            out[k++] = c;
        }
        p->i++;
    }
    if (p->i >= p->n) {
        p->err = 1;
        return 0;
    }
    p->i++;
    out[k] = '\0';
    *len = k;
    return 1;
}

/* Skip a non-string constant: number, true/false, t'..', h'..', b'..'. */
static int
skip_const(struct pp *p)
{
    ws(p);
    size_t st = p->i;
    if (p->i < p->n &&
        (p->s[p->i] == 't' || p->s[p->i] == 'h' || p->s[p->i] == 'b') &&
        p->i + 1 < p->n && p->s[p->i + 1] == '\'') {
        p->i++;
        char tmp[8];
        size_t l;
        return str_lit(p, tmp, sizeof(tmp), &l);
    }
    while (p->i < p->n &&
           (is_word(p->s[p->i]) || p->s[p->i] == '.' || p->s[p->i] == '+')) {
        p->i++;
    }
    return p->i > st;
}

/* object-type:path; copies both (quotes dropped from path steps). */
static int
obj_path(struct pp *p, char *obj, size_t oc, char *prop, size_t pc)
{
    size_t k = 0;
    ws(p);
    while (p->i < p->n && is_word(p->s[p->i]) && k + 1 < oc) {
        obj[k++] = p->s[p->i++];
    }
    obj[k] = '\0';
    if (k == 0 || p->i >= p->n || p->s[p->i] != ':') {
        return 0;
    }
    p->i++;
    k = 0;
    while (p->i < p->n) {
        char c = p->s[p->i];
        if (c == '\'') {
            p->i++;
            while (p->i < p->n && p->s[p->i] != '\'') {
                if (k + 1 < pc) {
                    prop[k++] = p->s[p->i];
                }
                p->i++;
            }
            if (p->i >= p->n) {
                return 0;
            }
            p->i++;
            continue;
        }
        if (!(is_word(c) || c == '.' || c == '[' || c == ']' || c == '*')) {
            break;
        }
        if (k + 1 < pc) {
            prop[k++] = c;
        }
        p->i++;
    }
    prop[k] = '\0';
    return k > 0;
}

static int
ieq(const char *a, const char *b)
{
    size_t n = strlen(a);
    return n == strlen(b) && vg_ascii_ieq(a, b, n);
}

enum vg_ioc_type
ioc_stix_path_type(const char *obj, size_t on, const char *prop, size_t pn,
                   unsigned *flags)
{
    static const struct {
        const char *obj, *prop;
        enum vg_ioc_type t;
    } map[] = {
        {"ipv4-addr", "value", VG_IOC_IPV4},
        {"ipv6-addr", "value", VG_IOC_IPV6},
        {"domain-name", "value", VG_IOC_DOMAIN},
        {"url", "value", VG_IOC_URL},
        {"email-addr", "value", VG_IOC_EMAIL},
        {"email-message", "from_ref.value", VG_IOC_EMAIL},
        {"email-message", "sender_ref.value", VG_IOC_EMAIL},
        {"file", "name", VG_IOC_FILENAME},
        {"file", "hashes.MD5", VG_IOC_MD5},
        {"file", "hashes.SHA-1", VG_IOC_SHA1},
        {"file", "hashes.SHA1", VG_IOC_SHA1},
        {"file", "hashes.SHA-256", VG_IOC_SHA256},
        {"file", "hashes.SHA256", VG_IOC_SHA256},
        {"file", "parent_directory_ref.path", VG_IOC_FILEPATH},
        {"directory", "path", VG_IOC_FILEPATH},
        {"process", "image_ref.name", VG_IOC_FILENAME},
        {"windows-registry-key", "key", VG_IOC_REGISTRY},
        {"mutex", "name", VG_IOC_MUTEX},
        {"user-account", "account_login", VG_IOC_ACCOUNT},
        {"user-account", "user_id", VG_IOC_ACCOUNT},
        {"file", "x_vigil_path", VG_IOC_FILEPATH},
        {"x-vigil-named-pipe", "name", VG_IOC_PIPE},
        {"x-vigil-relay", "value", VG_IOC_RELAY},
        {"x-vigil-anydesk", "id", VG_IOC_ANYDESK},
        {"network-traffic", "dst_ref.value", VG_IOC_NONE},
        {"network-traffic", "src_ref.value", VG_IOC_NONE},
    };
    char o[64], pr[128];
    if (on >= sizeof(o) || pn >= sizeof(pr)) {
        return VG_IOC_NONE;
    }
    memcpy(o, obj, on);
    o[on] = '\0';
    memcpy(pr, prop, pn);
    pr[pn] = '\0';
    *flags = 0;
    for (size_t i = 0; i < VG_ARRAY_LEN(map); i++) {
        if (ieq(o, map[i].obj) && ieq(pr, map[i].prop)) {
            /* VG_IOC_NONE here: an address or a name, by its shape. */
            return map[i].t != VG_IOC_NONE ? map[i].t : VG_IOC_TYPE_COUNT;
        }
    }
    return VG_IOC_NONE;
}

static void
add_value(struct pp *p, enum vg_ioc_type t, const char *v, size_t n,
          unsigned flags)
{
    if (p->fatal != VG_OK || p->used + p->unusable >= MAX_COMPARISONS) {
        return;
    }
    if (t == VG_IOC_TYPE_COUNT || t == VG_IOC_IPV4 || t == VG_IOC_IPV6) {
        enum vg_ioc_type g = vg_ioc_classify(v, n); /* IP, CIDR or host */
        if (g == VG_IOC_FILENAME && ioc_valid_domain(v, n)) {
            g = VG_IOC_DOMAIN;
        }
        if (t == VG_IOC_TYPE_COUNT || g == VG_IOC_CIDR4 || g == VG_IOC_CIDR6) {
            t = g;
        }
    }
    if (t == VG_IOC_FILENAME && !(flags & VG_IOC_F_REGEX) &&
        (memchr(v, '\\', n) != NULL || memchr(v, '/', n) != NULL)) {
        t = VG_IOC_FILEPATH;
    }
    if (t == VG_IOC_NONE || t == VG_IOC_TYPE_COUNT) {
        unusable(p, "value of no known type");
        return;
    }
    p->used++;
    int rc = ioc_imp_add(p->im, t, v, n, flags, NULL, p->src);
    if (rc < 0) {
        p->fatal = rc;
    }
}

/* windows-registry-key:key and :values[*].name in one observation make
 * one "key|value" indicator. */
static void
flush_registry(struct pp *p)
{
    if (p->rkl > 0) {
        char kv[2 * VG_IOC_MAX_VALUE + 2];
        size_t n = p->rkl;
        memcpy(kv, p->rk, n);
        if (p->rvl > 0) {
            kv[n++] = '|';
            memcpy(kv + n, p->rv, p->rvl);
            n += p->rvl;
        }
        add_value(p, VG_IOC_REGISTRY, kv, n, 0);
    } else if (p->rvl > 0) {
        unusable(p, "registry value name without key");
    }
    p->rkl = p->rvl = 0;
}

static int
registry_part(struct pp *p, const char *obj, const char *prop, const char *v,
              size_t vl)
{
    if (!ieq(obj, "windows-registry-key")) {
        return 0;
    }
    int key = ieq(prop, "key");
    if (!key && !ieq(prop, "values[*].name")) {
        return 0;
    }
    if ((key ? p->rkl : p->rvl) > 0) {
        flush_registry(p); /* a second key (OR): the first stands alone */
    }
    memcpy(key ? p->rk : p->rv, v, vl);
    *(key ? &p->rkl : &p->rvl) = vl;
    return 1;
}

/* LIKE pattern to glob: % -> *, _ -> ?. */
static void
like_to_glob(char *v, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        v[i] = v[i] == '%' ? '*' : v[i] == '_' ? '?' : v[i];
    }
}

static void
comparison(struct pp *p)
{
    char obj[64], prop[128], v[VG_IOC_MAX_VALUE + 1];
    size_t vl;
    unsigned fl;

    if (kw(p, "EXISTS")) {
        obj_path(p, obj, sizeof(obj), prop, sizeof(prop));
        unusable(p, "EXISTS");
        return;
    }
    if (!obj_path(p, obj, sizeof(obj), prop, sizeof(prop))) {
        p->err = 1;
        return;
    }
    enum vg_ioc_type t =
        ioc_stix_path_type(obj, strlen(obj), prop, strlen(prop), &fl);
    int neg = kw(p, "NOT");
    ws(p);
    if (kw(p, "IN")) {
        if (!kw(p, "(")) {
            p->err = 1;
            return;
        }
        do {
            if (str_lit(p, v, sizeof(v), &vl)) {
                if (t == VG_IOC_NONE || neg) {
                    unusable(p, t == VG_IOC_NONE ? "object path" : "NOT IN");
                } else {
                    add_value(p, t, v, vl, 0);
                }
            } else if (!skip_const(p)) {
                p->err = 1;
                return;
            }
        } while (kw(p, ","));
        if (!kw(p, ")")) {
            p->err = 1;
        }
        return;
    }
    int op_eq = kw(p, "=");
    int op_like = !op_eq && kw(p, "LIKE");
    int op_match = !op_eq && !op_like && kw(p, "MATCHES");
    if (!op_eq && !op_like && !op_match &&
        !(kw(p, "!=") || kw(p, "<=") || kw(p, ">=") || kw(p, "<") ||
          kw(p, ">") || kw(p, "ISSUBSET") || kw(p, "ISSUPERSET"))) {
        p->err = 1;
        return;
    }
    if (!str_lit(p, v, sizeof(v), &vl)) {
        if (!p->err && !skip_const(p)) {
            p->err = 1;
        }
        unusable(p, "non-string constant");
        return;
    }
    int pathish = t == VG_IOC_FILENAME || t == VG_IOC_FILEPATH;
    if (!neg && op_eq && vl > 0 && registry_part(p, obj, prop, v, vl)) {
        return; /* added at ']' */
    }
    if (neg || t == VG_IOC_NONE) {
        unusable(p, neg ? "NOT" : "object path");
    } else if (op_eq) {
        add_value(p, t, v, vl, 0);
    } else if (op_like && pathish) {
        like_to_glob(v, vl);
        add_value(p, t, v, vl, VG_IOC_F_GLOB);
    } else if (op_match && pathish) {
        add_value(p, t, v, vl, VG_IOC_F_REGEX);
    } else {
        unusable(p, "comparison operator");
    }
}

static void comp_expr(struct pp *p);

static void
comp_term(struct pp *p)
{
    if (kw(p, "(")) {
        if (++p->depth > MAX_DEPTH) {
            p->err = 1;
            return;
        }
        comp_expr(p);
        p->depth--;
        if (!kw(p, ")")) {
            p->err = 1;
        }
        return;
    }
    comparison(p);
}

static void
comp_expr(struct pp *p)
{
    comp_term(p);
    while (!p->err) {
        if (kw(p, "AND")) {
            p->ands++;
        } else if (!kw(p, "OR")) {
            return;
        }
        comp_term(p);
    }
}

static void
qualifiers(struct pp *p)
{
    for (;;) {
        if (kw(p, "WITHIN")) {
            skip_const(p);
            kw(p, "SECONDS");
        } else if (kw(p, "REPEATS")) {
            skip_const(p);
            kw(p, "TIMES");
        } else if (kw(p, "START")) {
            skip_const(p);
            if (kw(p, "STOP")) {
                skip_const(p);
            }
        } else {
            return;
        }
        p->temporal++;
    }
}

static void obs_expr(struct pp *p);

static void
obs_term(struct pp *p)
{
    if (++p->depth > MAX_DEPTH) {
        p->err = 1;
        return;
    }
    if (kw(p, "[")) {
        comp_expr(p);
        if (!kw(p, "]")) {
            p->err = 1;
        }
        flush_registry(p);
    } else if (kw(p, "(")) {
        obs_expr(p);
        if (!kw(p, ")")) {
            p->err = 1;
        }
    } else {
        p->err = 1;
    }
    p->depth--;
    if (!p->err) {
        qualifiers(p);
    }
}

static void
obs_expr(struct pp *p)
{
    obs_term(p);
    while (!p->err) {
        if (kw(p, "AND")) {
            p->ands++;
        } else if (kw(p, "FOLLOWEDBY")) {
            p->temporal++;
        } else if (!kw(p, "OR")) {
            return;
        }
        obs_term(p);
    }
}

int
ioc_stix_pattern(struct ioc_imp *im, const char *pat, size_t n,
                 const struct vg_ioc_src *src)
{
    struct pp p;
    const char *oid = src->object_id != NULL ? src->object_id : "indicator";
    uint64_t line = VG_DIAG_NONE;

    memset(&p, 0, sizeof(p));
    p.s = pat;
    p.n = n;
    p.im = im;
    p.src = src;
    if (n > VG_IOC_MAX_PATTERN) {
        ioc_issue(im, VG_IOC_ISSUE_ERROR, line,
                  "%s: pattern longer than %u "
                  "bytes",
                  oid, VG_IOC_MAX_PATTERN);
        return VG_OK;
    }
    obs_expr(&p);
    ws(&p);
    if (!p.err && p.i != p.n) {
        p.err = 1;
    }
    if (p.fatal != VG_OK) {
        return p.fatal;
    }
    if (p.err) {
        ioc_issue(im, VG_IOC_ISSUE_ERROR, line,
                  "%s: pattern syntax error at offset %zu%s", oid, p.i,
                  p.used ? " (comparisons before it kept)" : "");
    } else if (p.used == 0) {
        ioc_issue(im, VG_IOC_ISSUE_UNSUPPORTED, line,
                  "%s: no comparison Vigil can use (%s)", oid,
                  p.why[0] ? p.why : "empty");
    } else if (p.unusable > 0 && p.ands > 0) {
        ioc_issue(im, VG_IOC_ISSUE_NOTE, line,
                  "%s: AND pattern kept as %u of %u comparisons (%s dropped)",
                  oid, p.used, p.used + p.unusable, p.why);
    } else if (p.temporal > 0) {
        ioc_issue(im, VG_IOC_ISSUE_NOTE, line,
                  "%s: qualifiers/FOLLOWEDBY ignored", oid);
    }
    return VG_OK;
}
