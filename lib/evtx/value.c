/* SPDX-License-Identifier: Apache-2.0 */
/*
 * value.c - text forms of BinXML values, written straight into the output
 * buffer with the sink's escaping (JSON, XML or none) in the same pass.
 *
 * Strings: UTF-16LE to UTF-8 with an ASCII fast path; unpaired surrogates
 * become U+FFFD; text ends at the first U+0000. Numbers are decimal, hex
 * types "0x" + lowercase hex without padding (as Event Viewer shows
 * Keywords and logon ids), GUIDs upper-case in braces, FILETIME as ISO 8601
 * UTC with 7 fractional digits, SIDs as S-R-A-S..., binary as upper-case
 * hex, booleans true/false (any non-zero is true), arrays joined with ", ".
 *
 * Not done here: deciding which values are JSON numbers (render.c).
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/alloc.h"
#include "core/rd.h"
#include "core/utf.h"
#include "evtx/evtx_int.h"
#include "vigil/err.h"

#include "core/banned.h"

/* Escape class of ASCII bytes: bit 1 = JSON escapes it, bit 2 = XML text
 * escapes it, bit 4 = XML attribute values escape it too. */
#define C3 3, 3, 3, 3, 3, 3, 3, 3
static const unsigned char g_class[128] = {
    C3,         C3,        C3,        C3,        ['"'] = 5,
    ['\\'] = 1, ['&'] = 2, ['<'] = 2, ['>'] = 2, ['\''] = 4,
};
#undef C3

static size_t
esc_json(char *o, unsigned c)
{
    static const char hex[] = "0123456789abcdef";

    o[0] = '\\';
    switch (c) {
    case '"':
        o[1] = '"';
        return 2;
    case '\\':
        o[1] = '\\';
        return 2;
    case '\n':
        o[1] = 'n';
        return 2;
    case '\r':
        o[1] = 'r';
        return 2;
    case '\t':
        o[1] = 't';
        return 2;
    case '\b':
        o[1] = 'b';
        return 2;
    case '\f':
        o[1] = 'f';
        return 2;
    default:
        memcpy(o + 1, "u00", 3);
        o[4] = hex[(c >> 4) & 15];
        o[5] = hex[c & 15];
        return 6;
    }
}

static size_t
esc_xml(char *o, unsigned c)
{
    const char *s;

    switch (c) {
    case '&':
        s = "&amp;";
        break;
    case '<':
        s = "&lt;";
        break;
    case '>':
        s = "&gt;";
        break;
    case '"':
        s = "&quot;";
        break;
    case '\'':
        s = "&apos;";
        break;
    case '\t':
    case '\n':
    case '\r':
        o[0] = (char)c;
        return 1;
    default: /* other control characters are not allowed in XML 1.0 */
        memcpy(o, "\xef\xbf\xbd", 3);
        return 3;
    }
    memcpy(o, s, strlen(s));
    return strlen(s);
}

/* g_class bits that make an ASCII byte need escaping in each mode. */
static const unsigned char esc_mask[] = {
    [EV_ESC_NONE] = 0,
    [EV_ESC_JSON] = 1,
    [EV_ESC_XML] = 2,
    [EV_ESC_XMLA] = 6,
};

/* The slow path: c needs escaping under esc. */
static size_t
put_escaped(char *o, unsigned c, enum ev_esc esc)
{
    return esc == EV_ESC_JSON ? esc_json(o, c) : esc_xml(o, c);
}

static inline size_t
put_ascii(char *o, unsigned c, enum ev_esc esc)
{
    if (VG_LIKELY(!(g_class[c] & esc_mask[esc]))) {
        o[0] = (char)c;
        return 1;
    }
    return put_escaped(o, c, esc);
}

static size_t
put_cp(char *o, uint32_t cp)
{
    if (cp < 0x800) {
        o[0] = (char)(0xc0 | (cp >> 6));
        o[1] = (char)(0x80 | (cp & 0x3f));
        return 2;
    }
    if (cp < 0x10000) {
        o[0] = (char)(0xe0 | (cp >> 12));
        o[1] = (char)(0x80 | ((cp >> 6) & 0x3f));
        o[2] = (char)(0x80 | (cp & 0x3f));
        return 3;
    }
    o[0] = (char)(0xf0 | (cp >> 18));
    o[1] = (char)(0x80 | ((cp >> 12) & 0x3f));
    o[2] = (char)(0x80 | ((cp >> 6) & 0x3f));
    o[3] = (char)(0x80 | (cp & 0x3f));
    return 4;
}

