/* SPDX-License-Identifier: Apache-2.0 */
/*
 * scan.c - the RMM inventory of one evidence root: probes every catalog path
 * (never a full walk), reads the registry hives of an offline Windows root,
 * optionally the live host's processes (live.c), and folds what it finds
 * into one item per tool instance (a ScreenConnect instance is its 16-hex
 * id). Tool specifics live in small tables and parse.c; this file only
 * routes evidence to them.
 *
 * Not done here: deciding what is bad (findings.c), printing (cli/).
 */
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "core/alloc.h"
#include "core/str.h"
#include "rmm/rmm_int.h"
#include "vigil/time.h"

#include "core/banned.h"

#define PE_MAX_READ (256u << 20) /* largest binary read for its version */

struct vg_rmm_result {
    struct rmm_item **items;
    size_t n, cap;
    uint64_t errors, probed, patterns;
};

struct rmm_scan {
    const struct vg_rmm_catalog *c;
    const struct vg_rmm_opts *o;
    const struct vg_ctx *ctx;
    struct rmm_root *root;
    struct vg_rmm_result *res;
    char sc_temp_ver[64];
    int fatal; /* VG_ENOMEM seen */
};

/* ---- items -------------------------------------------------------------- */

void
rmm_item_init(struct rmm_item *it, size_t tool)
{
    memset(it, 0, sizeof(*it));
    it->tool = tool;
    it->cloud = -1;
    it->install_us = VG_TIME_NONE;
    it->last_seen_us = VG_TIME_NONE;
}

void
rmm_item_fini(struct rmm_item *it)
{
    rmm_sv_free(&it->evidence);
    rmm_sv_free(&it->webshells);
    for (size_t i = 0; i < it->n_ses; i++)
        vg_free(it->ses[i].source);
    vg_free(it->ses);
    vg_free(it->conns);
    vg_free(it->pub_ses);
    vg_free(it->pub_conns);
}

void
rmm_item_set(char *field, size_t cap, const char *v)
{
    if (field[0] == '\0' && v != NULL && v[0] != '\0')
        rmm_copy(field, cap, v, strlen(v));
}

void
rmm_item_version(struct rmm_item *it, const char *v, size_t n, const char *src,
                 int prio)
{
    if (v == NULL || n == 0 || prio <= it->ver_prio)
        return;
    /* "15.58.4 (x64)": keep the dotted number only */
    size_t k = 0;
    while (k < n &&
           ((v[k] >= '0' && v[k] <= '9') || v[k] == '.' || v[k] == ','))
        k++;
    if (k == 0)
        return;
    rmm_copy(it->version, sizeof(it->version), v, k);
    for (char *c = it->version; *c != '\0'; c++)
        if (*c == ',')
            *c = '.';
    rmm_copy(it->version_src, sizeof(it->version_src), src, strlen(src));
    it->ver_prio = prio;
}

void
rmm_item_install_time(struct rmm_item *it, int64_t us)
{
    /* the oldest trace is the install; later writes are updates */
    if (us != VG_TIME_NONE && us > 0 &&
        (it->install_us == VG_TIME_NONE || us < it->install_us))
        it->install_us = us;
}

int
rmm_item_evidence(struct rmm_item *it, const char *what)
{
    if (rmm_sv_has(&it->evidence, what) || it->evidence.n >= RMM_MAX_EVIDENCE)
        return VG_OK;
    int rc = rmm_sv_add(&it->evidence, what, strlen(what));
    return rc == VG_ELIMIT ? VG_OK : rc;
}

int
rmm_item_session(struct rmm_item *it, const struct rmm_ses *s)
{
    if (it->n_ses >= RMM_MAX_SESSIONS)
        return VG_ELIMIT;
    if (it->n_ses == it->cap_ses) {
        size_t nc = it->cap_ses ? it->cap_ses * 2 : 8;
        struct rmm_ses *v = vg_reallocarray(it->ses, nc, sizeof(*v));
        if (v == NULL)
            return VG_ENOMEM;
        it->ses = v;
        it->cap_ses = nc;
    }
    struct rmm_ses *d = &it->ses[it->n_ses];
    *d = *s;
    d->source = s->source != NULL ? vg_strdup(s->source) : NULL;
    if (s->source != NULL && d->source == NULL)
        return VG_ENOMEM;
    it->n_ses++;
    return VG_OK;
}

