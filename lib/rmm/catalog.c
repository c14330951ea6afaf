/* SPDX-License-Identifier: Apache-2.0 */
/*
 * catalog.c - Vigil's RMM catalog: the in-memory model and the loader of
 * its own line format (rules/rmm/catalog, documented in docs/rmm.md), plus
 * small helpers shared by the module (glob, base name, version compare).
 * It does not read LOLRMM YAML (lolrmm.c) and never touches evidence.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/alloc.h"
#include "core/str.h"
#include "rmm/rmm_int.h"
#include "vigil/buf.h"

#include "core/banned.h"

/* ---- small helpers ----------------------------------------------------- */

size_t
rmm_copy(char *dst, size_t cap, const char *s, size_t n)
{
    if (cap == 0)
        return 0;
    if (n >= cap)
        n = cap - 1;
    memcpy(dst, s, n);
    dst[n] = '\0';
    return n;
}

void
rmm_trim(const char **p, size_t *n)
{
    while (*n > 0 &&
           (**p == ' ' || **p == '\t' || **p == '\r' || **p == '\n')) {
        (*p)++;
        (*n)--;
    }
    while (*n > 0 && ((*p)[*n - 1] == ' ' || (*p)[*n - 1] == '\t' ||
                      (*p)[*n - 1] == '\r' || (*p)[*n - 1] == '\n'))
        (*n)--;
}

int
rmm_sv_add(struct rmm_sv *s, const char *p, size_t n)
{
    if (s->n >= RMM_MAX_LIST)
        return VG_ELIMIT;
    if (s->n == s->cap) {
        size_t nc = s->cap ? s->cap * 2 : 4;
        char **v = vg_reallocarray(s->v, nc, sizeof(*v));
        if (v == NULL)
            return VG_ENOMEM;
        s->v = v;
        s->cap = nc;
    }
    char *d = vg_strndup(p, n);
    if (d == NULL)
        return VG_ENOMEM;
    s->v[s->n++] = d;
    return VG_OK;
}

int
rmm_sv_has(const struct rmm_sv *s, const char *p)
{
    size_t n = strlen(p);
    for (size_t i = 0; i < s->n; i++)
        if (strlen(s->v[i]) == n && vg_ascii_ieq(s->v[i], p, n))
            return 1;
    return 0;
}

void
rmm_sv_free(struct rmm_sv *s)
{
    for (size_t i = 0; i < s->n; i++)
        vg_free(s->v[i]);
    vg_free(s->v);
    s->v = NULL;
    s->n = s->cap = 0;
}

/* Iterative '*' / '?' matcher with one backtrack point: linear-ish, no
 * recursion, so hostile patterns cannot blow the stack. */
int
rmm_glob(const char *pat, const char *s)
{
    const char *star = NULL, *mark = NULL;
    while (*s != '\0') {
        if (*pat == '*') {
            star = pat++;
            mark = s;
        } else if (*pat == '?' || (*pat != '\0' && vg_ascii_lower(*pat) ==
                                                       vg_ascii_lower(*s))) {
            pat++;
            s++;
        } else if (star != NULL) {
            pat = star + 1;
            s = ++mark;
        } else {
            return 0;
        }
    }
    while (*pat == '*')
        pat++;
    return *pat == '\0';
}

const char *
rmm_basename(const char *p)
{
    const char *b = p;
    for (; *p != '\0'; p++)
        if (*p == '/' || *p == '\\')
            b = p + 1;
    return b;
}