int
ev_utf16_append(struct vg_buf *b, const uint8_t *p, size_t n, enum ev_esc esc)
{
    size_t units = n / 2, i, need;
    unsigned char mask;
    char *o;
    int rc;

    if (!vg_mul_ok(units, 6, &need)) {
        return VG_ELIMIT;
    }
    rc = vg_buf_reserve(b, need + 1);
    if (rc != VG_OK) {
        return rc;
    }
    o = b->data + b->len;
    mask = esc_mask[esc];
    /* Four code units at a time while they are ASCII, not U+0000 and need
     * no escaping: most event text is, and this is the hottest loop of
     * rendering fields for the Sigma engine. */
    for (i = 0; i + 4 <= units; i += 4) {
        uint64_t v = vg_le64(p + 2 * i);
        unsigned c0 = (unsigned)v & 0x7f, c1 = (unsigned)(v >> 16) & 0x7f;
        unsigned c2 = (unsigned)(v >> 32) & 0x7f;
        unsigned c3 = (unsigned)(v >> 48) & 0x7f;
        if ((v & 0xff80ff80ff80ff80u) != 0 ||
            ((v + 0x007f007f007f007fu) & 0x0080008000800080u) !=
                0x0080008000800080u || /* a unit is 0 */
            ((g_class[c0] | g_class[c1] | g_class[c2] | g_class[c3]) & mask)) {
            break;
        }
        o[0] = (char)c0;
        o[1] = (char)c1;
        o[2] = (char)c2;
        o[3] = (char)c3;
        o += 4;
    }
    for (; i < units; i++) {
        uint32_t c = vg_le16(p + 2 * i);
        /* ASCII that needs no escaping: the common case, kept tight. */
        if (VG_LIKELY(c < 0x80 && c != 0 && !(g_class[c] & mask))) {
            *o++ = (char)c;
            continue;
        }
        if (c < 0x80) {
            if (c == 0) {
                break;
            }
            o += put_ascii(o, c, esc);
            continue;
        }
        if (c >= 0xd800 && c <= 0xdfff) {
            uint32_t lo = i + 1 < units ? vg_le16(p + 2 * i + 2) : 0;
            if (c <= 0xdbff && lo >= 0xdc00 && lo <= 0xdfff) {
                c = 0x10000 + ((c - 0xd800) << 10) + (lo - 0xdc00);
                i++;
            } else {
                c = 0xfffd;
            }
        }
        o += put_cp(o, c);
    }
    b->len = (size_t)(o - b->data);
    b->data[b->len] = '\0';
    return VG_OK;
}

int
ev_utf8_append(struct vg_buf *b, const char *s, size_t n, enum ev_esc esc)
{
    const uint8_t *p = (const uint8_t *)s;
    size_t i = 0, need;
    unsigned char mask;
    char *o;
    int rc;

    if (!vg_mul_ok(n, 6, &need)) {
        return VG_ELIMIT;
    }
    rc = vg_buf_reserve(b, need + 1);
    if (rc != VG_OK) {
        return rc;
    }
    o = b->data + b->len;
    mask = esc_mask[esc];
    while (i < n) {
        uint32_t cp;
        size_t k;
        /* ASCII that needs no escaping (names, keys): kept tight. */
        if (VG_LIKELY(p[i] < 0x80 && !(g_class[p[i]] & mask))) {
            *o++ = (char)p[i++];
            continue;
        }
        if (p[i] < 0x80) {
            o += put_ascii(o, p[i], esc);
            i++;
            continue;
        }
        k = vg_utf8_decode(p + i, n - i, &cp);
        if (k == 0) {
            o += put_cp(o, 0xfffd);
            i++;
            continue;
        }
        memcpy(o, p + i, k);
        o += k;
        i += k;
    }
    b->len = (size_t)(o - b->data);
    b->data[b->len] = '\0';
    return VG_OK;
}

static int
add_raw(struct vg_buf *b, const char *s, size_t n)
{
    return ev_buf_add(b, s, n);
}

static size_t
fmt_i64(char *o, int64_t v)
{
    if (v < 0) {
        o[0] = '-';
        return 1 + vg_u64_dec(o + 1, (uint64_t)0 - (uint64_t)v);
    }
    return vg_u64_dec(o, (uint64_t)v);
}

