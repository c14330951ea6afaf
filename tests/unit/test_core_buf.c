/* SPDX-License-Identifier: Apache-2.0 */
/* test_core_buf.c - vg_buf growth, hard max, unchanged-on-failure, take,
 * printf, and OOM torture through vg_alloc_fail_after. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/alloc.h"
#include "vg_test.h"
#include "vigil/buf.h"
#include "vigil/err.h"

static void
t_basic(void)
{
    struct vg_buf b;

    vg_buf_init(&b, 100);
    CHECK(b.data == NULL);
    CHECK_EQ_UINT(b.len, 0);
    CHECK_RC(vg_buf_adds(&b, "abc"), VG_OK);
    CHECK_RC(vg_buf_addc(&b, 'd'), VG_OK);
    CHECK_RC(vg_buf_add(&b, "ef\0g", 4), VG_OK);
    CHECK_EQ_UINT(b.len, 8);
    CHECK_EQ_MEM(b.data, b.len, "abcdef\0g", 8);
    CHECK_EQ_INT(b.data[8], '\0');
    vg_buf_truncate(&b, 3);
    CHECK_EQ_STR(b.data, "abc");
    vg_buf_truncate(&b, 10); /* longer: no-op */
    CHECK_EQ_UINT(b.len, 3);
    vg_buf_reset(&b);
    CHECK_EQ_UINT(b.len, 0);
    CHECK_EQ_STR(b.data, "");
    CHECK(b.cap > 0);
    vg_buf_fini(&b);
    CHECK(b.data == NULL);
    CHECK_EQ_UINT(b.cap, 0);
    CHECK_EQ_UINT(b.max, 100);
    /* Empty append still gives a NUL-terminated buffer. */
    CHECK_RC(vg_buf_add(&b, "", 0), VG_OK);
    CHECK_EQ_STR(b.data, "");
    vg_buf_fini(&b);
}

static void
t_limit(void)
{
    static const size_t maxes[] = {0, 1, 31, 32, 33, 64, 100, 1000};
    char src[1001];

    memset(src, 'a', sizeof(src));
    for (size_t i = 0; i < VG_ARRAY_LEN(maxes); i++) {
        size_t max = maxes[i];
        struct vg_buf b;
        vg_buf_init(&b, max);
        /* exactly max: ok */
        CHECK_RC(vg_buf_add(&b, src, max), VG_OK);
        CHECK_EQ_UINT(b.len, max);
        CHECK(b.cap <= max + 1);
        CHECK_EQ_INT(b.data[max], '\0');
        char *before = b.data;
        size_t cap = b.cap;
        /* max + 1: ELIMIT, unchanged */
        CHECK_RC(vg_buf_addc(&b, 'z'), VG_ELIMIT);
        CHECK_RC(vg_buf_printf(&b, "%d", 1), VG_ELIMIT);
        CHECK_RC(vg_buf_reserve(&b, 1), VG_ELIMIT);
        CHECK(b.data == before);
        CHECK_EQ_UINT(b.cap, cap);
        CHECK_EQ_UINT(b.len, max);
        CHECK_EQ_INT(b.data[max], '\0');
        CHECK_EQ_UINT(strspn(b.data, "a"), max);
        vg_buf_fini(&b);
        /* one append of max + 1 at once also fails and allocates nothing */
        vg_buf_init(&b, max);
        CHECK_RC(vg_buf_add(&b, src, max + 1), VG_ELIMIT);
        CHECK(b.data == NULL);
        CHECK_RC(vg_buf_add(&b, src, SIZE_MAX), VG_ELIMIT);
        vg_buf_fini(&b);
    }
}

static void
t_growth(void)
{
    struct vg_buf b;

    vg_buf_init(&b, 1000);
    CHECK_RC(vg_buf_addc(&b, 'x'), VG_OK);
    CHECK_EQ_UINT(b.cap, 32);
    CHECK_RC(vg_buf_reserve(&b, 40), VG_OK);
    CHECK_EQ_UINT(b.cap, 64);
    CHECK_EQ_UINT(b.len, 1);
    CHECK_RC(vg_buf_reserve(&b, 900), VG_OK);
    CHECK_EQ_UINT(b.cap, 1001); /* 1024 capped at max + 1 */
    vg_buf_fini(&b);
}

