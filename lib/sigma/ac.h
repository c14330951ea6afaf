/* SPDX-License-Identifier: Apache-2.0 */
/*
 * ac.h - a multi-pattern string matcher (Aho-Corasick automaton) for the
 * Sigma literal prefilter: every occurrence of every pattern in one pass
 * over a text, whatever the number of patterns.
 *
 * Patterns belong to numbered sets (the prefilter uses one set per field)
 * and a scan runs one set. Matching is ASCII case-insensitive: patterns and
 * text are folded to lower case as they are read. An empty pattern occurs
 * in every text: it is reported once per scan, with end 0.
 *
 * Ownership and threads: sg_ac_build() makes an immutable automaton that
 * any number of threads may scan at once (a scan keeps its state on the
 * stack); sg_ac_free() releases it. Deliberately not here: wildcards,
 * anchoring, overlap suppression (every occurrence is reported).
 */
#ifndef VG_SIGMA_AC_H
#define VG_SIGMA_AC_H

#include <stddef.h>
#include <stdint.h>

struct sg_ac_pat {
    uint32_t       set; /* < n_sets */
    uint32_t       id;  /* reported on a match */
    const uint8_t *p;
    size_t         len;
};

/* One state as a scan step reads it: 8 bytes, so that the states a scan
 * walks through share cache lines; outputs are kept apart. */
struct sg_ac_state {
    uint32_t e_first; /* its edges: e_first .. the next state's e_first
                         (SG_AC_EDGES bits); SG_AC_OUT: a pattern ends here */
    uint32_t fail;    /* longest proper suffix state */
};
#define SG_AC_OUT   0x80000000u
#define SG_AC_EDGES 0x7fffffffu

struct sg_ac {
    uint32_t  n_sets;
    uint32_t  n_states;
    uint32_t *root;    /* per set 256 entries: the state after each byte */
    struct sg_ac_state *st; /* n_states + 1 (the last: end of edges) */
    uint32_t *out;     /* per state: first pattern index ending here */
    uint32_t *dict;    /* per state: nearest suffix state with output */
    uint32_t *edge;    /* (target << 8) | byte, by byte within a state:
                          one word, so an edge costs one memory access */
    uint32_t *pid;     /* per pattern: id */
    uint32_t *pnext;   /* per pattern: next pattern ending at its state */
    uint32_t *empty;   /* per set: first empty pattern */
    uint8_t  *bigram;  /* per set with only patterns of 2+ bytes: a bitmap
                          of their first two (folded) bytes, 8 KiB */
    uint32_t *bg_of;   /* per set: its bitmap number, or UINT32_MAX */
    uint8_t   fold[256]; /* ASCII lower case, one load per byte */
};

/* Called per occurrence: pattern id and the offset just past its end.
 * Return nonzero to stop the scan. */
typedef int sg_ac_fn(void *arg, uint32_t id, size_t end);

#define SG_AC_MAX_STATES (1u << 24)

/* Build from n patterns (texts are copied into the automaton only as
 * transitions; the caller keeps its arrays). VG_OK, VG_ENOMEM, VG_EINVAL
 * for a set number >= n_sets, VG_ELIMIT past SG_AC_MAX_STATES states. */
int sg_ac_build(struct sg_ac *ac, uint32_t n_sets, const struct sg_ac_pat *pat,
                size_t n);
void sg_ac_free(struct sg_ac *ac);

/* Report every occurrence of set's patterns in text[0..len), in order of
 * their end offsets. Returns 0, or fn's nonzero value. */
int sg_ac_scan(const struct sg_ac *ac, uint32_t set, const uint8_t *text,
               size_t len, sg_ac_fn *fn, void *arg);

#endif
