/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test_evtx.c - EVTX reader unit tests on fixtures made by
 * tests/support/evtx_writer (every value type, templates, many chunks) and
 * on hand-built BinXML (every token: elements, attributes, values, CDATA,
 * character and entity references, processing instructions, several
 * fragments, template instances with normal and optional substitutions,
 * BinXML nested in a substitution, arrays), plus each damage case: bad
 * checksums, bad chunk signature, malformed record, truncated file, slack
 * space carving, zero record size, short file, bad file header, limits.
 * Exact expected output throughout.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "binxml_build.h"
#include "evtx_writer.h"
#include "le_bytes.h"
#include "vg_test.h"
#include "vigil/evtx.h"
#include "vigil/vigil.h"

#define T0 1698933909123456LL /* 2023-11-02T14:05:09.123456Z */

/* ---- reading helpers ---- */

struct got {
    char *json[64];
    char *xml[64];
    int recovered[64];
    uint64_t ids[64];
    size_t n;
    char log[4096];
};

static void
free_got(struct got *g)
{
    size_t i;

    for (i = 0; i < g->n; i++) {
        free(g->json[i]);
        free(g->xml[i]);
    }
    memset(g, 0, sizeof(*g));
}

static int
on_rec(void *arg, struct vg_evtx_record *rec)
{
    struct got *g = arg;
    struct vg_buf b;

    if (g->n == 64) {
        return VG_OK;
    }
    vg_buf_init(&b, 1u << 20);
    if (vg_evtx_record_json(rec, &b) == VG_OK) {
        g->json[g->n] = vg_buf_take(&b);
    }
    vg_buf_init(&b, 1u << 20);
    if (vg_evtx_record_xml(rec, &b) == VG_OK) {
        g->xml[g->n] = vg_buf_take(&b);
    }
    vg_buf_fini(&b);
    g->recovered[g->n] = rec->is_recovered;
    g->ids[g->n] = rec->record_id;
    g->n++;
    return VG_OK;
}

static void
log_cap(void *arg, enum vg_log_level level, const char *module, const char *msg)
{
    struct got *g = arg;
    size_t n = strlen(g->log);

    (void)level;
    snprintf(g->log + n, sizeof(g->log) - n, "%s: %s\n", module, msg);
}

static int
read_mem(const uint8_t *p, size_t len, unsigned flags, struct got *g,
         struct vg_evtx_stats *st)
{
    struct vg_ctx *ctx = NULL;
    struct vg_evtx *f = NULL;
    struct vg_evtx_reader *r = NULL;
    int rc;

    vg_evtx_stats_init(st);
    if ((rc = vg_ctx_new(&ctx)) != VG_OK) {
        return rc;
    }
    vg_ctx_set_log(ctx, log_cap, g, VG_LOG_WARN);
    rc = vg_evtx_open_mem(ctx, p, len, "fixture.evtx", &f);
    if (rc == VG_OK && (rc = vg_evtx_reader_new(&r)) == VG_OK) {
        rc = vg_evtx_each(r, f, flags, on_rec, g, st);
    }
    vg_evtx_reader_free(r);
    vg_evtx_close(f);
    vg_ctx_free(ctx);
    return rc;
}

static struct evw_event
base_event(void)
{
    struct evw_event e;

    memset(&e, 0, sizeof(e));
    e.channel = "System";
    e.provider = "Service Control Manager";
    e.event_id = 7045;
    e.level = 4;
    e.time_us = T0;
    e.computer = "PHARM-SRV01";
    e.pid = 640;
    e.tid = 1234;
    return e;
}

static int
build(const struct evw_event *ev, size_t n, uint8_t **data, size_t *len)
{
    struct evw *w;
    size_t i;
    int rc = 0;

    if (evw_new(&w) != 0) {
        return -1;
    }
    for (i = 0; i < n && rc == 0; i++) {
        rc = evw_add(w, &ev[i]);
    }
    if (rc == 0) {
        rc = evw_finish(w, data, len);
    }
    evw_free(w);
    return rc;
}

/* The EventData object of a JSON line, for short expectations. */
static const char *
eventdata(const char *json)
{
    const char *p = json ? strstr(json, "\"EventData\":") : NULL;

    return p ? p + 12 : "";
}

/* With VG_EVTX_SEED_DIR set, fixtures are also written there as fuzz seeds
 * (how fuzz/corpus/evtx_* seeds were made: no third-party bytes in them). */
static void
save_seed(const char *name, const uint8_t *data, size_t len)
{
    const char *dir = getenv("VG_EVTX_SEED_DIR");
    char path[4096];
    FILE *f;

    if (dir == NULL) {
        return;
    }
    snprintf(path, sizeof(path), "%s/%s", dir, name);
    f = fopen(path, "wb");
    if (f != NULL) {
        fwrite(data, 1, len, f);
        fclose(f);
    }
}

/* ---- hand-built BinXML ---- */

static int
add_raw(struct evw *w, uint64_t id, const struct bx *x)
{
    return evw_add_raw(w, id, 133000000000000000ull, x->b, x->n);
}

/* ---- one log per test: build it, read it back, free it ---- */

/* What every test below shares, so each one states only its events or
 * BinXML and its expectations. Zeroed by fx_begin, freed by fx_end. */
struct fx {
    struct evw *w;  /* writer between fx_begin and fx_finish */
    struct bx x;    /* the raw record being built */
    struct got g;   /* what fx_read saw */
    struct vg_evtx_stats st;
    uint8_t *data;  /* the finished file */
    size_t len;
};

