/* SPDX-License-Identifier: Apache-2.0 */
/*
 * lookup.c - sealing (building the fast tables: digest sets, exact-IP sets,
 * CIDR interval tables) and every vg_ioc_lookup_* function.
 * CIDR blocks are laminar (two blocks are nested or disjoint), so they are
 * flattened into disjoint intervals, each owned by the innermost block, with
 * a parent chain to the enclosing ones: one binary search finds them all.
 * Not here: regex/glob paths and the free-text matcher (match.c).
 */
#include <arpa/inet.h>
#include <stdlib.h>
#include <string.h>

#include "core/alloc.h"
#include "core/rd.h"
#include "core/str.h"
#include "ioc/ioc_int.h"
#include "vigil/ioc.h"

#include "core/banned.h"

static uint32_t
be32(const uint8_t *p)
{
    return ((uint32_t)p[0] << 24) | ((uint32_t)p[1] << 16) |
           ((uint32_t)p[2] << 8) | p[3];
}

static size_t
pow2_for(size_t n)
{
    size_t cap = 16;
    while (cap * 7 < n * 10) {
        cap *= 2;
    }
    return cap;
}

/* --- digest sets ------------------------------------------------------------
 */

static int
dset_build(struct vg_ioc_store *st, struct ioc_dset *d, enum vg_ioc_type t,
           size_t klen)
{
    size_t n = st->count_type[t];
    size_t cap = pow2_for(n);
    d->klen = klen;
    d->slots = vg_calloc(cap, sizeof(uint64_t));
    d->keys = vg_calloc(n + 1, klen);
    d->ids = vg_calloc(n + 1, sizeof(uint32_t));
    if (d->slots == NULL || d->keys == NULL || d->ids == NULL) {
        return VG_ENOMEM;
    }
    d->mask = cap - 1;
    for (size_t id = 0; id < st->n_iocs && d->n < n; id++) {
        uint8_t *key = d->keys + d->n * klen;
        if (st->iocs[id].type != t ||
            ioc_hex_to_bin(st->blob + st->iocs[id].value, klen * 2, key) !=
                VG_OK) {
            continue;
        }
        uint64_t h = ioc_hash(key, klen, 7);
        size_t j = h & d->mask;
        while (d->slots[j] != 0) {
            j = (j + 1) & d->mask;
        }
        d->ids[d->n] = (uint32_t)id;
        d->slots[j] = (h >> 32 << 32) | (uint64_t)(d->n + 1);
        d->n++;
    }
    return VG_OK;
}

/* Indicator id + 1 for the digest, 0 when absent. */
static uint32_t
dset_get(const struct ioc_dset *d, const uint8_t *key)
{
    if (d->slots == NULL) {
        return 0;
    }
    uint64_t h = ioc_hash(key, d->klen, 7);
    for (size_t j = h & d->mask;; j = (j + 1) & d->mask) {
        uint64_t v = d->slots[j];
        if (v == 0) {
            return 0;
        }
        if ((v >> 32) == (h >> 32)) {
            size_t k = (size_t)(uint32_t)v - 1;
            if (memcmp(d->keys + k * d->klen, key, d->klen) == 0) {
                return d->ids[k] + 1;
            }
        }
    }
}

int
vg_ioc_lookup_digest(const struct vg_ioc_store *st, enum vg_ioc_type t,
                     const uint8_t *digest, uint32_t *id)
{
    if (st == NULL || !st->sealed || digest == NULL ||
        (t != VG_IOC_MD5 && t != VG_IOC_SHA1 && t != VG_IOC_SHA256)) {
        return VG_EINVAL;
    }
    uint32_t id1 = dset_get(&st->dig[t == VG_IOC_MD5    ? 0
                                     : t == VG_IOC_SHA1 ? 1
                                                        : 2],
                            digest);
    if (id1 != 0 && id != NULL) {
        *id = id1 - 1;
    }
    return id1 != 0;
}

