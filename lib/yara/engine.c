/* SPDX-License-Identifier: Apache-2.0 */
/*
 * engine.c - YARA rules: load, compile, cache and scan (contract in
 * vigil/yara.h). The only file in Vigil that includes <yara.h>.
 *
 * Sources are read once (through the read-only walker) and the same bytes
 * are hashed for the cache key and handed to the compiler, so the cache
 * can never hold rules built from different text than the key says.
 * A file that fails to compile poisons a YR_COMPILER, so compilation is
 * retried without it; each retry drops one more bad file.
 *
 * Not done here: YARA modules' module data (cuckoo, magic), process memory
 * scanning, rule-set merging of several precompiled files.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <yara.h>

#include "vigil/fs.h"
#include "vigil/yara.h"

#include "core/alloc.h"
#include "core/banned.h"
#include "core/str.h"

#define MOD "yara"
/* One rule file, and all of them together: signature-base is 40 MB of
 * sources in 742 files; ten times that is not a rule set but an attack. */
#define MAX_RULE_FILE (64u << 20)
#define MAX_RULE_TOTAL (512u << 20)
#define MAX_RULE_FILES 100000u
#define MAX_META 32u
#define MAX_TAGS 32u
#define CACHE_PATH_MAX 4096u

static const char *const externals[] = {
    "filename", "filepath", "extension", "filetype", "owner",
};

struct vg_yara_rules {
    YR_RULES *rules;
    unsigned n_rules;
};

struct src_file {
    char *path;
    char *text; /* NUL-terminated */
    size_t len;
    int is_failed;
};

struct src_set {
    const struct vg_ctx *ctx;
    struct src_file *f;
    size_t n, cap;
    size_t total;
    int is_compiled; /* a precompiled file was named */
    char *compiled_path;
    int rc;
};

/* --- reading sources ------------------------------------------------- */

static int
has_rule_ext(const char *name)
{
    const char *dot = strrchr(name, '.');

    if (dot == NULL) {
        return 0;
    }
    return (strlen(dot) == 4 && vg_ascii_ieq(dot, ".yar", 4)) ||
           (strlen(dot) == 5 && vg_ascii_ieq(dot, ".yara", 5));
}

static int
read_fd(int fd, size_t size, char **out)
{
    char *buf = vg_malloc(size + 1);
    size_t got = 0;

    *out = NULL;
    if (buf == NULL) {
        return VG_ENOMEM;
    }
    while (got < size) {
        ssize_t r = read(fd, buf + got, size - got);
        if (r < 0 && errno == EINTR) {
            continue;
        }
        if (r <= 0) {
            break;
        }
        got += (size_t)r;
    }
    if (got != size) {
        vg_free(buf);
        return VG_EIO;
    }
    buf[size] = '\0';
    *out = buf;
    return VG_OK;
}

static int
add_source(struct src_set *s, const char *path, char *text, size_t len)
{
    if (s->n == s->cap) {
        size_t ncap = s->cap != 0 ? s->cap * 2 : 64;
        struct src_file *nf = vg_reallocarray(s->f, ncap, sizeof(*nf));
        if (nf == NULL) {
            return VG_ENOMEM;
        }
        s->f = nf;
        s->cap = ncap;
    }
    s->f[s->n].path = vg_strdup(path);
    if (s->f[s->n].path == NULL) {
        return VG_ENOMEM;
    }
    s->f[s->n].text = text;
    s->f[s->n].len = len;
    s->f[s->n].is_failed = 0;
    s->n++;
    s->total += len;
    return VG_OK;
}

