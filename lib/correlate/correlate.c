/* SPDX-License-Identifier: Apache-2.0 */
/*
 * correlate.c - folds duplicate findings, links the rest into incidents
 * with a union-find over shared link keys (keys.c), and decides the
 * verdict and its one-sentence reason (vigil/correlate.h).
 *
 * An incident is a group of at least two findings on one host, linked by
 * keys, whose worst member is medium or worse: a lone finding is already
 * its own story, and info-only groups (an approved tool's inventory and
 * its log lines) are not incidents. It does not re-score findings.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/alloc.h"
#include "core/map.h"
#include "correlate/correlate_int.h"
#include "vigil/correlate.h"
#include "vigil/err.h"
#include "vigil/report.h"

#include "core/banned.h"

#define MAX_TAILS   256u /* flagged-file tails searched in other findings */
#define MAX_LISTED  25u  /* members listed in an incident's values */
#define KEY_MAX     4096u

struct item {
    struct vg_finding *f;
    uint64_t dups;  /* identical findings folded into this one, + 1 */
    size_t parent;  /* union-find */
    size_t incident; /* 1-based incident number, 0 = none */
};

struct link {
    size_t item;
    enum vg_link_kind kind;
    char *value;
};

struct incident {
    size_t root, n, first, worst;
    enum vg_severity sev;
    int64_t time_us;
    char *title, *reason;
    struct vg_kv *kv;
    size_t n_kv;
    char **owned; /* strings in kv */
};

struct vg_correlate {
    struct item *it;
    size_t n, cap;
    struct link *links;
    size_t n_links, cap_links;
    struct incident *inc;
    size_t n_inc;
    struct vg_map fold;  /* fold key -> item index + 1 */
    struct vg_map keys;  /* host \x1f kind value -> item index + 1 */
    struct vg_map hosts; /* host -> 1 */
    uint64_t folded, dropped;
    int finished;
    int min_sev; /* verdict counts only findings at or above */
    const char *verdict;
    char reason[1024];
};

int
vg_correlate_new(struct vg_correlate **out)
{
    struct vg_correlate *c = vg_calloc(1, sizeof(*c));
    *out = NULL;
    if (c == NULL) {
        return VG_ENOMEM;
    }
    vg_map_init(&c->fold, 0);
    vg_map_init(&c->keys, 0);
    vg_map_init(&c->hosts, 0);
    c->verdict = "CLEAN";
    *out = c;
    return VG_OK;
}

static void
incident_fini(struct incident *x)
{
    for (size_t i = 0; x->owned && i < 2 * x->n_kv; i++) {
        vg_free(x->owned[i]);
    }
    vg_free(x->owned);
    vg_free(x->kv);
    vg_free(x->title);
    vg_free(x->reason);
}

void
vg_correlate_free(struct vg_correlate *c)
{
    if (c == NULL) {
        return;
    }
    for (size_t i = 0; i < c->n; i++) {
        free(c->it[i].f);
    }
    for (size_t i = 0; i < c->n_links; i++) {
        vg_free(c->links[i].value);
    }
    for (size_t i = 0; i < c->n_inc; i++) {
        incident_fini(&c->inc[i]);
    }
    vg_free(c->it);
    vg_free(c->links);
    vg_free(c->inc);
    vg_map_fini(&c->fold);
    vg_map_fini(&c->keys);
    vg_map_fini(&c->hosts);
    vg_free(c);
}

static int
is_ours(const char *key)
{
    return key && (strcmp(key, "incident") == 0 ||
                   strcmp(key, "duplicates") == 0);
}

/* Copy of f without the extra keys this module writes. */
static struct vg_finding *
dup_stripped(const struct vg_finding *f)
{
    struct vg_finding tmp = *f;
    struct vg_kv *x = NULL;
    struct vg_finding *d;
    size_t n = 0;

    if (f->n_extra > 0) {
        x = vg_reallocarray(NULL, f->n_extra, sizeof(*x));
        if (x == NULL) {
            return NULL;
        }
        for (size_t i = 0; i < f->n_extra; i++) {
            if (!is_ours(f->extra[i].key)) {
                x[n++] = f->extra[i];
            }
        }
    }
    tmp.extra = n ? x : NULL;
    tmp.n_extra = n;
    d = vg_finding_dup(&tmp);
    vg_free(x);
    return d;
}

