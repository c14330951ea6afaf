/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test_evtx_tplcache.c - the per-chunk template cache of lib/evtx/binxml.c
 * (definitions decoded once, replayed per instance) on hand-built BinXML:
 * one definition used by several records with optional empty/null and
 * missing substitutions and a BinXML substitution, a nested instance inside
 * a definition, definitions that hit the depth, token and node limits, one
 * the cache does not take (processing instruction), a damaged definition,
 * a chunk switch reusing the same offsets, and a value rendering bug the
 * differential fuzzer found. Every file is read twice,
 * with the cache and with the token-by-token expansion (no_tpl_cache), and
 * the records (XML and JSON) and log lines must be identical and equal to
 * the exact expected text.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "evtx/evtx_int.h"
#include "binxml_build.h"
#include "evtx_writer.h"
#include "le_bytes.h"
#include "vg_test.h"
#include "vigil/evtx.h"
#include "vigil/vigil.h"

/* ---- BinXML builder ---- */

static void
bsubst(struct bx *x, int optional, uint16_t id, uint8_t type)
{
    bx_u8(x, optional ? 0x0e : 0x0d);
    bx_u16(x, id);
    bx_u8(x, type);
}

/* Template instance whose definition follows inline; returns where the
 * definition's size goes (tpl_end patches it). *def_off: its offset. */
static size_t
tpl_begin(struct bx *x, uint32_t *def_off)
{
    size_t size_at;

    bx_u8(x, 0x0c);
    bx_u8(x, 0x01);
    bx_u32(x, 0x11223344);
    *def_off = bx_here(x) + 4;
    bx_u32(x, *def_off);
    bx_u32(x, 0); /* next */
    memcpy(x->b + x->n, "vigil-tplcache!", 16);
    x->n += 16;
    size_at = x->n;
    bx_u32(x, 0);
    bx_u32(x, 0x0001010f);
    return size_at;
}

static void
tpl_end(struct bx *x, size_t size_at)
{
    bx_u8(x, 0x00);
    le_put32(x->b + size_at, (uint32_t)(x->n - size_at - 4));
}

/* Instance of the definition at def_off (not inline). */
static void
tpl_ref(struct bx *x, uint32_t def_off)
{
    bx_u8(x, 0x0c);
    bx_u8(x, 0x01);
    bx_u32(x, 0x11223344);
    bx_u32(x, def_off);
}

struct sv {
    uint8_t type;
    const char *s; /* UTF-16 from ASCII (type 0x01), else raw bytes */
    size_t len;    /* raw bytes */
};

/* Substitution array. */
static void
bsubs(struct bx *x, const struct sv *v, size_t n)
{
    size_t i, k;

    bx_u32(x, (uint32_t)n);
    for (i = 0; i < n; i++) {
        bx_u16(x, (uint16_t)(v[i].type == 0x01 ? 2 * strlen(v[i].s) : v[i].len));
        bx_u8(x, v[i].type);
        bx_u8(x, 0);
    }
    for (i = 0; i < n; i++) {
        if (v[i].type == 0x01) {
            for (k = 0; v[i].s[k]; k++) {
                bx_u16(x, (uint8_t)v[i].s[k]);
            }
        } else {
            memcpy(x->b + x->n, v[i].s, v[i].len);
            x->n += v[i].len;
        }
    }
}

/* ---- files ---- */

struct fx {
    struct evw *w;
    struct bx x;
    uint8_t *data;
    size_t len;
    uint64_t id;
};

static struct bx *
fx_record(struct fx *t)
{
    bx_record(&t->x, evw_raw_offset(t->w));
    return &t->x;
}

static int
fx_add(struct fx *t)
{
    bx_u8(&t->x, 0x00);
    return evw_add_raw(t->w, ++t->id, 133000000000000000ull, t->x.b,
                       t->x.n);
}

static int
fx_finish(struct fx *t)
{
    return evw_finish_free(&t->w, &t->data, &t->len);
}

struct out {
    struct vg_buf b;
    int failed;
};

