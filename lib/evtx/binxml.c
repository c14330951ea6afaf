/* SPDX-License-Identifier: Apache-2.0 */
/*
 * binxml.c - Binary XML (BinXML) of one EVTX record into a node tree.
 *
 * Tokens are read with vg_rd over the chunk, so every offset is a chunk
 * offset and names/templates referenced by offset are checked against the
 * chunk length before they are followed. Template instances are expanded in
 * place (definition cached per chunk by offset); substitution values are
 * kept as (type, pointer, length) into the chunk and converted only when
 * rendered. A substitution of type BinXML is parsed as a nested fragment.
 * Every token counts against EV_MAX_TOKENS and nesting against
 * EV_MAX_DEPTH, so loops and blow-ups in hostile files end with VG_ELIMIT.
 *
 * Not done here: text conversion (value.c), field naming (event.c).
 */
#include <string.h>

#include "core/alloc.h"
#include "core/rd.h"
#include "evtx/evtx_int.h"
#include "vigil/err.h"

#include "core/banned.h"

enum {
    TOK_EOF = 0x00,
    TOK_OPEN = 0x01,
    TOK_CLOSE_START = 0x02,
    TOK_CLOSE_EMPTY = 0x03,
    TOK_END = 0x04,
    TOK_VALUE = 0x05,
    TOK_ATTR = 0x06,
    TOK_CDATA = 0x07,
    TOK_CHARREF = 0x08,
    TOK_ENTREF = 0x09,
    TOK_PI_TARGET = 0x0a,
    TOK_PI_DATA = 0x0b,
    TOK_TEMPLATE = 0x0c,
    TOK_SUBST = 0x0d,
    TOK_OPT_SUBST = 0x0e,
    TOK_FRAGMENT = 0x0f,
};

struct frag {
    uint32_t subs; /* first value in r->vals (which may move) */
    uint32_t n_subs;
    uint32_t cur;  /* element receiving children */
    uint32_t attr; /* attribute receiving values, or EV_NONE */
    uint32_t base; /* the element we started under */
    unsigned depth;
    int in_template; /* parsing a template definition */
};

static int
fail(struct vg_evtx_reader *r, const char *msg, size_t off)
{
    r->err = msg;
    r->err_off = (uint32_t)off;
    return VG_EFORMAT;
}

void
ev_chunk_begin(struct vg_evtx_reader *r, const uint8_t *chunk, uint32_t len,
               uint64_t file_off, uint32_t index)
{
    r->chunk = chunk;
    r->chunk_len = len;
    r->chunk_file_off = file_off;
    r->chunk_index = index;
    r->gen++;
    if (r->gen == 0) { /* wrapped: slots may hold gen 0 */
        memset(r->names, 0, EV_NAME_SLOTS * sizeof(*r->names));
        memset(r->tpls, 0, EV_TPL_SLOTS * sizeof(*r->tpls));
        r->gen = 1;
    }
    vg_arena_reset(&r->chunk_arena);
}

static int
new_node(struct vg_evtx_reader *r, uint32_t parent, uint8_t kind, uint32_t *out)
{
    struct ev_node *n;
    uint32_t idx = r->n_nodes;

    if (idx == r->cap_nodes) {
        uint32_t cap = r->cap_nodes ? r->cap_nodes * 2 : 256;
        void *p;
        if (r->cap_nodes >= EV_MAX_NODES) {
            r->err = "too many nodes in record";
            return VG_ELIMIT;
        }
        p = vg_reallocarray(r->nodes, cap, sizeof(*r->nodes));
        if (p == NULL) {
            return VG_ENOMEM;
        }
        r->nodes = p;
        r->cap_nodes = cap;
    }
    r->n_nodes++;
    n = &r->nodes[idx];
    memset(n, 0, sizeof(*n));
    n->kind = kind;
    n->parent = parent;
    if (idx != 0) {
        struct ev_node *p = &r->nodes[parent];
        if (p->last != EV_NONE) {
            r->nodes[p->last].next = idx;
        } else {
            p->first = idx;
        }
        p->last = idx;
    }
    *out = idx;
    return VG_OK;
}

/* UTF-16 name at chunk offset off: u32 next, u16 hash, u16 chars, chars,
 * NUL. Sets *size to the bytes it spans. Converted once per chunk. */
