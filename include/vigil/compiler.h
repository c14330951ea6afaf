/* SPDX-License-Identifier: Apache-2.0 */
/*
 * compiler.h - the only place compiler attributes are spelt. Everything else
 * uses these macros, so a compiler without them still builds (C11 + POSIX).
 */
#ifndef VIGIL_COMPILER_H
#define VIGIL_COMPILER_H

#if defined(__GNUC__) || defined(__clang__)
#define VG_API        __attribute__((visibility("default")))
#define VG_PRINTF(f, a) __attribute__((format(printf, f, a)))
#define VG_NODISCARD  __attribute__((warn_unused_result))
#define VG_NORETURN   __attribute__((noreturn))
#define VG_LIKELY(x)  __builtin_expect(!!(x), 1)
#define VG_UNLIKELY(x) __builtin_expect(!!(x), 0)
#define VG_UNUSED     __attribute__((unused))
#else
#define VG_API
#define VG_PRINTF(f, a)
#define VG_NODISCARD
#define VG_NORETURN
#define VG_LIKELY(x)  (x)
#define VG_UNLIKELY(x) (x)
#define VG_UNUSED
#endif

#define VG_ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

#endif
