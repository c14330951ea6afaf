/* SPDX-License-Identifier: Apache-2.0 */
/*
 * lolrmm.c - loads LOLRMM YAML entries (github.com/magicsword-io/LOLRMM)
 * into the RMM catalog. The data is uneven: fields are a mapping in one file
 * and a list in the next, InstallationPaths mixes full paths, globs,
 * regular expressions and bare file names, and some registry paths carry
 * typos. Everything is normalised into catalog facts (paths, binaries,
 * services, domains, signers) or skipped and counted.
 *
 * This is the only file of lib/rmm that includes <yaml.h>. It reads fixed
 * field paths only (never a generic recursive walk), so anchors and aliases
 * cannot make it loop or blow up.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <yaml.h>

#include "core/alloc.h"
#include "core/str.h"
#include "rmm/rmm_int.h"
#include "vigil/buf.h"

#include "core/banned.h"

#define LOL_MAX_DOC (4u << 20) /* largest YAML file accepted */

/* ---- YAML document helpers --------------------------------------------- */

static yaml_node_t *
node(yaml_document_t *doc, int id)
{
    return id > 0 ? yaml_document_get_node(doc, id) : NULL;
}

static int
scalar_is(const yaml_node_t *n, const char *s)
{
    size_t k = strlen(s);
    return n != NULL && n->type == YAML_SCALAR_NODE &&
           n->data.scalar.length == k &&
           vg_ascii_ieq((const char *)n->data.scalar.value, s, k);
}

/* Value of key in a mapping (case-insensitive key), or NULL. */
static yaml_node_t *
get(yaml_document_t *doc, yaml_node_t *map, const char *key)
{
    if (map == NULL || map->type != YAML_MAPPING_NODE)
        return NULL;
    for (yaml_node_pair_t *p = map->data.mapping.pairs.start;
         p < map->data.mapping.pairs.top; p++)
        if (scalar_is(node(doc, p->key), key))
            return node(doc, p->value);
    return NULL;
}

typedef int item_fn(void *arg, yaml_document_t *doc, yaml_node_t *n);

/* Call fn for n itself (scalar or mapping) or each element of a sequence:
 * LOLRMM writes one-element lists as plain values and vice versa. */
static int
each(yaml_document_t *doc, yaml_node_t *n, item_fn *fn, void *arg)
{
    if (n == NULL)
        return VG_OK;
    if (n->type != YAML_SEQUENCE_NODE)
        return fn(arg, doc, n);
    for (yaml_node_item_t *i = n->data.sequence.items.start;
         i < n->data.sequence.items.top; i++) {
        int rc = fn(arg, doc, node(doc, *i));
        if (rc != VG_OK)
            return rc;
    }
    return VG_OK;
}

static const char *
scalar(const yaml_node_t *n, size_t *len)
{
    if (n == NULL || n->type != YAML_SCALAR_NODE)
        return NULL;
    *len = n->data.scalar.length;
    return (const char *)n->data.scalar.value;
}

/* ---- normalisation ----------------------------------------------------- */

struct lctx {
    struct rmm_tool *t;
    size_t skipped;
};

/* Names so generic that matching them would flag half of Windows. */
static int
generic_bin(const char *b)
{
    static const char *const deny[] = {
        "agent.exe",      "client.exe",    "gui.exe",       "service.exe",
        "setup.exe",      "server.exe",    "host.exe",      "remote.exe",
        "launcher.exe",   "helper.exe",    "update.exe",    "updater.exe",
        "install.exe",    "installer.exe", "uninstall.exe", "app.exe",
        "main.exe",       "run.exe",       "*.exe",         "*",
        "svchost.exe",    "cmd.exe",       "rundll32.exe",  "msiexec.exe",
        "java.exe",       "javaw.exe",     "python.exe",    "node.exe",
        "powershell.exe", "mono",
    };
    for (size_t i = 0; i < VG_ARRAY_LEN(deny); i++)
        if (rmm_glob(deny[i], b) && strchr(deny[i], '*') == NULL)
            return 1;
    return strcmp(b, "*") == 0 || strcmp(b, "*.exe") == 0 || b[0] == '\0';
}

