/* SPDX-License-Identifier: Apache-2.0 */
/* test_core_time.c - FILETIME extremes, SYSTEMTIME validation, ISO 8601
 * formatting with clamping, parsing forms, civil-date arithmetic. */
#include <string.h>

#include "vg_test.h"
#include "vigil/err.h"
#include "vigil/finding.h"
#include "vigil/time.h"

static void
t_filetime(void)
{
    static const struct { uint64_t ft; int64_t us; const char *iso; int rc; } cases[] = {
        {0, INT64_C(-11644473600000000), "1601-01-01T00:00:00.000000Z", VG_OK},
        {UINT64_C(116444736000000000), 0, "1970-01-01T00:00:00.000000Z", VG_OK},
        {UINT64_C(116444736000000009), 0, "1970-01-01T00:00:00.000000Z", VG_OK},
        {UINT64_C(116444736000000010), 1, "1970-01-01T00:00:00.000001Z", VG_OK},
        {UINT64_C(133436907091234560), INT64_C(1699217109123456),
         "2023-11-05T20:45:09.123456Z", VG_OK},
        /* 9999-12-31T23:59:59.9999999 */
        {UINT64_C(2650467743999999999), INT64_C(253402300799999999),
         "9999-12-31T23:59:59.999999Z", VG_OK},
        {UINT64_C(2650467744000000000), INT64_C(253402300800000000),
         "9999-12-31T23:59:59.999999Z", VG_ELIMIT},
        {UINT64_MAX, 0 /* checked below */, "9999-12-31T23:59:59.999999Z", VG_ELIMIT},
    };
    char out[VG_ISO_TIME_LEN];

    for (size_t i = 0; i < VG_ARRAY_LEN(cases); i++) {
        int64_t us = vg_filetime_to_us(cases[i].ft);
        if (cases[i].ft != UINT64_MAX) {
            CHECK_EQ_INT(us, cases[i].us);
        }
        CHECK_RC(vg_time_format(us, out), cases[i].rc);
        CHECK_EQ_STR(out, cases[i].iso);
    }
    /* UINT64_MAX: 1844674407370955161 us after 1601 -> year 60056. */
    int64_t us = vg_filetime_to_us(UINT64_MAX);
    CHECK_EQ_INT(us, INT64_C(1844674407370955161) - INT64_C(11644473600000000));
    int64_t days = us / (INT64_C(86400) * 1000000);
    CHECK_EQ_INT(days, 21215624);
    CHECK(days >= vg_days_from_civil(60056, 1, 1));
    CHECK(days < vg_days_from_civil(60057, 1, 1));
}

static void
t_format(void)
{
    static const struct { int64_t us; const char *want; int rc; } cases[] = {
        {VG_TIME_NONE, "", VG_OK},
        {-1, "1969-12-31T23:59:59.999999Z", VG_OK},
        {INT64_C(951782400000000), "2000-02-29T00:00:00.000000Z", VG_OK},
        {INT64_C(-62167219200000000), "0000-01-01T00:00:00.000000Z", VG_OK},
        {INT64_C(-62167219200000001), "0000-01-01T00:00:00.000000Z", VG_ELIMIT},
        {INT64_MIN + 1, "0000-01-01T00:00:00.000000Z", VG_ELIMIT},
        {INT64_MAX, "9999-12-31T23:59:59.999999Z", VG_ELIMIT},
    };
    char out[VG_ISO_TIME_LEN];

    for (size_t i = 0; i < VG_ARRAY_LEN(cases); i++) {
        CHECK_RC(vg_time_format(cases[i].us, out), cases[i].rc);
        CHECK_EQ_STR(out, cases[i].want);
    }
}

static void
st_pack(uint8_t st[16], const unsigned f[8])
{
    for (size_t i = 0; i < 8; i++) {
        st[2 * i] = (uint8_t)(f[i] & 0xff);
        st[2 * i + 1] = (uint8_t)(f[i] >> 8);
    }
}

static void
t_systemtime(void)
{
    static const struct { unsigned f[8]; int rc; int64_t us; } cases[] = {
        {{2023, 11, 4, 2, 14, 5, 9, 123}, VG_OK, INT64_C(1698933909123000)},
        {{1601, 1, 1, 1, 0, 0, 0, 0}, VG_OK, INT64_C(-11644473600000000)},
        {{30827, 12, 0, 31, 23, 59, 59, 999}, VG_OK, INT64_C(910670515199999000)},
        {{2024, 2, 4, 29, 0, 0, 0, 0}, VG_OK, INT64_C(1709164800000000)},
        {{2023, 2, 3, 29, 0, 0, 0, 0}, VG_EFORMAT, 0},
        {{1600, 1, 0, 1, 0, 0, 0, 0}, VG_EFORMAT, 0},
        {{30828, 1, 0, 1, 0, 0, 0, 0}, VG_EFORMAT, 0},
        {{2023, 0, 0, 1, 0, 0, 0, 0}, VG_EFORMAT, 0},
        {{2023, 13, 0, 1, 0, 0, 0, 0}, VG_EFORMAT, 0},
        {{2023, 1, 7, 1, 0, 0, 0, 0}, VG_EFORMAT, 0},
        {{2023, 1, 0, 0, 0, 0, 0, 0}, VG_EFORMAT, 0},
        {{2023, 1, 0, 32, 0, 0, 0, 0}, VG_EFORMAT, 0},
        {{2023, 4, 0, 31, 0, 0, 0, 0}, VG_EFORMAT, 0},
        {{2023, 1, 0, 1, 24, 0, 0, 0}, VG_EFORMAT, 0},
        {{2023, 1, 0, 1, 0, 60, 0, 0}, VG_EFORMAT, 0},
        {{2023, 1, 0, 1, 0, 0, 60, 0}, VG_EFORMAT, 0},
        {{2023, 1, 0, 1, 0, 0, 0, 1000}, VG_EFORMAT, 0},
        {{0xffff, 0xffff, 0xffff, 0xffff, 0xffff, 0xffff, 0xffff, 0xffff},
         VG_EFORMAT, 0},
    };
    for (size_t i = 0; i < VG_ARRAY_LEN(cases); i++) {
        uint8_t st[16];
        int64_t us = 77;
        st_pack(st, cases[i].f);
        CHECK_RC(vg_systemtime_to_us(st, &us), cases[i].rc);
        CHECK_EQ_INT(us, cases[i].us);
    }
}