static int
on_rec(void *arg, struct vg_evtx_record *rec)
{
    struct out *o = arg;
    int rc = vg_evtx_record_xml(rec, &o->b);

    if (rc == VG_OK) {
        rc = vg_evtx_record_json(rec, &o->b);
    }
    return rc == VG_OK ? vg_buf_add(&o->b, "\n", 1) : rc;
}

static void
on_log(void *arg, enum vg_log_level level, const char *module,
       const char *msg)
{
    struct out *o = arg;

    (void)level;
    (void)module;
    if (vg_buf_add(&o->b, "LOG ", 4) != VG_OK ||
        vg_buf_add(&o->b, msg, strlen(msg)) != VG_OK ||
        vg_buf_add(&o->b, "\n", 1) != VG_OK) {
        o->failed = 1;
    }
}

/* Decoded definitions in the reader's cache (current chunk). */
static unsigned
n_decoded(const struct vg_evtx_reader *r)
{
    unsigned i, n = 0;

    for (i = 0; i < EV_TPL_SLOTS; i++) {
        n += r->tpls[i].gen == r->gen && r->tpls[i].def != NULL;
    }
    return n;
}

/* Records (XML, JSON) and log lines of data, read with the cache on or
 * off; malloc'd. *decoded: definitions decoded in the last chunk. */
static char *
read_all(const uint8_t *data, size_t len, int no_cache, unsigned *decoded)
{
    struct vg_ctx *ctx = NULL;
    struct vg_evtx *f = NULL;
    struct vg_evtx_reader *r = NULL;
    struct out o;
    char *s = NULL;

    vg_buf_init(&o.b, 1u << 26);
    o.failed = 0;
    if (vg_ctx_new(&ctx) != VG_OK) {
        return NULL;
    }
    vg_ctx_set_log(ctx, on_log, &o, VG_LOG_WARN);
    if (vg_evtx_open_mem(ctx, data, len, "t.evtx", &f) == VG_OK &&
        vg_evtx_reader_new(&r) == VG_OK) {
        r->no_tpl_cache = no_cache;
        if (vg_evtx_each(r, f, 0, on_rec, &o, NULL) == VG_OK && !o.failed) {
            s = vg_buf_take(&o.b);
        }
        *decoded = n_decoded(r);
    }
    vg_evtx_reader_free(r);
    vg_evtx_close(f);
    vg_ctx_free(ctx);
    vg_buf_fini(&o.b);
    return s;
}

/* Both ways equal, and (want != NULL) equal to want with JSON lines left
 * out (the XML carries the tree; JSON is compared between the modes). */
static char *
check_both(const uint8_t *data, size_t len, unsigned want_decoded)
{
    unsigned d_on = 0, d_off = 0;
    char *on = read_all(data, len, 0, &d_on);
    char *off = read_all(data, len, 1, &d_off);

    CHECK(on != NULL && off != NULL);
    if (on != NULL && off != NULL) {
        CHECK_EQ_STR(on, off);
    }
    CHECK_EQ_UINT(d_on, want_decoded);
    CHECK_EQ_UINT(d_off, 0);
    free(off);
    return on;
}

/* The XML (or LOG) lines only: drops JSON lines ("{...}"). */
static void
xml_only(char *s)
{
    char *in = s, *out = s;

    while (in != NULL && *in) {
        char *nl = strchr(in, '\n');
        size_t n = nl ? (size_t)(nl - in) + 1 : strlen(in);
        if (*in != '{') {
            memmove(out, in, n);
            out += n;
        }
        in += n;
    }
    if (out != NULL) {
        *out = '\0';
    }
}

/* The JSON lines' "Event" objects only. */
static void
json_events(const char *s, char *out, size_t cap)
{
    size_t n = 0;

    out[0] = '\0';
    while (s != NULL && (s = strstr(s, "\"T\":")) != NULL) {
        const char *nl = strchr(s, '\n');
        size_t k = nl ? (size_t)(nl - s) : strlen(s);
        if (n + k + 2 < cap) {
            memcpy(out + n, s, k);
            n += k;
            out[n++] = '\n';
            out[n] = '\0';
        }
        s += k;
    }
}

