/* SPDX-License-Identifier: Apache-2.0 */
/*
 * keys.c - the link keys of one finding: what in it names a thing another
 * finding may also name. ScreenConnect instance ids ("ScreenConnect Client
 * (<16 hex>)" anywhere, or a value keyed "instance"), relay hosts (an
 * "h=" launch parameter anywhere, or a value keyed relay/relay_host/h),
 * AnyDesk ids (values keyed anydesk_id, local_id, remote_id, ad.anynet.id),
 * service names (values keyed ServiceName/service/persist "service:X"),
 * remote tools other than ScreenConnect mentioned by name, and the path of
 * a file the files module flagged. Values are lower-cased so spelling
 * differences between modules do not split a story.
 * It does not link by time, by user name or by IP address: those are
 * shared by unrelated activity too often.
 */
#include <string.h>
#include <strings.h>

#include "correlate/correlate_int.h"
#include "core/str.h"
#include "vigil/err.h"

#include "core/banned.h"

static int
is_hex(char c)
{
    return (c >= '0' && c <= '9') || ((c | 0x20) >= 'a' && (c | 0x20) <= 'f');
}

/* Case-insensitive strstr over NUL-terminated s. */
static const char *
find_ci(const char *s, const char *needle)
{
    size_t n = strlen(needle);
    for (; *s; s++) {
        if (vg_ascii_ieq(s, needle, n)) {
            return s;
        }
    }
    return NULL;
}

static int
add_lower(struct vg_buf *k, enum vg_link_kind kind, const char *v, size_t n,
          vg_link_fn *fn, void *arg)
{
    vg_buf_reset(k);
    for (size_t i = 0; i < n; i++) {
        if (vg_buf_addc(k, vg_ascii_lower(v[i])) != VG_OK) {
            return VG_OK; /* too long to be a useful key: skip */
        }
    }
    return n ? fn(arg, kind, k->data, k->len) : VG_OK;
}

static int
scan_sc(struct vg_buf *k, const char *s, vg_link_fn *fn, void *arg)
{
    static const char pfx[] = "screenconnect client (";
    int rc = VG_OK;

    for (const char *p = find_ci(s, pfx); p && rc == VG_OK;
         p = find_ci(p + 1, pfx)) {
        const char *h = p + sizeof(pfx) - 1;
        size_t n = 0;
        while (n < 16 && is_hex(h[n])) {
            n++;
        }
        if (n == 16 && h[16] == ')') {
            rc = add_lower(k, VG_LINK_INSTANCE, h, 16, fn, arg);
        }
    }
    return rc;
}

static int
scan_h_param(struct vg_buf *k, const char *s, vg_link_fn *fn, void *arg)
{
    int rc = VG_OK;
    for (const char *p = strstr(s, "h="); p && rc == VG_OK;
         p = strstr(p + 1, "h=")) {
        if (p == s || (p[-1] != '&' && p[-1] != '?')) {
            continue;
        }
        size_t n = strcspn(p + 2, "&\"' \t\r\n");
        rc = add_lower(k, VG_LINK_RELAY, p + 2, n, fn, arg);
    }
    return rc;
}

static int
scan_tools(struct vg_buf *k, const char *s, vg_link_fn *fn, void *arg)
{
    static const char *const tools[] = {
        "anydesk",   "teamviewer", "rustdesk",  "splashtop",
        "netsupport", "simplehelp", "meshagent", "atera",
    };
    int rc = VG_OK;
    for (size_t i = 0; i < sizeof(tools) / sizeof(tools[0]) && rc == VG_OK;
         i++) {
        if (find_ci(s, tools[i])) {
            rc = add_lower(k, VG_LINK_TOOL, tools[i], strlen(tools[i]), fn,
                           arg);
        }
    }
    return rc;
}

/* Patterns found anywhere in a string. */
static int
scan_string(struct vg_buf *k, const char *s, vg_link_fn *fn, void *arg)
{
    int rc = VG_OK;
    if (s == NULL) {
        return VG_OK;
    }
    rc = scan_sc(k, s, fn, arg);
    if (rc == VG_OK) {
        rc = scan_h_param(k, s, fn, arg);
    }
    if (rc == VG_OK) {
        rc = scan_tools(k, s, fn, arg);
    }
    return rc;
}

static int
key_in(const char *key, const char *const *list)
{
    for (; *list; list++) {
        if (strcasecmp(key, *list) == 0) {
            return 1;
        }
    }
    return 0;
}

static int
all_digits(const char *v, size_t lo, size_t hi)
{
    size_t n = strlen(v);
    if (n < lo || n > hi) {
        return 0;
    }
    for (size_t i = 0; i < n; i++) {
        if (v[i] < '0' || v[i] > '9') {
            return 0;
        }
    }
    return 1;
}

/* "AnyDesk (auto)" -> "AnyDesk": a start type the inventory appends is
 * not part of the service name. */
