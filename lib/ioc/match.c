/* SPDX-License-Identifier: Apache-2.0 */
/*
 * match.c - the matchers that are not plain table look-ups: file-path and
 * file-name regexes (PCRE2, with match limits against hostile patterns) and
 * globs, and the free-text matcher: an Aho-Corasick automaton over literal
 * names (case-folded, word boundaries checked at both ends) plus the
 * tokeniser for network and hash values.
 * The automaton is our own: a trie with a hashed edge table, failure and
 * dictionary-suffix links computed breadth-first.
 */
#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>
#include <string.h>

#include "core/alloc.h"
#include "core/str.h"
#include "ioc/ioc_int.h"
#include "vigil/ioc.h"

#include "core/banned.h"

#define RX_MATCH_LIMIT 100000u
#define RX_DEPTH_LIMIT 5000u

/* --- regexes and globs ---------------------------------------------------- */

static int
is_rx_type(const struct ioc_rec *r)
{
    return (r->type == VG_IOC_FILEPATH || r->type == VG_IOC_FILENAME) &&
           (r->flags & (VG_IOC_F_REGEX | VG_IOC_F_GLOB));
}

static void *
rx_compile(const char *pat, unsigned flags)
{
    int err;
    PCRE2_SIZE off;
    uint32_t opt = (flags & VG_IOC_F_NOCASE) ? PCRE2_CASELESS : 0;
    return pcre2_compile((PCRE2_SPTR)pat, PCRE2_ZERO_TERMINATED, opt, &err,
                         &off, NULL);
}

void
ioc_rx_free(struct vg_ioc_store *st)
{
    for (size_t i = 0; i < st->n_rx; i++) {
        pcre2_code_free(st->rx[i].code);
        pcre2_code_free(st->rx[i].fp);
    }
    vg_free(st->rx);
    pcre2_match_context_free(st->rx_mctx);
    st->rx = NULL;
    st->n_rx = 0;
    st->rx_mctx = NULL;
}

int
ioc_rx_build(struct vg_ioc_store *st)
{
    size_t n = 0;
    int bad = 0;
    for (size_t i = 0; i < st->n_iocs; i++) {
        n += is_rx_type(&st->iocs[i]) ? 1u : 0u;
    }
    if (n == 0) {
        return 0;
    }
    st->rx = vg_calloc(n, sizeof(*st->rx));
    st->rx_mctx = pcre2_match_context_create(NULL);
    if (st->rx == NULL || st->rx_mctx == NULL) {
        return VG_ENOMEM;
    }
    pcre2_set_match_limit(st->rx_mctx, RX_MATCH_LIMIT);
    pcre2_set_depth_limit(st->rx_mctx, RX_DEPTH_LIMIT);
    for (size_t i = 0; i < st->n_iocs; i++) {
        const struct ioc_rec *r = &st->iocs[i];
        if (!is_rx_type(r)) {
            continue;
        }
        struct ioc_rx *x = &st->rx[st->n_rx++];
        x->id = (uint32_t)i;
        if (r->flags & VG_IOC_F_REGEX) {
            x->code = rx_compile(st->blob + r->value, r->flags);
            bad += x->code == NULL;
            if (r->aux != 0) {
                x->fp = rx_compile(st->blob + r->aux, 0);
            }
        }
    }
    return bad;
}

/* Case-insensitive glob: '*' any run, '?' one byte. Iterative with one
 * backtrack point, so it is linear-ish and cannot recurse. */
static int
glob_match(const char *g, const char *s, size_t n)
{
    size_t si = 0, star_g = SIZE_MAX, star_s = 0;
    const char *g0 = g;
    size_t gi = 0, gl = strlen(g0);
    while (si < n) {
        if (gi < gl && (g0[gi] == '?' ||
                        vg_ascii_lower(g0[gi]) == vg_ascii_lower(s[si]))) {
            gi++;
            si++;
        } else if (gi < gl && g0[gi] == '*') {
            star_g = gi++;
            star_s = si;
        } else if (star_g != SIZE_MAX) {
            gi = star_g + 1;
            si = ++star_s;
        } else {
            return 0;
        }
    }
    while (gi < gl && g0[gi] == '*') {
        gi++;
    }
    (void)g;
    return gi == gl;
}

