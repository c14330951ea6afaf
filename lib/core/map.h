/* SPDX-License-Identifier: Apache-2.0 */
/*
 * map.h - hash map from byte-string keys to pointers, open addressing with
 * linear probing, FNV-1a hashing, a cap on entries. Keys are copied into the
 * map; values are borrowed (the map never frees them).
 * Single owner while building; safe to read from many threads once built.
 */
#ifndef VG_CORE_MAP_H
#define VG_CORE_MAP_H

#include <stddef.h>
#include <stdint.h>

#include "vigil/compiler.h"

struct vg_map_slot;

struct vg_map {
    struct vg_map_slot *slots;
    size_t              cap;   /* slots, a power of two (0 before first put) */
    size_t              count; /* entries */
    size_t              max;   /* cap on entries; past it: VG_ELIMIT */
};

/* max_entries 0 means VG_MAX_MAP_ENTRIES (core/limits.h). */
void vg_map_init(struct vg_map *m, size_t max_entries);
void vg_map_fini(struct vg_map *m);
/* Insert or replace. VG_OK, VG_ELIMIT, VG_ENOMEM. */
VG_NODISCARD int vg_map_put(struct vg_map *m, const void *key, size_t klen,
                            void *value);
/* The value, or NULL when absent. */
void *vg_map_get(const struct vg_map *m, const void *key, size_t klen);
/* 1 if the key was there and is removed, 0 if absent. */
int vg_map_del(struct vg_map *m, const void *key, size_t klen);
uint64_t vg_hash_bytes(const void *p, size_t n);
/* Walk all entries: *iter starts at 0; returns 1 with key/value, 0 at end. */
int vg_map_next(const struct vg_map *m, size_t *iter, const void **key,
                size_t *klen, void **value);

#endif
