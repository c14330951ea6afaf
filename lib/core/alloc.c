/* SPDX-License-Identifier: Apache-2.0 */
/*
 * alloc.c - malloc wrappers with overflow checks and the fault-injection
 * seam used by the OOM torture tests. Not a custom allocator: everything
 * goes straight to libc. The seam is one atomic counter pair; it does not
 * try to be exact when several threads allocate at once (tests that use it
 * are single-threaded).
 */
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "core/alloc.h"

#include "core/banned.h"

static atomic_long fail_after = -1; /* successes allowed before failing */
static atomic_long n_ok = 0;        /* successes since vg_alloc_fail_after */

void
vg_alloc_fail_after(long k)
{
    atomic_store(&n_ok, 0);
    atomic_store(&fail_after, k < 0 ? -1 : k);
}

long
vg_alloc_count(void)
{
    return atomic_load(&n_ok);
}

/* 1 when the seam says this allocation must fail. */
static int
inject_fail(void)
{
    long k = atomic_load(&fail_after);

    return k >= 0 && atomic_load(&n_ok) >= k;
}

static void *
counted(void *p)
{
    if (p != NULL) {
        atomic_fetch_add(&n_ok, 1);
    }
    return p;
}

void *
vg_malloc(size_t n)
{
    if (inject_fail()) {
        return NULL;
    }
    /* malloc(0) may return NULL, which callers would read as OOM. */
    return counted(malloc(n != 0 ? n : 1));
}

void *
vg_calloc(size_t n, size_t size)
{
    size_t total;

    if (!vg_mul_ok(n, size, &total) || inject_fail()) {
        return NULL;
    }
    return counted(calloc(total != 0 ? n : 1, total != 0 ? size : 1));
}

void *
vg_realloc(void *p, size_t n)
{
    if (inject_fail()) {
        return NULL;
    }
    return counted(realloc(p, n != 0 ? n : 1));
}

void *
vg_reallocarray(void *p, size_t n, size_t size)
{
    size_t total;

    if (!vg_mul_ok(n, size, &total)) {
        return NULL;
    }
    return vg_realloc(p, total);
}

void
vg_free(void *p)
{
    free(p);
}

char *
vg_strndup(const char *s, size_t n)
{
    size_t len = 0;
    char *d;

    while (len < n && s[len] != '\0') {
        len++;
    }
    d = vg_malloc(len + 1);
    if (d != NULL) {
        memcpy(d, s, len);
        d[len] = '\0';
    }
    return d;
}

char *
vg_strdup(const char *s)
{
    return vg_strndup(s, strlen(s));
}
