/* SPDX-License-Identifier: Apache-2.0 */
/*
 * sweep_par.h - `vigil sweep --threads N`: the files of PATHs swept on N
 * worker threads, results delivered on the calling thread in walk order, so
 * the output is the same whatever N. Internal to the CLI.
 */
#ifndef VG_CLI_SWEEP_PAR_H
#define VG_CLI_SWEEP_PAR_H

#include "vigil/sweep.h"

/*
 * Sweep paths[0..n) with `threads` workers (>= 2). o->on_match and
 * o->on_error are called on this thread only, in the order a one-thread
 * sweep would call them; stats are summed. Returns like vg_sweep_path.
 */
int sweep_parallel(const struct vg_sweep *sw, char *const *paths, int n,
                   unsigned threads, const struct vg_sweep_opts *o,
                   struct vg_sweep_stats *stats);

#endif
