/* SPDX-License-Identifier: Apache-2.0 */
/*
 * norm.c - IOC value syntax: IPv4/IPv6/CIDR parsing and private/reserved
 * marking, domain and host:port validation, per-type normalisation, type
 * guessing and the type/TLP name tables.
 * It does not refang (extract.c) and keeps no state.
 */
#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>

#include "core/str.h"
#include "ioc/ioc_int.h"
#include "vigil/ioc.h"

#include "core/banned.h"

static const char *const type_names[VG_IOC_TYPE_COUNT] = {
    [VG_IOC_NONE] = NULL,
    [VG_IOC_IPV4] = "ipv4",
    [VG_IOC_IPV6] = "ipv6",
    [VG_IOC_CIDR4] = "cidr4",
    [VG_IOC_CIDR6] = "cidr6",
    [VG_IOC_DOMAIN] = "domain",
    [VG_IOC_URL] = "url",
    [VG_IOC_MD5] = "md5",
    [VG_IOC_SHA1] = "sha1",
    [VG_IOC_SHA256] = "sha256",
    [VG_IOC_FILENAME] = "file-name",
    [VG_IOC_FILEPATH] = "file-path",
    [VG_IOC_REGISTRY] = "registry",
    [VG_IOC_EMAIL] = "email",
    [VG_IOC_ACCOUNT] = "account",
    [VG_IOC_MUTEX] = "mutex",
    [VG_IOC_PIPE] = "pipe",
    [VG_IOC_RELAY] = "relay",
    [VG_IOC_ANYDESK] = "anydesk-id",
};

static const struct {
    const char *name;
    enum vg_ioc_type t;
} type_alias[] = {
    {"hostname", VG_IOC_DOMAIN},   {"domain-name", VG_IOC_DOMAIN},
    {"filename", VG_IOC_FILENAME}, {"path", VG_IOC_FILEPATH},
    {"filepath", VG_IOC_FILEPATH}, {"regkey", VG_IOC_REGISTRY},
    {"user", VG_IOC_ACCOUNT},      {"named-pipe", VG_IOC_PIPE},
    {"anydesk", VG_IOC_ANYDESK},   {"uri", VG_IOC_URL},
    {"sha-256", VG_IOC_SHA256},    {"sha-1", VG_IOC_SHA1},
    {"ipv4-addr", VG_IOC_IPV4},    {"ipv6-addr", VG_IOC_IPV6},
    {"email-addr", VG_IOC_EMAIL},  {"user-account", VG_IOC_ACCOUNT},
};

const char *
vg_ioc_type_name(enum vg_ioc_type t)
{
    if ((unsigned)t >= VG_IOC_TYPE_COUNT) {
        return NULL;
    }
    return type_names[t];
}

enum vg_ioc_type
vg_ioc_type_parse(const char *s, size_t n)
{
    for (unsigned i = 1; i < VG_IOC_TYPE_COUNT; i++) {
        if (strlen(type_names[i]) == n && vg_ascii_ieq(s, type_names[i], n)) {
            return (enum vg_ioc_type)i;
        }
    }
    for (size_t i = 0; i < VG_ARRAY_LEN(type_alias); i++) {
        if (strlen(type_alias[i].name) == n &&
            vg_ascii_ieq(s, type_alias[i].name, n)) {
            return type_alias[i].t;
        }
    }
    return VG_IOC_NONE;
}

static const char *const tlp_names[VG_TLP_COUNT] = {
    "", "clear", "green", "amber", "amber+strict", "red",
};

const char *
vg_tlp_name(enum vg_tlp t)
{
    return (unsigned)t < VG_TLP_COUNT ? tlp_names[t] : "";
}

enum vg_tlp
vg_tlp_parse(const char *s, size_t n)
{
    if (n >= 4 && vg_ascii_ieq(s, "tlp:", 4)) {
        s += 4;
        n -= 4;
    }
    for (unsigned i = 1; i < VG_TLP_COUNT; i++) {
        if (strlen(tlp_names[i]) == n && vg_ascii_ieq(s, tlp_names[i], n)) {
            return (enum vg_tlp)i;
        }
    }
    if (n == 5 && vg_ascii_ieq(s, "white", 5)) {
        return VG_TLP_CLEAR;
    }
    return VG_TLP_NONE;
}

