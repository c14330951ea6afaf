/* SPDX-License-Identifier: Apache-2.0 */
/*
 * parse.c - text parsers for RMM configuration files and logs: ScreenConnect
 * launch parameters (ImagePath, ClientLaunchParameters.txt, user.config) and
 * server User.xml; AnyDesk system.conf / service.conf / ad.trace /
 * ad_svc.trace / connection_trace.txt; TeamViewer Connections_incoming.txt and
 * global.conf; MeshAgent .msh; NetSupport client32.ini; RustDesk TOML;
 * Tactical RMM agent config; and catalog-driven session lines for other
 * tools' logs. Every parser takes (pointer, length) of untrusted bytes,
 * never assumes a NUL, and keeps at most the item's caps.
 *
 * Formats are the ones public DFIR write-ups show (FIELD-NOTES.md); fields
 * that are not understood are ignored, never guessed.
 */
#include <stdio.h>
#include <string.h>

#include "core/alloc.h"
#include "core/map.h"
#include "core/str.h"
#include "rmm/rmm_int.h"
#include "vigil/time.h"

#include "core/banned.h"

typedef int line_fn(struct rmm_item *it, const char *p, size_t n, uint64_t line,
                    const char *src, void *st);

static int
each_line(struct rmm_item *it, const char *d, size_t n, const char *src,
          line_fn *fn, void *st)
{
    int facts = 0;
    uint64_t line = 0;
    size_t i = 0;
    while (i < n) {
        const char *nl = memchr(d + i, '\n', n - i);
        size_t len = nl != NULL ? (size_t)(nl - (d + i)) : n - i;
        line++;
        const char *p = d + i;
        size_t l = len;
        rmm_trim(&p, &l);
        if (l > 0)
            facts += fn(it, p, l, line, src, st);
        i += len + 1;
    }
    return facts;
}

static const char *
memstr(const char *h, size_t hn, const char *needle)
{
    size_t k = strlen(needle);
    if (k == 0 || hn < k)
        return NULL;
    for (size_t i = 0; i + k <= hn; i++)
        if (h[i] == needle[0] && memcmp(h + i, needle, k) == 0)
            return h + i;
    return NULL;
}

static int
isdig(char c)
{
    return c >= '0' && c <= '9';
}

static int
digits(const char *p, size_t n, size_t k)
{
    if (n < k)
        return 0;
    for (size_t i = 0; i < k; i++)
        if (!isdig(p[i]))
            return 0;
    return 1;
}

/* Build "YYYY-MM-DDTHH:MM[:SS]" from the parts and parse it. */
static int64_t
mk_time(const char *y, const char *mo, const char *d, const char *hm,
        size_t hm_n)
{
    char iso[32];
    int k = snprintf(iso, sizeof(iso), "%.4s-%.2s-%.2sT%.*s", y, mo, d,
                     (int)hm_n, hm);
    int64_t t;
    if (k < 0 || (size_t)k >= sizeof(iso) || vg_time_parse(iso, &t) != VG_OK)
        return VG_TIME_NONE;
    return t;
}

/* Time part after a date: skip ", " / " " / "T", then HH:MM[:SS]. */
static size_t
time_part(const char *p, size_t n)
{
    if (!digits(p, n, 2) || n < 5 || p[2] != ':' || !digits(p + 3, n - 3, 2))
        return 0;
    if (n >= 8 && p[5] == ':' && digits(p + 6, n - 6, 2))
        return 8;
    return 5;
}

int64_t
rmm_find_time(const char *p, size_t n)
{
    for (size_t i = 0; i + 10 <= n; i++) {
        const char *s = p + i;
        size_t left = n - i, j = 10;
        int ymd = digits(s, left, 4) && s[4] == '-' && digits(s + 5, 2, 2) &&
                  s[7] == '-' && digits(s + 8, 2, 2);
        int dmy = !ymd && digits(s, left, 2) && s[2] == '-' &&
                  digits(s + 3, 2, 2) && s[5] == '-' && digits(s + 6, 4, 4);
        if (!ymd && !dmy)
            continue;
        while (j < left && (s[j] == ' ' || s[j] == ',' || s[j] == 'T'))
            j++;
        size_t tl = time_part(s + j, left - j);
        const char *hm = tl > 0 ? s + j : "00:00";
        size_t hn = tl > 0 ? tl : 5;
        return ymd ? mk_time(s, s + 5, s + 8, hm, hn)
                   : mk_time(s + 6, s + 3, s, hm, hn);
    }
    return VG_TIME_NONE;
}

