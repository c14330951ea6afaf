/* SPDX-License-Identifier: Apache-2.0 */
/*
 * sweep_int.h - internals shared by the sweep files: the compiled matcher
 * and the chunk readers (plain and gzip). Not a public contract.
 */
#ifndef VG_SWEEP_INT_H
#define VG_SWEEP_INT_H

#include <stddef.h>
#include <stdint.h>

#include "vigil/sweep.h"

#define SWEEP_TLD_BITS  4096u
#define SWEEP_TLD_SHIFT 52u /* 64 - log2(SWEEP_TLD_BITS) */

struct vg_sweep {
    const struct vg_ioc_store *st;
    uint64_t *ip4_bits;  /* hash of exact IPv4 indicators */
    uint32_t  ip4_shift; /* 64 - log2(bits) */
    uint64_t *ip4t_bits; /* hash of their dotted-decimal text (ip4_text_hash) */
    uint32_t  ip4t_shift;
    uint64_t *cidr16;    /* 2^16 bits: /16 blocks touched by a CIDR4 */
    uint64_t *dom_bits;  /* hash of domain indicators (label suffixes) */
    uint64_t  tld_bits[SWEEP_TLD_BITS / 64]; /* hash of their last labels */
    uint32_t  dom_shift;
    int       has_ip4, has_cidr4, has_ip6, has_dom, has_url, has_hash;
};

/* Domain prefilter hash: fed right to left with c | 0x20, mixed at the end
 * (the same function for the indicator values and the log tokens). */
static inline uint64_t
sweep_dstep(uint64_t h, unsigned char c)
{
    return ((h << 5) | (h >> 59)) ^ (uint64_t)(c | 0x20u);
}
static inline uint64_t
sweep_dmix(uint64_t h)
{
    return (h ^ (h >> 29)) * 0x9e3779b97f4a7c15ull;
}
static inline uint64_t
sweep_ip4mix(uint32_t a)
{
    return ((uint64_t)a ^ 0x5bd1e995u) * 0x9e3779b97f4a7c15ull;
}
/* IPv4 prefilter on the token's text, before any parsing: the two 8-byte
 * halves of the (zero-padded, at most 15-byte) dotted quad, mixed. Only
 * canonical text (no leading zeros) hashes like the indicator's. */
static inline uint64_t
sweep_ip4text(uint64_t lo, uint64_t hi)
{
    uint64_t h = lo * 0x9e3779b97f4a7c15ull ^ hi * 0xc2b2ae3d27d4eb4full;
    return (h ^ (h >> 31)) * 0x165667b19e3779f9ull;
}
static inline int
sweep_bit(const uint64_t *bits, uint64_t idx)
{
    return (int)((bits[idx >> 6] >> (idx & 63)) & 1u);
}

/* A source of bytes: read up to cap into p; returns bytes (0 = end) or a
 * negative VG_E* with d set. */
struct sweep_src {
    int (*read)(struct sweep_src *s, char *p, size_t cap, struct vg_diag *d);
    void (*close)(struct sweep_src *s);
    const char *path;
    int         fd;          /* plain file, or -1 */
    uint64_t    pos, end;    /* a byte range of fd (pread), else unused */
    const char *mem;         /* memory input */
    size_t      mem_n, mem_pos;
    void       *z;           /* gzip state (gz.c) */
};
/* Wrap s (already reading the compressed bytes) into a gzip inflater;
 * the first bytes already consumed are in head[0..nhead). */
int sweep_gz_open(struct sweep_src *raw, const char *head, size_t nhead,
                  struct sweep_src *out);

/* Sweep an open regular file (source.c; fd is closed here). */
int sweep_fd(const struct vg_sweep *sw, int fd, const char *path,
             const struct vg_sweep_opts *o, struct vg_sweep_stats *stats);

#endif
