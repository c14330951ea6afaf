/* SPDX-License-Identifier: Apache-2.0 */
/*
 * ioc.h - indicators of compromise: the model, the importers (STIX 2.1,
 * MISP JSON, CSV, Loki/THOR lists, plain or defanged free text), the store
 * (de-duplicated, merged provenance, compiled matchers) and its saved file.
 *
 * Life cycle of a store:
 *   1. vg_ioc_store_new(), then any number of vg_ioc_add() /
 *      vg_ioc_import_*() calls (single owner, not thread-safe);
 *   2. vg_ioc_store_seal() builds the range tables (CIDR) and the free-text
 *      matcher; after it the store is immutable and every lookup function
 *      may be called from many threads at once;
 *   3. vg_ioc_store_save() writes it to one file; vg_ioc_store_load() reads
 *      such a file back (fully validated: the file may have been tampered
 *      with) and returns a sealed store.
 * Adding after sealing unseals the store (the caller seals again).
 *
 * Values are normalised on the way in (lower-case hashes and host names,
 * canonical IP text, CIDR network address, refanged text), so lookups are
 * exact on the normal form. Domains match their subdomains; CIDRs match the
 * addresses they contain; file paths may be globs or regular expressions.
 *
 * Indicator ids are dense indexes 0..count-1, stable for one store object
 * (and across save/load). Strings handed out by accessors live as long as
 * the store.
 *
 * Not done here: fetching feeds over the network (TAXII, MISP API), STIX 1.x
 * XML, OpenIOC; fuzzy hashes (ssdeep, TLSH) and imphash are reported as
 * unsupported.
 */
#ifndef VIGIL_IOC_H
#define VIGIL_IOC_H

#include <stddef.h>
#include <stdint.h>

#include "vigil/buf.h"
#include "vigil/compiler.h"
#include "vigil/err.h"

enum vg_ioc_type {
    VG_IOC_NONE = 0,
    VG_IOC_IPV4,   /* "192.0.2.1" */
    VG_IOC_IPV6,   /* canonical RFC 5952 text */
    VG_IOC_CIDR4,  /* "10.0.0.0/8": network address, host bits cleared */
    VG_IOC_CIDR6,  /* "2001:db8::/32" */
    VG_IOC_DOMAIN, /* lower case, no trailing dot; matches subdomains */
    VG_IOC_URL,    /* scheme and host lower case, rest kept */
    VG_IOC_MD5,    /* lower-case hex */
    VG_IOC_SHA1,
    VG_IOC_SHA256,
    VG_IOC_FILENAME, /* base name, compared case-insensitively */
    VG_IOC_FILEPATH, /* full path: literal, glob (flag) or regex (flag) */
    VG_IOC_REGISTRY, /* key, or "key|value"; hive spelt short (HKLM) */
    VG_IOC_EMAIL,
    VG_IOC_ACCOUNT, /* user or DOMAIN\user, compared case-insensitively */
    VG_IOC_MUTEX,   /* case-sensitive, as Windows compares them */
    VG_IOC_PIPE,    /* name without the \\.\pipe\ prefix, case-insensitive */
    VG_IOC_RELAY,   /* remote-access relay "host" or "host:port" */
    VG_IOC_ANYDESK, /* AnyDesk ID, 9 or 10 digits */
    VG_IOC_TYPE_COUNT
};

/* Indicator flags (vg_ioc_info.flags). */
#define VG_IOC_F_PRIVATE 0x01u  /* RFC 1918/4193, loopback, link-local, CGNAT  \
                                 */
#define VG_IOC_F_RESERVED 0x02u /* documentation, multicast, "this network" */
#define VG_IOC_F_GLOB 0x04u     /* FILEPATH/FILENAME value is a glob (* ?) */
#define VG_IOC_F_REGEX 0x08u    /* FILEPATH/FILENAME value is a PCRE2 regex */
#define VG_IOC_F_NOCASE 0x10u   /* regex: case-insensitive */

enum vg_tlp {
    VG_TLP_NONE = 0, /* not marked */
    VG_TLP_CLEAR,    /* also "white" */
    VG_TLP_GREEN,
    VG_TLP_AMBER,
    VG_TLP_AMBER_STRICT,
    VG_TLP_RED,
    VG_TLP_COUNT
};