/* Regular expressions written where a path was expected ("TeamViewer\d\d_
 * Logfile\.log", ".*\\foo"): turn the common forms into globs. Returns 0 when
 * the text is a regex too rich to convert (alternation, groups). */
static int
regex_to_glob(const char *in, char *out, size_t cap)
{
    int rx = strstr(in, "\\.") != NULL || strstr(in, ".*") != NULL ||
             strstr(in, "\\d") != NULL || strstr(in, ".+") != NULL ||
             in[0] == '^' || (in[0] != '\0' && in[strlen(in) - 1] == '$');
    if (!rx) {
        rmm_copy(out, cap, in, strlen(in));
        return 1;
    }
    if (strchr(in, '|') != NULL || strstr(in, "(?") != NULL)
        return 0;
    size_t o = 0;
    for (const char *p = in; *p != '\0' && o + 2 < cap; p++) {
        if (*p == '^' || *p == '$')
            continue;
        if (p[0] == '.' && (p[1] == '*' || p[1] == '+')) {
            out[o++] = '*';
            p++;
        } else if (p[0] == '\\' && p[1] == '.') {
            out[o++] = '.';
            p++;
        } else if (p[0] == '\\' && (p[1] == 'd' || p[1] == 'w') &&
                   !(p[2] >= 'a' && p[2] <= 'z')) {
            out[o++] = '?'; /* "\d" but not the folder "\drivers" */
            p++;
        } else if (p[0] == '[') {
            const char *e = strchr(p, ']');
            if (e == NULL)
                return 0;
            out[o++] = '?';
            p = e;
        } else {
            out[o++] = *p;
        }
    }
    out[o] = '\0';
    return 1;
}

/* Environment variables LOLRMM uses, mapped to catalog macros. */
static const char *const envmap[][2] = {
    {"%appdata%", "%APPDATA%"},
    {"%localappdata%", "%LOCALAPPDATA%"},
    {"%programdata%", "C:\\ProgramData"},
    {"%programfiles(x86)%", "C:\\Program Files (x86)"},
    {"%programfiles%", "C:\\Program Files"},
    {"%userprofile%", "%PROFILES%"},
    {"%windir%", "C:\\Windows"},
    {"%systemroot%", "C:\\Windows"},
    {"%systemdrive%", "C:"},
    {"%temp%", "%LOCALAPPDATA%\\Temp"},
};

static void
env_expand(const char *in, char *out, size_t cap)
{
    for (size_t i = 0; i < VG_ARRAY_LEN(envmap); i++) {
        size_t k = strlen(envmap[i][0]);
        if (strlen(in) >= k && vg_ascii_ieq(in, envmap[i][0], k)) {
            struct vg_buf b;
            vg_buf_init(&b, cap);
            if (vg_buf_adds(&b, envmap[i][1]) == VG_OK &&
                vg_buf_adds(&b, in + k) == VG_OK)
                rmm_copy(out, cap, b.data, b.len);
            else
                out[0] = '\0';
            vg_buf_fini(&b);
            return;
        }
    }
    rmm_copy(out, cap, in, strlen(in));
}

static uint8_t
kind_of(const char *p)
{
    static const char *const cfg[] = {".conf", ".config", ".ini",  ".xml",
                                      ".toml", ".msh",    ".json", ".cfg"};
    static const char *const log[] = {".log", ".txt", ".trace"};
    size_t n = strlen(p);
    for (size_t i = 0; i < VG_ARRAY_LEN(cfg); i++) {
        size_t k = strlen(cfg[i]);
        if (n >= k && vg_ascii_ieq(p + n - k, cfg[i], k))
            return RMM_K_CONFIG;
    }
    for (size_t i = 0; i < VG_ARRAY_LEN(log); i++) {
        size_t k = strlen(log[i]);
        if (n >= k && vg_ascii_ieq(p + n - k, log[i], k))
            return RMM_K_LOG;
    }
    return RMM_K_INSTALL;
}