/* 0..15 for a hex digit, -1 otherwise (table: this is the lookup hot path). */
static const int8_t hex_tab[256] = {
    ['0'] = 1,  ['1'] = 2,  ['2'] = 3,  ['3'] = 4,  ['4'] = 5,  ['5'] = 6,
    ['6'] = 7,  ['7'] = 8,  ['8'] = 9,  ['9'] = 10, ['a'] = 11, ['b'] = 12,
    ['c'] = 13, ['d'] = 14, ['e'] = 15, ['f'] = 16, ['A'] = 11, ['B'] = 12,
    ['C'] = 13, ['D'] = 14, ['E'] = 15, ['F'] = 16,
};

int
ioc_hexval(int c)
{
    return hex_tab[(uint8_t)c] - 1;
}

int
ioc_is_hex(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (hex_tab[(uint8_t)s[i]] == 0) {
            return 0;
        }
    }
    return n > 0;
}

int
ioc_hex_to_bin(const char *s, size_t n, uint8_t *out)
{
    int bad = 0;
    for (size_t i = 0; i < n / 2; i++) {
        int hi = hex_tab[(uint8_t)s[2 * i]];
        int lo = hex_tab[(uint8_t)s[2 * i + 1]];
        bad |= (hi == 0) | (lo == 0);
        out[i] = (uint8_t)(((hi - 1) << 4) | ((lo - 1) & 15));
    }
    return bad ? VG_EFORMAT : VG_OK;
}

static int
is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f' ||
           c == '\v';
}

int
ioc_trim(const char **s, size_t *n)
{
    while (*n > 0 && is_space((*s)[0])) {
        (*s)++;
        (*n)--;
    }
    while (*n > 0 && is_space((*s)[*n - 1])) {
        (*n)--;
    }
    return *n > 0;
}

/* Fast 64-bit hash (our own multiply-xorshift mix over 8-byte words). */
uint64_t
ioc_hash(const void *p, size_t n, uint64_t seed)
{
    const uint8_t *b = p;
    uint64_t h = seed ^ (n * 0x9e3779b97f4a7c15ull);

    while (n >= 8) {
        uint64_t w;
        memcpy(&w, b, 8);
        h = (h ^ w) * 0xff51afd7ed558ccdull;
        h ^= h >> 29;
        b += 8;
        n -= 8;
    }
    uint64_t w = 0;
    for (size_t i = 0; i < n; i++) {
        w |= (uint64_t)b[i] << (8 * i);
    }
    h = (h ^ w) * 0xc4ceb9fe1a85ec53ull;
    h ^= h >> 32;
    h *= 0x9e3779b97f4a7c15ull;
    return h ^ (h >> 29);
}

int
ioc_parse_ip4(const char *s, size_t n, uint32_t *out)
{
    uint32_t a = 0;
    size_t i = 0;

    for (int part = 0; part < 4; part++) {
        unsigned v = 0, digits = 0;
        if (part > 0) {
            if (i >= n || s[i] != '.') {
                return VG_EFORMAT;
            }
            i++;
        }
        while (i < n && s[i] >= '0' && s[i] <= '9' && digits < 4) {
            v = v * 10 + (unsigned)(s[i] - '0');
            digits++;
            i++;
        }
        if (digits == 0 || digits > 3 || v > 255) {
            return VG_EFORMAT;
        }
        a = (a << 8) | v;
    }
    if (i != n) {
        return VG_EFORMAT;
    }
    *out = a;
    return VG_OK;
}

int
ioc_parse_ip6(const char *s, size_t n, uint8_t out[16])
{
    char tmp[64];

    if (n >= 2 && s[0] == '[' && s[n - 1] == ']') {
        s++;
        n -= 2;
    }
    if (n < 2 || n >= sizeof(tmp) || memchr(s, ':', n) == NULL) {
        return VG_EFORMAT;
    }
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        if (!(ioc_hexval((unsigned char)c) >= 0 || c == ':' || c == '.')) {
            return VG_EFORMAT; /* also refuses zone ids ("%eth0") */
        }
    }
    memcpy(tmp, s, n);
    tmp[n] = '\0';
    return inet_pton(AF_INET6, tmp, out) == 1 ? VG_OK : VG_EFORMAT;
}

static int
in4(uint32_t a, uint32_t net, unsigned bits)
{
    uint32_t mask = bits == 0 ? 0 : ~(uint32_t)0 << (32 - bits);
    return (a & mask) == net;
}