static int
publish(struct rmm_item *it, const struct vg_rmm_catalog *c)
{
#define S(f) (it->f[0] != '\0' ? it->f : NULL)
    const struct rmm_tool *t = &c->tools[it->tool];
    struct vg_rmm_item *p = &it->pub;
    memset(p, 0, sizeof(*p));
    p->tool_id = t->id;
    p->tool_name = t->name;
    p->instance = S(instance);
    p->version = S(version);
    p->version_src = S(version_src);
    p->where = S(where);
    p->persist = S(persist);
    p->relay = S(relay);
    p->port = S(port);
    p->session_type = S(session_type);
    p->key_fp = S(key_fp);
    p->local_id = S(local_id);
    p->server_users = S(server_users);
#undef S
    p->cloud = it->cloud;
    p->server = it->server;
    p->unattended_pw = it->unattended_pw;
    p->portable = it->portable;
    p->install_us = it->install_us;
    p->evidence = (const char *const *)it->evidence.v;
    p->n_evidence = it->evidence.n;
    p->webshells = (const char *const *)it->webshells.v;
    p->n_webshells = it->webshells.n;
    if (it->n_ses > 0) {
        it->pub_ses = vg_calloc(it->n_ses, sizeof(*it->pub_ses));
        if (it->pub_ses == NULL)
            return VG_ENOMEM;
        for (size_t i = 0; i < it->n_ses; i++) {
            const struct rmm_ses *s = &it->ses[i];
            it->pub_ses[i] = (struct vg_rmm_session){
                s->time_us,
                "incoming",
                s->remote_id[0] != '\0' ? s->remote_id : NULL,
                s->remote_ip[0] != '\0' ? s->remote_ip : NULL,
                s->auth[0] != '\0' ? s->auth : NULL,
                s->source,
                s->line,
            };
        }
    }
    if (it->n_conns > 0) {
        it->pub_conns = vg_calloc(it->n_conns, sizeof(*it->pub_conns));
        if (it->pub_conns == NULL)
            return VG_ENOMEM;
        for (size_t i = 0; i < it->n_conns; i++)
            it->pub_conns[i] =
                (struct vg_rmm_conn){it->conns[i].local, it->conns[i].remote,
                                     it->conns[i].state, it->conns[i].pid};
    }
    p->sessions = it->pub_ses;
    p->n_sessions = it->n_ses;
    p->conns = it->pub_conns;
    p->n_conns = it->n_conns;
    return VG_OK;
}

/* ---- scan plumbing ------------------------------------------------------ */

struct rmm_item *
rmm_scan_item(struct rmm_scan *s, size_t tool, const char *instance)
{
    struct vg_rmm_result *r = s->res;
    const char *inst = instance != NULL ? instance : "";
    for (size_t i = 0; i < r->n; i++)
        if (r->items[i]->tool == tool &&
            strcmp(r->items[i]->instance, inst) == 0)
            return r->items[i];
    if (r->n >= RMM_MAX_ITEMS)
        return NULL;
    if (r->n == r->cap) {
        size_t nc = r->cap ? r->cap * 2 : 16;
        struct rmm_item **v = vg_reallocarray(r->items, nc, sizeof(*v));
        if (v == NULL) {
            s->fatal = VG_ENOMEM;
            return NULL;
        }
        r->items = v;
        r->cap = nc;
    }
    struct rmm_item *it = vg_malloc(sizeof(*it));
    if (it == NULL) {
        s->fatal = VG_ENOMEM;
        return NULL;
    }
    rmm_item_init(it, tool);
    rmm_copy(it->instance, sizeof(it->instance), inst, strlen(inst));
    r->items[r->n++] = it;
    return it;
}

const struct vg_rmm_catalog *
rmm_scan_catalog(const struct rmm_scan *s)
{
    return s->c;
}

const struct vg_ctx *
rmm_scan_ctx(const struct rmm_scan *s)
{
    return s->ctx;
}

void
rmm_scan_error(struct rmm_scan *s)
{
    s->res->errors++;
}

