/* SPDX-License-Identifier: Apache-2.0 */
/*
 * ac.c - Aho-Corasick automaton (contract in ac.h).
 *
 * Building: a trie of the folded patterns (children as sibling lists while
 * inserting), renumbered breadth first set by set so that a set's states
 * are contiguous and its shallow states, where a scan spends most of its
 * time, sit together in memory; edges become byte-sorted arrays; failure
 * links and output ("dictionary") links are set in that order. Each set's
 * root keeps a full 256-entry table, because a scan returns to the root at
 * almost every byte that starts no pattern, and a bitmap of the patterns'
 * first two bytes, to skip positions at the root.
 *
 * Scanning costs one table lookup or a short edge search per byte plus the
 * failure moves, which are bounded by the bytes read. Deliberately no full
 * transition table for deeper states: the prefilter's patterns make some
 * hundreds of thousands of states and 256 entries per state would not fit
 * a sane memory budget.
 */
#include <string.h>

#include "core/alloc.h"
#include "core/str.h"
#include "sigma/ac.h"
#include "vigil/err.h"

#include "core/banned.h"

#define AC_NONE UINT32_MAX

/* Trie under construction: first child / next sibling lists. */
struct trie {
    uint32_t *child, *sib, *out;
    uint8_t  *byte;
    uint32_t  n, cap;
};

static int
trie_grow(struct trie *t, uint32_t nc)
{
    uint32_t *c = vg_reallocarray(t->child, nc, sizeof(uint32_t));
    if (c != NULL)
        t->child = c;
    uint32_t *s = vg_reallocarray(t->sib, nc, sizeof(uint32_t));
    if (s != NULL)
        t->sib = s;
    uint32_t *o = vg_reallocarray(t->out, nc, sizeof(uint32_t));
    if (o != NULL)
        t->out = o;
    uint8_t *y = vg_reallocarray(t->byte, nc, 1);
    if (y != NULL)
        t->byte = y;
    if (c == NULL || s == NULL || o == NULL || y == NULL)
        return VG_ENOMEM;
    t->cap = nc;
    return VG_OK;
}

static int
trie_new_state(struct trie *t, uint8_t b, uint32_t *out)
{
    if (t->n >= SG_AC_MAX_STATES)
        return VG_ELIMIT;
    if (t->n == t->cap) {
        int rc = trie_grow(t, t->cap ? t->cap * 2 : 1024);
        if (rc != VG_OK)
            return rc;
    }
    t->child[t->n] = t->sib[t->n] = t->out[t->n] = AC_NONE;
    t->byte[t->n] = b;
    *out = t->n++;
    return VG_OK;
}

/* Room for the most states the patterns can make (roots plus one per
 * pattern byte, capped), so that building never copies the arrays; pages
 * never touched cost nothing. */
static int
trie_reserve(struct trie *t, uint32_t n_sets, const struct sg_ac_pat *pat,
             size_t n)
{
    uint64_t most = n_sets;
    for (size_t i = 0; i < n && most < SG_AC_MAX_STATES; i++)
        most += pat[i].len;
    return trie_grow(t, most < SG_AC_MAX_STATES ? (uint32_t)most + 1
                                                : SG_AC_MAX_STATES);
}

static void
trie_free(struct trie *t)
{
    vg_free(t->child);
    vg_free(t->sib);
    vg_free(t->out);
    vg_free(t->byte);
}

/* Child of s by byte b, created when absent. */
static int
trie_step(struct trie *t, uint32_t s, uint8_t b, uint32_t *out)
{
    uint32_t c;
    for (c = t->child[s]; c != AC_NONE; c = t->sib[c])
        if (t->byte[c] == b) {
            *out = c;
            return VG_OK;
        }
    int rc = trie_new_state(t, b, &c);
    if (rc != VG_OK)
        return rc;
    t->sib[c] = t->child[s];
    t->child[s] = c;
    *out = c;
    return VG_OK;
}

/* Insert every pattern; states 0 .. n_sets-1 are the roots. pnext chains
 * the patterns ending at one state (t->out holds the first). */
static int
trie_fill(struct trie *t, uint32_t n_sets, const struct sg_ac_pat *pat,
          size_t n, uint32_t *pnext)
{
    uint32_t s;
    for (uint32_t i = 0; i < n_sets; i++) {
        int rc = trie_new_state(t, 0, &s);
        if (rc != VG_OK)
            return rc;
    }
    for (size_t i = 0; i < n; i++) {
        if (pat[i].set >= n_sets)
            return VG_EINVAL;
        s = pat[i].set;
        for (size_t k = 0; k < pat[i].len; k++) {
            int rc = trie_step(t, s, (uint8_t)vg_ascii_lower((char)pat[i].p[k]),
                               &s);
            if (rc != VG_OK)
                return rc;
        }
        pnext[i] = t->out[s];
        t->out[s] = (uint32_t)i;
    }
    return VG_OK;
}

