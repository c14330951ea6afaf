/* SPDX-License-Identifier: Apache-2.0 */
/*
 * sigma.h - the Sigma engine: load Sigma 2.x rules, filters and correlation
 * rules, compile them into an immutable plan, match events against it.
 *
 * Life cycle:
 *   vg_sigma_new()            empty rule set (mutable, single owner)
 *   vg_sigma_add_path()       files or directories (recursively, .yml/.yaml)
 *   vg_sigma_add_text()       one YAML document held in memory
 *   vg_sigma_compile()        freeze: logsource mapping applied, filters
 *                             attached, prefilters built. After this the set
 *                             is immutable and may be shared by threads.
 *   vg_sigma_scanner_new()    one per thread; holds all per-event scratch so
 *                             matching allocates nothing per event.
 *   vg_sigma_scan()           one event -> zero or more matches (callback)
 *   vg_sigma_scanner_flush()  end of input: correlation state is released
 *
 * A rule that cannot be loaded is never dropped silently: it is recorded as
 * "unsupported" with its file, line and reason (vg_sigma_unsupported()).
 * A broken file never stops loading of the others.
 *
 * Events come through struct vg_event (vigil/event.h): this module knows
 * nothing about EVTX. Field names are resolved through the logsource
 * mapping (a data file; see rules/mapping/windows.yml and docs/sigma.md).
 *
 * Deliberately not here: output formatting (the caller turns a match into a
 * vg_finding), reading event files, Sigma conversion to other query
 * languages, the deprecated `|` aggregation conditions of Sigma 1.x.
 */
#ifndef VIGIL_SIGMA_H
#define VIGIL_SIGMA_H

#include <stddef.h>
#include <stdint.h>

#include "vigil/compiler.h"
#include "vigil/ctx.h"
#include "vigil/err.h"
#include "vigil/event.h"
#include "vigil/finding.h"

struct vg_sigma;
struct vg_sigma_scanner;

struct vg_sigma_opts {
    /* Logsource/field mapping file (YAML); NULL = the built-in default,
     * which is rules/mapping/windows.yml compiled in. */
    const char *mapping_path;
    /* 1: use only the Sigma taxonomy appendix table (Sysmon ids and
     * service channels), no Security 4688 process_creation source. */
    int taxonomy_only;
    /* Placeholder values for `|expand` (YAML map: name -> list of
     * strings); NULL = rules with placeholders are reported unsupported. */
    const char *placeholders_path;
};

enum vg_sigma_kind {
    VG_SIGMA_RULE = 0,
    VG_SIGMA_CORRELATION = 1,
    VG_SIGMA_FILTER = 2,
};

/* What callers need to describe a rule. Strings live as long as the set;
 * any of them may be NULL. */
struct vg_sigma_rule_info {
    enum vg_sigma_kind kind;
    const char        *id;
    const char        *name;   /* `name:` (correlations refer to it) */
    const char        *title;
    const char        *status;
    const char        *description;
    const char        *author;
    const char        *path;   /* file it came from */
    enum vg_severity   level;  /* informational..critical */
    const char *const *tags;   /* "attack.t1219", ... */
    size_t             n_tags;
    const char        *product, *category, *service; /* logsource */
    int                applies; /* 1 if the mapping gives it an event
                                   source it can match on */
};

struct vg_sigma_unsupported_info {
    const char *path;
    uint64_t    line;   /* 1-based, or 0 when not known */
    const char *id;     /* rule id if it could be read, else NULL */
    const char *title;  /* rule title if it could be read, else NULL */
    const char *reason; /* one line */
};

/* One match: the rule, and the fields that decided it (borrowed from the
 * event, valid during the callback only). For a correlation match, the
 * event is the one that completed it and fields holds the group-by values. */
struct vg_sigma_match {
    size_t              rule;     /* index for vg_sigma_rule() */
    const struct vg_kv *fields;
    size_t              n_fields;
    uint64_t            count;    /* correlation: events/values counted */
};