static int
on_rule_file(void *arg, const struct vg_walk_entry *e)
{
    struct src_set *s = arg;
    size_t size = (size_t)e->st->st_size;
    char *text = NULL;
    int rc;

    if (e->depth > 0 && !has_rule_ext(e->name)) {
        close(e->fd);
        return VG_OK;
    }
    if (e->st->st_size < 0 || size > MAX_RULE_FILE ||
        s->total + size > MAX_RULE_TOTAL || s->n >= MAX_RULE_FILES) {
        vg_log(s->ctx, VG_LOG_ERROR, MOD, "%s: rule file too large", e->path);
        close(e->fd);
        return VG_ELIMIT;
    }
    rc = read_fd(e->fd, size, &text);
    close(e->fd);
    if (rc != VG_OK) {
        vg_log(s->ctx, VG_LOG_ERROR, MOD, "%s: cannot read", e->path);
        return rc;
    }
    if (size >= 4 && memcmp(text, "YARA", 4) == 0) {
        /* yarac output: loaded by libyara itself, not compiled. */
        vg_free(text);
        if (s->is_compiled) {
            return VG_EUNSUPPORTED;
        }
        s->is_compiled = 1;
        s->compiled_path = vg_strdup(e->path);
        return s->compiled_path != NULL ? VG_OK : VG_ENOMEM;
    }
    rc = add_source(s, e->path, text, size);
    if (rc != VG_OK) {
        vg_free(text);
    }
    return rc;
}

static void
on_walk_error(void *arg, const char *path, int err)
{
    struct src_set *s = arg;

    vg_log(s->ctx, VG_LOG_WARN, MOD, "%s: %s", path, strerror(err));
}

static void
src_set_fini(struct src_set *s)
{
    for (size_t i = 0; i < s->n; i++) {
        vg_free(s->f[i].path);
        vg_free(s->f[i].text);
    }
    vg_free(s->f);
    vg_free(s->compiled_path);
}

static int
collect_sources(const struct vg_ctx *ctx, const struct vg_yara_load_opts *o,
                struct src_set *s, struct vg_diag *diag)
{
    struct vg_walk_opts wo = {
        .on_file = on_rule_file,
        .on_error = on_walk_error,
        .arg = s,
    };

    for (size_t i = 0; i < o->n_paths; i++) {
        int rc = vg_walk(ctx, o->paths[i], &wo, NULL);
        if (rc == VG_EUNSUPPORTED) {
            return vg_diag_set(diag, rc, o->paths[i], VG_DIAG_NONE,
                               VG_DIAG_NONE,
                               "only one precompiled rule file can be used");
        }
        if (rc != VG_OK) {
            return vg_diag_set(diag, rc, o->paths[i], VG_DIAG_NONE,
                               VG_DIAG_NONE, "cannot read rules: %s",
                               vg_strerror(rc));
        }
    }
    if (s->is_compiled && s->n > 0) {
        return vg_diag_set(diag, VG_EUNSUPPORTED, s->compiled_path,
                           VG_DIAG_NONE, VG_DIAG_NONE,
                           "a precompiled rule file cannot be mixed with "
                           "rule sources");
    }
    if (!s->is_compiled && s->n == 0) {
        return vg_diag_set(diag, VG_ENOTFOUND,
                           o->n_paths > 0 ? o->paths[0] : NULL, VG_DIAG_NONE,
                           VG_DIAG_NONE, "no .yar or .yara files found");
    }
    return VG_OK;
}

/* --- cache ------------------------------------------------------------ */

int
vg_yara_cache_dir(char *out, size_t cap)
{
    const char *xdg = getenv("XDG_CACHE_HOME");
    const char *home = getenv("HOME");
    int n;

    if (xdg != NULL && xdg[0] == '/') {
        n = snprintf(out, cap, "%s/vigil", xdg);
    } else if (home != NULL && home[0] != '\0') {
        n = snprintf(out, cap, "%s/.cache/vigil", home);
    } else {
        return VG_ENOTFOUND;
    }
    return n > 0 && (size_t)n < cap ? VG_OK : VG_ELIMIT;
}

