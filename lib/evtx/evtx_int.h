/* SPDX-License-Identifier: Apache-2.0 */
/*
 * evtx_int.h - internals of the EVTX reader shared by lib/evtx and the
 * unit tests: the record tree, value rendering and per-chunk caches.
 *
 * A record is parsed into a flat array of nodes (element, attribute, value,
 * CDATA, char/entity reference, processing instruction) that point into the
 * chunk bytes: nothing is converted until something asks (JSON, XML or a
 * field lookup). Templates are expanded while parsing; element and attribute
 * names (UTF-8) are cached per chunk by offset, and so are template
 * definitions, decoded once per chunk into a list of node prototypes that
 * each instance copies (binxml.c).
 */
#ifndef VG_EVTX_INT_H
#define VG_EVTX_INT_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "core/arena.h"
#include "vigil/buf.h"
#include "vigil/evtx.h"

/* BinXML value types (MS-EVEN6 2.2.18 / public EVTX documentation). */
enum {
    EV_T_NULL = 0x00,
    EV_T_WSTR = 0x01,
    EV_T_ASTR = 0x02,
    EV_T_I8 = 0x03,
    EV_T_U8 = 0x04,
    EV_T_I16 = 0x05,
    EV_T_U16 = 0x06,
    EV_T_I32 = 0x07,
    EV_T_U32 = 0x08,
    EV_T_I64 = 0x09,
    EV_T_U64 = 0x0a,
    EV_T_R32 = 0x0b,
    EV_T_R64 = 0x0c,
    EV_T_BOOL = 0x0d,
    EV_T_BIN = 0x0e,
    EV_T_GUID = 0x0f,
    EV_T_SIZE = 0x10,
    EV_T_FILETIME = 0x11,
    EV_T_SYSTIME = 0x12,
    EV_T_SID = 0x13,
    EV_T_HEX32 = 0x14,
    EV_T_HEX64 = 0x15,
    EV_T_HANDLE = 0x20,
    EV_T_BINXML = 0x21,
    EV_T_EVTXML = 0x23,
    EV_T_ARRAY = 0x80,
};

enum ev_kind {
    EV_N_ROOT = 0,
    EV_N_ELEM,
    EV_N_ATTR,
    EV_N_VALUE,   /* typed value (val, len, vtype) */
    EV_N_CDATA,   /* UTF-16 text */
    EV_N_CHARREF, /* code unit in aux */
    EV_N_ENTREF,  /* name */
    EV_N_PI,      /* name = target, val = UTF-16 data */
    /* Only in decoded template definitions (struct ev_op), never in a
     * record's tree: */
    EV_N_SUBST, /* substitution: aux = id, vtype = 1 if optional */
    EV_N_TPL,   /* nested instance: aux = definition offset */
};

/* Node flags. */
enum {
    EV_F_HASVAL = 1u << 0, /* attribute got a value (else omitted) */
};

#define EV_NONE 0u /* "no node": index 0 is the root, never a child */

struct ev_node {
    const char *name;   /* UTF-8 (chunk cache or record arena) */
    const uint8_t *val; /* raw bytes in the chunk */
    uint32_t name_len;
    uint32_t len; /* bytes at val */
    uint32_t parent, first, last, next;
    uint8_t kind;
    uint8_t vtype;
    uint16_t flags;
    uint32_t aux; /* char ref code */
};

struct ev_field {
    const char *name;
    uint32_t name_len;
    uint32_t node;     /* element or attribute node */
    const char *value; /* rendered lazily */
    size_t value_len;
    int rendered;
};

/* Limits: hostile input cannot make a record cost more than this. */
#define EV_MAX_DEPTH 64u    /* nested elements + templates + BinXML */
#define EV_MAX_NODES 65536u /* nodes in one record */
#define EV_MAX_TOKENS                                                          \
    262144u               /* tokens read for one record (templates             \
                             re-read count again: stops blow-ups) */
#define EV_MAX_SUBS 4096u /* substitution values in one template */
#define EV_MAX_FIELDS 4096u
#define EV_NAME_SLOTS 4096u /* per-chunk name cache (power of two) */
#define EV_TPL_SLOTS 1024u  /* per-chunk template cache */
#define EV_REC_ARENA_MAX (64u << 20)
#define EV_CHUNK_ARENA_MAX (16u << 20)
#define EV_TPL_ARENA_MAX (16u << 20) /* decoded definitions, per chunk */

struct ev_val {
    const uint8_t *p;
    uint32_t len;
    uint8_t type;
};
struct ev_name_slot {
    uint32_t gen, off;
    const char *s;
    uint32_t len;
};
/* A template definition decoded once per chunk: the nodes it makes, in
 * creation order, as prototypes. An instance copies them and fills in its
 * substitutions; the counts kept beside each prototype let it charge the
 * same tokens and nesting to the record's limits, at the same points, as
 * re-reading the definition would. */
struct ev_op {
    struct ev_node n; /* parent: index in the definition (0 = where the
                         instance goes, ops are 1..); EV_N_SUBST: first =
                         the element receiving BinXML; EV_N_TPL: name_len =
                         first value in ev_tdef.vals, len = count */
    uint32_t ntok;    /* tokens read since the previous op, this one's too */
    uint32_t depth;   /* elements open around it in the definition */
};
struct ev_tdef {
    const struct ev_op *ops; /* ops[0] is node 1 */
    uint32_t n_ops;
    uint32_t tail_tok;     /* tokens after the last op (ends, EOF) */
    uint16_t base_flags;   /* flags its tokens set on the instance's parent */
    const struct ev_val *vals; /* substitutions of nested instances */
};
struct ev_tpl_slot {
    uint32_t gen, off;
    uint32_t data_off, data_len;
    const struct ev_tdef *def; /* NULL: not decoded or not decodable */
    int decoded;               /* decoding was tried this chunk */
};