static int
fx_begin(struct fx *t)
{
    memset(t, 0, sizeof(*t));
    return evw_new(&t->w);
}

/* Starts a raw record: an empty buffer at the writer's offset, opened with
 * the fragment header every record starts with. */
static struct bx *
fx_record(struct fx *t)
{
    bx_record(&t->x, evw_raw_offset(t->w));
    return &t->x;
}

static int
fx_add(struct fx *t, uint64_t id)
{
    return add_raw(t->w, id, &t->x);
}

/* Adds the same event n times. */
static int
fx_repeat(struct fx *t, const struct evw_event *e, int n)
{
    int i;

    for (i = 0; i < n; i++) {
        if (evw_add(t->w, e) != 0) {
            return -1;
        }
    }
    return 0;
}

static int
fx_finish(struct fx *t)
{
    return evw_finish_free(&t->w, &t->data, &t->len);
}

/* fx_add for the last record, then fx_finish. */
static int
fx_add_last(struct fx *t, uint64_t id)
{
    return fx_add(t, id) == 0 ? fx_finish(t) : -1;
}

/* fx_begin + one writer-built event per element of ev + fx_finish. */
static int
fx_build(struct fx *t, const struct evw_event *ev, size_t n)
{
    memset(t, 0, sizeof(*t));
    return build(ev, n, &t->data, &t->len);
}

/* Reads the finished file from scratch: what an earlier read saw (records
 * and log lines) is dropped first. */
static int
fx_read(struct fx *t, unsigned flags)
{
    free_got(&t->g);
    return read_mem(t->data, t->len, flags, &t->g, &t->st);
}

/* fx_build of e alone, then fx_read: 1 when it was built, read without
 * error and gave exactly one record (each a check). */
static int
fx_one(struct fx *t, const struct evw_event *e)
{
    return CHECK(fx_build(t, e, 1) == 0) && CHECK_RC(fx_read(t, 0), VG_OK) &&
           CHECK_EQ_INT(t->g.n, 1);
}

static void
fx_end(struct fx *t)
{
    evw_free(t->w);
    free(t->data);
    free_got(&t->g);
}

/* ---- writer fixtures ---- */

static void
t_json_exact(void)
{
    struct evw_field d[] = {
        {.name = "ServiceName",
         .type = EVW_STR,
         .s = "ScreenConnect Client (1a2b)"},
        {.name = "ImagePath",
         .type = EVW_STR,
         .s = "\"C:\\x.exe\" \"?e=Access&h=a\""},
    };
    struct evw_event e = base_event();
    struct fx t;

    e.provider_guid = "{555908d1-a6d7-4695-8e1e-26931d2012f4}";
    e.has_qualifiers = 1;
    e.qualifiers = 16384;
    e.keywords = 0x8080000000000000ull;
    e.user_sid = "S-1-5-18";
    e.data = d;
    e.n_data = 2;
    REQUIRE(fx_one(&t, &e));
    CHECK_EQ_STR(
        t.g.json[0],
        "{\"file\":\"fixture.evtx\",\"record_id\":1,\"offset\":4608,"
        "\"recovered\":false,\"Event\":{"
        "\"#attributes\":{\"xmlns\":\"http://schemas.microsoft.com/win/2004/"
        "08/events/event\"},\"System\":{\"Provider\":{\"#attributes\":{"
        "\"Name\":\"Service Control Manager\",\"Guid\":\"{555908D1-A6D7-4695-"
        "8E1E-26931D2012F4}\"}},\"EventID\":{\"#attributes\":{\"Qualifiers\":"
        "16384},\"#text\":7045},\"Version\":0,\"Level\":4,\"Task\":0,"
        "\"Opcode\":0,\"Keywords\":\"0x8080000000000000\",\"TimeCreated\":{"
        "\"#attributes\":{\"SystemTime\":\"2023-11-02T14:05:09.1234560Z\"}},"
        "\"EventRecordID\":1,\"Correlation\":null,\"Execution\":{"
        "\"#attributes\":{\"ProcessID\":640,\"ThreadID\":1234}},\"Channel\":"
        "\"System\",\"Computer\":\"PHARM-SRV01\",\"Security\":{\"#attributes\":"
        "{\"UserID\":\"S-1-5-18\"}}},\"EventData\":{\"ServiceName\":"
        "\"ScreenConnect Client (1a2b)\",\"ImagePath\":\"\\\"C:\\\\x.exe\\\" "
        "\\\"?e=Access&h=a\\\"\"}}}");
    CHECK_EQ_UINT(t.st.n_records, 1);
    CHECK_EQ_UINT(t.st.n_bad_data_crc + t.st.n_bad_header_crc, 0);
    fx_end(&t);
}

