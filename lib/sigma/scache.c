/* SPDX-License-Identifier: Apache-2.0 */
/*
 * scache.c - a scanner's cache of automaton results per field value
 * (contract in scan_int.h).
 *
 * Logs repeat the same values over and over (an Image, a ParentImage, a
 * service's command line): which needles occur in a value depends only on
 * the field and the value's bytes, so a value seen before is answered by
 * replaying the needles found the first time instead of scanning it again.
 * The key is the exact bytes (compared in full on a hit, the hash only
 * picks the slot), so a hit gives exactly what a scan would.
 *
 * A direct-mapped table: a new value replaces the slot's old one. Values
 * longer than SG_SC_MAX_LEN, and values in which more than SG_SC_IDS
 * needles occur, are not kept (scanned every time). A slot is one cache
 * line holding a short value and a few needles itself; longer ones go to
 * the slot's buffer, which only grows, within a byte budget per scanner,
 * so a warm cache allocates nothing. Deliberately not here: other
 * replacement policies, sharing between scanners (threads).
 */
#include <string.h>

#include "core/alloc.h"
#include "sigma/scan_int.h"
#include "vigil/err.h"

#include "core/banned.h"

_Static_assert(sizeof(struct sg_scache_ent) == 64, "a slot is a cache line");

int
sg_scache_init(struct sg_scache *c)
{
    memset(c, 0, sizeof(*c));
    c->raw = vg_calloc(SG_SC_SLOTS + 1, sizeof(*c->e));
    if (c->raw == NULL)
        return VG_ENOMEM;
    uintptr_t a = ((uintptr_t)c->raw + 63) & ~(uintptr_t)63;
    c->e = (struct sg_scache_ent *)a; /* slots on cache lines */
    return VG_OK;
}

void
sg_scache_fini(struct sg_scache *c)
{
    if (c->e != NULL)
        for (size_t i = 0; i < SG_SC_SLOTS; i++)
            vg_free(c->e[i].val);
    vg_free(c->raw);
    memset(c, 0, sizeof(*c));
}

/* 64-bit hash of (fid, bytes): eight bytes per multiply. */
uint64_t
sg_scache_hash(uint32_t fid, const uint8_t *p, size_t n)
{
    const uint64_t k = 0x9e3779b97f4a7c15u;
    uint64_t h = ((uint64_t)fid << 32 | (uint64_t)(uint32_t)n) * k;
    size_t i = 0;
    for (; i + 8 <= n; i += 8) {
        uint64_t w;
        memcpy(&w, p + i, 8);
        h = (h ^ w) * k;
        h ^= h >> 29;
    }
    uint64_t w = 0;
    for (size_t j = 0; i < n; i++, j++)
        w |= (uint64_t)p[i] << (8 * j);
    h = (h ^ w) * k;
    return h ^ (h >> 32);
}

const struct sg_scache_ent *
sg_scache_get(const struct sg_scache *c, uint64_t h, uint32_t fid,
              const uint8_t *p, size_t n)
{
    const struct sg_scache_ent *e = &c->e[h & (SG_SC_SLOTS - 1)];
    if (e->h != h || e->fid != fid || e->len != n || n == 0)
        return NULL;
    const uint8_t *v = n <= SG_SC_IN_LEN ? e->in_val : e->val;
    return memcmp(v, p, n) == 0 ? e : NULL;
}

void
sg_scache_put(struct sg_scache *c, uint64_t h, uint32_t fid, const uint8_t *p,
              size_t n, const uint32_t *id, size_t n_id)
{
    struct sg_scache_ent *e = &c->e[h & (SG_SC_SLOTS - 1)];
    if (n > SG_SC_MAX_LEN || n_id > SG_SC_IDS || n == 0)
        return;
    size_t at = n <= SG_SC_IN_LEN ? 0 : (n + 3) & ~(size_t)3;
    size_t need = at + (n_id <= SG_SC_IN_IDS ? 0 : n_id * sizeof(*id));
    if (e->cap < need) { /* grow within the budget, or keep the old entry */
        size_t nc = need < 64 ? 64 : need;
        if (c->bytes - e->cap + nc > SG_SC_BUDGET)
            return;
        uint8_t *q = vg_realloc(e->val, nc);
        if (q == NULL)
            return; /* a cache: failing to keep a value is harmless */
        c->bytes = c->bytes - e->cap + nc;
        e->val = q;
        e->cap = (uint32_t)nc;
    }
    memcpy(n <= SG_SC_IN_LEN ? e->in_val : e->val, p, n);
    if (n_id > 0)
        memcpy(n_id <= SG_SC_IN_IDS ? e->in_id
                                    : (uint32_t *)(void *)(e->val + at),
               id, n_id * sizeof(*id));
    e->h = h;
    e->fid = fid;
    e->len = (uint32_t)n;
    e->n_id = (uint32_t)n_id;
}
