/* SPDX-License-Identifier: Apache-2.0 */
/*
 * binxml.c - Binary XML (BinXML) of one EVTX record into a node tree.
 *
 * Tokens are read with vg_rd over the chunk, so every offset is a chunk
 * offset and names/templates referenced by offset are checked against the
 * chunk length before they are followed. Template instances are expanded in
 * place; substitution values are kept as (type, pointer, length) into the
 * chunk and converted only when rendered. A substitution of type BinXML is
 * parsed as a nested fragment. Every token counts against EV_MAX_TOKENS and
 * nesting against EV_MAX_DEPTH, so loops and blow-ups in hostile files end
 * with VG_ELIMIT.
 *
 * Template cache: nearly every record is an instance of a definition seen
 * earlier in its chunk, so re-reading the definition's tokens per record
 * was most of the parsing cost. The first instance in a chunk decodes the
 * definition (decode: the ordinary token code in "recording" mode, into a
 * private node array, substitutions and nested instances left as
 * EV_N_SUBST / EV_N_TPL nodes) into node prototypes in tpl_arena; every
 * instance then copies them (replay) and fills in its values. Each
 * prototype keeps the tokens read since the previous one and the elements
 * open around it, so the limits trip at the same point with the same
 * message as re-reading would; the resulting tree is identical. A
 * definition that does not decode (damage, a limit it reaches alone) or
 * holds a processing instruction (its data goes to whatever node came
 * last, which values can change) is read token by token each time, with
 * the same errors as before. no_tpl_cache forces that path (tests, the
 * differential fuzz harness).
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
    vg_arena_reset(&r->tpl_arena);
}

static int
grow_nodes(struct vg_evtx_reader *r)
{
    uint32_t cap = r->cap_nodes ? r->cap_nodes * 2 : 256;
    void *p;

    if (r->cap_nodes >= EV_MAX_NODES) {
        r->err = "too many nodes in record";
        return VG_ELIMIT;
    }
    if (r->recording) { /* rtok keeps pace with the recording's nodes */
        p = vg_reallocarray(r->rtok, cap, sizeof(*r->rtok));
        if (p == NULL) {
            return VG_ENOMEM;
        }
        r->rtok = p;
    }
    p = vg_reallocarray(r->nodes, cap, sizeof(*r->nodes));
    if (p == NULL) {
        return VG_ENOMEM;
    }
    r->nodes = p;
    r->cap_nodes = cap;
    return VG_OK;
}

/* Make idx (not the root) the last child of parent. */
static void
link_node(struct vg_evtx_reader *r, uint32_t parent, uint32_t idx)
{
    struct ev_node *p = &r->nodes[parent];

    if (p->last != EV_NONE) {
        r->nodes[p->last].next = idx;
    } else {
        p->first = idx;
    }
    p->last = idx;
}

