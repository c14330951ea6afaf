/* SPDX-License-Identifier: Apache-2.0 */
/* test_core_map.c - map put/get/replace, growth, delete with probing runs,
 * iteration, the entry cap, FNV-1a values and OOM torture. */
#include <stdio.h>
#include <string.h>

#include "core/alloc.h"
#include "core/map.h"
#include "vg_test.h"
#include "vigil/err.h"

static int vals[5000];

static size_t
key_of(int i, char *k)
{
    return (size_t)snprintf(k, 16, "key%d", i);
}

static void
t_hash(void)
{
    /* FNV-1a 64 published test vectors. */
    CHECK_EQ_UINT(vg_hash_bytes("", 0), UINT64_C(0xcbf29ce484222325));
    CHECK_EQ_UINT(vg_hash_bytes("a", 1), UINT64_C(0xaf63dc4c8601ec8c));
    CHECK_EQ_UINT(vg_hash_bytes("foobar", 6), UINT64_C(0x85944171f73967e8));
}

static void
t_grow_del(void)
{
    struct vg_map m;
    char k[16];
    int n = 5000;

    vg_map_init(&m, 0);
    CHECK(vg_map_get(&m, "x", 1) == NULL);
    CHECK_EQ_INT(vg_map_del(&m, "x", 1), 0);
    for (int i = 0; i < n; i++) {
        REQUIRE_RC(vg_map_put(&m, k, key_of(i, k), &vals[i]), VG_OK);
    }
    CHECK_EQ_UINT(m.count, 5000);
    CHECK_EQ_UINT(m.cap, 8192);
    int bad = 0;
    for (int i = 0; i < n; i++) {
        bad += vg_map_get(&m, k, key_of(i, k)) != &vals[i];
    }
    CHECK_EQ_INT(bad, 0);
    /* Replace keeps the count. */
    CHECK_RC(vg_map_put(&m, "key7", 4, &vals[0]), VG_OK);
    CHECK(vg_map_get(&m, "key7", 4) == &vals[0]);
    CHECK_EQ_UINT(m.count, 5000);
    /* Delete every third key; the rest must stay reachable. */
    for (int i = 0; i < n; i += 3) {
        bad += vg_map_del(&m, k, key_of(i, k)) != 1;
        bad += vg_map_del(&m, k, key_of(i, k)) != 0;
    }
    CHECK_EQ_INT(bad, 0);
    CHECK_EQ_UINT(m.count, 5000 - 1667);
    for (int i = 0; i < n; i++) {
        void *want = i % 3 == 0 ? NULL : i == 7 ? &vals[0] : &vals[i];
        bad += vg_map_get(&m, k, key_of(i, k)) != want;
    }
    CHECK_EQ_INT(bad, 0);
    /* Iteration sees each remaining entry once. */
    static unsigned char seen[5000];
    size_t iter = 0, klen, visits = 0;
    const void *key;
    void *val;
    memset(seen, 0, sizeof(seen));
    while (vg_map_next(&m, &iter, &key, &klen, &val)) {
        int idx = 0;
        for (size_t c = 3; c < klen; c++) {
            idx = idx * 10 + (((const char *)key)[c] - '0');
        }
        bad += idx % 3 == 0 || seen[idx]++;
        visits++;
    }
    CHECK_EQ_INT(bad, 0);
    CHECK_EQ_UINT(visits, 3333);
    vg_map_fini(&m);
    CHECK_EQ_UINT(m.count, 0);
}

static void
t_binary_keys(void)
{
    struct vg_map m;

    vg_map_init(&m, 10);
    CHECK_RC(vg_map_put(&m, "", 0, &vals[1]), VG_OK);
    CHECK_RC(vg_map_put(&m, "a\0b", 3, &vals[2]), VG_OK);
    CHECK_RC(vg_map_put(&m, "a\0c", 3, &vals[3]), VG_OK);
    CHECK(vg_map_get(&m, "", 0) == &vals[1]);
    CHECK(vg_map_get(&m, "a\0b", 3) == &vals[2]);
    CHECK(vg_map_get(&m, "a\0c", 3) == &vals[3]);
    CHECK(vg_map_get(&m, "a", 1) == NULL);
    CHECK_EQ_INT(vg_map_del(&m, "", 0), 1);
    CHECK(vg_map_get(&m, "", 0) == NULL);
    vg_map_fini(&m);
}

static void
t_cap(void)
{
    struct vg_map m;
    char k[16];

    vg_map_init(&m, 3);
    for (int i = 0; i < 3; i++) {
        CHECK_RC(vg_map_put(&m, k, key_of(i, k), &vals[i]), VG_OK);
    }
    CHECK_RC(vg_map_put(&m, "new", 3, &vals[9]), VG_ELIMIT);
    CHECK(vg_map_get(&m, "new", 3) == NULL);
    CHECK_RC(vg_map_put(&m, "key1", 4, &vals[9]), VG_OK); /* replace ok */
    CHECK_EQ_INT(vg_map_del(&m, "key0", 4), 1);
    CHECK_RC(vg_map_put(&m, "new", 3, &vals[9]), VG_OK);
    CHECK_EQ_UINT(m.count, 3);
    vg_map_fini(&m);
}

static void
t_oom(void)
{
    char k[16];

    for (long f = 0; f < 60; f++) {
        struct vg_map m;
        int rc = VG_OK, i;
        vg_map_init(&m, 0);
        vg_alloc_fail_after(f);
        for (i = 0; i < 100 && rc == VG_OK; i++) {
            rc = vg_map_put(&m, k, key_of(i, k), &vals[i]);
        }
        long used = vg_alloc_count();
        vg_alloc_fail_after(-1);
        if (rc != VG_OK) {
            CHECK_RC(rc, VG_ENOMEM);
            CHECK_EQ_INT(used, f);
            CHECK_EQ_UINT(m.count, (size_t)(i - 1));
            for (int j = 0; j < i - 1; j++) {
                CHECK(vg_map_get(&m, k, key_of(j, k)) == &vals[j]);
            }
        }
        vg_map_fini(&m);
    }
}

static const struct vg_test tests[] = {
    T(t_hash), T(t_grow_del), T(t_binary_keys), T(t_cap), T(t_oom),
};

int
main(int argc, char **argv)
{
    return vg_test_main(argc, argv, tests, VG_ARRAY_LEN(tests));
}