/* ---- ScreenConnect ------------------------------------------------------ */

static int
hexval(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    c = vg_ascii_lower(c);
    return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

/* URL-decode [p, p+n) into out (truncating). */
static void
url_decode(const char *p, size_t n, char *out, size_t cap)
{
    size_t o = 0;
    for (size_t i = 0; i < n && o + 1 < cap; i++) {
        if (p[i] == '%' && i + 2 < n && hexval(p[i + 1]) >= 0 &&
            hexval(p[i + 2]) >= 0) {
            char c = (char)(hexval(p[i + 1]) * 16 + hexval(p[i + 2]));
            if (c != '\0') /* "%00" would end the C string early */
                out[o++] = c;
            i += 2;
        } else if (p[i] == '+') {
            out[o++] = ' ';
        } else {
            out[o++] = p[i];
        }
    }
    out[o] = '\0';
}

static int
is_sep(char c)
{
    return c == '?' || c == '&' || c == '"' || c == '\'' || c == '<' ||
           c == '>' || c == ' ' || c == '\t' || c == '\r' || c == '\n' ||
           c == '\0';
}

int
vg_rmm_sc_parse(const char *s, size_t n, struct vg_rmm_sc_params *out)
{
    memset(out, 0, sizeof(*out));
    size_t i = 0;
    int have_h = 0;
    while (i < n) {
        while (i < n && is_sep(s[i]))
            i++;
        size_t b = i;
        while (i < n && !is_sep(s[i]))
            i++;
        size_t len = i - b;
        if (len < 2 || s[b + 1] != '=')
            continue;
        const char *v = s + b + 2;
        size_t vn = len - 2;
        /* first value wins: user.config may repeat an older string later */
        switch (s[b]) {
        case 'h':
            if (!have_h && vn > 0) {
                url_decode(v, vn, out->host, sizeof(out->host));
                have_h = out->host[0] != '\0';
            }
            break;
        case 'p':
            if (out->port[0] == '\0')
                url_decode(v, vn, out->port, sizeof(out->port));
            break;
        case 'e':
            if (out->session_type[0] == '\0')
                url_decode(v, vn, out->session_type, sizeof(out->session_type));
            break;
        case 's':
            if (out->session[0] == '\0')
                url_decode(v, vn, out->session, sizeof(out->session));
            break;
        case 'k':
            if (out->key_fp[0] == '\0' && vn > 0) {
                char *dec = vg_malloc(vn + 1);
                if (dec != NULL) {
                    url_decode(v, vn, dec, vn + 1);
                    uint64_t h = vg_hash_bytes(dec, strlen(dec));
                    (void)snprintf(out->key_fp, sizeof(out->key_fp), "%016llx",
                                   (unsigned long long)h);
                    vg_free(dec);
                }
            }
            break;
        default:
            break;
        }
    }
    return have_h ? VG_OK : VG_ENOTFOUND;
}

static int
parse_sc(struct rmm_item *it, const char *d, size_t n)
{
    struct vg_rmm_sc_params sp;
    if (vg_rmm_sc_parse(d, n, &sp) != VG_OK)
        return 0;
    rmm_item_set(it->relay, sizeof(it->relay), sp.host);
    rmm_item_set(it->port, sizeof(it->port), sp.port);
    rmm_item_set(it->session_type, sizeof(it->session_type), sp.session_type);
    rmm_item_set(it->key_fp, sizeof(it->key_fp), sp.key_fp);
    const char *h = it->relay;
    size_t hl = strlen(h);
    it->cloud = (rmm_glob("instance-*-relay.screenconnect.com", h) ||
                 rmm_glob("*.screenconnect.com", h) ||
                 (hl > 14 && rmm_glob("*.hostedrmm.com", h)))
                    ? 1
                    : 0;
    return 1;
}

int
rmm_sc_instance_from(const char *name, char out[40])
{
    /* "ScreenConnect Client (429d9ba6e9123fb4)", "connectwisecontrol-<id>" */
    const char *p = strchr(name, '(');
    const char *e = p != NULL ? strchr(p, ')') : NULL;
    if (p == NULL || e == NULL) {
        p = strrchr(name, '-');
        if (p == NULL)
            return 0;
        e = p + 1;
        while (hexval(*e) >= 0)
            e++;
    }
    size_t n = (size_t)(e - p - 1);
    if (n < 8 || n > 32)
        return 0;
    for (size_t i = 0; i < n; i++)
        if (hexval(p[1 + i]) < 0)
            return 0;
    rmm_copy(out, 40, p + 1, n);
    for (size_t i = 0; out[i] != '\0'; i++)
        out[i] = vg_ascii_lower(out[i]);
    return 1;
}

/* User.xml of a ScreenConnect server: the <Name> of every <User>. */
static int
parse_userxml(struct rmm_item *it, const char *d, size_t n)
{
    int facts = 0;
    const char *p = d, *end = d + n;
    while (p < end) {
        const char *u = memstr(p, (size_t)(end - p), "<User");
        if (u == NULL)
            break;
        const char *nm = memstr(u, (size_t)(end - u), "<Name>");
        if (nm == NULL)
            break;
        nm += 6;
        const char *ne = memstr(nm, (size_t)(end - nm), "</Name>");
        if (ne == NULL || ne - nm > 128)
            break;
        size_t cur = strlen(it->server_users);
        if (cur + (size_t)(ne - nm) + 3 < sizeof(it->server_users)) {
            if (cur > 0)
                it->server_users[cur++] = ',';
            rmm_copy(it->server_users + cur, sizeof(it->server_users) - cur, nm,
                     (size_t)(ne - nm));
        }
        facts++;
        p = ne;
    }
    return facts;
}

/* ---- key=value configs -------------------------------------------------- */

/* Value of "key" in a "key = value" / "key=value" line (quotes stripped). */
static int
kv(const char *p, size_t n, const char *key, const char **v, size_t *vn)
{
    size_t k = strlen(key);
    if (n <= k || !vg_ascii_ieq(p, key, k))
        return 0;
    size_t i = k;
    while (i < n && (p[i] == ' ' || p[i] == '\t'))
        i++;
    if (i >= n || (p[i] != '=' && p[i] != ':'))
        return 0;
    i++;
    const char *s = p + i;
    size_t sn = n - i;
    rmm_trim(&s, &sn);
    while (sn > 0 && (s[0] == '\'' || s[0] == '"')) {
        s++;
        sn--;
    }
    while (sn > 0 &&
           (s[sn - 1] == '\'' || s[sn - 1] == '"' || s[sn - 1] == ','))
        sn--;
    *v = s;
    *vn = sn;
    return 1;
}

static void
setn(char *field, size_t cap, const char *v, size_t n)
{
    char b[512];
    rmm_copy(b, sizeof(b), v, n);
    rmm_item_set(field, cap, b);
}

/* "wss://host:443/agent.ashx", "host:8041", "[::1]:443" -> relay, port */
static void
set_relay_url(struct rmm_item *it, const char *v, size_t n)
{
    const char *s = memstr(v, n, "://");
    if (s != NULL) {
        n -= (size_t)(s + 3 - v);
        v = s + 3;
    }
    size_t hl = 0;
    while (hl < n && v[hl] != '/' && v[hl] != ':' && v[hl] != ' ')
        hl++;
    if (hl == 0 || it->relay[0] != '\0')
        return;
    setn(it->relay, sizeof(it->relay), v, hl);
    if (hl < n && v[hl] == ':') {
        size_t pl = 0;
        while (hl + 1 + pl < n && isdig(v[hl + 1 + pl]))
            pl++;
        setn(it->port, sizeof(it->port), v + hl + 1, pl);
    }
}

static int
line_conf(struct rmm_item *it, const char *p, size_t n, uint64_t line,
          const char *src, void *st)
{
    (void)line;
    (void)src;
    (void)st;
    const char *v;
    size_t vn;
    if (kv(p, n, "ad.anynet.id", &v, &vn) && vn > 0) {
        setn(it->local_id, sizeof(it->local_id), v, vn);
        return 1;
    }
    if (kv(p, n, "ad.anynet.pwd_hash", &v, &vn) && vn > 0) {
        it->unattended_pw = 1;
        return 1;
    }
    if ((kv(p, n, "MeshServer", &v, &vn) ||
         kv(p, n, "GatewayAddress", &v, &vn) ||
         kv(p, n, "custom-rendezvous-server", &v, &vn) ||
         kv(p, n, "relay-server", &v, &vn) ||
         kv(p, n, "\"baseurl\"", &v, &vn) || kv(p, n, "baseurl", &v, &vn)) &&
        vn > 0) {
        set_relay_url(it, v, vn);
        return 1;
    }
    if ((kv(p, n, "MeshID", &v, &vn) || kv(p, n, "id", &v, &vn) ||
         kv(p, n, "\"agentid\"", &v, &vn)) &&
        vn > 0) {
        setn(it->local_id, sizeof(it->local_id), v, vn);
        return 1;
    }
    /* JSON agent configs (Tactical RMM): keys anywhere on the line */
    const char *j = memstr(p, n, "\"baseurl\"");
    if (j != NULL && kv(j, n - (size_t)(j - p), "\"baseurl\"", &v, &vn) &&
        vn > 0) {
        size_t q = 0;
        while (q < vn && v[q] != '"')
            q++;
        set_relay_url(it, v, q);
        const char *a = memstr(p, n, "\"agentid\"");
        if (a != NULL && kv(a, n - (size_t)(a - p), "\"agentid\"", &v, &vn)) {
            q = 0;
            while (q < vn && v[q] != '"')
                q++;
            setn(it->local_id, sizeof(it->local_id), v, q);
        }
        return 1;
    }
    /* TeamViewer global.conf: "[int32] ClientID = 123456789" */
    const char *cid = memstr(p, n, "ClientID");
    if (cid != NULL && kv(cid, n - (size_t)(cid - p), "ClientID", &v, &vn) &&
        vn > 0) {
        setn(it->local_id, sizeof(it->local_id), v, vn);
        return 1;
    }
    return 0;
}

/* ---- AnyDesk logs ------------------------------------------------------- */

/* "Incoming 2022-08-23, 10:23 Passwd 547911884 547911884" */
static int
line_conntrace(struct rmm_item *it, const char *p, size_t n, uint64_t line,
               const char *src, void *st)
{
    (void)st;
    if (n < 9 || memcmp(p, "Incoming", 8) != 0)
        return 0;
    struct rmm_ses s = {.time_us = rmm_find_time(p, n), .line = line};
    s.source = (char *)(uintptr_t)src;
    /* after the time: approval word, then the remote id */
    size_t i = 8;
    int field = 0;
    while (i < n) {
        while (i < n && (p[i] == ' ' || p[i] == '\t' || p[i] == ','))
            i++;
        size_t b = i;
        while (i < n && p[i] != ' ' && p[i] != '\t' && p[i] != ',')
            i++;
        if (i == b)
            break;
        field++;
        if (field == 3)
            rmm_copy(s.auth, sizeof(s.auth), p + b, i - b);
        else if (field == 4)
            rmm_copy(s.remote_id, sizeof(s.remote_id), p + b, i - b);
    }
    return rmm_item_session(it, &s) == VG_OK ? 1 : 0;
}

struct trace_st {
    char pending_id[64];
};

/* Copy an address "1.2.3.4:5678" / "[::1]:5678" without the port. */
static void
addr_no_port(const char *p, size_t n, char *out, size_t cap)
{
    size_t k = 0;
    if (n > 0 && p[0] == '[') {
        while (k + 1 < n && p[k + 1] != ']')
            k++;
        rmm_copy(out, cap, p + 1, k);
        return;
    }
    while (k < n && p[k] != ' ' && p[k] != '\t')
        k++;
    const char *colon = NULL;
    for (size_t i = 0; i < k; i++)
        if (p[i] == ':')
            colon = colon == NULL ? p + i : p + k; /* 2+ colons: IPv6 */
    if (colon != NULL && colon < p + k)
        k = (size_t)(colon - p);
    rmm_copy(out, cap, p, k);
}

static int
line_adtrace(struct rmm_item *it, const char *p, size_t n, uint64_t line,
             const char *src, void *stp)
{
    struct trace_st *st = stp;
    const char *m;
    if ((m = memstr(p, n, "* Version ")) != NULL && it->version[0] == '\0') {
        const char *v = m + 10;
        size_t vn = 0;
        while (v + vn < p + n && (isdig(v[vn]) || v[vn] == '.'))
            vn++;
        if (vn > 0) {
            rmm_item_version(it, v, vn, src, RMM_VER_LOG);
            return 1;
        }
    }
    if ((m = memstr(p, n, "Client-ID: ")) != NULL) {
        const char *v = m + 11;
        size_t vn = 0;
        while (v + vn < p + n && v[vn] != ' ' && vn < 63)
            vn++;
        rmm_copy(st->pending_id, sizeof(st->pending_id), v, vn);
        return 0;
    }
    if ((m = memstr(p, n, "Logged in from ")) != NULL) {
        struct rmm_ses s = {.time_us = rmm_find_time(p, n), .line = line};
        s.source = (char *)(uintptr_t)src;
        addr_no_port(m + 15, (size_t)(p + n - m - 15), s.remote_ip,
                     sizeof(s.remote_ip));
        memcpy(s.remote_id, st->pending_id, sizeof(s.remote_id));
        st->pending_id[0] = '\0';
        return rmm_item_session(it, &s) == VG_OK ? 1 : 0;
    }
    return 0;
}

/* ---- TeamViewer --------------------------------------------------------- */

/* "<remote id>\t<name>\t<dd-mm-yyyy HH:MM:SS>\t<end>\t<user>\t<type>\t<guid>"
 */
static int
line_tvconn(struct rmm_item *it, const char *p, size_t n, uint64_t line,
            const char *src, void *st)
{
    (void)st;
    const char *tab = memchr(p, '\t', n);
    if (tab == NULL || tab == p)
        return 0;
    for (const char *c = p; c < tab; c++)
        if (!isdig(*c) && *c != ' ')
            return 0;
    struct rmm_ses s = {.line = line};
    s.source = (char *)(uintptr_t)src;
    rmm_copy(s.remote_id, sizeof(s.remote_id), p, (size_t)(tab - p));
    const char *t2 = memchr(tab + 1, '\t', (size_t)(p + n - tab - 1));
    s.time_us =
        t2 != NULL ? rmm_find_time(t2, (size_t)(p + n - t2)) : VG_TIME_NONE;
    /* the 6th field says what kind of session: RemoteControl, FileTransfer */
    const char *f = p;
    for (int i = 0; i < 5 && f != NULL; i++) {
        f = memchr(f, '\t', (size_t)(p + n - f));
        if (f != NULL)
            f++;
    }
    if (f != NULL) {
        const char *fe = memchr(f, '\t', (size_t)(p + n - f));
        rmm_copy(s.auth, sizeof(s.auth), f,
                 fe != NULL ? (size_t)(fe - f) : (size_t)(p + n - f));
    }
    return rmm_item_session(it, &s) == VG_OK ? 1 : 0;
}

/* ---- catalog session rules ---------------------------------------------- */

/* First dotted-quad IPv4 address in the line. */
static int
find_ipv4(const char *p, size_t n, char *out, size_t cap)
{
    for (size_t i = 0; i < n; i++) {
        if (!isdig(p[i]) || (i > 0 && (isdig(p[i - 1]) || p[i - 1] == '.')))
            continue;
        size_t j = i;
        int dots = 0, ok = 1;
        for (int oct = 0; oct < 4 && ok; oct++) {
            size_t k = 0;
            unsigned v = 0;
            while (j < n && isdig(p[j]) && k < 3) {
                v = v * 10 + (unsigned)(p[j] - '0');
                j++;
                k++;
            }
            ok = k > 0 && v <= 255;
            if (ok && oct < 3) {
                if (j < n && p[j] == '.') {
                    j++;
                    dots++;
                } else
                    ok = 0;
            }
        }
        if (ok && dots == 3 && (j >= n || !isdig(p[j]))) {
            rmm_copy(out, cap, p + i, j - i);
            return 1;
        }
    }
    return 0;
}

struct word_st {
    const char *word;
};

static int
line_sesrule(struct rmm_item *it, const char *p, size_t n, uint64_t line,
             const char *src, void *stp)
{
    struct word_st *st = stp;
    if (memstr(p, n, st->word) == NULL)
        return 0;
    struct rmm_ses s = {.time_us = rmm_find_time(p, n), .line = line};
    s.source = (char *)(uintptr_t)src;
    (void)find_ipv4(p, n, s.remote_ip, sizeof(s.remote_ip));
    return rmm_item_session(it, &s) == VG_OK ? 1 : 0;
}

int
rmm_parse_sesrule(struct rmm_item *it, const char *word, const char *data,
                  size_t n, const char *source)
{
    struct word_st st = {word};
    return each_line(it, data, n, source, line_sesrule, &st);
}

/* ---- dispatch ----------------------------------------------------------- */

/* Which parser reads which file (base-name globs); first match wins. */
enum { P_CONNTRACE, P_ADTRACE, P_TVCONN, P_SC, P_USERXML, P_CONF };
static const struct {
    const char *glob;
    int parser;
} parsers[] = {
    {"connection_trace.txt", P_CONNTRACE},
    {"ad.trace", P_ADTRACE},
    {"ad_svc.trace", P_ADTRACE},
    {"anydesk.trace", P_ADTRACE},
    {"Connections_incoming.txt", P_TVCONN},
    {"ClientLaunchParameters.txt", P_SC},
    {"user.config", P_SC},
    {"*.plist", P_SC},
    {"User.xml", P_USERXML},
    {"system.conf", P_CONF},
    {"service.conf", P_CONF},
    {"*.msh", P_CONF},
    {"client32.ini", P_CONF},
    {"RustDesk*.toml", P_CONF},
    {"global.conf", P_CONF},
    {"tacticalagent", P_CONF},
};

static int
parser_of(const char *base)
{
    for (size_t i = 0; i < VG_ARRAY_LEN(parsers); i++)
        if (rmm_glob(parsers[i].glob, base))
            return parsers[i].parser;
    return -1;
}

int
rmm_parse_known(const char *base)
{
    return parser_of(base) >= 0;
}

int
rmm_parse_file(struct rmm_item *it, const char *base, const char *data,
               size_t n, const char *source)
{
    struct trace_st ts = {{0}};
    switch (parser_of(base)) {
    case P_CONNTRACE:
        return each_line(it, data, n, source, line_conntrace, NULL);
    case P_ADTRACE:
        return each_line(it, data, n, source, line_adtrace, &ts);
    case P_TVCONN:
        return each_line(it, data, n, source, line_tvconn, NULL);
    case P_SC:
        return parse_sc(it, data, n);
    case P_USERXML:
        return parse_userxml(it, data, n);
    case P_CONF:
        return each_line(it, data, n, source, line_conf, NULL);
    default:
        return 0;
    }
}

int
vg_rmm_parse_text(const char *kind, const char *data, size_t n)
{
    struct rmm_item it;
    rmm_item_init(&it, 0);
    int facts = rmm_parse_file(&it, kind, data, n, kind);
    facts += rmm_parse_sesrule(&it, "Connection", data, n, kind);
    struct vg_rmm_sc_params sp;
    if (vg_rmm_sc_parse(data, n, &sp) == VG_OK)
        facts++;
    rmm_item_fini(&it);
    return facts;
}