void
rmm_cmd_exe(const char *cmd, char *out, size_t cap)
{
    while (*cmd == ' ' || *cmd == '\t')
        cmd++;
    if (*cmd == '"') {
        const char *e = strchr(cmd + 1, '"');
        size_t n = e != NULL ? (size_t)(e - cmd - 1) : strlen(cmd + 1);
        rmm_copy(out, cap, cmd + 1, n);
        return;
    }
    /* Unquoted: cut at the first ".exe" followed by a space or the end, else
     * at the first space (Windows resolves it the same way for our use). */
    const char *p = cmd;
    for (; *p != '\0'; p++) {
        if ((p[0] == '.') && vg_ascii_ieq(p, ".exe", 4) &&
            (p[4] == '\0' || p[4] == ' ')) {
            rmm_copy(out, cap, cmd, (size_t)(p + 4 - cmd));
            return;
        }
    }
    const char *sp = strchr(cmd, ' ');
    rmm_copy(out, cap, cmd, sp != NULL ? (size_t)(sp - cmd) : strlen(cmd));
}

static int
num_part(const char **s, uint64_t *out)
{
    uint64_t v = 0;
    int any = 0;
    while (**s >= '0' && **s <= '9') {
        if (v < UINT64_MAX / 10 - 10)
            v = v * 10 + (uint64_t)(**s - '0');
        (*s)++;
        any = 1;
    }
    while (**s != '\0' && **s != '.' && **s != ',')
        (*s)++; /* "8.0.8-beta": the tail compares as nothing */
    *out = v;
    return any;
}

int
vg_rmm_version_cmp(const char *a, const char *b)
{
    while (*a != '\0' || *b != '\0') {
        uint64_t x = 0, y = 0;
        (void)num_part(&a, &x);
        (void)num_part(&b, &y);
        if (x != y)
            return x < y ? -1 : 1;
        if (*a == '.' || *a == ',')
            a++;
        if (*b == '.' || *b == ',')
            b++;
    }
    return 0;
}

/* ---- model ------------------------------------------------------------- */

int
vg_rmm_catalog_new(struct vg_rmm_catalog **out)
{
    *out = vg_calloc(1, sizeof(**out));
    return *out != NULL ? VG_OK : VG_ENOMEM;
}

static void
tool_fini(struct rmm_tool *t)
{
    vg_free(t->id);
    vg_free(t->name);
    vg_free(t->category);
    vg_free(t->extract);
    rmm_sv_free(&t->bins);
    rmm_sv_free(&t->svcs);
    rmm_sv_free(&t->uninst);
    rmm_sv_free(&t->regs);
    rmm_sv_free(&t->domains);
    rmm_sv_free(&t->signers);
    rmm_sv_free(&t->verfrom);
    for (size_t i = 0; i < t->n_paths; i++)
        vg_free(t->paths[i].pat);
    vg_free(t->paths);
    for (size_t i = 0; i < t->n_vulns; i++) {
        vg_free(t->vulns[i].lo);
        vg_free(t->vulns[i].hi);
        vg_free(t->vulns[i].ids);
        vg_free(t->vulns[i].text);
    }
    vg_free(t->vulns);
    for (size_t i = 0; i < t->n_ses; i++) {
        vg_free(t->ses[i].file);
        vg_free(t->ses[i].word);
    }
    vg_free(t->ses);
}

void
vg_rmm_catalog_free(struct vg_rmm_catalog *c)
{
    if (c == NULL)
        return;
    for (size_t i = 0; i < c->n; i++)
        tool_fini(&c->tools[i]);
    vg_free(c->tools);
    vg_free(c);
}

size_t
vg_rmm_catalog_count(const struct vg_rmm_catalog *c)
{
    return c != NULL ? c->n : 0;
}

const char *
vg_rmm_catalog_tool_id(const struct vg_rmm_catalog *c, size_t i)
{
    return c != NULL && i < c->n ? c->tools[i].id : NULL;
}

const char *
vg_rmm_catalog_tool_name(const struct vg_rmm_catalog *c, size_t i)
{
    return c != NULL && i < c->n ? c->tools[i].name : NULL;
}