static int
cache_key(const struct src_set *s, char hex[65])
{
    struct vg_hasher *h = NULL;
    struct vg_digests d;
    static const char tag[] = "vigil-yara-cache-v1\n" YR_VERSION "\n";
    int rc = vg_hasher_new(VG_DIGEST_SHA256, &h);

    if (rc != VG_OK) {
        return rc;
    }
    rc = vg_hasher_update(h, tag, sizeof(tag));
    for (size_t i = 0; i < VG_ARRAY_LEN(externals) && rc == VG_OK; i++) {
        rc = vg_hasher_update(h, externals[i], strlen(externals[i]) + 1);
    }
    for (size_t i = 0; i < s->n && rc == VG_OK; i++) {
        uint64_t len = s->f[i].len;
        rc = vg_hasher_update(h, s->f[i].path, strlen(s->f[i].path) + 1);
        if (rc == VG_OK) {
            rc = vg_hasher_update(h, &len, sizeof(len));
        }
        if (rc == VG_OK) {
            rc = vg_hasher_update(h, s->f[i].text, s->f[i].len);
        }
    }
    if (rc == VG_OK) {
        rc = vg_hasher_final(h, &d);
    }
    vg_hasher_free(h);
    if (rc == VG_OK) {
        vg_hex(d.sha256, sizeof(d.sha256), hex);
    }
    return rc;
}

static int
cache_path(const struct vg_yara_load_opts *o, const struct src_set *s,
           char *out, size_t cap)
{
    char dir[CACHE_PATH_MAX];
    char hex[65];
    int rc, n;

    if (o->cache_dir != NULL && o->cache_dir[0] == '\0') {
        return VG_ENOTFOUND;
    }
    if (o->cache_dir != NULL) {
        if (vg_strlcpy(dir, o->cache_dir, sizeof(dir)) >= sizeof(dir)) {
            return VG_ELIMIT;
        }
    } else {
        rc = vg_yara_cache_dir(dir, sizeof(dir));
        if (rc != VG_OK) {
            return rc;
        }
    }
    rc = cache_key(s, hex);
    if (rc != VG_OK) {
        return rc;
    }
    n = snprintf(out, cap, "%s/yara-%s.yarc", dir, hex);
    return n > 0 && (size_t)n < cap ? VG_OK : VG_ELIMIT;
}

/* mkdir -p for the cache folder (0700: rules may be private). */
static int
make_dirs(char *path)
{
    for (char *p = path + 1; *p != '\0'; p++) {
        if (*p != '/') {
            continue;
        }
        *p = '\0';
        int r = mkdir(path, 0700);
        *p = '/';
        if (r != 0 && errno != EEXIST) {
            return -1;
        }
    }
    return 0;
}

static void
cache_save(const struct vg_ctx *ctx, YR_RULES *rules, const char *path)
{
    char dir[CACHE_PATH_MAX];
    char tmp[CACHE_PATH_MAX + 32];
    int n;

    if (vg_strlcpy(dir, path, sizeof(dir)) >= sizeof(dir) ||
        make_dirs(dir) != 0) {
        vg_log(ctx, VG_LOG_DEBUG, MOD, "%s: cannot create cache folder", path);
        return;
    }
    n = snprintf(tmp, sizeof(tmp), "%s.tmp.%ld", path, (long)getpid());
    if (n <= 0 || (size_t)n >= sizeof(tmp)) {
        return;
    }
    if (yr_rules_save(rules, tmp) != ERROR_SUCCESS || rename(tmp, path) != 0) {
        (void)unlink(tmp); /* a partial cache file must not stay */
        vg_log(ctx, VG_LOG_DEBUG, MOD, "%s: cannot write cache", path);
    }
}

/* --- compiling -------------------------------------------------------- */

struct compile_state {
    const struct vg_ctx *ctx;
    const char *file; /* source being added */
    int first_line;
    char first_msg[256];
};

