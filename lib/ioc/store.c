/* SPDX-License-Identifier: Apache-2.0 */
/*
 * store.c - the IOC store: string blob, indicator and source records,
 * de-duplication with merged provenance, sealing (compiled lookup tables)
 * and the lookup functions.
 * Reading and writing the saved file is storefile.c; regexes, globs and the
 * free-text matcher are match.c.
 */
#include <stdlib.h>
#include <string.h>

#include "core/alloc.h"
#include "core/str.h"
#include "ioc/ioc_int.h"
#include "vigil/finding.h"
#include "vigil/ioc.h"

#include "core/banned.h"

#define BLOB_MAX ((size_t)UINT32_MAX - 1)

void
vg_ioc_src_init(struct vg_ioc_src *s)
{
    memset(s, 0, sizeof(*s));
    s->first_seen = VG_TIME_NONE;
    s->last_seen = VG_TIME_NONE;
    s->score = -1;
}

int
vg_ioc_store_new(struct vg_ioc_store **out)
{
    struct vg_ioc_store *st;

    *out = NULL;
    st = vg_calloc(1, sizeof(*st));
    if (st == NULL) {
        return VG_ENOMEM;
    }
    st->blob = vg_malloc(4096);
    if (st->blob == NULL) {
        vg_free(st);
        return VG_ENOMEM;
    }
    st->blob[0] = '\0';
    st->blob_len = 1;
    st->blob_cap = 4096;
    *out = st;
    return VG_OK;
}

static void
free_sealed(struct vg_ioc_store *st)
{
    for (int i = 0; i < 3; i++) {
        vg_free(st->dig[i].slots);
        vg_free(st->dig[i].keys);
        vg_free(st->dig[i].ids);
    }
    vg_free(st->ip4.slots);
    vg_free(st->ip6.slots);
    vg_free(st->r4.lo);
    vg_free(st->r4.owner);
    vg_free(st->r4.cidr_id);
    vg_free(st->r4.cidr_parent);
    vg_free(st->r6.lo);
    vg_free(st->r6.owner);
    vg_free(st->r6.cidr_id);
    vg_free(st->r6.cidr_parent);
    memset(st->dig, 0, sizeof(st->dig));
    memset(&st->ip4, 0, sizeof(st->ip4));
    memset(&st->ip6, 0, sizeof(st->ip6));
    memset(&st->r4, 0, sizeof(st->r4));
    memset(&st->r6, 0, sizeof(st->r6));
    ioc_rx_free(st);
    ioc_ac_free(st->ac);
    st->ac = NULL;
    st->sealed = 0;
}

void
ioc_unseal(struct vg_ioc_store *st)
{
    if (st->sealed) {
        free_sealed(st);
    }
}

void
vg_ioc_store_free(struct vg_ioc_store *st)
{
    if (st == NULL) {
        return;
    }
    free_sealed(st);
    vg_free(st->blob);
    vg_free(st->strings.slots);
    vg_free(st->keys.slots);
    vg_free(st->iocs);
    vg_free(st->srcs);
    vg_free(st);
}

uint32_t
vg_ioc_count(const struct vg_ioc_store *st)
{
    return (uint32_t)st->n_iocs;
}

uint32_t
vg_ioc_count_type(const struct vg_ioc_store *st, enum vg_ioc_type t)
{
    return (unsigned)t < VG_IOC_TYPE_COUNT ? st->count_type[t] : 0;
}

size_t
vg_ioc_memory(const struct vg_ioc_store *st)
{
    size_t m = sizeof(*st) + st->blob_cap +
               (st->strings.mask + 1) * sizeof(struct ioc_slot) +
               (st->keys.mask + 1) * sizeof(struct ioc_slot) +
               st->cap_iocs * sizeof(struct ioc_rec) +
               st->cap_srcs * sizeof(struct ioc_src);
    if (!st->sealed) {
        return m;
    }
    for (int i = 0; i < 3; i++) {
        if (st->dig[i].slots != NULL) {
            m += (st->dig[i].mask + 1) * 8 +
                 st->dig[i].n * (st->dig[i].klen + 4);
        }
    }
    m += st->ip4.slots ? (st->ip4.mask + 1) * 8 : 0;
    m += st->ip6.slots ? (st->ip6.mask + 1) * 20 : 0;
    m += st->r4.n * 8 + st->r4.n_cidr * 8;
    m += st->r6.n * 20 + st->r6.n_cidr * 8;
    m += st->n_rx * sizeof(struct ioc_rx);
    return m + ioc_ac_memory(st->ac);
}

