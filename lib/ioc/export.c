/* SPDX-License-Identifier: Apache-2.0 */
/*
 * export.c - writing a store out as CSV (one row per indicator and source;
 * Vigil's CSV importer reads it back) or as a STIX 2.1 bundle (one
 * indicator object per indicator, deterministic UUIDv5 ids).
 * Types STIX has no object for (named pipe, AnyDesk ID, relay) and full
 * file paths use custom "x-vigil-*" objects / an "x_vigil_path" property,
 * which the STIX importer maps back.
 */
#include <openssl/evp.h>
#include <stdio.h>
#include <string.h>

#include "core/str.h"
#include "ioc/ioc_int.h"
#include "vigil/finding.h"
#include "vigil/ioc.h"
#include "vigil/report.h"
#include "vigil/time.h"

#include "core/banned.h"

static int
flags_text(unsigned f, char *out, size_t cap)
{
    static const struct {
        unsigned bit;
        const char *name;
    } names[] = {
        {VG_IOC_F_PRIVATE, "private"}, {VG_IOC_F_RESERVED, "reserved"},
        {VG_IOC_F_GLOB, "glob"},       {VG_IOC_F_REGEX, "regex"},
        {VG_IOC_F_NOCASE, "nocase"},
    };
    size_t k = 0;
    out[0] = '\0';
    for (size_t i = 0; i < VG_ARRAY_LEN(names); i++) {
        if (f & names[i].bit) {
            int w =
                snprintf(out + k, cap - k, "%s%s", k ? "|" : "", names[i].name);
            if (w < 0 || (size_t)w >= cap - k) {
                break;
            }
            k += (size_t)w;
        }
    }
    return (int)k;
}

static int
csv_str(struct vg_buf *b, const char *s, int last)
{
    int rc = vg_csv_field(b, s != NULL ? s : "", s != NULL ? strlen(s) : 0);
    return rc != VG_OK ? rc : vg_buf_addc(b, last ? '\n' : ',');
}

static int
csv_time(struct vg_buf *b, int64_t t)
{
    char ts[VG_ISO_TIME_LEN];
    vg_time_format(t, ts);
    return csv_str(b, t == VG_TIME_NONE ? "" : ts, 0);
}

static int
csv_row(struct vg_buf *b, const struct vg_ioc_info *in,
        const struct vg_ioc_src *s)
{
    char fl[64], num[32];
    int rc = csv_str(b, vg_ioc_type_name(in->type), 0);
    if (rc == VG_OK) {
        rc = csv_str(b, in->value, 0);
    }
    flags_text(in->flags, fl, sizeof(fl));
    if (rc == VG_OK) {
        rc = csv_str(b, fl, 0);
    }
    int score = s != NULL && s->score >= 0 ? s->score : in->score;
    snprintf(num, sizeof(num), "%d", score);
    if (rc == VG_OK) {
        rc = csv_str(b, score >= 0 ? num : "", 0);
    }
    if (rc == VG_OK) {
        rc = csv_str(b, vg_tlp_name(s != NULL && s->tlp ? s->tlp : in->tlp), 0);
    }
    if (rc == VG_OK) {
        rc = csv_time(b, s != NULL ? s->first_seen : in->first_seen);
    }
    if (rc == VG_OK) {
        rc = csv_time(b, s != NULL ? s->last_seen : in->last_seen);
    }
    snprintf(num, sizeof(num), "%llu",
             s != NULL ? (unsigned long long)s->line : 0ull);
    const char *f[6] = {s ? s->feed : NULL,        s ? s->file : NULL,
                        s && s->line ? num : NULL, s ? s->object_id : NULL,
                        s ? s->description : NULL, s ? s->tags : NULL};
    for (int i = 0; rc == VG_OK && i < 6; i++) {
        rc = csv_str(b, f[i], i == 5);
    }
    return rc;
}

