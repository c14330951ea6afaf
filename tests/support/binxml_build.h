/* SPDX-License-Identifier: Apache-2.0 */
/*
 * binxml_build.h - hand-built BinXML token streams for EVTX parser tests
 * (hostile and unusual layouts the fixture writer never makes: raw tokens,
 * fragments, template definitions written by hand). Test code only.
 *
 * A struct bx is a byte buffer that knows the chunk offset of its first
 * byte, so name references can point at the name written right after them
 * ("inline", as Windows writes a name's first use). Little-endian writers,
 * no bounds checks beyond the buffer's size (tests build small streams).
 */
#ifndef VG_TEST_BINXML_BUILD_H
#define VG_TEST_BINXML_BUILD_H

#include <stddef.h>
#include <stdint.h>

struct bx {
    uint8_t  b[16384];
    size_t   n;
    uint32_t base; /* chunk offset of b[0] */
};

void     bx_u8(struct bx *x, uint8_t v);
void     bx_u16(struct bx *x, uint16_t v);
void     bx_u32(struct bx *x, uint32_t v);
uint32_t bx_here(const struct bx *x); /* chunk offset of the next byte */
/* Name reference pointing right after itself, name inline. */
void     bx_name(struct bx *x, const char *name);
/* Element start token; dep: with the u16 dependency id that elements carry
 * inside a template definition; attrs: with an attribute list size. */
void     bx_open(struct bx *x, const char *name, int attrs, int dep);
/* An element without attributes whose content follows (open with a
 * dependency id, then close the start tag). */
void     bx_start(struct bx *x, const char *name);
/* Start a record's BinXML at chunk offset base: empty buffer, then the
 * fragment header every record starts with. */
void     bx_record(struct bx *x, uint32_t base);
/* u16 count of code units, then ASCII s as UTF-16LE. */
void     bx_chars(struct bx *x, const char *s);
/* A value token holding s as a UTF-16 string. */
void     bx_text(struct bx *x, const char *s);

#endif