static size_t
fmt_hex(char *o, uint64_t v)
{
    static const char hex[] = "0123456789abcdef";
    char tmp[16];
    size_t n = 0, i;

    do {
        tmp[n++] = hex[v & 15];
        v >>= 4;
    } while (v != 0);
    o[0] = '0';
    o[1] = 'x';
    for (i = 0; i < n; i++) {
        o[2 + i] = tmp[n - 1 - i];
    }
    return n + 2;
}

/* Shortest %g that reads back as the same value. */
static size_t
fmt_real(char *o, size_t cap, double v, int is_float)
{
    int prec;

    if (!isfinite(v)) {
        return (size_t)snprintf(o, cap, "%s",
                                isnan(v) ? "NaN"
                                : v < 0  ? "-INF"
                                         : "INF");
    }
    for (prec = 1; prec <= 17; prec++) {
        int n = snprintf(o, cap, "%.*g", prec, v);
        double back = strtod(o, NULL);
        if (n > 0 && (is_float ? (float)back == (float)v : back == v)) {
            return (size_t)n;
        }
    }
    return (size_t)snprintf(o, cap, "%.17g", v);
}

/* Civil date from days since 1970-01-01 (proleptic Gregorian). */
static void
civil(int64_t z, int64_t *y, unsigned *m, unsigned *d)
{
    int64_t era, yy;
    unsigned doe, yoe, doy, mp;

    z += 719468;
    era = (z >= 0 ? z : z - 146096) / 146097;
    doe = (unsigned)(z - era * 146097);
    yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    yy = (int64_t)yoe + era * 400;
    doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    mp = (5 * doy + 2) / 153;
    *d = doy - (153 * mp + 2) / 5 + 1;
    *m = mp < 10 ? mp + 3 : mp - 9;
    *y = yy + (*m <= 2);
}

size_t
ev_filetime_str(uint64_t ft, char out[40])
{
    uint64_t secs = ft / 10000000u, frac = ft % 10000000u;
    int64_t days = (int64_t)(secs / 86400) - 134774, y;
    unsigned sod = (unsigned)(secs % 86400), m, d;
    int n;

    civil(days, &y, &m, &d);
    if (y < 0 || y > 9999) { /* not reachable from a u64 FILETIME */
        n = snprintf(out, 40, "%lld-%02u-%02uT%02u:%02u:%02u.%07lluZ",
                     (long long)y, m, d, sod / 3600, sod / 60 % 60, sod % 60,
                     (unsigned long long)frac);
        return n > 0 ? (size_t)n : 0;
    }
    /* Fixed layout, written directly: this runs for every record. */
    vg_dec_fixed(out, (uint64_t)y, 4);
    out[4] = '-';
    vg_dec_fixed(out + 5, m, 2);
    out[7] = '-';
    vg_dec_fixed(out + 8, d, 2);
    out[10] = 'T';
    vg_dec_fixed(out + 11, sod / 3600, 2);
    out[13] = ':';
    vg_dec_fixed(out + 14, sod / 60 % 60, 2);
    out[16] = ':';
    vg_dec_fixed(out + 17, sod % 60, 2);
    out[19] = '.';
    vg_dec_fixed(out + 20, frac, 7);
    out[27] = 'Z';
    out[28] = '\0';
    return 28;
}

static int
hex_bytes(struct vg_buf *b, const uint8_t *p, size_t n)
{
    static const char hex[] = "0123456789ABCDEF";
    size_t i, need;
    char *o;
    int rc;

    if (!vg_mul_ok(n, 2, &need)) {
        return VG_ELIMIT;
    }
    if ((rc = vg_buf_reserve(b, need + 1)) != VG_OK) {
        return rc;
    }
    o = b->data + b->len;
    for (i = 0; i < n; i++) {
        *o++ = hex[p[i] >> 4];
        *o++ = hex[p[i] & 15];
    }
    b->len += need;
    b->data[b->len] = '\0';
    return VG_OK;
}