static void
t_printf(void)
{
    struct vg_buf b;

    vg_buf_init(&b, 20);
    CHECK_RC(vg_buf_printf(&b, "%s=%d", "n", 42), VG_OK);
    CHECK_RC(vg_buf_printf(&b, ";%05u", 7u), VG_OK);
    CHECK_EQ_STR(b.data, "n=42;00007");
    CHECK_RC(vg_buf_printf(&b, "%s", "0123456789X"), VG_ELIMIT);
    CHECK_EQ_STR(b.data, "n=42;00007");
    CHECK_RC(vg_buf_printf(&b, "%s", "0123456789"), VG_OK);
    CHECK_EQ_UINT(b.len, 20);
    vg_buf_fini(&b);
}

static void
t_take(void)
{
    struct vg_buf b;
    char *s;

    vg_buf_init(&b, 10);
    s = vg_buf_take(&b);
    CHECK_EQ_STR(s, "");
    free(s);
    CHECK_RC(vg_buf_adds(&b, "hi"), VG_OK);
    s = vg_buf_take(&b);
    CHECK_EQ_STR(s, "hi");
    free(s);
    CHECK(b.data == NULL);
    CHECK_EQ_UINT(b.len, 0);
    CHECK_EQ_UINT(b.max, 10);
    vg_buf_fini(&b);
}

/* Every allocation point fails once: VG_ENOMEM, buffer intact, no leak. */
static void
t_oom(void)
{
    for (long k = 0; k < 20; k++) {
        struct vg_buf b;
        int rc = VG_OK;
        size_t i;
        vg_buf_init(&b, 4096);
        vg_alloc_fail_after(k);
        for (i = 0; i < 300 && rc == VG_OK; i++) {
            rc = vg_buf_printf(&b, "%03zu", i % 1000);
        }
        long used = vg_alloc_count();
        vg_alloc_fail_after(-1);
        if (rc == VG_OK) {
            CHECK(used <= k);
        } else {
            CHECK_RC(rc, VG_ENOMEM);
            CHECK_EQ_INT(used, k);
            CHECK_EQ_UINT(b.len, 3 * (i - 1));
            if (b.data != NULL) {
                CHECK_EQ_INT(b.data[b.len], '\0');
            }
        }
        vg_buf_fini(&b);
    }
    /* take of an empty buffer under OOM */
    struct vg_buf e;
    vg_buf_init(&e, 1);
    vg_alloc_fail_after(0);
    CHECK(vg_buf_take(&e) == NULL);
    vg_alloc_fail_after(-1);
}

static void
t_decimal(void)
{
    static const struct { uint64_t v; const char *want; } rows[] = {
        {0, "0"}, {7, "7"}, {10, "10"}, {4294967296u, "4294967296"},
        {UINT64_MAX, "18446744073709551615"},
    };
    for (size_t i = 0; i < VG_ARRAY_LEN(rows); i++) {
        char out[VG_U64_DEC_MAX + 1];
        memset(out, 'x', sizeof(out));
        size_t n = vg_u64_dec(out, rows[i].v);
        CHECK_EQ_INT(n, strlen(rows[i].want));
        CHECK_EQ_INT(out[n], 'x'); /* no NUL, nothing past the digits */
        out[n] = '\0';
        CHECK_EQ_STR(out, rows[i].want);
    }
    char f[8] = "xxxxxxx";
    vg_dec_fixed(f, 42, 4);
    CHECK_EQ_STR(f, "0042xxx");
    vg_dec_fixed(f, 1234567, 3); /* the low digits */
    CHECK_EQ_STR(f, "5672xxx");
    vg_dec_fixed(f, 9, 0);
    CHECK_EQ_STR(f, "5672xxx");
}

static const struct vg_test tests[] = {
    T(t_basic), T(t_limit), T(t_growth), T(t_printf), T(t_take), T(t_oom),
    T(t_decimal),
};

int
main(int argc, char **argv)
{
    return vg_test_main(argc, argv, tests, VG_ARRAY_LEN(tests));
}
