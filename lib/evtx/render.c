/* SPDX-License-Identifier: Apache-2.0 */
/*
 * render.c - a parsed record as JSON (one object) or as indented XML.
 *
 * JSON: an element with neither attributes nor child elements becomes its
 * text (numbers and booleans bare, empty -> null); otherwise an object with
 * "#attributes", its children and "#text". <Data Name="X"> children are
 * keyed by X. A name repeated among siblings gets "_1", "_2"... so every
 * object has distinct keys. XML: as Event Viewer shows it, two spaces per
 * level, attributes whose optional substitution was empty left out.
 *
 * Not done here: value conversion (value.c).
 */
#include <string.h>

#include "core/alloc.h"
#include "core/arena.h"
#include "evtx/evtx_int.h"
#include "vigil/err.h"

#include "core/banned.h"

#define TRY(x)                                                                 \
    do {                                                                       \
        int rc_ = (x);                                                         \
        if (rc_ != VG_OK)                                                      \
            return rc_;                                                        \
    } while (0)

static int
is_text_kind(uint8_t k)
{
    return k == EV_N_VALUE || k == EV_N_CDATA || k == EV_N_CHARREF ||
           k == EV_N_ENTREF;
}

static int
entity_text(struct vg_buf *b, const struct ev_node *n, enum ev_esc esc)
{
    static const struct {
        const char *name, *ch;
    } ents[] = {
        {"amp", "&"}, {"lt", "<"}, {"gt", ">"}, {"quot", "\""}, {"apos", "'"},
    };
    size_t i;

    for (i = 0; i < VG_ARRAY_LEN(ents); i++) {
        if (n->name_len == strlen(ents[i].name) &&
            memcmp(n->name, ents[i].name, n->name_len) == 0) {
            return ev_utf8_append(b, ents[i].ch, 1, esc);
        }
    }
    TRY(ev_utf8_append(b, "&", 1, esc));
    TRY(ev_utf8_append(b, n->name, n->name_len, esc));
    return ev_utf8_append(b, ";", 1, esc);
}

static int
charref_text(struct vg_buf *b, uint32_t cp, enum ev_esc esc)
{
    uint8_t u[2] = {(uint8_t)(cp & 0xff), (uint8_t)(cp >> 8)};

    return ev_utf16_append(b, u, 2, esc);
}

int
ev_node_text(const struct vg_evtx_reader *r, uint32_t node, struct vg_buf *b,
             enum ev_esc esc)
{
    uint32_t c;

    for (c = r->nodes[node].first; c != EV_NONE; c = r->nodes[c].next) {
        const struct ev_node *n = &r->nodes[c];
        switch (n->kind) {
        case EV_N_VALUE:
            TRY(ev_val_text(b, n->vtype, n->val, n->len, esc));
            break;
        case EV_N_CDATA:
            TRY(ev_utf16_append(b, n->val, n->len, esc));
            break;
        case EV_N_CHARREF:
            TRY(charref_text(b, n->aux, esc));
            break;
        case EV_N_ENTREF:
            TRY(entity_text(b, n, esc));
            break;
        default:
            break;
        }
    }
    return VG_OK;
}

uint32_t
ev_single_value(const struct vg_evtx_reader *r, uint32_t node)
{
    uint32_t c, found = EV_NONE;

    for (c = r->nodes[node].first; c != EV_NONE; c = r->nodes[c].next) {
        if (is_text_kind(r->nodes[c].kind)) {
            if (found != EV_NONE || r->nodes[c].kind != EV_N_VALUE) {
                return EV_NONE;
            }
            found = c;
        }
    }
    return found;
}

/* ---- JSON ---- */

struct counts {
    uint32_t attrs, elems, texts;
};

static void
count_children(const struct vg_evtx_reader *r, uint32_t node, struct counts *k)
{
    uint32_t c;

    memset(k, 0, sizeof(*k));
    for (c = r->nodes[node].first; c != EV_NONE; c = r->nodes[c].next) {
        const struct ev_node *n = &r->nodes[c];
        if (n->kind == EV_N_ATTR && (n->flags & EV_F_HASVAL)) {
            k->attrs++;
        } else if (n->kind == EV_N_ELEM) {
            k->elems++;
        } else if (is_text_kind(n->kind)) {
            k->texts++;
        }
    }
}