static void
add_field(struct vg_buf *b, const char *s)
{
    if (vg_buf_adds(b, s ? s : "") != VG_OK ||
        vg_buf_addc(b, '\x1f') != VG_OK) {
        vg_buf_truncate(b, 0); /* too long: do not fold */
    }
}

static int
fold_key(struct vg_buf *b, const struct vg_finding *f)
{
    add_field(b, f->host);
    add_field(b, f->module);
    add_field(b, f->rule.id);
    add_field(b, f->title);
    add_field(b, f->reason);
    add_field(b, f->evidence.path);
    if (vg_buf_printf(b, "%" PRIu64 "\x1f%" PRId64 "\x1f%" PRIu64 "\x1f%d",
                      f->evidence.record_id, f->time_us, f->evidence.offset,
                      (int)f->severity) != VG_OK) {
        return 0;
    }
    for (size_t i = 0; i < f->evidence.n_values; i++) {
        add_field(b, f->evidence.values[i].key);
        add_field(b, f->evidence.values[i].value);
    }
    return b->len > 0;
}

static int
grow_items(struct vg_correlate *c)
{
    if (c->n < c->cap) {
        return VG_OK;
    }
    size_t cap = c->cap ? c->cap * 2 : 256;
    void *p = vg_reallocarray(c->it, cap, sizeof(*c->it));
    if (p == NULL) {
        return VG_ENOMEM;
    }
    c->it = p;
    c->cap = cap;
    return VG_OK;
}

/* Fold into an existing identical finding: 1 when folded. */
static int
try_fold(struct vg_correlate *c, const struct vg_finding *f, int *rc)
{
    struct vg_buf k;
    int folded = 0;

    vg_buf_init(&k, KEY_MAX);
    if (fold_key(&k, f)) {
        void *v = vg_map_get(&c->fold, k.data, k.len);
        if (v != NULL) {
            c->it[(uintptr_t)v - 1].dups++;
            c->folded++;
            folded = 1;
        } else {
            *rc = vg_map_put(&c->fold, k.data, k.len,
                             (void *)(uintptr_t)(c->n + 1));
            *rc = *rc == VG_ELIMIT ? VG_OK : *rc;
        }
    }
    vg_buf_fini(&k);
    return folded;
}

int
vg_correlate_add(const struct vg_finding *f, void *arg)
{
    struct vg_correlate *c = arg;
    int rc = VG_OK;

    if (c->finished) {
        return VG_EINVAL;
    }
    if (f->module && strcmp(f->module, "correlate") == 0) {
        return VG_OK; /* recomputed from the members */
    }
    if (try_fold(c, f, &rc) || rc != VG_OK) {
        return rc;
    }
    if (c->n >= VG_CORRELATE_MAX) {
        c->dropped++;
        return VG_OK;
    }
    if (grow_items(c) != VG_OK) {
        return VG_ENOMEM;
    }
    c->it[c->n].f = dup_stripped(f);
    if (c->it[c->n].f == NULL) {
        return VG_ENOMEM;
    }
    c->it[c->n].dups = 1;
    c->it[c->n].parent = c->n;
    c->it[c->n].incident = 0;
    c->n++;
    return VG_OK;
}

static size_t
find(struct item *it, size_t i)
{
    while (it[i].parent != i) {
        it[i].parent = it[it[i].parent].parent;
        i = it[i].parent;
    }
    return i;
}

static void
unite(struct item *it, size_t a, size_t b)
{
    a = find(it, a);
    b = find(it, b);
    if (a != b) {
        /* the earlier finding stays the root: incident order = arrival */
        if (a < b) {
            it[b].parent = a;
        } else {
            it[a].parent = b;
        }
    }
}

