/* SPDX-License-Identifier: Apache-2.0 */
/*
 * evtx_writer.c - the fixture writer behind evtx_writer.h. It writes the
 * layout Windows writes (file header, 64 KiB chunks with string and
 * template hash tables, records whose BinXML is a template instance plus a
 * substitution array) from the public format description; checksums are
 * CRC32 (zlib). Test code only: errors are -1, no diagnostics.
 */
#include "evtx_writer.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>

#include "le_bytes.h"

#define CHUNK 65536u
#define FILE_HDR 4096u
#define MAX_NAMES 2048
#define MAX_TPLS 256

struct name_ent {
    char *name;
    uint32_t off;
};
struct tpl_ent {
    char *key;
    uint32_t off;
};

struct evw {
    uint8_t *file; /* finished chunks after a FILE_HDR gap */
    size_t file_len;
    uint8_t chunk[CHUNK];
    uint32_t pos; /* write position in chunk */
    int overflow; /* a put went past the chunk */
    uint32_t n_recs;
    uint64_t first_id, last_id;
    uint32_t last_rec_off;
    struct name_ent names[MAX_NAMES];
    size_t n_names;
    struct tpl_ent tpls[MAX_TPLS];
    size_t n_tpls;
    uint64_t next_id;
    uint32_t n_chunks;
    uint32_t tpl_serial;
};

static void
put(struct evw *w, const void *p, size_t n)
{
    if (w->overflow || n > CHUNK - w->pos) {
        w->overflow = 1;
        return;
    }
    memcpy(w->chunk + w->pos, p, n);
    w->pos += (uint32_t)n;
}

static void
put8(struct evw *w, uint8_t v)
{
    put(w, &v, 1);
}

static void
put16(struct evw *w, uint16_t v)
{
    uint8_t b[2];

    le_put16(b, v);
    put(w, b, 2);
}

static void
put32(struct evw *w, uint32_t v)
{
    uint8_t b[4];

    le_put32(b, v);
    put(w, b, 4);
}

static void
put64(struct evw *w, uint64_t v)
{
    put32(w, (uint32_t)v);
    put32(w, (uint32_t)(v >> 32));
}

/* UTF-8 -> UTF-16LE code units into out (2 bytes each); returns units.
 * Invalid bytes become U+FFFD. out needs 2 * strlen(s) units at most. */
static size_t
utf16(const char *s, size_t n, uint8_t *out)
{
    const uint8_t *p = (const uint8_t *)s;
    size_t i = 0, k = 0;

    while (i < n) {
        uint32_t cp = p[i];
        size_t len = cp < 0x80         ? 1
                     : (cp >> 5) == 6  ? 2
                     : (cp >> 4) == 14 ? 3
                     : (cp >> 3) == 30 ? 4
                                       : 0;
        size_t j;
        if (len == 0 || i + len > n) {
            cp = 0xfffd;
            len = 1;
        } else if (len > 1) {
            cp &= 0x3fu >> (len - 1);
            for (j = 1; j < len; j++) {
                cp = (cp << 6) | (p[i + j] & 0x3fu);
            }
        }
        i += len;
        if (cp >= 0x10000) {
            uint32_t v = cp - 0x10000, hi = 0xd800 + (v >> 10),
                     lo = 0xdc00 + (v & 0x3ff);
            out[2 * k] = (uint8_t)hi;
            out[2 * k + 1] = (uint8_t)(hi >> 8);
            k++;
            cp = lo;
        }
        out[2 * k] = (uint8_t)cp;
        out[2 * k + 1] = (uint8_t)(cp >> 8);
        k++;
    }
    return k;
}

uint16_t
evw_name_hash(const char *name)
{
    size_t n = strlen(name), k, i;
    uint8_t *u = malloc(4 * n + 2);
    uint32_t h = 0;

    if (u == NULL) {
        return 0;
    }
    k = utf16(name, n, u);
    for (i = 0; i < k; i++) {
        h = h * 65599u + (uint32_t)(u[2 * i] | (u[2 * i + 1] << 8));
    }
    free(u);
    return (uint16_t)h;
}