static int
has_text_child(const struct vg_evtx_reader *r, uint32_t node)
{
    uint32_t c;

    for (c = r->nodes[node].first; c != EV_NONE; c = r->nodes[c].next) {
        if (is_text_kind(r->nodes[c].kind)) {
            return 1;
        }
    }
    return 0;
}

static int
json_text(const struct vg_evtx_reader *r, uint32_t node, struct vg_buf *b)
{
    uint32_t v = ev_single_value(r, node);
    const struct ev_node *n = v != EV_NONE ? &r->nodes[v] : NULL;

    if (n != NULL && ev_type_is_json_scalar(n->vtype) && n->len > 0) {
        return ev_val_text(b, n->vtype, n->val, n->len, EV_ESC_JSON);
    }
    if (n != NULL ? n->vtype == EV_T_NULL : !has_text_child(r, node)) {
        return ev_buf_add(b, "null", 4);
    }
    TRY(ev_buf_addc(b, '"'));
    TRY(ev_node_text(r, node, b, EV_ESC_JSON));
    return ev_buf_addc(b, '"');
}

/* Keys already written in one object, to make repeated names distinct. */
struct keyset {
    struct {
        size_t off, len;
    } * k;
    uint32_t n, cap;
};

static int
key_seen(const struct vg_buf *b, const struct keyset *ks, size_t off,
         size_t len)
{
    uint32_t i, hits = 0;

    for (i = 0; i < ks->n; i++) {
        if (ks->k[i].len == len &&
            memcmp(b->data + ks->k[i].off, b->data + off, len) == 0) {
            hits++;
        }
    }
    return (int)hits;
}

/* Write "key" (escaped) + ':'; key text comes from fn. */
static int
json_key(struct vg_evtx_reader *r, struct vg_buf *b, struct keyset *ks,
         const struct ev_node *n, uint32_t name_attr)
{
    size_t off;
    int dup;

    TRY(ev_buf_addc(b, '"'));
    off = b->len;
    if (name_attr != EV_NONE) {
        TRY(ev_node_text(r, name_attr, b, EV_ESC_JSON));
    } else {
        TRY(ev_utf8_append(b, n->name, n->name_len, EV_ESC_JSON));
    }
    /* Objects are small in practice; the check is quadratic only in the
     * number of distinct siblings, which EV_MAX_NODES bounds. Big fan-outs
     * (hostile) skip it after 256 keys and rely on the suffix counter. */
    dup = ks->n < 256 ? key_seen(b, ks, off, b->len - off) : 0;
    if (ks->n < ks->cap) {
        ks->k[ks->n].off = off;
        ks->k[ks->n].len = b->len - off;
        ks->n++;
    }
    if (dup > 0) {
        TRY(vg_buf_printf(b, "_%d", dup));
    }
    return ev_buf_add(b, "\":", 2);
}

static int json_members(struct vg_evtx_reader *r, uint32_t node,
                        struct vg_buf *b, int first);

static int
json_elem(struct vg_evtx_reader *r, uint32_t node, struct vg_buf *b)
{
    struct counts k;

    count_children(r, node, &k);
    if (k.attrs == 0 && k.elems == 0) {
        if (k.texts == 0) {
            return ev_buf_add(b, "null", 4);
        }
        return json_text(r, node, b);
    }
    TRY(ev_buf_addc(b, '{'));
    TRY(json_members(r, node, b, 1));
    return ev_buf_addc(b, '}');
}

static int
json_attrs(struct vg_evtx_reader *r, uint32_t node, struct vg_buf *b)
{
    uint32_t c;
    int first = 1;

    TRY(ev_buf_add(b, "\"#attributes\":{", 15));
    for (c = r->nodes[node].first; c != EV_NONE; c = r->nodes[c].next) {
        const struct ev_node *n = &r->nodes[c];
        if (n->kind != EV_N_ATTR || !(n->flags & EV_F_HASVAL)) {
            continue;
        }
        if (!first) {
            TRY(ev_buf_addc(b, ','));
        }
        first = 0;
        TRY(ev_buf_addc(b, '"'));
        TRY(ev_utf8_append(b, n->name, n->name_len, EV_ESC_JSON));
        TRY(ev_buf_add(b, "\":", 2));
        TRY(json_text(r, c, b));
    }
    return ev_buf_addc(b, '}');
}

/* <Data Name="X">: the Name attribute when it is the only attribute and
 * the element has no child elements. */