size_t
rmm_match_bin(const struct vg_rmm_catalog *c, const char *base)
{
    for (size_t i = 0; i < c->n; i++)
        for (size_t j = 0; j < c->tools[i].bins.n; j++)
            if (rmm_glob(c->tools[i].bins.v[j], base))
                return i;
    return SIZE_MAX;
}

static size_t
tool_index(const struct rmm_scan *s, const struct rmm_tool *t)
{
    return (size_t)(t - s->c->tools);
}

static int
is_sc(const struct rmm_tool *t)
{
    return t->extract != NULL && strcmp(t->extract, "screenconnect") == 0;
}

/* Instance id from any path component ("ScreenConnect Client (<hex>)",
 * "connectwisecontrol-<hex>"). */
static void
path_instance(const char *path, char out[40])
{
    out[0] = '\0';
    char comp[256];
    const char *p = path;
    while (*p != '\0') {
        const char *s = p;
        while (*s != '\0' && *s != '/' && *s != '\\')
            s++;
        rmm_copy(comp, sizeof(comp), p, (size_t)(s - p));
        if ((rmm_glob("*Client (*)*", comp) ||
             rmm_glob("connectwisecontrol-*", comp) ||
             rmm_glob("screenconnect-*", comp)) &&
            rmm_sc_instance_from(comp, out))
            return;
        p = *s != '\0' ? s + 1 : s;
    }
}

/* Installs outside Program Files: portable runs and dropped copies. */
static int
unusual_place(const char *path)
{
    static const char *const bad[] = {
        "*/appdata/*",    "*\\appdata\\*",    "*/temp/*",
        "*\\temp\\*",     "*/tmp/*",          "tmp/*",
        "*/downloads/*",  "*\\downloads\\*",  "*/desktop/*",
        "*\\desktop\\*",  "*/users/public/*", "*\\users\\public\\*",
        "*/dev/shm/*",    "*/perflogs/*",     "*\\perflogs\\*",
        "*$recycle.bin*", "*/var/tmp/*",      "*\\documents\\*",
        "*/documents/*",
    };
    for (size_t i = 0; i < VG_ARRAY_LEN(bad); i++)
        if (rmm_glob(bad[i], path))
            return 1;
    return 0;
}

static void
scan_log(struct rmm_scan *s, enum vg_log_level lv, const char *rel,
         const char *what)
{
    vg_log(s->ctx, lv, "rmm", "%s/%s: %s", rmm_root_path(s->root), rel, what);
}

/* ---- file evidence ------------------------------------------------------ */

static void
read_pe(struct rmm_scan *s, struct rmm_item *it, const char *rel)
{
    char *buf;
    size_t n;
    int64_t mt, bt;
    if (rmm_root_read(s->root, rel, PE_MAX_READ, &buf, &n, &mt, &bt) != VG_OK) {
        scan_log(s, VG_LOG_WARN, rel, "cannot read");
        rmm_scan_error(s);
        return;
    }
    rmm_item_install_time(it, mt);
    struct vg_rmm_pe_version pv;
    struct vg_diag d;
    vg_diag_clear(&d);
    if (vg_rmm_pe_version((const uint8_t *)buf, n, &pv, &d) == VG_OK) {
        const char *v = pv.str_file_version[0] != '\0' ? pv.str_file_version
                                                       : pv.file_version;
        rmm_item_version(it, v, strlen(v), rel, RMM_VER_PE);
    } else if (d.msg[0] != '\0') {
        char m[VG_DIAG_MSG_MAX + 32];
        (void)snprintf(m, sizeof(m), "no version: %s", d.msg);
        scan_log(s, VG_LOG_INFO, rel, m);
    }
    vg_free(buf);
}

static int
wants_text(const struct rmm_tool *t, const char *base)
{
    if (rmm_parse_known(base))
        return 1;
    for (size_t i = 0; i < t->n_ses; i++)
        if (rmm_glob(t->ses[i].file, base))
            return 1;
    return 0;
}