static int
get_name(struct vg_evtx_reader *r, uint32_t off, const char **s, uint32_t *len,
         uint32_t *size)
{
    uint32_t h = (off * 2654435761u) >> 20;
    uint32_t i, n_chars, need;
    struct ev_name_slot *slot = NULL;
    struct vg_buf *b = &r->scratch;
    char *copy;
    int rc;

    if ((uint64_t)off + 8 > r->chunk_len) {
        return fail(r, "name offset outside chunk", off);
    }
    n_chars = vg_le16(r->chunk + off + 6);
    need = 8 + n_chars * 2 + 2;
    if ((uint64_t)off + need > r->chunk_len) {
        return fail(r, "name runs past chunk", off);
    }
    *size = need;
    for (i = 0; i < 8; i++) {
        struct ev_name_slot *sl = &r->names[(h + i) & (EV_NAME_SLOTS - 1)];
        if (sl->gen == r->gen && sl->off == off) {
            *s = sl->s;
            *len = sl->len;
            return VG_OK;
        }
        if (sl->gen != r->gen && slot == NULL) {
            slot = sl;
        }
    }
    vg_buf_reset(b);
    rc = ev_utf16_append(b, r->chunk + off + 8, n_chars * 2u, EV_ESC_NONE);
    if (rc == VG_OK) {
        rc = vg_arena_strndup(slot ? &r->chunk_arena : &r->rec_arena,
                              b->data ? b->data : "", b->len, &copy);
    }
    if (rc != VG_OK) {
        return rc;
    }
    *s = copy;
    *len = (uint32_t)b->len;
    if (slot != NULL) {
        slot->gen = r->gen;
        slot->off = off;
        slot->s = copy;
        slot->len = (uint32_t)b->len;
    }
    return VG_OK;
}

/* Name reference in the token stream: an offset, with the name itself
 * following inline when the offset points right here. */
static int
read_name_ref(struct vg_evtx_reader *r, struct vg_rd *rd, const char **s,
              uint32_t *len)
{
    uint32_t off, size;
    int rc;

    if (vg_rd_u32le(rd, &off) != VG_OK) {
        return fail(r, "truncated name reference", rd->pos);
    }
    rc = get_name(r, off, s, len, &size);
    if (rc != VG_OK) {
        return rc;
    }
    if (off == rd->pos && vg_rd_skip(rd, size) != VG_OK) {
        return fail(r, "truncated inline name", rd->pos);
    }
    return VG_OK;
}

static uint32_t
target_of(const struct frag *fr)
{
    return fr->attr != EV_NONE ? fr->attr : fr->cur;
}

static int
add_value(struct vg_evtx_reader *r, struct frag *fr, uint8_t type,
          const uint8_t *p, uint32_t len)
{
    uint32_t idx, t = target_of(fr);
    int rc = new_node(r, t, EV_N_VALUE, &idx);

    if (rc != VG_OK) {
        return rc;
    }
    r->nodes[idx].vtype = type;
    r->nodes[idx].val = p;
    r->nodes[idx].len = len;
    r->nodes[t].flags |= EV_F_HASVAL;
    return VG_OK;
}

static int
name_plausible(uint32_t off, size_t inline_pos, size_t pos0)
{
    return off == inline_pos || (off >= 512 && off < pos0);
}

static int
tok_open(struct vg_evtx_reader *r, struct vg_rd *rd, struct frag *fr,
         uint8_t tok)
{
    size_t pos0 = rd->pos;
    const uint8_t *h;
    uint32_t idx, off_a, off_b, len;
    const char *name;
    int rc;

    if (fr->depth >= EV_MAX_DEPTH) {
        r->err = "elements nested too deep";
        return VG_ELIMIT;
    }
    if (fr->attr != EV_NONE) {
        return fail(r, "element inside attribute", pos0);
    }
    if (vg_rd_bytes(rd, 10, &h) != VG_OK) {
        return fail(r, "truncated element", pos0);
    }
    /* Inside a template definition an element carries a u16 dependency id
     * before its size and name offset; outside one (BinXML values) it does
     * not (MS-EVEN6 2.2.12). Damaged files break the rule either way, so
     * the layout whose name offset is plausible (inline right here, or an
     * earlier name in the record area) wins. */
    off_a = vg_le32(h + 6);
    off_b = vg_le32(h + 4);
    if (name_plausible(off_b, pos0 + 8, pos0) &&
        (!fr->in_template || !name_plausible(off_a, pos0 + 10, pos0))) {
        rd->pos = pos0 + 8;
    }
    rd->pos -= 4;
    rc = read_name_ref(r, rd, &name, &len);
    if (rc != VG_OK) {
        return rc;
    }
    if ((tok & 0x40) && vg_rd_skip(rd, 4) != VG_OK) {
        return fail(r, "truncated attribute list size", rd->pos);
    }
    rc = new_node(r, fr->cur, EV_N_ELEM, &idx);
    if (rc != VG_OK) {
        return rc;
    }
    r->nodes[idx].name = name;
    r->nodes[idx].name_len = len;
    fr->cur = idx;
    fr->depth++;
    return VG_OK;
}

