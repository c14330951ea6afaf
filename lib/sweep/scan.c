/* SPDX-License-Identifier: Apache-2.0 */
/*
 * scan.c - the sweep's candidate scanner: compiles prefilters from a sealed
 * IOC store, then finds IPv4/IPv6/domain/URL/hash tokens in a whole buffer
 * and confirms them with the store's lookups.
 *
 * Why not vg_ioc_match_text (lib/ioc/extract.c): that tokeniser refangs
 * ("1.2.3[.]4" -> 1.2.3.4), which is right for advisories and wrong for
 * logs, and it classifies every token of the text. Here only '.' and ':'
 * (and, when the store has hashes, 16-byte blocks of hex) are looked at,
 * 64 bytes at a time with SSE2 compares; a token is built around such a
 * byte, rejected by a hash bitmap in most cases, and only then looked up.
 * It deliberately does not know lines: the caller finds line boundaries
 * around hits.
 */
#include <arpa/inet.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include "core/alloc.h"
#include "sweep/sweep_int.h"
#include "vigil/ioc.h"

#include "core/banned.h"

#define DOMAIN_MAX 253
#define URL_MAX    4096
#define IDS_CAP    64

enum { C_DIGIT = 1, C_ALPHA = 2, C_HEX = 4, C_NAME = 8, C_V6 = 16, C_URL = 32,
       C_WORD = 64, C_JOIN = 128 /* '-' '_' */ };

static unsigned char cls[256];

static void
cls_init(void)
{
    for (int c = 0; c < 256; c++) {
        unsigned v = 0;
        int dig = c >= '0' && c <= '9';
        int alp = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
        int hex = dig || ((c | 32) >= 'a' && (c | 32) <= 'f');
        v |= dig ? C_DIGIT : 0;
        v |= alp ? C_ALPHA : 0;
        v |= hex ? C_HEX : 0;
        v |= (dig || alp || c == '.' || c == '-' || c == '_') ? C_NAME : 0;
        v |= (hex || c == ':' || c == '.') ? C_V6 : 0;
        v |= (c > 0x20 && c < 0x7f && c != '"' && c != '\'' && c != '<' &&
              c != '>' && c != '`' && c != '\\')
                 ? C_URL
                 : 0;
        v |= (dig || alp || c == '_') ? C_WORD : 0;
        v |= (c == '-' || c == '_') ? C_JOIN : 0;
        cls[c] = (unsigned char)v;
    }
}

#define IS(c, k) (cls[(unsigned char)(c)] & (k))

static unsigned
log2_bits(size_t n)
{
    size_t want = n * 32;
    unsigned b = 12;
    while (b < 30 && ((size_t)1 << b) < want) {
        b++;
    }
    return b;
}

static void
setbit(uint64_t *bits, uint64_t idx)
{
    bits[idx >> 6] |= (uint64_t)1 << (idx & 63);
}

/* One to three decimal digits at *p (< e), at most 255. */
static int
octet(const char **p, const char *e, uint32_t *v)
{
    unsigned d, x;
    if (*p >= e || (x = (unsigned)(**p - '0')) > 9) {
        return 0;
    }
    (*p)++;
    for (int k = 0; k < 2 && *p < e && (d = (unsigned)(**p - '0')) <= 9;
         k++) {
        x = x * 10 + d;
        (*p)++;
    }
    *v = x;
    return x <= 255;
}

/* "a.b.c.d" exactly (leading zeros allowed: decimal, as the IOC
 * normaliser reads them). */
static uint32_t
parse_quad(const char *s, size_t n, int *ok)
{
    const char *p = s, *e = s + n;
    uint32_t a = 0, v = 0;
    *ok = 0;
    for (int k = 0; k < 4; k++) {
        if (!octet(&p, e, &v)) {
            return 0;
        }
        a = a << 8 | v;
        if (k < 3) {
            if (p >= e || *p != '.') {
                return 0;
            }
            p++;
        }
    }
    *ok = p == e;
    return a;
}