/* One path-ish string from InstallationPaths or Artifacts.Disk. */
static int
add_pathish(struct lctx *lc, const char *s, size_t n, int from_disk)
{
    char raw[1024], exp[1024], g[1024];
    while (n > 0 && (s[0] == '"' || s[0] == '\'')) {
        s++;
        n--;
    }
    while (n > 0 && (s[n - 1] == '"' || s[n - 1] == '\''))
        n--;
    if (n == 0 || n >= sizeof(raw)) {
        lc->skipped++;
        return VG_OK;
    }
    rmm_copy(raw, sizeof(raw), s, n);
    env_expand(raw, exp, sizeof(exp));
    /* a '%' left after expansion is a variable we do not know */
    size_t mac = 0;
    static const char *const ok_macros[] = {"%APPDATA%", "%LOCALAPPDATA%",
                                            "%PROFILES%"};
    for (size_t i = 0; i < VG_ARRAY_LEN(ok_macros); i++)
        if (strncmp(exp, ok_macros[i], strlen(ok_macros[i])) == 0)
            mac = strlen(ok_macros[i]);
    if (!regex_to_glob(exp, g, sizeof(g)) || strchr(g + mac, '%') != NULL) {
        lc->skipped++;
        return VG_OK;
    }
    const char *base = rmm_basename(g);
    int has_sep = strchr(g, '\\') != NULL || strchr(g, '/') != NULL;
    int is_win =
        ((g[0] >= 'A' && g[0] <= 'Z') || (g[0] >= 'a' && g[0] <= 'z')) &&
        g[1] == ':';
    int rc = VG_OK;
    /* A file name (bare or at the end of a path) is a binary to look for in
     * services, Run keys and processes. */
    if (!from_disk && *base != '\0' && !generic_bin(base) &&
        (rmm_glob("*.exe", base) || (!has_sep && strchr(base, '.') == NULL)))
        rc = rmm_sv_has(&lc->t->bins, base)
                 ? VG_OK
                 : rmm_sv_add(&lc->t->bins, base, strlen(base));
    if (rc != VG_OK && rc != VG_ELIMIT)
        return rc;
    if (!has_sep)
        return VG_OK;
    if (is_win || g[0] == '%')
        rc = rmm_tool_add_path(lc->t, RMM_OS_WIN, kind_of(g), g);
    else if (g[0] == '/')
        rc = rmm_tool_add_path(lc->t, RMM_OS_LINUX | RMM_OS_MAC, kind_of(g), g);
    else if (g[0] == '~' && g[1] == '/') { /* "~/.anydesk" */
        char h[1100];
        (void)snprintf(h, sizeof(h), "%%HOME%%%s", g + 1);
        rc = rmm_tool_add_path(lc->t, RMM_OS_LINUX | RMM_OS_MAC, kind_of(g), h);
    } else {
        lc->skipped++; /* "*\foo\bar", "~x": relative, needs a full walk */
    }
    return rc == VG_ELIMIT ? VG_OK : rc;
}

static int
on_instpath(void *arg, yaml_document_t *doc, yaml_node_t *n)
{
    (void)doc;
    size_t len = 0;
    const char *s = scalar(n, &len);
    if (s == NULL) {
        ((struct lctx *)arg)->skipped++;
        return VG_OK;
    }
    return add_pathish(arg, s, len, 0);
}

static int
on_pemeta(void *arg, yaml_document_t *doc, yaml_node_t *n)
{
    struct lctx *lc = arg;
    static const char *const keys[] = {"Filename", "OriginalFileName"};
    for (size_t i = 0; i < VG_ARRAY_LEN(keys); i++) {
        size_t len;
        const char *s = scalar(get(doc, n, keys[i]), &len);
        char b[256];
        if (s == NULL || len == 0 || len >= sizeof(b))
            continue;
        rmm_copy(b, sizeof(b), s, len);
        if (generic_bin(b) || rmm_sv_has(&lc->t->bins, b))
            continue;
        int rc = rmm_sv_add(&lc->t->bins, b, len);
        if (rc != VG_OK && rc != VG_ELIMIT)
            return rc;
    }
    return VG_OK;
}