static int
ac_alloc(struct sg_ac *ac, uint32_t n_sets, uint32_t n_states, size_t n_pat)
{
    size_t ns = n_states, np = n_pat ? n_pat : 1;
    ac->n_sets = n_sets;
    ac->n_states = n_states;
    ac->root = vg_malloc((size_t)n_sets * 256 * sizeof(uint32_t) + 1);
    ac->st = vg_malloc((ns + 1) * sizeof(*ac->st));
    ac->out = vg_malloc(ns * sizeof(uint32_t));
    ac->dict = vg_malloc(ns * sizeof(uint32_t));
    ac->edge = vg_malloc(ns * sizeof(uint32_t));
    ac->pid = vg_malloc(np * sizeof(uint32_t));
    ac->pnext = vg_malloc(np * sizeof(uint32_t));
    ac->empty = vg_malloc((size_t)n_sets * sizeof(uint32_t) + 1);
    return ac->root && ac->st && ac->out && ac->dict && ac->edge && ac->pid &&
                   ac->pnext && ac->empty
               ? VG_OK
               : VG_ENOMEM;
}

/* Append the children of trie state s to order (sorted by byte) and
 * number them. */
static void
append_children(const struct trie *t, uint32_t s, uint32_t *order,
                uint32_t *newid, uint32_t *tail)
{
    uint32_t first = *tail;
    for (uint32_t c = t->child[s]; c != AC_NONE; c = t->sib[c])
        order[(*tail)++] = c;
    /* sort the run by byte (insertion: runs are short) */
    for (uint32_t i = first + 1; i < *tail; i++) {
        uint32_t x = order[i], j = i;
        for (; j > first && t->byte[order[j - 1]] > t->byte[x]; j--)
            order[j] = order[j - 1];
        order[j] = x;
    }
    for (uint32_t i = first; i < *tail; i++)
        newid[order[i]] = i;
}

/* Breadth-first numbering, one set after the other: order[k] is the trie
 * state that becomes state k; roots keep their numbers. A set's states are
 * contiguous and shallow ones first, so a scan of one field stays in one
 * region of memory. Children of one state get consecutive numbers sorted
 * by byte, which makes each state's edges one sorted run. */
static void
bfs_order(const struct trie *t, uint32_t n_sets, uint32_t *order,
          uint32_t *newid)
{
    uint32_t tail = n_sets;
    for (uint32_t i = 0; i < n_sets; i++)
        order[i] = newid[i] = i;
    for (uint32_t r = 0; r < n_sets; r++) {
        uint32_t head = tail;
        append_children(t, r, order, newid, &tail);
        while (head < tail)
            append_children(t, order[head++], order, newid, &tail);
    }
}

/* Edges (and outputs) in the new numbering. */
static void
lay_edges(struct sg_ac *ac, const struct trie *t, const uint32_t *order,
          const uint32_t *newid)
{
    uint32_t e = 0;
    for (uint32_t k = 0; k < ac->n_states; k++) {
        uint32_t s = order[k];
        ac->st[k].e_first = e;
        ac->out[k] = t->out[s];
        uint32_t first = e;
        for (uint32_t c = t->child[s]; c != AC_NONE; c = t->sib[c])
            ac->edge[e++] = newid[c] << 8 | t->byte[c];
        /* children were numbered in byte order: sorting by target sorts
         * by byte */
        for (uint32_t i = first + 1; i < e; i++) {
            uint32_t x = ac->edge[i], j = i;
            for (; j > first && ac->edge[j - 1] > x; j--)
                ac->edge[j] = ac->edge[j - 1];
            ac->edge[j] = x;
        }
    }
    ac->st[ac->n_states].e_first = e;
}

/* The state after byte b from s, or AC_NONE (no edge; s not a root). */
static inline uint32_t
go(const struct sg_ac *ac, uint32_t s, uint8_t b)
{
    if (s < ac->n_sets)
        return ac->root[(size_t)s * 256 + b];
    uint32_t lo = ac->st[s].e_first & SG_AC_EDGES;
    uint32_t hi = ac->st[s + 1].e_first & SG_AC_EDGES;
    while (hi - lo > 8) { /* the edge, if any, stays in [lo, hi) */
        uint32_t mid = lo + (hi - lo) / 2;
        if ((uint8_t)ac->edge[mid] <= b)
            lo = mid;
        else
            hi = mid;
    }
    for (; lo < hi; lo++)
        if ((uint8_t)ac->edge[lo] == b)
            return ac->edge[lo] >> 8;
    return AC_NONE;
}