static void
add_cidr4(struct vg_sweep *sw, const char *v)
{
    const char *slash = strchr(v, '/');
    int ok = 0;
    if (slash == NULL) {
        return;
    }
    uint32_t a = parse_quad(v, (size_t)(slash - v), &ok);
    unsigned len = 0;
    for (const char *p = slash + 1; *p >= '0' && *p <= '9' && len < 100; p++) {
        len = len * 10 + (unsigned)(*p - '0');
    }
    if (!ok || len > 32) {
        return;
    }
    uint32_t first = a >> 16;
    uint32_t count = len >= 16 ? 1u : (1u << (16 - len));
    for (uint32_t k = 0; k < count && first + k < 65536u; k++) {
        setbit(sw->cidr16, first + k);
    }
    sw->has_cidr4 = 1;
}

/* Two little-endian 8-byte words of p[0..n), n <= 16, zero-padded. */
static void
text_words(const char *p, size_t n, uint64_t *lo, uint64_t *hi)
{
    unsigned char t[16] = {0};
    memcpy(t, p, n);
    *lo = *hi = 0;
    for (int i = 7; i >= 0; i--) {
        *lo = *lo << 8 | t[i];
        *hi = *hi << 8 | t[8 + i];
    }
}

static void
add_ip4_text(struct vg_sweep *sw, uint32_t a)
{
    char txt[16];
    uint64_t lo, hi;
    int n = snprintf(txt, sizeof(txt), "%u.%u.%u.%u", a >> 24, (a >> 16) & 255u,
                     (a >> 8) & 255u, a & 255u);
    text_words(txt, (size_t)n, &lo, &hi);
    setbit(sw->ip4t_bits, sweep_ip4text(lo, hi) >> sw->ip4t_shift);
}

static void
add_domain(struct vg_sweep *sw, const char *v)
{
    size_t n = strlen(v);
    uint64_t h = 0;
    for (size_t i = n; i > 0; i--) {
        if (v[i - 1] == '.' && i < n && v[i] != '.') {
            /* the last label, once: the tokens' first gate */
            setbit(sw->tld_bits, sweep_dmix(h) >> SWEEP_TLD_SHIFT);
        }
        h = sweep_dstep(h, (unsigned char)v[i - 1]);
    }
    if (memchr(v, '.', n) == NULL) {
        setbit(sw->tld_bits, sweep_dmix(h) >> SWEEP_TLD_SHIFT);
    }
    setbit(sw->dom_bits, sweep_dmix(h) >> sw->dom_shift);
}

static int
alloc_bits(uint64_t **bits, uint32_t *shift, size_t n)
{
    unsigned b = log2_bits(n);
    *shift = 64u - b;
    *bits = vg_calloc(((size_t)1 << b) / 64, sizeof(uint64_t));
    return *bits == NULL ? VG_ENOMEM : VG_OK;
}

static void
compile_one(struct vg_sweep *sw, const struct vg_ioc_info *in)
{
    int ok = 0;
    switch (in->type) {
    case VG_IOC_IPV4: {
        uint32_t a = parse_quad(in->value, strlen(in->value), &ok);
        if (ok) {
            setbit(sw->ip4_bits, sweep_ip4mix(a) >> sw->ip4_shift);
            add_ip4_text(sw, a);
            sw->has_ip4 = 1;
        }
        break;
    }
    case VG_IOC_CIDR4: add_cidr4(sw, in->value); break;
    case VG_IOC_IPV6:
    case VG_IOC_CIDR6: sw->has_ip6 = 1; break;
    case VG_IOC_DOMAIN:
        add_domain(sw, in->value);
        sw->has_dom = 1;
        break;
    case VG_IOC_URL: sw->has_url = 1; break;
    case VG_IOC_MD5:
    case VG_IOC_SHA1:
    case VG_IOC_SHA256: sw->has_hash = 1; break;
    default: break;
    }
}