static int
on_disk(void *arg, yaml_document_t *doc, yaml_node_t *n)
{
    size_t len = 0;
    const char *s = scalar(get(doc, n, "File"), &len);
    if (s == NULL)
        return VG_OK;
    return add_pathish(arg, s, len, 1);
}

static int
add_unique(struct rmm_sv *sv, const char *s, size_t len)
{
    char b[512];
    if (s == NULL || len == 0 || len >= sizeof(b))
        return VG_OK;
    rmm_copy(b, sizeof(b), s, len);
    if (rmm_sv_has(sv, b))
        return VG_OK;
    int rc = rmm_sv_add(sv, b, len);
    return rc == VG_ELIMIT ? VG_OK : rc;
}

static int
on_registry(void *arg, yaml_document_t *doc, yaml_node_t *n)
{
    struct lctx *lc = arg;
    size_t len = 0;
    const char *s = scalar(get(doc, n, "Path"), &len);
    if (s == NULL)
        return VG_OK;
    if (len > 3 && vg_ascii_ieq(s, "KLM\\", 4)) { /* the "KLM\" typo */
        char fix[512];
        if (len + 1 >= sizeof(fix))
            return VG_OK;
        fix[0] = 'H';
        rmm_copy(fix + 1, sizeof(fix) - 1, s, len);
        return add_unique(&lc->t->regs, fix, len + 1);
    }
    return add_unique(&lc->t->regs, s, len);
}

static int
on_domain(void *arg, yaml_document_t *doc, yaml_node_t *n)
{
    (void)doc;
    size_t len = 0;
    const char *s = scalar(n, &len);
    if (s == NULL || scalar_is(n, "user_managed"))
        return VG_OK;
    return add_unique(&((struct lctx *)arg)->t->domains, s, len);
}

static int
on_network(void *arg, yaml_document_t *doc, yaml_node_t *n)
{
    return each(doc, get(doc, n, "Domains"), on_domain, arg);
}

static int
on_eventlog(void *arg, yaml_document_t *doc, yaml_node_t *n)
{
    size_t len = 0;
    const char *s = scalar(get(doc, n, "ServiceName"), &len);
    return add_unique(&((struct lctx *)arg)->t->svcs, s, len);
}

static int
on_cert(void *arg, yaml_document_t *doc, yaml_node_t *n)
{
    size_t len = 0;
    const char *s = scalar(get(doc, n, "signer_name"), &len);
    return add_unique(&((struct lctx *)arg)->t->signers, s, len);
}

/* "Splashtop Remote" -> "splashtopremote": ids compare on letters/digits. */
static void
norm_name(const char *s, size_t n, char *out, size_t cap)
{
    size_t o = 0;
    for (size_t i = 0; i < n && o + 1 < cap; i++) {
        char c = vg_ascii_lower(s[i]);
        if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'))
            out[o++] = c;
    }
    out[o] = '\0';
}

static struct rmm_tool *
find_norm(struct vg_rmm_catalog *c, const char *norm)
{
    char b[160];
    for (size_t i = 0; i < c->n; i++) {
        const char *id = c->tools[i].id;
        if (strncmp(id, "lolrmm:", 7) == 0)
            id += 7;
        norm_name(id, strlen(id), b, sizeof(b));
        if (strcmp(b, norm) == 0)
            return &c->tools[i];
    }
    return NULL;
}