size_t
evw_put_name(uint8_t *out, const char *name)
{
    size_t k = utf16(name, strlen(name), out + 8);
    uint16_t h = evw_name_hash(name);

    le_put32(out, 0);
    out[4] = (uint8_t)h;
    out[5] = (uint8_t)(h >> 8);
    out[6] = (uint8_t)k;
    out[7] = (uint8_t)(k >> 8);
    out[8 + 2 * k] = 0;
    out[9 + 2 * k] = 0;
    return 10 + 2 * k;
}

int
evw_new(struct evw **out)
{
    struct evw *w = calloc(1, sizeof(*w));

    *out = NULL;
    if (w == NULL) {
        return -1;
    }
    w->file = calloc(1, FILE_HDR);
    if (w->file == NULL) {
        free(w);
        return -1;
    }
    w->file_len = FILE_HDR;
    w->pos = 512;
    w->next_id = 1;
    *out = w;
    return 0;
}

static void
reset_tables(struct evw *w)
{
    size_t i;

    for (i = 0; i < w->n_names; i++) {
        free(w->names[i].name);
    }
    for (i = 0; i < w->n_tpls; i++) {
        free(w->tpls[i].key);
    }
    w->n_names = 0;
    w->n_tpls = 0;
}

void
evw_free(struct evw *w)
{
    if (w == NULL) {
        return;
    }
    reset_tables(w);
    free(w->file);
    free(w);
}

/* Name reference: the offset, then the name inline on first use. */
static void
name_ref(struct evw *w, const char *name)
{
    size_t i;
    uint8_t tmp[8 + 4 * 256 + 2];
    uint32_t off, bucket;
    size_t n;

    for (i = 0; i < w->n_names; i++) {
        if (strcmp(w->names[i].name, name) == 0) {
            put32(w, w->names[i].off);
            return;
        }
    }
    if (strlen(name) > 256 || w->n_names == MAX_NAMES) {
        w->overflow = 1;
        return;
    }
    off = w->pos + 4;
    put32(w, off);
    n = evw_put_name(tmp, name);
    bucket = 128u + 4u * (evw_name_hash(name) % 64u);
    le_put32(tmp, le_get32(w->chunk + bucket)); /* chain the hash bucket */
    put(w, tmp, n);
    if (w->overflow) {
        return;
    }
    le_put32(w->chunk + bucket, off);
    w->names[w->n_names].name = strdup(name);
    w->names[w->n_names].off = off;
    if (w->names[w->n_names].name == NULL) {
        w->overflow = 1;
        return;
    }
    w->n_names++;
}

/* Element start: returns the position of its data-size field (patched by
 * elem_end). */
static uint32_t
elem_open(struct evw *w, const char *name, int has_attrs)
{
    uint32_t at;

    put8(w, has_attrs ? 0x41 : 0x01);
    put16(w, 0xffff); /* dependency id: none */
    at = w->pos;
    put32(w, 0);
    name_ref(w, name);
    if (has_attrs) {
        put32(w, 0); /* attribute list size, patched by attrs_done */
    }
    return at;
}

static void
patch_size(struct evw *w, uint32_t at)
{
    if (!w->overflow) {
        le_put32(w->chunk + at, w->pos - at - 4);
    }
}

static void
attr(struct evw *w, const char *name, int more)
{
    put8(w, more ? 0x46 : 0x06);
    name_ref(w, name);
}

static void
subst(struct evw *w, uint16_t id, uint8_t type, int optional)
{
    put8(w, optional ? 0x0e : 0x0d);
    put16(w, id);
    put8(w, type);
}

static void
text(struct evw *w, const char *s)
{
    uint8_t u[4 * 256];
    size_t n = strlen(s), k;

    if (n > 256) {
        w->overflow = 1;
        return;
    }
    k = utf16(s, n, u);
    put8(w, 0x05);
    put8(w, 0x01);
    put16(w, (uint16_t)k);
    put(w, u, 2 * k);
}

/* <name>%id</name> */
static void
simple(struct evw *w, const char *name, uint16_t id, uint8_t type)
{
    uint32_t at = elem_open(w, name, 0);

    put8(w, 0x02);
    subst(w, id, type, 1);
    put8(w, 0x04);
    patch_size(w, at);
}