int
vg_sweep_new(const struct vg_ioc_store *st, struct vg_sweep **out)
{
    struct vg_ioc_info in;
    int rc = VG_ENOMEM;
    *out = NULL;
    if (st == NULL) {
        return VG_EINVAL;
    }
    static pthread_once_t once = PTHREAD_ONCE_INIT;
    pthread_once(&once, cls_init);
    struct vg_sweep *sw = vg_calloc(1, sizeof(*sw));
    if (sw == NULL) {
        return VG_ENOMEM;
    }
    sw->st = st;
    if (alloc_bits(&sw->ip4_bits, &sw->ip4_shift,
                   vg_ioc_count_type(st, VG_IOC_IPV4)) != VG_OK ||
        alloc_bits(&sw->ip4t_bits, &sw->ip4t_shift,
                   vg_ioc_count_type(st, VG_IOC_IPV4)) != VG_OK ||
        alloc_bits(&sw->dom_bits, &sw->dom_shift,
                   vg_ioc_count_type(st, VG_IOC_DOMAIN)) != VG_OK ||
        (sw->cidr16 = vg_calloc(65536 / 64, sizeof(uint64_t))) == NULL) {
        goto out;
    }
    uint32_t n = vg_ioc_count(st);
    for (uint32_t id = 0; id < n; id++) {
        if (vg_ioc_get(st, id, &in) == VG_OK) {
            compile_one(sw, &in);
        }
    }
    *out = sw;
    sw = NULL;
    rc = VG_OK;
out:
    vg_sweep_free(sw);
    return rc;
}

void
vg_sweep_free(struct vg_sweep *sw)
{
    if (sw == NULL) {
        return;
    }
    vg_free(sw->ip4_bits);
    vg_free(sw->ip4t_bits);
    vg_free(sw->dom_bits);
    vg_free(sw->cidr16);
    vg_free(sw);
}

const struct vg_ioc_store *
vg_sweep_store(const struct vg_sweep *sw)
{
    return sw == NULL ? NULL : sw->st;
}

/* --- scanning ----------------------------------------------------------- */

struct scan {
    const struct vg_sweep *sw;
    const char *b;
    size_t      n, from, limit;
    size_t      cur_name, cur_v6, cur_hex, cur_url, cur_win; /* next unexamined */
    vg_sweep_hit_fn *fn;
    void       *arg;
    int         hits;
    int         stop;
    int         want_names; /* IPv4, CIDR4 or domain indicators exist */
};

static int
report(struct scan *s, const uint32_t *ids, int cnt, size_t off, size_t len)
{
    if (off < s->from || off >= s->limit) {
        return 0;
    }
    for (int i = 0; i < cnt && i < IDS_CAP; i++) {
        s->hits++;
        int rc = s->fn(s->arg, ids[i], off, len);
        if (rc != 0) {
            s->stop = rc;
            return rc;
        }
    }
    return 0;
}

#if defined(__SSE2__)
/* 1 when the token b[a, a+n) cannot be an exact IPv4 indicator, judged on
 * its text alone (most tokens of an address-heavy log end here, unparsed).
 * A token with a leading-zero octet ("010.1.1.1" is 10.1.1.1) is never
 * rejected: it goes on to the parser. */
static int
ip4_text_miss(const struct scan *s, size_t a, size_t n)
{
    static const char ones[32] = {
        -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1,
    };
    __m128i v;
    if (n < 7 || n > 15) {
        return 1; /* "1.2.3.4" to "255.255.255.255" */
    }
    if (s->n - a >= 16) {
        v = _mm_loadu_si128((const __m128i *)(const void *)(s->b + a));
    } else {
        char t[16] = {0};
        memcpy(t, s->b + a, n);
        v = _mm_loadu_si128((const __m128i *)(const void *)t);
    }
    v = _mm_and_si128(v, _mm_loadu_si128(
                             (const __m128i *)(const void *)(ones + 16 - n)));
    unsigned zero = (unsigned)_mm_movemask_epi8(
        _mm_cmpeq_epi8(v, _mm_set1_epi8('0')));
    unsigned dot = (unsigned)_mm_movemask_epi8(
        _mm_cmpeq_epi8(v, _mm_set1_epi8('.')));
    unsigned dig = (unsigned)_mm_movemask_epi8(_mm_and_si128(
        _mm_cmpgt_epi8(v, _mm_set1_epi8('0' - 1)),
        _mm_cmplt_epi8(v, _mm_set1_epi8('9' + 1))));
    if (zero & (dot << 1 | 1u) & (dig >> 1)) {
        return 0; /* leading zero: not canonical text */
    }
    uint64_t lo = (uint64_t)_mm_cvtsi128_si64(v);
    uint64_t hi = (uint64_t)_mm_cvtsi128_si64(_mm_unpackhi_epi64(v, v));
    const struct vg_sweep *sw = s->sw;
    return !sweep_bit(sw->ip4t_bits, sweep_ip4text(lo, hi) >> sw->ip4t_shift);
}
#else
static int
ip4_text_miss(const struct scan *s, size_t a, size_t n)
{
    (void)s;
    (void)a;
    (void)n;
    return 0; /* no fast path: every token is parsed */
}
#endif