/* Flags for an IPv4 network a/prefix (a /32 for a single address). A
 * network is marked when it lies inside a special range. */
unsigned
ioc_ip4_flags(uint32_t a, unsigned prefix)
{
    static const struct {
        uint32_t net;
        unsigned bits;
        unsigned flag;
    } special[] = {
        {0x0a000000, 8, VG_IOC_F_PRIVATE},   /* 10/8 */
        {0xac100000, 12, VG_IOC_F_PRIVATE},  /* 172.16/12 */
        {0xc0a80000, 16, VG_IOC_F_PRIVATE},  /* 192.168/16 */
        {0x7f000000, 8, VG_IOC_F_PRIVATE},   /* loopback */
        {0xa9fe0000, 16, VG_IOC_F_PRIVATE},  /* link-local */
        {0x64400000, 10, VG_IOC_F_PRIVATE},  /* CGNAT 100.64/10 */
        {0x00000000, 8, VG_IOC_F_RESERVED},  /* "this network" */
        {0xc0000000, 24, VG_IOC_F_RESERVED}, /* IETF protocol 192.0.0/24 */
        {0xc0000200, 24, VG_IOC_F_RESERVED}, /* TEST-NET-1 */
        {0xc6336400, 24, VG_IOC_F_RESERVED}, /* TEST-NET-2 */
        {0xcb007100, 24, VG_IOC_F_RESERVED}, /* TEST-NET-3 */
        {0xc6120000, 15, VG_IOC_F_RESERVED}, /* benchmarking 198.18/15 */
        {0xe0000000, 4, VG_IOC_F_RESERVED},  /* multicast */
        {0xf0000000, 4, VG_IOC_F_RESERVED},  /* future use + broadcast */
    };
    for (size_t i = 0; i < VG_ARRAY_LEN(special); i++) {
        if (prefix >= special[i].bits &&
            in4(a, special[i].net, special[i].bits)) {
            return special[i].flag;
        }
    }
    return 0;
}

static int
in6(const uint8_t *a, const uint8_t *net, unsigned bits)
{
    unsigned full = bits / 8, rest = bits % 8;
    if (memcmp(a, net, full) != 0) {
        return 0;
    }
    if (rest == 0) {
        return 1;
    }
    uint8_t mask = (uint8_t)(0xffu << (8 - rest));
    return (a[full] & mask) == (net[full] & mask);
}

unsigned
ioc_ip6_flags(const uint8_t a[16], unsigned prefix)
{
    static const uint8_t zero[16] = {0};
    static const uint8_t ula[16] = {0xfc};
    static const uint8_t ll[16] = {0xfe, 0x80};
    static const uint8_t mc[16] = {0xff};
    static const uint8_t doc[16] = {0x20, 0x01, 0x0d, 0xb8};
    static const uint8_t mapped[16] = {[10] = 0xff, [11] = 0xff};
    uint8_t loop[16] = {0};

    loop[15] = 1;
    if (prefix >= 96 && in6(a, mapped, 96)) {
        return ioc_ip4_flags(((uint32_t)a[12] << 24) | ((uint32_t)a[13] << 16) |
                                 ((uint32_t)a[14] << 8) | a[15],
                             prefix - 96);
    }
    if (prefix == 128 && memcmp(a, loop, 16) == 0) {
        return VG_IOC_F_PRIVATE;
    }
    if ((prefix >= 7 && in6(a, ula, 7)) || (prefix >= 10 && in6(a, ll, 10))) {
        return VG_IOC_F_PRIVATE;
    }
    if ((prefix >= 8 && in6(a, mc, 8)) || (prefix >= 32 && in6(a, doc, 32)) ||
        (prefix == 128 && memcmp(a, zero, 16) == 0)) {
        return VG_IOC_F_RESERVED;
    }
    return 0;
}

static int
is_label_char(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
           (c >= '0' && c <= '9') || c == '-' || c == '_';
}

/* At least two labels, each 1..63 of [A-Za-z0-9_-] not starting or ending
 * with '-', at most 253 bytes, a TLD of letters (or "xn--" punycode). */