/* Return VG_OK to go on, a negative code to stop the scan (returned). */
typedef int vg_sigma_match_fn(void *arg, const struct vg_sigma_match *m,
                              const struct vg_event *ev);

/* opts may be NULL. Fails (diag filled) only when the placeholder file
 * cannot be read or parsed, or on VG_ENOMEM. */
VG_API VG_NODISCARD int vg_sigma_new(const struct vg_ctx *ctx,
                                     const struct vg_sigma_opts *opts,
                                     struct vg_sigma **out,
                                     struct vg_diag *diag);
VG_API void vg_sigma_free(struct vg_sigma *s);

/* Load a file or a directory tree (only *.yml / *.yaml files; symbolic
 * links are not followed). Bad rules become "unsupported" entries; the
 * return value is VG_OK unless the path itself cannot be read (VG_EIO, with
 * diag filled) or memory runs out. */
VG_API VG_NODISCARD int vg_sigma_add_path(struct vg_sigma *s, const char *path,
                                          struct vg_diag *diag);
/* Load one YAML text (name is used as its path in reports). */
VG_API VG_NODISCARD int vg_sigma_add_text(struct vg_sigma *s, const char *name,
                                          const char *text, size_t len);

/* Freeze the set. VG_OK, VG_ENOMEM, or VG_EFORMAT/VG_EIO when the mapping
 * or placeholder file is bad (diag filled). Rules the mapping cannot place
 * stay loaded with applies = 0. Call once. */
VG_API VG_NODISCARD int vg_sigma_compile(struct vg_sigma *s,
                                         struct vg_diag *diag);

VG_API size_t vg_sigma_count(const struct vg_sigma *s);
VG_API const struct vg_sigma_rule_info *vg_sigma_rule(const struct vg_sigma *s,
                                                      size_t i);
VG_API size_t vg_sigma_unsupported_count(const struct vg_sigma *s);
VG_API const struct vg_sigma_unsupported_info *
vg_sigma_unsupported(const struct vg_sigma *s, size_t i);

/* Scanners: one per thread over a compiled set (which must outlive it). */
VG_API VG_NODISCARD int vg_sigma_scanner_new(const struct vg_sigma *s,
                                             struct vg_sigma_scanner **out);
VG_API void vg_sigma_scanner_free(struct vg_sigma_scanner *sc);

/* Match one event. Returns VG_OK, the callback's negative code, or a
 * negative code from the event's accessors is ignored (a field that cannot
 * be rendered is treated as absent). Events are expected in time order for
 * correlations; out-of-order events are still counted within the window. */
VG_API VG_NODISCARD int vg_sigma_scan(struct vg_sigma_scanner *sc,
                                      const struct vg_event *ev,
                                      vg_sigma_match_fn *fn, void *arg);
/* End of input: correlations whose condition can only be decided when
 * their window closes (lt, lte) report now; then all correlation state is
 * dropped. Returns VG_OK or the callback's negative code. */
VG_API VG_NODISCARD int vg_sigma_scanner_flush(struct vg_sigma_scanner *sc,
                                               vg_sigma_match_fn *fn,
                                               void *arg);

/* Counters since the scanner was created (for summaries and benchmarks). */
struct vg_sigma_stats {
    uint64_t events;
    uint64_t prefiltered; /* (rule, event) pairs of the event's channel and
                             id skipped by the literal prefilter */
    uint64_t evaluated;   /* (rule, event) pairs evaluated */
    uint64_t matches;
    uint64_t regex_limit; /* regex evaluations stopped by the match limit */
    uint64_t corr_dropped;/* correlation groups not opened (memory cap) */
};
VG_API void vg_sigma_scanner_stats(const struct vg_sigma_scanner *sc,
                                   struct vg_sigma_stats *out);

/* "informational" is Sigma's name for VG_SEV_INFO. VG_OK or VG_EINVAL. */
VG_API VG_NODISCARD int vg_sigma_level_parse(const char *s, size_t n,
                                             enum vg_severity *out);

#endif