/* The slow paths below hold an id array: kept out of line so the token
 * loop they are called from needs no stack protector and stays small. */
#define SLOW __attribute__((noinline, cold))

static SLOW void
lookup_ip4(struct scan *s, size_t a, size_t e)
{
    uint32_t ids[IDS_CAP];
    int ok;
    uint32_t ip = parse_quad(s->b + a, e - a, &ok);
    if (!ok) {
        return;
    }
    const struct vg_sweep *sw = s->sw;
    int maybe = (sw->has_ip4 &&
                 sweep_bit(sw->ip4_bits, sweep_ip4mix(ip) >> sw->ip4_shift)) ||
                (sw->has_cidr4 && sweep_bit(sw->cidr16, ip >> 16));
    if (!maybe) {
        return;
    }
    int cnt = vg_ioc_lookup_ip4(sw->st, ip, ids, IDS_CAP);
    if (cnt > 0) {
        report(s, ids, cnt, a, e - a);
    }
}

static void
try_ip4(struct scan *s, size_t a, size_t e)
{
    /* CIDR indicators need the parsed address; exact ones only the text */
    if (!s->sw->has_cidr4 && ip4_text_miss(s, a, e - a)) {
        return;
    }
    lookup_ip4(s, a, e);
}

/* name[0..n) is a host name; a hit is reported as [off, off+len). */
static SLOW void
lookup_domain(struct scan *s, const char *name, size_t n, size_t off,
              size_t len)
{
    uint32_t ids[IDS_CAP];
    int cnt = vg_ioc_lookup_domain(s->sw->st, name, n, ids, IDS_CAP);
    if (cnt > 0) {
        report(s, ids, cnt, off, len);
    }
}

static void
try_domain(struct scan *s, const char *name, size_t n, size_t off, size_t len)
{
    const struct vg_sweep *sw = s->sw;
    size_t lo = n > DOMAIN_MAX ? n - DOMAIN_MAX : 0;
    size_t best = SIZE_MAX, p = n;
    uint64_t h = 0;
    /* The last label first: a name whose last label ends no indicator
     * ("index.html", "x.php" in web logs) is dropped before hashing the
     * rest. */
    while (p > lo && name[p - 1] != '.') {
        p--;
        h = sweep_dstep(h, (unsigned char)name[p]);
    }
    if (p == n || !sweep_bit(sw->tld_bits, sweep_dmix(h) >> SWEEP_TLD_SHIFT)) {
        return;
    }
    if ((p == 0 || name[p - 1] == '.') &&
        sweep_bit(sw->dom_bits, sweep_dmix(h) >> sw->dom_shift)) {
        best = p; /* a one-label indicator ("localhost") */
    }
    for (size_t i = p; i > lo; i--) {
        h = sweep_dstep(h, (unsigned char)name[i - 1]);
        if ((i == 1 || name[i - 2] == '.') && name[i - 1] != '.' &&
            sweep_bit(sw->dom_bits, sweep_dmix(h) >> sw->dom_shift)) {
            best = i - 1;
        }
    }
    if (best != SIZE_MAX) {
        lookup_domain(s, name + best, n - best, off, len);
    }
}

/* Windows DNS debug log names: "(3)www(4)evil(3)com(0)", pos at the last
 * ')'. Decoded to "www.evil.com" and looked up as a domain. */
