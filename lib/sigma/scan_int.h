/* SPDX-License-Identifier: Apache-2.0 */
/*
 * scan_int.h - the scanner's state, shared by match.c (detection) and
 * corr.c (correlation windows). One scanner per thread; nothing in it is
 * shared.
 */
#ifndef VG_SIGMA_SCAN_INT_H
#define VG_SIGMA_SCAN_INT_H

#include "sigma/sigma_int.h"

struct sg_fcache {
    uint32_t      gen;      /* event generation the value belongs to */
    uint32_t      fold_gen; /* generation of the folded copy */
    int           present;
    struct vg_str val;
    size_t        fold_off; /* folded copy in scanner->fold */
    uint32_t      num_gen;  /* generation of num_ok/num */
    int           num_ok;   /* the value parses as a number */
    double        num;
};

struct sg_corr_state;

/* scache.c: per-scanner cache of the needles found in a field value, keyed
 * by (field, exact bytes); see scache.c for what it keeps. Not shared. */
#define SG_SC_SLOTS   (1u << 16)      /* power of two */
#ifndef SG_SC_MAX_LEN                 /* -DSG_SC_MAX_LEN=0u: no cache */
#define SG_SC_MAX_LEN 4096u           /* longer values are not kept */
#endif
#define SG_SC_IDS     64u             /* needles kept per value */
#define SG_SC_BUDGET  ((size_t)16 << 20) /* slot buffer bytes per scanner */
#define SG_SC_IN_LEN  24u             /* values this short sit in the slot */
#define SG_SC_IN_IDS  2u              /* and this many needles */
/* One slot, one cache line: a short value with few needles is compared
 * and answered without touching anything else. */
struct sg_scache_ent {
    uint64_t        h;
    uint32_t        fid, len;         /* len 0: slot never used */
    uint32_t        cap, n_id;
    uint8_t        *val;              /* the value if longer than
                                         SG_SC_IN_LEN, then (4-aligned)
                                         the needles if more than
                                         SG_SC_IN_IDS */
    uint8_t         in_val[SG_SC_IN_LEN];
    uint32_t        in_id[SG_SC_IN_IDS];
};
struct sg_scache {
    struct sg_scache_ent *e;          /* SG_SC_SLOTS, 64-byte aligned */
    void                 *raw;        /* what was allocated */
    size_t                bytes;      /* sum of the slots' buffers */
};
int sg_scache_init(struct sg_scache *c);
void sg_scache_fini(struct sg_scache *c);
uint64_t sg_scache_hash(uint32_t fid, const uint8_t *p, size_t n);
/* An entry's needles (n_id of them). */
static inline const uint32_t *
sg_scache_ids(const struct sg_scache_ent *e)
{
    if (e->n_id <= SG_SC_IN_IDS)
        return e->in_id;
    return (const uint32_t *)(const void *)(
        e->val + (e->len <= SG_SC_IN_LEN ? 0 : (e->len + 3u) & ~3u));
}
/* The entry holding exactly (fid, p[0..n)), or NULL. */
const struct sg_scache_ent *sg_scache_get(const struct sg_scache *c,
                                          uint64_t h, uint32_t fid,
                                          const uint8_t *p, size_t n);
/* Keep the needles id[0..n_id) found in (fid, p[0..n)); silently not kept
 * when too long, too many needles, over budget or out of memory. */
void sg_scache_put(struct sg_scache *c, uint64_t h, uint32_t fid,
                   const uint8_t *p, size_t n, const uint32_t *id,
                   size_t n_id);

struct sg_pend {                      /* a value waiting to be scanned */
    const uint8_t *p;
    size_t         n;
    uint64_t       h;                 /* its sg_scache_hash(), if kept */
    uint32_t       set;
};

struct vg_sigma_scanner {
    const struct vg_sigma   *s;
    const struct vg_event   *ev;      /* event being scanned */
    uint32_t                 gen;
    struct sg_fcache        *fc;      /* per global field id */
    struct vg_buf            fold;    /* folded field values, this event */
    struct vg_buf            kw;      /* keyword folding / report copies */
    struct sg_re_scratch    *re;
    uint32_t                 hit[SG_MAX_MATCHED];
    size_t                   n_hit;
    struct vg_sigma_stats    st;
    struct sg_corr_state    *corr;    /* per rule index, NULL if none */
    uint32_t                *nd_gen;  /* needle seen in event generation */
    uint32_t                *v_gen;   /* variant made possible (generation) */
    uint32_t                *scan_gen;/* field scanned for needles */
    const uint32_t          *val_nd;  /* current variant's exact needles */
    uint32_t                *mark;    /* variants marked possible, this
                                         event (each once) */
    size_t                   n_mark;
    uint32_t                *cand;    /* one slice's candidates */
    uint32_t                *i_gen;   /* any_nd item true (generation) */
    uint32_t                 item_base;/* current variant's */
    const uint8_t           *scan_p;  /* value being scanned (needle tails
                                         are checked in it) */
    size_t                   scan_n;
    struct sg_scache         cache;   /* needles per field value */
    uint32_t                 found[SG_SC_IDS]; /* this scan's needles */
    size_t                   n_found; /* may exceed SG_SC_IDS */
    uint32_t                *nd_seen; /* needle found in scan number */
    uint32_t                 scan_no; /* values scanned (wraps to 1) */
    struct sg_pend          *pend;    /* values gathered to scan (match.c) */
    size_t                   n_pend, cap_pend;
};

int sg_field(struct vg_sigma_scanner *sc, uint32_t fid, struct vg_str *val);
/* Keyword item: 1 if its values (any, or all with |all) occur in some
 * field value of the event. */
int sg_keywords(struct vg_sigma_scanner *sc, const struct sg_item *it);

int sg_corr_init(struct vg_sigma_scanner *sc);
void sg_corr_fini(struct vg_sigma_scanner *sc);
/* Rule ri matched the current event: feed the correlations using it. */
int sg_corr_feed(struct vg_sigma_scanner *sc, size_t ri, vg_sigma_match_fn *fn,
                 void *arg);

#endif