static int
tok_close(struct vg_evtx_reader *r, struct vg_rd *rd, struct frag *fr,
          uint8_t tok)
{
    fr->attr = EV_NONE;
    if (tok == TOK_CLOSE_START) {
        return VG_OK;
    }
    if (fr->cur == fr->base) {
        return fail(r, "end of element without start", rd->pos - 1);
    }
    fr->cur = r->nodes[fr->cur].parent;
    fr->depth--;
    return VG_OK;
}

/* Length-prefixed UTF-16 (u16 count of code units). */
static int
read_wstr(struct vg_evtx_reader *r, struct vg_rd *rd, const uint8_t **p,
          uint32_t *len)
{
    uint16_t n;

    if (vg_rd_u16le(rd, &n) != VG_OK ||
        vg_rd_bytes(rd, (size_t)n * 2, p) != VG_OK) {
        return fail(r, "truncated string", rd->pos);
    }
    *len = (uint32_t)n * 2;
    return VG_OK;
}

static int
tok_value(struct vg_evtx_reader *r, struct vg_rd *rd, struct frag *fr)
{
    uint8_t type;
    const uint8_t *p;
    uint32_t len;
    size_t fs;
    int rc;

    if (vg_rd_u8(rd, &type) != VG_OK) {
        return fail(r, "truncated value", rd->pos);
    }
    if (type == EV_T_WSTR) {
        if ((rc = read_wstr(r, rd, &p, &len)) != VG_OK) {
            return rc;
        }
    } else if (type == EV_T_ASTR) { /* u16 count of bytes, then bytes */
        uint16_t n;
        if (vg_rd_u16le(rd, &n) != VG_OK || vg_rd_bytes(rd, n, &p) != VG_OK) {
            return fail(r, "truncated string", rd->pos);
        }
        len = n;
    } else if ((fs = ev_fixed_size(type, 0)) != 0) {
        if (vg_rd_bytes(rd, fs, &p) != VG_OK) {
            return fail(r, "truncated value", rd->pos);
        }
        len = (uint32_t)fs;
    } else {
        return fail(r, "unsupported value type in value token", rd->pos - 1);
    }
    return add_value(r, fr, type, p, len);
}

static int
tok_named(struct vg_evtx_reader *r, struct vg_rd *rd, struct frag *fr,
          uint8_t kind)
{
    const char *name;
    uint32_t len, idx, parent = kind == EV_N_ENTREF ? target_of(fr) : fr->cur;
    int rc = read_name_ref(r, rd, &name, &len);

    if (rc != VG_OK) {
        return rc;
    }
    if (kind == EV_N_ATTR && fr->cur == fr->base &&
        r->nodes[fr->cur].kind != EV_N_ELEM) {
        return fail(r, "attribute outside element", rd->pos);
    }
    rc = new_node(r, parent, kind, &idx);
    if (rc != VG_OK) {
        return rc;
    }
    r->nodes[idx].name = name;
    r->nodes[idx].name_len = len;
    if (kind == EV_N_ATTR) {
        fr->attr = idx;
    } else if (kind == EV_N_ENTREF) {
        r->nodes[parent].flags |= EV_F_HASVAL;
    }
    return VG_OK;
}

static int parse_frag(struct vg_evtx_reader *r, struct vg_rd *rd,
                      struct frag *fr, int multi);