static SLOW void
windns_token(struct scan *s, size_t pos)
{
    const char *b = s->b;
    char name[DOMAIN_MAX + 1];
    size_t a = pos - 2, k = 0;
    if (a < s->cur_win) {
        return;
    }
    while (a > s->cur_win && pos - a < 2 * DOMAIN_MAX &&
           (IS(b[a - 1], C_NAME) || b[a - 1] == '(' || b[a - 1] == ')')) {
        a--;
    }
    size_t i = a;
    while (i < pos - 2) {
        size_t len = 0;
        if (b[i] != '(') {
            return;
        }
        for (i++; i < pos && b[i] >= '0' && b[i] <= '9' && len < 64; i++) {
            len = len * 10 + (size_t)(b[i] - '0');
        }
        if (i >= pos || b[i] != ')' || len == 0 || len > 63 ||
            len > pos - 2 - (i + 1) || k + len + 1 > DOMAIN_MAX) {
            return;
        }
        if (k > 0) {
            name[k++] = '.';
        }
        memcpy(name + k, b + i + 1, len);
        k += len;
        i += 1 + len;
    }
    if (i == pos - 2 && k > 0) {
        try_domain(s, name, k, a, pos + 1 - a);
    }
}

static void
windns_at(struct scan *s, size_t pos)
{
    windns_token(s, pos);
    s->cur_win = pos + 1; /* the next name is searched back to here only */
}

/* A run of IPv4 digits/dots possibly joined by '-' (address ranges). */
static void
numeric_token(struct scan *s, size_t a, size_t e)
{
    size_t p = a;
    while (p < e) {
        size_t q = p;
        while (q < e && s->b[q] != '-') {
            q++;
        }
        size_t qe = q;
        while (qe > p && s->b[qe - 1] == '.') {
            qe--; /* end of a sentence */
        }
        if (qe > p && s->b[p] != '.') {
            try_ip4(s, p, qe);
        }
        p = q + 1;
    }
}

/* A name token [a, e) whose byte classes OR to f: an address or a host. */
static void
name_classify(struct scan *s, size_t a, size_t e, unsigned f)
{
    const char *b = s->b;
    s->cur_name = e;
    if (!(f & C_ALPHA)) {
        if (!(s->sw->has_ip4 || s->sw->has_cidr4)) {
            return;
        }
        if (f & C_JOIN) {
            numeric_token(s, a, e);
            return;
        }
        while (e > a && b[e - 1] == '.') {
            e--; /* end of a sentence */
        }
        if (e - a >= 7 && e - a <= 15 && b[a] != '.') {
            try_ip4(s, a, e);
        }
        return;
    }
    if (!s->sw->has_dom) {
        return;
    }
    while (a < e && (b[a] == '.' || b[a] == '-')) {
        a++;
    }
    while (e > a && b[e - 1] == '.') {
        e--;
    }
    if (e > a) {
        try_domain(s, b + a, e - a, a, e - a);
    }
}

/* Scalar expansion from [a, e) outwards, classes ORed into *f. */
static void
expand_left(const struct scan *s, size_t *a, unsigned *f)
{
    unsigned c;
    while (*a > s->cur_name && ((c = cls[(unsigned char)s->b[*a - 1]]) & C_NAME)) {
        *f |= c;
        (*a)--;
    }
}

static void
expand_right(const struct scan *s, size_t *e, unsigned *f)
{
    unsigned c;
    while (*e < s->n && ((c = cls[(unsigned char)s->b[*e]]) & C_NAME)) {
        *f |= c;
        (*e)++;
    }
}

