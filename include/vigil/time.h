/* SPDX-License-Identifier: Apache-2.0 */
/*
 * time.h - Windows and ISO 8601 time conversions. Vigil keeps times as
 * int64 microseconds since 1970-01-01 UTC (VG_TIME_NONE when unknown) and
 * prints them as ISO 8601 UTC: "2023-11-02T14:05:09.123456Z".
 * Pure functions, thread-safe.
 */
#ifndef VIGIL_TIME_H
#define VIGIL_TIME_H

#include <stddef.h>
#include <stdint.h>

#include "vigil/compiler.h"

#define VG_ISO_TIME_LEN 32 /* buffer size for vg_time_format (27 used) */

/* FILETIME (100 ns ticks since 1601-01-01 UTC) to microseconds since 1970.
 * Every FILETIME value converts (sub-microsecond ticks are dropped). */
VG_API int64_t vg_filetime_to_us(uint64_t ft);

/* SYSTEMTIME, 16 bytes little-endian (year, month, day-of-week, day, hour,
 * minute, second, milliseconds). VG_OK, or VG_EFORMAT when a field is out of
 * range (month 13, day past the month's end, day-of-week 7, hour 24,
 * ms 1000, year outside 1601..30827). */
VG_API VG_NODISCARD int vg_systemtime_to_us(const uint8_t st[16],
                                            int64_t *out);

/* Format as ISO 8601 UTC with microseconds into out (VG_ISO_TIME_LEN bytes).
 * Years outside 0000..9999 cannot be written in ISO 8601's basic form: the
 * year is then clamped and VG_ELIMIT returned (out still holds a valid
 * string). VG_TIME_NONE gives "" and VG_OK. */
VG_API int vg_time_format(int64_t us, char out[VG_ISO_TIME_LEN]);

/* Parse "YYYY-MM-DD", "YYYY-MM-DDTHH:MM[:SS[.frac]]" with optional "Z" or
 * "+HH:MM"/"-HH:MM" (a space may replace "T"); fraction digits past the
 * sixth are dropped. Days are checked against the month. VG_OK or VG_EINVAL
 * (*out is 0 then). */
VG_API VG_NODISCARD int vg_time_parse(const char *s, int64_t *out);

/* Days since 1970-01-01 for a proleptic Gregorian date. Exact for any year
 * within +-10^12 (beyond that the arithmetic would overflow int64). */
VG_API int64_t vg_days_from_civil(int64_t y, unsigned m, unsigned d);

#endif