/* "ipv4", "cidr6", "sha256", "file-path", ...; NULL for an invalid type. */
VG_API const char *vg_ioc_type_name(enum vg_ioc_type t);
/* Inverse of vg_ioc_type_name; also accepts "ip", "cidr", "hash", "hostname",
 * "filename", "path", "regkey", "user", "named-pipe", "anydesk-id".
 * VG_IOC_NONE when unknown ("ip", "cidr" and "hash" need the value: callers
 * use vg_ioc_classify for those). */
VG_API enum vg_ioc_type vg_ioc_type_parse(const char *s, size_t n);
VG_API const char *vg_tlp_name(enum vg_tlp t); /* "clear", "amber+strict" */
/* "TLP:GREEN", "green", "white" (= clear)...; VG_TLP_NONE when unknown. */
VG_API enum vg_tlp vg_tlp_parse(const char *s, size_t n);

/* Where one sighting of an indicator came from, and what that source says
 * about it. Every pointer may be NULL. Copied by vg_ioc_add. */
struct vg_ioc_src {
    const char *feed;      /* feed or pack name ("signature-base") */
    const char *file;      /* file it was read from */
    uint64_t line;         /* 1-based line, 0 when none */
    const char *object_id; /* STIX id, MISP uuid */
    const char *description;
    const char *tags;   /* comma-separated */
    int64_t first_seen; /* microseconds since 1970, VG_TIME_NONE */
    int64_t last_seen;
    int score; /* confidence / score 0..100, -1 unknown */
    enum vg_tlp tlp;
};
/* All fields empty: no strings, line 0, times VG_TIME_NONE, score -1. */
VG_API void vg_ioc_src_init(struct vg_ioc_src *s);

/* A stored indicator, merged over its sources. */
struct vg_ioc_info {
    enum vg_ioc_type type;
    const char *value;  /* normal form */
    const char *aux;    /* Loki false-positive regex, or NULL */
    unsigned flags;     /* VG_IOC_F_* */
    int score;          /* highest of the sources, -1 unknown */
    enum vg_tlp tlp;    /* most restrictive of the sources */
    int64_t first_seen; /* earliest of the sources */
    int64_t last_seen;  /* latest */
    uint32_t n_sources;
};

struct vg_ioc_store;

VG_API VG_NODISCARD int vg_ioc_store_new(struct vg_ioc_store **out);
VG_API void vg_ioc_store_free(struct vg_ioc_store *st);
VG_API uint32_t vg_ioc_count(const struct vg_ioc_store *st);
/* Count of stored indicators of one type. */
VG_API uint32_t vg_ioc_count_type(const struct vg_ioc_store *st,
                                  enum vg_ioc_type t);
/* Bytes of memory the store holds (tables, strings, matchers). */
VG_API size_t vg_ioc_memory(const struct vg_ioc_store *st);

/*
 * Normalise value (n bytes, need not be NUL-terminated) as type t into out
 * (NUL-terminated, at most cap bytes incl. the NUL) and return its flags
 * (VG_IOC_F_PRIVATE...), or VG_EFORMAT (not a valid t), VG_ELIMIT (too long
 * for cap or VG_IOC_MAX_VALUE). Pure function, thread-safe.
 */
VG_API int vg_ioc_normalize(enum vg_ioc_type t, const char *value, size_t n,
                            char *out, size_t cap);
/* Guess the type of one whole value (trimmed, already refanged): IP, CIDR,
 * URL, email, hash by length, domain, registry key, Windows path, AnyDesk
 * ID, file name by a known extension. VG_IOC_NONE when none fits. */
VG_API enum vg_ioc_type vg_ioc_classify(const char *value, size_t n);

/*
 * Add one indicator (normalised here). flags may carry VG_IOC_F_GLOB /
 * VG_IOC_F_REGEX / VG_IOC_F_NOCASE for paths; aux is an optional exclusion
 * regex (Loki). A value already stored gets src appended (provenance
 * merged); returns 1 then, 0 for a new indicator, or a negative VG_E*:
 * VG_EFORMAT (invalid value), VG_ELIMIT (store full, value too long),
 * VG_ENOMEM. *id_out (may be NULL) receives the indicator id.
 */
