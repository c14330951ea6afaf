/* SPDX-License-Identifier: Apache-2.0 */
/*
 * utf.h - UTF-16LE to UTF-8 conversion and UTF-8 validation.
 * Windows stores text as UTF-16LE, often with unpaired surrogates; those
 * become U+FFFD (never dropped, never an error), so a string always converts.
 */
#ifndef VG_CORE_UTF_H
#define VG_CORE_UTF_H

#include <stddef.h>
#include <stdint.h>

#include "vigil/buf.h"
#include "vigil/compiler.h"

/* Append the UTF-8 form of n_units UTF-16LE code units at p (2*n_units bytes)
 * to b. Unpaired surrogates become U+FFFD. If stop_at_nul, conversion stops
 * at the first U+0000. VG_OK, VG_ELIMIT or VG_ENOMEM. */
VG_NODISCARD int vg_utf16le_to_utf8(struct vg_buf *b, const uint8_t *p,
                                    size_t n_units, int stop_at_nul);

/* Append code point cp as UTF-8 (surrogates and > U+10FFFF as U+FFFD). */
VG_NODISCARD int vg_utf8_put(struct vg_buf *b, uint32_t cp);

/* Length of the valid UTF-8 sequence at p (1..4), or 0 if the bytes at p are
 * not a valid sequence (overlong, surrogate, > U+10FFFF, truncated).
 * n > 0. *cp receives the code point when valid. */
size_t vg_utf8_decode(const uint8_t *p, size_t n, uint32_t *cp);

/* 1 if all n bytes are valid UTF-8, 0 otherwise. */
int vg_utf8_valid(const uint8_t *p, size_t n);

#endif