static void
compiler_cb(int level, const char *file_name, int line, const YR_RULE *rule,
            const char *message, void *user_data)
{
    struct compile_state *cs = user_data;

    (void)file_name;
    (void)rule;
    if (level == YARA_ERROR_LEVEL_ERROR) {
        vg_log(cs->ctx, VG_LOG_WARN, MOD, "%s:%d: %s (file left out)", cs->file,
               line, message);
        if (cs->first_line == 0) {
            cs->first_line = line > 0 ? line : 1;
            vg_strlcpy(cs->first_msg, message, sizeof(cs->first_msg));
        }
    } else {
        vg_log(cs->ctx, VG_LOG_DEBUG, MOD, "%s:%d: warning: %s", cs->file, line,
               message);
    }
}

static const char *
refuse_include(const char *include_name, const char *calling_rule_filename,
               const char *calling_rule_namespace, void *user_data)
{
    (void)include_name;
    (void)calling_rule_filename;
    (void)calling_rule_namespace;
    (void)user_data;
    return NULL; /* libyara reports "can't open include file" */
}

static int
define_externals(YR_COMPILER *c)
{
    for (size_t i = 0; i < VG_ARRAY_LEN(externals); i++) {
        if (yr_compiler_define_string_variable(c, externals[i], "") !=
            ERROR_SUCCESS) {
            return VG_ENOMEM;
        }
    }
    return VG_OK;
}

/* One compile attempt over the files not yet failed. Returns VG_OK with
 * *out set, VG_EAGAIN-like 1 when a file failed (marked), or an error. */
static int
compile_once(struct src_set *s, struct compile_state *cs, YR_RULES **out)
{
    YR_COMPILER *c = NULL;
    int rc = VG_OK;

    *out = NULL;
    if (yr_compiler_create(&c) != ERROR_SUCCESS) {
        return VG_ENOMEM;
    }
    yr_compiler_set_callback(c, compiler_cb, cs);
    yr_compiler_set_include_callback(c, refuse_include, NULL, NULL);
    rc = define_externals(c);
    for (size_t i = 0; i < s->n && rc == VG_OK; i++) {
        if (s->f[i].is_failed) {
            continue;
        }
        cs->file = s->f[i].path;
        if (yr_compiler_add_string(c, s->f[i].text, NULL) != 0) {
            s->f[i].is_failed = 1;
            rc = 1;
        }
    }
    if (rc == VG_OK && yr_compiler_get_rules(c, out) != ERROR_SUCCESS) {
        rc = VG_ENOMEM;
    }
    yr_compiler_destroy(c);
    return rc;
}

static int
compile_sources(struct src_set *s, struct vg_yara_load_info *info,
                YR_RULES **out, struct vg_diag *diag)
{
    struct compile_state cs = {.ctx = s->ctx};
    int rc;

    *out = NULL;
    for (;;) {
        rc = compile_once(s, &cs, out);
        if (rc != 1) {
            break;
        }
        info->n_failed++;
        if (info->n_failed == s->n) {
            return vg_diag_set(diag, VG_ESYNTAX, s->f[0].path,
                               (uint64_t)cs.first_line, VG_DIAG_NONE, "%s",
                               cs.first_msg);
        }
    }
    info->n_files = (unsigned)(s->n - info->n_failed);
    return rc;
}

/* --- loading ---------------------------------------------------------- */

static unsigned
count_rules(YR_RULES *rules)
{
    const YR_RULE *rule;
    unsigned n = 0;

    yr_rules_foreach(rules, rule)
    {
        n++;
    }
    return n;
}

static int
load_compiled(const char *path, YR_RULES **out, struct vg_diag *diag)
{
    int r = yr_rules_load(path, out);

    if (r == ERROR_SUCCESS) {
        return VG_OK;
    }
    *out = NULL;
    return vg_diag_set(diag,
                       r == ERROR_INSUFFICIENT_MEMORY ? VG_ENOMEM : VG_EFORMAT,
                       path, VG_DIAG_NONE, VG_DIAG_NONE,
                       "not a usable compiled YARA file (libyara error %d)", r);
}