static void
t_xml_exact(void)
{
    struct evw_field d[] = {
        {.name = NULL,
         .type = EVW_STR,
         .s = "Executed command of length 42 <&>"},
    };
    struct evw_event e = base_event();
    struct fx t;

    e.channel = "Application";
    e.provider = "ScreenConnect Client (1a2b3c4d5e6f7a8b)";
    e.event_id = 200;
    e.data = d;
    e.n_data = 1;
    REQUIRE(fx_one(&t, &e));
    CHECK_EQ_STR(
        t.g.xml[0],
        "<Event "
        "xmlns=\"http://schemas.microsoft.com/win/2004/08/events/event\">\n"
        "  <System>\n"
        "    <Provider Name=\"ScreenConnect Client (1a2b3c4d5e6f7a8b)\"/>\n"
        "    <EventID>200</EventID>\n"
        "    <Version>0</Version>\n"
        "    <Level>4</Level>\n"
        "    <Task>0</Task>\n"
        "    <Opcode>0</Opcode>\n"
        "    <Keywords>0x0</Keywords>\n"
        "    <TimeCreated SystemTime=\"2023-11-02T14:05:09.1234560Z\"/>\n"
        "    <EventRecordID>1</EventRecordID>\n"
        "    <Correlation/>\n"
        "    <Execution ProcessID=\"640\" ThreadID=\"1234\"/>\n"
        "    <Channel>Application</Channel>\n"
        "    <Computer>PHARM-SRV01</Computer>\n"
        "    <Security/>\n"
        "  </System>\n"
        "  <EventData>\n"
        "    <Data>Executed command of length 42 &lt;&amp;&gt;</Data>\n"
        "  </EventData>\n"
        "</Event>\n");
    fx_end(&t);
}

static void
t_value_types(void)
{
    static const uint8_t guid[16] = {
        0x78, 0x56, 0x34, 0x12, 0xbc, 0x9a, 0xf0, 0xde, 1, 2, 3, 4, 5, 6, 7, 8};
    static const uint8_t st16[16] = {0xe7, 0x07, 11, 0, 4, 0, 2,   0,
                                     14,   0,    5,  0, 9, 0, 123, 0};
    static const uint8_t bin[3] = {0xde, 0xad, 0x01};
    static const uint8_t arr[] = {'a', 0, 0, 0, 0, 0, 'b', 0, 'c', 0, 0, 0};
    static const uint8_t u32s[12] = {1, 0, 0,    0,    2,    0,
                                     0, 0, 0xff, 0xff, 0xff, 0xff};
    struct evw_field d[] = {
        {.name = "s", .type = EVW_STR, .s = "h\xc3\xa9llo \xf0\x9f\x98\x80"},
        {.name = "a", .type = EVW_ANSI, .s = "ansi"},
        {.name = "i8", .type = EVW_I8, .i = -5},
        {.name = "u8", .type = EVW_U8, .u = 200},
        {.name = "i16", .type = EVW_I16, .i = -300},
        {.name = "u16", .type = EVW_U16, .u = 65000},
        {.name = "i32", .type = EVW_I32, .i = -70000},
        {.name = "u32", .type = EVW_U32, .u = 4000000000u},
        {.name = "i64", .type = EVW_I64, .i = -5000000000LL},
        {.name = "u64", .type = EVW_U64, .u = UINT64_MAX},
        {.name = "r32", .type = EVW_R32, .d = 1.5},
        {.name = "r64", .type = EVW_R64, .d = 0.1},
        {.name = "b1", .type = EVW_BOOL, .u = 1},
        {.name = "b0", .type = EVW_BOOL, .u = 0},
        {.name = "bin", .type = EVW_BIN, .bin = bin, .bin_len = 3},
        {.name = "guid", .type = EVW_GUID, .bin = guid, .bin_len = 16},
        {.name = "size", .type = EVW_SIZE, .u = 0x1000},
        {.name = "ft", .type = EVW_FILETIME, .u = 132000000000000000ull},
        {.name = "st", .type = EVW_SYSTIME, .bin = st16, .bin_len = 16},
        {.name = "sid", .type = EVW_SID, .s = "S-1-5-21-1-2-3-500"},
        {.name = "h32", .type = EVW_HEX32, .u = 0x1f},
        {.name = "h64", .type = EVW_HEX64, .u = 0x3e7},
        {.name = "sa",
         .type = EVW_STR_ARRAY,
         .bin = arr,
         .bin_len = sizeof(arr)},
        {.name = "ua", .type = EVW_U32_ARRAY, .bin = u32s, .bin_len = 12},
        {.name = "null", .type = EVW_NULL},
    };
    struct evw_event e = base_event();
    struct fx t;

    e.data = d;
    e.n_data = VG_ARRAY_LEN(d);
    REQUIRE(fx_one(&t, &e));
    save_seed("types.evtx", t.data, t.len);
    CHECK_EQ_STR(
        eventdata(t.g.json[0]),
        "{\"s\":\"h\xc3\xa9llo \xf0\x9f\x98\x80\",\"a\":\"ansi\",\"i8\":-5,"
        "\"u8\":200,\"i16\":-300,\"u16\":65000,\"i32\":-70000,"
        "\"u32\":4000000000,\"i64\":-5000000000,"
        "\"u64\":18446744073709551615,\"r32\":\"1.5\",\"r64\":\"0.1\","
        "\"b1\":true,\"b0\":false,\"bin\":\"DEAD01\","
        "\"guid\":\"{12345678-9ABC-DEF0-0102-030405060708}\","
        "\"size\":\"0x1000\",\"ft\":\"2019-04-17T18:40:00.0000000Z\","
        "\"st\":\"2023-11-02T14:05:09.123Z\","
        "\"sid\":\"S-1-5-21-1-2-3-500\",\"h32\":\"0x1f\",\"h64\":\"0x3e7\","
        "\"sa\":\"a, , bc\",\"ua\":\"1, 2, 4294967295\",\"null\":null}}}");
    fx_end(&t);
}

struct field_probe {
    const char *name;
    const char *want; /* NULL: ENOTFOUND */
};

