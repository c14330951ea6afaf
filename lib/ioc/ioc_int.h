/* SPDX-License-Identifier: Apache-2.0 */
/*
 * ioc_int.h - internals of the IOC module shared by its .c files: the store
 * layout, value parsers and the importer plumbing. Not a public contract.
 *
 * Store layout: one string blob (offset 0 is ""), an array of indicator
 * records, an array of source records chained per indicator (newest first),
 * a key table (type + value -> id) for de-duplication and exact lookups,
 * and, after sealing, the fast tables: hash digests, exact IPs, CIDR
 * interval tables, domain set (the key table), regex/glob lists and an
 * Aho-Corasick automaton over literal names.
 */
#ifndef VG_IOC_INT_H
#define VG_IOC_INT_H

#include <stddef.h>
#include <stdint.h>

#include "vigil/buf.h"
#include "vigil/ioc.h"

#define IOC_NIL UINT32_MAX

struct ioc_rec {
    uint32_t value;    /* blob offset */
    uint32_t aux;      /* blob offset, 0 = none */
    uint32_t src_head; /* newest source, IOC_NIL none */
    uint32_t n_src;
    int64_t first_seen;
    int64_t last_seen;
    uint8_t type;
    uint8_t flags;
    uint8_t tlp;
    int8_t score;
};

struct ioc_src {
    uint32_t feed, file, objid, desc, tags; /* blob offsets, 0 = none */
    uint32_t line;                          /* 0 = none */
    uint32_t next;                          /* older source, IOC_NIL end */
    int8_t score;
    uint8_t tlp;
    int64_t first_seen;
    int64_t last_seen;
};

/* Open-addressing table of ids with their 32-bit hashes. */
struct ioc_slot {
    uint32_t id1; /* id + 1; 0 = empty */
    uint32_t h;
};
struct ioc_tab {
    struct ioc_slot *slots;
    size_t mask; /* cap - 1; cap is a power of two */
    size_t count;
};

/* Digest set (md5/sha1/sha256): slots hold a 32-bit fingerprint and a dense
 * index (8 bytes, so the table stays cache-friendly); the digests and ids
 * sit in dense arrays and are read only when a fingerprint matches. */
struct ioc_dset {
    uint64_t *slots; /* (fingerprint << 32) | (index + 1); 0 = empty */
    size_t mask;
    uint8_t *keys; /* n * klen */
    uint32_t *ids; /* n */
    size_t n;
    size_t klen;
};

struct ioc_ip4set {
    uint64_t *slots; /* (addr << 32) | (id + 1); 0 = empty */
    size_t mask;
};

struct ioc_ip6set {
    uint8_t *slots; /* cap * 20: address, then id + 1 */
    size_t mask;
};

__extension__ typedef unsigned __int128 ioc_u128;

/* Laminar CIDR set as disjoint intervals: lo[i] starts interval i, which
 * belongs to cidr owner[i] (IOC_NIL = gap); parent[] chains each cidr to
 * the one enclosing it. */
struct ioc_ranges4 {
    uint32_t *lo;
    uint32_t *owner;
    size_t n;
    uint32_t *cidr_id;     /* indicator id per cidr */
    uint32_t *cidr_parent; /* index into cidr_id, IOC_NIL for top */
    size_t n_cidr;
};
struct ioc_ranges6 {
    ioc_u128 *lo;
    uint32_t *owner;
    size_t n;
    uint32_t *cidr_id;
    uint32_t *cidr_parent;
    size_t n_cidr;
};

struct ioc_ac; /* match.c */

struct ioc_rx {
    uint32_t id;
    void *code; /* pcre2_code_8 *, NULL if it did not compile */
    void *fp;   /* exclusion regex (aux), or NULL */
};

struct vg_ioc_store {
    char *blob;
    size_t blob_len, blob_cap;
    struct ioc_tab strings; /* interned metadata strings */
    struct ioc_rec *iocs;
    size_t n_iocs, cap_iocs;
    struct ioc_src *srcs;
    size_t n_srcs, cap_srcs;
    struct ioc_tab keys; /* (type, value) -> id */
    uint32_t count_type[VG_IOC_TYPE_COUNT];
    int sealed;
    /* sealed only */
    struct ioc_dset dig[3]; /* md5, sha1, sha256 */
    struct ioc_ip4set ip4;
    struct ioc_ip6set ip6;
    struct ioc_ranges4 r4;
    struct ioc_ranges6 r6;
    struct ioc_rx *rx; /* regex and glob paths/names */
    size_t n_rx;
    void *rx_mctx; /* pcre2_match_context_8 * (limits) */
    struct ioc_ac *ac;
};