static void
read_text(struct rmm_scan *s, const struct rmm_tool *t, struct rmm_item *it,
          const char *rel)
{
    char *buf;
    size_t n;
    int64_t mt, bt;
    /* a log or config no parser reads is evidence by its presence alone;
     * reading it (maybe a large binary) would only cost time */
    if (!wants_text(t, rmm_basename(rel)))
        return;
    if (rmm_root_read(s->root, rel, RMM_MAX_FILE, &buf, &n, &mt, &bt) !=
        VG_OK) {
        scan_log(s, VG_LOG_WARN, rel, "cannot read");
        rmm_scan_error(s);
        return;
    }
    if (mt != VG_TIME_NONE &&
        (it->last_seen_us == VG_TIME_NONE || mt > it->last_seen_us))
        it->last_seen_us = mt;
    const char *base = rmm_basename(rel);
    (void)rmm_parse_file(it, base, buf, n, rel);
    for (size_t i = 0; i < t->n_ses; i++)
        if (rmm_glob(t->ses[i].file, base))
            (void)rmm_parse_sesrule(it, t->ses[i].word, buf, n, rel);
    vg_free(buf);
}

/* a + "/" + b into out; 0 (and out = "") when it does not fit. */
static int
join(char *out, size_t cap, const char *a, const char *b)
{
    size_t la = strlen(a), lb = strlen(b);
    if (la + lb + 2 > cap) {
        out[0] = '\0';
        return 0;
    }
    memcpy(out, a, la);
    out[la] = '/';
    memcpy(out + la + 1, b, lb + 1);
    return 1;
}

static int
is_webshell(const char *name)
{
    static const char *const ext[] = {"*.aspx", "*.ashx",   "*.asmx",
                                      "*.asp",  "*.cshtml", "*.asax",
                                      "*.php",  "*.jsp",    "*.config"};
    for (size_t i = 0; i < VG_ARRAY_LEN(ext); i++)
        if (rmm_glob(ext[i], name))
            return 1;
    return 0;
}

static int
child_exists(struct rmm_scan *s, const char *rel, const char *name,
             int want_dir)
{
    char **names;
    unsigned char *dirs;
    size_t n;
    if (rmm_root_list(s->root, rel, &names, &dirs, &n) != VG_OK)
        return 0;
    for (size_t i = 0; i < n; i++)
        if (rmm_glob(name, names[i]) && dirs[i] == want_dir)
            return 1;
    return 0;
}

/* A ScreenConnect server folder: Bin\ScreenConnect.Service.exe, App_Data
 * (User.xml) and web shells in the root of App_Extensions. */
static void
sc_server(struct rmm_scan *s, const struct rmm_tool *t, const char *rel)
{
    char sub[1024];
    (void)join(sub, sizeof(sub), rel, "Bin");
    if (!child_exists(s, sub, "ScreenConnect.Service.exe", 0) &&
        !child_exists(s, rel, "App_Data", 1))
        return; /* a folder of the same name, not a server */
    struct rmm_item *it = rmm_scan_item(s, tool_index(s, t), NULL);
    if (it == NULL)
        return;
    it->server = 1;
    rmm_item_set(it->where, sizeof(it->where), rel);
    (void)rmm_item_evidence(it, rel);
    (void)join(sub, sizeof(sub), rel, "Bin/ScreenConnect.Service.exe");
    if (child_exists(s, rel, "Bin", 1))
        read_pe(s, it, sub);
    (void)join(sub, sizeof(sub), rel, "App_Data/User.xml");
    char **names;
    unsigned char *dirs;
    size_t n;
    char dir[1024];
    (void)join(dir, sizeof(dir), rel, "App_Data");
    if (child_exists(s, dir, "User.xml", 0)) {
        read_text(s, t, it, sub);
        (void)rmm_item_evidence(it, sub);
    }
    (void)join(dir, sizeof(dir), rel, "App_Extensions");
    if (rmm_root_list(s->root, dir, &names, &dirs, &n) != VG_OK)
        return;
    for (size_t i = 0; i < n; i++) {
        if (dirs[i] || !is_webshell(names[i]))
            continue;
        if (!join(sub, sizeof(sub), dir, names[i]))
            continue;
        if (!rmm_sv_has(&it->webshells, sub))
            (void)rmm_sv_add(&it->webshells, sub, strlen(sub));
    }
}

struct pctx {
    struct rmm_scan *s;
    const struct rmm_tool *t;
    const struct rmm_path *p;
};