/* <name a1=%id1 [a2=%id2]/> */
static void
attrs_elem(struct evw *w, const char *name, const char *a1, uint16_t id1,
           uint8_t t1, const char *a2, uint16_t id2, uint8_t t2)
{
    uint32_t at = elem_open(w, name, 1), list = w->pos - 4;

    attr(w, a1, a2 != NULL);
    subst(w, id1, t1, 1);
    if (a2 != NULL) {
        attr(w, a2, 0);
        subst(w, id2, t2, 1);
    }
    patch_size(w, list);
    put8(w, 0x03);
    patch_size(w, at);
}

enum {
    S_PROV,
    S_GUID,
    S_EID,
    S_QUAL,
    S_VER,
    S_LEVEL,
    S_TASK,
    S_OPCODE,
    S_KW,
    S_TIME,
    S_RID,
    S_PID,
    S_TID,
    S_CHAN,
    S_COMP,
    S_SID,
    S_DATA,
};

static uint8_t
wire_type(enum evw_type t)
{
    static const uint8_t map[] = {
        [EVW_STR] = 0x01,       [EVW_ANSI] = 0x02,      [EVW_I8] = 0x03,
        [EVW_U8] = 0x04,        [EVW_I16] = 0x05,       [EVW_U16] = 0x06,
        [EVW_I32] = 0x07,       [EVW_U32] = 0x08,       [EVW_I64] = 0x09,
        [EVW_U64] = 0x0a,       [EVW_R32] = 0x0b,       [EVW_R64] = 0x0c,
        [EVW_BOOL] = 0x0d,      [EVW_BIN] = 0x0e,       [EVW_GUID] = 0x0f,
        [EVW_SIZE] = 0x10,      [EVW_FILETIME] = 0x11,  [EVW_SYSTIME] = 0x12,
        [EVW_SID] = 0x13,       [EVW_HEX32] = 0x14,     [EVW_HEX64] = 0x15,
        [EVW_STR_ARRAY] = 0x81, [EVW_U32_ARRAY] = 0x88, [EVW_NULL] = 0x00,
    };
    return (size_t)t < sizeof(map) ? map[t] : 0;
}

static void
system_body(struct evw *w)
{
    uint32_t at = elem_open(w, "System", 0), e, list;

    put8(w, 0x02);
    attrs_elem(w, "Provider", "Name", S_PROV, 0x01, "Guid", S_GUID, 0x0f);
    e = elem_open(w, "EventID", 1);
    list = w->pos - 4;
    attr(w, "Qualifiers", 0);
    subst(w, S_QUAL, 0x06, 1);
    patch_size(w, list);
    put8(w, 0x02);
    subst(w, S_EID, 0x06, 1);
    put8(w, 0x04);
    patch_size(w, e);
    simple(w, "Version", S_VER, 0x04);
    simple(w, "Level", S_LEVEL, 0x04);
    simple(w, "Task", S_TASK, 0x06);
    simple(w, "Opcode", S_OPCODE, 0x04);
    simple(w, "Keywords", S_KW, 0x15);
    attrs_elem(w, "TimeCreated", "SystemTime", S_TIME, 0x11, NULL, 0, 0);
    simple(w, "EventRecordID", S_RID, 0x0a);
    e = elem_open(w, "Correlation", 0);
    put8(w, 0x03);
    patch_size(w, e);
    attrs_elem(w, "Execution", "ProcessID", S_PID, 0x08, "ThreadID", S_TID,
               0x08);
    simple(w, "Channel", S_CHAN, 0x01);
    simple(w, "Computer", S_COMP, 0x01);
    attrs_elem(w, "Security", "UserID", S_SID, 0x13, NULL, 0, 0);
    put8(w, 0x04);
    patch_size(w, at);
}

static void
eventdata_body(struct evw *w, const struct evw_event *e)
{
    uint32_t at = elem_open(w, "EventData", 0);
    size_t i;

    put8(w, 0x02);
    for (i = 0; i < e->n_data; i++) {
        const struct evw_field *f = &e->data[i];
        uint32_t d = elem_open(w, "Data", f->name != NULL);
        if (f->name != NULL) {
            uint32_t list = w->pos - 4;
            attr(w, "Name", 0);
            text(w, f->name);
            patch_size(w, list);
        }
        put8(w, 0x02);
        subst(w, (uint16_t)(S_DATA + i), wire_type(f->type), 1);
        put8(w, 0x04);
        patch_size(w, d);
    }
    put8(w, 0x04);
    patch_size(w, at);
}