struct key_ctx {
    struct vg_correlate *c;
    size_t item;
    struct vg_buf full;
    int rc;
};

static int
remember_link(struct vg_correlate *c, size_t item, enum vg_link_kind kind,
              const char *v, size_t n)
{
    if (c->n_links == c->cap_links) {
        size_t cap = c->cap_links ? c->cap_links * 2 : 64;
        void *p = vg_reallocarray(c->links, cap, sizeof(*c->links));
        if (p == NULL) {
            return VG_ENOMEM;
        }
        c->links = p;
        c->cap_links = cap;
    }
    c->links[c->n_links].value = vg_strndup(v, n);
    if (c->links[c->n_links].value == NULL) {
        return VG_ENOMEM;
    }
    c->links[c->n_links].item = item;
    c->links[c->n_links].kind = kind;
    c->n_links++;
    return VG_OK;
}

static int
on_key(void *arg, enum vg_link_kind kind, const char *v, size_t n)
{
    struct key_ctx *k = arg;
    const char *host = k->c->it[k->item].f->host;
    void *prev;
    int rc;

    vg_buf_reset(&k->full);
    if (vg_buf_printf(&k->full, "%s\x1f%d", host ? host : "", (int)kind) !=
            VG_OK ||
        vg_buf_add(&k->full, v, n) != VG_OK) {
        return VG_OK; /* key too long: not linked */
    }
    prev = vg_map_get(&k->c->keys, k->full.data, k->full.len);
    if (prev != NULL) {
        if ((uintptr_t)prev - 1 == k->item) {
            return VG_OK; /* same key twice in one finding */
        }
        unite(k->c->it, (uintptr_t)prev - 1, k->item);
    } else {
        rc = vg_map_put(&k->c->keys, k->full.data, k->full.len,
                        (void *)(uintptr_t)(k->item + 1));
        if (rc != VG_OK && rc != VG_ELIMIT) {
            return rc;
        }
    }
    return remember_link(k->c, k->item, kind, v, n);
}

static int
link_keys(struct vg_correlate *c)
{
    struct key_ctx k = {.c = c, .rc = VG_OK};
    struct vg_buf scratch;
    int rc = VG_OK;

    vg_buf_init(&k.full, KEY_MAX);
    vg_buf_init(&scratch, KEY_MAX);
    for (size_t i = 0; i < c->n && rc == VG_OK; i++) {
        k.item = i;
        rc = vg_link_keys(c->it[i].f, &scratch, on_key, &k);
    }
    vg_buf_fini(&k.full);
    vg_buf_fini(&scratch);
    return rc;
}

static int
same_host(const struct vg_finding *a, const struct vg_finding *b)
{
    return (a->host == NULL && b->host == NULL) ||
           (a->host && b->host && strcmp(a->host, b->host) == 0);
}

/* Findings that mention a file the files module flagged join its story. */
static void
link_files(struct vg_correlate *c)
{
    struct vg_buf tmp;
    size_t tails = 0;

    vg_buf_init(&tmp, 1u << 20);
    for (size_t l = 0; l < c->n_links && tails < MAX_TAILS; l++) {
        const struct link *ln = &c->links[l];
        if (ln->kind != VG_LINK_FILE) {
            continue;
        }
        tails++;
        for (size_t i = 0; i < c->n; i++) {
            const struct vg_finding *f = c->it[i].f;
            if (i != ln->item && same_host(f, c->it[ln->item].f) &&
                vg_link_mentions(f, ln->value, &tmp)) {
                unite(c->it, ln->item, i);
            }
        }
    }
    vg_buf_fini(&tmp);
}

/* Severity, then score, orders findings: the first of the highest wins. */
static int
rank(const struct vg_finding *f)
{
    int sc = f->score > 0 ? (f->score > 100 ? 100 : f->score)
                          : vg_severity_score(f->severity);
    return (int)f->severity * 1000 + sc;
}