/* --- norm.c ------------------------------------------------------------ */
int ioc_parse_ip4(const char *s, size_t n, uint32_t *out);
int ioc_parse_ip6(const char *s, size_t n, uint8_t out[16]);
unsigned ioc_ip4_flags(uint32_t a, unsigned prefix);
unsigned ioc_ip6_flags(const uint8_t a[16], unsigned prefix);
int ioc_valid_domain(const char *s, size_t n);
int ioc_hexval(int c);
int ioc_is_hex(const char *s, size_t n);
/* n hex digits to n/2 bytes; VG_EFORMAT if one is not hex. */
int ioc_hex_to_bin(const char *s, size_t n, uint8_t *out);
/* Parse "host", "host:port", "[v6]:port" (host validated). */
int ioc_split_hostport(const char *s, size_t n, size_t *host_off,
                       size_t *host_len, unsigned *port);
/* Base name of a Windows or POSIX path. */
const char *ioc_basename(const char *s, size_t n, size_t *blen);
/* Known file extension (exe, dll, xml...) at the end of s. */
int ioc_has_file_ext(const char *s, size_t n);
uint64_t ioc_hash(const void *p, size_t n, uint64_t seed);
static inline uint32_t
ioc_h32(uint64_t h)
{
    return (uint32_t)(h ^ (h >> 32));
}
int ioc_trim(const char **s, size_t *n);

/* --- store.c ----------------------------------------------------------- */
/* Intern a metadata string (NULL or "" -> 0). Offset or negative VG_E*. */
int64_t ioc_intern(struct vg_ioc_store *st, const char *s);
int ioc_key_find(const struct vg_ioc_store *st, enum vg_ioc_type t,
                 const char *v, size_t n, uint32_t *id);
/* Add with an already normalised value (used by the loader). */
int ioc_add_norm(struct vg_ioc_store *st, enum vg_ioc_type t, const char *v,
                 size_t n, unsigned flags, const char *aux,
                 const struct vg_ioc_src *src, uint32_t *id_out);
void ioc_unseal(struct vg_ioc_store *st);
/* Enter iocs[id] into the key table (loader). VG_EFORMAT if a duplicate. */
int ioc_key_insert(struct vg_ioc_store *st, uint32_t id);
/* Size the key table for n indicators up front (loader). */
int ioc_key_reserve(struct vg_ioc_store *st, size_t n);

/* --- match.c ----------------------------------------------------------- */
int ioc_ac_build(const struct vg_ioc_store *st, struct ioc_ac **out);
void ioc_ac_free(struct ioc_ac *ac);
size_t ioc_ac_memory(const struct ioc_ac *ac);
int ioc_rx_build(struct vg_ioc_store *st);
void ioc_rx_free(struct vg_ioc_store *st);
int ioc_rx_match(const struct vg_ioc_store *st, const char *s, size_t n,
                 uint32_t *ids, size_t cap, int count);

/* --- extract.c (tokeniser shared by the text importer and matcher) ----- */
struct ioc_tok {
    enum vg_ioc_type type;
    size_t off, len; /* in the scanned text */
};
typedef int ioc_tok_fn(void *arg, const struct ioc_tok *t, const char *text);
/* Call fn for every syntactically valid network/hash/email/path token. */
int ioc_extract(const char *text, size_t n, ioc_tok_fn *fn, void *arg);

/* --- importers ----------------------------------------------------------- */
struct ioc_imp {
    struct vg_ioc_store *st;
    const char *path;
    const struct vg_ioc_import_opts *opts;
    struct vg_ioc_import_stats *stats;
    const char *feed;
};
/* Report an issue (counted). line VG_DIAG_NONE when not line-based. */
void ioc_issue(struct ioc_imp *im, enum vg_ioc_issue_kind k, uint64_t line,
               const char *fmt, ...) VG_PRINTF(4, 5);
/* Add through exclusion and stats; src metadata filled by the caller.
 * Returns VG_OK, or a negative error only when fatal (ENOMEM, ELIMIT for a
 * full store); an invalid value becomes an ERROR issue with line/objid. */
int ioc_imp_add(struct ioc_imp *im, enum vg_ioc_type t, const char *v, size_t n,
                unsigned flags, const char *aux, const struct vg_ioc_src *src);

int ioc_import_text(struct ioc_imp *im, const char *data, size_t n);
int ioc_import_loki(struct ioc_imp *im, enum vg_ioc_format f, const char *data,
                    size_t n);
int ioc_import_csv(struct ioc_imp *im, const char *data, size_t n);
int ioc_import_json(struct ioc_imp *im, enum vg_ioc_format f, const char *data,
                    size_t n, struct vg_diag *d);
/* STIX pattern -> indicators (stix.c). */
int ioc_stix_pattern(struct ioc_imp *im, const char *pat, size_t n,
                     const struct vg_ioc_src *src);
/* STIX object path ("file:hashes.'SHA-256'") -> type; VG_IOC_NONE. */
enum vg_ioc_type ioc_stix_path_type(const char *obj, size_t on,
                                    const char *prop, size_t pn,
                                    unsigned *flags);

#endif