static int
on_path(void *arg, const char *rel, int is_dir)
{
    struct pctx *pc = arg;
    struct rmm_scan *s = pc->s;
    const struct rmm_tool *t = pc->t;
    s->res->probed++;
    if (pc->p->kind == RMM_K_SERVER) {
        if (is_dir && t->extract != NULL &&
            strcmp(t->extract, "screenconnect-server") == 0)
            sc_server(s, t, rel);
        else if (is_dir) {
            struct rmm_item *it = rmm_scan_item(s, tool_index(s, t), NULL);
            if (it != NULL) {
                it->server = 1;
                rmm_item_set(it->where, sizeof(it->where), rel);
                (void)rmm_item_evidence(it, rel);
            }
        }
        return s->fatal;
    }
    char inst[40] = "";
    if (is_sc(t))
        path_instance(rel, inst);
    if (pc->p->kind == RMM_K_DATA) {
        /* C:\Windows\Temp\ScreenConnect\<version>\: shared by instances */
        if (is_sc(t) && is_dir && rmm_glob("Windows/Temp/ScreenConnect/*", rel))
            rmm_item_set(s->sc_temp_ver, sizeof(s->sc_temp_ver),
                         rmm_basename(rel));
        if (is_sc(t) && inst[0] == '\0')
            return VG_OK;
    }
    struct rmm_item *it = rmm_scan_item(s, tool_index(s, t), inst);
    if (it == NULL)
        return s->fatal;
    (void)rmm_item_evidence(it, rel);
    switch (pc->p->kind) {
    case RMM_K_INSTALL:
        rmm_item_set(it->where, sizeof(it->where), rel);
        if (unusual_place(rel))
            it->portable = 1;
        if (!is_dir && (rmm_glob("*.exe", rel) || rmm_glob("*.dll", rel)))
            read_pe(s, it, rel);
        else if (!is_dir)
            read_text(s, t, it, rel); /* ClientLaunchParameters.txt, ... */
        break;
    case RMM_K_CONFIG:
    case RMM_K_LOG:
        if (!is_dir)
            read_text(s, t, it, rel);
        break;
    case RMM_K_UNIT: {
        char b[600];
        (void)snprintf(b, sizeof(b), "unit:%s", rel);
        rmm_item_set(it->persist, sizeof(it->persist), b);
        break;
    }
    default:
        break;
    }
    return s->fatal;
}

static void
probe_paths(struct rmm_scan *s)
{
    for (size_t i = 0; i < s->c->n && !s->fatal; i++) {
        const struct rmm_tool *t = &s->c->tools[i];
        for (size_t j = 0; j < t->n_paths && !s->fatal; j++) {
            struct pctx pc = {s, t, &t->paths[j]};
            s->res->patterns++;
            int rc = rmm_root_glob(s->root, t->paths[j].pat, on_path, &pc);
            if (rc == VG_ENOMEM)
                s->fatal = rc;
        }
        if (vg_ctx_cancelled(s->ctx))
            s->fatal = VG_ECANCELED;
    }
}

/* ---- registry evidence -------------------------------------------------- */

/* "C:\Program Files\x\a.exe" -> the registry's own spelling is kept; only
 * the executable part of a command line is used. */
static size_t
match_service(const struct vg_rmm_catalog *c, const struct vg_rmm_service *sv,
              char *exe, size_t cap)
{
    exe[0] = '\0';
    if (sv->image_path != NULL)
        rmm_cmd_exe(sv->image_path, exe, cap);
    for (size_t i = 0; i < c->n; i++)
        for (size_t j = 0; j < c->tools[i].svcs.n; j++)
            if (rmm_glob(c->tools[i].svcs.v[j], sv->name) ||
                (sv->display != NULL &&
                 rmm_glob(c->tools[i].svcs.v[j], sv->display)))
                return i;
    /* drivers (type 1, 2) name no user-mode binary worth matching */
    if (exe[0] != '\0' && (sv->type == UINT32_MAX || sv->type >= 0x10))
        return rmm_match_bin(c, rmm_basename(exe));
    return SIZE_MAX;
}