void
vg_correlate_set_min_severity(struct vg_correlate *c, enum vg_severity sev)
{
    c->min_sev = (int)sev;
}

static uint64_t
count_sev(const struct vg_correlate *c, int lo, int hi, size_t *worst)
{
    uint64_t n = 0;
    int best = -1;
    lo = lo > c->min_sev ? lo : c->min_sev;
    for (size_t i = 0; i < c->n; i++) {
        int s = (int)c->it[i].f->severity;
        if (s >= lo && s <= hi) {
            n += c->it[i].dups;
            if (rank(c->it[i].f) > best) {
                best = rank(c->it[i].f);
                *worst = i;
            }
        }
    }
    return n;
}

static const char *const kind_label[VG_LINK_KINDS] = {
    "ScreenConnect instance", "relay", "AnyDesk ID", "service", "file",
    "remote tool",
};

/* Best link (lowest kind) of the group rooted at root, and its relay. */
static void
best_links(struct vg_correlate *c, size_t root, const struct link **best,
           const struct link **relay)
{
    *best = *relay = NULL;
    for (size_t l = 0; l < c->n_links; l++) {
        const struct link *ln = &c->links[l];
        if (find(c->it, ln->item) != root) {
            continue;
        }
        if (*best == NULL || ln->kind < (*best)->kind) {
            *best = ln;
        }
        if (ln->kind == VG_LINK_RELAY && *relay == NULL) {
            *relay = ln;
        }
    }
}

static char *
incident_title(struct vg_correlate *c, struct incident *x)
{
    const struct link *best, *relay;
    const char *host = c->it[x->root].f->host;
    struct vg_buf b;
    int rc;

    best_links(c, x->root, &best, &relay);
    vg_buf_init(&b, KEY_MAX);
    if (best == NULL) {
        rc = vg_buf_adds(&b, "Incident: linked findings");
    } else {
        rc = vg_buf_printf(&b, "Incident: %s %s", kind_label[best->kind],
                           best->value);
    }
    if (rc == VG_OK && best && best->kind == VG_LINK_INSTANCE && relay) {
        rc = vg_buf_printf(&b, " (relay %s)", relay->value);
    }
    if (rc == VG_OK && host) {
        rc = vg_buf_printf(&b, " on %s", host);
    }
    return vg_buf_take(&b); /* a cut title is still a title */
}

/* "ScreenConnect instance X, relay Y" for the group: distinct keys, best
 * kinds first, at most 8. */
static char *
linked_by(struct vg_correlate *c, size_t root)
{
    struct vg_buf b;
    size_t listed = 0;

    vg_buf_init(&b, KEY_MAX);
    for (int k = 0; k < VG_LINK_KINDS; k++) {
        for (size_t l = 0; l < c->n_links && listed < 8; l++) {
            const struct link *ln = &c->links[l];
            int seen = 0;
            if ((int)ln->kind != k || find(c->it, ln->item) != root) {
                continue;
            }
            for (size_t m = 0; m < l && !seen; m++) {
                seen = c->links[m].kind == ln->kind &&
                       find(c->it, c->links[m].item) == root &&
                       strcmp(c->links[m].value, ln->value) == 0;
            }
            if (!seen && vg_buf_printf(&b, "%s%s %s", listed ? ", " : "",
                                       kind_label[ln->kind],
                                       ln->value) == VG_OK) {
                listed++;
            }
        }
    }
    return vg_buf_take(&b);
}