struct rmm_tool *
rmm_catalog_find(const struct vg_rmm_catalog *c, const char *id)
{
    size_t n = strlen(id);
    for (size_t i = 0; i < c->n; i++)
        if (strlen(c->tools[i].id) == n && vg_ascii_ieq(c->tools[i].id, id, n))
            return &c->tools[i];
    return NULL;
}

int
rmm_tool_add(struct vg_rmm_catalog *c, const char *id, struct rmm_tool **out)
{
    *out = NULL;
    if (c->n >= RMM_MAX_TOOLS)
        return VG_ELIMIT;
    if (c->n == c->cap) {
        size_t nc = c->cap ? c->cap * 2 : 64;
        struct rmm_tool *v = vg_reallocarray(c->tools, nc, sizeof(*v));
        if (v == NULL)
            return VG_ENOMEM;
        c->tools = v;
        c->cap = nc;
    }
    struct rmm_tool *t = &c->tools[c->n];
    memset(t, 0, sizeof(*t));
    t->id = vg_strdup(id);
    t->name = vg_strdup(id);
    if (t->id == NULL || t->name == NULL) {
        tool_fini(t);
        return VG_ENOMEM;
    }
    c->n++;
    *out = t;
    return VG_OK;
}

static int
path_push(struct rmm_tool *t, uint8_t os, uint8_t kind, const char *pat,
          size_t n)
{
    if (n == 0)
        return VG_OK;
    for (size_t i = 0; i < t->n_paths; i++) /* LOLRMM repeats itself */
        if (strlen(t->paths[i].pat) == n &&
            vg_ascii_ieq(t->paths[i].pat, pat, n))
            return VG_OK;
    if (t->n_paths >= RMM_MAX_LIST)
        return VG_ELIMIT;
    if (t->n_paths == t->cap_paths) {
        size_t nc = t->cap_paths ? t->cap_paths * 2 : 8;
        struct rmm_path *v = vg_reallocarray(t->paths, nc, sizeof(*v));
        if (v == NULL)
            return VG_ENOMEM;
        t->paths = v;
        t->cap_paths = nc;
    }
    char *d = vg_strndup(pat, n);
    if (d == NULL)
        return VG_ENOMEM;
    t->paths[t->n_paths++] = (struct rmm_path){os, kind, d};
    return VG_OK;
}

/* Macros standing for several folders (docs/rmm.md). */
static const struct {
    const char *name;
    const char *const *exp;
} macros[] = {
    {"%PROFILES%",
     (const char *const[]){"Users/*", "Windows/System32/config/systemprofile",
                           "Windows/SysWOW64/config/systemprofile",
                           "Windows/ServiceProfiles/*", NULL}},
    {"%APPDATA%",
     (const char *const[]){
         "Users/*/AppData/Roaming",
         "Windows/System32/config/systemprofile/AppData/Roaming",
         "Windows/SysWOW64/config/systemprofile/AppData/Roaming",
         "Windows/ServiceProfiles/*/AppData/Roaming", NULL}},
    {"%LOCALAPPDATA%",
     (const char *const[]){
         "Users/*/AppData/Local",
         "Windows/System32/config/systemprofile/AppData/Local",
         "Windows/SysWOW64/config/systemprofile/AppData/Local",
         "Windows/ServiceProfiles/*/AppData/Local", NULL}},
    {"%PROGRAMFILES%", (const char *const[]){"Program Files*", NULL}},
    {"%PROGRAMDATA%", (const char *const[]){"ProgramData", NULL}},
    {"%WINDIR%", (const char *const[]){"Windows", NULL}},
    {"%HOME%", (const char *const[]){"home/*", "root", NULL}},
    {"%USERS%", (const char *const[]){"Users/*", NULL}},
};

/* Normalise one path: drop "C:", "\\" -> "/", collapse "//", strip the
 * leading "/" and a trailing "/", map "<anything>" placeholders to "*". */