/* Root tables, then failure and dictionary links in state order (within
 * a set states are numbered breadth first, so a parent and a failure
 * target, both shallower and in the same set, are always done before the
 * state). set_of[k] is the root of state k. */
static void
link_states(struct sg_ac *ac, uint32_t *set_of)
{
    for (uint32_t r = 0; r < ac->n_sets; r++) {
        uint32_t *row = ac->root + (size_t)r * 256;
        for (unsigned b = 0; b < 256; b++)
            row[b] = r;
        for (uint32_t e = ac->st[r].e_first; e < ac->st[r + 1].e_first; e++)
            row[(uint8_t)ac->edge[e]] = ac->edge[e] >> 8;
        ac->st[r].fail = r;
        ac->dict[r] = AC_NONE;
        set_of[r] = r;
        ac->empty[r] = ac->out[r];
        ac->out[r] = AC_NONE; /* empty patterns: reported once per scan */
    }
    for (uint32_t s = 0; s < ac->n_states; s++) {
        for (uint32_t e = ac->st[s].e_first; e < ac->st[s + 1].e_first; e++) {
            uint32_t c = ac->edge[e] >> 8, f = s, to = AC_NONE;
            uint8_t b = (uint8_t)ac->edge[e];
            set_of[c] = set_of[s];
            while (s >= ac->n_sets) { /* a root's children fail to it */
                f = ac->st[f].fail;
                to = go(ac, f, b);
                if (to != AC_NONE || f < ac->n_sets)
                    break;
            }
            ac->st[c].fail = s < ac->n_sets || to == AC_NONE || to == c
                              ? set_of[s]
                              : to;
            uint32_t fc = ac->st[c].fail;
            ac->dict[c] = ac->out[fc] != AC_NONE ? fc : ac->dict[fc];
        }
    }
}

/* Bigram bitmaps: while a scan is at a root, only a position whose two
 * bytes start some pattern can begin a match, so it skips the others with
 * one bit test each instead of automaton steps. A set with a 0- or 1-byte
 * pattern (or none) gets no bitmap. */
#define AC_BG_BYTES 8192u

static unsigned
fold_b(uint8_t c)
{
    return (unsigned)(uint8_t)vg_ascii_lower((char)c);
}

static int
build_bigrams(struct sg_ac *ac, const struct sg_ac_pat *pat, size_t n)
{
    uint32_t nb = 0;
    ac->bg_of = vg_malloc((size_t)ac->n_sets * sizeof(uint32_t));
    if (ac->bg_of == NULL)
        return VG_ENOMEM;
    for (uint32_t i = 0; i < ac->n_sets; i++)
        ac->bg_of[i] = AC_NONE - 1; /* no pattern yet */
    for (size_t i = 0; i < n; i++)
        if (pat[i].len < 2)
            ac->bg_of[pat[i].set] = AC_NONE;
        else if (ac->bg_of[pat[i].set] == AC_NONE - 1)
            ac->bg_of[pat[i].set] = nb++;
    ac->bigram = vg_calloc(nb ? nb : 1, AC_BG_BYTES);
    if (ac->bigram == NULL)
        return VG_ENOMEM;
    for (uint32_t i = 0; i < ac->n_sets; i++)
        if (ac->bg_of[i] == AC_NONE - 1)
            ac->bg_of[i] = AC_NONE;
    for (size_t i = 0; i < n; i++) {
        uint32_t b = ac->bg_of[pat[i].set];
        if (b == AC_NONE)
            continue;
        unsigned k = fold_b(pat[i].p[0]) << 8 | fold_b(pat[i].p[1]);
        ac->bigram[(size_t)b * AC_BG_BYTES + k / 8] |= (uint8_t)(1u << (k % 8));
    }
    return VG_OK;
}