int
vg_ioc_export_csv(const struct vg_ioc_store *st, enum vg_ioc_type only,
                  struct vg_buf *b)
{
    if (st == NULL || b == NULL) {
        return VG_EINVAL;
    }
    int rc = vg_buf_adds(b, "type,value,flags,score,tlp,first_seen,last_seen,"
                            "feed,file,line,object_id,description,tags\n");
    for (uint32_t id = 0; rc == VG_OK && id < vg_ioc_count(st); id++) {
        struct vg_ioc_info in;
        struct vg_ioc_src s;
        rc = vg_ioc_get(st, id, &in);
        if (rc != VG_OK || (only != VG_IOC_NONE && in.type != only)) {
            continue;
        }
        if (in.n_sources == 0) {
            rc = csv_row(b, &in, NULL);
        }
        for (uint32_t k = 0; rc == VG_OK && k < in.n_sources; k++) {
            rc = vg_ioc_get_src(st, id, k, &s);
            if (rc == VG_OK) {
                rc = csv_row(b, &in, &s);
            }
        }
    }
    return rc;
}

/* --- STIX 2.1 ----------------------------------------------------------- */

/* UUIDv5 (RFC 4122, SHA-1) of name in Vigil's namespace. */
static int
uuid5(const char *name, size_t n, char out[37])
{
    static const uint8_t ns[16] = {0x5b, 0x1e, 0x0c, 0x7a, 0x2f, 0x44,
                                   0x4d, 0x2e, 0x9a, 0x31, 0x6c, 0x0e,
                                   0x8d, 0x57, 0x12, 0xb3};
    uint8_t md[EVP_MAX_MD_SIZE];
    unsigned mdl = 0;
    EVP_MD_CTX *c = EVP_MD_CTX_new();
    if (c == NULL || EVP_DigestInit_ex(c, EVP_sha1(), NULL) != 1 ||
        EVP_DigestUpdate(c, ns, sizeof(ns)) != 1 ||
        EVP_DigestUpdate(c, name, n) != 1 ||
        EVP_DigestFinal_ex(c, md, &mdl) != 1 || mdl < 16) {
        EVP_MD_CTX_free(c);
        return VG_EINTERNAL;
    }
    EVP_MD_CTX_free(c);
    md[6] = (uint8_t)((md[6] & 0x0f) | 0x50);
    md[8] = (uint8_t)((md[8] & 0x3f) | 0x80);
    snprintf(
        out, 37,
        "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x",
        md[0], md[1], md[2], md[3], md[4], md[5], md[6], md[7], md[8], md[9],
        md[10], md[11], md[12], md[13], md[14], md[15]);
    return VG_OK;
}

/* A pattern string constant: ' and \ escaped. */
static int
pat_str(struct vg_buf *p, const char *s, size_t n)
{
    int rc = vg_buf_addc(p, '\'');
    for (size_t i = 0; rc == VG_OK && i < n; i++) {
        if (s[i] == '\'' || s[i] == '\\') {
            rc = vg_buf_addc(p, '\\');
        }
        if (rc == VG_OK) {
            rc = vg_buf_addc(p, s[i]);
        }
    }
    return rc != VG_OK ? rc : vg_buf_addc(p, '\'');
}

static int
pat_cmp(struct vg_buf *p, const char *path, const char *op, const char *v,
        size_t n)
{
    int rc = vg_buf_printf(p, "%s %s ", path, op);
    return rc != VG_OK ? rc : pat_str(p, v, n);
}

static int
registry_pattern(struct vg_buf *p, const char *v)
{
    static const char *const longs[][2] = {
        {"hklm", "HKEY_LOCAL_MACHINE"},  {"hkcu", "HKEY_CURRENT_USER"},
        {"hku", "HKEY_USERS"},           {"hkcr", "HKEY_CLASSES_ROOT"},
        {"hkcc", "HKEY_CURRENT_CONFIG"},
    };
    char key[VG_IOC_MAX_VALUE + 32];
    const char *bar = strchr(v, '|');
    size_t kl = bar != NULL ? (size_t)(bar - v) : strlen(v);
    size_t hl = strcspn(v, "\\");
    const char *hive = NULL;
    for (size_t i = 0; i < VG_ARRAY_LEN(longs); i++) {
        if (strlen(longs[i][0]) == hl && memcmp(v, longs[i][0], hl) == 0) {
            hive = longs[i][1];
        }
    }
    int k = snprintf(key, sizeof(key), "%s%.*s", hive ? hive : "",
                     (int)(kl - (hive ? hl : 0)), v + (hive ? hl : 0));
    if (k < 0 || (size_t)k >= sizeof(key)) {
        return VG_ELIMIT;
    }
    int rc = vg_buf_addc(p, '[');
    if (rc == VG_OK) {
        rc = pat_cmp(p, "windows-registry-key:key", "=", key, (size_t)k);
    }
    if (rc == VG_OK && bar != NULL) {
        rc = vg_buf_adds(p, " AND ");
        if (rc == VG_OK) {
            rc = pat_cmp(p, "windows-registry-key:values[*].name", "=", bar + 1,
                         strlen(bar + 1));
        }
    }
    return rc != VG_OK ? rc : vg_buf_addc(p, ']');
}