static int
rx_hit(const struct vg_ioc_store *st, void *code, const char *s, size_t n,
       pcre2_match_data *md)
{
    int r = pcre2_match(code, (PCRE2_SPTR)s, n, 0, 0, md, st->rx_mctx);
    return r >= 0;
}

int
ioc_rx_match(const struct vg_ioc_store *st, const char *s, size_t n,
             uint32_t *ids, size_t cap, int count)
{
    pcre2_match_data *md = NULL;
    size_t bl;
    const char *base = ioc_basename(s, n, &bl);
    if (st->n_rx == 0) {
        return count;
    }
    md = pcre2_match_data_create(16, NULL);
    if (md == NULL) {
        return count;
    }
    for (size_t i = 0; i < st->n_rx; i++) {
        const struct ioc_rx *x = &st->rx[i];
        const struct ioc_rec *r = &st->iocs[x->id];
        const char *subj = r->type == VG_IOC_FILENAME ? base : s;
        size_t sl = r->type == VG_IOC_FILENAME ? bl : n;
        int ok;
        if (r->flags & VG_IOC_F_REGEX) {
            ok = x->code != NULL && rx_hit(st, x->code, subj, sl, md) &&
                 !(x->fp != NULL && rx_hit(st, x->fp, subj, sl, md));
        } else {
            ok = glob_match(st->blob + r->value, subj, sl);
        }
        if (ok) {
            if ((size_t)count < cap) {
                ids[count] = x->id;
            }
            count++;
        }
    }
    pcre2_match_data_free(md);
    return count;
}

/* --- Aho-Corasick over literal names ---------------------------------------
 */

struct ac_node {
    uint32_t fail;
    uint32_t dict;  /* nearest suffix node with output, IOC_NIL */
    uint32_t out;   /* first pattern ending here, IOC_NIL */
    uint32_t child; /* first child (BFS only) */
    uint32_t sib;   /* next sibling */
    uint8_t c;      /* label of the edge into this node */
};

struct ac_pat {
    uint32_t id;
    uint32_t len;
    uint32_t next; /* next pattern ending at the same node */
};

struct ac_edge {
    uint32_t from1; /* from + 1; 0 = empty slot */
    uint32_t to;
    uint8_t c;
};

struct ioc_ac {
    struct ac_node *nodes;
    size_t n_nodes, cap_nodes;
    struct ac_pat *pats;
    size_t n_pats;
    struct ac_edge *edges;
    size_t emask, n_edges;
};

static int
is_literal(const struct ioc_rec *r)
{
    switch (r->type) {
    case VG_IOC_FILENAME:
    case VG_IOC_FILEPATH:
        return !(r->flags & (VG_IOC_F_REGEX | VG_IOC_F_GLOB));
    case VG_IOC_REGISTRY:
    case VG_IOC_MUTEX:
    case VG_IOC_PIPE:
    case VG_IOC_ACCOUNT:
    case VG_IOC_ANYDESK:
        return 1;
    default:
        return 0;
    }
}

static inline size_t
edge_slot(uint32_t from, uint8_t c, size_t mask)
{
    uint64_t k = ((uint64_t)from << 8 | c) * 0x9e3779b97f4a7c15ull;
    return (size_t)(k >> 29) & mask;
}

static uint32_t
ac_go(const struct ioc_ac *ac, uint32_t from, uint8_t c)
{
    for (size_t j = edge_slot(from, c, ac->emask);; j = (j + 1) & ac->emask) {
        const struct ac_edge *e = &ac->edges[j];
        if (e->from1 == 0) {
            return IOC_NIL;
        }
        if (e->from1 == from + 1 && e->c == c) {
            return e->to;
        }
    }
}