/* --- exact IP sets ----------------------------------------------------------
 */

static inline size_t
ip4_slot(uint32_t a, size_t mask)
{
    return (size_t)(((uint64_t)a * 0x9e3779b97f4a7c15ull) >> 32) & mask;
}

static int
ip_build(struct vg_ioc_store *st)
{
    size_t c4 = pow2_for(st->count_type[VG_IOC_IPV4]);
    size_t c6 = pow2_for(st->count_type[VG_IOC_IPV6]);
    st->ip4.slots = vg_calloc(c4, sizeof(uint64_t));
    st->ip6.slots = vg_calloc(c6, 20);
    if (st->ip4.slots == NULL || st->ip6.slots == NULL) {
        return VG_ENOMEM;
    }
    st->ip4.mask = c4 - 1;
    st->ip6.mask = c6 - 1;
    for (size_t id = 0; id < st->n_iocs; id++) {
        const char *v = st->blob + st->iocs[id].value;
        uint32_t a;
        uint8_t a6[16];
        if (st->iocs[id].type == VG_IOC_IPV4 &&
            ioc_parse_ip4(v, strlen(v), &a) == VG_OK) {
            size_t j = ip4_slot(a, st->ip4.mask);
            while (st->ip4.slots[j] != 0) {
                j = (j + 1) & st->ip4.mask;
            }
            st->ip4.slots[j] = ((uint64_t)a << 32) | ((uint64_t)id + 1);
        } else if (st->iocs[id].type == VG_IOC_IPV6 &&
                   ioc_parse_ip6(v, strlen(v), a6) == VG_OK) {
            size_t j = ioc_hash(a6, 16, 6) & st->ip6.mask;
            while (vg_le32(st->ip6.slots + j * 20 + 16) != 0) {
                j = (j + 1) & st->ip6.mask;
            }
            uint8_t *s = st->ip6.slots + j * 20;
            memcpy(s, a6, 16);
            for (int b = 0; b < 4; b++) {
                s[16 + b] = (uint8_t)((id + 1) >> (8 * b));
            }
        }
    }
    return VG_OK;
}

/* --- CIDR interval tables ------------------------------------------------- */

struct cidr {
    ioc_u128 lo, hi;
    unsigned bits;
    uint32_t id;
};

static int
cidr_cmp(const void *a, const void *b)
{
    const struct cidr *x = a, *y = b;
    if (x->lo != y->lo) {
        return x->lo < y->lo ? -1 : 1;
    }
    return x->bits < y->bits ? -1 : x->bits > y->bits;
}

static ioc_u128
u128_of(const uint8_t a[16])
{
    ioc_u128 v = 0;
    for (int i = 0; i < 16; i++) {
        v = (v << 8) | a[i];
    }
    return v;
}

static int
parse_cidr(const char *v, int v6, struct cidr *c)
{
    const char *sl = strchr(v, '/');
    uint64_t bits;
    if (sl == NULL || vg_parse_u64(sl + 1, strlen(sl + 1), 0, v6 ? 128 : 32,
                                   &bits) != VG_OK) {
        return VG_EFORMAT;
    }
    unsigned width = v6 ? 128 : 32;
    ioc_u128 lo;
    if (v6) {
        uint8_t a[16];
        if (ioc_parse_ip6(v, (size_t)(sl - v), a) != VG_OK) {
            return VG_EFORMAT;
        }
        lo = u128_of(a);
    } else {
        uint32_t a;
        if (ioc_parse_ip4(v, (size_t)(sl - v), &a) != VG_OK) {
            return VG_EFORMAT;
        }
        lo = a;
    }
    ioc_u128 span = bits == 0 ? ~(ioc_u128)0 >> (128 - width)
                              : (((ioc_u128)1 << (width - bits)) - 1);
    c->lo = lo & ~span;
    c->hi = c->lo | span;
    c->bits = (unsigned)bits;
    return VG_OK;
}

struct rbuild {
    ioc_u128 *lo;
    uint32_t *owner;
    size_t n;
};

