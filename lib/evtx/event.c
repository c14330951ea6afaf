/* SPDX-License-Identifier: Apache-2.0 */
/*
 * event.c - a parsed record as a vg_event: named fields for the Sigma
 * engine and anything else that matches events.
 *
 * Names follow include/vigil/event.h: System children by element name
 * ("EventID", "Channel", ...), their attributes as "Element_Attr"
 * ("Provider_Name", "Execution_ProcessID") plus the documented short forms
 * ("TimeCreated", "ProcessID", "ThreadID", "UserID"); <Data Name="X"> as
 * "X" (unnamed <Data> as "Data"); UserData and other sections by the names
 * of their leaf elements and of the attributes under them. The table is built
 * on first use and each value is converted to UTF-8 only when asked for, into
 * the record arena (valid until the reader moves to the next record).
 *
 * Not done here: field-name mapping between log sources (sigma).
 */
#include <string.h>

#include "core/alloc.h"
#include "core/arena.h"
#include "core/rd.h"
#include "evtx/evtx_int.h"
#include "vigil/err.h"
#include "vigil/finding.h"
#include "vigil/time.h"

#include "core/banned.h"

uint32_t
ev_child_elem(const struct vg_evtx_reader *r, uint32_t parent, const char *name,
              size_t len)
{
    uint32_t c;

    for (c = r->nodes[parent].first; c != EV_NONE; c = r->nodes[c].next) {
        const struct ev_node *n = &r->nodes[c];
        if (n->kind == EV_N_ELEM && n->name_len == len &&
            memcmp(n->name, name, len) == 0) {
            return c;
        }
    }
    return EV_NONE;
}

uint32_t
ev_attr(const struct vg_evtx_reader *r, uint32_t elem, const char *name,
        size_t len)
{
    uint32_t c;

    for (c = r->nodes[elem].first; c != EV_NONE; c = r->nodes[c].next) {
        const struct ev_node *n = &r->nodes[c];
        if (n->kind == EV_N_ATTR && (n->flags & EV_F_HASVAL) &&
            n->name_len == len && memcmp(n->name, name, len) == 0) {
            return c;
        }
    }
    return EV_NONE;
}

static int
has_text(const struct vg_evtx_reader *r, uint32_t node)
{
    uint32_t c;

    for (c = r->nodes[node].first; c != EV_NONE; c = r->nodes[c].next) {
        uint8_t k = r->nodes[c].kind;
        if (k == EV_N_VALUE || k == EV_N_CDATA || k == EV_N_CHARREF ||
            k == EV_N_ENTREF) {
            return 1;
        }
    }
    return 0;
}

static int
add_field(struct vg_evtx_reader *r, const char *name, size_t len, uint32_t node)
{
    struct ev_field *f;

    if (r->n_fields == r->cap_fields) {
        uint32_t cap = r->cap_fields ? r->cap_fields * 2 : 64;
        void *p;
        if (r->cap_fields >= EV_MAX_FIELDS) {
            return VG_OK; /* hostile: keep the first EV_MAX_FIELDS */
        }
        p = vg_reallocarray(r->fields, cap, sizeof(*r->fields));
        if (p == NULL) {
            return VG_ENOMEM;
        }
        r->fields = p;
        r->cap_fields = cap;
    }
    f = &r->fields[r->n_fields++];
    f->name = name;
    f->name_len = (uint32_t)len;
    f->node = node;
    f->value = NULL;
    f->value_len = 0;
    f->rendered = 0;
    return VG_OK;
}

/* Render node text into the record arena. */
static int
node_string(struct vg_evtx_reader *r, uint32_t node, const char **s,
            size_t *len)
{
    char *copy;
    int rc;

    vg_buf_reset(&r->scratch);
    rc = ev_node_text(r, node, &r->scratch, EV_ESC_NONE);
    if (rc == VG_OK) {
        rc = vg_arena_strndup(&r->rec_arena,
                              r->scratch.data ? r->scratch.data : "",
                              r->scratch.len, &copy);
    }
    if (rc != VG_OK) {
        return rc;
    }
    *s = copy;
    *len = r->scratch.len;
    return VG_OK;
}