static void
v6_token(struct scan *s, size_t pos)
{
    uint32_t ids[IDS_CAP];
    const char *b = s->b;
    size_t a = pos, e = pos + 1;
    while (a > s->cur_v6 && IS(b[a - 1], C_V6)) {
        a--;
    }
    while (e < s->n && IS(b[e], C_V6)) {
        e++;
    }
    s->cur_v6 = e;
    while (e > a && b[e - 1] == '.') {
        e--;
    }
    if (e - a < 2 || e - a > 45 || (a > 0 && IS(b[a - 1], C_WORD)) ||
        (e < s->n && IS(b[e], C_WORD))) {
        return;
    }
    char tmp[48];
    uint8_t addr[16];
    memcpy(tmp, b + a, e - a);
    tmp[e - a] = '\0';
    if (inet_pton(AF_INET6, tmp, addr) != 1) {
        return;
    }
    int cnt = vg_ioc_lookup_ip6(s->sw->st, addr, ids, IDS_CAP);
    static const uint8_t mapped[12] = { [10] = 0xff, [11] = 0xff };
    if (cnt == 0 && memchr(tmp, '.', e - a) == NULL &&
        memcmp(addr, mapped, 12) == 0 && (s->sw->has_ip4 || s->sw->has_cidr4)) {
        /* ::ffff:a01:101 is 10.1.1.1; the dotted form is found by the
         * IPv4 path, so only the hex form is handled here. */
        uint32_t ip = (uint32_t)addr[12] << 24 | (uint32_t)addr[13] << 16 |
                      (uint32_t)addr[14] << 8 | addr[15];
        cnt = vg_ioc_lookup_ip4(s->sw->st, ip, ids, IDS_CAP);
    }
    if (cnt > 0) {
        report(s, ids, cnt, a, e - a);
    }
}

static int
url_ids(struct scan *s, const char *u, size_t n, uint32_t *ids)
{
    uint32_t all[IDS_CAP];
    struct vg_ioc_info in;
    int cnt = vg_ioc_lookup_url(s->sw->st, u, n, all, IDS_CAP), k = 0;
    for (int i = 0; i < cnt && i < IDS_CAP; i++) {
        /* host hits are reported by the domain/IP paths already */
        if (vg_ioc_get(s->sw->st, all[i], &in) == VG_OK &&
            in.type == VG_IOC_URL) {
            ids[k++] = all[i];
        }
    }
    return k;
}

static void
url_token(struct scan *s, size_t pos)
{
    uint32_t ids[IDS_CAP];
    const char *b = s->b;
    if (pos + 2 >= s->n || b[pos + 1] != '/' || b[pos + 2] != '/') {
        return;
    }
    size_t a = pos, e = pos + 3;
    while (a > s->cur_url && pos - a < 16 &&
           (IS(b[a - 1], C_ALPHA | C_DIGIT) || b[a - 1] == '+' ||
            b[a - 1] == '-' || b[a - 1] == '.')) {
        a--;
    }
    while (e < s->n && e - a < URL_MAX && IS(b[e], C_URL)) {
        e++;
    }
    s->cur_url = e;
    if (a == pos || !IS(b[a], C_ALPHA)) {
        return;
    }
    int cnt = url_ids(s, b + a, e - a, ids);
    if (cnt == 0) {
        const char *q = memchr(b + a, '?', e - a);
        if (q != NULL) {
            cnt = url_ids(s, b + a, (size_t)(q - (b + a)), ids);
        }
    }
    if (cnt > 0) {
        report(s, ids, cnt, a, e - a);
    }
}

static void
hex_token(struct scan *s, size_t pos)
{
    uint32_t ids[IDS_CAP];
    const char *b = s->b;
    size_t a = pos, e = pos;
    if (pos < s->cur_hex) {
        return;
    }
    while (a > s->cur_hex && IS(b[a - 1], C_HEX)) {
        a--;
    }
    while (e < s->n && IS(b[e], C_HEX)) {
        e++;
    }
    s->cur_hex = e;
    size_t len = e - a;
    if ((len != 32 && len != 40 && len != 64) ||
        (a > 0 && IS(b[a - 1], C_WORD)) || (e < s->n && IS(b[e], C_WORD))) {
        return;
    }
    int cnt = vg_ioc_lookup_hash(s->sw->st, b + a, len, ids, IDS_CAP);
    if (cnt > 0) {
        report(s, ids, cnt, a, len);
    }
}

static void
one(struct scan *s, size_t pos, int is_hex)
{
    if (is_hex) {
        hex_token(s, pos);
        return;
    }
    if (s->b[pos] == ')') {
        if (pos >= 2 && s->b[pos - 1] == '0' && s->b[pos - 2] == '(') {
            windns_at(s, pos);
        }
        return;
    }
    if (s->sw->has_url && pos >= s->cur_url) {
        url_token(s, pos);
    }
    if (s->sw->has_ip6 && pos >= s->cur_v6) {
        v6_token(s, pos);
    }
}

