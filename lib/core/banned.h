/* SPDX-License-Identifier: Apache-2.0 */
/*
 * banned.h - include after every system header in lib/ and cli/: turns libc
 * calls that have bitten C code for decades into compile errors (git's
 * banned.h). Use vg_strlcpy, snprintf with a checked result, vg_parse_u64,
 * gmtime_r instead.
 */
#ifndef VG_CORE_BANNED_H
#define VG_CORE_BANNED_H

#define VG_BANNED(f) sorry_##f##_is_banned_in_vigil

#undef strcpy
#define strcpy(a, b) VG_BANNED(strcpy)
#undef strcat
#define strcat(a, b) VG_BANNED(strcat)
#undef strncpy
#define strncpy(a, b, n) VG_BANNED(strncpy)
#undef strncat
#define strncat(a, b, n) VG_BANNED(strncat)
#undef sprintf
#define sprintf(...) VG_BANNED(sprintf)
#undef vsprintf
#define vsprintf(...) VG_BANNED(vsprintf)
#undef gets
#define gets(a) VG_BANNED(gets)
#undef strtok
#define strtok(a, b) VG_BANNED(strtok)
#undef atoi
#define atoi(a) VG_BANNED(atoi)
#undef atol
#define atol(a) VG_BANNED(atol)
#undef atof
#define atof(a) VG_BANNED(atof)
#undef sscanf
#define sscanf(...) VG_BANNED(sscanf)
#undef gmtime
#define gmtime(a) VG_BANNED(gmtime)
#undef localtime
#define localtime(a) VG_BANNED(localtime)
#undef mktemp
#define mktemp(a) VG_BANNED(mktemp)
#undef tmpnam
#define tmpnam(a) VG_BANNED(tmpnam)
#undef alloca
#define alloca(a) VG_BANNED(alloca)

#endif