static int
incident_values(struct vg_correlate *c, struct incident *x)
{
    size_t cap = MAX_LISTED + 1, n = 0;

    x->kv = vg_calloc(cap, sizeof(*x->kv));
    x->owned = vg_calloc(2 * cap, sizeof(*x->owned));
    if (x->kv == NULL || x->owned == NULL) {
        return VG_ENOMEM;
    }
    x->owned[0] = vg_strdup("linked by");
    x->owned[1] = linked_by(c, x->root);
    n = 1;
    for (size_t i = 0; i < c->n && n < cap; i++) {
        const struct vg_finding *f = c->it[i].f;
        char key[32], val[1024];
        if (find(c->it, i) != x->root) {
            continue;
        }
        (void)snprintf(key, sizeof(key), "finding %zu", n);
        (void)snprintf(val, sizeof(val), "[%s] %s: %s",
                       vg_severity_name(f->severity),
                       f->module ? f->module : "-", f->title ? f->title : "");
        x->owned[2 * n] = vg_strdup(key);
        x->owned[2 * n + 1] = vg_strdup(val);
        n++;
    }
    x->n_kv = n;
    for (size_t i = 0; i < 2 * n; i++) {
        if (x->owned[i] == NULL) {
            return VG_ENOMEM;
        }
    }
    for (size_t i = 0; i < n; i++) {
        x->kv[i].key = x->owned[2 * i];
        x->kv[i].value = x->owned[2 * i + 1];
    }
    return VG_OK;
}

static int
incident_text(struct vg_correlate *c, struct incident *x)
{
    const struct vg_finding *w = c->it[x->worst].f;
    struct vg_buf b;
    size_t mods = 0;

    for (size_t i = 0; i < c->n; i++) {
        int first = find(c->it, i) == x->root;
        for (size_t j = 0; first && j < i; j++) {
            first = !(find(c->it, j) == x->root && c->it[i].f->module &&
                      c->it[j].f->module &&
                      strcmp(c->it[i].f->module, c->it[j].f->module) == 0);
        }
        mods += (size_t)first;
    }
    x->title = incident_title(c, x);
    vg_buf_init(&b, KEY_MAX);
    int rc = vg_buf_printf(&b,
                        "%zu findings from %zu module%s tell one story; the "
                        "worst: %s.",
                        x->n, mods, mods == 1 ? "" : "s",
                        w->title ? w->title : "(untitled)");
    x->reason = vg_buf_take(&b); /* ELIMIT: the reason is cut, still valid */
    (void)rc;
    if (x->title == NULL || x->reason == NULL) {
        return VG_ENOMEM;
    }
    return incident_values(c, x);
}

/* Group sizes, worst severities, then one incident per qualifying group. */
static int
build_incidents(struct vg_correlate *c)
{
    int rc = VG_OK;

    if (c->n == 0) {
        return VG_OK;
    }
    c->inc = vg_calloc(c->n, sizeof(*c->inc));
    if (c->inc == NULL) {
        return VG_ENOMEM;
    }
    for (size_t r = 0; r < c->n && rc == VG_OK; r++) {
        struct incident x = {.root = r, .time_us = VG_TIME_NONE};
        if (find(c->it, r) != r) {
            continue;
        }
        for (size_t i = r; i < c->n; i++) {
            const struct vg_finding *f = c->it[i].f;
            if (find(c->it, i) != r) {
                continue;
            }
            if (x.n++ == 0 || rank(f) > rank(c->it[x.worst].f)) {
                x.sev = f->severity;
                x.worst = i;
            }
            if (f->time_us != VG_TIME_NONE &&
                (x.time_us == VG_TIME_NONE || f->time_us < x.time_us)) {
                x.time_us = f->time_us;
            }
        }
        if (x.n < 2 || x.sev < VG_SEV_MEDIUM) {
            continue;
        }
        c->inc[c->n_inc++] = x;
        rc = incident_text(c, &c->inc[c->n_inc - 1]);
        for (size_t i = r; i < c->n; i++) {
            if (find(c->it, i) == r) {
                c->it[i].incident = c->n_inc;
            }
        }
    }
    return rc;
}

