/* SPDX-License-Identifier: Apache-2.0 */
/*
 * binxml_build.c - hand-built BinXML for parser tests (contract in
 * binxml_build.h).
 */
#include <string.h>

#include "binxml_build.h"
#include "evtx_writer.h"

void
bx_u8(struct bx *x, uint8_t v)
{
    x->b[x->n++] = v;
}

void
bx_u16(struct bx *x, uint16_t v)
{
    bx_u8(x, (uint8_t)v);
    bx_u8(x, (uint8_t)(v >> 8));
}

void
bx_u32(struct bx *x, uint32_t v)
{
    bx_u16(x, (uint16_t)v);
    bx_u16(x, (uint16_t)(v >> 16));
}

uint32_t
bx_here(const struct bx *x)
{
    return x->base + (uint32_t)x->n;
}

void
bx_name(struct bx *x, const char *name)
{
    bx_u32(x, bx_here(x) + 4);
    x->n += evw_put_name(x->b + x->n, name);
}

void
bx_open(struct bx *x, const char *name, int attrs, int dep)
{
    bx_u8(x, attrs ? 0x41 : 0x01);
    if (dep) {
        bx_u16(x, 0xffff);
    }
    bx_u32(x, 0); /* data size: not used by readers */
    bx_name(x, name);
    if (attrs) {
        bx_u32(x, 0);
    }
}

void
bx_start(struct bx *x, const char *name)
{
    bx_open(x, name, 0, 1);
    bx_u8(x, 0x02);
}

void
bx_chars(struct bx *x, const char *s)
{
    bx_u16(x, (uint16_t)strlen(s));
    while (*s) {
        bx_u16(x, (uint8_t)*s++);
    }
}

void
bx_text(struct bx *x, const char *s)
{
    bx_u8(x, 0x05);
    bx_u8(x, 0x01);
    bx_chars(x, s);
}

void
bx_record(struct bx *x, uint32_t base)
{
    memset(x, 0, sizeof(*x));
    x->base = base;
    bx_u32(x, 0x0001010f);
}