int
ioc_valid_domain(const char *s, size_t n)
{
    size_t labels = 0, start = 0;

    if (n == 0 || n > 253) {
        return 0;
    }
    for (size_t i = 0; i <= n; i++) {
        if (i < n && s[i] != '.') {
            if (!is_label_char(s[i])) {
                return 0;
            }
            continue;
        }
        size_t len = i - start;
        if (len == 0 || len > 63 || s[start] == '-' || s[i - 1] == '-') {
            return 0;
        }
        labels++;
        if (i == n) {
            int alpha = 1;
            for (size_t k = start; k < i; k++) {
                char c = vg_ascii_lower(s[k]);
                if (c < 'a' || c > 'z') {
                    alpha = 0;
                }
            }
            if (!(alpha && len >= 2) &&
                !(len > 4 && vg_ascii_ieq(s + start, "xn--", 4))) {
                return 0;
            }
        }
        start = i + 1;
    }
    return labels >= 2;
}

int
ioc_split_hostport(const char *s, size_t n, size_t *host_off, size_t *host_len,
                   unsigned *port)
{
    size_t hl = n;
    uint8_t a6[16];
    uint32_t a4;

    *host_off = 0;
    *port = 0;
    if (n > 0 && s[0] == '[') {
        const char *e = memchr(s, ']', n);
        if (e == NULL) {
            return VG_EFORMAT;
        }
        *host_off = 1;
        hl = (size_t)(e - s) - 1;
        size_t rest = n - (size_t)(e - s) - 1;
        if (rest > 0) {
            uint64_t p;
            if (e[1] != ':' || vg_parse_u64(e + 2, rest - 1, 1, 65535, &p)) {
                return VG_EFORMAT;
            }
            *port = (unsigned)p;
        }
        *host_len = hl;
        return ioc_parse_ip6(s + 1, hl, a6);
    }
    const char *c = memchr(s, ':', n);
    if (c != NULL && memchr(c + 1, ':', n - (size_t)(c - s) - 1) == NULL) {
        uint64_t p;
        hl = (size_t)(c - s);
        if (vg_parse_u64(c + 1, n - hl - 1, 1, 65535, &p) != VG_OK ||
            c[1] == '0' || c[1] == 'x') {
            return VG_EFORMAT;
        }
        *port = (unsigned)p;
    } else if (c != NULL) {
        *host_len = n;
        return ioc_parse_ip6(s, n, a6); /* bare IPv6, no port */
    }
    *host_len = hl;
    if (ioc_parse_ip4(s, hl, &a4) == VG_OK || ioc_valid_domain(s, hl)) {
        return VG_OK;
    }
    return VG_EFORMAT;
}

const char *
ioc_basename(const char *s, size_t n, size_t *blen)
{
    size_t i = n;
    while (i > 0 && s[i - 1] != '\\' && s[i - 1] != '/') {
        i--;
    }
    *blen = n - i;
    return s + i;
}

int
ioc_has_file_ext(const char *s, size_t n)
{
    static const char *const ext[] = {
        "exe",  "dll",  "sys",  "xml", "txt",  "ps1",    "psm1",  "bat",
        "cmd",  "vbs",  "vbe",  "js",  "jse",  "hta",    "lnk",   "msi",
        "scr",  "cpl",  "ocx",  "zip", "rar",  "7z",     "iso",   "img",
        "doc",  "docx", "docm", "xls", "xlsx", "xlsm",   "ppt",   "pptx",
        "pdf",  "rtf",  "jar",  "py",  "sh",   "elf",    "bin",   "dat",
        "tmp",  "log",  "ini",  "cfg", "conf", "config", "json",  "csv",
        "aspx", "ashx", "asmx", "asp", "jsp",  "php",    "war",   "apk",
        "dmg",  "pkg",  "deb",  "rpm", "so",   "dylib",  "trace", "db",
        "vhd",  "vhdx", "wsf",  "inf", "reg",  "gz",     "tar",   "cab",
        "chm",  "lib",
    };
    const char *dot = NULL;
    for (size_t i = n; i > 0; i--) {
        if (s[i - 1] == '.') {
            dot = s + i;
            break;
        }
    }
    if (dot == NULL || dot == s + 1) {
        return 0;
    }
    size_t el = n - (size_t)(dot - s);
    for (size_t i = 0; i < VG_ARRAY_LEN(ext); i++) {
        if (strlen(ext[i]) == el && vg_ascii_ieq(dot, ext[i], el)) {
            return 1;
        }
    }
    return 0;
}

