/* SPDX-License-Identifier: Apache-2.0 */
/*
 * correlate.h - turns a run's findings into a story: folds duplicates,
 * links findings that share a ScreenConnect instance id, a relay host, an
 * AnyDesk id, a service name or a suspicious file across modules into
 * incidents, and gives the verdict (COMPROMISED, SUSPICIOUS, CLEAN) with a
 * one-sentence reason.
 *
 * Use: vg_correlate_new, then vg_correlate_add for every finding (it has
 * the vg_finding_fn signature, so modules can emit straight into it), then
 * vg_correlate_finish once, then vg_correlate_emit to a writer and the
 * verdict accessors. Links never cross hosts (host.name is part of every
 * key). Findings of module "correlate" and the "incident"/"duplicates"
 * extra keys that this module writes are dropped on input, so results can
 * be read back and correlated again (vigil report) without doubling.
 *
 * Emitted: one finding per incident (module "correlate", rule id
 * "vigil.incident", severity of its worst member, matched values listing
 * the members and the links), then every kept finding once, in arrival
 * order, with extra "incident" = "INC-n" when linked and "duplicates" = N
 * when N identical findings were folded into it.
 *
 * Memory: at most VG_CORRELATE_MAX findings are kept; more are counted and
 * reported as one info finding. Single owner, not thread-safe.
 */
#ifndef VIGIL_CORRELATE_H
#define VIGIL_CORRELATE_H

#include <stddef.h>
#include <stdint.h>

#include "vigil/compiler.h"
#include "vigil/finding.h"

#define VG_CORRELATE_MAX 1000000u

struct vg_correlate;

VG_API VG_NODISCARD int vg_correlate_new(struct vg_correlate **out);
VG_API void vg_correlate_free(struct vg_correlate *c);
/* Keep a copy of f (arg is the struct vg_correlate). VG_OK or VG_ENOMEM;
 * VG_EINVAL after vg_correlate_finish. */
VG_API VG_NODISCARD int vg_correlate_add(const struct vg_finding *f,
                                         void *arg);
/* Findings below sev still link into incidents but do not count for the
 * verdict and its reason (the writer leaves them out: --min-severity).
 * Default VG_SEV_INFO. Call before vg_correlate_finish. */
VG_API void vg_correlate_set_min_severity(struct vg_correlate *c,
                                          enum vg_severity sev);
/* Fold, link, decide. Call once. VG_OK or VG_ENOMEM. */
VG_API VG_NODISCARD int vg_correlate_finish(struct vg_correlate *c);
/* Incidents, then findings (see above). VG_OK or fn's negative value. */
VG_API VG_NODISCARD int vg_correlate_emit(const struct vg_correlate *c,
                                          vg_finding_fn *fn, void *arg);

/* The same, findings in time order (untimed ones last, arrival order
 * within a time): the CSV timeline. */
VG_API VG_NODISCARD int vg_correlate_emit_timeline(const struct vg_correlate *c,
                                                   vg_finding_fn *fn,
                                                   void *arg);

/* After finish: "COMPROMISED", "SUSPICIOUS" or "CLEAN", and one sentence
 * saying why (never NULL; valid as long as c). */
VG_API const char *vg_correlate_verdict(const struct vg_correlate *c);
VG_API const char *vg_correlate_reason(const struct vg_correlate *c);
VG_API size_t vg_correlate_incident_count(const struct vg_correlate *c);
/* Findings kept (after folding) and duplicates folded away. */
VG_API size_t vg_correlate_kept(const struct vg_correlate *c);
VG_API uint64_t vg_correlate_folded(const struct vg_correlate *c);
/* Distinct host names seen (absent host counts as one). */
VG_API size_t vg_correlate_hosts(const struct vg_correlate *c);

#endif