struct vg_evtx_reader {
    /* current chunk */
    const struct vg_evtx *f;
    const uint8_t *chunk;
    uint32_t chunk_len;
    uint64_t chunk_file_off;
    uint32_t chunk_index;
    uint32_t gen; /* cache generation: bumped per chunk */
    struct ev_name_slot *names;
    struct ev_tpl_slot *tpls;
    struct vg_arena chunk_arena;
    struct vg_arena tpl_arena; /* decoded template definitions */
    /* decoding a definition (binxml.c): its nodes go to rnodes, swapped
     * in for r->nodes, with the token count at each node in rtok and the
     * values of nested instances in rvals */
    int recording;
    int no_tpl_cache; /* tests and fuzz_evtx_tplcache: compare with the
                         token-by-token expansion */
    struct ev_node *rnodes;
    uint32_t cap_rnodes;
    uint32_t *rtok;
    struct ev_val *rvals;
    uint32_t n_rvals, cap_rvals;
    uint32_t *map; /* stack: definition node -> record node, per instance */
    uint32_t n_map, cap_map;
    /* current record */
    struct ev_node *nodes;
    uint32_t n_nodes, cap_nodes;
    struct ev_val *vals; /* substitution values, stack */
    uint32_t n_vals, cap_vals;
    uint32_t n_tokens;
    struct vg_arena rec_arena;
    struct ev_field *fields;
    uint32_t n_fields, cap_fields;
    int fields_built;
    struct vg_buf scratch;
    struct vg_evtx_record rec;
    uint8_t *iobuf;   /* one chunk, for files read by fd */
    const char *err;  /* what went wrong (static) */
    uint32_t err_off; /* chunk offset of the problem */
};

struct vg_evtx {
    const struct vg_ctx *ctx;
    const uint8_t *p; /* whole file (memory), or NULL */
    size_t len;
    int fd; /* own read-only fd, or -1 */
    char *name;
    struct vg_evtx_header hdr;
    int hdr_valid;
    size_t n_chunks;
};

/* binxml.c: parse the BinXML of one record (chunk offsets [start, end))
 * into r->nodes. VG_OK or VG_EFORMAT/VG_ELIMIT with r->err/r->err_off. */
int ev_parse_record(struct vg_evtx_reader *r, uint32_t start, uint32_t end);
/* Reset the per-chunk caches for a new chunk. */
void ev_chunk_begin(struct vg_evtx_reader *r, const uint8_t *chunk,
                    uint32_t len, uint64_t file_off, uint32_t index);

/* vg_buf_add with the common case (room left) inline: rendering makes
 * many small appends. */
static inline int
ev_buf_add(struct vg_buf *b, const void *p, size_t n)
{
    if (b->data != NULL && b->cap - b->len > n) {
        memcpy(b->data + b->len, p, n);
        b->len += n;
        b->data[b->len] = '\0';
        return 0;
    }
    return vg_buf_add(b, p, n);
}

static inline int
ev_buf_addc(struct vg_buf *b, char c)
{
    return ev_buf_add(b, &c, 1);
}

/* value.c: bytes of one value of a fixed-size type (0: not fixed-size).
 * EV_T_SIZE is 4 or 8 bytes: 4 only when n, the value's length, is 4. */
size_t ev_fixed_size(uint8_t type, size_t n);

/* value.c: text escaping modes for rendering. */
enum ev_esc { EV_ESC_NONE = 0, EV_ESC_JSON, EV_ESC_XML, EV_ESC_XMLA };
/* (XML: text content; XMLA: attribute values, quotes escaped too.) */
/* Append the text form of a value. */
int ev_val_text(struct vg_buf *b, uint8_t type, const uint8_t *p, size_t n,
                enum ev_esc esc);
/* Append UTF-16LE text (n bytes) converted and escaped; stops at U+0000. */
int ev_utf16_append(struct vg_buf *b, const uint8_t *p, size_t n,
                    enum ev_esc esc);
/* Append UTF-8 bytes escaped (invalid bytes become U+FFFD). */
int ev_utf8_append(struct vg_buf *b, const char *s, size_t n, enum ev_esc esc);
/* FILETIME -> "YYYY-MM-DDTHH:MM:SS.fffffffZ" (7 digits, Windows' form). */
size_t ev_filetime_str(uint64_t ft, char out[40]);
/* 1 when the type renders as a bare JSON number/boolean. */
int ev_type_is_json_scalar(uint8_t type);
/* Element/attribute text: concatenation of the node's text children. */
int ev_node_text(const struct vg_evtx_reader *r, uint32_t node,
                 struct vg_buf *b, enum ev_esc esc);

/* event.c: fill r->rec.event for the parsed record. */
void ev_event_setup(struct vg_evtx_reader *r);
/* Node helpers. */
uint32_t ev_child_elem(const struct vg_evtx_reader *r, uint32_t parent,
                       const char *name, size_t len);
uint32_t ev_attr(const struct vg_evtx_reader *r, uint32_t elem,
                 const char *name, size_t len);
/* The single typed value node of an element/attribute, or EV_NONE. */
uint32_t ev_single_value(const struct vg_evtx_reader *r, uint32_t node);

#endif