/* --- normalisation ------------------------------------------------------ */

struct nout {
    char *p;
    size_t cap, len;
};

static int
put(struct nout *o, const char *s, size_t n)
{
    if (n >= o->cap - o->len || o->len + n >= VG_IOC_MAX_VALUE) {
        return VG_ELIMIT;
    }
    memcpy(o->p + o->len, s, n);
    o->len += n;
    o->p[o->len] = '\0';
    return VG_OK;
}

static int
put_lower(struct nout *o, const char *s, size_t n)
{
    size_t at = o->len;
    int rc = put(o, s, n);
    for (size_t i = 0; rc == VG_OK && i < n; i++) {
        o->p[at + i] = vg_ascii_lower(o->p[at + i]);
    }
    return rc;
}

static int
norm_ip4(struct nout *o, const char *s, size_t n)
{
    uint32_t a;
    char t[16];
    if (ioc_parse_ip4(s, n, &a) != VG_OK) {
        return VG_EFORMAT;
    }
    int k = snprintf(t, sizeof(t), "%u.%u.%u.%u", a >> 24, (a >> 16) & 255,
                     (a >> 8) & 255, a & 255);
    int rc = put(o, t, (size_t)k);
    return rc != VG_OK ? rc : (int)ioc_ip4_flags(a, 32);
}

static int
norm_ip6(struct nout *o, const char *s, size_t n)
{
    uint8_t a[16];
    char t[INET6_ADDRSTRLEN];
    if (ioc_parse_ip6(s, n, a) != VG_OK ||
        inet_ntop(AF_INET6, a, t, sizeof(t)) == NULL) {
        return VG_EFORMAT;
    }
    int rc = put(o, t, strlen(t));
    return rc != VG_OK ? rc : (int)ioc_ip6_flags(a, 128);
}

static int
norm_cidr(struct nout *o, const char *s, size_t n, int v6)
{
    const char *sl = memchr(s, '/', n);
    uint64_t bits;
    char t[INET6_ADDRSTRLEN + 8];

    if (sl == NULL ||
        vg_parse_u64(sl + 1, n - (size_t)(sl - s) - 1, 0, v6 ? 128 : 32,
                     &bits) != VG_OK ||
        (sl[1] == '0' && (size_t)(sl - s) + 2 < n) ||
        memchr(sl, 'x', n - (size_t)(sl - s)) != NULL) {
        return VG_EFORMAT;
    }
    size_t al = (size_t)(sl - s);
    if (!v6) {
        uint32_t a;
        if (ioc_parse_ip4(s, al, &a) != VG_OK) {
            return VG_EFORMAT;
        }
        a &= bits == 0 ? 0 : ~(uint32_t)0 << (32 - bits);
        int k =
            snprintf(t, sizeof(t), "%u.%u.%u.%u/%u", a >> 24, (a >> 16) & 255,
                     (a >> 8) & 255, a & 255, (unsigned)bits);
        int rc = put(o, t, (size_t)k);
        return rc != VG_OK ? rc : (int)ioc_ip4_flags(a, (unsigned)bits);
    }
    uint8_t a[16];
    if (ioc_parse_ip6(s, al, a) != VG_OK) {
        return VG_EFORMAT;
    }
    for (unsigned i = 0; i < 16; i++) {
        unsigned keep = bits >= 8 * (i + 1) ? 8
                        : bits > 8 * i      ? (unsigned)bits - 8 * i
                                            : 0;
        a[i] &= (uint8_t)(keep == 0 ? 0 : 0xffu << (8 - keep));
    }
    if (inet_ntop(AF_INET6, a, t, INET6_ADDRSTRLEN) == NULL) {
        return VG_EFORMAT;
    }
    size_t tl = strlen(t);
    int k = snprintf(t + tl, sizeof(t) - tl, "/%u", (unsigned)bits);
    int rc = put(o, t, tl + (size_t)k);
    return rc != VG_OK ? rc : (int)ioc_ip6_flags(a, (unsigned)bits);
}

static int
norm_domain(struct nout *o, const char *s, size_t n)
{
    if (n > 0 && s[n - 1] == '.') {
        n--;
    }
    if (!ioc_valid_domain(s, n)) {
        return VG_EFORMAT;
    }
    return put_lower(o, s, n);
}