static int
load_doc(struct vg_rmm_catalog *c, yaml_document_t *doc, size_t *skipped)
{
    yaml_node_t *root = yaml_document_get_root_node(doc);
    size_t len = 0;
    const char *name = scalar(get(doc, root, "Name"), &len);
    if (name == NULL || len == 0 || len > 128)
        return VG_EFORMAT;
    char norm[160], id[200];
    norm_name(name, len, norm, sizeof(norm));
    if (norm[0] == '\0')
        return VG_EFORMAT;
    struct rmm_tool *t = find_norm(c, norm);
    int rc;
    if (t == NULL) {
        int k = snprintf(id, sizeof(id), "lolrmm:%s", norm);
        if (k < 0 || (size_t)k >= sizeof(id))
            return VG_EFORMAT;
        if ((rc = rmm_tool_add(c, id, &t)) != VG_OK)
            return rc;
        vg_free(t->name);
        t->name = vg_strndup(name, len);
        const char *cat = scalar(get(doc, root, "Category"), &len);
        t->category =
            vg_strndup(cat != NULL ? cat : "rmm", cat != NULL ? len : 3);
        if (t->name == NULL || t->category == NULL)
            return VG_ENOMEM;
        t->lolrmm = 1;
    }
    struct lctx lc = {t, 0};
    yaml_node_t *det = get(doc, root, "Details");
    yaml_node_t *art = get(doc, root, "Artifacts");
    yaml_node_t *cs = get(doc, root, "CodeSigning");
    rc = each(doc, get(doc, det, "InstallationPaths"), on_instpath, &lc);
    if (rc == VG_OK)
        rc = each(doc, get(doc, det, "PEMetadata"), on_pemeta, &lc);
    if (rc == VG_OK)
        rc = each(doc, get(doc, art, "Disk"), on_disk, &lc);
    if (rc == VG_OK)
        rc = each(doc, get(doc, art, "Registry"), on_registry, &lc);
    if (rc == VG_OK)
        rc = each(doc, get(doc, art, "Network"), on_network, &lc);
    if (rc == VG_OK)
        rc = each(doc, get(doc, art, "EventLog"), on_eventlog, &lc);
    if (rc == VG_OK)
        rc = each(doc, get(doc, cs, "certificates"), on_cert, &lc);
    if (skipped != NULL)
        *skipped += lc.skipped;
    return rc;
}

int
vg_rmm_catalog_load_lolrmm_buf(struct vg_rmm_catalog *c, const char *data,
                               size_t n, const char *name, size_t *n_skipped,
                               struct vg_diag *d)
{
    const char *nm = name != NULL ? name : "<lolrmm>";
    if (n > LOL_MAX_DOC)
        return vg_diag_set(d, VG_ELIMIT, nm, VG_DIAG_NONE, VG_DIAG_NONE,
                           "larger than %u bytes", LOL_MAX_DOC);
    yaml_parser_t parser;
    yaml_document_t doc;
    if (!yaml_parser_initialize(&parser))
        return VG_ENOMEM;
    yaml_parser_set_input_string(&parser, (const unsigned char *)data, n);
    int rc = VG_OK;
    if (!yaml_parser_load(&parser, &doc)) {
        rc = vg_diag_set(d, VG_ESYNTAX, nm,
                         (uint64_t)parser.problem_mark.line + 1, VG_DIAG_NONE,
                         "YAML: %s",
                         parser.problem != NULL ? parser.problem : "error");
        yaml_parser_delete(&parser);
        return rc;
    }
    if (yaml_document_get_root_node(&doc) == NULL)
        rc = vg_diag_set(d, VG_EFORMAT, nm, VG_DIAG_NONE, VG_DIAG_NONE,
                         "empty YAML document");
    else if ((rc = load_doc(c, &doc, n_skipped)) == VG_EFORMAT)
        rc = vg_diag_set(d, rc, nm, VG_DIAG_NONE, VG_DIAG_NONE,
                         "no usable Name field");
    else if (rc != VG_OK)
        rc = vg_diag_set(d, rc, nm, VG_DIAG_NONE, VG_DIAG_NONE, "%s",
                         vg_strerror(rc));
    yaml_document_delete(&doc);
    yaml_parser_delete(&parser);
    return rc;
}

