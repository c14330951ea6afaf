/* SPDX-License-Identifier: Apache-2.0 */
/*
 * ltime.c - the time of a log line, for the common formats: ISO 8601 (and
 * IIS's "date time"), syslog "Nov  2 14:05:09", Apache/nginx common log
 * "[02/Nov/2023:14:05:09 +0000]", epoch seconds (Zeek, Squid; also a JSON
 * "ts" field), Windows DNS debug "11/2/2023 2:05:09 PM".
 * It looks only near the start of the line (and for "[" / "ts" in the first
 * 256 bytes); it does not guess time zones: a time without one is UTC.
 */
#include <string.h>

#include "vigil/finding.h"
#include "vigil/sweep.h"
#include "vigil/time.h"

#include "core/banned.h"

#define LOOK 256

static const char months[] = "JanFebMarAprMayJunJulAugSepOctNovDec";

const char *
vg_sweep_tfmt_name(enum vg_sweep_tfmt f)
{
    static const char *const n[] = { "", "iso8601", "syslog", "clf", "epoch",
                                     "windns" };
    return (unsigned)f < sizeof(n) / sizeof(n[0]) ? n[f] : "";
}

static int
dig(char c)
{
    return c >= '0' && c <= '9';
}

/* Up to max digits at s[*i]; at least min. */
static int
num(const char *s, size_t n, size_t *i, int min, int max, int *out)
{
    int v = 0, k = 0;
    while (*i < n && k < max && dig(s[*i])) {
        v = v * 10 + (s[*i] - '0');
        (*i)++;
        k++;
    }
    *out = v;
    return k >= min;
}

static int
month(const char *s, size_t n, size_t i)
{
    if (i + 3 > n) {
        return 0;
    }
    for (int m = 0; m < 12; m++) {
        if (memcmp(s + i, months + 3 * m, 3) == 0) {
            return m + 1;
        }
    }
    return 0;
}

static int64_t
mk(int y, int mo, int d, int h, int mi, int sec)
{
    static const int mdays[] = { 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30,
                                 31 };
    if (y < 1970 || y > 9999 || mo < 1 || mo > 12 || d < 1 ||
        d > mdays[mo - 1] || h > 23 || mi > 59 || sec > 60) {
        return VG_TIME_NONE;
    }
    int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    if (mo == 2 && d == 29 && !leap) {
        return VG_TIME_NONE;
    }
    int64_t days = vg_days_from_civil(y, (unsigned)mo, (unsigned)d);
    return ((days * 24 + h) * 60 + mi) * 60 * INT64_C(1000000) +
           (int64_t)sec * 1000000;
}

static int64_t
iso(const char *s, size_t n)
{
    char tmp[40];
    size_t k = 0;
    if (n < 19 || !dig(s[0]) || s[4] != '-' || s[7] != '-' ||
        (s[10] != 'T' && s[10] != ' ') || s[13] != ':') {
        return VG_TIME_NONE;
    }
    while (k < n && k < sizeof(tmp) - 1 &&
           (dig(s[k]) || strchr("-:T .Z+", s[k]) != NULL)) {
        if (s[k] == ' ' && k != 10) {
            break;
        }
        tmp[k] = s[k];
        k++;
    }
    tmp[k] = '\0';
    int64_t t;
    return vg_time_parse(tmp, &t) == VG_OK ? t : VG_TIME_NONE;
}

static int64_t
syslog_t(const char *s, size_t n, int year)
{
    size_t i = 4;
    int mo = month(s, n, 0), d, h, mi, sec;
    if (mo == 0 || n < 15 || s[3] != ' ') {
        return VG_TIME_NONE;
    }
    if (s[i] == ' ') {
        i++;
    }
    if (!num(s, n, &i, 1, 2, &d) || i >= n || s[i++] != ' ' ||
        !num(s, n, &i, 2, 2, &h) || i >= n || s[i++] != ':' ||
        !num(s, n, &i, 2, 2, &mi) || i >= n || s[i++] != ':' ||
        !num(s, n, &i, 2, 2, &sec)) {
        return VG_TIME_NONE;
    }
    return mk(year, mo, d, h, mi, sec);
}

/* "02/Nov/2023:14:05:09 +0000" (after the '['). */
static int64_t
clf(const char *s, size_t n)
{
    size_t i = 0;
    int d, y, h, mi, sec, z;
    if (!num(s, n, &i, 2, 2, &d) || i >= n || s[i++] != '/') {
        return VG_TIME_NONE;
    }
    int mo = month(s, n, i);
    i += 3;
    if (mo == 0 || i >= n || s[i++] != '/' || !num(s, n, &i, 4, 4, &y) ||
        i >= n || s[i++] != ':' || !num(s, n, &i, 2, 2, &h) || i >= n ||
        s[i++] != ':' || !num(s, n, &i, 2, 2, &mi) || i >= n ||
        s[i++] != ':' || !num(s, n, &i, 2, 2, &sec)) {
        return VG_TIME_NONE;
    }
    int64_t t = mk(y, mo, d, h, mi, sec);
    if (t != VG_TIME_NONE && i + 6 <= n && s[i] == ' ' &&
        (s[i + 1] == '+' || s[i + 1] == '-')) {
        size_t j = i + 2;
        if (num(s, n, &j, 4, 4, &z)) {
            int64_t off = ((z / 100) * 60 + z % 100) * INT64_C(60000000);
            t += s[i + 1] == '+' ? -off : off;
        }
    }
    return t;
}