static int
valid_scheme(const char *s, size_t n)
{
    if (n == 0 || !((s[0] | 32) >= 'a' && (s[0] | 32) <= 'z')) {
        return 0;
    }
    for (size_t i = 0; i < n; i++) {
        char c = vg_ascii_lower(s[i]);
        if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '+' ||
              c == '-' || c == '.')) {
            return 0;
        }
    }
    return n <= 16;
}

static int
norm_url(struct nout *o, const char *s, size_t n)
{
    const char *sep = NULL;
    for (size_t i = 0; i + 2 < n; i++) {
        if (s[i] == ':' && s[i + 1] == '/' && s[i + 2] == '/') {
            sep = s + i;
            break;
        }
    }
    if (sep == NULL || !valid_scheme(s, (size_t)(sep - s))) {
        return VG_EFORMAT;
    }
    for (size_t i = 0; i < n; i++) {
        if ((unsigned char)s[i] <= ' ' || s[i] == 0x7f) {
            return VG_EFORMAT;
        }
    }
    const char *h = sep + 3, *end = s + n;
    const char *he = h;
    while (he < end && *he != '/' && *he != '?' && *he != '#') {
        he++;
    }
    const char *at = memchr(h, '@', (size_t)(he - h));
    const char *host = at != NULL ? at + 1 : h;
    size_t ho, hl;
    unsigned port;
    if (ioc_split_hostport(host, (size_t)(he - host), &ho, &hl, &port) !=
        VG_OK) {
        return VG_EFORMAT;
    }
    int rc = put_lower(o, s, (size_t)(host - s));
    if (rc == VG_OK) {
        rc = put_lower(o, host, (size_t)(he - host));
    }
    if (rc == VG_OK) {
        rc = put(o, he, (size_t)(end - he));
    }
    return rc;
}

static int
norm_hash(struct nout *o, const char *s, size_t n, size_t want)
{
    if (n != want || !ioc_is_hex(s, n)) {
        return VG_EFORMAT;
    }
    return put_lower(o, s, n);
}

static int
norm_email(struct nout *o, const char *s, size_t n)
{
    const char *at = memchr(s, '@', n);
    if (at == NULL || at == s || (size_t)(at - s) > 64) {
        return VG_EFORMAT;
    }
    for (const char *p = s; p < at; p++) {
        char c = *p;
        if ((unsigned char)c <= ' ' || c == '@' || c == '"' || c == '<' ||
            c == '>' || c == '(' || c == ')' || c == ',' || c == ';' ||
            c == '\\' || c == '[' || c == ']' || (unsigned char)c >= 0x7f) {
            return VG_EFORMAT;
        }
    }
    size_t dl = n - (size_t)(at - s) - 1;
    if (!ioc_valid_domain(at + 1, dl)) {
        return VG_EFORMAT;
    }
    return put_lower(o, s, n);
}

static int
no_ctl(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if ((unsigned char)s[i] < ' ' || s[i] == 0x7f) {
            return 0;
        }
    }
    return n > 0;
}

static int
norm_registry(struct nout *o, const char *s, size_t n)
{
    static const struct {
        const char *lng, *shrt;
    } hives[] = {
        {"hkey_local_machine", "hklm"},  {"hkey_current_user", "hkcu"},
        {"hkey_users", "hku"},           {"hkey_classes_root", "hkcr"},
        {"hkey_current_config", "hkcc"},
    };
    if (!no_ctl(s, n)) {
        return VG_EFORMAT;
    }
    for (size_t i = 0; i < VG_ARRAY_LEN(hives); i++) {
        size_t l = strlen(hives[i].lng);
        if (n >= l && vg_ascii_ieq(s, hives[i].lng, l) &&
            (n == l || s[l] == '\\')) {
            int rc = put(o, hives[i].shrt, strlen(hives[i].shrt));
            return rc != VG_OK ? rc : put_lower(o, s + l, n - l);
        }
    }
    const char *bs = memchr(s, '\\', n);
    size_t hl = bs != NULL ? (size_t)(bs - s) : n;
    static const char *const shorts[] = {"hklm", "hkcu", "hku", "hkcr", "hkcc"};
    for (size_t i = 0; i < VG_ARRAY_LEN(shorts); i++) {
        if (hl == strlen(shorts[i]) && vg_ascii_ieq(s, shorts[i], hl)) {
            return put_lower(o, s, n);
        }
    }
    return VG_EFORMAT;
}