/* The template body: <Event xmlns=...><System/><EventData/></Event>. */
static void
template_body(struct evw *w, const struct evw_event *e)
{
    uint32_t at, list;

    put32(w, 0x0001010f); /* fragment header 0f 01 01 00 */
    at = elem_open(w, "Event", 1);
    list = w->pos - 4;
    attr(w, "xmlns", 0);
    text(w, "http://schemas.microsoft.com/win/2004/08/events/event");
    patch_size(w, list);
    put8(w, 0x02);
    system_body(w);
    eventdata_body(w, e);
    put8(w, 0x04);
    patch_size(w, at);
    put8(w, 0x00);
}

static char *
shape_key(const struct evw_event *e)
{
    size_t i, n = 16;
    char *k, *p;

    for (i = 0; i < e->n_data; i++) {
        n += (e->data[i].name ? strlen(e->data[i].name) : 0) + 8;
    }
    k = malloc(n);
    if (k == NULL) {
        return NULL;
    }
    p = k;
    p += snprintf(p, n, "%zu|", e->n_data);
    for (i = 0; i < e->n_data; i++) {
        p += snprintf(
            p, n - (size_t)(p - k), "%s%s:%02x|", e->data[i].name ? "=" : "-",
            e->data[i].name ? e->data[i].name : "", wire_type(e->data[i].type));
    }
    return k;
}

/* Template instance: the definition inline on first use in this chunk. */
static void
template_instance(struct evw *w, const struct evw_event *e, char *key)
{
    size_t i;
    uint32_t def, size_at, id;
    uint8_t guid[16];

    for (i = 0; i < w->n_tpls; i++) {
        if (strcmp(w->tpls[i].key, key) == 0) {
            def = w->tpls[i].off;
            put8(w, 0x0c);
            put8(w, 0x01);
            put32(w, le_get32(w->chunk + def + 4));
            put32(w, def);
            free(key);
            return;
        }
    }
    id = 0x5a000000u + ++w->tpl_serial;
    put8(w, 0x0c);
    put8(w, 0x01);
    put32(w, id);
    def = w->pos + 4;
    put32(w, def);
    put32(w, 0); /* next template in bucket */
    le_put32(guid, id);
    memcpy(guid + 4, "vigil-fixture", 12);
    put(w, guid, 16);
    size_at = w->pos;
    put32(w, 0);
    template_body(w, e);
    patch_size(w, size_at);
    if (w->overflow || w->n_tpls == MAX_TPLS) {
        w->overflow = 1;
        free(key);
        return;
    }
    le_put32(w->chunk + def, le_get32(w->chunk + 384 + 4 * (id % 32)));
    le_put32(w->chunk + 384 + 4 * (id % 32), def);
    w->tpls[w->n_tpls].key = key;
    w->tpls[w->n_tpls].off = def;
    w->n_tpls++;
}

static int
parse_sid(const char *s, uint8_t *out, size_t *len)
{
    unsigned long long v[17];
    size_t n = 0, i;
    char *end;

    if (s[0] != 'S' || s[1] != '-') {
        return -1;
    }
    s += 2;
    for (;;) {
        if (n == 17) {
            return -1;
        }
        v[n++] = strtoull(s, &end, 10);
        if (end == s) {
            return -1;
        }
        if (*end == '\0') {
            break;
        }
        if (*end != '-') {
            return -1;
        }
        s = end + 1;
    }
    if (n < 2) {
        return -1;
    }
    out[0] = (uint8_t)v[0];
    out[1] = (uint8_t)(n - 2);
    for (i = 0; i < 6; i++) {
        out[2 + i] = (uint8_t)(v[1] >> (8 * (5 - i)));
    }
    for (i = 2; i < n; i++) {
        le_put32(out + 8 + 4 * (i - 2), (uint32_t)v[i]);
    }
    *len = 8 + 4 * (n - 2);
    return 0;
}