/* Masks for 64 bytes at p: bit i set when p[i] is interesting. */
struct masks {
    uint64_t dot;   /* '.' */
    uint64_t name;  /* [A-Za-z0-9._-] */
    uint64_t alpha; /* [A-Za-z] */
    uint64_t join;  /* '-' '_' */
    uint64_t sep; /* (wanted) ':' and ')' */
    uint64_t hex; /* one bit per fully-hex 16-byte lane (its first byte) */
};

#if defined(__SSE2__)
static struct masks
block(const char *p, int colon, int hex, int paren)
{
    struct masks m = { 0, 0, 0, 0, 0, 0 };
    const __m128i col = _mm_set1_epi8(':'), par = _mm_set1_epi8(')');
#if defined(__clang__)
#pragma unroll
#else
#pragma GCC unroll 4
#endif
    for (int k = 0; k < 4; k++) {
        __m128i v = _mm_loadu_si128((const __m128i *)(const void *)(p + 16 * k));
        __m128i l = _mm_or_si128(v, _mm_set1_epi8(0x20));
        __m128i al = _mm_and_si128(_mm_cmpgt_epi8(l, _mm_set1_epi8('a' - 1)),
                                   _mm_cmplt_epi8(l, _mm_set1_epi8('z' + 1)));
        __m128i d = _mm_and_si128(_mm_cmpgt_epi8(v, _mm_set1_epi8('0' - 1)),
                                  _mm_cmplt_epi8(v, _mm_set1_epi8('9' + 1)));
        __m128i dot = _mm_cmpeq_epi8(v, _mm_set1_epi8('.'));
        __m128i j = _mm_or_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8('-')),
                                 _mm_cmpeq_epi8(v, _mm_set1_epi8('_')));
        __m128i nm = _mm_or_si128(_mm_or_si128(al, d), _mm_or_si128(dot, j));
        int sh = 16 * k;
        m.dot |= (uint64_t)(unsigned)_mm_movemask_epi8(dot) << sh;
        m.name |= (uint64_t)(unsigned)_mm_movemask_epi8(nm) << sh;
        m.alpha |= (uint64_t)(unsigned)_mm_movemask_epi8(al) << sh;
        m.join |= (uint64_t)(unsigned)_mm_movemask_epi8(j) << sh;
        unsigned bits = 0;
        if (colon) {
            bits |= (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(v, col));
        }
        if (paren) {
            bits |= (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(v, par));
        }
        m.sep |= (uint64_t)bits << sh;
        if (hex) {
            __m128i x = _mm_and_si128(_mm_cmpgt_epi8(l, _mm_set1_epi8('a' - 1)),
                                      _mm_cmplt_epi8(l, _mm_set1_epi8('f' + 1)));
            if (_mm_movemask_epi8(_mm_or_si128(d, x)) == 0xffff) {
                m.hex |= (uint64_t)1 << sh;
            }
        }
    }
    return m;
}
#else
static struct masks
block(const char *p, int colon, int hex, int paren)
{
    struct masks m = { 0, 0, 0, 0, 0, 0 };
    for (int i = 0; i < 64; i++) {
        uint64_t bit = (uint64_t)1 << i;
        unsigned c = cls[(unsigned char)p[i]];
        m.dot |= p[i] == '.' ? bit : 0;
        m.name |= (c & C_NAME) ? bit : 0;
        m.alpha |= (c & C_ALPHA) ? bit : 0;
        m.join |= (c & C_JOIN) ? bit : 0;
        if ((colon && p[i] == ':') || (paren && p[i] == ')')) {
            m.sep |= bit;
        }
    }
    for (int k = 0; hex && k < 4; k++) {
        int all = 1;
        for (int i = 0; i < 16; i++) {
            all &= IS(p[16 * k + i], C_HEX) != 0;
        }
        m.hex |= all ? (uint64_t)1 << (16 * k) : 0;
    }
    return m;
}
#endif

/* Bits of x at positions >= i (i < 64), and below i. */
#define FROM(i) (~(((uint64_t)1 << (i)) - 1))
#define BELOW(i) (((uint64_t)1 << (i)) - 1)