/* With VG_EVTX_SEED_DIR set, the first chunk of a fixture is written there
 * as a fuzz_evtx_tplcache seed (signature forced, trailing zeros cut):
 * how fuzz/corpus/evtx_tplcache/tpl-* were made. */
static void
save_seed(const char *name, const uint8_t *data, size_t len)
{
    const char *dir = getenv("VG_EVTX_SEED_DIR");
    char path[4096];
    size_t n = 65536;
    FILE *f;

    if (dir == NULL || len < 4096 + n) {
        return;
    }
    while (n > 0 && data[4096 + n - 1] == 0) {
        n--;
    }
    snprintf(path, sizeof(path), "%s/%s", dir, name);
    f = fopen(path, "wb");
    if (f != NULL) {
        fputc(1, f);
        fwrite(data + 4096, 1, n, f);
        fclose(f);
    }
}

/* ---- tests ---- */

/* <T a=opt0 b=1 c="k"><X>opt2</X><Y>3</Y><Z>lit&amp;&#65;<![CDATA[c]]></Z></T> */
static uint32_t
def_reuse(struct bx *x)
{
    uint32_t def_off;
    size_t at = tpl_begin(x, &def_off);

    bx_open(x, "T", 1, 1);
    bx_u8(x, 0x46);
    bx_name(x, "a");
    bsubst(x, 1, 0, 0x01);
    bx_u8(x, 0x06);
    bx_name(x, "b");
    bsubst(x, 0, 1, 0x08);
    bx_u8(x, 0x06);
    bx_name(x, "c");
    bx_text(x, "k");
    bx_u8(x, 0x02);
    bx_start(x, "X");
    bsubst(x, 1, 2, 0x01);
    bx_u8(x, 0x04);
    bx_start(x, "Y");
    bsubst(x, 0, 3, 0x01);
    bx_u8(x, 0x04);
    bx_start(x, "Z");
    bx_text(x, "lit");
    bx_u8(x, 0x09);
    bx_name(x, "amp");
    bx_u8(x, 0x08);
    bx_u16(x, 65);
    bx_u8(x, 0x07);
    bx_chars(x, "c");
    bx_u8(x, 0x04);
    bx_u8(x, 0x04);
    tpl_end(x, at);
    return def_off;
}