VG_API int vg_ioc_add(struct vg_ioc_store *st, enum vg_ioc_type t,
                      const char *value, size_t n, unsigned flags,
                      const char *aux, const struct vg_ioc_src *src,
                      uint32_t *id_out);

/* Build the range tables and the free-text matcher; compile regexes. A
 * regex that does not compile is kept but never matches; the count of such
 * regexes is returned (>= 0), or a negative VG_E*. */
VG_API int vg_ioc_store_seal(struct vg_ioc_store *st);

/* Accessors. id < vg_ioc_count(); k < info.n_sources. VG_EINVAL if out of
 * range. */
VG_API int vg_ioc_get(const struct vg_ioc_store *st, uint32_t id,
                      struct vg_ioc_info *out);
VG_API int vg_ioc_get_src(const struct vg_ioc_store *st, uint32_t id,
                          uint32_t k, struct vg_ioc_src *out);

/*
 * Lookups on a sealed store (VG_EINVAL on an unsealed one). Each writes up to
 * cap matching indicator ids into ids and returns how many matched (which may
 * exceed cap), or VG_EINVAL. The value is given as found in evidence (not
 * normalised): case, surrounding whitespace, a trailing dot are handled.
 *  - hash: 32/40/64 hex digits, any case;
 *  - ip: IPv4 or IPv6 text; matches the exact address and every CIDR that
 *    contains it (most specific first);
 *  - domain: the name and every parent domain (a.b.evil.com finds evil.com);
 *  - url: the exact URL, then its host as domain or IP;
 *  - path: a full path or a bare file name: its base name against file
 *    names, the whole path against literal paths, globs and regexes;
 *  - value: any other type, exact (registry, email, account, mutex, pipe,
 *    relay "host" or "host:port" - a relay with a port also matches the
 *    port-less entry and the host's domain/IP indicators -, AnyDesk ID).
 */
VG_API int vg_ioc_lookup_hash(const struct vg_ioc_store *st, const char *s,
                              size_t n, uint32_t *ids, size_t cap);
VG_API int vg_ioc_lookup_ip(const struct vg_ioc_store *st, const char *s,
                            size_t n, uint32_t *ids, size_t cap);
/* Binary forms for hot loops: a digest of type t (MD5 16, SHA-1 20,
 * SHA-256 32 bytes) -> 1 and *id, or 0; v4 in host byte order; v6 16 bytes. */
VG_API int vg_ioc_lookup_digest(const struct vg_ioc_store *st,
                                enum vg_ioc_type t, const uint8_t *digest,
                                uint32_t *id);
VG_API int vg_ioc_lookup_ip4(const struct vg_ioc_store *st, uint32_t addr,
                             uint32_t *ids, size_t cap);
VG_API int vg_ioc_lookup_ip6(const struct vg_ioc_store *st,
                             const uint8_t addr[16], uint32_t *ids, size_t cap);
VG_API int vg_ioc_lookup_domain(const struct vg_ioc_store *st, const char *s,
                                size_t n, uint32_t *ids, size_t cap);
VG_API int vg_ioc_lookup_url(const struct vg_ioc_store *st, const char *s,
                             size_t n, uint32_t *ids, size_t cap);
VG_API int vg_ioc_lookup_path(const struct vg_ioc_store *st, const char *s,
                              size_t n, uint32_t *ids, size_t cap);
VG_API int vg_ioc_lookup_value(const struct vg_ioc_store *st,
                               enum vg_ioc_type t, const char *s, size_t n,
                               uint32_t *ids, size_t cap);
/* Classify s (vg_ioc_classify) and run the matching lookup. */
VG_API int vg_ioc_lookup_any(const struct vg_ioc_store *st, const char *s,
                             size_t n, uint32_t *ids, size_t cap);