static int
stix_pattern_for(struct vg_buf *p, const struct vg_ioc_info *in)
{
    const char *path = NULL;
    const char *op = "=";
    const char *v = in->value;
    char tmp[VG_IOC_MAX_VALUE + 1];
    switch (in->type) {
    case VG_IOC_IPV4:
    case VG_IOC_CIDR4:
        path = "ipv4-addr:value";
        break;
    case VG_IOC_IPV6:
    case VG_IOC_CIDR6:
        path = "ipv6-addr:value";
        break;
    case VG_IOC_DOMAIN:
        path = "domain-name:value";
        break;
    case VG_IOC_URL:
        path = "url:value";
        break;
    case VG_IOC_MD5:
        path = "file:hashes.MD5";
        break;
    case VG_IOC_SHA1:
        path = "file:hashes.'SHA-1'";
        break;
    case VG_IOC_SHA256:
        path = "file:hashes.'SHA-256'";
        break;
    case VG_IOC_FILENAME:
        path = "file:name";
        break;
    case VG_IOC_FILEPATH:
        path = "file:x_vigil_path";
        break;
    case VG_IOC_EMAIL:
        path = "email-addr:value";
        break;
    case VG_IOC_ACCOUNT:
        path = "user-account:account_login";
        break;
    case VG_IOC_MUTEX:
        path = "mutex:name";
        break;
    case VG_IOC_PIPE:
        path = "x-vigil-named-pipe:name";
        break;
    case VG_IOC_RELAY:
        path = "x-vigil-relay:value";
        break;
    case VG_IOC_ANYDESK:
        path = "x-vigil-anydesk:id";
        break;
    case VG_IOC_REGISTRY:
        return registry_pattern(p, v);
    default:
        return VG_EINVAL;
    }
    if (in->flags & VG_IOC_F_REGEX) {
        op = "MATCHES";
    } else if (in->flags & VG_IOC_F_GLOB) {
        size_t n = strlen(v);
        for (size_t i = 0; i < n && i < VG_IOC_MAX_VALUE; i++) {
            tmp[i] = v[i] == '*' ? '%' : v[i] == '?' ? '_' : v[i];
        }
        tmp[n] = '\0';
        v = tmp;
        op = "LIKE";
    }
    int rc = vg_buf_addc(p, '[');
    if (rc == VG_OK) {
        rc = pat_cmp(p, path, op, v, strlen(v));
    }
    return rc != VG_OK ? rc : vg_buf_addc(p, ']');
}

static int
json_kv(struct vg_buf *b, const char *k, const char *v)
{
    int rc = vg_buf_printf(b, ",\"%s\":\"", k);
    if (rc == VG_OK) {
        rc = vg_json_escape(b, v, strlen(v));
    }
    return rc != VG_OK ? rc : vg_buf_addc(b, '"');
}

static const char *const tlp_ids[VG_TLP_COUNT] = {
    NULL,
    "marking-definition--613f2e26-407d-48c7-9eca-b8e91df99dc9",
    "marking-definition--34098fce-860f-48ae-8e50-ebd3cc5e41da",
    "marking-definition--f88d31f6-486f-44da-b317-01333bde0b82",
    "marking-definition--f88d31f6-486f-44da-b317-01333bde0b82",
    "marking-definition--5e57c739-391a-4eb3-b6be-7d15ca92d5ed",
};

