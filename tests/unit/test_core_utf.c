/* SPDX-License-Identifier: Apache-2.0 */
/* test_core_utf.c - UTF-16LE -> UTF-8 with invalid surrogates, strict
 * UTF-8 decoding (overlong, surrogate, out of range, truncated). */
#include <string.h>

#include "core/alloc.h"
#include "core/utf.h"
#include "vg_test.h"
#include "vigil/err.h"

struct u16_case {
    const char *name;
    uint16_t    units[8];
    size_t      n;
    int         stop_at_nul;
    const char *want;
};

static void
t_utf16(void)
{
    static const struct u16_case cases[] = {
        {"ascii", {'a', 'b', 'c'}, 3, 0, "abc"},
        {"empty", {0}, 0, 0, ""},
        {"2byte", {0x00e9}, 1, 0, "\xc3\xa9"},
        {"3byte", {0x20ac}, 1, 0, "\xe2\x82\xac"},
        {"pair", {0xd83d, 0xde00}, 2, 0, "\xf0\x9f\x98\x80"},
        {"max pair", {0xdbff, 0xdfff}, 2, 0, "\xf4\x8f\xbf\xbf"},
        {"lone high", {'a', 0xd800, 'b'}, 3, 0, "a\xef\xbf\xbd" "b"},
        {"lone low", {'a', 0xdc00, 'b'}, 3, 0, "a\xef\xbf\xbd" "b"},
        {"reversed", {0xdc00, 0xd800}, 2, 0, "\xef\xbf\xbd\xef\xbf\xbd"},
        {"low low", {0xdc00, 0xdc01}, 2, 0, "\xef\xbf\xbd\xef\xbf\xbd"},
        {"high at end", {'x', 0xdbff}, 2, 0, "x\xef\xbf\xbd"},
        {"high high low", {0xd800, 0xd801, 0xdc01}, 3, 0,
         "\xef\xbf\xbd\xf0\x90\x90\x81"},
        {"nul stop", {'a', 0, 'b'}, 3, 1, "a"},
        {"nul kept", {'a', 0, 'b'}, 3, 0, "a\0b"},
        {"fffe", {0xfffe, 0xffff}, 2, 0, "\xef\xbf\xbe\xef\xbf\xbf"},
    };
    for (size_t i = 0; i < VG_ARRAY_LEN(cases); i++) {
        const struct u16_case *c = &cases[i];
        uint8_t raw[16];
        struct vg_buf b;
        size_t wlen = c->stop_at_nul || strcmp(c->name, "nul kept") != 0
                          ? strlen(c->want) : 3;
        for (size_t k = 0; k < c->n; k++) {
            raw[2 * k] = (uint8_t)(c->units[k] & 0xff);
            raw[2 * k + 1] = (uint8_t)(c->units[k] >> 8);
        }
        vg_buf_init(&b, 100);
        CHECK_RC(vg_utf16le_to_utf8(&b, raw, c->n, c->stop_at_nul), VG_OK);
        CHECK_EQ_MEM(b.data, b.len, c->want, wlen);
        CHECK(vg_utf8_valid((const uint8_t *)b.data, b.len));
        vg_buf_fini(&b);
    }
}

static void
t_utf16_limit(void)
{
    uint8_t raw[600];
    struct vg_buf b;

    for (size_t i = 0; i < 300; i++) {
        raw[2 * i] = 0xac; /* U+20AC: 3 bytes each */
        raw[2 * i + 1] = 0x20;
    }
    vg_buf_init(&b, 899);
    CHECK_RC(vg_buf_adds(&b, "k"), VG_OK);
    CHECK_RC(vg_utf16le_to_utf8(&b, raw, 300, 0), VG_ELIMIT);
    CHECK_EQ_STR(b.data, "k"); /* all or nothing */
    vg_buf_fini(&b);
    vg_buf_init(&b, 900);
    CHECK_RC(vg_utf16le_to_utf8(&b, raw, 300, 0), VG_OK);
    CHECK_EQ_UINT(b.len, 900);
    vg_buf_fini(&b);
    vg_buf_init(&b, 900);
    vg_alloc_fail_after(0);
    CHECK_RC(vg_utf16le_to_utf8(&b, raw, 300, 0), VG_ENOMEM);
    vg_alloc_fail_after(-1);
    CHECK_EQ_UINT(b.len, 0);
    vg_buf_fini(&b);
}

