/* SPDX-License-Identifier: Apache-2.0 */
/*
 * arena.c - capped bump allocator over a chain of malloc'd blocks. With
 * VG_ARENA_DEBUG each allocation is its own exactly-sized block (so ASan
 * sees overflows) and reset frees everything. No per-allocation free.
 */
#include <stdint.h>
#include <string.h>

#include "core/alloc.h"
#include "core/arena.h"
#include "vigil/err.h"

#include "core/banned.h"

#define ALIGN 16u

struct vg_arena_block {
    struct vg_arena_block *next;
    size_t                 size; /* usable bytes after the header */
    size_t                 off;  /* bytes used */
};

/* Header rounded up so the data after it is 16-aligned. */
#define HDR ((sizeof(struct vg_arena_block) + ALIGN - 1) & ~(size_t)(ALIGN - 1))

static unsigned char *
block_data(struct vg_arena_block *b)
{
    return (unsigned char *)b + HDR;
}

void
vg_arena_init(struct vg_arena *a, size_t block_size, size_t max)
{
    a->head = NULL;
    a->spare = NULL;
    a->used = 0;
    a->max = max;
    a->block = block_size != 0 ? block_size : 4096;
}

static void
free_chain(struct vg_arena_block *b)
{
    while (b != NULL) {
        struct vg_arena_block *next = b->next;
        vg_free(b);
        b = next;
    }
}

void
vg_arena_fini(struct vg_arena *a)
{
    free_chain(a->head);
    free_chain(a->spare);
    a->head = NULL;
    a->spare = NULL;
    a->used = 0;
}

void
vg_arena_reset(struct vg_arena *a)
{
#ifdef VG_ARENA_DEBUG
    vg_arena_fini(a);
#else
    if (a->head != NULL) {
        /* the newest block stays in use; the others wait in spare */
        struct vg_arena_block *b = a->head->next;
        while (b != NULL) {
            struct vg_arena_block *next = b->next;
            b->next = a->spare;
            a->spare = b;
            b = next;
        }
        a->head->next = NULL;
        a->head->off = 0;
    }
    a->used = 0;
#endif
}

static struct vg_arena_block *
new_block(struct vg_arena *a, size_t size)
{
    struct vg_arena_block *b, **pp;

    for (pp = &a->spare; *pp != NULL; pp = &(*pp)->next) {
        if ((*pp)->size >= size) { /* reuse a block kept by reset */
            b = *pp;
            *pp = b->next;
            b->next = a->head;
            b->off = 0;
            a->head = b;
            return b;
        }
    }
    if (size > SIZE_MAX - HDR || (b = vg_malloc(HDR + size)) == NULL) {
        return NULL;
    }
    b->next = a->head;
    b->size = size;
    b->off = 0;
    a->head = b;
    return b;
}

int
vg_arena_alloc(struct vg_arena *a, size_t n, void **out)
{
    struct vg_arena_block *b = a->head;
    size_t rounded;

    *out = NULL;
    if (n == 0) {
        n = 1;
    }
    if (n > SIZE_MAX - ALIGN) {
        return VG_ELIMIT;
    }
    rounded = (n + ALIGN - 1) & ~(size_t)(ALIGN - 1);
    if (rounded > a->max - a->used || a->used > a->max) {
        return VG_ELIMIT;
    }
#ifdef VG_ARENA_DEBUG
    b = new_block(a, n);
    if (b == NULL) {
        return VG_ENOMEM;
    }
#else
    if (b == NULL || b->size - b->off < rounded) {
        b = new_block(a, rounded > a->block ? rounded : a->block);
        if (b == NULL) {
            return VG_ENOMEM;
        }
    }
#endif
    *out = block_data(b) + b->off;
    b->off += rounded < b->size - b->off ? rounded : b->size - b->off;
    a->used += rounded;
    return VG_OK;
}

int
vg_arena_strndup(struct vg_arena *a, const char *s, size_t n, char **out)
{
    void *p;
    int rc;

    *out = NULL;
    if (n == SIZE_MAX) {
        return VG_ELIMIT;
    }
    rc = vg_arena_alloc(a, n + 1, &p);
    if (rc != VG_OK) {
        return rc;
    }
    if (n > 0) {
        memcpy(p, s, n);
    }
    ((char *)p)[n] = '\0';
    *out = p;
    return VG_OK;
}