int
sg_ac_build(struct sg_ac *ac, uint32_t n_sets, const struct sg_ac_pat *pat,
            size_t n)
{
    struct trie t;
    uint32_t *order = NULL, *newid = NULL;
    memset(ac, 0, sizeof(*ac));
    memset(&t, 0, sizeof(t));
    if (n_sets == 0 || n_sets >= SG_AC_MAX_STATES || n > UINT32_MAX / 2)
        return VG_EINVAL;
    uint32_t *pnext = vg_malloc((n ? n : 1) * sizeof(uint32_t));
    int rc = pnext ? trie_reserve(&t, n_sets, pat, n) : VG_ENOMEM;
    if (rc == VG_OK)
        rc = trie_fill(&t, n_sets, pat, n, pnext);
    if (rc == VG_OK)
        rc = ac_alloc(ac, n_sets, t.n, n);
    if (rc == VG_OK) {
        order = vg_malloc((size_t)t.n * sizeof(uint32_t));
        newid = vg_malloc((size_t)t.n * sizeof(uint32_t));
        rc = order && newid ? VG_OK : VG_ENOMEM;
    }
    if (rc != VG_OK)
        goto out;
    for (size_t i = 0; i < n; i++) {
        ac->pid[i] = pat[i].id;
        ac->pnext[i] = pnext[i];
    }
    bfs_order(&t, n_sets, order, newid);
    lay_edges(ac, &t, order, newid);
    link_states(ac, order); /* order is free now: reuse it as set_of */
    for (uint32_t k = 0; k < ac->n_states; k++) /* roots: both AC_NONE */
        if ((ac->out[k] & ac->dict[k]) != AC_NONE)
            ac->st[k].e_first |= SG_AC_OUT;
    rc = build_bigrams(ac, pat, n);
    for (unsigned c = 0; c < 256; c++)
        ac->fold[c] = (uint8_t)fold_b((uint8_t)c);
out:
    vg_free(pnext);
    vg_free(order);
    vg_free(newid);
    trie_free(&t);
    if (rc != VG_OK)
        sg_ac_free(ac);
    return rc;
}

void
sg_ac_free(struct sg_ac *ac)
{
    vg_free(ac->root);
    vg_free(ac->st);
    vg_free(ac->out);
    vg_free(ac->dict);
    vg_free(ac->edge);
    vg_free(ac->pid);
    vg_free(ac->pnext);
    vg_free(ac->empty);
    vg_free(ac->bigram);
    vg_free(ac->bg_of);
    memset(ac, 0, sizeof(*ac));
}

/* Every pattern ending at state s (its own, then its suffixes'). */
static int
emit(const struct sg_ac *ac, uint32_t s, size_t end, sg_ac_fn *fn, void *arg)
{
    if (ac->out[s] == AC_NONE)
        s = ac->dict[s];
    for (; s != AC_NONE; s = ac->dict[s])
        for (uint32_t p = ac->out[s]; p != AC_NONE; p = ac->pnext[p]) {
            int rc = fn(arg, ac->pid[p], end);
            if (rc != 0)
                return rc;
        }
    return 0;
}

int
sg_ac_scan(const struct sg_ac *ac, uint32_t set, const uint8_t *text,
           size_t len, sg_ac_fn *fn, void *arg)
{
    if (set >= ac->n_sets)
        return 0;
    for (uint32_t p = ac->empty[set]; p != AC_NONE; p = ac->pnext[p]) {
        int rc = fn(arg, ac->pid[p], 0);
        if (rc != 0)
            return rc;
    }
    if ((ac->st[set].e_first & SG_AC_EDGES) ==
        (ac->st[set + 1].e_first & SG_AC_EDGES))
        return 0; /* the set has no pattern of 1+ bytes */
    const uint32_t *row = ac->root + (size_t)set * 256;
    const uint8_t *bg = ac->bg_of[set] == AC_NONE
                            ? NULL
                            : ac->bigram + (size_t)ac->bg_of[set] * AC_BG_BYTES;
    uint32_t s = set;
    for (size_t i = 0; i < len; i++) {
        if (s == set && bg != NULL) { /* skip what starts no pattern */
            unsigned prev = ac->fold[text[i]];
            for (; i + 1 < len; i++) {
                unsigned next = ac->fold[text[i + 1]], k = prev << 8 | next;
                if (bg[k / 8] & (1u << (k % 8)))
                    break;
                prev = next;
            }
            if (i + 1 >= len)
                break; /* one byte left: every pattern is longer */
        }
        uint8_t b = ac->fold[text[i]];
        uint32_t to = AC_NONE;
        while (s != set && (to = go(ac, s, b)) == AC_NONE)
            s = ac->st[s].fail;
        s = s == set ? row[b] : to;
        if (ac->st[s].e_first & SG_AC_OUT) {
            int rc = emit(ac, s, i + 1, fn, arg);
            if (rc != 0)
                return rc;
        }
    }
    return 0;
}
