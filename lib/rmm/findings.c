/* SPDX-License-Identifier: Apache-2.0 */
/*
 * findings.c - turns an RMM inventory into findings: one "inventory" record
 * per tool instance (info), then the checks: unapproved tool, unknown relay,
 * unapproved instance, several instances of one tool, vulnerable version,
 * unusual install location, recent install, AnyDesk unattended password,
 * ScreenConnect server web shells, and sessions/connections from addresses
 * the caller's IOC callback knows. Each check is one small function; the
 * table at the bottom runs them in a fixed order so output is stable.
 *
 * Not done here: gathering evidence (scan.c), printing (the report writer).
 */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "core/str.h"
#include "rmm/policy.h"
#include "rmm/rmm_int.h"
#include "vigil/time.h"

#include "core/banned.h"

static const char *const t1219[] = {"T1219"};
static const char *const t1505[] = {"T1505.003", "T1190"};

struct fctx {
    const struct vg_rmm_catalog *c;
    const struct vg_rmm_result *r;
    const struct vg_rmm_policy *p;
    const struct vg_rmm_opts *o;
    vg_finding_fn *fn;
    void *arg;
    int64_t now_us;
    int recent_days;
};

struct kvs {
    struct vg_kv kv[24];
    size_t n;
};

static void
add(struct kvs *k, const char *key, const char *v)
{
    if (v != NULL && v[0] != '\0' && k->n < VG_ARRAY_LEN(k->kv))
        k->kv[k->n++] = (struct vg_kv){key, v};
}

static const struct rmm_tool *
tool_of(const struct fctx *f, const struct vg_rmm_item *it)
{
    return rmm_catalog_find(f->c, it->tool_id);
}

/* Base finding for an item: module, rule source, evidence path, values. */
static void
base(struct vg_finding *v, const struct vg_rmm_item *it, struct kvs *k,
     const char *id, const char *name)
{
    memset(v, 0, sizeof(*v));
    v->time_us = VG_TIME_NONE;
    v->module = "rmm";
    v->rule.id = id;
    v->rule.name = name;
    v->rule.source = "vigil";
    v->evidence.path = it->n_evidence > 0 ? it->evidence[0] : it->where;
    v->evidence.offset = VG_OFFSET_NONE;
    v->techniques = t1219;
    v->n_techniques = 1;
    add(k, "tool", it->tool_id);
    add(k, "instance", it->instance);
    add(k, "version", it->version);
    add(k, "relay", it->relay);
    v->evidence.values = k->kv;
    v->evidence.n_values = k->n;
}

static int64_t
last_session(const struct vg_rmm_item *it, size_t *idx)
{
    int64_t best = VG_TIME_NONE;
    *idx = SIZE_MAX;
    for (size_t i = 0; i < it->n_sessions; i++)
        if (it->sessions[i].time_us != VG_TIME_NONE &&
            (best == VG_TIME_NONE || it->sessions[i].time_us > best)) {
            best = it->sessions[i].time_us;
            *idx = i;
        }
    if (*idx == SIZE_MAX && it->n_sessions > 0)
        *idx = it->n_sessions - 1;
    return best;
}

static int
f_inventory(struct fctx *f, const struct vg_rmm_item *it)
{
    struct vg_finding v;
    struct kvs k = {.n = 0}, x = {.n = 0};
    char title[512], relay[300], nses[32], inst[32], last[VG_ISO_TIME_LEN + 80];
    base(&v, it, &k, "vigil.rmm.inventory", "Remote-access tool present");
    v.severity = VG_SEV_INFO;
    (void)snprintf(title, sizeof(title), "%s%s%s", it->tool_name,
                   it->version != NULL ? " " : "",
                   it->version != NULL ? it->version : "");
    v.title = title;
    v.reason = it->server ? "remote-access server software is installed"
                          : "remote-access software is installed or ran here";
    relay[0] = '\0';
    if (it->relay != NULL)
        (void)snprintf(relay, sizeof(relay), "%s%s%s", it->relay,
                       it->port != NULL ? ":" : "",
                       it->port != NULL ? it->port : "");
    size_t li;
    int64_t lt = last_session(it, &li);
    last[0] = '\0';
    if (li != SIZE_MAX) {
        char ts[VG_ISO_TIME_LEN] = "";
        (void)vg_time_format(lt, ts);
        const struct vg_rmm_session *s = &it->sessions[li];
        (void)snprintf(last, sizeof(last), "%s %s", ts[0] ? ts : "?",
                       s->remote_ip != NULL   ? s->remote_ip
                       : s->remote_id != NULL ? s->remote_id
                                              : "");
        v.time_us = lt;
    }
    (void)snprintf(nses, sizeof(nses), "%zu", it->n_sessions);
    add(&x, "where", it->where);
    add(&x, "persist", it->persist);
    add(&x, "relay_port", relay);
    add(&x, "hosting",
        it->cloud == 1   ? "vendor cloud"
        : it->cloud == 0 ? "self-hosted"
                         : NULL);
    add(&x, "session_type", it->session_type);
    add(&x, "key_fp", it->key_fp);
    add(&x, "local_id", it->local_id);
    add(&x, "version_source", it->version_src);
    add(&x, "sessions", it->n_sessions > 0 ? nses : NULL);
    add(&x, "last_incoming", last);
    add(&x, "server_users", it->server_users);
    add(&x, "unattended_password", it->unattended_pw ? "set" : NULL);
    (void)snprintf(inst, sizeof(inst), "%zu", it->n_conns);
    add(&x, "connections", it->n_conns > 0 ? inst : NULL);
    for (size_t i = 0; i < it->n_conns && i < 4; i++)
        add(&x, "connection", it->conns[i].remote);
    v.extra = x.kv;
    v.n_extra = x.n;
    return f->fn(&v, f->arg);
}