static int
on_service(void *arg, const struct vg_rmm_service *sv)
{
    struct rmm_scan *s = arg;
    char exe[512], inst[40] = "", b[600];
    size_t ti = match_service(s->c, sv, exe, sizeof(exe));
    if (ti == SIZE_MAX)
        return VG_OK;
    const struct rmm_tool *t = &s->c->tools[ti];
    if (is_sc(t) && !rmm_sc_instance_from(sv->name, inst))
        path_instance(exe, inst);
    struct rmm_item *it = rmm_scan_item(s, ti, inst);
    if (it == NULL)
        return s->fatal;
    static const char *const start[] = {"boot", "system", "auto", "manual",
                                        "disabled"};
    (void)snprintf(b, sizeof(b), "service:%s (%s)", sv->name,
                   sv->start < 5 ? start[sv->start] : "start ?");
    rmm_item_set(it->persist, sizeof(it->persist), b);
    rmm_item_set(it->where, sizeof(it->where), exe);
    if (unusual_place(exe))
        it->portable = 1;
    (void)snprintf(b, sizeof(b), "SYSTEM\\Services\\%s", sv->name);
    (void)rmm_item_evidence(it, b);
    rmm_item_install_time(it, sv->time_us);
    if (sv->image_path != NULL)
        (void)rmm_parse_file(it, "user.config", sv->image_path,
                             strlen(sv->image_path), b);
    return s->fatal;
}

static size_t
match_program(const struct vg_rmm_catalog *c, const char *name)
{
    for (size_t i = 0; i < c->n; i++)
        for (size_t j = 0; j < c->tools[i].uninst.n; j++)
            if (rmm_glob(c->tools[i].uninst.v[j], name))
                return i;
    return SIZE_MAX;
}

static int
on_program(void *arg, const struct vg_rmm_program *p)
{
    struct rmm_scan *s = arg;
    if (p->name == NULL)
        return VG_OK;
    size_t ti = match_program(s->c, p->name);
    if (ti == SIZE_MAX)
        return VG_OK;
    char inst[40] = "", b[600];
    if (is_sc(&s->c->tools[ti]))
        (void)rmm_sc_instance_from(p->name, inst);
    struct rmm_item *it = rmm_scan_item(s, ti, inst);
    if (it == NULL)
        return s->fatal;
    (void)snprintf(b, sizeof(b), "Uninstall\\%s", p->key);
    (void)rmm_item_evidence(it, b);
    if (p->version != NULL)
        rmm_item_version(it, p->version, strlen(p->version), b, RMM_VER_REG);
    rmm_item_set(it->where, sizeof(it->where), p->location);
    if (p->install_date != NULL && strlen(p->install_date) == 8) {
        char iso[16];
        int64_t us;
        (void)snprintf(iso, sizeof(iso), "%.4s-%.2s-%.2s", p->install_date,
                       p->install_date + 4, p->install_date + 6);
        if (vg_time_parse(iso, &us) == VG_OK)
            rmm_item_install_time(it, us);
    }
    return s->fatal;
}

struct arun {
    struct rmm_scan *s;
    const char *hive;
};

static int
on_autorun(void *arg, const struct vg_rmm_autorun *a)
{
    struct arun *ar = arg;
    struct rmm_scan *s = ar->s;
    char exe[512], b[800], inst[40] = "";
    rmm_cmd_exe(a->command, exe, sizeof(exe));
    size_t ti = rmm_match_bin(s->c, rmm_basename(exe));
    if (ti == SIZE_MAX)
        return VG_OK;
    if (is_sc(&s->c->tools[ti]))
        path_instance(exe, inst);
    struct rmm_item *it = rmm_scan_item(s, ti, inst);
    if (it == NULL)
        return s->fatal;
    (void)snprintf(b, sizeof(b), "run:%s\\%s\\%s", ar->hive, a->key, a->name);
    rmm_item_set(it->persist, sizeof(it->persist), b);
    rmm_item_set(it->where, sizeof(it->where), exe);
    if (unusual_place(exe))
        it->portable = 1;
    (void)rmm_item_evidence(it, b);
    return s->fatal;
}

/* Registry values that name the server or the account (docs/rmm.md). */
static const struct {
    const char *extract, *value;
    int what; /* 0 local_id, 1 relay url, 2 version */
} regvals[] = {
    {"atera", "IntegratorLogin", 0},   {"atera", "AccountId", 0},
    {"tacticalrmm", "BaseURL", 1},     {"tacticalrmm", "AgentID", 0},
    {"automate", "Server Address", 1}, {"automate", "ID", 0},
    {"teamviewer", "ClientID", 0},     {"teamviewer", "Version", 2},
};

