/* SPDX-License-Identifier: Apache-2.0 */
/*
 * cond.c - Sigma condition strings to a small AST over search identifiers.
 *
 * Grammar (precedence low to high: or, and, not):
 *   expr    = andx { "or" andx }
 *   andx    = notx { "and" notx }
 *   notx    = "not" notx | primary
 *   primary = "(" expr ")" | ("1" | "all") "of" (them | pattern) | name
 * Keywords are case-insensitive; names are exact; a pattern may hold '*'.
 * `them` means every identifier not starting with '_'. An `of` that
 * selects nothing, an unknown name, and the Sigma 1.x `|` aggregation are
 * errors (the rule is reported unsupported, never guessed at).
 * Recursion depth and token count are capped (hostile input).
 */
#include <string.h>

#include "core/str.h"
#include "sigma/sigma_int.h"
#include "vigil/err.h"

#include "core/banned.h"

struct cp {
    struct sg_lctx        *lc;
    const char             *s;
    size_t                  n, pos;
    const struct sg_search *srch;
    size_t                  n_s;
    unsigned                depth, toks;
    /* current token */
    const char             *t;
    size_t                  tl;
};

static void
next(struct cp *c)
{
    while (c->pos < c->n && (c->s[c->pos] == ' ' || c->s[c->pos] == '\t' ||
                             c->s[c->pos] == '\n' || c->s[c->pos] == '\r'))
        c->pos++;
    c->t = c->s + c->pos;
    c->tl = 0;
    c->toks++;
    if (c->pos >= c->n)
        return;
    char ch = c->s[c->pos];
    if (ch == '(' || ch == ')' || ch == '|') {
        c->tl = 1;
        c->pos++;
        return;
    }
    while (c->pos < c->n) {
        ch = c->s[c->pos];
        if (ch == ' ' || ch == '\t' || ch == '\n' || ch == '\r' || ch == '(' ||
            ch == ')' || ch == '|')
            break;
        c->pos++;
        c->tl++;
    }
}

static int
is(const struct cp *c, const char *kw)
{
    size_t l = strlen(kw);
    return c->tl == l && vg_ascii_ieq(c->t, kw, l);
}

static int
mk(struct cp *c, uint8_t op, uint32_t id, struct sg_cond *a, struct sg_cond *b,
   struct sg_cond **out)
{
    void *p;
    int rc = vg_arena_alloc(c->lc->a, sizeof(struct sg_cond), &p);
    if (rc != VG_OK)
        return rc;
    struct sg_cond *n = p;
    n->op = op;
    n->id = id;
    n->a = a;
    n->b = b;
    *out = n;
    return VG_OK;
}

/* '*' pattern match, iterative with one backtrack point: linear-ish even
 * for "a*****...*b" (a recursive matcher is exponential there; the fuzzer
 * found it: fuzz/corpus/sigma_cond/slow-unit-many-stars). */
static int
wild_eq(const char *p, size_t np, const char *s, size_t ns)
{
    size_t pi = 0, si = 0, star = SIZE_MAX, mark = 0;
    while (si < ns) {
        if (pi < np && p[pi] == '*') {
            star = ++pi;
            mark = si;
        } else if (pi < np && p[pi] == s[si]) {
            pi++;
            si++;
        } else if (star != SIZE_MAX) {
            pi = star;
            si = ++mark;
        } else {
            return 0;
        }
    }
    while (pi < np && p[pi] == '*')
        pi++;
    return pi == np;
}

static int parse_expr(struct cp *c, struct sg_cond **out);

static int
parse_of(struct cp *c, int all, struct sg_cond **out)
{
    next(c); /* "of" consumed by caller check */
    if (c->tl == 0)
        return sg_fail(c->lc, VG_ESYNTAX, 0, "condition: 'of' needs a target");
    int them = is(c, "them");
    struct sg_cond *acc = NULL;
    for (size_t i = 0; i < c->n_s; i++) {
        const char *nm = c->srch[i].name;
        size_t nl = strlen(nm);
        if (them ? nm[0] == '_' : !wild_eq(c->t, c->tl, nm, nl))
            continue;
        struct sg_cond *leaf;
        int rc = mk(c, SG_OP_ID, (uint32_t)i, NULL, NULL, &leaf);
        if (rc == VG_OK && acc != NULL)
            rc = mk(c, all ? SG_OP_AND : SG_OP_OR, 0, acc, leaf, &leaf);
        if (rc != VG_OK)
            return rc;
        acc = leaf;
    }
    if (acc == NULL)
        return sg_fail(c->lc, VG_ESYNTAX, 0,
                       "condition: '%.*s' matches no search identifier",
                       (int)c->tl, c->t);
    next(c);
    *out = acc;
    return VG_OK;
}