static int
ac_new_node(struct ioc_ac *ac, uint32_t *out)
{
    if (ac->n_nodes == ac->cap_nodes) {
        size_t nc = ac->cap_nodes ? ac->cap_nodes * 2 : 1024;
        struct ac_node *n = vg_reallocarray(ac->nodes, nc, sizeof(*n));
        if (n == NULL) {
            return VG_ENOMEM;
        }
        ac->nodes = n;
        ac->cap_nodes = nc;
    }
    struct ac_node *n = &ac->nodes[ac->n_nodes];
    n->fail = 0;
    n->dict = IOC_NIL;
    n->out = IOC_NIL;
    n->child = IOC_NIL;
    n->sib = IOC_NIL;
    n->c = 0;
    *out = (uint32_t)ac->n_nodes++;
    return VG_OK;
}

static int
ac_insert(struct ioc_ac *ac, const char *s, uint32_t id, uint32_t pi)
{
    uint32_t cur = 0;
    size_t len = strlen(s);
    for (size_t i = 0; i < len; i++) {
        uint8_t c = (uint8_t)vg_ascii_lower(s[i]);
        uint32_t nx = ac_go(ac, cur, c);
        if (nx == IOC_NIL) {
            int rc = ac_new_node(ac, &nx);
            if (rc != VG_OK) {
                return rc;
            }
            size_t j = edge_slot(cur, c, ac->emask);
            while (ac->edges[j].from1 != 0) {
                j = (j + 1) & ac->emask;
            }
            ac->edges[j].from1 = cur + 1;
            ac->edges[j].to = nx;
            ac->edges[j].c = c;
            ac->nodes[nx].c = c;
            ac->nodes[nx].sib = ac->nodes[cur].child;
            ac->nodes[cur].child = nx;
        }
        cur = nx;
    }
    ac->pats[pi].id = id;
    ac->pats[pi].len = (uint32_t)len;
    ac->pats[pi].next = ac->nodes[cur].out;
    ac->nodes[cur].out = pi;
    return VG_OK;
}

/* Failure links breadth-first; the queue is the node array order. */
static int
ac_links(struct ioc_ac *ac)
{
    uint32_t *q = vg_calloc(ac->n_nodes + 1, sizeof(uint32_t));
    size_t head = 0, tail = 0;
    if (q == NULL) {
        return VG_ENOMEM;
    }
    q[tail++] = 0;
    while (head < tail) {
        uint32_t u = q[head++];
        for (uint32_t v = ac->nodes[u].child; v != IOC_NIL;
             v = ac->nodes[v].sib) {
            uint8_t c = ac->nodes[v].c;
            uint32_t f = 0;
            if (u != 0) {
                f = ac->nodes[u].fail;
                uint32_t g;
                while ((g = ac_go(ac, f, c)) == IOC_NIL && f != 0) {
                    f = ac->nodes[f].fail;
                }
                f = g != IOC_NIL ? g : 0;
            }
            ac->nodes[v].fail = f;
            ac->nodes[v].dict =
                ac->nodes[f].out != IOC_NIL ? f : ac->nodes[f].dict;
            q[tail++] = v;
        }
    }
    vg_free(q);
    return VG_OK;
}

void
ioc_ac_free(struct ioc_ac *ac)
{
    if (ac == NULL) {
        return;
    }
    vg_free(ac->nodes);
    vg_free(ac->pats);
    vg_free(ac->edges);
    vg_free(ac);
}

size_t
ioc_ac_memory(const struct ioc_ac *ac)
{
    if (ac == NULL) {
        return 0;
    }
    return sizeof(*ac) + ac->cap_nodes * sizeof(struct ac_node) +
           ac->n_pats * sizeof(struct ac_pat) +
           (ac->emask + 1) * sizeof(struct ac_edge);
}