static uint32_t
data_name(const struct vg_evtx_reader *r, uint32_t node)
{
    const struct ev_node *n = &r->nodes[node];
    struct counts k;
    uint32_t a;

    if (n->name_len != 4 || memcmp(n->name, "Data", 4) != 0) {
        return EV_NONE;
    }
    a = ev_attr(r, node, "Name", 4);
    if (a == EV_NONE) {
        return EV_NONE;
    }
    count_children(r, node, &k);
    return k.attrs == 1 && k.elems == 0 ? a : EV_NONE;
}

static int
json_members(struct vg_evtx_reader *r, uint32_t node, struct vg_buf *b,
             int first)
{
    struct counts k;
    struct keyset ks = {NULL, 0, 0};
    uint32_t c;
    void *mem;

    count_children(r, node, &k);
    if (k.elems > 0) {
        uint32_t cap = k.elems < 256 ? k.elems : 256;
        TRY(vg_arena_alloc(&r->rec_arena, cap * sizeof(*ks.k), &mem));
        ks.k = mem;
        ks.cap = cap;
    }
    if (k.attrs > 0) {
        TRY(json_attrs(r, node, b));
        first = 0;
    }
    for (c = r->nodes[node].first; c != EV_NONE; c = r->nodes[c].next) {
        const struct ev_node *n = &r->nodes[c];
        uint32_t dn;
        if (n->kind != EV_N_ELEM) {
            continue;
        }
        if (!first) {
            TRY(ev_buf_addc(b, ','));
        }
        first = 0;
        dn = data_name(r, c);
        TRY(json_key(r, b, &ks, n, dn));
        TRY(dn != EV_NONE ? json_text(r, c, b) : json_elem(r, c, b));
    }
    if (k.texts > 0 && (k.attrs > 0 || k.elems > 0)) {
        if (!first) {
            TRY(ev_buf_addc(b, ','));
        }
        TRY(ev_buf_add(b, "\"#text\":", 8));
        TRY(json_text(r, node, b));
    }
    return VG_OK;
}

static int
add_u64(struct vg_buf *b, uint64_t v)
{
    char tmp[VG_U64_DEC_MAX];
    return ev_buf_add(b, tmp, vg_u64_dec(tmp, v));
}

int
vg_evtx_record_json(const struct vg_evtx_record *rec, struct vg_buf *out)
{
    struct vg_evtx_reader *r = rec->reader;

    TRY(ev_buf_addc(out, '{'));
    if (rec->event.source != NULL) {
        TRY(ev_buf_add(out, "\"file\":\"", 8));
        TRY(ev_utf8_append(out, rec->event.source, strlen(rec->event.source),
                           EV_ESC_JSON));
        TRY(ev_buf_add(out, "\",", 2));
    }
    TRY(ev_buf_add(out, "\"record_id\":", 12));
    TRY(add_u64(out, rec->record_id));
    TRY(ev_buf_add(out, ",\"offset\":", 10));
    TRY(add_u64(out, rec->offset));
    TRY(rec->is_recovered ? ev_buf_add(out, ",\"recovered\":true", 17)
                          : ev_buf_add(out, ",\"recovered\":false", 18));
    TRY(json_members(r, 0, out, 0));
    return ev_buf_addc(out, '}');
}

/* ---- XML ---- */

static int
indent(struct vg_buf *b, unsigned level)
{
    static const char sp[] = "                                ";
    unsigned n = level * 2;

    while (n > 0) {
        unsigned k = n < 32 ? n : 32;
        TRY(ev_buf_add(b, sp, k));
        n -= k;
    }
    return VG_OK;
}

static int
xml_text_node(const struct ev_node *n, struct vg_buf *b, enum ev_esc esc)
{
    switch (n->kind) {
    case EV_N_VALUE:
        return ev_val_text(b, n->vtype, n->val, n->len, esc);
    case EV_N_CDATA:
        TRY(ev_buf_add(b, "<![CDATA[", 9));
        TRY(ev_utf16_append(b, n->val, n->len, EV_ESC_NONE));
        return ev_buf_add(b, "]]>", 3);
    case EV_N_CHARREF:
        return vg_buf_printf(b, "&#%u;", (unsigned)n->aux);
    case EV_N_ENTREF:
        TRY(ev_buf_addc(b, '&'));
        TRY(ev_utf8_append(b, n->name, n->name_len, EV_ESC_XML));
        return ev_buf_addc(b, ';');
    default:
        return VG_OK;
    }
}