static void
t_reuse(void)
{
    static const char u7[4] = {7, 0, 0, 0}, u8v[4] = {8, 0, 0, 0};
    struct fx t;
    struct bx *x, in;
    uint32_t def;
    char *got, json[4096];

    memset(&t, 0, sizeof(t));
    REQUIRE(evw_new(&t.w) == 0);
    x = fx_record(&t);
    def = def_reuse(x);
    {
        struct sv v[] = {{0x01, "one", 0}, {0x08, u7, 4}, {0x01, "x", 0},
                         {0x01, "y", 0}};
        bsubs(x, v, 4);
    }
    REQUIRE(fx_add(&t) == 0);
    /* null and empty optional values; BinXML in a normal one */
    x = fx_record(&t);
    tpl_ref(x, def);
    memset(&in, 0, sizeof(in));
    in.base = bx_here(x) + 4 + 4 * 4 + 4;
    bx_u8(&in, 0x01); /* element without dependency id */
    bx_u32(&in, 0);
    bx_name(&in, "In");
    bx_u8(&in, 0x02);
    bx_text(&in, "t");
    bx_u8(&in, 0x04);
    bx_u8(&in, 0x00);
    {
        struct sv v[] = {{0x00, "", 0},
                         {0x08, u8v, 4},
                         {0x01, "", 0},
                         {0x21, (const char *)in.b, in.n}};
        bsubs(x, v, 4);
    }
    REQUIRE(fx_add(&t) == 0);
    /* two values only: 2 (optional) and 3 (normal) are missing */
    x = fx_record(&t);
    tpl_ref(x, def);
    {
        struct sv v[] = {{0x01, "", 0}, {0x01, "s", 0}};
        bsubs(x, v, 2);
    }
    REQUIRE(fx_add(&t) == 0);
    REQUIRE(fx_finish(&t) == 0);
    save_seed("tpl-reuse", t.data, t.len);
    got = check_both(t.data, t.len, 1);
    json_events(got, json, sizeof(json));
    CHECK_EQ_STR(json,
                 "\"T\":{\"#attributes\":{\"a\":\"one\",\"b\":7,\"c\":\"k\"},\"X\":\"x\","
                 "\"Y\":\"y\",\"Z\":\"lit&Ac\"}}\n"
                 "\"T\":{\"#attributes\":{\"b\":8,\"c\":\"k\"},\"X\":null,\"Y\":{\"In\":"
                 "\"t\"},\"Z\":\"lit&Ac\"}}\n"
                 "\"T\":{\"#attributes\":{\"b\":\"s\",\"c\":\"k\"},\"X\":null,\"Y\":null,"
                 "\"Z\":\"lit&Ac\"}}\n");
    xml_only(got);
    CHECK_EQ_STR(got, "<T a=\"one\" b=\"7\" c=\"k\">\n"
                      "  <X>x</X>\n"
                      "  <Y>y</Y>\n"
                      "  <Z>lit&amp;&#65;<![CDATA[c]]></Z>\n"
                      "</T>\n"
                      "<T b=\"8\" c=\"k\">\n"
                      "  <X/>\n"
                      "  <Y>\n"
                      "    <In>t</In>\n"
                      "  </Y>\n"
                      "  <Z>lit&amp;&#65;<![CDATA[c]]></Z>\n"
                      "</T>\n"
                      "<T b=\"s\" c=\"k\">\n"
                      "  <X/>\n"
                      "  <Y/>\n"
                      "  <Z>lit&amp;&#65;<![CDATA[c]]></Z>\n"
                      "</T>\n");
    free(got);
    free(t.data);
}

/* <O>0<M>[instance of <L>0</L> with "static"]</M></O>, used twice. */
static void
t_nested(void)
{
    struct fx t;
    struct bx *x;
    uint32_t outer, inner;
    size_t at, at2;
    char *got;
    int i;

    memset(&t, 0, sizeof(t));
    REQUIRE(evw_new(&t.w) == 0);
    for (i = 0; i < 3; i++) {
        x = fx_record(&t);
        if (i == 0) {
            at = tpl_begin(x, &outer);
            bx_start(x, "O");
            bsubst(x, 0, 0, 0x01);
            bx_start(x, "M");
            at2 = tpl_begin(x, &inner);
            bx_start(x, "L");
            bsubst(x, 0, 0, 0x01);
            bx_u8(x, 0x04);
            tpl_end(x, at2);
            {
                struct sv v[] = {{0x01, "static", 0}};
                bsubs(x, v, 1);
            }
            bx_u8(x, 0x04);
            bx_u8(x, 0x04);
            tpl_end(x, at);
        } else {
            tpl_ref(x, outer);
        }
        {
            struct sv v[] = {{0x01, i == 2 ? "two" : "v", 0}};
            bsubs(x, v, 1);
        }
        REQUIRE(fx_add(&t) == 0);
    }
    REQUIRE(fx_finish(&t) == 0);
    save_seed("tpl-nested", t.data, t.len);
    got = check_both(t.data, t.len, 2);
    xml_only(got);
    CHECK_EQ_STR(got, "<O>\nv  <M>\n"
                      "    <L>static</L>\n"
                      "  </M>\n"
                      "</O>\n"
                      "<O>\nv  <M>\n"
                      "    <L>static</L>\n"
                      "  </M>\n"
                      "</O>\n"
                      "<O>\ntwo  <M>\n"
                      "    <L>static</L>\n"
                      "  </M>\n"
                      "</O>\n");
    free(got);
    free(t.data);
}

