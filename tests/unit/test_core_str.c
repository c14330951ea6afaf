/* SPDX-License-Identifier: Apache-2.0 */
/* test_core_str.c - vg_strlcpy, vg_parse_u64, ASCII compare, allocation
 * helpers and the fault-injection counter. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/alloc.h"
#include "core/str.h"
#include "vg_test.h"
#include "vigil/err.h"
#include "vigil/vigil.h"

static void
t_strlcpy(void)
{
    char d[6];

    CHECK_EQ_UINT(vg_strlcpy(d, "abc", sizeof(d)), 3);
    CHECK_EQ_STR(d, "abc");
    CHECK_EQ_UINT(vg_strlcpy(d, "abcdefgh", sizeof(d)), 8);
    CHECK_EQ_STR(d, "abcde");
    CHECK_EQ_UINT(vg_strlcpy(d, "xyz", 1), 3);
    CHECK_EQ_STR(d, "");
    d[0] = 'q';
    CHECK_EQ_UINT(vg_strlcpy(d, "xyz", 0), 3);
    CHECK_EQ_INT(d[0], 'q');
}

static void
t_parse_u64(void)
{
    static const struct { const char *s; uint64_t min, max; int rc; uint64_t v; } cases[] = {
        {"0", 0, UINT64_MAX, VG_OK, 0},
        {"42", 0, UINT64_MAX, VG_OK, 42},
        {"0x1F", 0, UINT64_MAX, VG_OK, 31},
        {"0Xff", 0, UINT64_MAX, VG_OK, 255},
        {"18446744073709551615", 0, UINT64_MAX, VG_OK, UINT64_MAX},
        {"18446744073709551616", 0, UINT64_MAX, VG_EINVAL, 0},
        {"0xffffffffffffffff", 0, UINT64_MAX, VG_OK, UINT64_MAX},
        {"0x10000000000000000", 0, UINT64_MAX, VG_EINVAL, 0},
        {"", 0, UINT64_MAX, VG_EINVAL, 0},
        {"0x", 0, UINT64_MAX, VG_EINVAL, 0},
        {"-1", 0, UINT64_MAX, VG_EINVAL, 0},
        {"+1", 0, UINT64_MAX, VG_EINVAL, 0},
        {" 1", 0, UINT64_MAX, VG_EINVAL, 0},
        {"1 ", 0, UINT64_MAX, VG_EINVAL, 0},
        {"12a", 0, UINT64_MAX, VG_EINVAL, 0},
        {"ff", 0, UINT64_MAX, VG_EINVAL, 0},
        {"5", 5, 10, VG_OK, 5},
        {"10", 5, 10, VG_OK, 10},
        {"4", 5, 10, VG_EINVAL, 0},
        {"11", 5, 10, VG_EINVAL, 0},
        {"007", 0, 10, VG_OK, 7},
    };
    for (size_t i = 0; i < VG_ARRAY_LEN(cases); i++) {
        uint64_t v = 99;
        CHECK_RC(vg_parse_u64(cases[i].s, strlen(cases[i].s), cases[i].min,
                              cases[i].max, &v), cases[i].rc);
        CHECK_EQ_UINT(v, cases[i].v);
    }
    uint64_t v = 1;
    /* Only the first n bytes count: "123" of "1234". */
    CHECK_RC(vg_parse_u64("1234", 3, 0, UINT64_MAX, &v), VG_OK);
    CHECK_EQ_UINT(v, 123);
}

static void
t_ascii(void)
{
    CHECK_EQ_INT(vg_ascii_ieq("AnyDesk", "anydESK", 7), 1);
    CHECK_EQ_INT(vg_ascii_ieq("AnyDesk", "anydESX", 7), 0);
    CHECK_EQ_INT(vg_ascii_ieq("\xc3\x89", "\xc3\xa9", 2), 0); /* ASCII only */
    CHECK_EQ_INT(vg_ascii_ieq("a", "b", 0), 1);
    CHECK_EQ_INT(vg_ascii_lower('Z'), 'z');
    CHECK_EQ_INT(vg_ascii_lower('['), '[');
    CHECK_EQ_INT(vg_ascii_lower('@'), '@');
}

static void
t_alloc(void)
{
    char *s = vg_strdup("hello");
    CHECK_EQ_STR(s, "hello");
    vg_free(s);
    s = vg_strndup("hello", 3);
    CHECK_EQ_STR(s, "hel");
    vg_free(s);
    s = vg_strndup("hi", 10);
    CHECK_EQ_STR(s, "hi");
    vg_free(s);
    CHECK(vg_reallocarray(NULL, SIZE_MAX / 2, 3) == NULL);
    CHECK(vg_calloc(SIZE_MAX / 2, 3) == NULL);
    void *p = vg_malloc(0);
    CHECK(p != NULL);
    vg_free(p);
    size_t r;
    CHECK_EQ_INT(vg_mul_ok(SIZE_MAX, 2, &r), 0);
    CHECK_EQ_INT(vg_add_ok(SIZE_MAX, 1, &r), 0);
    CHECK_EQ_INT(vg_add_ok(1, 2, &r), 1);
    CHECK_EQ_UINT(r, 3);
}

static void
t_fail_after(void)
{
    void *p[4];

    vg_alloc_fail_after(2);
    p[0] = vg_malloc(8);
    p[1] = vg_calloc(1, 8);
    p[2] = vg_malloc(8);
    p[3] = vg_strdup("x");
    CHECK(p[0] != NULL);
    CHECK(p[1] != NULL);
    CHECK(p[2] == NULL);
    CHECK(p[3] == NULL);
    CHECK_EQ_INT(vg_alloc_count(), 2);
    void *q = vg_realloc(p[0], 64);
    CHECK(q == NULL); /* p[0] untouched */
    vg_alloc_fail_after(-1);
    CHECK_EQ_INT(vg_alloc_count(), 0);
    q = vg_realloc(p[0], 64);
    CHECK(q != NULL);
    CHECK_EQ_INT(vg_alloc_count(), 1);
    vg_free(q);
    vg_free(p[1]);
}

static void
t_version(void)
{
    CHECK_EQ_STR(vg_version(), "0.1.0");
}

static const struct vg_test tests[] = {
    T(t_strlcpy), T(t_parse_u64), T(t_ascii), T(t_alloc), T(t_fail_after),
    T(t_version),
};

int
main(int argc, char **argv)
{
    return vg_test_main(argc, argv, tests, VG_ARRAY_LEN(tests));
}