static void
decide(struct vg_correlate *c)
{
    size_t worst = 0;
    uint64_t hi = count_sev(c, VG_SEV_HIGH, VG_SEV_CRITICAL, &worst);
    const struct incident *top = NULL;

    for (size_t i = 0; i < c->n_inc; i++) {
        if ((int)c->inc[i].sev >= c->min_sev &&
            (top == NULL || c->inc[i].sev > top->sev)) {
            top = &c->inc[i];
        }
    }
    if (hi) {
        c->verdict = "COMPROMISED";
    } else if (count_sev(c, VG_SEV_LOW, VG_SEV_MEDIUM, &worst)) {
        c->verdict = "SUSPICIOUS";
    } else {
        (void)snprintf(c->reason, sizeof(c->reason),
                       "No finding at %s severity or above.",
                       vg_severity_name(c->min_sev > VG_SEV_LOW
                                            ? (enum vg_severity)c->min_sev
                                            : VG_SEV_LOW));
        return;
    }
    if (top && top->sev == c->it[worst].f->severity) {
        (void)snprintf(c->reason, sizeof(c->reason),
                       "%s ties together %zu findings, the worst: %s%s.",
                       top->title + strlen("Incident: "), top->n,
                       c->it[top->worst].f->title
                           ? c->it[top->worst].f->title
                           : "(untitled)",
                       c->n_inc > 1 ? " (and more incidents below)" : "");
        return;
    }
    uint64_t n = hi ? hi : count_sev(c, VG_SEV_LOW, VG_SEV_MEDIUM, &worst);
    (void)snprintf(c->reason, sizeof(c->reason),
                   "%" PRIu64 " %s finding%s, the worst: %s.", n,
                   hi ? "high or critical" : "low or medium",
                   n == 1 ? "" : "s",
                   c->it[worst].f->title ? c->it[worst].f->title
                                         : "(untitled)");
}

int
vg_correlate_finish(struct vg_correlate *c)
{
    int rc;

    if (c->finished) {
        return VG_EINVAL;
    }
    c->finished = 1;
    rc = link_keys(c);
    if (rc == VG_OK) {
        link_files(c);
        rc = build_incidents(c);
    }
    for (size_t i = 0; rc == VG_OK && i < c->n; i++) {
        const char *h = c->it[i].f->host ? c->it[i].f->host : "";
        rc = vg_map_put(&c->hosts, h, strlen(h), c);
        rc = rc == VG_ELIMIT ? VG_OK : rc;
    }
    if (rc == VG_OK) {
        decide(c);
    }
    return rc;
}

static int
emit_incident(const struct vg_correlate *c, const struct incident *x,
              size_t num, vg_finding_fn *fn, void *arg)
{
    static const char *const tech[] = {"T1219"};
    const struct vg_finding *w = c->it[x->worst].f;
    char id[32];
    struct vg_kv extra[1] = {{"incident", id}};
    struct vg_finding f = {
        .time_us = x->time_us,
        .host = c->it[x->root].f->host,
        .module = "correlate",
        .severity = x->sev,
        .score = vg_severity_score(x->sev),
        .title = x->title,
        .reason = x->reason,
        .remediation = w->remediation ? w->remediation
                                      : "Investigate the linked findings "
                                        "together, starting with the worst.",
        .rule = {.id = "vigil.incident", .name = "Correlated incident",
                 .source = "vigil"},
        .evidence = {.offset = VG_OFFSET_NONE, .values = x->kv,
                     .n_values = x->n_kv},
        .techniques = tech,
        .n_techniques = 1,
        .extra = extra,
        .n_extra = 1,
    };
    (void)snprintf(id, sizeof(id), "INC-%zu", num);
    return fn(&f, arg);
}

/* One kept finding with its incident and fold count added. */
static int
emit_item(const struct item *it, vg_finding_fn *fn, void *arg)
{
    struct vg_finding f = *it->f;
    struct vg_kv *x = NULL;
    char inc[32], dups[32];
    int rc;

    if (it->incident == 0 && it->dups == 1) {
        return fn(&f, arg);
    }
    x = vg_reallocarray(NULL, f.n_extra + 2, sizeof(*x));
    if (x == NULL) {
        return VG_ENOMEM;
    }
    if (f.n_extra) {
        memcpy(x, f.extra, f.n_extra * sizeof(*x));
    }
    if (it->incident) {
        (void)snprintf(inc, sizeof(inc), "INC-%zu", it->incident);
        x[f.n_extra++] = (struct vg_kv){"incident", inc};
    }
    if (it->dups > 1) {
        (void)snprintf(dups, sizeof(dups), "%" PRIu64, it->dups);
        x[f.n_extra++] = (struct vg_kv){"duplicates", dups};
    }
    f.extra = x;
    rc = fn(&f, arg);
    vg_free(x);
    return rc;
}