/*
 * Free-text matcher (event fields, command lines, log lines): finds every
 * stored indicator in text - network and hash values by extracting
 * candidate tokens (also defanged ones) and looking them up, literal names
 * (file names, paths, registry keys, mutexes, pipes, accounts, AnyDesk IDs)
 * with one multi-pattern (Aho-Corasick) pass, case-insensitively, on
 * word boundaries. fn is called once per hit with the byte range in text;
 * a non-zero return stops the scan and is returned. Returns the number of
 * hits (>= 0) otherwise, or VG_EINVAL on an unsealed store.
 */
typedef int vg_ioc_hit_fn(void *arg, uint32_t id, size_t off, size_t len);
VG_API int vg_ioc_match_text(const struct vg_ioc_store *st, const char *text,
                             size_t n, vg_ioc_hit_fn *fn, void *arg);

/* --- importing ------------------------------------------------------- */

enum vg_ioc_format {
    VG_IOC_FMT_AUTO = 0,
    VG_IOC_FMT_TEXT, /* one per line or free text, defanged or not */
    VG_IOC_FMT_CSV,
    VG_IOC_FMT_STIX,          /* STIX 2.x JSON bundle or single object */
    VG_IOC_FMT_MISP,          /* MISP event, event list, attribute search,
                                 feed event file */
    VG_IOC_FMT_LOKI_HASH,     /* HASH;COMMENT */
    VG_IOC_FMT_LOKI_FILENAME, /* REGEX;SCORE[;FP_REGEX] */
    VG_IOC_FMT_LOKI_C2,       /* domain-or-ip[;SCORE] */
    VG_IOC_FMT_COUNT
};
/* "auto", "text", "csv", "stix", "misp", "loki-hash", "loki-filename",
 * "loki-c2" (also "loki": detect the list from the file name). */
VG_API const char *vg_ioc_format_name(enum vg_ioc_format f);
VG_API int vg_ioc_format_parse(const char *s, enum vg_ioc_format *out);
/* Detect from the file name (Loki: "hash", "filename", "c2" in it) and the
 * first bytes. Never VG_IOC_FMT_AUTO: falls back to TEXT. */
VG_API enum vg_ioc_format vg_ioc_detect(const char *path, const char *data,
                                        size_t n);

/* What happened to one entry that did not become an indicator. */
enum vg_ioc_issue_kind {
    VG_IOC_ISSUE_ERROR = 0,   /* malformed (bad JSON, broken CSV line) */
    VG_IOC_ISSUE_UNSUPPORTED, /* valid, but a form Vigil cannot use */
    VG_IOC_ISSUE_SKIPPED,     /* deliberately not used (to_ids false...) */
    VG_IOC_ISSUE_NOTE,        /* used, with a caveat (AND partly kept) */
};
/* d->path is the file, d->line the line (or VG_DIAG_NONE), d->msg starts
 * with the object id when there is one. */
typedef void vg_ioc_issue_fn(void *arg, enum vg_ioc_issue_kind kind,
                             const struct vg_diag *d);

struct vg_ioc_import_opts {
    enum vg_ioc_format format;          /* AUTO: vg_ioc_detect */
    const char *feed;                   /* feed name for provenance (NULL: the
                                           file's base name) */
    const struct vg_ioc_store *exclude; /* sealed; values it matches
                                        (exact, subdomain, CIDR) dropped */
    int misp_all;                       /* also MISP attributes with to_ids
                                           false (default: skipped) */
    enum vg_tlp tlp;                    /* default TLP when the feed has none */
    /* CSV: 0-based column numbers, -1 = from the header / guessed. */
    int csv_value_col;
    int csv_type_col;
    int csv_desc_col;
    char csv_delim; /* 0: guess , ; tab | */
    int csv_header; /* -1 guess, 0 none, 1 first row */
    vg_ioc_issue_fn *on_issue;
    void *issue_arg;
};
VG_API void vg_ioc_import_opts_init(struct vg_ioc_import_opts *o);

struct vg_ioc_import_stats {
    enum vg_ioc_format format;         /* the one used */
    uint64_t added[VG_IOC_TYPE_COUNT]; /* new indicators by type */
    uint64_t merged;                   /* already stored: source added */
    uint64_t excluded;                 /* dropped by opts.exclude */
    uint64_t issues[4];                /* by vg_ioc_issue_kind */
};