static void
t_put(void)
{
    static const struct { uint32_t cp; const char *want; } cases[] = {
        {0x41, "A"}, {0x7f, "\x7f"}, {0x80, "\xc2\x80"}, {0x7ff, "\xdf\xbf"},
        {0x800, "\xe0\xa0\x80"}, {0xffff, "\xef\xbf\xbf"},
        {0x10000, "\xf0\x90\x80\x80"}, {0x10ffff, "\xf4\x8f\xbf\xbf"},
        {0xd800, "\xef\xbf\xbd"}, {0xdfff, "\xef\xbf\xbd"},
        {0x110000, "\xef\xbf\xbd"}, {UINT32_MAX, "\xef\xbf\xbd"},
    };
    for (size_t i = 0; i < VG_ARRAY_LEN(cases); i++) {
        struct vg_buf b;
        vg_buf_init(&b, 8);
        CHECK_RC(vg_utf8_put(&b, cases[i].cp), VG_OK);
        CHECK_EQ_STR(b.data, cases[i].want);
        vg_buf_fini(&b);
    }
}

static void
t_decode(void)
{
    static const struct { const char *s; size_t n; size_t len; uint32_t cp; } cases[] = {
        {"A", 1, 1, 0x41},
        {"\x00", 1, 1, 0},
        {"\xc2\x80", 2, 2, 0x80},
        {"\xe0\xa0\x80", 3, 3, 0x800},
        {"\xed\x9f\xbf", 3, 3, 0xd7ff},
        {"\xee\x80\x80", 3, 3, 0xe000},
        {"\xf0\x90\x80\x80", 4, 4, 0x10000},
        {"\xf4\x8f\xbf\xbf", 4, 4, 0x10ffff},
        /* overlongs */
        {"\xc0\x80", 2, 0, 0}, {"\xc1\xbf", 2, 0, 0},
        {"\xe0\x80\x80", 3, 0, 0}, {"\xe0\x9f\xbf", 3, 0, 0},
        {"\xf0\x80\x80\x80", 4, 0, 0}, {"\xf0\x8f\xbf\xbf", 4, 0, 0},
        /* surrogates */
        {"\xed\xa0\x80", 3, 0, 0}, {"\xed\xbf\xbf", 3, 0, 0},
        /* out of range */
        {"\xf4\x90\x80\x80", 4, 0, 0}, {"\xf5\x80\x80\x80", 4, 0, 0},
        {"\xff", 1, 0, 0}, {"\xfe", 1, 0, 0},
        /* truncated */
        {"\xc2", 1, 0, 0}, {"\xe2\x82", 2, 0, 0}, {"\xf0\x9f\x98", 3, 0, 0},
        /* bad continuation */
        {"\x80", 1, 0, 0}, {"\xc2\x41", 2, 0, 0}, {"\xe2\x82\xc0", 3, 0, 0},
    };
    for (size_t i = 0; i < VG_ARRAY_LEN(cases); i++) {
        uint32_t cp = 12345;
        CHECK_EQ_UINT(vg_utf8_decode((const uint8_t *)cases[i].s, cases[i].n, &cp),
                      cases[i].len);
        CHECK_EQ_UINT(cp, cases[i].cp);
        CHECK_EQ_INT(vg_utf8_valid((const uint8_t *)cases[i].s, cases[i].n),
                     cases[i].len == cases[i].n);
    }
    CHECK_EQ_INT(vg_utf8_valid((const uint8_t *)"", 0), 1);
    CHECK_EQ_INT(vg_utf8_valid((const uint8_t *)"a\xc3\xa9z", 4), 1);
    CHECK_EQ_INT(vg_utf8_valid((const uint8_t *)"a\xc3\xa9z\xc3", 5), 0);
}

/* Every code point round-trips through put and decode. */
static void
t_roundtrip(void)
{
    struct vg_buf b;
    int bad = 0;

    vg_buf_init(&b, 8);
    for (uint32_t cp = 0; cp <= 0x10ffff; cp++) {
        uint32_t got = 0;
        vg_buf_reset(&b);
        if (vg_utf8_put(&b, cp) != VG_OK) {
            bad++;
            continue;
        }
        size_t n = vg_utf8_decode((const uint8_t *)b.data, b.len, &got);
        uint32_t want = cp >= 0xd800 && cp <= 0xdfff ? 0xfffd : cp;
        if (n != b.len || got != want) {
            bad++;
        }
    }
    CHECK_EQ_INT(bad, 0);
    vg_buf_fini(&b);
}

static const struct vg_test tests[] = {
    T(t_utf16), T(t_utf16_limit), T(t_put), T(t_decode), T(t_roundtrip),
};

int
main(int argc, char **argv)
{
    return vg_test_main(argc, argv, tests, VG_ARRAY_LEN(tests));
}