static int next_frag(struct vg_evtx_reader *r, struct vg_rd *rd,
                     struct frag *fr);

/* Template definition at chunk offset off: u32 next, GUID, u32 size, data.
 * Validated once per chunk and cached by offset. */
static int
get_template(struct vg_evtx_reader *r, uint32_t off, uint32_t *data_off,
             uint32_t *data_len)
{
    uint32_t h = (off * 2654435761u) >> 22, i, len;
    struct ev_tpl_slot *slot = NULL;

    for (i = 0; i < 8; i++) {
        struct ev_tpl_slot *sl = &r->tpls[(h + i) & (EV_TPL_SLOTS - 1)];
        if (sl->gen == r->gen && sl->off == off) {
            *data_off = sl->data_off;
            *data_len = sl->data_len;
            return VG_OK;
        }
        if (sl->gen != r->gen && slot == NULL) {
            slot = sl;
        }
    }
    if ((uint64_t)off + 24 > r->chunk_len) {
        return fail(r, "template offset outside chunk", off);
    }
    len = vg_le32(r->chunk + off + 20);
    if ((uint64_t)off + 24 + len > r->chunk_len) {
        return fail(r, "template runs past chunk", off);
    }
    *data_off = off + 24;
    *data_len = len;
    if (slot != NULL) {
        slot->gen = r->gen;
        slot->off = off;
        slot->data_off = off + 24;
        slot->data_len = len;
    }
    return VG_OK;
}

/* Substitution array after a template instance: u32 count, count x (u16
 * size, u8 type, u8 pad), then the values back to back. */
static int
read_subs(struct vg_evtx_reader *r, struct vg_rd *rd, uint32_t *first,
          uint32_t *count)
{
    const uint8_t *desc, *p;
    uint32_t n, i;

    if (vg_rd_u32le(rd, &n) != VG_OK) {
        return fail(r, "truncated substitution count", rd->pos);
    }
    if (n > EV_MAX_SUBS || (size_t)n * 4 > vg_rd_left(rd)) {
        return fail(r, "bad substitution count", rd->pos - 4);
    }
    if (vg_rd_bytes(rd, (size_t)n * 4, &desc) != VG_OK) {
        return fail(r, "truncated substitution descriptors", rd->pos);
    }
    if (r->n_vals + n > r->cap_vals) {
        uint32_t cap = r->cap_vals ? r->cap_vals : 64;
        void *q;
        while (cap < r->n_vals + n) {
            cap *= 2;
        }
        q = vg_reallocarray(r->vals, cap, sizeof(*r->vals));
        if (q == NULL) {
            return VG_ENOMEM;
        }
        r->vals = q;
        r->cap_vals = cap;
    }
    *first = r->n_vals;
    *count = n;
    for (i = 0; i < n; i++) {
        uint16_t size = vg_le16(desc + 4 * i);
        if (vg_rd_bytes(rd, size, &p) != VG_OK) {
            return fail(r, "substitution value past end", rd->pos);
        }
        r->vals[r->n_vals].p = p;
        r->vals[r->n_vals].len = size;
        r->vals[r->n_vals].type = desc[4 * i + 2];
        r->n_vals++;
    }
    return VG_OK;
}

static int
tok_template(struct vg_evtx_reader *r, struct vg_rd *rd, struct frag *fr)
{
    const uint8_t *h;
    uint32_t def_off, data_off, data_len, first, count, save_vals;
    struct vg_rd body;
    struct frag sub;
    int rc;

    if (fr->depth >= EV_MAX_DEPTH) {
        r->err = "templates nested too deep";
        return VG_ELIMIT;
    }
    if (vg_rd_bytes(rd, 9, &h) != VG_OK) {
        return fail(r, "truncated template instance", rd->pos);
    }
    def_off = vg_le32(h + 5);
    rc = get_template(r, def_off, &data_off, &data_len);
    if (rc != VG_OK) {
        return rc;
    }
    if (def_off == rd->pos && vg_rd_skip(rd, 24 + (size_t)data_len) != VG_OK) {
        return fail(r, "truncated template definition", rd->pos);
    }
    save_vals = r->n_vals;
    rc = read_subs(r, rd, &first, &count);
    if (rc != VG_OK) {
        return rc;
    }
    vg_rd_init(&body, r->chunk, (size_t)data_off + data_len);
    body.pos = data_off;
    memset(&sub, 0, sizeof(sub));
    sub.subs = first;
    sub.n_subs = count;
    sub.cur = sub.base = fr->cur;
    sub.attr = EV_NONE;
    sub.depth = fr->depth + 1;
    sub.in_template = 1;
    rc = parse_frag(r, &body, &sub, 0);
    r->n_vals = save_vals;
    return rc;
}