static int
norm_push(struct rmm_tool *t, uint8_t os, uint8_t kind, const char *pre,
          const char *rest)
{
    struct vg_buf b;
    vg_buf_init(&b, 4096);
    int rc = vg_buf_adds(&b, pre);
    if (rc == VG_OK && pre[0] != '\0')
        rc = vg_buf_addc(&b, '/');
    const char *p = rest;
    if (((p[0] >= 'A' && p[0] <= 'Z') || (p[0] >= 'a' && p[0] <= 'z')) &&
        p[1] == ':')
        p += 2;
    for (; rc == VG_OK && *p != '\0'; p++) {
        char ch = *p == '\\' ? '/' : *p;
        if (ch == '<') { /* "<username>", "<string ID>" */
            const char *e = strchr(p, '>');
            if (e != NULL) {
                rc = vg_buf_addc(&b, '*');
                p = e;
                continue;
            }
        }
        if (ch == '/' && (b.len == 0 || b.data[b.len - 1] == '/'))
            continue;
        rc = vg_buf_addc(&b, ch);
    }
    while (rc == VG_OK && b.len > 0 && b.data[b.len - 1] == '/')
        vg_buf_truncate(&b, b.len - 1);
    if (rc == VG_OK && b.len > 0)
        rc = path_push(t, os, kind, b.data, b.len);
    vg_buf_fini(&b);
    return rc == VG_ELIMIT ? VG_OK : rc;
}

int
rmm_tool_add_path(struct rmm_tool *t, uint8_t os, uint8_t kind, const char *raw)
{
    for (size_t i = 0; i < VG_ARRAY_LEN(macros); i++) {
        size_t ml = strlen(macros[i].name);
        if (strlen(raw) >= ml && vg_ascii_ieq(raw, macros[i].name, ml)) {
            const char *rest = raw + ml;
            for (const char *const *e = macros[i].exp; *e != NULL; e++) {
                int rc = norm_push(t, os, kind, *e, rest);
                if (rc != VG_OK)
                    return rc;
            }
            return VG_OK;
        }
    }
    return norm_push(t, os, kind, "", raw);
}

/* ---- own format -------------------------------------------------------- */

struct cparse {
    struct vg_rmm_catalog *c;
    struct rmm_tool *t;
    const char *name;
    uint64_t line;
    struct vg_diag *d;
};

static int
add_list(struct rmm_sv *sv, const char *v, size_t n)
{
    /* "a | b | c": names may contain spaces, so '|' separates. */
    while (n > 0) {
        const char *bar = memchr(v, '|', n);
        size_t k = bar != NULL ? (size_t)(bar - v) : n;
        const char *s = v;
        size_t sn = k;
        rmm_trim(&s, &sn);
        if (sn > 0) {
            int rc = rmm_sv_add(sv, s, sn);
            if (rc != VG_OK)
                return rc;
        }
        if (bar == NULL)
            break;
        v += k + 1;
        n -= k + 1;
    }
    return VG_OK;
}

static int
parse_range(struct rmm_vuln *v, const char *r, size_t n)
{
    const char *dots = NULL;
    for (size_t i = 0; i + 1 < n; i++)
        if (r[i] == '.' && r[i + 1] == '.')
            dots = r + i;
    if (n > 2 && r[0] == '<' && r[1] == '=') {
        v->hi = vg_strndup(r + 2, n - 2);
        v->hi_incl = 1;
        return v->hi != NULL ? VG_OK : VG_ENOMEM;
    }
    if (n > 1 && r[0] == '<') {
        v->hi = vg_strndup(r + 1, n - 1);
        return v->hi != NULL ? VG_OK : VG_ENOMEM;
    }
    if (dots != NULL && dots > r && dots + 2 < r + n) {
        v->lo = vg_strndup(r, (size_t)(dots - r));
        v->hi = vg_strndup(dots + 2, (size_t)(r + n - dots - 2));
        v->hi_incl = 1;
        return v->lo != NULL && v->hi != NULL ? VG_OK : VG_ENOMEM;
    }
    return VG_ESYNTAX;
}