static int
emit(struct fctx *f, const struct vg_rmm_item *it, const char *id,
     const char *name, enum vg_severity sev, const char *title,
     const char *reason, const char *remed)
{
    struct vg_finding v;
    struct kvs k = {.n = 0};
    base(&v, it, &k, id, name);
    v.severity = sev;
    v.title = title;
    v.reason = reason;
    v.remediation = remed;
    return f->fn(&v, f->arg);
}

static int
f_unapproved(struct fctx *f, const struct vg_rmm_item *it)
{
    if (f->p == NULL || rmm_sv_has(&f->p->tools, it->tool_id))
        return VG_OK;
    const struct rmm_tool *t = tool_of(f, it);
    int rat =
        t != NULL && t->category != NULL && strcmp(t->category, "rat") == 0;
    char title[300];
    (void)snprintf(title, sizeof(title), "Unapproved remote-access tool: %s",
                   it->tool_name);
    return emit(f, it, "vigil.rmm.unapproved", "Unapproved RMM tool",
                rat ? VG_SEV_HIGH : VG_SEV_MEDIUM, title,
                "the site policy does not approve this remote-access tool",
                "confirm who installed it; remove it if nobody owns it");
}

static int
f_relay(struct fctx *f, const struct vg_rmm_item *it)
{
    if (f->p == NULL || it->relay == NULL ||
        rmm_policy_relay_ok(f->p, it->relay))
        return VG_OK;
    char title[400];
    (void)snprintf(title, sizeof(title), "%s obeys an unknown relay: %s%s%s",
                   it->tool_name, it->relay, it->port != NULL ? ":" : "",
                   it->port != NULL ? it->port : "");
    return emit(f, it, "vigil.rmm.unknown-relay", "Unknown RMM relay",
                VG_SEV_HIGH, title,
                "this endpoint takes orders from a server the policy does not "
                "list",
                "block the relay, find who set it up, remove the client");
}

static int
f_instance(struct fctx *f, const struct vg_rmm_item *it)
{
    if (f->p == NULL || f->p->instances.n == 0 || it->instance == NULL ||
        rmm_sv_has(&f->p->instances, it->instance))
        return VG_OK;
    char title[300];
    (void)snprintf(title, sizeof(title), "Unapproved %s instance %s",
                   it->tool_name, it->instance);
    return emit(f, it, "vigil.rmm.unknown-instance", "Unknown RMM instance",
                VG_SEV_HIGH, title,
                "the instance id is not one of the site's own servers",
                "remove the foreign instance and its service");
}

/* Several instances of one tool: reported once, at its first item. */
static int
f_multi(struct fctx *f, const struct vg_rmm_item *it)
{
    size_t n = 0, first = SIZE_MAX;
    for (size_t i = 0; i < vg_rmm_result_count(f->r); i++) {
        const struct vg_rmm_item *o = vg_rmm_result_item(f->r, i);
        if (strcmp(o->tool_id, it->tool_id) != 0 || o->instance == NULL)
            continue;
        if (first == SIZE_MAX)
            first = i;
        n++;
    }
    if (n < 2 || vg_rmm_result_item(f->r, first) != it)
        return VG_OK;
    char title[300];
    (void)snprintf(title, sizeof(title), "%zu %s instances on one host", n,
                   it->tool_name);
    return emit(f, it, "vigil.rmm.multiple-instances",
                "Several instances of one RMM tool", VG_SEV_HIGH, title,
                "a second instance is how intruders keep access through a "
                "foreign server",
                "compare every instance id and relay with the site's own");
}