/* Explicit limits (hostile feeds). */
#define VG_IOC_MAX_FILE (512u << 20)   /* one input file */
#define VG_IOC_MAX_VALUE 4096u         /* one normalised value */
#define VG_IOC_MAX_LINE (1u << 20)     /* one text/CSV line */
#define VG_IOC_MAX_IOCS (1u << 26)     /* indicators in one store */
#define VG_IOC_MAX_PATTERN (64u << 10) /* one STIX pattern */
#define VG_IOC_MAX_STORE (4ull << 30)  /* one saved store file */

/*
 * Import one feed held in memory (path names it in provenance and
 * diagnostics). Entries that fail are reported through opts->on_issue and
 * counted; the import goes on. Returns VG_OK, or a negative VG_E* when the
 * whole input is unusable (VG_EFORMAT: not JSON at all; VG_ELIMIT: larger
 * than VG_IOC_MAX_FILE or the store is full; VG_ENOMEM), with *d set.
 * stats accumulates (zero it first).
 */
VG_API int vg_ioc_import_mem(struct vg_ioc_store *st, const char *path,
                             const char *data, size_t n,
                             const struct vg_ioc_import_opts *opts,
                             struct vg_ioc_import_stats *stats,
                             struct vg_diag *d);
/* Read path (regular file, at most VG_IOC_MAX_FILE bytes; "-" is not
 * special) and import it. VG_EIO with *d when it cannot be read. */
VG_API int vg_ioc_import_file(struct vg_ioc_store *st, const char *path,
                              const struct vg_ioc_import_opts *opts,
                              struct vg_ioc_import_stats *stats,
                              struct vg_diag *d);

/*
 * Refang defanged text: hxxp(s) -> http(s), [.] (.) {.} [dot] (dot) -> .,
 * [:] -> :, [://] -> ://, [at] [@] (at) -> @. Appends to out (a vg_buf).
 */
VG_API VG_NODISCARD int vg_ioc_refang(const char *s, size_t n,
                                      struct vg_buf *out);

/* --- the saved store -------------------------------------------------- */

/* Write atomically (temporary file in the same folder, then rename). */
VG_API int vg_ioc_store_save(const struct vg_ioc_store *st, const char *path,
                             struct vg_diag *d);
/* Serialise into a buffer (the file's exact bytes). */
VG_API int vg_ioc_store_serialize(const struct vg_ioc_store *st,
                                  struct vg_buf *out);
/* Load and validate; the result is sealed. VG_EFORMAT (with the offset in
 * *d) for a damaged or tampered file, VG_EUNSUPPORTED for a newer version,
 * VG_EIO when it cannot be read. */
VG_API int vg_ioc_store_load(const char *path, struct vg_ioc_store **out,
                             struct vg_diag *d);
VG_API int vg_ioc_store_load_mem(const void *data, size_t n,
                                 struct vg_ioc_store **out, struct vg_diag *d);

/* For `--iocs FILE|STORE` options: a saved store (recognised by its magic)
 * is loaded; any other file is imported as a feed (format detected) into a
 * new store, which is sealed. Issues of the import go to on_issue (may be
 * NULL). VG_OK with *out, or a negative VG_E* with *d. */
VG_API int vg_ioc_store_open(const char *path, vg_ioc_issue_fn *on_issue,
                             void *issue_arg, struct vg_ioc_store **out,
                             struct vg_diag *d);

/* --- export ------------------------------------------------------------ */

/* CSV: header "type,value,flags,score,tlp,first_seen,last_seen,feed,file,
 * line,object_id,description,tags", one row per indicator and source.
 * only_type VG_IOC_NONE = all types. */
VG_API int vg_ioc_export_csv(const struct vg_ioc_store *st,
                             enum vg_ioc_type only_type, struct vg_buf *out);
/* STIX 2.1 bundle: one indicator object per indicator (deterministic ids:
 * UUIDv5 of type and value), created/modified = now (microseconds). Types
 * without a STIX pattern (AnyDesk ID, relay with port) use the closest
 * object path and say so in the description. */
VG_API int vg_ioc_export_stix(const struct vg_ioc_store *st,
                              enum vg_ioc_type only_type, int64_t now,
                              struct vg_buf *out);

#endif