/* The name token around the '.' at bit i of the block at base: bounds
 * from the masks, scalar only past the block's edges. */
static void
dot_token(struct scan *s, size_t base, unsigned i, const struct masks *m)
{
    unsigned f = 0;
    uint64_t gaps = ~m->name;
    uint64_t lo = gaps & BELOW(i), hi = i == 63 ? 0 : gaps & FROM(i + 1);
    size_t a, e;
    unsigned ab, eb;
    if (lo != 0) {
        ab = 64u - (unsigned)__builtin_clzll(lo);
        a = base + ab;
    } else {
        ab = 0;
        a = base;
        expand_left(s, &a, &f);
    }
    if (a < s->cur_name) {
        a = s->cur_name; /* cut where the previous token ended */
        ab = (unsigned)(a - base);
    }
    if (hi != 0) {
        eb = (unsigned)__builtin_ctzll(hi);
        e = base + eb;
    } else {
        eb = 64;
        e = base + 64;
        if (e > s->n) {
            e = s->n;
        }
        expand_right(s, &e, &f);
    }
    uint64_t r = (eb >= 64 ? ~(uint64_t)0 : BELOW(eb)) & FROM(ab);
    f |= (m->alpha & r) ? C_ALPHA : 0;
    f |= (m->join & r) ? C_JOIN : 0;
    name_classify(s, a, e, f);
}

static void
walk(struct scan *s, size_t base, const struct masks *m)
{
    uint64_t dot = s->want_names ? m->dot : 0, sep = m->sep, hex = m->hex;
    while ((dot | sep | hex) != 0 && s->stop == 0) {
        uint64_t all = dot | sep | hex;
        unsigned i = (unsigned)__builtin_ctzll(all);
        uint64_t bit = (uint64_t)1 << i;
        size_t pos = base + i;
        if (pos >= s->n) {
            break;
        }
        if (dot & bit) {
            dot &= ~bit;
            if (pos >= s->cur_name) {
                dot_token(s, base, i, m);
                /* the other dots of that token need no visit */
                size_t k = s->cur_name - base;
                dot &= k >= 64 ? 0 : FROM(k);
            }
            continue;
        }
        sep &= ~bit;
        hex &= ~bit;
        /* a fully-hex lane never starts with ':' or ')' */
        one(s, pos, (int)((m->hex >> i) & 1u));
    }
}

int
vg_sweep_scan(const struct vg_sweep *sw, const char *buf, size_t n,
              size_t from, size_t limit, vg_sweep_hit_fn *fn, void *arg)
{
    if (sw == NULL || (buf == NULL && n > 0) || fn == NULL) {
        return VG_EINVAL;
    }
    struct scan s = { .sw = sw, .b = buf, .n = n, .from = from,
                      .limit = limit < n ? limit : n, .fn = fn, .arg = arg };
    int colon = sw->has_ip6 || sw->has_url;
    int hex = sw->has_hash;
    int paren = sw->has_dom; /* Windows DNS debug log "(3)www(4)evil(3)com(0)" */
    s.want_names = sw->has_ip4 || sw->has_cidr4 || sw->has_dom;
    if (!(s.want_names || colon || hex)) {
        return 0;
    }
    /* Tokens ending before `from` cannot be reported: start a little
     * earlier than from only so a token straddling it is seen whole. */
    size_t i = from > 256 ? (from - 256) & ~(size_t)63 : 0;
    s.cur_name = s.cur_v6 = s.cur_hex = s.cur_url = s.cur_win = i;
    for (; i + 64 <= n && s.stop == 0; i += 64) {
        struct masks m = block(buf + i, colon, hex, paren);
        if ((m.dot | m.sep | m.hex) != 0) {
            walk(&s, i, &m);
        }
    }
    if (i < n && s.stop == 0) {
        char tail[64];
        memset(tail, 0, sizeof(tail));
        memcpy(tail, buf + i, n - i);
        struct masks m = block(tail, colon, hex, paren);
        walk(&s, i, &m);
    }
    return s.stop != 0 ? s.stop : s.hits;
}