static void
emit(struct rbuild *b, ioc_u128 pos, uint32_t owner)
{
    if (b->n > 0 && b->lo[b->n - 1] == pos) {
        b->owner[b->n - 1] = owner;
        return;
    }
    b->lo[b->n] = pos;
    b->owner[b->n++] = owner;
}

/* Flatten sorted laminar blocks c[0..n) into intervals; parent[i] gets the
 * index of the block enclosing c[i]. Out arrays hold 2n + 1 entries. */
static void
flatten(const struct cidr *c, size_t n, ioc_u128 max, uint32_t *parent,
        uint32_t *stack, struct rbuild *b)
{
    size_t sp = 0;
    for (size_t i = 0; i < n; i++) {
        if (i > 0 && c[i].lo == c[i - 1].lo && c[i].bits == c[i - 1].bits) {
            parent[i] = (uint32_t)(i - 1); /* cannot happen after dedup */
            continue;
        }
        while (sp > 0 && c[stack[sp - 1]].hi < c[i].lo) {
            ioc_u128 end = c[stack[--sp]].hi;
            if (end != max) {
                emit(b, end + 1, sp > 0 ? stack[sp - 1] : IOC_NIL);
            }
        }
        parent[i] = sp > 0 ? stack[sp - 1] : IOC_NIL;
        emit(b, c[i].lo, (uint32_t)i);
        stack[sp++] = (uint32_t)i;
    }
    while (sp > 0) {
        ioc_u128 end = c[stack[--sp]].hi;
        if (end != max) {
            emit(b, end + 1, sp > 0 ? stack[sp - 1] : IOC_NIL);
        }
    }
}

static int
ranges_build(struct vg_ioc_store *st, int v6)
{
    enum vg_ioc_type t = v6 ? VG_IOC_CIDR6 : VG_IOC_CIDR4;
    size_t n = 0, cap = st->count_type[t];
    struct cidr *c = vg_calloc(cap + 1, sizeof(*c));
    uint32_t *stack = vg_calloc(cap + 1, sizeof(uint32_t));
    uint32_t *parent = vg_calloc(cap + 1, sizeof(uint32_t));
    uint32_t *ids = vg_calloc(cap + 1, sizeof(uint32_t));
    struct rbuild b = {vg_calloc(2 * cap + 1, sizeof(ioc_u128)),
                       vg_calloc(2 * cap + 1, sizeof(uint32_t)), 0};
    int rc = VG_ENOMEM;

    if (c == NULL || stack == NULL || parent == NULL || ids == NULL ||
        b.lo == NULL || b.owner == NULL) {
        goto out;
    }
    for (size_t id = 0; id < st->n_iocs && n < cap; id++) {
        if (st->iocs[id].type == t &&
            parse_cidr(st->blob + st->iocs[id].value, v6, &c[n]) == VG_OK) {
            c[n++].id = (uint32_t)id;
        }
    }
    qsort(c, n, sizeof(*c), cidr_cmp);
    flatten(c, n, v6 ? ~(ioc_u128)0 : 0xffffffffu, parent, stack, &b);
    for (size_t i = 0; i < n; i++) {
        ids[i] = c[i].id;
    }
    if (v6) {
        st->r6.lo = b.lo;
        st->r6.owner = b.owner;
        st->r6.n = b.n;
        st->r6.cidr_id = ids;
        st->r6.cidr_parent = parent;
        st->r6.n_cidr = n;
    } else {
        uint32_t *lo4 = vg_calloc(b.n + 1, sizeof(uint32_t));
        if (lo4 == NULL) {
            goto out;
        }
        for (size_t i = 0; i < b.n; i++) {
            lo4[i] = (uint32_t)b.lo[i];
        }
        vg_free(b.lo);
        st->r4.lo = lo4;
        st->r4.owner = b.owner;
        st->r4.n = b.n;
        st->r4.cidr_id = ids;
        st->r4.cidr_parent = parent;
        st->r4.n_cidr = n;
    }
    b.lo = NULL;
    b.owner = NULL;
    ids = NULL;
    parent = NULL;
    rc = VG_OK;
out:
    vg_free(c);
    vg_free(stack);
    vg_free(parent);
    vg_free(ids);
    vg_free(b.lo);
    vg_free(b.owner);
    return rc;
}