/* --- open-addressing table of ids ---------------------------------------- */

typedef int tab_eq_fn(const struct vg_ioc_store *st, uint32_t id1,
                      const void *key, size_t n, unsigned aux);

static int
tab_grow_to(struct ioc_tab *t, size_t cap)
{
    struct ioc_slot *s = vg_calloc(cap, sizeof(*s));
    if (s == NULL) {
        return VG_ENOMEM;
    }
    if (t->slots != NULL) {
        for (size_t i = 0; i <= t->mask; i++) {
            if (t->slots[i].id1 == 0) {
                continue;
            }
            size_t j = t->slots[i].h & (cap - 1);
            while (s[j].id1 != 0) {
                j = (j + 1) & (cap - 1);
            }
            s[j] = t->slots[i];
        }
    }
    vg_free(t->slots);
    t->slots = s;
    t->mask = cap - 1;
    return VG_OK;
}

static int
tab_grow(struct ioc_tab *t)
{
    return tab_grow_to(t, t->slots == NULL ? 1024 : (t->mask + 1) * 2);
}

int
ioc_key_reserve(struct vg_ioc_store *st, size_t n)
{
    size_t cap = 1024;
    while (cap * 7 < (n + 1) * 10) {
        cap *= 2;
    }
    if (st->keys.slots != NULL && st->keys.mask + 1 >= cap) {
        return VG_OK;
    }
    return tab_grow_to(&st->keys, cap);
}

/* The slot holding key, or the empty slot where it would go. */
static struct ioc_slot *
tab_find(const struct vg_ioc_store *st, const struct ioc_tab *t, uint32_t h,
         tab_eq_fn *eq, const void *key, size_t n, unsigned aux)
{
    if (t->slots == NULL) {
        return NULL;
    }
    for (size_t i = h & t->mask;; i = (i + 1) & t->mask) {
        struct ioc_slot *s = &t->slots[i];
        if (s->id1 == 0 || (s->h == h && eq(st, s->id1, key, n, aux))) {
            return s;
        }
    }
}

static int
str_eq(const struct vg_ioc_store *st, uint32_t off, const void *key, size_t n,
       unsigned aux)
{
    (void)aux;
    return memcmp(st->blob + off, key, n) == 0 && st->blob[off + n] == '\0';
}

static int
key_eq(const struct vg_ioc_store *st, uint32_t id1, const void *key, size_t n,
       unsigned type)
{
    const struct ioc_rec *r = &st->iocs[id1 - 1];
    return r->type == type && str_eq(st, r->value, key, n, 0);
}

static int64_t
blob_add(struct vg_ioc_store *st, const char *s, size_t n)
{
    size_t need;
    if (!vg_add_ok(st->blob_len, n + 1, &need) || need > BLOB_MAX) {
        return VG_ELIMIT;
    }
    if (need > st->blob_cap) {
        size_t cap = st->blob_cap * 2 > need ? st->blob_cap * 2 : need;
        cap = cap > BLOB_MAX ? BLOB_MAX : cap;
        char *b = vg_realloc(st->blob, cap);
        if (b == NULL) {
            return VG_ENOMEM;
        }
        st->blob = b;
        st->blob_cap = cap;
    }
    size_t off = st->blob_len;
    memcpy(st->blob + off, s, n);
    st->blob[off + n] = '\0';
    st->blob_len = need;
    return (int64_t)off;
}

