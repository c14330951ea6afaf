/* SPDX-License-Identifier: Apache-2.0 */
/*
 * finding.h - the one record every Vigil module emits.
 *
 * A finding says what was seen (title, reason), how bad it is (severity,
 * score), where the evidence is (path, offset, record id, matched values),
 * which rule said so, and what to do next (remediation). Modules fill a
 * struct vg_finding on the stack with borrowed strings and hand it to a
 * vg_finding_fn; the receiver copies what it keeps (vg_finding_dup).
 *
 * Strings are UTF-8 as far as the evidence allows; writers escape them for
 * their sink, so a finding may carry any bytes the evidence had.
 * Every string field may be NULL (absent).
 */
#ifndef VIGIL_FINDING_H
#define VIGIL_FINDING_H

#include <stddef.h>
#include <stdint.h>

#include "vigil/compiler.h"

enum vg_severity {
    VG_SEV_INFO = 0,
    VG_SEV_LOW = 1,
    VG_SEV_MEDIUM = 2,
    VG_SEV_HIGH = 3,
    VG_SEV_CRITICAL = 4,
};
#define VG_SEV_COUNT 5

#define VG_TIME_NONE INT64_MIN /* time_us when the evidence has no time */
#define VG_OFFSET_NONE UINT64_MAX

struct vg_kv {
    const char *key;
    const char *value;
};

struct vg_finding {
    int64_t          time_us;     /* when the evidence says it happened, us since
                                     1970-01-01 UTC, or VG_TIME_NONE */
    const char      *host;        /* host the evidence is from */
    const char      *module;      /* "evtx", "hunt", "files", "rmm", ... */
    enum vg_severity severity;
    int              score;       /* 0..100; 0 means "derive from severity" */
    const char      *title;       /* short, for a table row */
    const char      *reason;      /* one line: why this matters */
    const char      *remediation; /* one line: what to do next */
    struct {
        const char *id;
        const char *name;
        const char *source;       /* "sigma", "yara", "vigil", file name ... */
        const char *reference;    /* URL or document reference */
    } rule;
    struct {
        const char         *path;      /* file the evidence is in */
        uint64_t            offset;    /* byte offset, or VG_OFFSET_NONE */
        uint64_t            record_id; /* event record id, 0 = none */
        const struct vg_kv *values;    /* matched values */
        size_t              n_values;
    } evidence;
    const char *const  *techniques;   /* ATT&CK ids, "T1219", ... */
    size_t              n_techniques;
    const struct vg_kv *extra;        /* free key/values */
    size_t              n_extra;
};

/* Receives one finding; the finding and its strings are borrowed for the call.
 * Return VG_OK to continue, a negative code to stop the producer. */
typedef int vg_finding_fn(const struct vg_finding *f, void *arg);

/* "info", "low", "medium", "high", "critical" (never NULL; "unknown" if out
 * of range). */
VG_API const char *vg_severity_name(enum vg_severity s);
/* Parse a severity name (case-insensitive). VG_OK or VG_EINVAL. */
VG_API VG_NODISCARD int vg_severity_parse(const char *s, enum vg_severity *out);
/* Default score for a severity: 10, 30, 50, 75, 95. */
VG_API int vg_severity_score(enum vg_severity s);

/* Deep copy into one allocation (free() it). NULL only on out of memory. */
VG_API struct vg_finding *vg_finding_dup(const struct vg_finding *f);

#endif