static int
subst_binxml(struct vg_evtx_reader *r, struct frag *fr, const struct ev_val *v)
{
    struct vg_rd nested;
    struct frag sub;
    size_t start = (size_t)(v->p - r->chunk);

    if (fr->depth >= EV_MAX_DEPTH) {
        r->err = "BinXML nested too deep";
        return VG_ELIMIT;
    }
    vg_rd_init(&nested, r->chunk, start + v->len);
    nested.pos = start;
    memset(&sub, 0, sizeof(sub));
    sub.cur = sub.base = fr->cur;
    sub.attr = EV_NONE;
    sub.depth = fr->depth + 1;
    return parse_frag(r, &nested, &sub, 1);
}

static int
tok_subst(struct vg_evtx_reader *r, struct vg_rd *rd, struct frag *fr,
          int optional)
{
    const uint8_t *h;
    const struct ev_val *v;
    uint16_t id;
    static const uint8_t empty[1];

    if (vg_rd_bytes(rd, 3, &h) != VG_OK) {
        return fail(r, "truncated substitution", rd->pos);
    }
    id = vg_le16(h);
    if (id >= fr->n_subs) {
        /* Damaged or incomplete template: the value is missing. */
        return optional ? VG_OK : add_value(r, fr, EV_T_NULL, empty, 0);
    }
    v = &r->vals[fr->subs + id];
    if (optional && (v->type == EV_T_NULL || v->len == 0)) {
        return VG_OK;
    }
    if (v->type == EV_T_BINXML && v->len > 0) {
        return subst_binxml(r, fr, v);
    }
    return add_value(r, fr, v->type, v->p, v->len);
}

static int
tok_misc(struct vg_evtx_reader *r, struct vg_rd *rd, struct frag *fr,
         uint8_t tok)
{
    uint32_t idx, len;
    const uint8_t *p;
    uint16_t u;
    int rc;

    switch (tok & 0x0f) {
    case TOK_CDATA:
        if ((rc = read_wstr(r, rd, &p, &len)) != VG_OK ||
            (rc = new_node(r, fr->cur, EV_N_CDATA, &idx)) != VG_OK) {
            return rc;
        }
        r->nodes[idx].val = p;
        r->nodes[idx].len = len;
        return VG_OK;
    case TOK_CHARREF:
        if (vg_rd_u16le(rd, &u) != VG_OK) {
            return fail(r, "truncated character reference", rd->pos);
        }
        if ((rc = new_node(r, target_of(fr), EV_N_CHARREF, &idx)) != VG_OK) {
            return rc;
        }
        r->nodes[idx].aux = u;
        r->nodes[target_of(fr)].flags |= EV_F_HASVAL;
        return VG_OK;
    case TOK_PI_DATA:
        idx = r->nodes[fr->cur].last;
        if (idx == EV_NONE || r->nodes[idx].kind != EV_N_PI) {
            return fail(r, "processing instruction data without target",
                        rd->pos - 1);
        }
        if ((rc = read_wstr(r, rd, &p, &len)) != VG_OK) {
            return rc;
        }
        r->nodes[idx].val = p;
        r->nodes[idx].len = len;
        return VG_OK;
    case TOK_FRAGMENT:
        return vg_rd_skip(rd, 3) == VG_OK
                   ? VG_OK
                   : fail(r, "truncated fragment header", rd->pos);
    default:
        return fail(r, "unknown BinXML token", rd->pos - 1);
    }
}

