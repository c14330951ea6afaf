/* SPDX-License-Identifier: Apache-2.0 */
/*
 * map.c - open-addressing hash map (linear probing, FNV-1a, load <= 3/4)
 * with backward-shift deletion, so there are no tombstones and lookups stay
 * short after many deletes. No iteration order guarantee; no shrinking.
 */
#include <stdint.h>
#include <string.h>

#include "core/alloc.h"
#include "core/limits.h"
#include "core/map.h"
#include "vigil/err.h"

#include "core/banned.h"

#define MAP_MIN_CAP 16u

struct vg_map_slot {
    void    *key; /* NULL: empty slot (empty keys get a 1-byte allocation) */
    size_t   klen;
    uint64_t hash;
    void    *value;
};

uint64_t
vg_hash_bytes(const void *p, size_t n)
{
    const unsigned char *s = p;
    uint64_t h = UINT64_C(14695981039346656037);

    for (size_t i = 0; i < n; i++) {
        h ^= s[i];
        h *= UINT64_C(1099511628211);
    }
    return h;
}

void
vg_map_init(struct vg_map *m, size_t max_entries)
{
    m->slots = NULL;
    m->cap = 0;
    m->count = 0;
    m->max = max_entries != 0 ? max_entries : VG_MAX_MAP_ENTRIES;
}

void
vg_map_fini(struct vg_map *m)
{
    for (size_t i = 0; i < m->cap; i++) {
        vg_free(m->slots[i].key);
    }
    vg_free(m->slots);
    vg_map_init(m, m->max);
}

/* Index of key's slot, or of the empty slot where it would go. */
static size_t
find(const struct vg_map *m, const void *key, size_t klen, uint64_t h)
{
    size_t mask = m->cap - 1, i = (size_t)h & mask;

    for (;;) {
        const struct vg_map_slot *s = &m->slots[i];
        if (s->key == NULL ||
            (s->hash == h && s->klen == klen &&
             (klen == 0 || memcmp(s->key, key, klen) == 0))) {
            return i;
        }
        i = (i + 1) & mask;
    }
}

static int
grow(struct vg_map *m)
{
    size_t ncap = m->cap != 0 ? m->cap * 2 : MAP_MIN_CAP;
    struct vg_map_slot *old = m->slots;
    size_t ocap = m->cap;

    if (ncap < m->cap) {
        return VG_ENOMEM;
    }
    m->slots = vg_calloc(ncap, sizeof(*m->slots));
    if (m->slots == NULL) {
        m->slots = old;
        return VG_ENOMEM;
    }
    m->cap = ncap;
    for (size_t i = 0; i < ocap; i++) {
        if (old[i].key != NULL) {
            m->slots[find(m, old[i].key, old[i].klen, old[i].hash)] = old[i];
        }
    }
    vg_free(old);
    return VG_OK;
}

int
vg_map_put(struct vg_map *m, const void *key, size_t klen, void *value)
{
    uint64_t h = vg_hash_bytes(key, klen);
    struct vg_map_slot *s;
    void *k;

    if (m->cap != 0) {
        s = &m->slots[find(m, key, klen, h)];
        if (s->key != NULL) {
            s->value = value;
            return VG_OK;
        }
    }
    if (m->count >= m->max) {
        return VG_ELIMIT;
    }
    if ((m->count + 1) * 4 > m->cap * 3 && grow(m) != VG_OK) {
        return VG_ENOMEM;
    }
    k = vg_malloc(klen != 0 ? klen : 1);
    if (k == NULL) {
        return VG_ENOMEM;
    }
    if (klen != 0) {
        memcpy(k, key, klen);
    }
    s = &m->slots[find(m, key, klen, h)];
    s->key = k;
    s->klen = klen;
    s->hash = h;
    s->value = value;
    m->count++;
    return VG_OK;
}

void *
vg_map_get(const struct vg_map *m, const void *key, size_t klen)
{
    const struct vg_map_slot *s;

    if (m->cap == 0) {
        return NULL;
    }
    s = &m->slots[find(m, key, klen, vg_hash_bytes(key, klen))];
    return s->key != NULL ? s->value : NULL;
}

int
vg_map_del(struct vg_map *m, const void *key, size_t klen)
{
    size_t mask = m->cap - 1, i, j;

    if (m->cap == 0) {
        return 0;
    }
    i = find(m, key, klen, vg_hash_bytes(key, klen));
    if (m->slots[i].key == NULL) {
        return 0;
    }
    vg_free(m->slots[i].key);
    m->slots[i].key = NULL;
    m->count--;
    /* Backward shift: pull later entries of the run into the hole when the
     * hole lies between their home slot and where they sit. */
    for (j = (i + 1) & mask; m->slots[j].key != NULL; j = (j + 1) & mask) {
        size_t home = (size_t)m->slots[j].hash & mask;
        if (((j - home) & mask) >= ((j - i) & mask)) {
            m->slots[i] = m->slots[j];
            m->slots[j].key = NULL;
            i = j;
        }
    }
    return 1;
}

int
vg_map_next(const struct vg_map *m, size_t *iter, const void **key,
            size_t *klen, void **value)
{
    for (; *iter < m->cap; (*iter)++) {
        const struct vg_map_slot *s = &m->slots[*iter];
        if (s->key != NULL) {
            *key = s->key;
            *klen = s->klen;
            *value = s->value;
            (*iter)++;
            return 1;
        }
    }
    return 0;
}