/* ver cut to as many dotted parts as ref has: "23.9.7.8804" is "23.9.7"
 * when the bound is written "<=23.9.7" (every 23.9.7 build). */
static void
cut_like(const char *ver, const char *ref, char *out, size_t cap)
{
    size_t parts = 1;
    for (const char *p = ref; *p != '\0'; p++)
        parts += *p == '.';
    size_t i = 0, seen = 1;
    for (; ver[i] != '\0' && i + 1 < cap; i++) {
        if (ver[i] == '.' && ++seen > parts)
            break;
        out[i] = ver[i];
    }
    out[i] = '\0';
}

static int
in_range(const struct rmm_vuln *v, const char *ver)
{
    char cut[64];
    if (v->lo != NULL && vg_rmm_version_cmp(ver, v->lo) < 0)
        return 0;
    if (v->hi == NULL)
        return 1;
    if (!v->hi_incl)
        return vg_rmm_version_cmp(ver, v->hi) < 0;
    cut_like(ver, v->hi, cut, sizeof(cut));
    return vg_rmm_version_cmp(cut, v->hi) <= 0;
}

static int
f_vuln(struct fctx *f, const struct vg_rmm_item *it)
{
    const struct rmm_tool *t = tool_of(f, it);
    if (t == NULL || it->version == NULL)
        return VG_OK;
    for (size_t i = 0; i < t->n_vulns; i++) {
        const struct rmm_vuln *vu = &t->vulns[i];
        if (!in_range(vu, it->version))
            continue;
        struct vg_finding v;
        struct kvs k = {.n = 0};
        char title[400];
        base(&v, it, &k, vu->ids, "Vulnerable RMM version");
        (void)snprintf(title, sizeof(title), "%s %s: %s", it->tool_name,
                       it->version, vu->ids);
        v.severity = vu->sev;
        v.title = title;
        v.reason = vu->text;
        v.remediation = "update to a fixed version or remove the tool";
        if (it->version_src != NULL)
            v.evidence.path = it->version_src;
        int rc = f->fn(&v, f->arg);
        if (rc != VG_OK)
            return rc;
    }
    return VG_OK;
}

static int
f_portable(struct fctx *f, const struct vg_rmm_item *it)
{
    if (!it->portable)
        return VG_OK;
    char title[700];
    (void)snprintf(title, sizeof(title), "%s in an unusual place: %s",
                   it->tool_name, it->where != NULL ? it->where : "?");
    struct vg_finding v;
    struct kvs k = {.n = 0};
    base(&v, it, &k, "vigil.rmm.unusual-location",
         "RMM tool outside its install folder");
    v.severity = VG_SEV_MEDIUM;
    v.title = title;
    v.reason = "portable or dropped copies are how intruders bring their "
               "own remote access";
    v.remediation = "find how the binary got there and who ran it";
    if (it->where != NULL)
        v.evidence.path = it->where;
    return f->fn(&v, f->arg);
}

static int
f_recent(struct fctx *f, const struct vg_rmm_item *it)
{
    if (it->install_us == VG_TIME_NONE || f->recent_days <= 0)
        return VG_OK;
    int64_t win = (int64_t)f->recent_days * 86400 * 1000000;
    if (it->install_us > f->now_us || f->now_us - it->install_us > win)
        return VG_OK;
    char title[300], ts[VG_ISO_TIME_LEN];
    (void)vg_time_format(it->install_us, ts);
    (void)snprintf(title, sizeof(title), "%s installed recently (%s)",
                   it->tool_name, ts);
    struct vg_finding v;
    struct kvs k = {.n = 0};
    base(&v, it, &k, "vigil.rmm.recent-install", "Recently installed RMM");
    v.time_us = it->install_us;
    v.severity = VG_SEV_MEDIUM;
    v.title = title;
    v.reason = "the tool appeared within the recent-install window";
    v.remediation = "check the change record for this install";
    return f->fn(&v, f->arg);
}

static int
f_password(struct fctx *f, const struct vg_rmm_item *it)
{
    if (!it->unattended_pw)
        return VG_OK;
    return emit(f, it, "vigil.rmm.unattended-password",
                "Unattended access password set", VG_SEV_LOW,
                "AnyDesk unattended-access password is set",
                "anyone with the password can connect without a user "
                "accepting; intruders set their own",
                "confirm the password was set by the site; rotate it");
}