/* Give back the growth slack of the build phase (a sealed store is read
 * far longer than it was written); failures just keep the slack. */
static void
shrink(struct vg_ioc_store *st)
{
    if (st->blob_cap > st->blob_len) {
        char *b = vg_realloc(st->blob, st->blob_len);
        if (b != NULL) {
            st->blob = b;
            st->blob_cap = st->blob_len;
        }
    }
    if (st->cap_iocs > st->n_iocs + 1) {
        struct ioc_rec *r =
            vg_reallocarray(st->iocs, st->n_iocs + 1, sizeof(*r));
        if (r != NULL) {
            st->iocs = r;
            st->cap_iocs = st->n_iocs + 1;
        }
    }
    if (st->cap_srcs > st->n_srcs + 1) {
        struct ioc_src *r =
            vg_reallocarray(st->srcs, st->n_srcs + 1, sizeof(*r));
        if (r != NULL) {
            st->srcs = r;
            st->cap_srcs = st->n_srcs + 1;
        }
    }
}

int
vg_ioc_store_seal(struct vg_ioc_store *st)
{
    int rc;
    if (st == NULL) {
        return VG_EINVAL;
    }
    if (st->sealed) {
        return VG_OK;
    }
    shrink(st);
    rc = dset_build(st, &st->dig[0], VG_IOC_MD5, 16);
    if (rc == VG_OK) {
        rc = dset_build(st, &st->dig[1], VG_IOC_SHA1, 20);
    }
    if (rc == VG_OK) {
        rc = dset_build(st, &st->dig[2], VG_IOC_SHA256, 32);
    }
    if (rc == VG_OK) {
        rc = ip_build(st);
    }
    if (rc == VG_OK) {
        rc = ranges_build(st, 0);
    }
    if (rc == VG_OK) {
        rc = ranges_build(st, 1);
    }
    int bad = 0;
    if (rc == VG_OK) {
        bad = ioc_rx_build(st);
        rc = bad < 0 ? bad : VG_OK;
    }
    if (rc == VG_OK) {
        rc = ioc_ac_build(st, &st->ac);
    }
    st->sealed = 1;
    if (rc != VG_OK) {
        ioc_unseal(st);
        return rc;
    }
    return bad;
}

/* --- lookups ------------------------------------------------------------- */

static void
hit(uint32_t *ids, size_t cap, int *cnt, uint32_t id)
{
    size_t have = (size_t)*cnt < cap ? (size_t)*cnt : cap;
    for (size_t i = 0; i < have; i++) {
        if (ids[i] == id) {
            return;
        }
    }
    if ((size_t)*cnt < cap) {
        ids[*cnt] = id;
    }
    (*cnt)++;
}

/* out = the last i in sorted arr[0..n) with arr[i] <= v (arr[0] <= v and
 * n > 0 are checked by the caller). A macro: IPv4 bounds are uint32_t,
 * IPv6 ones 128-bit. */
#define LAST_LE(arr, n, v, out)                                              \
    do {                                                                     \
        size_t lo_ = 0, hi_ = (n);                                           \
        while (hi_ - lo_ > 1) {                                              \
            size_t mid_ = lo_ + (hi_ - lo_) / 2;                             \
            if ((arr)[mid_] <= (v)) {                                        \
                lo_ = mid_;                                                  \
            } else {                                                         \
                hi_ = mid_;                                                  \
            }                                                                \
        }                                                                    \
        (out) = lo_;                                                         \
    } while (0)

/* Every CIDR containing the address: the innermost one owning its range,
 * then its enclosing ones. */