static int
stix_indicator(struct vg_buf *b, const struct vg_ioc_store *st, uint32_t id,
               const struct vg_ioc_info *in, const char *now, int first)
{
    struct vg_buf pat;
    char uuid[37], from[VG_ISO_TIME_LEN], name[64];
    struct vg_ioc_src s;
    const char *tn = vg_ioc_type_name(in->type);
    int k = snprintf(name, sizeof(name), "%s:", tn);
    struct vg_buf key;
    vg_buf_init(&key, VG_IOC_MAX_VALUE + 64);
    int rc = vg_buf_add(&key, name, (size_t)k);
    if (rc == VG_OK) {
        rc = vg_buf_adds(&key, in->value);
    }
    if (rc == VG_OK) {
        rc = uuid5(key.data, key.len, uuid);
    }
    vg_buf_fini(&key);
    vg_buf_init(&pat, 4 * VG_IOC_MAX_VALUE);
    if (rc == VG_OK) {
        rc = stix_pattern_for(&pat, in);
    }
    if (in->first_seen != VG_TIME_NONE) {
        vg_time_format(in->first_seen, from);
    } else {
        vg_strlcpy(from, now, sizeof(from));
    }
    if (rc == VG_OK) {
        rc = vg_buf_printf(b,
                           "%s{\"type\":\"indicator\",\"spec_version\":"
                           "\"2.1\",\"id\":\"indicator--%s\",\"created\":"
                           "\"%s\",\"modified\":\"%s\"",
                           first ? "" : ",\n", uuid, now, now);
    }
    if (rc == VG_OK) {
        rc = json_kv(b, "pattern", pat.data != NULL ? pat.data : "");
    }
    if (rc == VG_OK) {
        rc = vg_buf_printf(b,
                           ",\"pattern_type\":\"stix\",\"valid_from\":"
                           "\"%s\"",
                           from);
    }
    if (rc == VG_OK && in->last_seen != VG_TIME_NONE) {
        char until[VG_ISO_TIME_LEN];
        vg_time_format(in->last_seen, until);
        rc = vg_buf_printf(b, ",\"valid_until\":\"%s\"", until);
    }
    if (rc == VG_OK && in->score >= 0) {
        rc = vg_buf_printf(b, ",\"confidence\":%d", in->score);
    }
    if (rc == VG_OK && in->n_sources > 0 &&
        vg_ioc_get_src(st, id, 0, &s) == VG_OK && s.description != NULL) {
        rc = json_kv(b, "description", s.description);
    }
    if (rc == VG_OK && tlp_ids[in->tlp] != NULL) {
        rc = vg_buf_printf(b, ",\"object_marking_refs\":[\"%s\"]",
                           tlp_ids[in->tlp]);
    }
    if (rc == VG_OK) {
        rc = vg_buf_adds(b, "}");
    }
    vg_buf_fini(&pat);
    return rc;
}

int
vg_ioc_export_stix(const struct vg_ioc_store *st, enum vg_ioc_type only,
                   int64_t now_us, struct vg_buf *b)
{
    char now[VG_ISO_TIME_LEN], uuid[37];
    if (st == NULL || b == NULL) {
        return VG_EINVAL;
    }
    vg_time_format(now_us, now);
    int rc = uuid5(now, strlen(now), uuid);
    if (rc == VG_OK) {
        rc = vg_buf_printf(b,
                           "{\"type\":\"bundle\",\"id\":\"bundle--%s\","
                           "\"objects\":[\n",
                           uuid);
    }
    int first = 1;
    for (uint32_t id = 0; rc == VG_OK && id < vg_ioc_count(st); id++) {
        struct vg_ioc_info in;
        rc = vg_ioc_get(st, id, &in);
        if (rc != VG_OK || (only != VG_IOC_NONE && in.type != only)) {
            continue;
        }
        rc = stix_indicator(b, st, id, &in, now, first);
        first = 0;
    }
    return rc != VG_OK ? rc : vg_buf_adds(b, "\n]}\n");
}
