/* SPDX-License-Identifier: Apache-2.0 */
/*
 * sigma_int.h - internals shared by the files of lib/sigma: the YAML tree
 * (load.c, the only user of libyaml), compiled values (value.c), the
 * condition parser (cond.c), regexes (regex.c, the only user of PCRE2), the
 * logsource mapping (mapping.c), the rule set (set.c), the plan (plan.c),
 * the literal prefilter (prefilter.c, over the automaton of ac.h), the
 * layout of what matching reads (hot.c), matching (match.c) and
 * correlations (corr.c).
 *
 * Everything a rule set owns lives in its arenas (a, and hot for the
 * copies hot.c makes) and dies with it; only compiled regexes are freed
 * one by one (PCRE2 owns their memory).
 */
#ifndef VG_SIGMA_INT_H
#define VG_SIGMA_INT_H

#include <stddef.h>
#include <stdint.h>

#include "core/arena.h"
#include "core/map.h"
#include "sigma/ac.h"
#include "vigil/buf.h"
#include "vigil/sigma.h"

/* ---- caps (hostile rule files) ---- */
#define SG_MAX_FILE_BYTES   (4u << 20) /* one rule file */
#define SG_MAX_YAML_DEPTH   32u
#define SG_MAX_YAML_NODES   100000u
#define SG_MAX_COND_DEPTH   64u
#define SG_MAX_COND_TOKENS  4096u
#define SG_MAX_VARIANTS     256u   /* windash/base64offset/expand products */
#define SG_MAX_MATCHED      32u    /* matched fields reported per hit */
#define SG_MAX_DIR_DEPTH    32u
#define SG_FIELD_NONE       UINT32_MAX

/* ---- YAML tree (load.c) ---- */
enum sg_nt { SG_N_SCALAR = 0, SG_N_SEQ = 1, SG_N_MAP = 2 };

struct sg_node {
    enum sg_nt       t;
    uint32_t         line;   /* 1-based */
    int              quoted; /* scalar written with quotes or as a block */
    const char      *s;      /* scalar text, NUL-terminated */
    size_t           len;
    struct sg_node **kid;    /* seq: n items; map: 2n (key, value, ...) */
    size_t           n;
};

/* Parse the first YAML document of text. On error returns VG_EFORMAT (or
 * VG_ELIMIT, VG_EUNSUPPORTED for aliases) with msg/line set. *n_docs gets
 * the number of documents seen (rules are one document). */
int sg_yaml_parse(struct vg_arena *a, const char *text, size_t len,
                  struct sg_node **out, size_t *n_docs, char *msg,
                  size_t msg_cap, uint64_t *line);
/* Map lookup by key (exact); NULL when absent or m is not a map. */
const struct sg_node *sg_map_get(const struct sg_node *m, const char *key);
/* Scalar that is YAML null (~, null, Null, NULL, empty plain). */
int sg_is_null(const struct sg_node *n);

/* ---- values (value.c) ---- */
enum sg_mt {
    SG_M_STR = 0,   /* equals / startswith / endswith / contains / glob */
    SG_M_RE,
    SG_M_CIDR,
    SG_M_NUM,       /* gt, gte, lt, lte */
    SG_M_NULL,      /* field absent or empty */
    SG_M_EXISTS,
    SG_M_FIELDREF,
};
enum sg_strop { SG_S_EQ = 0, SG_S_PREFIX, SG_S_SUFFIX, SG_S_CONTAINS,
                SG_S_GLOB };
enum sg_cmp { SG_C_GT = 0, SG_C_GTE, SG_C_LT, SG_C_LTE };
enum { SG_TOK_ANY1 = 256, SG_TOK_STAR = 257 }; /* glob tokens above bytes */

struct sg_re;

struct sg_val {
    uint8_t        type;   /* enum sg_mt */
    uint8_t        op;     /* enum sg_strop, enum sg_cmp */
    uint8_t        cased;  /* case-sensitive */
    uint8_t        flag;   /* EXISTS: wanted; CIDR: family 4/6; NUM: is int;
                              STR with str_num: num holds the literal */
    uint8_t        bits;   /* CIDR prefix length */
    const uint8_t *lit;    /* STR (not GLOB): folded literal; RE: a
                              literal every match contains (relit.c),
                              or NULL */
    size_t         len;
    const uint16_t *glob;  /* GLOB tokens (folded), len of them */
    uint8_t        addr[16];
    double         num;
    struct sg_re  *re;
    uint32_t       ref;    /* FIELDREF: rule-local field slot */
    int            str_num;/* STR from a YAML number: also compare as number */
    uint32_t       vidx;   /* index among its rule's values (plan) */
};

