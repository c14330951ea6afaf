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