static int
probe_fields(void *arg, struct vg_evtx_record *rec)
{
    static const struct field_probe probes[] = {
        {"EventID", "4720"},
        {"Channel", "Security"},
        {"Provider_Name", "Microsoft-Windows-Security-Auditing"},
        {"Computer", "DC01"},
        {"Level", "0"},
        {"Task", "13824"},
        {"Keywords", "0x8020000000000000"},
        {"EventRecordID", "7"},
        {"TimeCreated", "2023-11-02T14:05:09.1234560Z"},
        {"TimeCreated_SystemTime", "2023-11-02T14:05:09.1234560Z"},
        {"ProcessID", "4"},
        {"Execution_ThreadID", "8"},
        {"UserID", "S-1-5-18"},
        {"TargetUserName", "support$"},
        {"SamAccountName", "support$"},
        {"Nope", NULL},
    };
    int *bad = arg;
    size_t i;

    CHECK_EQ_UINT(rec->event.event_id, 4720);
    CHECK_EQ_UINT(rec->event.record_id, 7);
    CHECK_EQ_INT(rec->event.time_us, T0);
    CHECK_EQ_MEM(rec->event.channel.p, rec->event.channel.len, "Security", 8);
    CHECK_EQ_MEM(rec->event.computer.p, rec->event.computer.len, "DC01", 4);
    for (i = 0; i < VG_ARRAY_LEN(probes); i++) {
        struct vg_str v;
        int rc = rec->event.ops->get(rec->event.impl, probes[i].name,
                                     strlen(probes[i].name), &v);
        if (probes[i].want == NULL) {
            *bad += !CHECK_RC(rc, VG_ENOTFOUND);
        } else if (CHECK_RC(rc, VG_OK) && CHECK(v.p != NULL)) {
            *bad += !CHECK_EQ_MEM(v.p, v.len, probes[i].want,
                                  strlen(probes[i].want));
        }
    }
    return VG_OK;
}

static int
count_field(void *arg, struct vg_str name, struct vg_str value)
{
    size_t *n = arg;

    (void)name;
    (void)value;
    (*n)++;
    return 0;
}

static int
each_fields(void *arg, struct vg_evtx_record *rec)
{
    size_t *n = arg;

    return rec->event.ops->each(rec->event.impl, count_field, n);
}

static void
t_event_fields(void)
{
    struct evw_field d[] = {
        {.name = "TargetUserName", .type = EVW_STR, .s = "support$"},
        {.name = "SamAccountName", .type = EVW_STR, .s = "support$"},
    };
    struct evw_event e = base_event();
    struct vg_evtx *f = NULL;
    struct vg_evtx_reader *r = NULL;
    uint8_t *data;
    size_t len, n = 0;
    int bad = 0;

    e.channel = "Security";
    e.provider = "Microsoft-Windows-Security-Auditing";
    e.event_id = 4720;
    e.level = 0;
    e.task = 13824;
    e.keywords = 0x8020000000000000ull;
    e.computer = "DC01";
    e.record_id = 7;
    e.pid = 4;
    e.tid = 8;
    e.user_sid = "S-1-5-18";
    e.data = d;
    e.n_data = 2;
    REQUIRE(build(&e, 1, &data, &len) == 0);
    REQUIRE_RC(vg_evtx_open_mem(NULL, data, len, "x", &f), VG_OK);
    REQUIRE_RC(vg_evtx_reader_new(&r), VG_OK);
    CHECK_RC(vg_evtx_each(r, f, 0, probe_fields, &bad, NULL), VG_OK);
    CHECK_EQ_INT(bad, 0);
    CHECK_RC(vg_evtx_each(r, f, 0, each_fields, &n, NULL), VG_OK);
    /* 9 System children with text, Correlation (empty), Provider_Name,
     * TimeCreated(_SystemTime), Execution_ProcessID/ThreadID + short forms,
     * Security_UserID + UserID, 2 EventData. */
    CHECK_EQ_UINT(n, 9 + 1 + 1 + 2 + 4 + 2 + 2);
    vg_evtx_reader_free(r);
    vg_evtx_close(f);
    free(data);
}

static int
probe_none(void *arg, struct vg_evtx_record *rec)
{
    (void)arg;
    (void)rec;
    return VG_OK;
}

static void
t_many_chunks(void)
{
    struct evw *w;
    struct evw_field d[] = {
        {.name = "CommandLine",
         .type = EVW_STR,
         .s = "C:\\Windows\\Microsoft.NET\\Framework64\\v4.0.30319\\"
              "MSBuild.exe C:\\Users\\Public\\test.xml"},
        {.name = "ParentImage",
         .type = EVW_STR,
         .s = "C:\\Windows\\System32\\cmd.exe"},
    };
    struct evw_event e = base_event();
    struct vg_evtx *f = NULL;
    struct vg_evtx_reader *r = NULL;
    struct vg_evtx_stats st;
    uint8_t *data;
    size_t len;
    int i;

    e.channel = "Microsoft-Windows-Sysmon/Operational";
    e.provider = "Microsoft-Windows-Sysmon";
    e.event_id = 1;
    e.data = d;
    e.n_data = 2;
    REQUIRE(evw_new(&w) == 0);
    for (i = 0; i < 2000; i++) {
        e.time_us = T0 + i;
        REQUIRE(evw_add(w, &e) == 0);
    }
    REQUIRE(evw_finish(w, &data, &len) == 0);
    evw_free(w);
    REQUIRE_RC(vg_evtx_open_mem(NULL, data, len, "x", &f), VG_OK);
    CHECK(vg_evtx_chunk_count(f) > 2);
    CHECK_EQ_UINT(vg_evtx_get_header(f)->n_chunks, vg_evtx_chunk_count(f));
    CHECK(vg_evtx_get_header(f)->checksum_ok);
    CHECK_EQ_UINT(vg_evtx_get_header(f)->next_record_id, 2001);
    REQUIRE_RC(vg_evtx_reader_new(&r), VG_OK);
    vg_evtx_stats_init(&st);
    CHECK_RC(vg_evtx_each(r, f, VG_EVTX_CARVE, probe_none, NULL, &st), VG_OK);
    CHECK_EQ_UINT(st.n_records, 2000);
    CHECK_EQ_UINT(st.n_recovered, 0);
    CHECK_EQ_UINT(st.n_errors + st.n_bad_data_crc + st.n_bad_header_crc, 0);
    CHECK_EQ_INT(st.first_time_us, T0);
    CHECK_EQ_INT(st.last_time_us, T0 + 1999);
    vg_evtx_reader_free(r);
    vg_evtx_close(f);
    free(data);
}