static int
parse_guid(const char *s, uint8_t out[16])
{
    unsigned v[11];
    size_t i;

    if (s == NULL || strlen(s) != 38 ||
        sscanf(s, "{%8x-%4x-%4x-%2x%2x-%2x%2x%2x%2x%2x%2x}", &v[0], &v[1],
               &v[2], &v[3], &v[4], &v[5], &v[6], &v[7], &v[8], &v[9],
               &v[10]) != 11) {
        return -1;
    }
    le_put32(out, v[0]);
    out[4] = (uint8_t)v[1];
    out[5] = (uint8_t)(v[1] >> 8);
    out[6] = (uint8_t)v[2];
    out[7] = (uint8_t)(v[2] >> 8);
    for (i = 0; i < 8; i++) {
        out[8 + i] = (uint8_t)v[3 + i];
    }
    return 0;
}

/* One substitution value: bytes into buf (cap 65535), type. */
struct val {
    uint8_t type;
    uint8_t *p;
    size_t len;
};

static int
field_value(const struct evw_field *f, struct val *v)
{
    uint8_t *b = v->p;
    uint64_t u = f->u;
    size_t n = 0;

    v->type = wire_type(f->type);
    switch (f->type) {
    case EVW_STR:
        if (f->s == NULL || strlen(f->s) > 16000) {
            return -1;
        }
        n = 2 * utf16(f->s, strlen(f->s), b);
        break;
    case EVW_ANSI:
        n = f->s ? strlen(f->s) : 0;
        if (n > 32000) {
            return -1;
        }
        memcpy(b, f->s ? f->s : "", n);
        break;
    case EVW_I8:
    case EVW_U8:
        u = f->type == EVW_I8 ? (uint64_t)f->i : u;
        n = 1;
        break;
    case EVW_I16:
    case EVW_U16:
        u = f->type == EVW_I16 ? (uint64_t)f->i : u;
        n = 2;
        break;
    case EVW_I32:
    case EVW_U32:
    case EVW_HEX32:
    case EVW_BOOL:
        u = f->type == EVW_I32    ? (uint64_t)f->i
            : f->type == EVW_BOOL ? (uint64_t)(u != 0)
                                  : u;
        n = 4;
        break;
    case EVW_I64:
    case EVW_U64:
    case EVW_HEX64:
    case EVW_SIZE:
    case EVW_FILETIME:
        u = f->type == EVW_I64 ? (uint64_t)f->i : u;
        n = 8;
        break;
    case EVW_R32: {
        float x = (float)f->d;
        memcpy(b, &x, 4);
        v->len = 4;
        return 0;
    }
    case EVW_R64:
        memcpy(b, &f->d, 8);
        v->len = 8;
        return 0;
    case EVW_BIN:
    case EVW_GUID:
    case EVW_SYSTIME:
    case EVW_STR_ARRAY:
    case EVW_U32_ARRAY:
        n = f->bin_len;
        if (n > 60000 || (n > 0 && f->bin == NULL)) {
            return -1;
        }
        if (n > 0) {
            memcpy(b, f->bin, n);
        }
        v->len = n;
        return 0;
    case EVW_SID:
        return f->s != NULL && parse_sid(f->s, b, &v->len) == 0 ? 0 : -1;
    case EVW_NULL:
        v->len = 0;
        return 0;
    }
    if (f->type != EVW_STR && f->type != EVW_ANSI) {
        size_t i;
        for (i = 0; i < n; i++) {
            b[i] = (uint8_t)(u >> (8 * i));
        }
    }
    v->len = n;
    return 0;
}

static void
le(uint8_t *b, uint64_t u, size_t n, struct val *v, uint8_t type)
{
    size_t i;

    for (i = 0; i < n; i++) {
        b[i] = (uint8_t)(u >> (8 * i));
    }
    v->p = b;
    v->len = n;
    v->type = type;
}

static void
str_val(uint8_t *b, const char *s, struct val *v)
{
    v->p = b;
    v->len = 2 * utf16(s, strlen(s), b);
    v->type = 0x01;
}