static void
cidr_hits(uint32_t c, const uint32_t *parent, const uint32_t *cidr_id,
          uint32_t *ids, size_t cap, int *cnt)
{
    for (; c != IOC_NIL; c = parent[c]) {
        hit(ids, cap, cnt, cidr_id[c]);
    }
}

int
vg_ioc_lookup_hash(const struct vg_ioc_store *st, const char *s, size_t n,
                   uint32_t *ids, size_t cap)
{
    uint8_t key[32];
    if (st == NULL || !st->sealed) {
        return VG_EINVAL;
    }
    if (!ioc_trim(&s, &n) || (n != 32 && n != 40 && n != 64) ||
        ioc_hex_to_bin(s, n, key) != VG_OK) {
        return 0;
    }
    uint32_t id1 = dset_get(&st->dig[n == 32 ? 0 : n == 40 ? 1 : 2], key);
    if (id1 == 0) {
        return 0;
    }
    if (cap > 0) {
        ids[0] = id1 - 1;
    }
    return 1;
}

int
vg_ioc_lookup_ip4(const struct vg_ioc_store *st, uint32_t a, uint32_t *ids,
                  size_t cap)
{
    int cnt = 0;
    if (st == NULL || !st->sealed) {
        return VG_EINVAL;
    }
    size_t j = ip4_slot(a, st->ip4.mask);
    for (;; j = (j + 1) & st->ip4.mask) {
        uint64_t v = st->ip4.slots[j];
        if (v == 0) {
            break;
        }
        if ((uint32_t)(v >> 32) == a) {
            hit(ids, cap, &cnt, (uint32_t)v - 1);
            break;
        }
    }
    const struct ioc_ranges4 *r = &st->r4;
    if (r->n == 0 || a < r->lo[0]) {
        return cnt;
    }
    size_t lo;
    LAST_LE(r->lo, r->n, a, lo);
    cidr_hits(r->owner[lo], r->cidr_parent, r->cidr_id, ids, cap, &cnt);
    return cnt;
}

int
vg_ioc_lookup_ip6(const struct vg_ioc_store *st, const uint8_t a[16],
                  uint32_t *ids, size_t cap)
{
    int cnt = 0;
    if (st == NULL || !st->sealed) {
        return VG_EINVAL;
    }
    size_t j = ioc_hash(a, 16, 6) & st->ip6.mask;
    for (;; j = (j + 1) & st->ip6.mask) {
        const uint8_t *s = st->ip6.slots + j * 20;
        uint32_t id1 = vg_le32(s + 16);
        if (id1 == 0) {
            break;
        }
        if (memcmp(s, a, 16) == 0) {
            hit(ids, cap, &cnt, id1 - 1);
            break;
        }
    }
    const struct ioc_ranges6 *r = &st->r6;
    ioc_u128 v = u128_of(a);
    if (r->n == 0 || v < r->lo[0]) {
        return cnt;
    }
    size_t lo;
    LAST_LE(r->lo, r->n, v, lo);
    cidr_hits(r->owner[lo], r->cidr_parent, r->cidr_id, ids, cap, &cnt);
    return cnt;
}

int
vg_ioc_lookup_ip(const struct vg_ioc_store *st, const char *s, size_t n,
                 uint32_t *ids, size_t cap)
{
    uint32_t a;
    uint8_t a6[16];
    if (st == NULL || !st->sealed) {
        return VG_EINVAL;
    }
    if (!ioc_trim(&s, &n)) {
        return 0;
    }
    if (ioc_parse_ip4(s, n, &a) == VG_OK) {
        return vg_ioc_lookup_ip4(st, a, ids, cap);
    }
    if (ioc_parse_ip6(s, n, a6) != VG_OK) {
        return 0;
    }
    int cnt = vg_ioc_lookup_ip6(st, a6, ids, cap);
    static const uint8_t mapped[12] = {[10] = 0xff, [11] = 0xff};
    if (cnt >= 0 && memcmp(a6, mapped, 12) == 0) {
        /* ::ffff:a.b.c.d is the IPv4 address a.b.c.d on the wire. */
        uint32_t ids4[16];
        int c4 = vg_ioc_lookup_ip4(st, be32(a6 + 12), ids4, 16);
        for (int i = 0; i < c4 && i < 16; i++) {
            hit(ids, cap, &cnt, ids4[i]);
        }
    }
    return cnt;
}