/* A definition of one empty element <Q/> between 2 x `pad` no-op tokens
 * (end of start tag; those after it are only counted at the end of an
 * instance), or (kind 0x08) <Q> with `pad` character references. */
static uint32_t
def_bulk(struct bx *x, int kind, int pad)
{
    uint32_t def_off;
    size_t at = tpl_begin(x, &def_off);
    int i;

    if (kind == 0x08) {
        bx_start(x, "Q");
        for (i = 0; i < pad; i++) {
            bx_u8(x, 0x08);
            bx_u16(x, 'c');
        }
        bx_u8(x, 0x04);
    } else {
        for (i = 0; i < pad; i++) {
            bx_u8(x, 0x02);
        }
        bx_open(x, "Q", 0, 1);
        bx_u8(x, 0x03);
        for (i = 0; i < pad; i++) {
            bx_u8(x, 0x02);
        }
    }
    tpl_end(x, at);
    bx_u32(x, 0); /* no values */
    return def_off;
}

/* Instances repeated in one record: tokens and nodes charged per instance
 * stop the record at EV_MAX_TOKENS / EV_MAX_NODES; the next record reads. */
static void
t_limits(void)
{
    struct fx t;
    struct bx *x;
    uint32_t def;
    char *got, want[8192];
    int i;

    memset(&t, 0, sizeof(t));
    REQUIRE(evw_new(&t.w) == 0);
    /* 3005 tokens per instance (its own, header, 2 x 1500 pads, open,
     * close, EOF): 88 instances pass 262144 */
    x = fx_record(&t);
    def = def_bulk(x, 0x01, 1500);
    for (i = 1; i < 88; i++) {
        tpl_ref(x, def);
        bx_u32(x, 0);
    }
    REQUIRE(fx_add(&t) == 0);
    x = fx_record(&t);
    for (i = 0; i < 3; i++) {
        tpl_ref(x, def);
        bx_u32(x, 0);
    }
    REQUIRE(fx_add(&t) == 0);
    REQUIRE(fx_finish(&t) == 0);
    got = check_both(t.data, t.len, 1);
    xml_only(got);
    snprintf(want, sizeof(want),
             "LOG t.evtx: offset 4632: record at offset 4608 skipped: too "
             "many BinXML tokens in record (limit exceeded)\n"
             "<Q/>\n<Q/>\n<Q/>\n");
    CHECK_EQ_STR(got, want);
    free(got);
    free(t.data);

    /* 1001 nodes per instance: 66 instances pass 65536 */
    memset(&t, 0, sizeof(t));
    REQUIRE(evw_new(&t.w) == 0);
    x = fx_record(&t);
    def = def_bulk(x, 0x08, 1000);
    for (i = 1; i < 66; i++) {
        tpl_ref(x, def);
        bx_u32(x, 0);
    }
    REQUIRE(fx_add(&t) == 0);
    REQUIRE(fx_finish(&t) == 0);
    got = check_both(t.data, t.len, 1);
    CHECK_EQ_STR(got, "LOG t.evtx: offset 4632: record at offset 4608 "
                      "skipped: too many nodes in record (limit exceeded)\n");
    free(got);
    free(t.data);
}

/* Record of `outer` elements around an instance of def (no values). */
static int
add_nested_in(struct fx *t, uint32_t def, int outer)
{
    struct bx *x = fx_record(t);
    int i;

    for (i = 0; i < outer; i++) {
        bx_start(x, "o");
    }
    tpl_ref(x, def);
    bx_u32(x, 0);
    for (i = 0; i < outer; i++) {
        bx_u8(x, 0x04);
    }
    return fx_add(t);
}

/* Depth is charged exactly as when the definition is re-read. 40 nested
 * elements: the deepest at depth 63 under 23 more (fine), 64 under 24 (too
 * deep). 62 nested elements around a BinXML substitution: its fragment
 * starts at depth 64 and holds only text (fine). A definition holding an
 * instance of itself nests until the limit. */