/* libyara's compiled format is not meant for untrusted input, so a cache
 * file is only loaded when it is a regular file of ours that nobody else
 * may write. */
static int
cache_trusted(const char *path)
{
    struct stat st;

    return stat(path, &st) == 0 && S_ISREG(st.st_mode) &&
           st.st_uid == geteuid() && (st.st_mode & (S_IWGRP | S_IWOTH)) == 0;
}

static int
load_sources(const struct vg_ctx *ctx, const struct vg_yara_load_opts *o,
             struct src_set *s, YR_RULES **out, struct vg_yara_load_info *info,
             struct vg_diag *diag)
{
    char cpath[CACHE_PATH_MAX];
    int has_cache = cache_path(o, s, cpath, sizeof(cpath)) == VG_OK;
    int rc;

    if (has_cache && cache_trusted(cpath)) {
        if (yr_rules_load(cpath, out) == ERROR_SUCCESS) {
            info->is_cached = 1;
            info->n_files = (unsigned)s->n;
            return VG_OK;
        }
        *out = NULL;
        vg_log(ctx, VG_LOG_INFO, MOD, "%s: damaged cache file, recompiling",
               cpath);
    }
    rc = compile_sources(s, info, out, diag);
    if (rc == VG_OK && has_cache && info->n_failed == 0) {
        /* A partly failed set is not cached: the next run should report
         * the same errors again. */
        cache_save(ctx, *out, cpath);
    }
    return rc;
}

int
vg_yara_load(const struct vg_ctx *ctx, const struct vg_yara_load_opts *o,
             struct vg_yara_rules **out, struct vg_yara_load_info *info,
             struct vg_diag *diag)
{
    struct vg_yara_load_info dummy;
    struct src_set s = {.ctx = ctx};
    struct vg_yara_rules *r = NULL;
    YR_RULES *rules = NULL;
    int rc;

    *out = NULL;
    info = info != NULL ? info : &dummy;
    memset(info, 0, sizeof(*info));
    if (o == NULL || (o->n_paths > 0 && o->paths == NULL)) {
        return VG_EINVAL;
    }
    if (yr_initialize() != ERROR_SUCCESS) {
        return VG_ENOMEM;
    }
    rc = collect_sources(ctx, o, &s, diag);
    if (rc == VG_OK && s.is_compiled) {
        rc = load_compiled(s.compiled_path, &rules, diag);
        info->is_compiled = rc == VG_OK;
    } else if (rc == VG_OK) {
        rc = load_sources(ctx, o, &s, &rules, info, diag);
    }
    if (rc == VG_OK) {
        r = vg_calloc(1, sizeof(*r));
        rc = r != NULL ? VG_OK : VG_ENOMEM;
    }
    if (rc != VG_OK) {
        if (rules != NULL) {
            yr_rules_destroy(rules);
        }
        yr_finalize();
        goto out;
    }
    r->rules = rules;
    r->n_rules = count_rules(rules);
    info->n_rules = r->n_rules;
    *out = r;
out:
    src_set_fini(&s);
    return rc;
}

void
vg_yara_rules_free(struct vg_yara_rules *r)
{
    if (r == NULL) {
        return;
    }
    yr_rules_destroy(r->rules);
    vg_free(r);
    yr_finalize();
}

unsigned
vg_yara_rule_count(const struct vg_yara_rules *r)
{
    return r != NULL ? r->n_rules : 0;
}

/* --- scanning --------------------------------------------------------- */

struct vg_yara_scanner {
    YR_SCANNER *sc;
    const struct vg_yara_rules *r;
    vg_yara_match_fn *fn;
    void *arg;
    int rc;
    const char *tags[MAX_TAGS];
    struct vg_kv meta[MAX_META];
    char meta_num[MAX_META][24];
    struct vg_yara_string strings[VG_YARA_MAX_STRINGS];
};