/* ---- rules ---- */
struct sg_item {
    uint32_t       slot;   /* rule-local field, SG_FIELD_NONE = keyword */
    uint8_t        all;    /* values ANDed */
    uint8_t        neg;    /* neq: result negated */
    uint8_t        any_nd; /* plan: every value is a needle (exact
                              `contains`) and one suffices, so the item is
                              true iff one of them occurs */
    uint8_t        gated;  /* plan: not negated and every value has a
                              needle (its text must occur for the value to
                              match), so the item can only be true when
                              one of them occurs in its field */
    uint32_t       iidx;   /* plan: index among its rule's items */
    uint32_t       vbase;  /* plan: vidx of its first value (its values'
                              vidx are consecutive) */
    struct sg_val *v;
    size_t         n;
};
struct sg_group { struct sg_item *it; size_t n; };      /* AND */
struct sg_search {                                       /* OR of groups */
    const char      *name;
    struct sg_group *g;
    size_t           n;
};

enum sg_cop { SG_OP_ID = 0, SG_OP_AND, SG_OP_OR, SG_OP_NOT, SG_OP_CONST };
struct sg_cond {
    uint8_t         op;
    uint32_t        id;    /* ID: search index; CONST: 0/1 */
    struct sg_cond *a, *b;
};

enum sg_corr_type { SG_CT_EVENT_COUNT = 0, SG_CT_VALUE_COUNT, SG_CT_TEMPORAL,
                    SG_CT_TEMPORAL_ORDERED };
struct sg_corr {
    uint8_t       type;
    uint8_t       generate; /* referenced rules also report on their own */
    const char  **refs;    /* rule ids or names */
    size_t        n_refs;
    size_t       *ref_rule;/* resolved at compile */
    const char  **group_by;
    size_t        n_group;
    int64_t       timespan_us;
    uint8_t       cmp_op;  /* 0 gt 1 gte 2 lt 3 lte 4 eq 5 neq */
    uint64_t      cmp_val;
    const char   *value_field; /* value_count: condition.field */
    uint32_t     *group_fid;   /* global field ids for group_by */
    uint32_t      value_fid;
};

struct sg_rule {
    struct vg_sigma_rule_info info;
    const char      **fname;    /* rule-local field names as written */
    size_t            n_fields, cap_fields;
    struct sg_search *s;
    size_t            n_s;
    struct sg_cond   *cond;
    struct sg_corr   *corr;
    const char      **filter_rules; /* filter: rules it applies to */
    size_t            n_filter_rules;
    int               has_keywords;
    int               needs_expand;
    int               used;      /* referenced by a correlation */
    int               corr_only; /* generate: false -> no own findings */
};

/* Parse rule text of one node tree into r (allocated in a). On failure
 * returns VG_EUNSUPPORTED / VG_EFORMAT with reason/line. placeholders may
 * be NULL (then expand is unsupported). */
struct sg_placeholders;
/* What parsing one rule needs: where to allocate, where to register regexes,
 * which placeholder values exist (NULL: none), where to say what failed. */
struct sg_lctx {
    struct vg_arena              *a;
    struct vg_sigma              *set;
    const struct sg_placeholders *ph;
    char                         *reason;
    size_t                        cap;
    uint64_t                      line;
};
int sg_rule_from_tree(struct sg_lctx *lc, const struct sg_node *root,
                      const char *path, struct sg_rule *r);

/* value.c: compile one YAML scalar under the modifiers mods[0..n). Appends
 * the resulting values (windash etc. can expand to several) to *out. */
struct sg_valbuf { struct sg_val *v; size_t n, cap; };
int sg_value_compile(struct sg_lctx *lc, const struct sg_node *val,
                     const char *const *mods, size_t n_mods,
                     struct sg_rule *r, struct sg_valbuf *out);
/* Record a failure reason (printf-like); returns rc. */
int sg_fail(struct sg_lctx *lc, int rc, uint64_t line, const char *fmt, ...)
    VG_PRINTF(4, 5);
/* Register (or find) a rule-local field name; slot or SG_FIELD_NONE on OOM. */
uint32_t sg_rule_field(struct vg_arena *a, struct sg_rule *r, const char *name,
                       size_t len);
int sg_valbuf_push(struct sg_valbuf *b, const struct sg_val *v);