/* ---- hand-built BinXML: every token ---- */

/* The raw_* bodies follow the fragment header fx_record wrote. */

static void
raw_tokens(struct bx *x)
{
    bx_open(x, "Event", 1, 1);
    bx_u8(x, 0x06);
    bx_name(x, "a");
    bx_text(x, "x");
    bx_u8(x, 0x02);
    bx_start(x, "Sub");
    bx_text(x, "t");
    bx_u8(x, 0x07);
    bx_chars(x, "c<d");
    bx_u8(x, 0x08);
    bx_u16(x, 65);
    bx_u8(x, 0x09);
    bx_name(x, "amp");
    bx_u8(x, 0x04);
    bx_u8(x, 0x0a);
    bx_name(x, "pi");
    bx_u8(x, 0x0b);
    bx_chars(x, "data");
    bx_open(x, "Empty", 0, 1);
    bx_u8(x, 0x03);
    bx_u8(x, 0x04);
    bx_u8(x, 0x00);
}

static void
raw_fragments(struct bx *x)
{
    bx_open(x, "A", 0, 1);
    bx_u8(x, 0x03);
    bx_u8(x, 0x00);
    bx_u32(x, 0x0001010f);
    bx_open(x, "B", 0, 1);
    bx_u8(x, 0x03);
    bx_u8(x, 0x00);
}

/* Template with an optional (null) and a normal attribute substitution, a
 * BinXML substitution (no dependency ids inside) and a u32 array. */
static void
raw_template(struct bx *x)
{
    size_t size_at, data_start, nested_start;
    uint32_t nested_len;
    uint8_t guid[16] = "vigil-test-tpl!";

    bx_u8(x, 0x0c);
    bx_u8(x, 0x01);
    bx_u32(x, 0x11223344);
    bx_u32(x, bx_here(x) + 4);
    bx_u32(x, 0);
    memcpy(x->b + x->n, guid, 16);
    x->n += 16;
    size_at = x->n;
    bx_u32(x, 0);
    data_start = x->n;
    bx_u32(x, 0x0001010f);
    bx_open(x, "T", 1, 1);
    bx_u8(x, 0x46);
    bx_name(x, "opt");
    bx_u8(x, 0x0e);
    bx_u16(x, 0);
    bx_u8(x, 0x01);
    bx_u8(x, 0x06);
    bx_name(x, "req");
    bx_u8(x, 0x0d);
    bx_u16(x, 1);
    bx_u8(x, 0x08);
    bx_u8(x, 0x02);
    bx_start(x, "N");
    bx_u8(x, 0x0e);
    bx_u16(x, 2);
    bx_u8(x, 0x21);
    bx_u8(x, 0x04);
    bx_start(x, "Arr");
    bx_u8(x, 0x0d);
    bx_u16(x, 3);
    bx_u8(x, 0x88);
    bx_u8(x, 0x04);
    bx_u8(x, 0x04);
    bx_u8(x, 0x00);
    x->b[size_at] = (uint8_t)(x->n - data_start);
    x->b[size_at + 1] = (uint8_t)((x->n - data_start) >> 8);
    /* substitution array: null, u32, BinXML, u32[2] */
    bx_u32(x, 4);
    bx_u16(x, 0);
    bx_u8(x, 0x00);
    bx_u8(x, 0);
    bx_u16(x, 4);
    bx_u8(x, 0x08);
    bx_u8(x, 0);
    nested_start = x->n;
    bx_u16(x, 0);
    bx_u8(x, 0x21);
    bx_u8(x, 0); /* size patched below */
    bx_u16(x, 8);
    bx_u8(x, 0x88);
    bx_u8(x, 0);
    bx_u32(x, 42);
    {
        size_t v0 = x->n;
        bx_open(x, "Inner", 0, 0);
        bx_u8(x, 0x02);
        bx_text(x, "in");
        bx_u8(x, 0x04);
        bx_u8(x, 0x00);
        nested_len = (uint32_t)(x->n - v0);
    }
    x->b[nested_start] = (uint8_t)nested_len;
    x->b[nested_start + 1] = (uint8_t)(nested_len >> 8);
    bx_u32(x, 1);
    bx_u32(x, 2);
    bx_u8(x, 0x00);
}