int64_t
ioc_intern(struct vg_ioc_store *st, const char *s)
{
    if (s == NULL || s[0] == '\0') {
        return 0;
    }
    size_t n = strlen(s);
    if (n > VG_IOC_MAX_LINE) {
        n = VG_IOC_MAX_LINE; /* descriptions are cut, never refused */
    }
    uint32_t h = ioc_h32(ioc_hash(s, n, 1));
    struct ioc_slot *sl = tab_find(st, &st->strings, h, str_eq, s, n, 0);
    if (sl != NULL && sl->id1 != 0) {
        return sl->id1;
    }
    if (st->strings.slots == NULL ||
        (st->strings.count + 1) * 10 > (st->strings.mask + 1) * 7) {
        int rc = tab_grow(&st->strings);
        if (rc != VG_OK) {
            return rc;
        }
        sl = tab_find(st, &st->strings, h, str_eq, s, n, 0);
    }
    if (sl == NULL) {
        return VG_EINTERNAL;
    }
    int64_t off = blob_add(st, s, n);
    if (off < 0) {
        return off;
    }
    sl->id1 = (uint32_t)off;
    sl->h = h;
    st->strings.count++;
    return off;
}

int
ioc_key_find(const struct vg_ioc_store *st, enum vg_ioc_type t, const char *v,
             size_t n, uint32_t *id)
{
    uint32_t h = ioc_h32(ioc_hash(v, n, (uint64_t)t));
    const struct ioc_slot *sl =
        tab_find(st, &st->keys, h, key_eq, v, n, (unsigned)t);
    if (sl == NULL || sl->id1 == 0) {
        return 0;
    }
    *id = sl->id1 - 1;
    return 1;
}

int
ioc_key_insert(struct vg_ioc_store *st, uint32_t id)
{
    const struct ioc_rec *r = &st->iocs[id];
    const char *v = st->blob + r->value;
    size_t n = strlen(v);
    uint32_t h = ioc_h32(ioc_hash(v, n, r->type));
    if (st->keys.slots == NULL ||
        (st->keys.count + 1) * 10 > (st->keys.mask + 1) * 7) {
        int rc = tab_grow(&st->keys);
        if (rc != VG_OK) {
            return rc;
        }
    }
    struct ioc_slot *sl = tab_find(st, &st->keys, h, key_eq, v, n, r->type);
    if (sl == NULL) {
        return VG_EINTERNAL; /* cannot happen: the table was just grown */
    }
    if (sl->id1 != 0) {
        return VG_EFORMAT;
    }
    sl->id1 = id + 1;
    sl->h = h;
    st->keys.count++;
    return VG_OK;
}

static int
grow_array(void **p, size_t *cap, size_t need, size_t elem)
{
    if (need <= *cap) {
        return VG_OK;
    }
    size_t nc = *cap ? *cap * 2 : 256;
    while (nc < need) {
        nc *= 2;
    }
    void *q = vg_reallocarray(*p, nc, elem);
    if (q == NULL) {
        return VG_ENOMEM;
    }
    *p = q;
    *cap = nc;
    return VG_OK;
}

static int
add_src(struct vg_ioc_store *st, struct ioc_rec *r, const struct vg_ioc_src *s)
{
    int64_t o[5];
    const char *str[5] = {s->feed, s->file, s->object_id, s->description,
                          s->tags};
    if (st->n_srcs >= UINT32_MAX - 1) {
        return VG_ELIMIT;
    }
    int rc = grow_array((void **)&st->srcs, &st->cap_srcs, st->n_srcs + 1,
                        sizeof(*st->srcs));
    for (int i = 0; rc == VG_OK && i < 5; i++) {
        o[i] = ioc_intern(st, str[i]);
        rc = o[i] < 0 ? (int)o[i] : VG_OK;
    }
    if (rc != VG_OK) {
        return rc;
    }
    struct ioc_src *d = &st->srcs[st->n_srcs];
    d->feed = (uint32_t)o[0];
    d->file = (uint32_t)o[1];
    d->objid = (uint32_t)o[2];
    d->desc = (uint32_t)o[3];
    d->tags = (uint32_t)o[4];
    d->line = s->line > UINT32_MAX ? UINT32_MAX : (uint32_t)s->line;
    d->score = (int8_t)(s->score < 0 ? -1 : s->score > 100 ? 100 : s->score);
    d->tlp = (uint8_t)((unsigned)s->tlp < VG_TLP_COUNT ? s->tlp : 0);
    d->first_seen = s->first_seen;
    d->last_seen = s->last_seen;
    d->next = r->src_head;
    r->src_head = (uint32_t)st->n_srcs++;
    r->n_src++;
    if (d->score > r->score) {
        r->score = d->score;
    }
    if (d->tlp > r->tlp) {
        r->tlp = d->tlp;
    }
    if (d->first_seen != VG_TIME_NONE &&
        (r->first_seen == VG_TIME_NONE || d->first_seen < r->first_seen)) {
        r->first_seen = d->first_seen;
    }
    if (d->last_seen != VG_TIME_NONE && d->last_seen > r->last_seen) {
        r->last_seen = d->last_seen;
    }
    return VG_OK;
}