/* Next space-separated word of [*p, *p+*n). */
static int
word(const char **p, size_t *n, const char **w, size_t *wn)
{
    rmm_trim(p, n);
    if (*n == 0)
        return 0;
    size_t k = 0;
    while (k < *n && (*p)[k] != ' ' && (*p)[k] != '\t')
        k++;
    *w = *p;
    *wn = k;
    *p += k;
    *n -= k;
    return 1;
}

static int
kw_vuln(struct cparse *cp, const char *v, size_t n)
{
    struct rmm_tool *t = cp->t;
    const char *r, *ids, *sev;
    size_t rn, idn, sevn;
    if (!word(&v, &n, &r, &rn) || !word(&v, &n, &ids, &idn) ||
        !word(&v, &n, &sev, &sevn))
        return vg_diag_set(cp->d, VG_ESYNTAX, cp->name, cp->line, VG_DIAG_NONE,
                           "vuln needs RANGE IDS SEVERITY TEXT");
    if (t->n_vulns >= RMM_MAX_LIST)
        return VG_ELIMIT;
    if (t->n_vulns == t->cap_vulns) {
        size_t nc = t->cap_vulns ? t->cap_vulns * 2 : 4;
        struct rmm_vuln *nv = vg_reallocarray(t->vulns, nc, sizeof(*nv));
        if (nv == NULL)
            return VG_ENOMEM;
        t->vulns = nv;
        t->cap_vulns = nc;
    }
    struct rmm_vuln *vu = &t->vulns[t->n_vulns];
    memset(vu, 0, sizeof(*vu));
    char sevs[16];
    rmm_copy(sevs, sizeof(sevs), sev, sevn);
    int rc = parse_range(vu, r, rn);
    if (rc == VG_OK && vg_severity_parse(sevs, &vu->sev) != VG_OK)
        rc = VG_ESYNTAX;
    if (rc == VG_OK) {
        rmm_trim(&v, &n);
        vu->ids = vg_strndup(ids, idn);
        vu->text = vg_strndup(v, n);
        if (vu->ids == NULL || vu->text == NULL)
            rc = VG_ENOMEM;
    }
    t->n_vulns++; /* counted even on failure so tool_fini frees it */
    if (rc == VG_ESYNTAX)
        return vg_diag_set(cp->d, rc, cp->name, cp->line, VG_DIAG_NONE,
                           "bad vuln range or severity");
    return rc;
}

static int
kw_session(struct cparse *cp, const char *v, size_t n)
{
    struct rmm_tool *t = cp->t;
    const char *f;
    size_t fn;
    int ok = word(&v, &n, &f, &fn);
    rmm_trim(&v, &n);
    if (!ok || n == 0)
        return vg_diag_set(cp->d, VG_ESYNTAX, cp->name, cp->line, VG_DIAG_NONE,
                           "session needs FILE-GLOB WORDS");
    if (t->n_ses >= RMM_MAX_LIST)
        return VG_ELIMIT;
    if (t->n_ses == t->cap_ses) {
        size_t nc = t->cap_ses ? t->cap_ses * 2 : 2;
        struct rmm_sesrule *ns = vg_reallocarray(t->ses, nc, sizeof(*ns));
        if (ns == NULL)
            return VG_ENOMEM;
        t->ses = ns;
        t->cap_ses = nc;
    }
    struct rmm_sesrule *s = &t->ses[t->n_ses++];
    s->file = vg_strndup(f, fn);
    s->word = vg_strndup(v, n);
    return s->file != NULL && s->word != NULL ? VG_OK : VG_ENOMEM;
}