/* Match a subject (already case-folded unless v->cased) against a STR val. */
int sg_str_match(const struct sg_val *v, const uint8_t *s, size_t n);
int sg_glob_match(const uint16_t *p, size_t np, const uint8_t *s, size_t n);
int sg_cidr_match(const struct sg_val *v, const char *s, size_t n);
int sg_num_parse(const char *s, size_t n, double *out);
/* Lowercase ASCII into dst (n bytes). */
void sg_fold(uint8_t *dst, const char *src, size_t n);
/* Decode a Sigma string with escapes into glob tokens. */
size_t sg_rule_n_vals(const struct sg_rule *r);
int sg_glob_compile(struct vg_arena *a, const char *s, size_t n,
                    uint16_t **out, size_t *nout);

/* cond.c */
int sg_cond_parse(struct sg_lctx *lc, const char *text, size_t len,
                  const struct sg_search *s, size_t n_s, struct sg_cond **out);

/* relit.c: the longest literal every match of the regex pat must contain
 * (ASCII, compared case-insensitively by the prefilter) into out (at most
 * cap bytes); its length, 0 when none is provably required. caseless: the
 * `i` modifier. */
size_t sg_re_literal(const char *pat, size_t len, int caseless, uint8_t *out,
                     size_t cap);

/* regex.c */
int sg_re_compile(const char *pat, size_t len, int caseless, int multiline,
                  int dotall, struct sg_re **out, char *reason, size_t cap);
void sg_re_free(struct sg_re *re);
struct sg_re_scratch;
int sg_re_scratch_new(struct sg_re_scratch **out);
void sg_re_scratch_free(struct sg_re_scratch *s);
/* 1 match, 0 no match, VG_ELIMIT when the match limit was hit (no match). */
int sg_re_match(const struct sg_re *re, struct sg_re_scratch *s,
                const char *subj, size_t n);

/* placeholders (mapping.c) */
struct sg_placeholders {
    struct vg_map map; /* name -> struct sg_strlist * */
};
struct sg_strlist { const char **s; size_t n; };
int sg_placeholders_load(struct vg_arena *a, const char *path,
                         struct sg_placeholders *ph, struct vg_diag *diag);

/* ---- logsource mapping (mapping.c) ---- */
struct sg_rename { const char *from, *to; };
struct sg_source {
    const char       *channel;   /* NULL = any channel */
    uint32_t         *eids;      /* empty = any event id */
    size_t            n_eids;
    struct sg_rename *ren;
    size_t            n_ren;
    int               strict;    /* fields not in ren/keep do not exist */
    const char      **keep;      /* strict: fields that exist unrenamed */
    size_t            n_keep;
    int               extra;     /* not in the taxonomy appendix */
};
struct sg_lsentry {
    const char       *product, *category, *service; /* NULL = any */
    struct sg_source *src;
    size_t            n_src;
};
struct sg_mapping {
    struct sg_lsentry *e;
    size_t             n;
    struct sg_rename  *gren;     /* global field renames */
    size_t             n_gren;
};
int sg_mapping_load(struct vg_arena *a, const char *path, const char *text,
                    size_t len, int taxonomy_only, struct sg_mapping *m,
                    struct vg_diag *diag);
/* Read a whole rule-sized file (<= SG_MAX_FILE_BYTES) into a malloc'd,
 * NUL-terminated buffer. */
int sg_read_file(const char *path, char **out, size_t *len, struct vg_diag *d);
extern const char *const sg_default_mapping[]; /* lines of windows.yml */
extern const size_t sg_default_mapping_lines;

/* ---- compiled plan ---- */
/* One rule on one event source. The first 64 bytes hold what deciding
 * and evaluating a candidate reads (slice membership, event id gate, field
 * map, value needles); hot.c puts the array on cache lines. */
struct sg_variant {
    const struct sg_bucket *bucket;/* the bucket holding it */
    uint32_t       *eids;
    size_t          n_eids;
    uint32_t       *eid_need;      /* the condition needs field eid_fid to
                                      be one of these numbers (sorted);
                                      n_eid_need 0: no such need */
    size_t          n_eid_need;
    uint32_t        eid_fid;
    uint32_t        item_base;     /* its items' numbers: item_base + iidx */
    uint32_t       *fmap;          /* rule slot -> global field id */
    uint32_t       *val_nd;        /* by sg_val.vidx: the value's needle
                                      (its text must occur for it to
                                      match), | SG_ND_EXACT when the
                                      needle is exactly a case-insensitive
                                      `contains` value (its occurrence is
                                      the answer); UINT32_MAX: none */
    /* second cache line */
    const struct sg_cond   *cond;  /* its rule's, as laid out by hot.c */
    const struct sg_search *srch;
    size_t          rule;
    const char     *channel;       /* NULL = any */
    uint32_t       *need;          /* literal prefilter: needle ids, one of
                                      which must occur; n_need 0 = none */
    size_t          n_need;
    uint32_t       *need_fid;      /* distinct fields of those needles */
    size_t          n_need_fid;
};
struct sg_needle {                 /* a literal a field must contain */
    uint32_t       fid;
    uint32_t       uses;           /* rule values using it (commonness) */
    const uint8_t *lit;            /* folded */
    size_t         len;            /* see sg_needle_ok() */
};
#define SG_NEEDLE_MIN 3u
#define SG_SCAN_MIN   2u /* shorter field values hold no needle */
/* A literal long enough to be a needle: 3+ bytes, or one 2-byte UTF-8
 * character (a Cyrillic homoglyph: rare in mostly-ASCII logs, while 2
 * ASCII bytes are common). */