static void
t_parse(void)
{
    static const struct { const char *s; int rc; int64_t us; } cases[] = {
        {"1970-01-01", VG_OK, 0},
        {"2023-11-02", VG_OK, INT64_C(1698883200000000)},
        {"2023-11-02T14:05", VG_OK, INT64_C(1698933900000000)},
        {"2023-11-02 14:05:09", VG_OK, INT64_C(1698933909000000)},
        {"2023-11-02T14:05:09Z", VG_OK, INT64_C(1698933909000000)},
        {"2023-11-02T14:05:09.123456Z", VG_OK, INT64_C(1698933909123456)},
        {"2023-11-02T14:05:09.1Z", VG_OK, INT64_C(1698933909100000)},
        {"2023-11-02T14:05:09.1234567", VG_OK, INT64_C(1698933909123456)},
        {"2023-11-02T16:05:09+02:00", VG_OK, INT64_C(1698933909000000)},
        {"2023-11-02T09:35:09-04:30", VG_OK, INT64_C(1698933909000000)},
        {"2023-11-02T14:05Z", VG_OK, INT64_C(1698933900000000)},
        {"0000-01-01", VG_OK, INT64_C(-62167219200000000)},
        {"9999-12-31T23:59:59.999999Z", VG_OK, INT64_C(253402300799999999)},
        {"2024-02-29", VG_OK, INT64_C(1709164800000000)},
        {"", VG_EINVAL, 0},
        {"2023", VG_EINVAL, 0},
        {"2023-11", VG_EINVAL, 0},
        {"2023-13-01", VG_EINVAL, 0},
        {"2023-00-01", VG_EINVAL, 0},
        {"2023-02-29", VG_EINVAL, 0},
        {"2023-11-31", VG_EINVAL, 0},
        {"2023-11-00", VG_EINVAL, 0},
        {"2023-11-02T", VG_EINVAL, 0},
        {"2023-11-02T24:00", VG_EINVAL, 0},
        {"2023-11-02T14:60", VG_EINVAL, 0},
        {"2023-11-02T14:05:60", VG_EINVAL, 0},
        {"2023-11-02T14:05:09.", VG_EINVAL, 0},
        {"2023-11-02T14:05:09.12a", VG_EINVAL, 0},
        {"2023-11-02T14:05:09+0200", VG_EINVAL, 0},
        {"2023-11-02T14:05:09+24:00", VG_EINVAL, 0},
        {"2023-11-02T14:05:09Zx", VG_EINVAL, 0},
        {"2023-11-02x", VG_EINVAL, 0},
        {"2023-11-02Z", VG_EINVAL, 0},
        {"2023-1-02", VG_EINVAL, 0},
        {"+2023-11-02", VG_EINVAL, 0},
        {"2023-11-02T1:05", VG_EINVAL, 0},
    };
    for (size_t i = 0; i < VG_ARRAY_LEN(cases); i++) {
        int64_t us = 77;
        if (CHECK_RC(vg_time_parse(cases[i].s, &us), cases[i].rc) == 0) {
            CHECK_EQ_STR(cases[i].s, "(the case above)");
        }
        CHECK_EQ_INT(us, cases[i].us);
    }
    int64_t us = 77;
    CHECK_RC(vg_time_parse(NULL, &us), VG_EINVAL);
    CHECK_EQ_INT(us, 0);
}

/* Format then parse gives the same value over a spread of instants. */
static void
t_roundtrip(void)
{
    char out[VG_ISO_TIME_LEN];
    int64_t lo = INT64_C(-62167219200000000), hi = INT64_C(253402300799999999);
    int64_t step = (hi - lo) / 9973;
    int bad = 0;

    for (int64_t us = lo; us <= hi - step; us += step) {
        int64_t back = 0;
        if (vg_time_format(us + 7, out) != VG_OK ||
            vg_time_parse(out, &back) != VG_OK || back != us + 7) {
            bad++;
        }
    }
    CHECK_EQ_INT(bad, 0);
}

static void
t_civil(void)
{
    CHECK_EQ_INT(vg_days_from_civil(1970, 1, 1), 0);
    CHECK_EQ_INT(vg_days_from_civil(2000, 3, 1), 11017);
    CHECK_EQ_INT(vg_days_from_civil(1601, 1, 1), -134774);
    CHECK_EQ_INT(vg_days_from_civil(0, 1, 1), -719528);
    CHECK_EQ_INT(vg_days_from_civil(-1, 12, 31), -719529);
    CHECK_EQ_INT(vg_days_from_civil(-400, 1, 1), -719528 - 146097);
}

static const struct vg_test tests[] = {
    T(t_filetime), T(t_format), T(t_systemtime), T(t_parse), T(t_roundtrip),
    T(t_civil),
};

int
main(int argc, char **argv)
{
    return vg_test_main(argc, argv, tests, VG_ARRAY_LEN(tests));
}