static int
new_node(struct vg_evtx_reader *r, uint32_t parent, uint8_t kind, uint32_t *out)
{
    struct ev_node *n;
    uint32_t idx = r->n_nodes;
    int rc;

    if (idx == r->cap_nodes && (rc = grow_nodes(r)) != VG_OK) {
        return rc;
    }
    if (r->recording) {
        r->rtok[idx] = r->n_tokens;
    }
    r->n_nodes++;
    n = &r->nodes[idx];
    memset(n, 0, sizeof(*n));
    n->kind = kind;
    n->parent = parent;
    if (idx != 0) {
        link_node(r, parent, idx);
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
        /* Uncached names live as long as what refers to them: the record,
         * or the chunk when a definition is being decoded. */
        rc = vg_arena_strndup(slot            ? &r->chunk_arena
                              : r->recording ? &r->tpl_arena
                                             : &r->rec_arena,
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
add_value_at(struct vg_evtx_reader *r, uint32_t t, uint8_t type,
             const uint8_t *p, uint32_t len)
{
    uint32_t idx;
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
add_value(struct vg_evtx_reader *r, struct frag *fr, uint8_t type,
          const uint8_t *p, uint32_t len)
{
    return add_value_at(r, target_of(fr), type, p, len);
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
 * Validated once per chunk and cached by offset; *slot is its cache slot
 * (NULL when the table is full around it). */
static int
get_template(struct vg_evtx_reader *r, uint32_t off, struct ev_tpl_slot **slot,
             uint32_t *data_off, uint32_t *data_len)
{
    uint32_t h = (off * 2654435761u) >> 22, i, len;
    struct ev_tpl_slot *free_sl = NULL;

    *slot = NULL;
    for (i = 0; i < 8; i++) {
        struct ev_tpl_slot *sl = &r->tpls[(h + i) & (EV_TPL_SLOTS - 1)];
        if (sl->gen == r->gen && sl->off == off) {
            *slot = sl;
            *data_off = sl->data_off;
            *data_len = sl->data_len;
            return VG_OK;
        }
        if (sl->gen != r->gen && free_sl == NULL) {
            free_sl = sl;
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
    if (free_sl != NULL) {
        free_sl->gen = r->gen;
        free_sl->off = off;
        free_sl->data_off = off + 24;
        free_sl->data_len = len;
        free_sl->def = NULL;
        free_sl->decoded = 0;
        *slot = free_sl;
    }
    return VG_OK;
}

/* Room for n more substitution values on the r->vals stack. */
static int
reserve_vals(struct vg_evtx_reader *r, uint32_t n)
{
    uint32_t cap = r->cap_vals ? r->cap_vals : 64;
    void *q;

    if (r->n_vals + n <= r->cap_vals) {
        return VG_OK;
    }
    while (cap < r->n_vals + n) {
        cap *= 2;
    }
    q = vg_reallocarray(r->vals, cap, sizeof(*r->vals));
    if (q == NULL) {
        return VG_ENOMEM;
    }
    r->vals = q;
    r->cap_vals = cap;
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
    int rc;

    if (vg_rd_u32le(rd, &n) != VG_OK) {
        return fail(r, "truncated substitution count", rd->pos);
    }
    if (n > EV_MAX_SUBS || (size_t)n * 4 > vg_rd_left(rd)) {
        return fail(r, "bad substitution count", rd->pos - 4);
    }
    if (vg_rd_bytes(rd, (size_t)n * 4, &desc) != VG_OK) {
        return fail(r, "truncated substitution descriptors", rd->pos);
    }
    if ((rc = reserve_vals(r, n)) != VG_OK) {
        return rc;
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

static int expand(struct vg_evtx_reader *r, struct ev_tpl_slot *slot,
                  uint32_t data_off, uint32_t data_len, uint32_t first,
                  uint32_t count, uint32_t cur, unsigned depth);

/* While a definition is decoded, a nested instance is not expanded: it
 * becomes an EV_N_TPL prototype holding its (constant) values. */
static int
rec_template(struct vg_evtx_reader *r, struct frag *fr, uint32_t def_off,
             uint32_t first, uint32_t count)
{
    uint32_t idx;
    int rc;

    if (r->n_rvals + count > r->cap_rvals) {
        uint32_t cap = r->cap_rvals ? r->cap_rvals : 64;
        void *q;
        while (cap < r->n_rvals + count) {
            cap *= 2;
        }
        q = vg_reallocarray(r->rvals, cap, sizeof(*r->rvals));
        if (q == NULL) {
            return VG_ENOMEM;
        }
        r->rvals = q;
        r->cap_rvals = cap;
    }
    if ((rc = new_node(r, fr->cur, EV_N_TPL, &idx)) != VG_OK) {
        return rc;
    }
    if (count > 0) {
        memcpy(r->rvals + r->n_rvals, r->vals + first,
               count * sizeof(*r->vals));
    }
    r->nodes[idx].aux = def_off;
    r->nodes[idx].name_len = r->n_rvals;
    r->nodes[idx].len = count;
    r->n_rvals += count;
    return VG_OK;
}

static int
tok_template(struct vg_evtx_reader *r, struct vg_rd *rd, struct frag *fr)
{
    const uint8_t *h;
    uint32_t def_off, data_off, data_len, first, count, save_vals;
    struct ev_tpl_slot *slot;
    int rc;

    if (fr->depth >= EV_MAX_DEPTH) {
        r->err = "templates nested too deep";
        return VG_ELIMIT;
    }
    if (vg_rd_bytes(rd, 9, &h) != VG_OK) {
        return fail(r, "truncated template instance", rd->pos);
    }
    def_off = vg_le32(h + 5);
    rc = get_template(r, def_off, &slot, &data_off, &data_len);
    if (rc != VG_OK) {
        return rc;
    }
    if (def_off == rd->pos && vg_rd_skip(rd, 24 + (size_t)data_len) != VG_OK) {
        return fail(r, "truncated template definition", rd->pos);
    }
    save_vals = r->n_vals;
    rc = read_subs(r, rd, &first, &count);
    if (rc == VG_OK) {
        rc = r->recording ? rec_template(r, fr, def_off, first, count)
                          : expand(r, slot, data_off, data_len, first, count,
                                   fr->cur, fr->depth + 1);
    }
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

static const uint8_t empty_value[1];

/* Substitution id of a template instance's values (subs, n_subs) into
 * node t; BinXML goes under element cur at depth. */
static int
put_subst(struct vg_evtx_reader *r, uint32_t id, int optional, uint32_t subs,
          uint32_t n_subs, uint32_t t, uint32_t cur, unsigned depth)
{
    const struct ev_val *v;
    struct frag fr;

    if (id >= n_subs) {
        /* Damaged or incomplete template: the value is missing. */
        return optional ? VG_OK
                        : add_value_at(r, t, EV_T_NULL, empty_value, 0);
    }
    v = &r->vals[subs + id];
    if (optional && (v->type == EV_T_NULL || v->len == 0)) {
        return VG_OK;
    }
    if (v->type == EV_T_BINXML && v->len > 0) {
        memset(&fr, 0, sizeof(fr));
        fr.cur = cur;
        fr.attr = EV_NONE;
        fr.depth = depth;
        return subst_binxml(r, &fr, v);
    }
    return add_value_at(r, t, v->type, v->p, v->len);
}

static int
tok_subst(struct vg_evtx_reader *r, struct vg_rd *rd, struct frag *fr,
          int optional)
{
    const uint8_t *h;
    uint32_t idx;
    int rc;

    if (vg_rd_bytes(rd, 3, &h) != VG_OK) {
        return fail(r, "truncated substitution", rd->pos);
    }
    if (r->recording) { /* a slot an instance fills */
        if ((rc = new_node(r, target_of(fr), EV_N_SUBST, &idx)) != VG_OK) {
            return rc;
        }
        r->nodes[idx].aux = vg_le16(h);
        r->nodes[idx].vtype = (uint8_t)optional;
        r->nodes[idx].first = fr->cur;
        return VG_OK;
    }
    return put_subst(r, vg_le16(h), optional, fr->subs, fr->n_subs,
                     target_of(fr), fr->cur, fr->depth);
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

/* ---- template cache: decode a definition once per chunk, replay it ---- */

/* The recording (r->nodes while decoding) as a definition in the chunk's
 * tpl_arena; NULL when it holds something an instance cannot copy (a
 * processing instruction: its data attaches to whatever node came last,
 * which a substitution can change) or the arena is full. */
static const struct ev_tdef *
build_def(struct vg_evtx_reader *r)
{
    uint32_t n = r->n_nodes - 1, i;
    struct ev_tdef *d;
    struct ev_op *ops = NULL;
    struct ev_val *vals = NULL;

    if (vg_arena_alloc(&r->tpl_arena, sizeof(*d), (void **)&d) != VG_OK ||
        (n > 0 && vg_arena_alloc(&r->tpl_arena, (size_t)n * sizeof(*ops),
                                 (void **)&ops) != VG_OK) ||
        (r->n_rvals > 0 &&
         vg_arena_alloc(&r->tpl_arena, (size_t)r->n_rvals * sizeof(*vals),
                        (void **)&vals) != VG_OK)) {
        return NULL;
    }
    for (i = 1; i <= n; i++) {
        const struct ev_node *src = &r->nodes[i];
        struct ev_op *op = &ops[i - 1];
        uint32_t p = src->parent;
        if (src->kind == EV_N_PI) {
            return NULL;
        }
        op->n = *src;
        op->ntok = r->rtok[i] - r->rtok[i - 1];
        /* elements open around node i = those around its parent, plus
         * the parent itself when it is one (parents come first) */
        op->depth = p == 0 ? 0
                           : ops[p - 1].depth +
                                 (ops[p - 1].n.kind == EV_N_ELEM ? 1u : 0u);
    }
    if (r->n_rvals > 0) {
        memcpy(vals, r->rvals, r->n_rvals * sizeof(*vals));
    }
    d->ops = ops;
    d->n_ops = n;
    d->tail_tok = r->n_tokens - r->rtok[n];
    d->base_flags = r->nodes[0].flags;
    d->vals = vals;
    return d;
}

/* Parse the definition in slot once, in recording mode: tokens are read by
 * the same code as always, into a private node array (index 0 standing for
 * the instance's parent), with substitutions and nested instances left as
 * EV_N_SUBST / EV_N_TPL nodes. Anything that fails here (damage, a limit
 * the definition alone reaches) leaves slot->def NULL, and instances are
 * parsed the old way, which reports it exactly as before. The record's
 * state is put back untouched. */
static void
decode(struct vg_evtx_reader *r, struct ev_tpl_slot *slot)
{
    struct ev_node *nodes = r->nodes;
    uint32_t n_nodes = r->n_nodes, cap_nodes = r->cap_nodes;
    uint32_t n_tokens = r->n_tokens, err_off = r->err_off, root;
    const char *err = r->err;
    struct vg_rd body;
    struct frag sub;
    int rc;

    slot->decoded = 1;
    slot->def = NULL;
    r->nodes = r->rnodes;
    r->cap_nodes = r->cap_rnodes;
    r->n_nodes = 0;
    r->n_tokens = 0;
    r->n_rvals = 0;
    r->recording = 1;
    rc = new_node(r, 0, EV_N_ROOT, &root);
    if (rc == VG_OK) {
        vg_rd_init(&body, r->chunk, (size_t)slot->data_off + slot->data_len);
        body.pos = slot->data_off;
        memset(&sub, 0, sizeof(sub));
        sub.cur = sub.base = root;
        sub.attr = EV_NONE;
        sub.depth = 1; /* the least any instance has */
        sub.in_template = 1;
        rc = parse_frag(r, &body, &sub, 0);
    }
    if (rc == VG_OK) {
        slot->def = build_def(r);
    }
    r->recording = 0;
    r->rnodes = r->nodes;
    r->cap_rnodes = r->cap_nodes;
    r->nodes = nodes;
    r->n_nodes = n_nodes;
    r->cap_nodes = cap_nodes;
    r->n_tokens = n_tokens;
    r->err = err;
    r->err_off = err_off;
}

/* A prototype as a new last child of parent. */
static int
copy_node(struct vg_evtx_reader *r, const struct ev_node *proto,
          uint32_t parent, uint32_t *out)
{
    uint32_t idx = r->n_nodes;
    struct ev_node *n;
    int rc;

    if (idx == r->cap_nodes && (rc = grow_nodes(r)) != VG_OK) {
        return rc;
    }
    r->n_nodes++;
    n = &r->nodes[idx];
    *n = *proto;
    n->parent = parent;
    n->first = n->last = n->next = EV_NONE;
    link_node(r, parent, idx);
    *out = idx;
    return VG_OK;
}

/* n entries on the r->map stack (node numbers of an instance). */
static int
map_push(struct vg_evtx_reader *r, uint32_t n)
{
    if (r->n_map + n > r->cap_map) {
        uint32_t cap = r->cap_map ? r->cap_map : 256;
        void *q;
        while (cap < r->n_map + n) {
            cap *= 2;
        }
        q = vg_reallocarray(r->map, cap, sizeof(*r->map));
        if (q == NULL) {
            return VG_ENOMEM;
        }
        r->map = q;
        r->cap_map = cap;
    }
    r->n_map += n;
    return VG_OK;
}

/* Nested instance inside a definition, as tok_template would do it. */
static int
replay_tpl(struct vg_evtx_reader *r, const struct ev_tdef *d,
           const struct ev_op *op, uint32_t parent, unsigned depth)
{
    struct ev_tpl_slot *slot;
    uint32_t data_off, data_len, first = r->n_vals, save_vals = r->n_vals;
    int rc;

    if (depth >= EV_MAX_DEPTH) {
        r->err = "templates nested too deep";
        return VG_ELIMIT;
    }
    rc = get_template(r, op->n.aux, &slot, &data_off, &data_len);
    if (rc == VG_OK && (rc = reserve_vals(r, op->n.len)) == VG_OK) {
        if (op->n.len > 0) {
            memcpy(r->vals + first, d->vals + op->n.name_len,
                   op->n.len * sizeof(*r->vals));
        }
        r->n_vals += op->n.len;
        rc = expand(r, slot, data_off, data_len, first, op->n.len, parent,
                    depth + 1);
    }
    r->n_vals = save_vals;
    return rc;
}

/* One prototype of an instance; m: the instance's base on r->map. */
static int
replay_op(struct vg_evtx_reader *r, const struct ev_tdef *d, uint32_t i,
          uint32_t subs, uint32_t n_subs, uint32_t m, unsigned depth)
{
    const struct ev_op *op = &d->ops[i];
    uint32_t parent = r->map[m + op->n.parent], idx;
    int rc;

    r->n_tokens += op->ntok;
    if (r->n_tokens > EV_MAX_TOKENS) {
        r->err = "too many BinXML tokens in record";
        return VG_ELIMIT;
    }
    switch (op->n.kind) {
    case EV_N_SUBST:
        return put_subst(r, op->n.aux, op->n.vtype, subs, n_subs, parent,
                         r->map[m + op->n.first], depth + op->depth);
    case EV_N_TPL:
        return replay_tpl(r, d, op, parent, depth + op->depth);
    case EV_N_ELEM:
        if (depth + op->depth >= EV_MAX_DEPTH) {
            r->err = "elements nested too deep";
            return VG_ELIMIT;
        }
        break;
    default:
        break;
    }
    if ((rc = copy_node(r, &op->n, parent, &idx)) == VG_OK) {
        r->map[m + i + 1] = idx;
    }
    return rc;
}

/* Prototypes from i on that are plain nodes within every limit, copied
 * with the reader's counters and arrays in locals (stores into the node
 * array could alias them, so the compiler would reload them per node):
 * the common case, most of an instance. Returns the first op it left for
 * replay_op (a substitution, a nested instance, a full node array, a limit
 * reached), or n_ops. */
static uint32_t
replay_run(struct vg_evtx_reader *r, const struct ev_tdef *d, uint32_t i,
           uint32_t m, unsigned depth)
{
    struct ev_node *nodes = r->nodes;
    uint32_t *map = r->map + m;
    uint32_t nn = r->n_nodes, cap = r->cap_nodes, tok = r->n_tokens;

    for (; i < d->n_ops; i++) {
        const struct ev_op *op = &d->ops[i];
        struct ev_node *n;
        uint32_t parent, last;
        if (op->n.kind >= EV_N_SUBST || nn == cap ||
            tok + op->ntok > EV_MAX_TOKENS ||
            (op->n.kind == EV_N_ELEM && depth + op->depth >= EV_MAX_DEPTH)) {
            break;
        }
        tok += op->ntok;
        parent = map[op->n.parent];
        n = &nodes[nn];
        *n = op->n;
        n->parent = parent;
        n->first = n->last = n->next = EV_NONE;
        last = nodes[parent].last;
        if (last != EV_NONE) {
            nodes[last].next = nn;
        } else {
            nodes[parent].first = nn;
        }
        nodes[parent].last = nn;
        map[i + 1] = nn++;
    }
    r->n_nodes = nn;
    r->n_tokens = tok;
    return i;
}

/* An instance of a decoded definition under node base: the same nodes,
 * limits and errors as parsing the definition (parse_frag) would give. */
static int
replay(struct vg_evtx_reader *r, const struct ev_tdef *d, uint32_t subs,
       uint32_t n_subs, uint32_t base, unsigned depth)
{
    uint32_t m = r->n_map, i;
    int rc = map_push(r, d->n_ops + 1);

    if (rc != VG_OK) {
        return rc;
    }
    r->map[m] = base;
    i = 0;
    while (i < d->n_ops && rc == VG_OK) {
        i = replay_run(r, d, i, m, depth);
        if (i < d->n_ops) {
            rc = replay_op(r, d, i, subs, n_subs, m, depth);
            i++;
        }
    }
    r->n_map = m;
    if (rc != VG_OK) {
        return rc;
    }
    r->n_tokens += d->tail_tok;
    if (r->n_tokens > EV_MAX_TOKENS) {
        r->err = "too many BinXML tokens in record";
        return VG_ELIMIT;
    }
    r->nodes[base].flags |= d->base_flags;
    return VG_OK;
}

/* The body of a template instance (values first..first+count on r->vals)
 * under node cur: decoded once per chunk and replayed when the cache has
 * a slot for it, else parsed token by token. */
static int
expand(struct vg_evtx_reader *r, struct ev_tpl_slot *slot, uint32_t data_off,
       uint32_t data_len, uint32_t first, uint32_t count, uint32_t cur,
       unsigned depth)
{
    struct vg_rd body;
    struct frag sub;

    if (r->no_tpl_cache) {
        slot = NULL;
    }
    if (slot != NULL && !slot->decoded) {
        decode(r, slot);
    }
    if (slot != NULL && slot->def != NULL) {
        return replay(r, slot->def, first, count, cur, depth);
    }
    vg_rd_init(&body, r->chunk, (size_t)data_off + data_len);
    body.pos = data_off;
    memset(&sub, 0, sizeof(sub));
    sub.subs = first;
    sub.n_subs = count;
    sub.cur = sub.base = cur;
    sub.attr = EV_NONE;
    sub.depth = depth;
    sub.in_template = 1;
    return parse_frag(r, &body, &sub, 0);
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
    r->n_map = 0;
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