struct rv {
    struct rmm_item *it;
    const struct rmm_tool *t;
    const char *key;
};

static int
on_regval(void *arg, const char *name, const char *value)
{
    struct rv *rv = arg;
    for (size_t i = 0; i < VG_ARRAY_LEN(regvals); i++) {
        if (rv->t->extract == NULL ||
            strcmp(rv->t->extract, regvals[i].extract) ||
            !rmm_glob(regvals[i].value, name))
            continue;
        if (regvals[i].what == 0)
            rmm_item_set(rv->it->local_id, sizeof(rv->it->local_id), value);
        else if (regvals[i].what == 2)
            rmm_item_version(rv->it, value, strlen(value), rv->key,
                             RMM_VER_REG);
        else {
            char line[600];
            (void)snprintf(line, sizeof(line), "baseurl=%s", value);
            (void)rmm_parse_file(rv->it, "tacticalagent", line, strlen(line),
                                 rv->key);
        }
    }
    return VG_OK;
}

static int
on_nothing(void *arg, const char *name, const char *value)
{
    (void)arg;
    (void)name;
    (void)value;
    return VG_OK;
}

/* Catalog registry keys present in this hive (prefix "HKLM\SOFTWARE\" for
 * SOFTWARE, "HKCU\" for NTUSER.DAT): evidence, plus the values that name
 * the server or account for tools that have them. */
static void
reg_keys(struct rmm_scan *s, struct vg_rmm_hive *h, const char *prefix,
         const char *hivename)
{
    size_t pl = strlen(prefix);
    for (size_t i = 0; i < s->c->n && !s->fatal; i++) {
        const struct rmm_tool *t = &s->c->tools[i];
        for (size_t j = 0; j < t->regs.n && !s->fatal; j++) {
            const char *r = t->regs.v[j];
            if (strlen(r) <= pl || !vg_ascii_ieq(r, prefix, pl) ||
                strchr(r, '*') != NULL)
                continue;
            if (vg_rmm_hive_values(h, r + pl, on_nothing, NULL, NULL) != VG_OK)
                continue;
            char ev[600];
            (void)snprintf(ev, sizeof(ev), "%s\\%s", hivename, r + pl);
            struct rmm_item *it = rmm_scan_item(s, i, NULL);
            if (it == NULL)
                return;
            (void)rmm_item_evidence(it, ev);
            struct rv rv = {it, t, ev};
            if (vg_rmm_hive_values(h, r + pl, on_regval, &rv, NULL) != VG_OK)
                rmm_scan_error(s);
        }
    }
}

static void
hive_log(struct rmm_scan *s, const struct vg_diag *d)
{
    char m[VG_DIAG_PATH_MAX + VG_DIAG_MSG_MAX];
    vg_log(s->ctx, VG_LOG_WARN, "rmm", "%s", vg_diag_format(d, m, sizeof(m)));
    rmm_scan_error(s);
}

struct hfound {
    struct rmm_scan *s;
    int kind; /* 0 SYSTEM, 1 SOFTWARE, 2 NTUSER */
};

static int
on_hive(void *arg, const char *rel, int is_dir)
{
    struct hfound *hf = arg;
    struct rmm_scan *s = hf->s;
    if (is_dir)
        return VG_OK;
    s->res->probed++;
    int fd = rmm_root_open_file(s->root, rel);
    struct vg_diag d;
    vg_diag_clear(&d);
    char name[VG_DIAG_PATH_MAX];
    (void)snprintf(name, sizeof(name), "%s/%s", rmm_root_path(s->root), rel);
    if (fd < 0) {
        (void)vg_diag_set(&d, VG_EIO, name, VG_DIAG_NONE, VG_DIAG_NONE,
                          "cannot open hive");
        hive_log(s, &d);
        return VG_OK;
    }
    struct vg_rmm_hive *h;
    int rc = vg_rmm_hive_open_fd(fd, name, &h, &d);
    close(fd);
    if (rc != VG_OK) {
        hive_log(s, &d);
        return VG_OK;
    }
    struct arun ar = {s, hf->kind == 2 ? rel : "SOFTWARE"};
    if (hf->kind == 0) {
        rc = vg_rmm_hive_services(h, on_service, s, &d);
    } else {
        rc = vg_rmm_hive_programs(h, on_program, s, &d);
        if (rc == VG_OK)
            rc = vg_rmm_hive_autoruns(h, on_autorun, &ar, &d);
        if (rc == VG_OK)
            reg_keys(s, h, hf->kind == 1 ? "HKLM\\SOFTWARE\\" : "HKCU\\",
                     hf->kind == 1 ? "SOFTWARE" : rel);
    }
    if (rc != VG_OK && rc != VG_ENOMEM && d.msg[0] != '\0')
        hive_log(s, &d);
    if (rc == VG_ENOMEM)
        s->fatal = rc;
    vg_rmm_hive_close(h);
    return VG_OK;
}

