/* SPDX-License-Identifier: Apache-2.0 */
/*
 * limits.h - every default cap in one place, each with the reason for it.
 * Evidence is attacker-controlled: no loop, buffer or recursion is unbounded.
 */
#ifndef VG_CORE_LIMITS_H
#define VG_CORE_LIMITS_H

/* One finding's rendered output (JSON line, CSV row): generous for matched
 * values; a longer one means hostile input and is refused with VG_ELIMIT. */
#define VG_MAX_FINDING_BYTES (1u << 20)
/* Text writer keeps findings until the end; a run with more than this many
 * is summarised rather than listed (memory stays bounded). */
#define VG_MAX_TEXT_FINDINGS 100000u
/* Escaped evidence strings are cut here in terminal output. */
#define VG_MAX_TEXT_FIELD 512u
/* A hash map never grows past this many entries unless told. */
#define VG_MAX_MAP_ENTRIES (1u << 26)

#endif