static size_t
collect_meta(struct vg_yara_scanner *s, const YR_RULE *rule)
{
    const YR_META *meta;
    size_t n = 0;

    yr_rule_metas_foreach(rule, meta)
    {
        if (n == MAX_META) {
            break;
        }
        s->meta[n].key = meta->identifier;
        if (meta->type == META_TYPE_STRING) {
            s->meta[n].value = meta->string;
        } else if (meta->type == META_TYPE_BOOLEAN) {
            s->meta[n].value = meta->integer != 0 ? "true" : "false";
        } else {
            (void)snprintf(s->meta_num[n], sizeof(s->meta_num[n]), "%" PRId64,
                           meta->integer);
            s->meta[n].value = s->meta_num[n];
        }
        n++;
    }
    return n;
}

static void
fill_string(struct vg_yara_string *vs, const YR_STRING *string,
            const YR_MATCH *m)
{
    size_t dl = m->data_length > 0 ? (size_t)m->data_length : 0;

    vs->id = string->identifier;
    vs->offset = (uint64_t)(m->base + m->offset);
    vs->data = m->data;
    vs->len = dl < VG_YARA_MAX_DATA ? dl : VG_YARA_MAX_DATA;
    vs->match_len = m->match_length > 0 ? (size_t)m->match_length : 0;
}

static size_t
collect_strings(struct vg_yara_scanner *s, YR_SCAN_CONTEXT *context,
                const YR_RULE *rule, size_t *total)
{
    const YR_STRING *string;
    size_t n = 0;

    *total = 0;
    yr_rule_strings_foreach(rule, string)
    {
        /* libyara's match lists live in a notebook that does not keep
         * YR_MATCH 8-byte aligned, so each node is copied out with memcpy
         * instead of being read in place (yr_string_matches_foreach would
         * be undefined behaviour, and UBSan says so). */
        const YR_MATCH *next = context->matches[string->idx].head;
        while (next != NULL) {
            YR_MATCH m;
            memcpy(&m, next, sizeof(m));
            next = m.next;
            if (m.is_private) {
                continue;
            }
            (*total)++;
            if (n < VG_YARA_MAX_STRINGS) {
                fill_string(&s->strings[n++], string, &m);
            }
        }
    }
    return n;
}

static int
on_match(struct vg_yara_scanner *s, YR_SCAN_CONTEXT *context,
         const YR_RULE *rule)
{
    struct vg_yara_match m = {0};
    const char *tag;
    size_t nt = 0;

    yr_rule_tags_foreach(rule, tag)
    {
        if (nt == MAX_TAGS) {
            break;
        }
        s->tags[nt++] = tag;
    }
    m.rule = rule->identifier;
    m.ns = rule->ns != NULL ? rule->ns->name : NULL;
    m.tags = s->tags;
    m.n_tags = nt;
    m.meta = s->meta;
    m.n_meta = collect_meta(s, rule);
    m.strings = s->strings;
    m.n_strings = collect_strings(s, context, rule, &m.n_strings_total);
    return s->fn(s->arg, &m);
}

static int
scan_cb(YR_SCAN_CONTEXT *context, int message, void *message_data,
        void *user_data)
{
    struct vg_yara_scanner *s = user_data;

    if (message != CALLBACK_MSG_RULE_MATCHING) {
        return CALLBACK_CONTINUE;
    }
    s->rc = on_match(s, context, message_data);
    return s->rc == VG_OK ? CALLBACK_CONTINUE : CALLBACK_ABORT;
}

int
vg_yara_scanner_new(const struct vg_yara_rules *r, int timeout_s,
                    struct vg_yara_scanner **out)
{
    struct vg_yara_scanner *s;

    *out = NULL;
    if (r == NULL || timeout_s < 0) {
        return VG_EINVAL;
    }
    s = vg_calloc(1, sizeof(*s));
    if (s == NULL) {
        return VG_ENOMEM;
    }
    if (yr_scanner_create(r->rules, &s->sc) != ERROR_SUCCESS) {
        vg_free(s);
        return VG_ENOMEM;
    }
    s->r = r;
    yr_scanner_set_callback(s->sc, scan_cb, s);
    yr_scanner_set_timeout(s->sc, timeout_s);
    *out = s;
    return VG_OK;
}