static int
new_rec(struct vg_ioc_store *st, enum vg_ioc_type t, const char *v, size_t n,
        unsigned flags, const char *aux, uint32_t h, uint32_t *id)
{
    if (st->n_iocs >= VG_IOC_MAX_IOCS) {
        return VG_ELIMIT;
    }
    int rc = grow_array((void **)&st->iocs, &st->cap_iocs, st->n_iocs + 1,
                        sizeof(*st->iocs));
    if (rc == VG_OK && (st->keys.slots == NULL ||
                        (st->keys.count + 1) * 10 > (st->keys.mask + 1) * 7)) {
        rc = tab_grow(&st->keys);
    }
    if (rc != VG_OK) {
        return rc;
    }
    int64_t voff = blob_add(st, v, n);
    int64_t aoff = voff < 0 ? 0 : ioc_intern(st, aux);
    if (voff < 0 || aoff < 0) {
        return voff < 0 ? (int)voff : (int)aoff;
    }
    struct ioc_rec *r = &st->iocs[st->n_iocs];
    memset(r, 0, sizeof(*r));
    r->value = (uint32_t)voff;
    r->aux = (uint32_t)aoff;
    r->src_head = IOC_NIL;
    r->first_seen = VG_TIME_NONE;
    r->last_seen = VG_TIME_NONE;
    r->type = (uint8_t)t;
    r->flags = (uint8_t)flags;
    r->score = -1;
    struct ioc_slot *sl = tab_find(st, &st->keys, h, key_eq, v, n, (unsigned)t);
    if (sl == NULL) {
        return VG_EINTERNAL; /* cannot happen: the table was grown above */
    }
    *id = (uint32_t)st->n_iocs++;
    sl->id1 = *id + 1;
    sl->h = h;
    st->keys.count++;
    st->count_type[t]++;
    return VG_OK;
}

int
ioc_add_norm(struct vg_ioc_store *st, enum vg_ioc_type t, const char *v,
             size_t n, unsigned flags, const char *aux,
             const struct vg_ioc_src *src, uint32_t *id_out)
{
    uint32_t id;
    int existed, rc;

    if (t <= VG_IOC_NONE || t >= VG_IOC_TYPE_COUNT || n == 0) {
        return VG_EINVAL;
    }
    ioc_unseal(st);
    existed = ioc_key_find(st, t, v, n, &id);
    if (!existed) {
        uint32_t h = ioc_h32(ioc_hash(v, n, (uint64_t)t));
        rc = new_rec(st, t, v, n, flags, aux, h, &id);
        if (rc != VG_OK) {
            return rc;
        }
    } else {
        st->iocs[id].flags |=
            (uint8_t)(flags & (VG_IOC_F_PRIVATE | VG_IOC_F_RESERVED));
    }
    if (src != NULL) {
        rc = add_src(st, &st->iocs[id], src);
        if (rc != VG_OK) {
            return rc;
        }
    }
    if (id_out != NULL) {
        *id_out = id;
    }
    return existed;
}