static void
t_tokens(void)
{
    struct fx t;

    REQUIRE(fx_begin(&t) == 0);
    raw_tokens(fx_record(&t));
    REQUIRE(fx_add(&t, 1) == 0);
    raw_fragments(fx_record(&t));
    REQUIRE(fx_add(&t, 2) == 0);
    raw_template(fx_record(&t));
    REQUIRE(fx_add_last(&t, 3) == 0);
    save_seed("tokens.evtx", t.data, t.len);
    CHECK_RC(fx_read(&t, 0), VG_OK);
    CHECK_EQ_UINT(t.st.n_errors, 0);
    REQUIRE_EQ_INT(t.g.n, 3);
    CHECK_EQ_STR(t.g.xml[0], "<Event a=\"x\">\n"
                             "  <Sub>t<![CDATA[c<d]]>&#65;&amp;</Sub>\n"
                             "  <?pi data?>\n"
                             "  <Empty/>\n"
                             "</Event>\n");
    CHECK_EQ_STR(strstr(t.g.json[0], "\"Event\""),
                 "\"Event\":{\"#attributes\":{\"a\":\"x\"},\"Sub\":\"tc<dA&\","
                 "\"Empty\":null}}");
    CHECK_EQ_STR(t.g.xml[1], "<A/>\n<B/>\n");
    CHECK_EQ_STR(strstr(t.g.json[1], "\"A\""), "\"A\":null,\"B\":null}");
    CHECK_EQ_STR(t.g.xml[2], "<T req=\"42\">\n"
                             "  <N>\n"
                             "    <Inner>in</Inner>\n"
                             "  </N>\n"
                             "  <Arr>1, 2</Arr>\n"
                             "</T>\n");
    CHECK_EQ_STR(strstr(t.g.json[2], "\"T\""),
                 "\"T\":{\"#attributes\":{\"req\":42},\"N\":{\"Inner\":\"in\"},"
                 "\"Arr\":\"1, 2\"}}");
    fx_end(&t);
}

/* ---- damage ---- */

/* Three writer-built events with one EventData string each. */
static int
fx_three_events(struct fx *t)
{
    struct evw_field d[] = {{.name = "Msg", .type = EVW_STR, .s = "hello"}};
    struct evw_event e[3];
    int i;

    for (i = 0; i < 3; i++) {
        e[i] = base_event();
        e[i].data = d;
        e[i].n_data = 1;
    }
    return fx_build(t, e, 3);
}

static void
t_checksums(void)
{
    struct fx t;

    REQUIRE(fx_three_events(&t) == 0);
    t.data[4096 + 52] ^= 0xff;  /* records checksum */
    t.data[4096 + 300] ^= 0xff; /* in the string table: header checksum */
    t.data[124] ^= 0xff;        /* file header checksum */
    CHECK_RC(fx_read(&t, 0), VG_OK);
    CHECK_EQ_UINT(t.st.n_records, 3);
    CHECK_EQ_UINT(t.st.n_bad_data_crc, 1);
    CHECK_EQ_UINT(t.st.n_bad_header_crc, 1);
    CHECK(strstr(t.g.log, "evtx: fixture.evtx: offset 4096: chunk records "
                          "checksum mismatch (records still read)") != NULL);
    CHECK(strstr(t.g.log, "evtx: fixture.evtx: offset 124: file header "
                          "checksum mismatch") != NULL);
    fx_end(&t);
}

static void
t_malformed_record(void)
{
    struct fx t;
    uint32_t r2;
    char want[256];

    REQUIRE(fx_three_events(&t) == 0);
    r2 = 4608 + le_get32(t.data + 4608 + 4);
    t.data[r2 + 24] = 0x10; /* fragment header -> unknown token */
    CHECK_RC(fx_read(&t, 0), VG_OK);
    CHECK_EQ_UINT(t.st.n_records, 2);
    CHECK_EQ_UINT(t.st.n_errors, 1);
    REQUIRE_EQ_INT(t.g.n, 2);
    CHECK_EQ_UINT(t.g.ids[0], 1);
    CHECK_EQ_UINT(t.g.ids[1], 3);
    snprintf(want, sizeof(want),
             "evtx: fixture.evtx: offset %u: record at "
             "offset %u skipped: unknown BinXML token (malformed data)",
             (unsigned)(r2 + 24), (unsigned)r2);
    CHECK(strstr(t.g.log, want) != NULL);
    fx_end(&t);
}

static void
t_zero_size_record(void)
{
    struct fx t;
    uint32_t r2;

    REQUIRE(fx_three_events(&t) == 0);
    r2 = 4608 + le_get32(t.data + 4608 + 4);
    le_put32(t.data + r2 + 4, 0);
    CHECK_RC(fx_read(&t, 0), VG_OK);
    CHECK_EQ_UINT(t.st.n_records, 2);
    CHECK_EQ_UINT(t.st.n_errors, 1);
    CHECK(strstr(t.g.log, "record size is zero") != NULL);
    fx_end(&t);
}

static void
t_slack_carve(void)
{
    struct fx t;
    uint32_t r2, r3;

    REQUIRE(fx_three_events(&t) == 0);
    r2 = 4608 + le_get32(t.data + 4608 + 4);
    r3 = r2 + le_get32(t.data + r2 + 4);
    /* The header says the chunk ends after record 2: record 3 is slack. */
    le_put32(t.data + 4096 + 44, r2 - 4096);
    le_put32(t.data + 4096 + 48, r3 - 4096);
    save_seed("slack.evtx", t.data, t.len);
    CHECK_RC(fx_read(&t, 0), VG_OK);
    CHECK_EQ_UINT(t.st.n_records, 2);
    CHECK_EQ_UINT(t.st.n_recovered, 0);
    CHECK_RC(fx_read(&t, VG_EVTX_CARVE), VG_OK);
    CHECK_EQ_UINT(t.st.n_records, 2);
    CHECK_EQ_UINT(t.st.n_recovered, 1);
    REQUIRE_EQ_INT(t.g.n, 3);
    CHECK_EQ_INT(t.g.recovered[0] + t.g.recovered[1], 0);
    CHECK_EQ_INT(t.g.recovered[2], 1);
    CHECK(strncmp(t.g.json[2], "{\"file\":\"fixture.evtx\",\"record_id\":3,",
                  37) == 0);
    CHECK(strstr(t.g.json[2], "\"recovered\":true") != NULL);
    CHECK(strncmp(t.g.xml[2], "<!-- recovered record 3 at offset ", 34) == 0);
    fx_end(&t);
}