static int
kw_path(struct cparse *cp, uint8_t os, const char *v, size_t n)
{
    static const char *const kinds[] = {"install", "config", "log",
                                        "data",    "unit",   "server"};
    const char *k;
    size_t kn;
    if (!word(&v, &n, &k, &kn))
        goto bad;
    for (size_t i = 0; i < VG_ARRAY_LEN(kinds); i++) {
        if (strlen(kinds[i]) == kn && memcmp(kinds[i], k, kn) == 0) {
            rmm_trim(&v, &n);
            if (n == 0)
                goto bad;
            char *raw = vg_strndup(v, n);
            if (raw == NULL)
                return VG_ENOMEM;
            int rc = rmm_tool_add_path(cp->t, os, (uint8_t)i, raw);
            vg_free(raw);
            return rc;
        }
    }
bad:
    return vg_diag_set(cp->d, VG_ESYNTAX, cp->name, cp->line, VG_DIAG_NONE,
                       "path needs KIND (install|config|log|data|unit|server) "
                       "PATH");
}

static int
set_str(char **dst, const char *v, size_t n)
{
    char *s = vg_strndup(v, n);
    if (s == NULL)
        return VG_ENOMEM;
    vg_free(*dst);
    *dst = s;
    return VG_OK;
}

static int
keyword(struct cparse *cp, const char *k, size_t kn, const char *v, size_t n)
{
#define KW(s) (kn == sizeof(s) - 1 && memcmp(k, s, kn) == 0)
    struct rmm_tool *t = cp->t;
    if (KW("name"))
        return set_str(&t->name, v, n);
    if (KW("category"))
        return set_str(&t->category, v, n);
    if (KW("extract"))
        return set_str(&t->extract, v, n);
    if (KW("bin"))
        return add_list(&t->bins, v, n);
    if (KW("svc"))
        return add_list(&t->svcs, v, n);
    if (KW("uninstall"))
        return add_list(&t->uninst, v, n);
    if (KW("reg"))
        return add_list(&t->regs, v, n);
    if (KW("domain"))
        return add_list(&t->domains, v, n);
    if (KW("signer"))
        return add_list(&t->signers, v, n);
    if (KW("version"))
        return add_list(&t->verfrom, v, n);
    if (KW("win"))
        return kw_path(cp, RMM_OS_WIN, v, n);
    if (KW("linux"))
        return kw_path(cp, RMM_OS_LINUX, v, n);
    if (KW("mac"))
        return kw_path(cp, RMM_OS_MAC, v, n);
    if (KW("vuln"))
        return kw_vuln(cp, v, n);
    if (KW("session"))
        return kw_session(cp, v, n);
#undef KW
    return vg_diag_set(cp->d, VG_ESYNTAX, cp->name, cp->line, VG_DIAG_NONE,
                       "unknown keyword '%.*s'", (int)(kn > 40 ? 40 : kn), k);
}

static int
catalog_line(struct cparse *cp, const char *p, size_t n)
{
    rmm_trim(&p, &n);
    if (n == 0 || p[0] == '#')
        return VG_OK;
    if (n > RMM_MAX_LINE)
        return vg_diag_set(cp->d, VG_ELIMIT, cp->name, cp->line, VG_DIAG_NONE,
                           "line longer than %u bytes", RMM_MAX_LINE);
    const char *k = p;
    size_t kn = 0;
    (void)word(&p, &n, &k, &kn);
    rmm_trim(&p, &n);
    if (kn == 4 && memcmp(k, "tool", 4) == 0) {
        if (cp->t != NULL)
            return vg_diag_set(cp->d, VG_ESYNTAX, cp->name, cp->line,
                               VG_DIAG_NONE, "tool inside tool (missing end)");
        if (n == 0 || n > 64 || memchr(p, ' ', n) != NULL)
            return vg_diag_set(cp->d, VG_ESYNTAX, cp->name, cp->line,
                               VG_DIAG_NONE, "tool needs one short id");
        char id[65];
        rmm_copy(id, sizeof(id), p, n);
        if (rmm_catalog_find(cp->c, id) != NULL)
            return vg_diag_set(cp->d, VG_ESYNTAX, cp->name, cp->line,
                               VG_DIAG_NONE, "duplicate tool id '%s'", id);
        return rmm_tool_add(cp->c, id, &cp->t);
    }
    if (kn == 3 && memcmp(k, "end", 3) == 0 && n == 0) {
        if (cp->t == NULL)
            return vg_diag_set(cp->d, VG_ESYNTAX, cp->name, cp->line,
                               VG_DIAG_NONE, "end without tool");
        cp->t = NULL;
        return VG_OK;
    }
    if (cp->t == NULL)
        return vg_diag_set(cp->d, VG_ESYNTAX, cp->name, cp->line, VG_DIAG_NONE,
                           "'%.*s' outside a tool block",
                           (int)(kn > 40 ? 40 : kn), k);
    if (n == 0)
        return vg_diag_set(cp->d, VG_ESYNTAX, cp->name, cp->line, VG_DIAG_NONE,
                           "'%.*s' needs a value", (int)(kn > 40 ? 40 : kn), k);
    return keyword(cp, k, kn, p, n);
}

