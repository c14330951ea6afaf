/* SPDX-License-Identifier: Apache-2.0 */
/*
 * pool.h - worker pool with a bounded queue and one ordered output writer.
 *
 * The caller submits jobs; N workers run them; each job writes its output into
 * its own vg_buf; one writer (the thread that calls vg_pool_submit/finish)
 * hands finished outputs to the sink in submission order, so output never
 * interleaves and is the same whatever the thread count. The queue holds at
 * most queue_max jobs in flight: submit blocks when it is full, so memory is
 * bounded whatever the input size.
 *
 * This is the one place libvigil creates threads, and only when a program
 * asks for a pool; the rest of the library is thread-free and lock-free.
 * A pool is single-owner: one thread submits and finishes.
 */
#ifndef VIGIL_POOL_H
#define VIGIL_POOL_H

#include <stddef.h>

#include "vigil/buf.h"
#include "vigil/compiler.h"

/* A job: fills out (already initialised, may grow to out_max) from arg.
 * Runs on a worker thread. Returns VG_OK or an error, which is reported to
 * the sink with the output. */
typedef int vg_job_fn(void *arg, struct vg_buf *out);

/* Output of job number seq (0-based, submission order); rc is the job's. */
typedef int vg_pool_sink_fn(void *arg, size_t seq, int rc,
                            const struct vg_buf *out);

struct vg_pool_opts {
    unsigned n_threads; /* 0 = online CPUs; capped at VG_POOL_MAX_THREADS */
    size_t   queue_max; /* jobs in flight; 0 = 4 * threads */
    size_t   out_max;   /* max bytes of one job's output; 0 = 1 MiB */
};
#define VG_POOL_MAX_THREADS 64

struct vg_pool;

VG_API VG_NODISCARD int vg_pool_new(const struct vg_pool_opts *opts,
                                    vg_pool_sink_fn *sink, void *sink_arg,
                                    struct vg_pool **out);
/* Queue a job (arg is borrowed until its output has reached the sink).
 * Blocks while the queue is full, delivering finished outputs meanwhile.
 * Returns VG_OK, or the first negative value a sink call returned (after
 * which the sink is not called again; later outputs are dropped). */
VG_API VG_NODISCARD int vg_pool_submit(struct vg_pool *p, vg_job_fn *fn,
                                       void *arg);
/* Wait for every job and deliver the rest. Same return as submit. */
VG_API VG_NODISCARD int vg_pool_finish(struct vg_pool *p);
/* Stops the workers (after finish, or abandoning queued jobs) and frees. */
VG_API void vg_pool_free(struct vg_pool *p);
/* Online CPUs, at least 1. */
VG_API unsigned vg_cpu_count(void);

#endif