static void
t_bad_chunk_magic(void)
{
    struct evw_event e = base_event();
    struct fx t;
    uint64_t first_chunk;

    REQUIRE(fx_begin(&t) == 0);
    REQUIRE(fx_repeat(&t, &e, 1500) == 0);
    REQUIRE(fx_finish(&t) == 0);
    first_chunk = t.data[4096 + 16] | ((uint64_t)t.data[4096 + 17] << 8);
    t.data[4096] = 'X';
    CHECK_RC(fx_read(&t, 0), VG_OK);
    CHECK_EQ_UINT(t.st.n_bad_magic, 1);
    CHECK_EQ_UINT(t.st.n_records, 1500 - first_chunk);
    CHECK(strstr(t.g.log, "offset 4096: bad chunk signature, chunk skipped") !=
          NULL);
    CHECK_RC(fx_read(&t, VG_EVTX_CARVE), VG_OK);
    CHECK_EQ_UINT(t.st.n_records, 1500 - first_chunk);
    CHECK_EQ_UINT(t.st.n_recovered, first_chunk);
    CHECK_EQ_INT(t.g.recovered[0], 1);
    CHECK_EQ_UINT(t.g.ids[0], 1);
    fx_end(&t);
}

static void
t_truncated_file(void)
{
    struct evw_event e = base_event();
    struct vg_evtx *f = NULL;
    struct fx t;

    REQUIRE(fx_begin(&t) == 0);
    REQUIRE(fx_repeat(&t, &e, 1500) == 0);
    REQUIRE(fx_finish(&t) == 0);
    t.len = 4096 + 65536 + 30000;
    REQUIRE_RC(vg_evtx_open_mem(NULL, t.data, t.len, "x", &f), VG_OK);
    CHECK_EQ_UINT(vg_evtx_chunk_count(f), 1);
    vg_evtx_close(f);
    CHECK_RC(fx_read(&t, VG_EVTX_CARVE), VG_OK);
    CHECK(t.st.n_records > 0);
    CHECK(t.st.n_recovered > 0); /* records in the partial second chunk */
    CHECK(t.st.n_records + t.st.n_recovered < 1500);
    fx_end(&t);
}

static void
t_bad_file_header(void)
{
    struct vg_evtx *f = NULL;
    struct fx t;
    uint8_t tiny[100];

    REQUIRE(fx_three_events(&t) == 0);
    t.data[0] = 'X';
    CHECK_RC(fx_read(&t, 0), VG_OK);
    CHECK_EQ_UINT(t.st.n_records, 3);
    CHECK(strstr(t.g.log, "offset 0: no ElfFile signature") != NULL);
    REQUIRE_RC(vg_evtx_open_mem(NULL, t.data, t.len, "x", &f), VG_OK);
    CHECK_EQ_INT(vg_evtx_header_valid(f), 0);
    vg_evtx_close(f);
    memset(tiny, 0, sizeof(tiny));
    CHECK_RC(vg_evtx_open_mem(NULL, tiny, sizeof(tiny), "x", &f), VG_EFORMAT);
    CHECK(f == NULL);
    fx_end(&t);
}

static void
t_limits(void)
{
    struct fx t;
    struct bx *x;
    int i;

    REQUIRE(fx_begin(&t) == 0);
    x = fx_record(&t);
    for (i = 0; i < 200; i++) { /* deeper than EV_MAX_DEPTH */
        bx_start(x, "d");
    }
    bx_u8(x, 0x00);
    REQUIRE(fx_add(&t, 1) == 0);
    raw_fragments(fx_record(&t));
    REQUIRE(fx_add_last(&t, 2) == 0);
    CHECK_RC(fx_read(&t, 0), VG_OK);
    CHECK_EQ_UINT(t.st.n_errors, 1);
    CHECK_EQ_UINT(t.st.n_records, 1);
    CHECK(strstr(t.g.log, "elements nested too deep") != NULL);
    fx_end(&t);
}

static void
t_template_reuse(void)
{
    struct evw_event e[2] = {base_event(), base_event()};
    struct fx t;
    uint32_t s1, s2;

    e[1].event_id = 7036;
    REQUIRE(fx_build(&t, e, 2) == 0);
    s1 = le_get32(t.data + 4608 + 4);
    s2 = le_get32(t.data + 4608 + s1 + 4);
    CHECK(s2 < s1 / 2); /* the second record only points at the template */
    CHECK_RC(fx_read(&t, 0), VG_OK);
    REQUIRE_EQ_INT(t.g.n, 2);
    CHECK(strstr(t.g.json[1], "\"EventID\":7036,") != NULL);
    fx_end(&t);
}