static int
system_values(const struct evw_event *e, uint64_t rid, struct val *vals,
              uint8_t *store)
{
    uint64_t ft = (uint64_t)(e->time_us * 10) + 116444736000000000ull;
    uint8_t *b = store;

    if (strlen(e->provider) > 1000 || strlen(e->channel) > 1000 ||
        strlen(e->computer) > 1000) {
        return -1;
    }
    str_val(b, e->provider, &vals[S_PROV]);
    b += 4000;
    vals[S_GUID].p = b;
    vals[S_GUID].type = e->provider_guid ? 0x0f : 0x00;
    vals[S_GUID].len = 0;
    if (e->provider_guid != NULL) {
        if (parse_guid(e->provider_guid, b) != 0) {
            return -1;
        }
        vals[S_GUID].len = 16;
    }
    b += 16;
    le(b, e->event_id, 2, &vals[S_EID], 0x06);
    b += 2;
    le(b, e->qualifiers, e->has_qualifiers ? 2 : 0, &vals[S_QUAL],
       e->has_qualifiers ? 0x06 : 0x00);
    b += 2;
    le(b, e->version, 1, &vals[S_VER], 0x04);
    le(b + 1, e->level, 1, &vals[S_LEVEL], 0x04);
    le(b + 2, e->task, 2, &vals[S_TASK], 0x06);
    le(b + 4, e->opcode, 1, &vals[S_OPCODE], 0x04);
    le(b + 8, e->keywords, 8, &vals[S_KW], 0x15);
    le(b + 16, ft, 8, &vals[S_TIME], 0x11);
    le(b + 24, rid, 8, &vals[S_RID], 0x0a);
    le(b + 32, e->pid, 4, &vals[S_PID], 0x08);
    le(b + 36, e->tid, 4, &vals[S_TID], 0x08);
    b += 40;
    str_val(b, e->channel, &vals[S_CHAN]);
    b += 4000;
    str_val(b, e->computer, &vals[S_COMP]);
    b += 4000;
    vals[S_SID].p = b;
    vals[S_SID].type = 0x00;
    vals[S_SID].len = 0;
    if (e->user_sid != NULL) {
        if (parse_sid(e->user_sid, b, &vals[S_SID].len) != 0) {
            return -1;
        }
        vals[S_SID].type = 0x13;
    }
    return 0;
}

static void
finish_chunk(struct evw *w)
{
    uint8_t *c = w->chunk, *nf;
    uint32_t h;

    if (w->n_recs == 0) {
        return;
    }
    memcpy(c, "ElfChnk", 8);
    le_put64(c + 8, w->first_id);
    le_put64(c + 16, w->last_id);
    le_put64(c + 24, w->first_id);
    le_put64(c + 32, w->last_id);
    le_put32(c + 40, 128);
    le_put32(c + 44, w->last_rec_off);
    le_put32(c + 48, w->pos);
    le_put32(c + 52, (uint32_t)crc32(0, c + 512, w->pos - 512));
    le_put32(c + 120, 0);
    h = (uint32_t)crc32(0, c, 120);
    h = (uint32_t)crc32(h, c + 128, 384);
    le_put32(c + 124, h);
    nf = realloc(w->file, w->file_len + CHUNK);
    if (nf != NULL) {
        w->file = nf;
        memcpy(w->file + w->file_len, c, CHUNK);
        w->file_len += CHUNK;
        w->n_chunks++;
    }
    memset(w->chunk, 0, CHUNK);
    w->pos = 512;
    w->n_recs = 0;
    reset_tables(w);
}

static void
record_head(struct evw *w, uint64_t rid, uint64_t ft)
{
    put32(w, 0x00002a2a);
    put32(w, 0);
    put64(w, rid);
    put64(w, ft);
}

static int
record_tail(struct evw *w, uint32_t start, uint64_t rid)
{
    while (!w->overflow && (w->pos - start + 4) % 8 != 0) {
        put8(w, 0);
    }
    put32(w, w->pos - start + 4);
    if (w->overflow) {
        return -1;
    }
    le_put32(w->chunk + start + 4, w->pos - start);
    if (w->n_recs == 0) {
        w->first_id = rid;
    }
    w->last_id = rid;
    w->last_rec_off = start;
    w->n_recs++;
    return 0;
}