static int
sid_text(struct vg_buf *b, const uint8_t *p, size_t n)
{
    char tmp[32];
    uint64_t auth = 0;
    unsigned i, count;
    size_t k;
    int rc;

    if (n < 8) {
        return hex_bytes(b, p, n);
    }
    for (i = 2; i < 8; i++) {
        auth = (auth << 8) | p[i];
    }
    count = p[1];
    if ((size_t)count * 4 + 8 > n) {
        count = (unsigned)((n - 8) / 4); /* incomplete SID: what is there */
    }
    k = 0;
    tmp[k++] = 'S';
    tmp[k++] = '-';
    k += vg_u64_dec(tmp + k, p[0]);
    tmp[k++] = '-';
    k += auth >= (1ull << 32) ? fmt_hex(tmp + k, auth) : vg_u64_dec(tmp + k, auth);
    if ((rc = add_raw(b, tmp, k)) != VG_OK) {
        return rc;
    }
    for (i = 0; i < count; i++) {
        tmp[0] = '-';
        k = 1 + vg_u64_dec(tmp + 1, vg_le32(p + 8 + 4 * i));
        if ((rc = add_raw(b, tmp, k)) != VG_OK) {
            return rc;
        }
    }
    return VG_OK;
}

static size_t
guid_str(char *o, const uint8_t *p)
{
    static const char hex[] = "0123456789ABCDEF";
    /* Data1-3 little-endian, Data4 as stored: {XXXXXXXX-XXXX-XXXX-...} */
    static const signed char order[16] = {3, 2, 1,  0,  5,  4,  7,  6,
                                          8, 9, 10, 11, 12, 13, 14, 15};
    size_t k = 0, i;

    o[k++] = '{';
    for (i = 0; i < 16; i++) {
        if (i == 4 || i == 6 || i == 8 || i == 10) {
            o[k++] = '-';
        }
        o[k++] = hex[p[order[i]] >> 4];
        o[k++] = hex[p[order[i]] & 15];
    }
    o[k++] = '}';
    return k;
}

static size_t
systime_str(char *o, const uint8_t *p)
{
    /* o has 48 bytes (scalar_str's callers): room for every field at its
     * widest (5 digits each, 42 characters) - a damaged value must not
     * be cut, or the length snprintf reports would run past the text. */
    int n = snprintf(o, 48, "%04u-%02u-%02uT%02u:%02u:%02u.%03uZ",
                     (unsigned)vg_le16(p), (unsigned)vg_le16(p + 2),
                     (unsigned)vg_le16(p + 6), (unsigned)vg_le16(p + 8),
                     (unsigned)vg_le16(p + 10), (unsigned)vg_le16(p + 12),
                     (unsigned)vg_le16(p + 14));
    return n > 0 ? (size_t)n : 0;
}

size_t
ev_fixed_size(uint8_t t, size_t n)
{
    switch (t) {
    case EV_T_I8:
    case EV_T_U8:
        return 1;
    case EV_T_I16:
    case EV_T_U16:
        return 2;
    case EV_T_I32:
    case EV_T_U32:
    case EV_T_R32:
    case EV_T_HEX32:
    case EV_T_BOOL:
        return 4;
    case EV_T_I64:
    case EV_T_U64:
    case EV_T_R64:
    case EV_T_FILETIME:
    case EV_T_HEX64:
        return 8;
    case EV_T_GUID:
    case EV_T_SYSTIME:
        return 16;
    case EV_T_SIZE:
        return n == 4 ? 4 : 8;
    default:
        return 0;
    }
}

/* One fixed-size scalar (p has elem_size bytes) into tmp. */
static size_t
scalar_str(char *o, uint8_t t, const uint8_t *p, size_t sz)
{
    switch (t) {
    case EV_T_I8:
        return fmt_i64(o, (int8_t)p[0]);
    case EV_T_U8:
        return vg_u64_dec(o, p[0]);
    case EV_T_I16:
        return fmt_i64(o, (int16_t)vg_le16(p));
    case EV_T_U16:
        return vg_u64_dec(o, vg_le16(p));
    case EV_T_I32:
        return fmt_i64(o, (int32_t)vg_le32(p));
    case EV_T_U32:
        return vg_u64_dec(o, vg_le32(p));
    case EV_T_I64:
        return fmt_i64(o, (int64_t)vg_le64(p));
    case EV_T_U64:
        return vg_u64_dec(o, vg_le64(p));
    case EV_T_HEX32:
        return fmt_hex(o, vg_le32(p));
    case EV_T_HEX64:
        return fmt_hex(o, vg_le64(p));
    case EV_T_SIZE:
        return fmt_hex(o, sz == 4 ? vg_le32(p) : vg_le64(p));
    case EV_T_BOOL: {
        size_t i, nz = 0;
        for (i = 0; i < sz; i++) {
            nz |= p[i];
        }
        memcpy(o, nz ? "true" : "false", nz ? 4 : 5);
        return nz ? 4 : 5;
    }
    case EV_T_R32: {
        float f;
        uint32_t u = vg_le32(p);
        memcpy(&f, &u, 4);
        return fmt_real(o, 40, (double)f, 1);
    }
    case EV_T_R64: {
        double d;
        uint64_t u = vg_le64(p);
        memcpy(&d, &u, 8);
        return fmt_real(o, 40, d, 0);
    }
    case EV_T_GUID:
        return guid_str(o, p);
    case EV_T_FILETIME:
        return ev_filetime_str(vg_le64(p), o);
    case EV_T_SYSTIME:
        return systime_str(o, p);
    default:
        return 0;
    }
}