static void
probe_hives(struct rmm_scan *s)
{
    static const struct {
        const char *pat;
        int kind;
    } hives[] = {
        {"Windows/System32/config/SYSTEM", 0},
        {"Windows/System32/config/SOFTWARE", 1},
        {"Users/*/NTUSER.DAT", 2},
    };
    for (size_t i = 0; i < VG_ARRAY_LEN(hives) && !s->fatal; i++) {
        struct hfound hf = {s, hives[i].kind};
        (void)rmm_root_glob(s->root, hives[i].pat, on_hive, &hf);
    }
}

/* ---- entry -------------------------------------------------------------- */

static void
finish(struct rmm_scan *s)
{
    for (size_t i = 0; i < s->res->n; i++) {
        struct rmm_item *it = s->res->items[i];
        if (is_sc(&s->c->tools[it->tool]) && s->sc_temp_ver[0] != '\0')
            rmm_item_version(it, s->sc_temp_ver, strlen(s->sc_temp_ver),
                             "Windows/Temp/ScreenConnect/<version>",
                             RMM_VER_FOLDER);
        if (publish(it, s->c) != VG_OK)
            s->fatal = VG_ENOMEM;
    }
}

int
vg_rmm_scan(const struct vg_rmm_catalog *c, const struct vg_rmm_opts *opts,
            const struct vg_ctx *ctx, struct vg_rmm_result **out,
            struct vg_diag *d)
{
    *out = NULL;
    struct rmm_scan s = {.c = c, .o = opts, .ctx = ctx};
    s.res = vg_calloc(1, sizeof(*s.res));
    if (s.res == NULL)
        return VG_ENOMEM;
    int rc = rmm_root_open(opts->root != NULL ? opts->root : "/", &s.root, d);
    if (rc != VG_OK) {
        vg_rmm_result_free(s.res);
        return rc;
    }
    probe_paths(&s);
    if (!s.fatal)
        probe_hives(&s);
    if (!s.fatal && opts->live)
        (void)rmm_live_scan(&s);
    if (!s.fatal)
        finish(&s);
    rmm_root_close(s.root);
    if (s.fatal) {
        vg_rmm_result_free(s.res);
        return vg_diag_set(d, s.fatal, opts->root, VG_DIAG_NONE, VG_DIAG_NONE,
                           "%s", vg_strerror(s.fatal));
    }
    *out = s.res;
    return VG_OK;
}

void
vg_rmm_result_free(struct vg_rmm_result *r)
{
    if (r == NULL)
        return;
    for (size_t i = 0; i < r->n; i++) {
        rmm_item_fini(r->items[i]);
        vg_free(r->items[i]);
    }
    vg_free(r->items);
    vg_free(r);
}

size_t
vg_rmm_result_count(const struct vg_rmm_result *r)
{
    return r != NULL ? r->n : 0;
}

const struct vg_rmm_item *
vg_rmm_result_item(const struct vg_rmm_result *r, size_t i)
{
    return r != NULL && i < r->n ? &r->items[i]->pub : NULL;
}

uint64_t
vg_rmm_result_errors(const struct vg_rmm_result *r)
{
    return r != NULL ? r->errors : 0;
}

uint64_t
vg_rmm_result_probed(const struct vg_rmm_result *r)
{
    return r != NULL ? r->probed : 0;
}

uint64_t
vg_rmm_result_patterns(const struct vg_rmm_result *r)
{
    return r != NULL ? r->patterns : 0;
}