static const struct item *sort_base; /* qsort has no argument; one
                                         sort at a time (single owner) */

static int
by_time(const void *a, const void *b)
{
    size_t x = *(const size_t *)a, y = *(const size_t *)b;
    int64_t tx = sort_base[x].f->time_us, ty = sort_base[y].f->time_us;
    int nx = tx == VG_TIME_NONE, ny = ty == VG_TIME_NONE;

    if (nx != ny) {
        return nx - ny; /* untimed last */
    }
    if (!nx && tx != ty) {
        return tx < ty ? -1 : 1;
    }
    return x < y ? -1 : (x > y);
}

static int
emit_all(const struct vg_correlate *c, int timeline, vg_finding_fn *fn,
         void *arg)
{
    size_t *order = NULL;
    int rc = VG_OK;

    for (int s = VG_SEV_CRITICAL; s >= VG_SEV_INFO && rc == VG_OK; s--) {
        for (size_t i = 0; i < c->n_inc && rc == VG_OK; i++) {
            if ((int)c->inc[i].sev == s) {
                rc = emit_incident(c, &c->inc[i], i + 1, fn, arg);
            }
        }
    }
    if (timeline && c->n > 0) {
        order = vg_reallocarray(NULL, c->n, sizeof(*order));
        if (order == NULL) {
            return VG_ENOMEM;
        }
        for (size_t i = 0; i < c->n; i++) {
            order[i] = i;
        }
        sort_base = c->it;
        qsort(order, c->n, sizeof(*order), by_time);
    }
    for (size_t i = 0; i < c->n && rc == VG_OK; i++) {
        rc = emit_item(&c->it[order ? order[i] : i], fn, arg);
    }
    vg_free(order);
    if (rc == VG_OK && c->dropped) {
        char msg[128];
        struct vg_finding f = {
            .time_us = VG_TIME_NONE,
            .module = "correlate",
            .severity = VG_SEV_INFO,
            .title = "Findings over the correlation limit were not kept",
            .reason = msg,
            .remediation = "Narrow the scan or raise --min-severity.",
            .rule = {.id = "vigil.correlate.limit", .source = "vigil"},
            .evidence = {.offset = VG_OFFSET_NONE},
        };
        (void)snprintf(msg, sizeof(msg),
                       "%" PRIu64 " findings past %u were counted only",
                       c->dropped, VG_CORRELATE_MAX);
        rc = fn(&f, arg);
    }
    return rc;
}

int
vg_correlate_emit(const struct vg_correlate *c, vg_finding_fn *fn, void *arg)
{
    return emit_all(c, 0, fn, arg);
}

int
vg_correlate_emit_timeline(const struct vg_correlate *c, vg_finding_fn *fn,
                           void *arg)
{
    return emit_all(c, 1, fn, arg);
}

const char *
vg_correlate_verdict(const struct vg_correlate *c)
{
    return c->verdict;
}

const char *
vg_correlate_reason(const struct vg_correlate *c)
{
    return c->reason;
}

size_t
vg_correlate_incident_count(const struct vg_correlate *c)
{
    return c->n_inc;
}

size_t
vg_correlate_kept(const struct vg_correlate *c)
{
    return c->n;
}

uint64_t
vg_correlate_folded(const struct vg_correlate *c)
{
    return c->folded;
}

size_t
vg_correlate_hosts(const struct vg_correlate *c)
{
    return c->hosts.count;
}