static int
system_fields(struct vg_evtx_reader *r, uint32_t sys)
{
    uint32_t e, a;
    int rc;

    for (e = r->nodes[sys].first; e != EV_NONE; e = r->nodes[e].next) {
        const struct ev_node *n = &r->nodes[e];
        if (n->kind != EV_N_ELEM) {
            continue;
        }
        if (has_text(r, e) || n->first == EV_NONE) {
            if ((rc = add_field(r, n->name, n->name_len, e)) != VG_OK) {
                return rc;
            }
        }
        for (a = n->first; a != EV_NONE; a = r->nodes[a].next) {
            const struct ev_node *an = &r->nodes[a];
            char *name;
            if (an->kind != EV_N_ATTR || !(an->flags & EV_F_HASVAL)) {
                continue;
            }
            rc = vg_arena_alloc(&r->rec_arena, n->name_len + an->name_len + 2,
                                (void **)&name);
            if (rc != VG_OK) {
                return rc;
            }
            memcpy(name, n->name, n->name_len);
            name[n->name_len] = '_';
            memcpy(name + n->name_len + 1, an->name, an->name_len);
            rc = add_field(r, name, n->name_len + 1 + an->name_len, a);
            if (rc == VG_OK && n->name_len == 11 &&
                memcmp(n->name, "TimeCreated", 11) == 0) {
                rc = add_field(r, n->name, n->name_len, a);
            } else if (rc == VG_OK && ((n->name_len == 9 &&
                                        memcmp(n->name, "Execution", 9) == 0) ||
                                       (n->name_len == 8 &&
                                        memcmp(n->name, "Security", 8) == 0))) {
                rc = add_field(r, an->name, an->name_len, a);
            }
            if (rc != VG_OK) {
                return rc;
            }
        }
    }
    return VG_OK;
}

static int
eventdata_fields(struct vg_evtx_reader *r, uint32_t ed)
{
    uint32_t e;
    int rc;

    for (e = r->nodes[ed].first; e != EV_NONE; e = r->nodes[e].next) {
        const struct ev_node *n = &r->nodes[e];
        uint32_t a;
        if (n->kind != EV_N_ELEM) {
            continue;
        }
        a = ev_attr(r, e, "Name", 4);
        if (a != EV_NONE) {
            const char *name;
            size_t len;
            if ((rc = node_string(r, a, &name, &len)) != VG_OK) {
                return rc;
            }
            rc = add_field(r, name, len, e);
        } else {
            rc = add_field(r, n->name, n->name_len, e);
        }
        if (rc != VG_OK) {
            return rc;
        }
    }
    return VG_OK;
}

/* Leaf elements under node, by their own name (UserData and the rest).
 * Depth is bounded by the parser's EV_MAX_DEPTH. */
static int
leaf_fields(struct vg_evtx_reader *r, uint32_t node)
{
    uint32_t e;
    int rc, leaf = 1;

    for (e = r->nodes[node].first; e != EV_NONE; e = r->nodes[e].next) {
        const struct ev_node *n = &r->nodes[e];
        if (n->kind == EV_N_ELEM) {
            leaf = 0;
            rc = leaf_fields(r, e);
        } else if (n->kind == EV_N_ATTR && (n->flags & EV_F_HASVAL)) {
            /* <EventAuxInfo ProcessName="x"/>: "ProcessName" */
            rc = add_field(r, n->name, n->name_len, e);
        } else {
            rc = VG_OK;
        }
        if (rc != VG_OK) {
            return rc;
        }
    }
    if (leaf) {
        return add_field(r, r->nodes[node].name, r->nodes[node].name_len, node);
    }
    return VG_OK;
}

static uint32_t
event_elem(const struct vg_evtx_reader *r)
{
    uint32_t c;

    for (c = r->nodes[0].first; c != EV_NONE; c = r->nodes[c].next) {
        if (r->nodes[c].kind == EV_N_ELEM) {
            return c;
        }
    }
    return EV_NONE;
}

static int
build_fields(struct vg_evtx_reader *r)
{
    uint32_t ev = event_elem(r), c;
    int rc = VG_OK;

    r->fields_built = 1;
    r->n_fields = 0;
    if (ev == EV_NONE) {
        return VG_OK;
    }
    for (c = r->nodes[ev].first; c != EV_NONE && rc == VG_OK;
         c = r->nodes[c].next) {
        const struct ev_node *n = &r->nodes[c];
        if (n->kind != EV_N_ELEM) {
            continue;
        }
        if (n->name_len == 6 && memcmp(n->name, "System", 6) == 0) {
            rc = system_fields(r, c);
        } else if (n->name_len == 9 && memcmp(n->name, "EventData", 9) == 0) {
            rc = eventdata_fields(r, c);
        } else {
            uint32_t k;
            for (k = n->first; k != EV_NONE && rc == VG_OK;
                 k = r->nodes[k].next) {
                if (r->nodes[k].kind == EV_N_ELEM) {
                    rc = leaf_fields(r, k);
                }
            }
        }
    }
    return rc;
}