int
ioc_ac_build(const struct vg_ioc_store *st, struct ioc_ac **out)
{
    size_t np = 0, chars = 0;
    uint32_t root;
    int rc;
    *out = NULL;
    for (size_t i = 0; i < st->n_iocs; i++) {
        if (is_literal(&st->iocs[i])) {
            np++;
            chars += strlen(st->blob + st->iocs[i].value);
        }
    }
    if (np == 0) {
        return VG_OK;
    }
    struct ioc_ac *ac = vg_calloc(1, sizeof(*ac));
    size_t ecap = 16;
    while (ecap * 7 < (chars + 1) * 10) {
        ecap *= 2;
    }
    if (ac == NULL) {
        return VG_ENOMEM;
    }
    ac->pats = vg_calloc(np, sizeof(*ac->pats));
    ac->edges = vg_calloc(ecap, sizeof(*ac->edges));
    ac->emask = ecap - 1;
    rc = ac->pats == NULL || ac->edges == NULL ? VG_ENOMEM
                                               : ac_new_node(ac, &root);
    for (size_t i = 0; rc == VG_OK && i < st->n_iocs; i++) {
        if (is_literal(&st->iocs[i])) {
            rc = ac_insert(ac, st->blob + st->iocs[i].value, (uint32_t)i,
                           (uint32_t)ac->n_pats++);
        }
    }
    if (rc == VG_OK) {
        rc = ac_links(ac);
    }
    if (rc != VG_OK) {
        ioc_ac_free(ac);
        return rc;
    }
    *out = ac;
    return VG_OK;
}

static int
wordc(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
           (c >= '0' && c <= '9') || c == '_';
}

struct mt_ctx {
    const struct vg_ioc_store *st;
    vg_ioc_hit_fn *fn;
    void *arg;
    int hits;
    int stop;
};

static int
report(struct mt_ctx *m, uint32_t id, size_t off, size_t len)
{
    m->hits++;
    int r = m->fn != NULL ? m->fn(m->arg, id, off, len) : 0;
    if (r != 0) {
        m->stop = r;
    }
    return r;
}

static void
ac_scan(struct mt_ctx *m, const struct ioc_ac *ac, const char *t, size_t n)
{
    uint32_t s = 0;
    for (size_t i = 0; i < n && !m->stop; i++) {
        uint8_t c = (uint8_t)vg_ascii_lower(t[i]);
        uint32_t g;
        while ((g = ac_go(ac, s, c)) == IOC_NIL && s != 0) {
            s = ac->nodes[s].fail;
        }
        s = g != IOC_NIL ? g : 0;
        for (uint32_t u = ac->nodes[s].out != IOC_NIL ? s : ac->nodes[s].dict;
             u != IOC_NIL && !m->stop; u = ac->nodes[u].dict) {
            for (uint32_t p = ac->nodes[u].out; p != IOC_NIL && !m->stop;
                 p = ac->pats[p].next) {
                size_t len = ac->pats[p].len, st0 = i + 1 - len;
                const char *pv =
                    m->st->blob + m->st->iocs[ac->pats[p].id].value;
                int lb = st0 == 0 || !wordc(pv[0]) || !wordc(t[st0 - 1]);
                int rb = i + 1 == n || !wordc(pv[len - 1]) || !wordc(t[i + 1]);
                if (lb && rb) {
                    report(m, ac->pats[p].id, st0, len);
                }
            }
        }
    }
}

static int
on_tok(void *arg, const struct ioc_tok *t, const char *text)
{
    struct mt_ctx *m = arg;
    uint32_t ids[32];
    int k;
    const char *v = text + t->off;
    switch (t->type) {
    case VG_IOC_FILEPATH:
    case VG_IOC_FILENAME:
        k = ioc_rx_match(m->st, v, t->len, ids, 32, 0);
        break;
    case VG_IOC_EMAIL:
    case VG_IOC_CIDR4:
    case VG_IOC_CIDR6:
        k = vg_ioc_lookup_value(m->st, t->type, v, t->len, ids, 32);
        break;
    default:
        k = vg_ioc_lookup_value(m->st, t->type, v, t->len, ids, 32);
        break;
    }
    for (int i = 0; i < k && i < 32 && !m->stop; i++) {
        report(m, ids[i], t->off, t->len);
    }
    return m->stop;
}

int
vg_ioc_match_text(const struct vg_ioc_store *st, const char *text, size_t n,
                  vg_ioc_hit_fn *fn, void *arg)
{
    struct mt_ctx m = {st, fn, arg, 0, 0};
    if (st == NULL || !st->sealed || (text == NULL && n > 0)) {
        return VG_EINVAL;
    }
    if (st->ac != NULL) {
        ac_scan(&m, st->ac, text, n);
    }
    if (!m.stop) {
        ioc_extract(text, n, on_tok, &m);
    }
    return m.stop ? m.stop : m.hits;
}