static int
ansi_text(struct vg_buf *b, const uint8_t *p, size_t n, enum ev_esc esc)
{
    const void *z = memchr(p, 0, n);

    if (z != NULL) {
        n = (size_t)((const uint8_t *)z - p);
    }
    return ev_utf8_append(b, (const char *)p, n, esc);
}

/* UTF-16 strings separated by U+0000, joined with ", ". */
static int
wstr_array(struct vg_buf *b, const uint8_t *p, size_t n, enum ev_esc esc)
{
    size_t i = 0, start = 0;
    int rc, first = 1;

    n &= ~(size_t)1;
    while (i <= n) {
        if (i == n || (p[i] == 0 && p[i + 1] == 0)) {
            if (i == n && start == n) {
                break;
            }
            if (!first && (rc = add_raw(b, ", ", 2)) != VG_OK) {
                return rc;
            }
            if ((rc = ev_utf16_append(b, p + start, i - start, esc)) != VG_OK) {
                return rc;
            }
            first = 0;
            start = i + 2;
        }
        i += 2;
    }
    return VG_OK;
}

static int
array_text(struct vg_buf *b, uint8_t t, const uint8_t *p, size_t n,
           enum ev_esc esc)
{
    size_t sz, i;
    char tmp[48];
    int rc;

    if (t == EV_T_WSTR) {
        return wstr_array(b, p, n, esc);
    }
    sz = ev_fixed_size(t, 0); /* EV_T_SIZE: 8 */
    if (sz == 0) {
        return hex_bytes(b, p, n);
    }
    for (i = 0; i + sz <= n; i += sz) {
        size_t k = scalar_str(tmp, t, p + i, sz);
        if ((i != 0 && (rc = add_raw(b, ", ", 2)) != VG_OK) ||
            (rc = add_raw(b, tmp, k)) != VG_OK) {
            return rc;
        }
    }
    return VG_OK;
}

int
ev_val_text(struct vg_buf *b, uint8_t type, const uint8_t *p, size_t n,
            enum ev_esc esc)
{
    char tmp[48];
    size_t sz;

    if (type & EV_T_ARRAY) {
        return array_text(b, (uint8_t)(type & 0x7f), p, n, esc);
    }
    switch (type) {
    case EV_T_NULL:
    case EV_T_BINXML:
        return VG_OK;
    case EV_T_WSTR:
    case EV_T_EVTXML:
        return ev_utf16_append(b, p, n, esc);
    case EV_T_ASTR:
        return ansi_text(b, p, n, esc);
    case EV_T_BIN:
    case EV_T_HANDLE:
        return hex_bytes(b, p, n);
    case EV_T_SID:
        return sid_text(b, p, n);
    default:
        break;
    }
    sz = ev_fixed_size(type, n);
    if (sz == 0 || n < sz) {
        return hex_bytes(b, p, n); /* unknown type or short value */
    }
    return add_raw(b, tmp,
                   scalar_str(tmp, type, p, type == EV_T_BOOL ? n : sz));
}

int
ev_type_is_json_scalar(uint8_t type)
{
    switch (type) {
    case EV_T_I8:
    case EV_T_U8:
    case EV_T_I16:
    case EV_T_U16:
    case EV_T_I32:
    case EV_T_U32:
    case EV_T_I64:
    case EV_T_U64:
    case EV_T_BOOL:
        return 1;
    default:
        return 0;
    }
}