static int
field_value(struct vg_evtx_reader *r, struct ev_field *f, struct vg_str *v)
{
    if (!f->rendered) {
        int rc;
        if (!has_text(r, f->node)) {
            f->value = NULL;
            f->value_len = 0;
        } else if ((rc = node_string(r, f->node, &f->value, &f->value_len)) !=
                   VG_OK) {
            return rc;
        }
        f->rendered = 1;
    }
    v->p = f->value;
    v->len = f->value_len;
    return VG_OK;
}

static int
ev_get(void *impl, const char *name, size_t name_len, struct vg_str *value)
{
    struct vg_evtx_reader *r = impl;
    uint32_t i;
    int rc;

    value->p = NULL;
    value->len = 0;
    if (!r->fields_built && (rc = build_fields(r)) != VG_OK) {
        return rc;
    }
    for (i = 0; i < r->n_fields; i++) {
        struct ev_field *f = &r->fields[i];
        if (f->name_len == name_len && memcmp(f->name, name, name_len) == 0) {
            return field_value(r, f, value);
        }
    }
    return VG_ENOTFOUND;
}

static int
ev_each(void *impl, vg_event_field_fn *fn, void *arg)
{
    struct vg_evtx_reader *r = impl;
    uint32_t i;
    int rc;

    if (!r->fields_built && (rc = build_fields(r)) != VG_OK) {
        return rc;
    }
    for (i = 0; i < r->n_fields; i++) {
        struct vg_str name, value;
        if ((rc = field_value(r, &r->fields[i], &value)) != VG_OK) {
            return rc;
        }
        name.p = r->fields[i].name;
        name.len = r->fields[i].name_len;
        if ((rc = fn(arg, name, value)) != 0) {
            return rc;
        }
    }
    return VG_OK;
}

static const struct vg_event_ops ev_ops = {ev_get, ev_each};

static uint32_t
parse_u32(const char *s, size_t n)
{
    uint64_t v = 0;
    size_t i;

    for (i = 0; i < n && s[i] >= '0' && s[i] <= '9' && v < 0xffffffffu; i++) {
        v = v * 10 + (uint64_t)(s[i] - '0');
    }
    return v > 0xffffffffu ? 0 : (uint32_t)v;
}

static void
prefilter(struct vg_evtx_reader *r, struct vg_event *e)
{
    struct vg_str v;
    uint32_t ev = event_elem(r), sys, n;

    if (ev_get(r, "EventID", 7, &v) == VG_OK && v.p != NULL) {
        e->event_id = parse_u32(v.p, v.len);
    }
    if (ev_get(r, "Channel", 7, &v) == VG_OK) {
        e->channel = v;
    }
    if (ev_get(r, "Provider_Name", 13, &v) == VG_OK) {
        e->provider = v;
    }
    if (ev_get(r, "Computer", 8, &v) == VG_OK) {
        e->computer = v;
    }
    sys = ev != EV_NONE ? ev_child_elem(r, ev, "System", 6) : EV_NONE;
    n = sys != EV_NONE ? ev_child_elem(r, sys, "TimeCreated", 11) : EV_NONE;
    n = n != EV_NONE ? ev_attr(r, n, "SystemTime", 10) : EV_NONE;
    n = n != EV_NONE ? ev_single_value(r, n) : EV_NONE;
    if (n != EV_NONE && r->nodes[n].vtype == EV_T_FILETIME &&
        r->nodes[n].len == 8) {
        e->time_us = vg_filetime_to_us(vg_le64(r->nodes[n].val));
    }
}

void
ev_event_setup(struct vg_evtx_reader *r)
{
    struct vg_event *e = &r->rec.event;

    memset(e, 0, sizeof(*e));
    e->ops = &ev_ops;
    e->impl = r;
    e->time_us = r->rec.written_us;
    e->record_id = r->rec.record_id;
    e->source = r->f != NULL ? r->f->name : NULL;
    e->offset = r->rec.offset;
    e->is_recovered = r->rec.is_recovered;
    prefilter(r, e);
}