static int
read_small(int dfd, const char *name, char **out, size_t *n)
{
    *out = NULL;
    *n = 0;
    int fd = openat(dfd, name, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
    if (fd < 0)
        return VG_EIO;
    struct stat st;
    int rc = VG_OK;
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) ||
        (uint64_t)st.st_size > LOL_MAX_DOC) {
        rc = VG_ELIMIT;
        goto out;
    }
    size_t len = (size_t)st.st_size, got = 0;
    char *b = vg_malloc(len + 1);
    if (b == NULL) {
        rc = VG_ENOMEM;
        goto out;
    }
    while (got < len) {
        ssize_t r = read(fd, b + got, len - got);
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0)
            break;
        got += (size_t)r;
    }
    b[got] = '\0';
    *out = b;
    *n = got;
out:
    close(fd);
    return rc;
}

static int
cmp_str(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

int
vg_rmm_catalog_load_lolrmm_dir(struct vg_rmm_catalog *c, const char *dir,
                               const struct vg_ctx *ctx, size_t *n_files,
                               struct vg_diag *d)
{
    if (n_files != NULL)
        *n_files = 0;
    int dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dfd < 0)
        return vg_diag_set(d, VG_EIO, dir, VG_DIAG_NONE, VG_DIAG_NONE,
                           "cannot open catalog folder: %s", strerror(errno));
    DIR *dh = fdopendir(dfd);
    if (dh == NULL) {
        close(dfd);
        return VG_ENOMEM;
    }
    struct rmm_sv names = {0};
    int rc = VG_OK;
    struct dirent *de;
    while (rc == VG_OK && (de = readdir(dh)) != NULL)
        if (rmm_glob("*.yaml", de->d_name) || rmm_glob("*.yml", de->d_name))
            rc = rmm_sv_add(&names, de->d_name, strlen(de->d_name));
    if (rc == VG_ELIMIT) { /* more than RMM_MAX_LIST files: first ones */
        vg_log(ctx, VG_LOG_WARN, "rmm",
               "%s: more than %u YAML files; the rest are not loaded", dir,
               RMM_MAX_LIST);
        rc = VG_OK;
    }
    /* Sorted, so merges and tool order are the same on every machine. */
    if (names.n > 1)
        qsort(names.v, names.n, sizeof(char *), cmp_str);
    size_t ok = 0, skipped = 0;
    for (size_t i = 0; rc == VG_OK && i < names.n; i++) {
        char *buf;
        size_t len;
        struct vg_diag fd_diag;
        vg_diag_clear(&fd_diag);
        int r = read_small(dirfd(dh), names.v[i], &buf, &len);
        if (r == VG_OK)
            r = vg_rmm_catalog_load_lolrmm_buf(c, buf, len, names.v[i],
                                               &skipped, &fd_diag);
        vg_free(buf);
        if (r == VG_ENOMEM) {
            rc = r;
        } else if (r != VG_OK) {
            char msg[VG_DIAG_PATH_MAX + VG_DIAG_MSG_MAX];
            if (fd_diag.msg[0] == '\0')
                (void)vg_diag_set(&fd_diag, r, names.v[i], VG_DIAG_NONE,
                                  VG_DIAG_NONE, "%s", vg_strerror(r));
            vg_log(ctx, VG_LOG_WARN, "rmm", "%s: skipped (%s)", dir,
                   vg_diag_format(&fd_diag, msg, sizeof(msg)));
        } else {
            ok++;
        }
    }
    if (skipped > 0)
        vg_log(ctx, VG_LOG_INFO, "rmm",
               "%s: %zu LOLRMM values not usable as paths (relative or "
               "regex) were skipped",
               dir, skipped);
    rmm_sv_free(&names);
    closedir(dh);
    if (n_files != NULL)
        *n_files = ok;
    if (rc == VG_OK && ok == 0)
        rc = vg_diag_set(d, VG_ENOTFOUND, dir, VG_DIAG_NONE, VG_DIAG_NONE,
                         "no LOLRMM YAML file loaded");
    return rc;
}