static int
dispatch(struct vg_evtx_reader *r, struct vg_rd *rd, struct frag *fr,
         uint8_t tok)
{
    switch (tok) {
    case TOK_OPEN:
    case TOK_OPEN | 0x40:
        return tok_open(r, rd, fr, tok);
    case TOK_CLOSE_START:
    case TOK_CLOSE_EMPTY:
    case TOK_END:
        return tok_close(r, rd, fr, tok);
    case TOK_VALUE:
    case TOK_VALUE | 0x40:
        return tok_value(r, rd, fr);
    case TOK_ATTR:
    case TOK_ATTR | 0x40:
        return tok_named(r, rd, fr, EV_N_ATTR);
    case TOK_ENTREF:
    case TOK_ENTREF | 0x40:
        return tok_named(r, rd, fr, EV_N_ENTREF);
    case TOK_PI_TARGET:
        return tok_named(r, rd, fr, EV_N_PI);
    case TOK_TEMPLATE:
        return tok_template(r, rd, fr);
    case TOK_SUBST:
        return tok_subst(r, rd, fr, 0);
    case TOK_OPT_SUBST:
        return tok_subst(r, rd, fr, 1);
    case TOK_CDATA:
    case TOK_CDATA | 0x40:
    case TOK_CHARREF:
    case TOK_CHARREF | 0x40:
    case TOK_PI_DATA:
    case TOK_FRAGMENT:
        return tok_misc(r, rd, fr, tok);
    default:
        return fail(r, "unknown BinXML token", rd->pos - 1);
    }
}

/* Another fragment after an end-of-stream. Writers leave truncated
 * fragment starts in the padding after a record's XML: a following
 * fragment that does not parse is dropped (with its nodes), not an error. */
static int
next_frag(struct vg_evtx_reader *r, struct vg_rd *rd, struct frag *fr)
{
    uint32_t saved_n = r->n_nodes, saved_last = r->nodes[fr->cur].last;
    uint32_t saved_tokens = r->n_tokens;
    int rc = parse_frag(r, rd, fr, 1);

    if (rc == VG_EFORMAT || rc == VG_ELIMIT) {
        r->n_nodes = saved_n;
        r->n_tokens = saved_tokens;
        r->nodes[fr->cur].last = saved_last;
        if (saved_last != EV_NONE) {
            r->nodes[saved_last].next = EV_NONE;
        } else {
            r->nodes[fr->cur].first = EV_NONE;
        }
        r->err = NULL;
        return VG_OK;
    }
    return rc;
}

/* Tokens until end-of-stream. multi: a fragment header right after the
 * end-of-stream starts another fragment (several fragments in one value or
 * record). */
static int
parse_frag(struct vg_evtx_reader *r, struct vg_rd *rd, struct frag *fr,
           int multi)
{
    uint8_t tok;
    int rc;

    for (;;) {
        if (vg_rd_u8(rd, &tok) != VG_OK) {
            /* Ran off the window: fine once something was read at the
             * top of a fragment (some writers omit end-of-stream). */
            return fr->cur == fr->base ? VG_OK
                                       : fail(r, "BinXML truncated", rd->pos);
        }
        if (++r->n_tokens > EV_MAX_TOKENS) {
            r->err = "too many BinXML tokens in record";
            return VG_ELIMIT;
        }
        if (tok == TOK_EOF) {
            if (multi && vg_rd_left(rd) > 0 && rd->p[rd->pos] == TOK_FRAGMENT) {
                return next_frag(r, rd, fr);
            }
            return VG_OK;
        }
        rc = dispatch(r, rd, fr, tok);
        if (rc != VG_OK) {
            return rc;
        }
    }
}

int
ev_parse_record(struct vg_evtx_reader *r, uint32_t start, uint32_t end)
{
    struct vg_rd rd;
    struct frag fr;
    uint32_t root;
    int rc;

    r->n_nodes = 0;
    r->n_vals = 0;
    r->n_tokens = 0;
    r->n_fields = 0;
    r->fields_built = 0;
    r->err = NULL;
    r->err_off = start;
    vg_arena_reset(&r->rec_arena);
    rc = new_node(r, 0, EV_N_ROOT, &root);
    if (rc != VG_OK) {
        return rc;
    }
    vg_rd_init(&rd, r->chunk, end);
    rd.pos = start;
    memset(&fr, 0, sizeof(fr));
    fr.cur = fr.base = root;
    fr.attr = EV_NONE;
    rc = parse_frag(r, &rd, &fr, 1);
    if (rc == VG_OK && r->nodes[root].first == EV_NONE) {
        rc = fail(r, "record has no XML", start);
    }
    return rc;
}
