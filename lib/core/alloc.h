/* SPDX-License-Identifier: Apache-2.0 */
/*
 * alloc.h - overflow-checked allocation helpers and a fault-injection seam.
 * vg_malloc & co. behave like malloc & co.; tests call vg_alloc_fail_after(k)
 * to make the k-th following allocation (and all after it) fail, which is how
 * every loader is checked to return VG_ENOMEM without crashing or leaking.
 * The seam is a process-wide atomic counter: a test-only switch, off (-1) in
 * every program.
 */
#ifndef VG_CORE_ALLOC_H
#define VG_CORE_ALLOC_H

#include <stddef.h>

#include "vigil/compiler.h"

void *vg_malloc(size_t n);
void *vg_calloc(size_t n, size_t size);
void *vg_realloc(void *p, size_t n);
/* realloc(p, n * size) that fails (NULL, p untouched) on overflow. */
void *vg_reallocarray(void *p, size_t n, size_t size);
void vg_free(void *p);
char *vg_strndup(const char *s, size_t n);
char *vg_strdup(const char *s);

/* Test seam: fail allocations once k more have succeeded; k < 0 disables. */
VG_API void vg_alloc_fail_after(long k);
/* Allocations that succeeded since the last vg_alloc_fail_after() call. */
VG_API long vg_alloc_count(void);

static inline int
vg_mul_ok(size_t a, size_t b, size_t *out)
{
    return !__builtin_mul_overflow(a, b, out);
}
static inline int
vg_add_ok(size_t a, size_t b, size_t *out)
{
    return !__builtin_add_overflow(a, b, out);
}

#endif
