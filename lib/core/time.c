/* SPDX-License-Identifier: Apache-2.0 */
/*
 * time.c - FILETIME/SYSTEMTIME to microseconds since 1970, ISO 8601 format
 * and parse. Civil-date arithmetic is done here on the proleptic Gregorian
 * calendar (days/era decomposition), not with gmtime/timegm: those depend on
 * time_t width and the TZ environment. No time zones other than UTC offsets,
 * no leap seconds.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "core/rd.h"
#include "vigil/buf.h"
#include "vigil/err.h"
#include "vigil/finding.h"
#include "vigil/time.h"

#include "core/banned.h"

#define US_PER_SEC  INT64_C(1000000)
#define US_PER_DAY  (INT64_C(86400) * US_PER_SEC)
/* Microseconds from 1601-01-01 to 1970-01-01. */
#define EPOCH_DIFF_US INT64_C(11644473600000000)

int64_t
vg_filetime_to_us(uint64_t ft)
{
    /* ft / 10 <= 1844674407370955161 < INT64_MAX: no overflow. */
    return (int64_t)(ft / 10) - EPOCH_DIFF_US;
}

int64_t
vg_days_from_civil(int64_t y, unsigned m, unsigned d)
{
    int64_t era, yoe, doy, doe;

    y -= m <= 2;
    era = (y >= 0 ? y : y - 399) / 400;
    yoe = y - era * 400;
    doy = (153 * (int64_t)(m > 2 ? m - 3 : m + 9) + 2) / 5 + (int64_t)d - 1;
    doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

struct civil {
    int64_t  y;
    unsigned m, d;
};

static struct civil
civil_from_days(int64_t z)
{
    struct civil c;
    int64_t era, doe, yoe, doy, mp;

    z += 719468;
    era = (z >= 0 ? z : z - 146096) / 146097;
    doe = z - era * 146097;
    yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    mp = (5 * doy + 2) / 153;
    c.d = (unsigned)(doy - (153 * mp + 2) / 5 + 1);
    c.m = (unsigned)(mp < 10 ? mp + 3 : mp - 9);
    c.y = yoe + era * 400 + (c.m <= 2);
    return c;
}

static unsigned
days_in_month(int64_t y, unsigned m)
{
    static const unsigned char mdays[12] = {31, 28, 31, 30, 31, 30,
                                            31, 31, 30, 31, 30, 31};
    int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;

    return m == 2 && leap ? 29u : mdays[m - 1];
}

int
vg_systemtime_to_us(const uint8_t st[16], int64_t *out)
{
    unsigned f[8];

    *out = 0;
    for (size_t i = 0; i < 8; i++) {
        f[i] = vg_le16(st + 2 * i);
    }
    /* year, month, day-of-week, day, hour, minute, second, ms */
    if (f[0] < 1601 || f[0] > 30827 || f[1] < 1 || f[1] > 12 || f[2] > 6 ||
        f[3] < 1 || f[3] > days_in_month(f[0], f[1]) || f[4] > 23 ||
        f[5] > 59 || f[6] > 59 || f[7] > 999) {
        return VG_EFORMAT;
    }
    *out = vg_days_from_civil(f[0], f[1], f[3]) * US_PER_DAY +
           ((int64_t)f[4] * 3600 + f[5] * 60 + f[6]) * US_PER_SEC +
           (int64_t)f[7] * 1000;
    return VG_OK;
}

/* v as exactly w decimal digits (v < 10^w); returns the end. */
static char *
put_dec(char *p, uint32_t v, unsigned w)
{
    vg_dec_fixed(p, v, w);
    return p + w;
}

int
vg_time_format(int64_t us, char out[VG_ISO_TIME_LEN])
{
    int64_t days, rem, min_us, max_us;
    struct civil c;
    int rc = VG_OK;

    out[0] = '\0';
    if (us == VG_TIME_NONE) {
        return VG_OK;
    }
    min_us = vg_days_from_civil(0, 1, 1) * US_PER_DAY;
    max_us = vg_days_from_civil(10000, 1, 1) * US_PER_DAY - 1;
    if (us < min_us || us > max_us) {
        us = us < min_us ? min_us : max_us;
        rc = VG_ELIMIT;
    }
    days = us / US_PER_DAY;
    rem = us % US_PER_DAY;
    if (rem < 0) {
        rem += US_PER_DAY;
        days--;
    }
    c = civil_from_days(days);
    /* Digits by hand: this runs once per finding and per rendered event,
     * and snprintf's format parsing cost more than the rest together. */
    char *p = out;
    p = put_dec(p, (uint32_t)c.y, 4);
    *p++ = '-';
    p = put_dec(p, c.m, 2);
    *p++ = '-';
    p = put_dec(p, c.d, 2);
    *p++ = 'T';
    p = put_dec(p, (uint32_t)(rem / (3600 * US_PER_SEC)), 2);
    *p++ = ':';
    p = put_dec(p, (uint32_t)(rem / (60 * US_PER_SEC) % 60), 2);
    *p++ = ':';
    p = put_dec(p, (uint32_t)(rem / US_PER_SEC % 60), 2);
    *p++ = '.';
    p = put_dec(p, (uint32_t)(rem % US_PER_SEC), 6);
    *p++ = 'Z';
    *p = '\0';
    return rc;
}

/* Exactly n digits at *s (advanced); -1 if not. */
static int
digits(const char **s, unsigned n)
{
    int v = 0;

    for (unsigned i = 0; i < n; i++) {
        char c = (*s)[i];
        if (c < '0' || c > '9') {
            return -1;
        }
        v = v * 10 + (c - '0');
    }
    *s += n;
    return v;
}

static int
expect(const char **s, char c)
{
    if (**s != c) {
        return 0;
    }
    (*s)++;
    return 1;
}

/* "[.frac]" -> microseconds (digits past the 6th are dropped). */
static int
parse_frac(const char **s, int64_t *us)
{
    int64_t scale = 100000;
    const char *start;

    *us = 0;
    if (!expect(s, '.')) {
        return VG_OK;
    }
    start = *s;
    for (; **s >= '0' && **s <= '9'; (*s)++) {
        *us += (**s - '0') * scale;
        scale /= 10;
    }
    return *s > start ? VG_OK : VG_EINVAL;
}

/* "Z", "+HH:MM", "-HH:MM" or nothing -> offset east of UTC in seconds. */
static int
parse_zone(const char **s, int64_t *off)
{
    int sign, h, m;

    *off = 0;
    if (**s == '\0' || expect(s, 'Z')) {
        return VG_OK;
    }
    if (**s != '+' && **s != '-') {
        return VG_EINVAL;
    }
    sign = **s == '-' ? -1 : 1;
    (*s)++;
    h = digits(s, 2);
    if (h < 0 || h > 23 || !expect(s, ':') || (m = digits(s, 2)) < 0 ||
        m > 59) {
        return VG_EINVAL;
    }
    *off = sign * (h * 3600 + m * 60);
    return VG_OK;
}

/* "THH:MM[:SS[.frac]][zone]" after the date -> microseconds into the day
 * minus the zone offset. */
static int
parse_clock(const char **s, int64_t *us)
{
    int h, mi, sec = 0;
    int64_t frac = 0, off;

    *us = 0;
    if (**s == '\0') {
        return VG_OK;
    }
    if (!expect(s, 'T') && !expect(s, ' ')) {
        return VG_EINVAL;
    }
    h = digits(s, 2);
    if (h < 0 || h > 23 || !expect(s, ':') || (mi = digits(s, 2)) < 0 ||
        mi > 59) {
        return VG_EINVAL;
    }
    if (expect(s, ':')) {
        sec = digits(s, 2);
        if (sec < 0 || sec > 59 || parse_frac(s, &frac) != VG_OK) {
            return VG_EINVAL;
        }
    }
    if (parse_zone(s, &off) != VG_OK) {
        return VG_EINVAL;
    }
    *us = ((int64_t)h * 3600 + mi * 60 + sec - off) * US_PER_SEC + frac;
    return VG_OK;
}

int
vg_time_parse(const char *s, int64_t *out)
{
    int y, m, d;
    int64_t day_us;

    *out = 0;
    if (s == NULL) {
        return VG_EINVAL;
    }
    y = digits(&s, 4);
    if (y < 0 || !expect(&s, '-') || (m = digits(&s, 2)) < 1 || m > 12 ||
        !expect(&s, '-') || (d = digits(&s, 2)) < 1 ||
        (unsigned)d > days_in_month(y, (unsigned)m)) {
        return VG_EINVAL;
    }
    if (parse_clock(&s, &day_us) != VG_OK || *s != '\0') {
        return VG_EINVAL;
    }
    *out = vg_days_from_civil(y, (unsigned)m, (unsigned)d) * US_PER_DAY +
           day_us;
    return VG_OK;
}