static int
try_add(struct evw *w, const struct evw_event *e, uint64_t rid,
        const struct val *vals, size_t n_vals)
{
    uint32_t start = w->pos;
    uint64_t ft = (uint64_t)(e->time_us * 10) + 116444736000000000ull;
    char *key = shape_key(e);
    size_t i, saved_names = w->n_names, saved_tpls = w->n_tpls;

    if (key == NULL) {
        return -1;
    }
    w->overflow = 0;
    record_head(w, rid, ft);
    put32(w, 0x0001010f);
    template_instance(w, e, key);
    put32(w, (uint32_t)n_vals);
    for (i = 0; i < n_vals; i++) {
        put16(w, (uint16_t)vals[i].len);
        put8(w, vals[i].type);
        put8(w, 0);
    }
    for (i = 0; i < n_vals; i++) {
        put(w, vals[i].p, vals[i].len);
    }
    put8(w, 0x00);
    if (record_tail(w, start, rid) == 0) {
        return 0;
    }
    /* Did not fit: forget what this attempt added to the tables. */
    while (w->n_names > saved_names) {
        free(w->names[--w->n_names].name);
    }
    while (w->n_tpls > saved_tpls) {
        free(w->tpls[--w->n_tpls].key);
    }
    memset(w->chunk + start, 0, CHUNK - start);
    w->pos = start;
    return -1;
}

int
evw_add(struct evw *w, const struct evw_event *e)
{
    struct val vals[S_DATA + 256];
    uint8_t *store;
    uint64_t rid = e->record_id ? e->record_id : w->next_id;
    size_t i, n = S_DATA + e->n_data;
    int rc = -1;

    if (e->n_data > 256 || e->channel == NULL || e->provider == NULL ||
        e->computer == NULL) {
        return -1;
    }
    store = malloc(16384 + 65536 * (e->n_data + 1));
    if (store == NULL) {
        return -1;
    }
    if (system_values(e, rid, vals, store) != 0) {
        goto out;
    }
    for (i = 0; i < e->n_data; i++) {
        vals[S_DATA + i].p = store + 16384 + 65536 * i;
        if (field_value(&e->data[i], &vals[S_DATA + i]) != 0) {
            goto out;
        }
    }
    if (try_add(w, e, rid, vals, n) != 0) {
        finish_chunk(w);
        if (try_add(w, e, rid, vals, n) != 0) {
            goto out;
        }
    }
    w->next_id = rid + 1;
    rc = 0;
out:
    free(store);
    return rc;
}

uint32_t
evw_raw_offset(const struct evw *w)
{
    return w->pos + 24;
}

int
evw_add_raw(struct evw *w, uint64_t record_id, uint64_t filetime,
            const uint8_t *binxml, size_t n)
{
    uint32_t start = w->pos;

    w->overflow = 0;
    record_head(w, record_id, filetime);
    put(w, binxml, n);
    if (record_tail(w, start, record_id) != 0) {
        memset(w->chunk + start, 0, CHUNK - start);
        w->pos = start;
        return -1;
    }
    w->next_id = record_id + 1;
    return 0;
}

int
evw_finish(struct evw *w, uint8_t **data, size_t *len)
{
    uint8_t *f;

    finish_chunk(w);
    f = w->file;
    memset(f, 0, FILE_HDR);
    memcpy(f, "ElfFile", 8);
    le_put64(f + 8, 0);
    le_put64(f + 16, w->n_chunks ? w->n_chunks - 1 : 0);
    le_put64(f + 24, w->next_id);
    le_put32(f + 32, 128);
    f[36] = 1; /* minor version */
    f[38] = 3; /* major version */
    f[40] = 0x00;
    f[41] = 0x10; /* header block size 4096 */
    f[42] = (uint8_t)w->n_chunks;
    f[43] = (uint8_t)(w->n_chunks >> 8);
    le_put32(f + 120, 0);
    le_put32(f + 124, (uint32_t)crc32(0, f, 120));
    *data = malloc(w->file_len);
    if (*data == NULL) {
        return -1;
    }
    memcpy(*data, f, w->file_len);
    *len = w->file_len;
    return 0;
}

int
evw_write_file(struct evw *w, const char *path)
{
    uint8_t *data;
    size_t len, off = 0;
    int fd, rc = 0;

    if (evw_finish(w, &data, &len) != 0) {
        return -1;
    }
    fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0) {
        free(data);
        return -1;
    }
    while (off < len) {
        ssize_t k = write(fd, data + off, len - off);
        if (k <= 0) {
            rc = -1;
            break;
        }
        off += (size_t)k;
    }
    if (close(fd) != 0) {
        rc = -1;
    }
    free(data);
    return rc;
}

int
evw_finish_free(struct evw **w, uint8_t **data, size_t *len)
{
    int rc = evw_finish(*w, data, len);

    evw_free(*w);
    *w = NULL;
    return rc;
}