static inline int
sg_needle_ok(const uint8_t *p, size_t n)
{
    return n >= SG_NEEDLE_MIN || (n == 2 && p[0] >= 0xc2 && p[0] < 0xe0 &&
                                  p[1] >= 0x80 && p[1] < 0xc0);
}
#define SG_ND_EXACT   0x80000000u
#define SG_AC_HEAD    32u /* needle bytes in the automaton */
/* The variants one event meets in a bucket (those of its event id, or
 * those for every event id), split for the prefilter: the ones without
 * needles are always evaluated; the others only when one of their needles
 * was found, and finding them needs only the fields listed here scanned. */
struct sg_slice {
    const size_t *v;               /* variant indexes, ascending */
    size_t        n;
    uint32_t     *always;          /* n_need == 0, ascending */
    size_t        n_always;
    uint32_t     *fid;             /* union of the others' need_fid */
    size_t        n_fid;
};
struct sg_bucket {                 /* variants for one channel */
    uint32_t *eid;                 /* sorted distinct event ids */
    size_t   *eid_first, *eid_n;   /* slice of vlist per eid */
    size_t    n_eid;
    size_t   *vlist;               /* variant indexes */
    size_t   *any;                 /* variants for every eid */
    size_t    n_any;
    struct sg_slice *slice;        /* per eid (prefilter.c) */
    struct sg_slice  all;          /* of any */
};

struct vg_sigma {
    const struct vg_ctx     *ctx;
    struct vg_sigma_opts     opts;
    struct vg_arena          a;
    struct vg_arena          hot;     /* what matching reads (hot.c) */
    struct sg_rule          *r;
    size_t                   n_r, cap_r;
    struct vg_sigma_unsupported_info *u;
    size_t                   n_u, cap_u;
    struct sg_re           **res;     /* every compiled regex (to free) */
    size_t                   n_res, cap_res;
    int                      compiled;
    struct sg_placeholders   ph;
    int                      have_ph;
    struct sg_mapping        map;
    /* plan */
    const char             **field;   /* global field names (interned) */
    uint32_t                *field_len; /* their lengths (hot.c) */
    size_t                   n_field, cap_field;
    struct vg_map            fieldidx;
    struct sg_variant       *v;       /* malloc'd while planning, in hot
                                         once v_hot (hot.c) */
    size_t                   n_v, cap_v;
    int                      v_hot;
    struct vg_map            chan;    /* folded channel -> sg_bucket */
    struct sg_bucket         nochan;  /* variants with no channel */
    size_t                  *corr;    /* correlation rule indexes */
    size_t                   n_corr;
    /* literal prefilter (prefilter.c) */
    struct sg_needle        *nd;
    size_t                   n_nd, cap_nd;
    struct vg_map            ndidx;    /* (fid, literal) -> needle id + 1 */
    struct sg_ac             ac;       /* needles, one set per field */
    uint32_t                *nd_vfirst;    /* needle -> variants (CSR) */
    uint32_t                *nd_vlist;
    uint32_t                *nd_ifirst;    /* needle -> any_nd items of
                                              variants (CSR) */
    uint32_t                *nd_ilist;
    uint32_t                 n_items;      /* items over all variants */
};

/* prefilter.c: needles for every variant (after the plan is built). */
int sg_prefilter_build(struct vg_sigma *s);
/* eids.c: for every variant, the EventID values its condition needs. */
int sg_eid_gate_build(struct vg_sigma *s);

/* hot.c: copy the rules' and variants' evaluation data into s->hot in
 * variant order (after everything else is built). */
int sg_hot_build(struct vg_sigma *s);

int sg_set_track_re(struct vg_sigma *s, struct sg_re *re);
int sg_plan_build(struct vg_sigma *s, struct vg_diag *diag);

#endif