static int
xml_attr_value(const struct vg_evtx_reader *r, uint32_t a, struct vg_buf *b)
{
    uint32_t c;

    for (c = r->nodes[a].first; c != EV_NONE; c = r->nodes[c].next) {
        TRY(xml_text_node(&r->nodes[c], b, EV_ESC_XMLA));
    }
    return VG_OK;
}

static int
xml_pi(const struct ev_node *n, struct vg_buf *b)
{
    TRY(ev_buf_add(b, "<?", 2));
    TRY(ev_utf8_append(b, n->name, n->name_len, EV_ESC_XML));
    if (n->len > 0) {
        TRY(ev_buf_addc(b, ' '));
        TRY(ev_utf16_append(b, n->val, n->len, EV_ESC_NONE));
    }
    return ev_buf_add(b, "?>", 2);
}

static int xml_children(const struct vg_evtx_reader *r, uint32_t node,
                        struct vg_buf *b, unsigned level, int block);

static int
xml_elem(const struct vg_evtx_reader *r, uint32_t node, struct vg_buf *b,
         unsigned level)
{
    const struct ev_node *n = &r->nodes[node];
    struct counts k;
    uint32_t c;

    count_children(r, node, &k);
    TRY(indent(b, level));
    TRY(ev_buf_addc(b, '<'));
    TRY(ev_utf8_append(b, n->name, n->name_len, EV_ESC_XML));
    for (c = n->first; c != EV_NONE; c = r->nodes[c].next) {
        const struct ev_node *a = &r->nodes[c];
        if (a->kind != EV_N_ATTR || !(a->flags & EV_F_HASVAL)) {
            continue;
        }
        TRY(ev_buf_addc(b, ' '));
        TRY(ev_utf8_append(b, a->name, a->name_len, EV_ESC_XML));
        TRY(ev_buf_add(b, "=\"", 2));
        TRY(xml_attr_value(r, c, b));
        TRY(ev_buf_addc(b, '"'));
    }
    if (k.elems == 0 && k.texts == 0 && n->last == EV_NONE) {
        return ev_buf_add(b, "/>\n", 3);
    }
    if (k.elems == 0) {
        size_t before = b->len;
        TRY(ev_buf_addc(b, '>'));
        TRY(xml_children(r, node, b, level + 1, 0));
        if (b->len == before + 1) { /* only empty text: self-close */
            vg_buf_truncate(b, before);
            return ev_buf_add(b, "/>\n", 3);
        }
    } else {
        TRY(ev_buf_add(b, ">\n", 2));
        TRY(xml_children(r, node, b, level + 1, 1));
        TRY(indent(b, level));
    }
    TRY(ev_buf_add(b, "</", 2));
    TRY(ev_utf8_append(b, n->name, n->name_len, EV_ESC_XML));
    return ev_buf_add(b, ">\n", 2);
}

/* block: children each on their own indented line (element content);
 * otherwise inline (text content). */
static int
xml_children(const struct vg_evtx_reader *r, uint32_t node, struct vg_buf *b,
             unsigned level, int block)
{
    uint32_t c;

    for (c = r->nodes[node].first; c != EV_NONE; c = r->nodes[c].next) {
        const struct ev_node *n = &r->nodes[c];
        if (n->kind == EV_N_ELEM) {
            TRY(xml_elem(r, c, b, level));
        } else if (n->kind == EV_N_PI) {
            if (block) {
                TRY(indent(b, level));
            }
            TRY(xml_pi(n, b));
            if (block) {
                TRY(ev_buf_addc(b, '\n'));
            }
        } else if (n->kind != EV_N_ATTR) {
            TRY(xml_text_node(n, b, EV_ESC_XML));
        }
    }
    return VG_OK;
}

int
vg_evtx_record_xml(const struct vg_evtx_record *rec, struct vg_buf *out)
{
    const struct vg_evtx_reader *r = rec->reader;

    if (rec->is_recovered) {
        TRY(vg_buf_printf(out,
                          "<!-- recovered record %llu at offset %llu -->\n",
                          (unsigned long long)rec->record_id,
                          (unsigned long long)rec->offset));
    }
    return xml_children(r, 0, out, 0, 1);
}