static int
parse_primary(struct cp *c, struct sg_cond **out)
{
    if (c->tl == 0)
        return sg_fail(c->lc, VG_ESYNTAX, 0, "condition: unexpected end");
    if (is(c, "(")) {
        next(c);
        int rc = parse_expr(c, out);
        if (rc != VG_OK)
            return rc;
        if (!is(c, ")"))
            return sg_fail(c->lc, VG_ESYNTAX, 0, "condition: missing ')'");
        next(c);
        return VG_OK;
    }
    if (is(c, "|"))
        return sg_fail(c->lc, VG_EUNSUPPORTED, 0,
                       "condition: '|' aggregations (Sigma 1.x) are not "
                       "supported; use a correlation rule");
    if (is(c, "1") || is(c, "all") || is(c, "any")) {
        int all = is(c, "all");
        size_t start = (size_t)(c->t - c->s);
        next(c);
        if (is(c, "of"))
            return parse_of(c, all, out);
        c->pos = start; /* a search identifier named "1"/"all" */
        next(c);
    }
    for (size_t i = 0; i < c->n_s; i++) {
        if (strlen(c->srch[i].name) == c->tl &&
            memcmp(c->srch[i].name, c->t, c->tl) == 0) {
            next(c);
            return mk(c, SG_OP_ID, (uint32_t)i, NULL, NULL, out);
        }
    }
    return sg_fail(c->lc, VG_ESYNTAX, 0,
                   "condition: unknown search identifier '%.*s'", (int)c->tl,
                   c->t);
}

static int
parse_not(struct cp *c, struct sg_cond **out)
{
    if (++c->depth > SG_MAX_COND_DEPTH || c->toks > SG_MAX_COND_TOKENS)
        return sg_fail(c->lc, VG_ELIMIT, 0, "condition too deep or too long");
    int rc;
    if (is(c, "not")) {
        struct sg_cond *a;
        next(c);
        rc = parse_not(c, &a);
        if (rc == VG_OK)
            rc = mk(c, SG_OP_NOT, 0, a, NULL, out);
    } else {
        rc = parse_primary(c, out);
    }
    c->depth--;
    return rc;
}

static int
parse_and(struct cp *c, struct sg_cond **out)
{
    int rc = parse_not(c, out);
    while (rc == VG_OK && is(c, "and")) {
        struct sg_cond *b;
        next(c);
        rc = parse_not(c, &b);
        if (rc == VG_OK)
            rc = mk(c, SG_OP_AND, 0, *out, b, out);
    }
    return rc;
}

static int
parse_expr(struct cp *c, struct sg_cond **out)
{
    if (++c->depth > SG_MAX_COND_DEPTH)
        return sg_fail(c->lc, VG_ELIMIT, 0, "condition too deep");
    int rc = parse_and(c, out);
    while (rc == VG_OK && is(c, "or")) {
        struct sg_cond *b;
        next(c);
        rc = parse_and(c, &b);
        if (rc == VG_OK)
            rc = mk(c, SG_OP_OR, 0, *out, b, out);
    }
    c->depth--;
    return rc;
}

int
sg_cond_parse(struct sg_lctx *lc, const char *text, size_t len,
              const struct sg_search *s, size_t n_s, struct sg_cond **out)
{
    struct cp c;
    memset(&c, 0, sizeof(c));
    c.lc = lc;
    c.s = text;
    c.n = len;
    c.srch = s;
    c.n_s = n_s;
    *out = NULL;
    next(&c);
    int rc = parse_expr(&c, out);
    if (rc == VG_OK && c.tl != 0)
        rc = sg_fail(lc, VG_ESYNTAX, 0, "condition: unexpected '%.*s'",
                     (int)c.tl, c.t);
    if (rc != VG_OK)
        *out = NULL;
    return rc;
}