int
vg_ioc_lookup_domain(const struct vg_ioc_store *st, const char *s, size_t n,
                     uint32_t *ids, size_t cap)
{
    char d[256];
    int cnt = 0;
    uint32_t id;
    if (st == NULL || !st->sealed) {
        return VG_EINVAL;
    }
    if (!ioc_trim(&s, &n)) {
        return 0;
    }
    if (s[n - 1] == '.') {
        n--;
    }
    if (n == 0 || n > 253) {
        return 0;
    }
    for (size_t i = 0; i < n; i++) {
        d[i] = vg_ascii_lower(s[i]);
    }
    for (size_t i = 0; i < n; i++) {
        if (i == 0 || d[i - 1] == '.') {
            if (ioc_key_find(st, VG_IOC_DOMAIN, d + i, n - i, &id)) {
                hit(ids, cap, &cnt, id);
            }
        }
    }
    return cnt;
}

static void
merge(uint32_t *ids, size_t cap, int *cnt, const uint32_t *more, int n)
{
    for (int i = 0; i < n && i < 64; i++) {
        hit(ids, cap, cnt, more[i]);
    }
}

static int
lookup_host(const struct vg_ioc_store *st, const char *h, size_t hl,
            uint32_t *ids, size_t cap, int *cnt)
{
    uint32_t more[64];
    uint32_t a;
    uint8_t a6[16];
    int k;
    if (hl >= 2 && h[0] == '[') {
        h++;
        hl -= 2;
    }
    if (ioc_parse_ip4(h, hl, &a) == VG_OK ||
        ioc_parse_ip6(h, hl, a6) == VG_OK) {
        k = vg_ioc_lookup_ip(st, h, hl, more, 64);
    } else {
        k = vg_ioc_lookup_domain(st, h, hl, more, 64);
    }
    merge(ids, cap, cnt, more, k);
    return *cnt;
}

int
vg_ioc_lookup_url(const struct vg_ioc_store *st, const char *s, size_t n,
                  uint32_t *ids, size_t cap)
{
    char v[VG_IOC_MAX_VALUE + 1];
    int cnt = 0;
    uint32_t id;
    if (st == NULL || !st->sealed) {
        return VG_EINVAL;
    }
    if (vg_ioc_normalize(VG_IOC_URL, s, n, v, sizeof(v)) < 0) {
        return 0;
    }
    size_t vl = strlen(v);
    if (ioc_key_find(st, VG_IOC_URL, v, vl, &id)) {
        hit(ids, cap, &cnt, id);
    }
    const char *h = strstr(v, "://") + 3;
    size_t hl = strcspn(h, "/?#");
    const char *at = memchr(h, '@', hl);
    if (at != NULL) {
        hl -= (size_t)(at + 1 - h);
        h = at + 1;
    }
    size_t ho, hn;
    unsigned port;
    if (ioc_split_hostport(h, hl, &ho, &hn, &port) == VG_OK) {
        lookup_host(st, h + ho, hn, ids, cap, &cnt);
    }
    return cnt;
}