static void
t_depth(void)
{
    struct fx t;
    struct bx *x, in;
    uint32_t def, deep, self;
    size_t at;
    char *got, line[2 * 62 + 6];
    int i;

    memset(&t, 0, sizeof(t));
    REQUIRE(evw_new(&t.w) == 0);
    x = fx_record(&t);
    at = tpl_begin(x, &def);
    for (i = 0; i < 40; i++) {
        bx_start(x, "d");
    }
    for (i = 0; i < 40; i++) {
        bx_u8(x, 0x04);
    }
    tpl_end(x, at);
    bx_u32(x, 0);
    REQUIRE(fx_add(&t) == 0);
    REQUIRE(add_nested_in(&t, def, 23) == 0);
    REQUIRE(add_nested_in(&t, def, 24) == 0);
    x = fx_record(&t);
    at = tpl_begin(x, &deep);
    for (i = 0; i < 62; i++) {
        bx_start(x, "e");
    }
    bsubst(x, 0, 0, 0x21);
    for (i = 0; i < 62; i++) {
        bx_u8(x, 0x04);
    }
    tpl_end(x, at);
    memset(&in, 0, sizeof(in));
    bx_text(&in, "deep");
    bx_u8(&in, 0x00);
    {
        struct sv v[] = {{0x21, (const char *)in.b, in.n}};
        bsubs(x, v, 1);
    }
    REQUIRE(fx_add(&t) == 0);
    x = fx_record(&t);
    at = tpl_begin(x, &self);
    bx_start(x, "s");
    tpl_ref(x, self);
    bx_u32(x, 0);
    bx_u8(x, 0x04);
    tpl_end(x, at);
    bx_u32(x, 0);
    REQUIRE(fx_add(&t) == 0);
    REQUIRE(fx_finish(&t) == 0);
    save_seed("tpl-depth", t.data, t.len);
    got = check_both(t.data, t.len, 3);
    xml_only(got);
    /* the innermost element of the second record, 63 levels in */
    memset(line, ' ', 2 * 62);
    memcpy(line + 2 * 62, "<d/>\n", 6);
    CHECK(strstr(got, line) != NULL);
    CHECK(strstr(got, "elements nested too deep (limit exceeded)\n") != NULL);
    CHECK(strstr(got, "<e>deep</e>\n") != NULL);
    CHECK(strstr(got, "BinXML nested too deep") == NULL);
    CHECK(strstr(got, "skipped: templates nested too deep (limit "
                      "exceeded)\n") != NULL);
    free(got);
    free(t.data);
}

/* Left to the token-by-token path: a processing instruction, a truncated
 * definition (same error and offset either way). */
static void
t_not_cached(void)
{
    struct fx t;
    struct bx *x;
    uint32_t def, err_at;
    size_t at;
    char *got, want[512];
    int i;

    memset(&t, 0, sizeof(t));
    REQUIRE(evw_new(&t.w) == 0);
    for (i = 0; i < 2; i++) {
        x = fx_record(&t);
        if (i == 0) {
            at = tpl_begin(x, &def);
            bx_start(x, "P");
            bx_u8(x, 0x0a);
            bx_name(x, "pi");
            bx_u8(x, 0x0b);
            bx_chars(x, "d");
            bsubst(x, 0, 0, 0x01);
            bx_u8(x, 0x04);
            tpl_end(x, at);
        } else {
            tpl_ref(x, def);
        }
        {
            struct sv v[] = {{0x01, "v", 0}};
            bsubs(x, v, 1);
        }
        REQUIRE(fx_add(&t) == 0);
    }
    x = fx_record(&t);
    at = tpl_begin(x, &def);
    bx_start(x, "E");
    bx_u8(x, 0x05); /* value token cut short by the definition's size */
    bx_u8(x, 0x01);
    err_at = bx_here(x);
    le_put32(x->b + at, (uint32_t)(x->n - at - 4));
    bx_u32(x, 0);
    REQUIRE(fx_add(&t) == 0);
    REQUIRE(fx_finish(&t) == 0);
    save_seed("tpl-uncached", t.data, t.len);
    got = check_both(t.data, t.len, 0);
    xml_only(got);
    snprintf(want, sizeof(want),
             "<P><?pi d?>v</P>\n<P><?pi d?>v</P>\n"
             "LOG t.evtx: offset %u: record at offset %u skipped: truncated "
             "string (malformed data)\n",
             (unsigned)(err_at + 4096),
             (unsigned)(x->base - 24 + 4096));
    CHECK_EQ_STR(got, want);
    free(got);
    free(t.data);
}

