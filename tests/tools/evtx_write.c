/* SPDX-License-Identifier: Apache-2.0 */
/*
 * evtx_write.c - fixture tool: builds an .evtx file from a plain-text event
 * description (stdin or a file) with tests/support/evtx_writer. For e2e
 * setup scripts and for other modules' fixtures:
 *
 *     evtx_write OUT.evtx [DESC]
 *
 * DESC: events separated by blank lines; one "key: value" per line. Keys:
 * channel provider guid event_id qualifiers version level task opcode
 * keywords (hex or decimal) time (ISO 8601 UTC) record_id pid tid computer
 * user_sid; "data: Name=Value" (string), "data.TYPE: Name=Value" with TYPE
 * one of u8 u16 u32 u64 i32 i64 hex32 hex64 bool sid filetime size,
 * "text: Value" for an unnamed <Data>. Lines starting with # are comments.
 * Not a parser for hostile input: test use only.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "evtx_writer.h"
#include "vigil/time.h"

#define MAX_DATA 256

struct ev {
    struct evw_event e;
    struct evw_field f[MAX_DATA];
    char *strs[4 * MAX_DATA + 16];
    size_t n_strs;
};

static char *
keep(struct ev *ev, const char *s)
{
    char *d = strdup(s);

    if (d != NULL && ev->n_strs < sizeof(ev->strs) / sizeof(ev->strs[0])) {
        ev->strs[ev->n_strs++] = d;
    }
    return d;
}

static void
clear(struct ev *ev)
{
    size_t i;

    for (i = 0; i < ev->n_strs; i++) {
        free(ev->strs[i]);
    }
    memset(ev, 0, sizeof(*ev));
}

static const struct {
    const char *name;
    enum evw_type t;
} types[] = {
    {"u8", EVW_U8},       {"u16", EVW_U16},           {"u32", EVW_U32},
    {"u64", EVW_U64},     {"i32", EVW_I32},           {"i64", EVW_I64},
    {"hex32", EVW_HEX32}, {"hex64", EVW_HEX64},       {"bool", EVW_BOOL},
    {"sid", EVW_SID},     {"filetime", EVW_FILETIME}, {"size", EVW_SIZE},
};

static int
add_data(struct ev *ev, const char *type, char *val, int named)
{
    struct evw_field *f;
    char *eq = named ? strchr(val, '=') : NULL;
    size_t i;

    if (ev->e.n_data == MAX_DATA || (named && eq == NULL)) {
        return -1;
    }
    f = &ev->f[ev->e.n_data++];
    if (named) {
        *eq = '\0';
        f->name = keep(ev, val);
        val = eq + 1;
    }
    f->type = EVW_STR;
    for (i = 0; type != NULL && i < sizeof(types) / sizeof(types[0]); i++) {
        if (strcmp(type, types[i].name) == 0) {
            f->type = types[i].t;
        }
    }
    if (type != NULL && f->type == EVW_STR) {
        return -1;
    }
    f->s = keep(ev, val);
    f->u = strtoull(val, NULL, 0);
    f->i = strtoll(val, NULL, 0);
    ev->e.data = ev->f;
    return 0;
}

static int
set_key(struct ev *ev, const char *k, char *v)
{
    struct evw_event *e = &ev->e;
    unsigned long long u = strtoull(v, NULL, 0);

    if (strcmp(k, "channel") == 0)
        e->channel = keep(ev, v);
    else if (strcmp(k, "provider") == 0)
        e->provider = keep(ev, v);
    else if (strcmp(k, "guid") == 0)
        e->provider_guid = keep(ev, v);
    else if (strcmp(k, "computer") == 0)
        e->computer = keep(ev, v);
    else if (strcmp(k, "user_sid") == 0)
        e->user_sid = keep(ev, v);
    else if (strcmp(k, "event_id") == 0)
        e->event_id = (uint16_t)u;
    else if (strcmp(k, "qualifiers") == 0) {
        e->qualifiers = (uint16_t)u;
        e->has_qualifiers = 1;
    } else if (strcmp(k, "version") == 0)
        e->version = (uint8_t)u;
    else if (strcmp(k, "level") == 0)
        e->level = (uint8_t)u;
    else if (strcmp(k, "task") == 0)
        e->task = (uint16_t)u;
    else if (strcmp(k, "opcode") == 0)
        e->opcode = (uint8_t)u;
    else if (strcmp(k, "keywords") == 0)
        e->keywords = u;
    else if (strcmp(k, "record_id") == 0)
        e->record_id = u;
    else if (strcmp(k, "pid") == 0)
        e->pid = (uint32_t)u;
    else if (strcmp(k, "tid") == 0)
        e->tid = (uint32_t)u;
    else if (strcmp(k, "time") == 0)
        return vg_time_parse(v, &e->time_us);
    else if (strcmp(k, "data") == 0)
        return add_data(ev, NULL, v, 1);
    else if (strcmp(k, "text") == 0)
        return add_data(ev, NULL, v, 0);
    else if (strncmp(k, "data.", 5) == 0)
        return add_data(ev, k + 5, v, 1);
    else
        return -1;
    return 0;
}

static int
flush(struct evw *w, struct ev *ev, int *n)
{
    int rc = 0;

    if (ev->e.channel != NULL || ev->e.provider != NULL) {
        rc = evw_add(w, &ev->e);
        (*n)++;
    }
    clear(ev);
    return rc;
}

int
main(int argc, char **argv)
{
    static struct ev ev;
    struct evw *w = NULL;
    FILE *in = stdin;
    char line[8192];
    int n = 0, lineno = 0, rc = 1;

    if (argc < 2 || argc > 3) {
        fprintf(stderr, "usage: evtx_write OUT.evtx [DESC]\n");
        return 2;
    }
    if (argc == 3 && (in = fopen(argv[2], "r")) == NULL) {
        perror(argv[2]);
        return 2;
    }
    if (evw_new(&w) != 0) {
        return 2;
    }
    while (fgets(line, sizeof(line), in) != NULL) {
        char *colon, *v;
        size_t len = strcspn(line, "\r\n");
        line[len] = '\0';
        lineno++;
        if (line[0] == '#') {
            continue;
        }
        if (len == 0) {
            if (flush(w, &ev, &n) != 0) {
                fprintf(stderr, "evtx_write: event %d rejected\n", n);
                goto out;
            }
            continue;
        }
        colon = strchr(line, ':');
        if (colon == NULL) {
            fprintf(stderr, "evtx_write: line %d: no ':'\n", lineno);
            goto out;
        }
        *colon = '\0';
        v = colon + 1;
        while (*v == ' ') {
            v++;
        }
        if (set_key(&ev, line, v) != 0) {
            fprintf(stderr, "evtx_write: line %d: bad key or value\n", lineno);
            goto out;
        }
    }
    if (flush(w, &ev, &n) != 0 || evw_write_file(w, argv[1]) != 0) {
        fprintf(stderr, "evtx_write: cannot write %s\n", argv[1]);
        goto out;
    }
    rc = 0;
out:
    clear(&ev);
    evw_free(w);
    if (in != stdin) {
        fclose(in);
    }
    return rc;
}
