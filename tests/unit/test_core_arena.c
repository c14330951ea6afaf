/* SPDX-License-Identifier: Apache-2.0 */
/* test_core_arena.c - arena alignment, block chaining, cap, reset, strndup
 * and OOM torture. Also runs unchanged in VG_ARENA_DEBUG builds. */
#include <stdint.h>
#include <string.h>

#include "core/alloc.h"
#include "core/arena.h"
#include "vg_test.h"
#include "vigil/err.h"

static void
t_alloc(void)
{
    struct vg_arena a;
    void *p[100];

    vg_arena_init(&a, 256, 1 << 20);
    for (size_t i = 0; i < VG_ARRAY_LEN(p); i++) {
        REQUIRE_RC(vg_arena_alloc(&a, i + 1, &p[i]), VG_OK);
        CHECK_EQ_UINT((uintptr_t)p[i] % 16, 0);
        memset(p[i], (int)i, i + 1);
    }
    /* Nothing overlapped. */
    for (size_t i = 0; i < VG_ARRAY_LEN(p); i++) {
        const unsigned char *c = p[i];
        for (size_t k = 0; k <= i; k++) {
            CHECK_EQ_UINT(c[k], i);
        }
    }
    size_t want = 0;
    for (size_t i = 1; i <= 100; i++) {
        want += (i + 15) / 16 * 16;
    }
    CHECK_EQ_UINT(a.used, want);
    /* Bigger than a block gets its own block. */
    void *big;
    CHECK_RC(vg_arena_alloc(&a, 1000, &big), VG_OK);
    memset(big, 0xab, 1000);
    vg_arena_reset(&a);
    CHECK_EQ_UINT(a.used, 0);
    CHECK_RC(vg_arena_alloc(&a, 10, &p[0]), VG_OK);
    vg_arena_fini(&a);
    CHECK(a.head == NULL);
}

static void
t_cap(void)
{
    struct vg_arena a;
    void *p = &a;

    vg_arena_init(&a, 64, 64);
    CHECK_RC(vg_arena_alloc(&a, 48, &p), VG_OK);
    CHECK_RC(vg_arena_alloc(&a, 16, &p), VG_OK);
    CHECK_EQ_UINT(a.used, 64);
    CHECK_RC(vg_arena_alloc(&a, 1, &p), VG_ELIMIT);
    CHECK(p == NULL);
    CHECK_EQ_UINT(a.used, 64);
    vg_arena_reset(&a);
    CHECK_RC(vg_arena_alloc(&a, 64, &p), VG_OK);
    vg_arena_reset(&a);
    CHECK_RC(vg_arena_alloc(&a, 65, &p), VG_ELIMIT);
    CHECK_RC(vg_arena_alloc(&a, SIZE_MAX, &p), VG_ELIMIT);
    CHECK_RC(vg_arena_alloc(&a, SIZE_MAX - 8, &p), VG_ELIMIT);
    vg_arena_fini(&a);
}

/* reset keeps its blocks: the same allocations after a reset come from the
 * same memory (no malloc per record in the EVTX reader). With
 * VG_ARENA_DEBUG every allocation is its own block and reset frees all. */
static void
t_reuse(void)
{
#ifndef VG_ARENA_DEBUG
    struct vg_arena a;
    void *p[3], *q[3];
    vg_arena_init(&a, 256, 1 << 20);
    for (int i = 0; i < 3; i++) {
        REQUIRE_RC(vg_arena_alloc(&a, 200, &p[i]), VG_OK); /* a block each */
    }
    for (int round = 0; round < 2; round++) {
        vg_arena_reset(&a);
        CHECK_EQ_UINT(a.used, 0);
        CHECK(a.spare != NULL); /* the older blocks wait there */
        for (int i = 0; i < 3; i++) {
            REQUIRE_RC(vg_arena_alloc(&a, 200, &q[i]), VG_OK);
            CHECK(q[i] == p[0] || q[i] == p[1] || q[i] == p[2]);
        }
        CHECK(q[0] != q[1] && q[1] != q[2] && q[0] != q[2]);
    }
    /* a larger request than any kept block gets a new one */
    vg_arena_reset(&a);
    void *big;
    REQUIRE_RC(vg_arena_alloc(&a, 4000, &big), VG_OK);
    CHECK(big != p[0] && big != p[1] && big != p[2]);
    vg_arena_fini(&a);
    CHECK(a.head == NULL && a.spare == NULL);
#endif
}

static void
t_strndup(void)
{
    struct vg_arena a;
    char *s = NULL;

    vg_arena_init(&a, 0, 1024);
    CHECK_RC(vg_arena_strndup(&a, "hello world", 5, &s), VG_OK);
    CHECK_EQ_STR(s, "hello");
    CHECK_RC(vg_arena_strndup(&a, NULL, 0, &s), VG_OK);
    CHECK_EQ_STR(s, "");
    CHECK_RC(vg_arena_strndup(&a, "x", SIZE_MAX, &s), VG_ELIMIT);
    CHECK(s == NULL);
    vg_arena_fini(&a);
}

static void
t_oom(void)
{
    for (long k = 0; k < 12; k++) {
        struct vg_arena a;
        int rc = VG_OK;
        int i;
        void *p;
        vg_arena_init(&a, 128, 1 << 20);
        vg_alloc_fail_after(k);
        for (i = 0; i < 40 && rc == VG_OK; i++) {
            rc = vg_arena_alloc(&a, 50, &p);
        }
        long used = vg_alloc_count();
        vg_alloc_fail_after(-1);
        if (rc != VG_OK) {
            CHECK_RC(rc, VG_ENOMEM);
            CHECK(p == NULL);
            CHECK_EQ_INT(used, k);
            CHECK_EQ_UINT(a.used, (size_t)(i - 1) * 64);
        }
        vg_arena_fini(&a);
    }
}

static const struct vg_test tests[] = {
    T(t_alloc), T(t_cap), T(t_reuse), T(t_strndup), T(t_oom),
};

int
main(int argc, char **argv)
{
    return vg_test_main(argc, argv, tests, VG_ARRAY_LEN(tests));
}