/* One chunk whose first record defines <name>0</name> and whose second
 * uses it. */
static int
chunk_with(const char *name, const char *value, uint8_t **data, size_t *len)
{
    struct fx t;
    struct bx *x;
    uint32_t def;
    size_t at;
    struct sv v[] = {{0x01, value, 0}};

    memset(&t, 0, sizeof(t));
    if (evw_new(&t.w) != 0) {
        return -1;
    }
    x = fx_record(&t);
    at = tpl_begin(x, &def);
    bx_start(x, name);
    bsubst(x, 0, 0, 0x01);
    bx_u8(x, 0x04);
    tpl_end(x, at);
    bsubs(x, v, 1);
    if (fx_add(&t) != 0) {
        return -1;
    }
    x = fx_record(&t);
    tpl_ref(x, def);
    bsubs(x, v, 1);
    if (fx_add(&t) != 0) {
        return -1;
    }
    *data = NULL;
    if (fx_finish(&t) != 0) {
        return -1;
    }
    *len = t.len;
    *data = t.data;
    return 0;
}

/* Two chunks with definitions at the same offsets: the second chunk must
 * not see the first one's. */
static void
t_chunk_switch(void)
{
    uint8_t *a = NULL, *b = NULL, *f;
    size_t la = 0, lb = 0;
    char *got;

    REQUIRE(chunk_with("First", "1", &a, &la) == 0);
    REQUIRE(chunk_with("Other", "2", &b, &lb) == 0);
    REQUIRE(la == 4096 + 65536 && lb == la);
    f = malloc(la + 65536);
    REQUIRE(f != NULL);
    memcpy(f, a, la);
    memcpy(f + la, b + 4096, 65536);
    le_put64(f + 16, 1); /* last chunk */
    f[42] = 2;           /* chunk count */
    le_put32(f + 124, (uint32_t)crc32(0, f, 120));
    got = check_both(f, la + 65536, 1);
    xml_only(got);
    CHECK_EQ_STR(got, "<First>1</First>\n<First>1</First>\n"
                      "<Other>2</Other>\n<Other>2</Other>\n");
    free(got);
    free(f);
    free(a);
    free(b);
}

/* Found by fuzz_evtx_tplcache (the two reads differed): a SYSTEMTIME whose
 * fields are all 65535 was cut at 39 characters, and the length snprintf
 * reported let stack bytes into the text. Now printed whole. */
static void
t_systime_wide(void)
{
    struct fx t;
    struct bx *x;
    char *got;
    int i;

    memset(&t, 0, sizeof(t));
    REQUIRE(evw_new(&t.w) == 0);
    x = fx_record(&t);
    bx_open(x, "S", 0, 1);
    bx_u8(x, 0x02);
    bx_u8(x, 0x05);
    bx_u8(x, 0x12);
    for (i = 0; i < 16; i++) {
        bx_u8(x, 0xff);
    }
    bx_u8(x, 0x04);
    REQUIRE(fx_add(&t) == 0);
    REQUIRE(fx_finish(&t) == 0);
    got = check_both(t.data, t.len, 0);
    xml_only(got);
    CHECK_EQ_STR(got, "<S>65535-65535-65535T65535:65535:65535.65535Z</S>\n");
    free(got);
    free(t.data);
}

static const struct vg_test tests[] = {
    T(t_reuse),      T(t_nested),     T(t_limits),       T(t_depth),
    T(t_not_cached), T(t_chunk_switch), T(t_systime_wide),
};

int
main(int argc, char **argv)
{
    return vg_test_main(argc, argv, tests, VG_ARRAY_LEN(tests));
}
