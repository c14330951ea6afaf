/* SPDX-License-Identifier: Apache-2.0 */
/*
 * pool.c - worker pool over a ring of queue_max job slots. Workers take
 * slots in order and mark them done; the submitting thread delivers done
 * slots strictly in sequence, so output order never depends on scheduling.
 * One mutex, two condition variables, no busy waiting. No work stealing, no
 * priorities, no cancellation of a job that is already running.
 */
#include <pthread.h>
#include <stdint.h>
#include <unistd.h>

#include "core/alloc.h"
#include "core/limits.h"
#include "vigil/err.h"
#include "vigil/pool.h"

#include "core/banned.h"

enum slot_state { SLOT_EMPTY, SLOT_QUEUED, SLOT_RUNNING, SLOT_DONE };

struct slot {
    vg_job_fn      *fn;
    void           *arg;
    int             rc;
    enum slot_state state;
    struct vg_buf   out;
};

struct vg_pool {
    pthread_mutex_t  mu;
    pthread_cond_t   work_cv; /* a job was queued, or stop */
    pthread_cond_t   done_cv; /* a job finished */
    struct slot     *slots;
    size_t           qmax;
    size_t           submitted, taken, delivered; /* sequence numbers */
    int              stop;
    int              sink_err; /* first negative sink return */
    vg_pool_sink_fn *sink;
    void            *sink_arg;
    pthread_t       *threads;
    unsigned         n_threads;
};

unsigned
vg_cpu_count(void)
{
    long n = sysconf(_SC_NPROCESSORS_ONLN);

    return n < 1 ? 1u : n > 4096 ? 4096u : (unsigned)n;
}

static void *
worker(void *arg)
{
    struct vg_pool *p = arg;

    pthread_mutex_lock(&p->mu);
    for (;;) {
        while (!p->stop && p->taken == p->submitted) {
            pthread_cond_wait(&p->work_cv, &p->mu);
        }
        if (p->stop) {
            break; /* queued jobs are abandoned: free() was called */
        }
        struct slot *s = &p->slots[p->taken++ % p->qmax];
        s->state = SLOT_RUNNING;
        pthread_mutex_unlock(&p->mu);
        int rc = s->fn(s->arg, &s->out);
        pthread_mutex_lock(&p->mu);
        s->rc = rc;
        s->state = SLOT_DONE;
        pthread_cond_signal(&p->done_cv);
    }
    pthread_mutex_unlock(&p->mu);
    return NULL;
}

/* Hand every finished output at the head of the ring to the sink. Called
 * with the lock held; drops it around the sink call. */
static void
deliver_ready(struct vg_pool *p)
{
    for (;;) {
        struct slot *s = &p->slots[p->delivered % p->qmax];
        if (p->delivered == p->submitted || s->state != SLOT_DONE) {
            return;
        }
        pthread_mutex_unlock(&p->mu);
        if (p->sink_err == VG_OK) {
            int rc = p->sink(p->sink_arg, p->delivered, s->rc, &s->out);
            if (rc < 0) {
                p->sink_err = rc; /* later outputs are dropped */
            }
        }
        vg_buf_reset(&s->out);
        pthread_mutex_lock(&p->mu);
        s->state = SLOT_EMPTY;
        p->delivered++;
    }
}

static void
stop_workers(struct vg_pool *p, unsigned n)
{
    pthread_mutex_lock(&p->mu);
    p->stop = 1;
    pthread_cond_broadcast(&p->work_cv);
    pthread_mutex_unlock(&p->mu);
    for (unsigned i = 0; i < n; i++) {
        pthread_join(p->threads[i], NULL);
    }
}

static void
pool_release(struct vg_pool *p)
{
    for (size_t i = 0; i < p->qmax; i++) {
        vg_buf_fini(&p->slots[i].out);
    }
    vg_free(p->slots);
    vg_free(p->threads);
    pthread_cond_destroy(&p->done_cv);
    pthread_cond_destroy(&p->work_cv);
    pthread_mutex_destroy(&p->mu);
    vg_free(p);
}

static int
pool_alloc(const struct vg_pool_opts *o, struct vg_pool **out)
{
    struct vg_pool *p = vg_calloc(1, sizeof(*p));
    unsigned n = o->n_threads != 0 ? o->n_threads : vg_cpu_count();

    *out = NULL;
    if (p == NULL) {
        return VG_ENOMEM;
    }
    p->n_threads = n > VG_POOL_MAX_THREADS ? VG_POOL_MAX_THREADS : n;
    p->qmax = o->queue_max != 0 ? o->queue_max : 4u * p->n_threads;
    p->slots = vg_calloc(p->qmax, sizeof(*p->slots));
    p->threads = vg_calloc(p->n_threads, sizeof(*p->threads));
    pthread_mutex_init(&p->mu, NULL);
    pthread_cond_init(&p->work_cv, NULL);
    pthread_cond_init(&p->done_cv, NULL);
    if (p->slots == NULL || p->threads == NULL) {
        p->qmax = p->slots != NULL ? p->qmax : 0;
        pool_release(p);
        return VG_ENOMEM;
    }
    for (size_t i = 0; i < p->qmax; i++) {
        vg_buf_init(&p->slots[i].out,
                    o->out_max != 0 ? o->out_max : VG_MAX_FINDING_BYTES);
    }
    *out = p;
    return VG_OK;
}

int
vg_pool_new(const struct vg_pool_opts *opts, vg_pool_sink_fn *sink,
            void *sink_arg, struct vg_pool **out)
{
    static const struct vg_pool_opts defaults = {0, 0, 0};
    struct vg_pool *p;
    int rc;

    *out = NULL;
    if (sink == NULL) {
        return VG_EINVAL;
    }
    rc = pool_alloc(opts != NULL ? opts : &defaults, &p);
    if (rc != VG_OK) {
        return rc;
    }
    p->sink = sink;
    p->sink_arg = sink_arg;
    for (unsigned i = 0; i < p->n_threads; i++) {
        if (pthread_create(&p->threads[i], NULL, worker, p) != 0) {
            stop_workers(p, i);
            pool_release(p);
            return VG_ENOMEM;
        }
    }
    *out = p;
    return VG_OK;
}

int
vg_pool_submit(struct vg_pool *p, vg_job_fn *fn, void *arg)
{
    struct slot *s;
    int rc;

    pthread_mutex_lock(&p->mu);
    deliver_ready(p);
    while (p->submitted - p->delivered == p->qmax) {
        pthread_cond_wait(&p->done_cv, &p->mu);
        deliver_ready(p);
    }
    s = &p->slots[p->submitted % p->qmax];
    s->fn = fn;
    s->arg = arg;
    s->rc = VG_OK;
    s->state = SLOT_QUEUED;
    p->submitted++;
    pthread_cond_signal(&p->work_cv);
    rc = p->sink_err;
    pthread_mutex_unlock(&p->mu);
    return rc;
}

int
vg_pool_finish(struct vg_pool *p)
{
    int rc;

    pthread_mutex_lock(&p->mu);
    deliver_ready(p);
    while (p->delivered != p->submitted) {
        pthread_cond_wait(&p->done_cv, &p->mu);
        deliver_ready(p);
    }
    rc = p->sink_err;
    pthread_mutex_unlock(&p->mu);
    return rc;
}

void
vg_pool_free(struct vg_pool *p)
{
    if (p == NULL) {
        return;
    }
    stop_workers(p, p->n_threads);
    pool_release(p);
}