/* "1699000000" or "1699000000.123456", then a non-digit or the end. */
static int64_t
epoch(const char *s, size_t n)
{
    size_t i = 0;
    int64_t v = 0, frac = 0, scale = 1000000;
    while (i < n && dig(s[i]) && i < 11) {
        v = v * 10 + (s[i++] - '0');
    }
    if (i < 9 || i > 10 || v < 100000000) {
        return VG_TIME_NONE;
    }
    if (i < n && s[i] == '.') {
        i++;
        while (i < n && dig(s[i])) {
            if (scale > 1) {
                scale /= 10;
                frac += (s[i] - '0') * scale;
            }
            i++;
        }
    }
    if (i < n && (dig(s[i]) || s[i] == '.' || s[i] == ':' || s[i] == '-')) {
        return VG_TIME_NONE;
    }
    return v * 1000000 + frac;
}

/* "11/2/2023 2:05:09 PM" */
static int64_t
windns(const char *s, size_t n)
{
    size_t i = 0;
    int mo, d, y, h, mi, sec;
    if (!num(s, n, &i, 1, 2, &mo) || i >= n || s[i++] != '/' ||
        !num(s, n, &i, 1, 2, &d) || i >= n || s[i++] != '/' ||
        !num(s, n, &i, 4, 4, &y) || i >= n || s[i++] != ' ' ||
        !num(s, n, &i, 1, 2, &h) || i >= n || s[i++] != ':' ||
        !num(s, n, &i, 2, 2, &mi) || i >= n || s[i++] != ':' ||
        !num(s, n, &i, 2, 2, &sec)) {
        return VG_TIME_NONE;
    }
    if (i + 3 <= n && s[i] == ' ' && (s[i + 2] == 'M' || s[i + 2] == 'm')) {
        int pm = s[i + 1] == 'P' || s[i + 1] == 'p';
        if (h < 1 || h > 12) {
            return VG_TIME_NONE;
        }
        h = (h % 12) + (pm ? 12 : 0);
    }
    return mk(y, mo, d, h, mi, sec);
}

static int64_t
at_start(const char *s, size_t n, int year, enum vg_sweep_tfmt *fmt)
{
    int64_t t;
    if ((t = iso(s, n)) != VG_TIME_NONE) {
        *fmt = VG_SWEEP_T_ISO8601;
    } else if ((t = syslog_t(s, n, year)) != VG_TIME_NONE) {
        *fmt = VG_SWEEP_T_SYSLOG;
    } else if ((t = windns(s, n)) != VG_TIME_NONE) {
        *fmt = VG_SWEEP_T_WINDNS;
    } else if ((t = epoch(s, n)) != VG_TIME_NONE) {
        *fmt = VG_SWEEP_T_EPOCH;
    }
    return t;
}

/* JSON "ts":1699000000.1 or "ts":"2023-11-02T14:05:09Z" (Zeek). */
static int64_t
json_ts(const char *s, size_t n, enum vg_sweep_tfmt *fmt)
{
    for (size_t i = 0; i + 5 < n; i++) {
        if (memcmp(s + i, "\"ts\":", 5) != 0) {
            continue;
        }
        size_t j = i + 5;
        int64_t t;
        if (j < n && s[j] == '"') {
            if ((t = iso(s + j + 1, n - j - 1)) != VG_TIME_NONE) {
                *fmt = VG_SWEEP_T_ISO8601;
            }
            return t;
        }
        if ((t = epoch(s + j, n - j)) != VG_TIME_NONE) {
            *fmt = VG_SWEEP_T_EPOCH;
        }
        return t;
    }
    return VG_TIME_NONE;
}

int64_t
vg_sweep_line_time(const char *line, size_t n, int default_year,
                   enum vg_sweep_tfmt *fmt)
{
    enum vg_sweep_tfmt dummy;
    fmt = fmt != NULL ? fmt : &dummy;
    *fmt = VG_SWEEP_T_NONE;
    size_t look = n < LOOK ? n : LOOK;
    size_t i = 0;
    if (look > 0 && line[0] == '<') { /* syslog priority "<13>" */
        for (i = 1; i < 5 && i < look && dig(line[i]); i++) {
        }
        i = (i < look && line[i] == '>') ? i + 1 : 0;
        if (i > 0 && i + 2 < look && line[i] == '1' && line[i + 1] == ' ') {
            i += 2; /* RFC 5424 version */
        }
    }
    int64_t t = at_start(line + i, look - i, default_year, fmt);
    if (t != VG_TIME_NONE) {
        return t;
    }
    const char *br = memchr(line, '[', look);
    if (br != NULL) {
        t = clf(br + 1, look - (size_t)(br + 1 - line));
        if (t != VG_TIME_NONE) {
            *fmt = VG_SWEEP_T_CLF;
            return t;
        }
    }
    if (look > 0 && line[0] == '{') {
        return json_ts(line, look, fmt);
    }
    return VG_TIME_NONE;
}