int
vg_rmm_catalog_load_buf(struct vg_rmm_catalog *c, const char *data, size_t n,
                        const char *name, struct vg_diag *d)
{
    struct cparse cp = {c, NULL, name != NULL ? name : "<catalog>", 0, d};
    size_t before = c->n;
    int rc = VG_OK;
    size_t i = 0;
    while (rc == VG_OK && i < n) {
        const char *nl = memchr(data + i, '\n', n - i);
        size_t len = nl != NULL ? (size_t)(nl - (data + i)) : n - i;
        cp.line++;
        if (memchr(data + i, '\0', len) != NULL)
            rc = vg_diag_set(d, VG_EFORMAT, cp.name, cp.line, VG_DIAG_NONE,
                             "NUL byte in catalog line");
        else
            rc = catalog_line(&cp, data + i, len);
        i += len + 1;
    }
    if (rc == VG_OK && cp.t != NULL)
        rc = vg_diag_set(d, VG_ESYNTAX, cp.name, cp.line, VG_DIAG_NONE,
                         "tool '%s' has no end", cp.t->id);
    if (rc == VG_ENOMEM || rc == VG_ELIMIT)
        (void)vg_diag_set(d, rc, cp.name, cp.line, VG_DIAG_NONE, "%s",
                          vg_strerror(rc));
    if (rc != VG_OK) { /* all or nothing */
        while (c->n > before)
            tool_fini(&c->tools[--c->n]);
    }
    return rc;
}

int
vg_rmm_catalog_load_file(struct vg_rmm_catalog *c, const char *path,
                         struct vg_diag *d)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
    if (fd < 0)
        return vg_diag_set(d, VG_EIO, path, VG_DIAG_NONE, VG_DIAG_NONE,
                           "cannot open: %s", strerror(errno));
    struct stat st;
    int rc = VG_OK;
    char *buf = NULL;
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) ||
        (uint64_t)st.st_size > RMM_MAX_FILE) {
        rc =
            vg_diag_set(d, VG_EIO, path, VG_DIAG_NONE, VG_DIAG_NONE,
                        "not a regular file of at most %u bytes", RMM_MAX_FILE);
        goto out;
    }
    size_t len = (size_t)st.st_size, got = 0;
    buf = vg_malloc(len + 1);
    if (buf == NULL) {
        rc = VG_ENOMEM;
        goto out;
    }
    while (got < len) {
        ssize_t r = read(fd, buf + got, len - got);
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0) {
            rc = vg_diag_set(d, VG_EIO, path, VG_DIAG_NONE, got, "read failed");
            goto out;
        }
        got += (size_t)r;
    }
    rc = vg_rmm_catalog_load_buf(c, buf, len, path, d);
out:
    vg_free(buf);
    close(fd);
    return rc;
}