static size_t
service_len(const char *v)
{
    static const char *const starts[] = {" (auto)", " (demand)",
                                         " (disabled)", " (boot)",
                                         " (system)"};
    size_t n = strlen(v);
    for (size_t i = 0; i < sizeof(starts) / sizeof(starts[0]); i++) {
        size_t m = strlen(starts[i]);
        if (n > m && strcmp(v + n - m, starts[i]) == 0) {
            return n - m;
        }
    }
    return n;
}

/* Values whose key says what they are. */
static int
scan_kv(struct vg_buf *k, const struct vg_kv *kv, vg_link_fn *fn, void *arg)
{
    static const char *const relay[] = {"relay", "relay_host", "h", NULL};
    static const char *const adid[] = {"anydesk_id", "local_id", "remote_id",
                                       "ad.anynet.id", NULL};
    static const char *const svc[] = {"servicename", "service",
                                      "service_name", "persist", NULL};
    static const char *const inst[] = {"instance", "sc_instance", NULL};
    const char *v = kv->value;

    if (kv->key == NULL || v == NULL || v[0] == '\0') {
        return VG_OK;
    }
    if (key_in(kv->key, relay)) {
        return add_lower(k, VG_LINK_RELAY, v, strcspn(v, ":/"), fn, arg);
    }
    if (key_in(kv->key, adid) && all_digits(v, 9, 10)) {
        return add_lower(k, VG_LINK_ANYDESK, v, strlen(v), fn, arg);
    }
    if (key_in(kv->key, inst) && strlen(v) == 16) {
        return add_lower(k, VG_LINK_INSTANCE, v, 16, fn, arg);
    }
    if (key_in(kv->key, svc)) {
        if (strncasecmp(v, "service:", 8) == 0) {
            v += 8;
        } else if (strcasecmp(kv->key, "persist") == 0) {
            return VG_OK; /* run keys, systemd units: not a service name */
        }
        return add_lower(k, VG_LINK_SERVICE, v, service_len(v), fn, arg);
    }
    return VG_OK;
}

static int
scan_kvs(struct vg_buf *k, const struct vg_kv *kv, size_t n, vg_link_fn *fn,
         void *arg)
{
    int rc = VG_OK;
    for (size_t i = 0; i < n && rc == VG_OK; i++) {
        rc = scan_kv(k, &kv[i], fn, arg);
        if (rc == VG_OK) {
            rc = scan_string(k, kv[i].value, fn, arg);
        }
    }
    return rc;
}

/* Modules whose evidence.path is a log that many findings share. */
static int
path_is_log(const struct vg_finding *f)
{
    static const char *const logs[] = {"hunt", "evtx", "sweep", "ioc", NULL};
    return f->module == NULL || key_in(f->module, logs);
}

int
vg_link_keys(const struct vg_finding *f, struct vg_buf *k, vg_link_fn *fn,
             void *arg)
{
    int rc = scan_string(k, f->title, fn, arg);
    if (rc == VG_OK && !path_is_log(f)) {
        rc = scan_string(k, f->evidence.path, fn, arg);
    }
    if (rc == VG_OK) {
        rc = scan_kvs(k, f->evidence.values, f->evidence.n_values, fn, arg);
    }
    if (rc == VG_OK) {
        rc = scan_kvs(k, f->extra, f->n_extra, fn, arg);
    }
    if (rc == VG_OK && f->module && strcmp(f->module, "files") == 0 &&
        f->evidence.path) {
        char tail[VG_LINK_TAIL_MAX];
        if (vg_link_path_tail(f->evidence.path, tail, sizeof(tail)) > 0) {
            rc = fn(arg, VG_LINK_FILE, tail, strlen(tail));
        }
    }
    return rc;
}

size_t
vg_link_path_tail(const char *path, char *out, size_t cap)
{
    size_t n = strlen(path), start = n, seps = 0, j = 0;

    while (start > 0) {
        char c = path[start - 1];
        if ((c == '/' || c == '\\') && ++seps == 2) {
            break;
        }
        start--;
    }
    if (seps < 1 || n - start + 1 > cap) {
        return 0; /* a bare name is too common to link on */
    }
    for (size_t i = start; i < n; i++) {
        out[j++] = path[i] == '\\' ? '/' : vg_ascii_lower(path[i]);
    }
    out[j] = '\0';
    return j;
}

/* Lower-case, '/'-separated copy of s for file-tail search. */
static void
norm(struct vg_buf *b, const char *s)
{
    vg_buf_reset(b);
    for (; s && *s; s++) {
        if (vg_buf_addc(b, *s == '\\' ? '/' : vg_ascii_lower(*s)) != VG_OK) {
            return;
        }
    }
}

int
vg_link_mentions(const struct vg_finding *f, const char *tail,
                 struct vg_buf *tmp)
{
    for (size_t i = 0; i < f->evidence.n_values; i++) {
        norm(tmp, f->evidence.values[i].value);
        if (tmp->data && strstr(tmp->data, tail)) {
            return 1;
        }
    }
    for (size_t i = 0; i < f->n_extra; i++) {
        norm(tmp, f->extra[i].value);
        if (tmp->data && strstr(tmp->data, tail)) {
            return 1;
        }
    }
    norm(tmp, f->title);
    return tmp->data && strstr(tmp->data, tail) != NULL;
}
