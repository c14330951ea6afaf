/* SPDX-License-Identifier: Apache-2.0 */
/* test_core_pool.c - pool output order with many jobs and threads, the
 * in-flight bound, job errors, sink errors, abandoning on free. */
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "vg_test.h"
#include "vigil/err.h"
#include "vigil/pool.h"

struct run {
    size_t     next_seq;   /* sink: expected seq */
    int        bad;        /* sink: order/content mismatches */
    atomic_int in_flight;  /* started and not yet delivered */
    int        max_flight;
    size_t     qmax;
    int        stop_at;    /* sink returns VG_EIO at this seq (-1 never) */
    size_t     calls;
};

struct job {
    struct run *run;
    size_t      id;
};

static int
job_fn(void *arg, struct vg_buf *out)
{
    struct job *j = arg;
    int now = atomic_fetch_add(&j->run->in_flight, 1) + 1;

    if ((size_t)now > j->run->qmax) {
        return VG_EINTERNAL; /* sink sees it and counts it bad */
    }
    if (j->id % 7 == 0) {
        /* Uneven job lengths shuffle completion order. */
        struct timespec ts = {0, (long)(j->id % 5) * 100000};
        nanosleep(&ts, NULL);
    }
    if (j->id % 11 == 5) {
        return VG_EFORMAT;
    }
    return vg_buf_printf(out, "job %zu", j->id);
}

static int
sink_fn(void *arg, size_t seq, int rc, const struct vg_buf *out)
{
    struct run *r = arg;
    char want[32];

    r->calls++;
    atomic_fetch_sub(&r->in_flight, 1);
    snprintf(want, sizeof(want), "job %zu", seq);
    if (seq != r->next_seq++) {
        r->bad++;
    }
    if (seq % 11 == 5) {
        r->bad += rc != VG_EFORMAT || out->len != 0;
    } else {
        r->bad += rc != VG_OK || out->data == NULL || strcmp(out->data, want) != 0;
    }
    return r->stop_at >= 0 && seq == (size_t)r->stop_at ? VG_EIO : VG_OK;
}

static void
run_pool(unsigned threads, size_t qmax, size_t n_jobs)
{
    static struct job jobs[3000];
    static struct run r;
    struct vg_pool_opts o = {threads, qmax, 64};
    struct vg_pool *p = NULL;

    memset(&r, 0, sizeof(r));
    atomic_init(&r.in_flight, 0);
    r.qmax = qmax;
    r.stop_at = -1;
    REQUIRE_RC(vg_pool_new(&o, sink_fn, &r, &p), VG_OK);
    for (size_t i = 0; i < n_jobs; i++) {
        jobs[i].run = &r;
        jobs[i].id = i;
        REQUIRE_RC(vg_pool_submit(p, job_fn, &jobs[i]), VG_OK);
    }
    CHECK_RC(vg_pool_finish(p), VG_OK);
    vg_pool_free(p);
    CHECK_EQ_UINT(r.calls, n_jobs);
    CHECK_EQ_UINT(r.next_seq, n_jobs);
    CHECK_EQ_INT(r.bad, 0);
    CHECK_EQ_INT(atomic_load(&r.in_flight), 0);
}

static void
t_order(void)
{
    run_pool(1, 1, 200);
    run_pool(2, 3, 1000);
    run_pool(4, 8, 3000);
    run_pool(8, 2, 500);
    run_pool(3, 64, 3000);
}

static void
t_sink_error(void)
{
    static struct job jobs[100];
    static struct run r;
    struct vg_pool_opts o = {3, 4, 64};
    struct vg_pool *p = NULL;
    int rc = VG_OK;
    size_t i;

    memset(&r, 0, sizeof(r));
    r.qmax = 4;
    r.stop_at = 10;
    REQUIRE_RC(vg_pool_new(&o, sink_fn, &r, &p), VG_OK);
    for (i = 0; i < 100 && rc == VG_OK; i++) {
        jobs[i].run = &r;
        jobs[i].id = i;
        rc = vg_pool_submit(p, job_fn, &jobs[i]);
    }
    CHECK_RC(rc, VG_EIO);
    CHECK_RC(vg_pool_finish(p), VG_EIO);
    CHECK_EQ_UINT(r.calls, 11); /* no sink call after the error */
    CHECK_EQ_INT(r.bad, 0);
    vg_pool_free(p);
}

static void
t_defaults_and_free(void)
{
    static struct job jobs[50];
    static struct run r;
    struct vg_pool *p = NULL;

    memset(&r, 0, sizeof(r));
    r.qmax = 4 * (vg_cpu_count() > 64 ? 64 : vg_cpu_count());
    r.stop_at = -1;
    CHECK(vg_cpu_count() >= 1);
    CHECK_RC(vg_pool_new(NULL, NULL, NULL, &p), VG_EINVAL);
    CHECK(p == NULL);
    REQUIRE_RC(vg_pool_new(NULL, sink_fn, &r, &p), VG_OK);
    for (size_t i = 0; i < 20; i++) {
        jobs[i].run = &r;
        jobs[i].id = i;
        REQUIRE_RC(vg_pool_submit(p, job_fn, &jobs[i]), VG_OK);
    }
    /* Free without finish: queued jobs are abandoned, nothing leaks. */
    vg_pool_free(p);
    CHECK_EQ_INT(r.bad, 0);
    vg_pool_free(NULL);
}

static const struct vg_test tests[] = {
    T(t_order), T(t_sink_error), T(t_defaults_and_free),
};

int
main(int argc, char **argv)
{
    return vg_test_main(argc, argv, tests, VG_ARRAY_LEN(tests));
}