int
vg_ioc_add(struct vg_ioc_store *st, enum vg_ioc_type t, const char *value,
           size_t n, unsigned flags, const char *aux,
           const struct vg_ioc_src *src, uint32_t *id_out)
{
    char v[VG_IOC_MAX_VALUE + 1];
    int rc;

    if (id_out != NULL) {
        *id_out = 0;
    }
    if (st == NULL || value == NULL || t <= VG_IOC_NONE ||
        t >= VG_IOC_TYPE_COUNT) {
        return VG_EINVAL;
    }
    flags &= VG_IOC_F_GLOB | VG_IOC_F_REGEX | VG_IOC_F_NOCASE;
    if ((flags & VG_IOC_F_REGEX) &&
        (t == VG_IOC_FILEPATH || t == VG_IOC_FILENAME)) {
        /* Regexes keep their case: lower-casing would change \D to \d. */
        const char *s = value;
        size_t k = n;
        if (!ioc_trim(&s, &k)) {
            return VG_EFORMAT;
        }
        if (k > VG_IOC_MAX_VALUE) {
            return VG_ELIMIT;
        }
        for (size_t i = 0; i < k; i++) {
            if ((unsigned char)s[i] < ' ') {
                return VG_EFORMAT;
            }
        }
        memcpy(v, s, k);
        v[k] = '\0';
        return ioc_add_norm(st, t, v, k, flags, aux, src, id_out);
    }
    flags &= ~(unsigned)VG_IOC_F_REGEX;
    rc = vg_ioc_normalize(t, value, n, v, sizeof(v));
    if (rc < 0) {
        return rc;
    }
    flags |= (unsigned)rc;
    size_t vl = strlen(v);
    if ((t == VG_IOC_CIDR4 && vl > 3 && strcmp(v + vl - 3, "/32") == 0) ||
        (t == VG_IOC_CIDR6 && vl > 4 && strcmp(v + vl - 4, "/128") == 0)) {
        /* A one-address block is that address: exact tables find it. */
        v[vl - (t == VG_IOC_CIDR4 ? 3 : 4)] = '\0';
        t = t == VG_IOC_CIDR4 ? VG_IOC_IPV4 : VG_IOC_IPV6;
    }
    if ((t == VG_IOC_FILEPATH || t == VG_IOC_FILENAME) &&
        strpbrk(v, "*?") != NULL) {
        flags |= VG_IOC_F_GLOB;
    } else {
        flags &= ~(unsigned)VG_IOC_F_GLOB;
    }
    return ioc_add_norm(st, t, v, strlen(v), flags, aux, src, id_out);
}

/* --- accessors ------------------------------------------------------------ */

int
vg_ioc_get(const struct vg_ioc_store *st, uint32_t id, struct vg_ioc_info *out)
{
    if (st == NULL || id >= st->n_iocs) {
        return VG_EINVAL;
    }
    const struct ioc_rec *r = &st->iocs[id];
    out->type = (enum vg_ioc_type)r->type;
    out->value = st->blob + r->value;
    out->aux = r->aux != 0 ? st->blob + r->aux : NULL;
    out->flags = r->flags;
    out->score = r->score;
    out->tlp = (enum vg_tlp)r->tlp;
    out->first_seen = r->first_seen;
    out->last_seen = r->last_seen;
    out->n_sources = r->n_src;
    return VG_OK;
}

static const char *
bstr(const struct vg_ioc_store *st, uint32_t off)
{
    return off != 0 ? st->blob + off : NULL;
}

int
vg_ioc_get_src(const struct vg_ioc_store *st, uint32_t id, uint32_t k,
               struct vg_ioc_src *out)
{
    if (st == NULL || id >= st->n_iocs || k >= st->iocs[id].n_src) {
        return VG_EINVAL;
    }
    /* The chain runs newest first; source k counts from the oldest. */
    uint32_t skip = st->iocs[id].n_src - 1 - k;
    uint32_t i = st->iocs[id].src_head;
    while (skip-- > 0) {
        i = st->srcs[i].next;
    }
    const struct ioc_src *s = &st->srcs[i];
    vg_ioc_src_init(out);
    out->feed = bstr(st, s->feed);
    out->file = bstr(st, s->file);
    out->line = s->line;
    out->object_id = bstr(st, s->objid);
    out->description = bstr(st, s->desc);
    out->tags = bstr(st, s->tags);
    out->first_seen = s->first_seen;
    out->last_seen = s->last_seen;
    out->score = s->score;
    out->tlp = (enum vg_tlp)s->tlp;
    return VG_OK;
}
