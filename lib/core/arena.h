/* SPDX-License-Identifier: Apache-2.0 */
/*
 * arena.h - capped bump allocator for allocations that die together (one
 * EVTX record, one compiled rule set). Blocks are chained; reset keeps the
 * first block for reuse. With VG_ARENA_DEBUG every allocation is its own
 * malloc so ASan sees overflows a bump allocator would hide.
 * Single owner, not thread-safe.
 */
#ifndef VG_CORE_ARENA_H
#define VG_CORE_ARENA_H

#include <stddef.h>

#include "vigil/compiler.h"

struct vg_arena_block;

struct vg_arena {
    struct vg_arena_block *head;  /* newest block */
    struct vg_arena_block *spare; /* blocks kept by reset for reuse */
    size_t                 used;  /* bytes handed out since init/reset */
    size_t                 max;   /* cap on used; past it: VG_ELIMIT */
    size_t                 block; /* default block size */
};

void vg_arena_init(struct vg_arena *a, size_t block_size, size_t max);
void vg_arena_fini(struct vg_arena *a);
/* Forget every allocation; keeps the blocks for reuse (no malloc/free
 * and no fresh pages per record: a reader resets once per record). */
void vg_arena_reset(struct vg_arena *a);
/* n bytes aligned to 16; VG_OK, VG_ELIMIT or VG_ENOMEM; *out NULL on error. */
VG_NODISCARD int vg_arena_alloc(struct vg_arena *a, size_t n, void **out);
/* Copy n bytes plus a NUL. */
VG_NODISCARD int vg_arena_strndup(struct vg_arena *a, const char *s, size_t n,
                                  char **out);

#endif