static int
f_webshell(struct fctx *f, const struct vg_rmm_item *it)
{
    for (size_t i = 0; i < it->n_webshells; i++) {
        struct vg_finding v;
        struct kvs k = {.n = 0};
        char title[700];
        base(&v, it, &k, "vigil.rmm.sc-webshell",
             "ScreenConnect App_Extensions web shell");
        (void)snprintf(title, sizeof(title),
                       "Web shell in ScreenConnect App_Extensions: %s",
                       it->webshells[i]);
        v.severity = VG_SEV_CRITICAL;
        v.title = title;
        v.reason = "legitimate extensions live in sub-folders; a page in the "
                   "root is the CVE-2024-1708 exploitation pattern";
        v.remediation = "take the server offline, preserve it, rebuild";
        v.evidence.path = it->webshells[i];
        v.techniques = t1505;
        v.n_techniques = 2;
        int rc = f->fn(&v, f->arg);
        if (rc != VG_OK)
            return rc;
    }
    return VG_OK;
}

static int
ioc_hit(struct fctx *f, const struct vg_rmm_item *it, const char *addr,
        int64_t t, const char *src)
{
    char ip[80], title[400];
    rmm_copy(ip, sizeof(ip), addr, strlen(addr));
    /* "[::1]:443" / "1.2.3.4:443" -> bare address for the IOC lookup */
    char *c = strrchr(ip, ':');
    if (ip[0] == '[') {
        char *e = strchr(ip, ']');
        if (e != NULL)
            *e = '\0';
        memmove(ip, ip + 1, strlen(ip));
    } else if (c != NULL && strchr(ip, ':') == c) {
        *c = '\0';
    }
    if (!f->o->ioc_addr(f->o->ioc_arg, ip))
        return VG_OK;
    struct vg_finding v;
    struct kvs k = {.n = 0};
    base(&v, it, &k, "vigil.rmm.ioc-session",
         "RMM session with an IOC address");
    add(&k, "remote_ip", ip);
    v.evidence.n_values = k.n;
    (void)snprintf(title, sizeof(title), "%s session with IOC address %s",
                   it->tool_name, ip);
    v.time_us = t;
    v.severity = VG_SEV_CRITICAL;
    v.title = title;
    v.reason = "an incoming remote session came from a known-bad address";
    v.remediation = "treat the host as compromised; scope the session";
    if (src != NULL)
        v.evidence.path = src;
    return f->fn(&v, f->arg);
}

static int
f_ioc(struct fctx *f, const struct vg_rmm_item *it)
{
    if (f->o == NULL || f->o->ioc_addr == NULL)
        return VG_OK;
    int rc = VG_OK;
    for (size_t i = 0; rc == VG_OK && i < it->n_sessions; i++)
        if (it->sessions[i].remote_ip != NULL)
            rc = ioc_hit(f, it, it->sessions[i].remote_ip,
                         it->sessions[i].time_us, it->sessions[i].source);
    for (size_t i = 0; rc == VG_OK && i < it->n_conns; i++)
        rc = ioc_hit(f, it, it->conns[i].remote, VG_TIME_NONE, NULL);
    return rc;
}

typedef int check_fn(struct fctx *f, const struct vg_rmm_item *it);
static check_fn *const checks[] = {
    f_inventory, f_unapproved, f_relay,    f_instance, f_multi, f_vuln,
    f_portable,  f_recent,     f_password, f_webshell, f_ioc,
};

int
vg_rmm_findings(const struct vg_rmm_catalog *c, const struct vg_rmm_result *r,
                const struct vg_rmm_policy *p, const struct vg_rmm_opts *opts,
                vg_finding_fn *fn, void *arg)
{
    struct fctx f = {c, r, p, opts, fn, arg, 0, 7};
    if (opts != NULL && opts->now_us != 0) {
        f.now_us = opts->now_us;
    } else {
        struct timespec ts;
        (void)clock_gettime(CLOCK_REALTIME, &ts);
        f.now_us = (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
    }
    if (p != NULL && p->recent_days >= 0)
        f.recent_days = p->recent_days;
    else if (opts != NULL && opts->recent_days > 0)
        f.recent_days = opts->recent_days;
    for (size_t i = 0; i < vg_rmm_result_count(r); i++) {
        const struct vg_rmm_item *it = vg_rmm_result_item(r, i);
        for (size_t k = 0; k < VG_ARRAY_LEN(checks); k++) {
            int rc = checks[k](&f, it);
            if (rc != VG_OK)
                return rc;
        }
    }
    return VG_OK;
}