static int
probe_userdata(void *arg, struct vg_evtx_record *rec)
{
    const struct vg_event *e = &rec->event;
    struct vg_str v;
    int *ok = arg;

    *ok = 1;
    CHECK_EQ_UINT(e->event_id, 5);
    if (CHECK_RC(e->ops->get(e->impl, "ProcessName", 11, &v), VG_OK)) {
        CHECK_EQ_MEM(v.p, v.len, "Setup.exe", 9);
    }
    if (CHECK_RC(e->ops->get(e->impl, "Param", 5, &v), VG_OK)) {
        CHECK_EQ_MEM(v.p, v.len, "v", 1);
    }
    CHECK_RC(e->ops->get(e->impl, "Aux", 3, &v), VG_OK);
    CHECK(v.p == NULL); /* empty element: exists, null */
    CHECK_RC(e->ops->get(e->impl, "Op", 2, &v), VG_ENOTFOUND);
    return VG_OK;
}

/* UserData: leaf elements and their attributes are fields. */
static void
t_userdata_fields(void)
{
    struct fx t;
    struct bx *x;
    struct vg_evtx *f = NULL;
    struct vg_evtx_reader *r = NULL;
    int ok = 0;

    REQUIRE(fx_begin(&t) == 0);
    x = fx_record(&t);
    bx_start(x, "Event");
    bx_start(x, "System");
    bx_start(x, "EventID");
    bx_text(x, "5");
    bx_u8(x, 0x04);
    bx_u8(x, 0x04);
    bx_start(x, "UserData");
    bx_start(x, "Op");
    bx_open(x, "Aux", 1, 1);
    bx_u8(x, 0x06);
    bx_name(x, "ProcessName");
    bx_text(x, "Setup.exe");
    bx_u8(x, 0x03);
    bx_start(x, "Param");
    bx_text(x, "v");
    bx_u8(x, 0x04);
    bx_u8(x, 0x04);
    bx_u8(x, 0x04);
    bx_u8(x, 0x04);
    bx_u8(x, 0x00);
    REQUIRE(fx_add_last(&t, 1) == 0);
    REQUIRE_RC(vg_evtx_open_mem(NULL, t.data, t.len, "x", &f), VG_OK);
    REQUIRE_RC(vg_evtx_reader_new(&r), VG_OK);
    CHECK_RC(vg_evtx_each(r, f, 0, probe_userdata, &ok, NULL), VG_OK);
    CHECK_EQ_INT(ok, 1);
    vg_evtx_reader_free(r);
    vg_evtx_close(f);
    fx_end(&t);
}

/* Value tokens of other types than UTF-16 strings. */
static void
t_value_token_types(void)
{
    struct fx t;
    struct bx *x;

    REQUIRE(fx_begin(&t) == 0);
    x = fx_record(&t);
    bx_start(x, "V");
    bx_u8(x, 0x05);
    bx_u8(x, 0x02);
    bx_u16(x, 2);
    bx_u8(x, 'a');
    bx_u8(x, 'b');
    bx_u8(x, 0x45);
    bx_u8(x, 0x08);
    bx_u32(x, 42);
    bx_u8(x, 0x05);
    bx_u8(x, 0x15);
    bx_u32(x, 0xff);
    bx_u32(x, 0);
    bx_u8(x, 0x04);
    bx_u8(x, 0x00);
    REQUIRE(fx_add_last(&t, 1) == 0);
    CHECK_RC(fx_read(&t, 0), VG_OK);
    REQUIRE_EQ_INT(t.g.n, 1);
    CHECK_EQ_STR(t.g.xml[0], "<V>ab420xff</V>\n");
    CHECK_EQ_STR(strstr(t.g.json[0], "\"V\""), "\"V\":\"ab420xff\"}");
    fx_end(&t);
}

/* Regression (fuzz_evtx_chunk crash-null-subs): a template instance with
 * no substitution values whose body still has a substitution token. */
static void
t_template_without_values(void)
{
    struct fx t;
    struct bx *x;
    size_t size_at, start;

    REQUIRE(fx_begin(&t) == 0);
    x = fx_record(&t);
    bx_u8(x, 0x0c);
    bx_u8(x, 0x01);
    bx_u32(x, 7);
    bx_u32(x, bx_here(x) + 4);
    bx_u32(x, 0);
    x->n += 16;
    size_at = x->n;
    bx_u32(x, 0);
    start = x->n;
    bx_start(x, "E");
    bx_u8(x, 0x0d);
    bx_u16(x, 0);
    bx_u8(x, 0x01); /* value 0 of none */
    bx_u8(x, 0x04);
    bx_u8(x, 0x00);
    x->b[size_at] = (uint8_t)(x->n - start);
    bx_u32(x, 0); /* no values */
    bx_u8(x, 0x00);
    REQUIRE(fx_add_last(&t, 1) == 0);
    CHECK_RC(fx_read(&t, 0), VG_OK);
    REQUIRE_EQ_INT(t.g.n, 1);
    CHECK_EQ_STR(t.g.xml[0], "<E/>\n");
    fx_end(&t);
}

static const struct vg_test tests[] = {
    T(t_json_exact),        T(t_xml_exact),
    T(t_value_types),       T(t_event_fields),
    T(t_many_chunks),       T(t_tokens),
    T(t_checksums),         T(t_malformed_record),
    T(t_zero_size_record),  T(t_slack_carve),
    T(t_bad_chunk_magic),   T(t_truncated_file),
    T(t_bad_file_header),   T(t_limits),
    T(t_template_reuse),    T(t_template_without_values),
    T(t_value_token_types), T(t_userdata_fields),
};

int
main(int argc, char **argv)
{
    return vg_test_main(argc, argv, tests, VG_ARRAY_LEN(tests));
}