static int
norm_pipe(struct nout *o, const char *s, size_t n)
{
    static const char pfx[] = "\\\\.\\pipe\\";
    size_t pl = sizeof(pfx) - 1;
    if (n > pl && vg_ascii_ieq(s, pfx, pl)) {
        s += pl;
        n -= pl;
    }
    return no_ctl(s, n) ? put_lower(o, s, n) : VG_EFORMAT;
}

static int
norm_anydesk(struct nout *o, const char *s, size_t n)
{
    char d[16];
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        if (s[i] == ' ') {
            continue;
        }
        if (s[i] < '0' || s[i] > '9' || k >= 10) {
            return VG_EFORMAT;
        }
        d[k++] = s[i];
    }
    return k >= 9 ? put(o, d, k) : VG_EFORMAT;
}

static int
norm_relay(struct nout *o, const char *s, size_t n)
{
    size_t ho, hl;
    unsigned port;
    char t[16];
    if (ioc_split_hostport(s, n, &ho, &hl, &port) != VG_OK) {
        return VG_EFORMAT;
    }
    const char *h = s + ho;
    if (hl > 0 && h[hl - 1] == '.') {
        hl--;
    }
    int rc = VG_OK;
    int v6 = memchr(h, ':', hl) != NULL;
    if (v6) {
        uint8_t a[16];
        char t6[INET6_ADDRSTRLEN];
        if (ioc_parse_ip6(h, hl, a) != VG_OK ||
            inet_ntop(AF_INET6, a, t6, sizeof(t6)) == NULL) {
            return VG_EFORMAT;
        }
        rc = put(o, "[", port ? 1 : 0);
        if (rc == VG_OK) {
            rc = put(o, t6, strlen(t6));
        }
        if (rc == VG_OK) {
            rc = put(o, "]", port ? 1 : 0);
        }
    } else {
        rc = put_lower(o, h, hl);
    }
    if (rc == VG_OK && port != 0) {
        int k = snprintf(t, sizeof(t), ":%u", port);
        rc = put(o, t, (size_t)k);
    }
    return rc;
}

int
vg_ioc_normalize(enum vg_ioc_type t, const char *s, size_t n, char *out,
                 size_t cap)
{
    struct nout o = {out, cap, 0};
    if (cap == 0) {
        return VG_ELIMIT;
    }
    out[0] = '\0';
    if (s == NULL || !ioc_trim(&s, &n)) {
        return VG_EFORMAT;
    }
    if (n > VG_IOC_MAX_VALUE) {
        return VG_ELIMIT;
    }
    switch (t) {
    case VG_IOC_IPV4:
        return norm_ip4(&o, s, n);
    case VG_IOC_IPV6:
        return norm_ip6(&o, s, n);
    case VG_IOC_CIDR4:
        return norm_cidr(&o, s, n, 0);
    case VG_IOC_CIDR6:
        return norm_cidr(&o, s, n, 1);
    case VG_IOC_DOMAIN:
        return norm_domain(&o, s, n);
    case VG_IOC_URL:
        return norm_url(&o, s, n);
    case VG_IOC_MD5:
        return norm_hash(&o, s, n, 32);
    case VG_IOC_SHA1:
        return norm_hash(&o, s, n, 40);
    case VG_IOC_SHA256:
        return norm_hash(&o, s, n, 64);
    case VG_IOC_EMAIL:
        return norm_email(&o, s, n);
    case VG_IOC_REGISTRY:
        return norm_registry(&o, s, n);
    case VG_IOC_PIPE:
        return norm_pipe(&o, s, n);
    case VG_IOC_ANYDESK:
        return norm_anydesk(&o, s, n);
    case VG_IOC_RELAY:
        return norm_relay(&o, s, n);
    case VG_IOC_FILENAME:
        if (memchr(s, '\\', n) != NULL || memchr(s, '/', n) != NULL) {
            return VG_EFORMAT;
        }
        return no_ctl(s, n) ? put_lower(&o, s, n) : VG_EFORMAT;
    case VG_IOC_FILEPATH:
    case VG_IOC_ACCOUNT:
        return no_ctl(s, n) ? put_lower(&o, s, n) : VG_EFORMAT;
    case VG_IOC_MUTEX:
        return no_ctl(s, n) ? put(&o, s, n) : VG_EFORMAT;
    case VG_IOC_NONE:
    case VG_IOC_TYPE_COUNT:
        break;
    }
    return VG_EFORMAT;
}