void
vg_yara_scanner_free(struct vg_yara_scanner *s)
{
    if (s == NULL) {
        return;
    }
    yr_scanner_destroy(s->sc);
    vg_free(s);
}

static int
set_externals(struct vg_yara_scanner *s, const struct vg_yara_file *f)
{
    const char *v[VG_ARRAY_LEN(externals)] = {
        f->filename, f->filepath, f->extension, f->filetype, f->owner,
    };

    for (size_t i = 0; i < VG_ARRAY_LEN(externals); i++) {
        int r = yr_scanner_define_string_variable(s->sc, externals[i],
                                                  v[i] != NULL ? v[i] : "");
        /* A precompiled set may lack an external: nothing to set then. */
        if (r != ERROR_SUCCESS && r != ERROR_INVALID_ARGUMENT) {
            return r == ERROR_INSUFFICIENT_MEMORY ? VG_ENOMEM : VG_EYARA;
        }
    }
    return VG_OK;
}

int
vg_yara_scan_mem(struct vg_yara_scanner *s, const struct vg_yara_file *f,
                 const uint8_t *p, size_t n, vg_yara_match_fn *fn, void *arg)
{
    static const uint8_t empty[1] = {0};
    int rc, r;

    if (s == NULL || f == NULL || fn == NULL) {
        return VG_EINVAL;
    }
    rc = set_externals(s, f);
    if (rc != VG_OK) {
        return rc;
    }
    s->fn = fn;
    s->arg = arg;
    s->rc = VG_OK;
    r = yr_scanner_scan_mem(s->sc, p != NULL ? p : empty, n);
    if (s->rc != VG_OK) {
        return s->rc;
    }
    switch (r) {
    case ERROR_SUCCESS:
        return VG_OK;
    case ERROR_SCAN_TIMEOUT:
        return VG_ETIMEOUT;
    case ERROR_INSUFFICIENT_MEMORY:
        return VG_ENOMEM;
    default:
        return VG_EYARA;
    }
}

/* --- file types --------------------------------------------------------- */

struct magic {
    const char *type;
    size_t off;
    size_t len;
    const char *bytes;
};

static const struct magic magics[] = {
    {"EXE", 0, 2, "MZ"},
    {"ELF", 0, 4,
     "\x7f"
     "ELF"},
    {"MACH-O", 0, 4, "\xfe\xed\xfa\xce"},
    {"MACH-O", 0, 4, "\xfe\xed\xfa\xcf"},
    {"MACH-O", 0, 4, "\xce\xfa\xed\xfe"},
    {"MACH-O", 0, 4, "\xcf\xfa\xed\xfe"},
    {"ZIP", 0, 4, "PK\x03\x04"},
    {"RAR", 0, 4, "Rar!"},
    {"7Z", 0, 6, "7z\xbc\xaf\x27\x1c"},
    {"GZIP", 0, 2, "\x1f\x8b"},
    {"PDF", 0, 4, "%PDF"},
    {"RTF", 0, 5, "{\\rtf"},
    {"GIF", 0, 4, "GIF8"},
    {"JPG", 0, 3, "\xff\xd8\xff"},
    {"PNG", 0, 4, "\x89PNG"},
    {"MDMP", 0, 4, "MDMP"},
    {"CAB", 0, 4, "MSCF"},
    {"OLE", 0, 8, "\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"},
};

const char *
vg_yara_filetype(const uint8_t *p, size_t n)
{
    for (size_t i = 0; i < VG_ARRAY_LEN(magics); i++) {
        const struct magic *m = &magics[i];
        if (p != NULL && n >= m->off + m->len &&
            memcmp(p + m->off, m->bytes, m->len) == 0) {
            return m->type;
        }
    }
    return "";
}