int
vg_ioc_lookup_path(const struct vg_ioc_store *st, const char *s, size_t n,
                   uint32_t *ids, size_t cap)
{
    char v[VG_IOC_MAX_VALUE + 1];
    int cnt = 0;
    uint32_t id;
    if (st == NULL || !st->sealed) {
        return VG_EINVAL;
    }
    if (!ioc_trim(&s, &n) || n > VG_IOC_MAX_VALUE) {
        return 0;
    }
    for (size_t i = 0; i < n; i++) {
        v[i] = vg_ascii_lower(s[i]);
    }
    v[n] = '\0';
    size_t bl;
    const char *base = ioc_basename(v, n, &bl);
    if (bl > 0 && ioc_key_find(st, VG_IOC_FILENAME, base, bl, &id)) {
        hit(ids, cap, &cnt, id);
    }
    if (bl != n && ioc_key_find(st, VG_IOC_FILEPATH, v, n, &id)) {
        hit(ids, cap, &cnt, id);
    }
    uint32_t more[64];
    int k = ioc_rx_match(st, s, n, more, 64, 0);
    merge(ids, cap, &cnt, more, k);
    return cnt;
}

int
vg_ioc_lookup_value(const struct vg_ioc_store *st, enum vg_ioc_type t,
                    const char *s, size_t n, uint32_t *ids, size_t cap)
{
    char v[VG_IOC_MAX_VALUE + 1];
    int cnt = 0;
    uint32_t id;
    if (st == NULL || !st->sealed) {
        return VG_EINVAL;
    }
    switch (t) {
    case VG_IOC_IPV4:
    case VG_IOC_IPV6:
        return vg_ioc_lookup_ip(st, s, n, ids, cap);
    case VG_IOC_DOMAIN:
        return vg_ioc_lookup_domain(st, s, n, ids, cap);
    case VG_IOC_URL:
        return vg_ioc_lookup_url(st, s, n, ids, cap);
    case VG_IOC_MD5:
    case VG_IOC_SHA1:
    case VG_IOC_SHA256:
        return vg_ioc_lookup_hash(st, s, n, ids, cap);
    case VG_IOC_FILENAME:
    case VG_IOC_FILEPATH:
        return vg_ioc_lookup_path(st, s, n, ids, cap);
    default:
        break;
    }
    if (vg_ioc_normalize(t, s, n, v, sizeof(v)) < 0) {
        return 0;
    }
    size_t vl = strlen(v);
    if (ioc_key_find(st, t, v, vl, &id)) {
        hit(ids, cap, &cnt, id);
    }
    if (t == VG_IOC_RELAY) {
        size_t ho, hl;
        unsigned port;
        if (ioc_split_hostport(v, vl, &ho, &hl, &port) == VG_OK) {
            if (port != 0 && ioc_key_find(st, VG_IOC_RELAY, v + ho, hl, &id)) {
                hit(ids, cap, &cnt, id);
            }
            lookup_host(st, v + ho, hl, ids, cap, &cnt);
        }
    }
    return cnt;
}

int
vg_ioc_lookup_any(const struct vg_ioc_store *st, const char *s, size_t n,
                  uint32_t *ids, size_t cap)
{
    enum vg_ioc_type t = vg_ioc_classify(s, n);
    if (st == NULL || !st->sealed) {
        return VG_EINVAL;
    }
    if (t == VG_IOC_NONE) {
        /* Names without a telling shape: try the literal types. */
        static const enum vg_ioc_type lit[] = {
            VG_IOC_ACCOUNT,
            VG_IOC_MUTEX,
            VG_IOC_PIPE,
            VG_IOC_FILENAME,
        };
        int cnt = 0;
        uint32_t more[64];
        for (size_t i = 0; i < VG_ARRAY_LEN(lit); i++) {
            int k = vg_ioc_lookup_value(st, lit[i], s, n, more, 64);
            merge(ids, cap, &cnt, more, k);
        }
        return cnt;
    }
    if (t == VG_IOC_DOMAIN) {
        int cnt = 0;
        uint32_t more[64];
        int k = vg_ioc_lookup_domain(st, s, n, more, 64);
        merge(ids, cap, &cnt, more, k);
        k = vg_ioc_lookup_value(st, VG_IOC_RELAY, s, n, more, 64);
        merge(ids, cap, &cnt, more, k);
        return cnt;
    }
    return vg_ioc_lookup_value(st, t, s, n, ids, cap);
}