static int
is_win_path(const char *s, size_t n)
{
    if (n >= 3 && ((s[0] | 32) >= 'a' && (s[0] | 32) <= 'z') && s[1] == ':' &&
        (s[2] == '\\' || s[2] == '/')) {
        return 1;
    }
    if (n >= 3 && s[0] == '\\' && s[1] == '\\') {
        return 1; /* UNC */
    }
    if (n >= 3 && s[0] == '%') {
        const char *e = memchr(s + 1, '%', n - 1);
        return e != NULL && (size_t)(e - s) + 1 < n && e[1] == '\\';
    }
    return 0;
}

enum vg_ioc_type
vg_ioc_classify(const char *s, size_t n)
{
    uint32_t a4;
    uint8_t a6[16];

    if (s == NULL || !ioc_trim(&s, &n) || n > VG_IOC_MAX_VALUE) {
        return VG_IOC_NONE;
    }
    if (ioc_parse_ip4(s, n, &a4) == VG_OK) {
        return VG_IOC_IPV4;
    }
    if (ioc_parse_ip6(s, n, a6) == VG_OK) {
        return VG_IOC_IPV6;
    }
    const char *sl = memchr(s, '/', n);
    uint64_t bits;
    if (sl != NULL && sl + 1 < s + n &&
        vg_parse_u64(sl + 1, n - (size_t)(sl - s) - 1, 0, 128, &bits) ==
            VG_OK) {
        if (bits <= 32 && ioc_parse_ip4(s, (size_t)(sl - s), &a4) == VG_OK) {
            return VG_IOC_CIDR4;
        }
        if (ioc_parse_ip6(s, (size_t)(sl - s), a6) == VG_OK) {
            return VG_IOC_CIDR6;
        }
    }
    if (ioc_is_hex(s, n)) {
        return n == 32   ? VG_IOC_MD5
               : n == 40 ? VG_IOC_SHA1
               : n == 64 ? VG_IOC_SHA256
                         : VG_IOC_NONE;
    }
    for (size_t i = 0; i + 2 < n && i < 17; i++) {
        if (s[i] == ':' && s[i + 1] == '/' && s[i + 2] == '/') {
            return valid_scheme(s, i) ? VG_IOC_URL : VG_IOC_NONE;
        }
    }
    if (is_win_path(s, n) || (n > 1 && s[0] == '/' && n < 4096)) {
        return VG_IOC_FILEPATH;
    }
    if (n >= 3 && vg_ascii_ieq(s, "HK", 2)) {
        char big[VG_IOC_MAX_VALUE + 1];
        if (vg_ioc_normalize(VG_IOC_REGISTRY, s, n, big, sizeof(big)) >= 0) {
            return VG_IOC_REGISTRY;
        }
    }
    if (memchr(s, '@', n) != NULL) {
        char big[VG_IOC_MAX_VALUE + 1];
        return vg_ioc_normalize(VG_IOC_EMAIL, s, n, big, sizeof(big)) >= 0
                   ? VG_IOC_EMAIL
                   : VG_IOC_NONE;
    }
    size_t k = 0;
    int digits = 1;
    for (size_t i = 0; i < n; i++) {
        if (s[i] >= '0' && s[i] <= '9') {
            k++;
        } else if (s[i] != ' ') {
            digits = 0;
        }
    }
    if (digits && (k == 9 || k == 10)) {
        return VG_IOC_ANYDESK;
    }
    if (memchr(s, '\\', n) == NULL && memchr(s, '/', n) == NULL &&
        memchr(s, ' ', n) == NULL && ioc_has_file_ext(s, n)) {
        return VG_IOC_FILENAME;
    }
    size_t dn = n > 0 && s[n - 1] == '.' ? n - 1 : n;
    if (ioc_valid_domain(s, dn)) {
        return VG_IOC_DOMAIN;
    }
    size_t ho, hl;
    unsigned port;
    if (memchr(s, ':', n) != NULL &&
        ioc_split_hostport(s, n, &ho, &hl, &port) == VG_OK && port != 0) {
        return VG_IOC_RELAY;
    }
    return VG_IOC_NONE;
}
