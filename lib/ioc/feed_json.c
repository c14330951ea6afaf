/* SPDX-License-Identifier: Apache-2.0 */
/*
 * feed_json.c - the JSON feeds, the only user of jansson in Vigil's IOC
 * module: STIX 2.x (bundle, a single object or an array of objects;
 * indicators with patterns, cyber-observable objects, observed-data with
 * embedded objects; TLP from marking definitions) and MISP (event export,
 * event list, restSearch response, attribute list, feed event files;
 * attributes and object attributes, composite types, to_ids).
 * A MISP feed's manifest.json lists events but holds no attributes: it is
 * reported as unsupported (import the event files it names).
 * Not here: STIX pattern parsing (stix.c), TAXII or MISP API access.
 */
#include <jansson.h>
#include <string.h>

#include "core/str.h"
#include "ioc/ioc_int.h"
#include "vigil/finding.h"
#include "vigil/ioc.h"
#include "vigil/time.h"

#include "core/banned.h"

#define MAX_OBJECTS (8u << 20)

static const char *
jstr(const json_t *o, const char *key)
{
    const json_t *v = json_object_get(o, key);
    return json_is_string(v) ? json_string_value(v) : NULL;
}

static int64_t
jtime(const json_t *o, const char *key)
{
    const char *s = jstr(o, key);
    int64_t t;
    if (s != NULL && vg_time_parse(s, &t) == VG_OK) {
        return t;
    }
    return VG_TIME_NONE;
}

/* Join string elements of an array with ','. */
static const char *
join_strings(const json_t *arr, const char *member, char *buf, size_t cap)
{
    size_t k = 0, i;
    json_t *v;
    buf[0] = '\0';
    json_array_foreach(arr, i, v)
    {
        const char *s = member != NULL      ? jstr(v, member)
                        : json_is_string(v) ? json_string_value(v)
                                            : NULL;
        if (s == NULL || (member != NULL && vg_ascii_ieq(s, "tlp:", 4))) {
            continue;
        }
        size_t sl = strlen(s);
        if (k + sl + 2 >= cap) {
            break;
        }
        if (k > 0) {
            buf[k++] = ',';
        }
        memcpy(buf + k, s, sl);
        k += sl;
        buf[k] = '\0';
    }
    return k > 0 ? buf : NULL;
}

/* ===== STIX ================================================================
 */

struct tlp_ref {
    const char *id;
    enum vg_tlp tlp;
};

/* The TLP 1.0 marking definitions have fixed ids in STIX 2.1 (part 7.2.1.4). */
static const struct tlp_ref stix_tlp_ids[] = {
    {"marking-definition--613f2e26-407d-48c7-9eca-b8e91df99dc9", VG_TLP_CLEAR},
    {"marking-definition--34098fce-860f-48ae-8e50-ebd3cc5e41da", VG_TLP_GREEN},
    {"marking-definition--f88d31f6-486f-44da-b317-01333bde0b82", VG_TLP_AMBER},
    {"marking-definition--5e57c739-391a-4eb3-b6be-7d15ca92d5ed", VG_TLP_RED},
};

static enum vg_tlp
marking_tlp(const json_t *objects, const char *ref)
{
    size_t i;
    json_t *o;
    for (i = 0; i < VG_ARRAY_LEN(stix_tlp_ids); i++) {
        if (strcmp(ref, stix_tlp_ids[i].id) == 0) {
            return stix_tlp_ids[i].tlp;
        }
    }
    json_array_foreach(objects, i, o)
    {
        const char *id = jstr(o, "id");
        if (id == NULL || strcmp(id, ref) != 0) {
            continue;
        }
        const char *t = jstr(json_object_get(o, "definition"), "tlp");
        const char *name = jstr(o, "name");
        if (t != NULL) {
            return vg_tlp_parse(t, strlen(t));
        }
        if (name != NULL) {
            return vg_tlp_parse(name, strlen(name));
        }
    }
    return VG_TLP_NONE;
}

static void
stix_meta(struct ioc_imp *im, const json_t *objects, const json_t *o,
          struct vg_ioc_src *s, char *tags, size_t tcap)
{
    size_t i;
    json_t *m;
    vg_ioc_src_init(s);
    s->feed = im->feed;
    s->file = im->path;
    s->object_id = jstr(o, "id");
    s->description = jstr(o, "description");
    if (s->description == NULL) {
        s->description = jstr(o, "name");
    }
    s->first_seen = jtime(o, "valid_from");
    if (s->first_seen == VG_TIME_NONE) {
        s->first_seen = jtime(o, "first_observed");
    }
    s->last_seen = jtime(o, "valid_until");
    if (s->last_seen == VG_TIME_NONE) {
        s->last_seen = jtime(o, "last_observed");
    }
    const json_t *c = json_object_get(o, "confidence");
    if (json_is_integer(c) && json_integer_value(c) >= 0 &&
        json_integer_value(c) <= 100) {
        s->score = (int)json_integer_value(c);
    }
    s->tags =
        join_strings(json_object_get(o, "indicator_types"), NULL, tags, tcap);
    if (s->tags == NULL) {
        s->tags = join_strings(json_object_get(o, "labels"), NULL, tags, tcap);
    }
    s->tlp = im->opts->tlp;
    json_array_foreach(json_object_get(o, "object_marking_refs"), i, m)
    {
        if (json_is_string(m)) {
            enum vg_tlp t = marking_tlp(objects, json_string_value(m));
            if (t > s->tlp) {
                s->tlp = t;
            }
        }
    }
}

static int
add_str(struct ioc_imp *im, enum vg_ioc_type t, const char *v,
        const struct vg_ioc_src *s)
{
    if (v == NULL || v[0] == '\0') {
        return VG_OK;
    }
    size_t n = strlen(v);
    if (t == VG_IOC_IPV4 || t == VG_IOC_IPV6) {
        enum vg_ioc_type g = vg_ioc_classify(v, n);
        if (g == VG_IOC_CIDR4 || g == VG_IOC_CIDR6) {
            t = g;
        }
    }
    if (t == VG_IOC_FILENAME &&
        (memchr(v, '\\', n) != NULL || memchr(v, '/', n) != NULL)) {
        t = VG_IOC_FILEPATH;
    }
    return ioc_imp_add(im, t, v, n, 0, NULL, s);
}

static int
stix_file_sco(struct ioc_imp *im, const json_t *o, const struct vg_ioc_src *s)
{
    const char *k;
    json_t *v;
    int rc = add_str(im, VG_IOC_FILENAME, jstr(o, "name"), s);
    json_object_foreach((json_t *)(uintptr_t)json_object_get(o, "hashes"), k, v)
    {
        unsigned fl;
        char path[64];
        int pl = snprintf(path, sizeof(path), "hashes.%s", k);
        enum vg_ioc_type t =
            pl > 0 && (size_t)pl < sizeof(path)
                ? ioc_stix_path_type("file", 4, path, (size_t)pl, &fl)
                : VG_IOC_NONE;
        if (rc != VG_OK) {
            break;
        }
        if (t == VG_IOC_NONE || !json_is_string(v)) {
            ioc_issue(im, VG_IOC_ISSUE_UNSUPPORTED, VG_DIAG_NONE,
                      "%s: hash '%.32s' not supported",
                      s->object_id ? s->object_id : "file", k);
            continue;
        }
        rc = add_str(im, t, json_string_value(v), s);
    }
    return rc;
}

/* A cyber-observable object (top level in 2.1, inside observed-data in
 * 2.0). Returns 1 if the type is one Vigil reads. */
static int
stix_sco(struct ioc_imp *im, const json_t *o, const struct vg_ioc_src *s,
         int *rc)
{
    static const struct {
        const char *type, *prop;
        enum vg_ioc_type t;
    } sco[] = {
        {"ipv4-addr", "value", VG_IOC_IPV4},
        {"ipv6-addr", "value", VG_IOC_IPV6},
        {"domain-name", "value", VG_IOC_DOMAIN},
        {"url", "value", VG_IOC_URL},
        {"email-addr", "value", VG_IOC_EMAIL},
        {"mutex", "name", VG_IOC_MUTEX},
        {"windows-registry-key", "key", VG_IOC_REGISTRY},
        {"user-account", "account_login", VG_IOC_ACCOUNT},
        {"directory", "path", VG_IOC_FILEPATH},
    };
    const char *type = jstr(o, "type");
    if (type == NULL) {
        return 0;
    }
    if (strcmp(type, "file") == 0) {
        *rc = stix_file_sco(im, o, s);
        return 1;
    }
    for (size_t i = 0; i < VG_ARRAY_LEN(sco); i++) {
        if (strcmp(type, sco[i].type) == 0) {
            *rc = add_str(im, sco[i].t, jstr(o, sco[i].prop), s);
            return 1;
        }
    }
    return 0;
}

static int
stix_indicator(struct ioc_imp *im, const json_t *o, const struct vg_ioc_src *s)
{
    const char *pt = jstr(o, "pattern_type");
    const char *pat = jstr(o, "pattern");
    const char *id = s->object_id != NULL ? s->object_id : "indicator";
    if (json_is_true(json_object_get(o, "revoked"))) {
        ioc_issue(im, VG_IOC_ISSUE_SKIPPED, VG_DIAG_NONE, "%s: revoked", id);
        return VG_OK;
    }
    if (pt != NULL && strcmp(pt, "stix") != 0) {
        ioc_issue(im, VG_IOC_ISSUE_UNSUPPORTED, VG_DIAG_NONE,
                  "%s: pattern_type '%.32s' not supported", id, pt);
        return VG_OK;
    }
    if (pat == NULL) {
        ioc_issue(im, VG_IOC_ISSUE_ERROR, VG_DIAG_NONE,
                  "%s: indicator without a pattern", id);
        return VG_OK;
    }
    return ioc_stix_pattern(im, pat, strlen(pat), s);
}

static int
stix_object(struct ioc_imp *im, const json_t *objects, const json_t *o,
            size_t idx)
{
    struct vg_ioc_src s;
    char tags[512], oid[64];
    int rc = VG_OK;

    if (!json_is_object(o)) {
        ioc_issue(im, VG_IOC_ISSUE_ERROR, VG_DIAG_NONE,
                  "objects[%zu]: not a JSON object", idx);
        return VG_OK;
    }
    stix_meta(im, objects, o, &s, tags, sizeof(tags));
    if (s.object_id == NULL) {
        snprintf(oid, sizeof(oid), "objects[%zu]", idx);
        s.object_id = oid;
    }
    const char *type = jstr(o, "type");
    if (type == NULL) {
        ioc_issue(im, VG_IOC_ISSUE_ERROR, VG_DIAG_NONE, "%s: no \"type\"",
                  s.object_id);
        return VG_OK;
    }
    if (strcmp(type, "indicator") == 0) {
        return stix_indicator(im, o, &s);
    }
    if (strcmp(type, "observed-data") == 0) {
        const char *k;
        json_t *v;
        json_object_foreach((json_t *)(uintptr_t)json_object_get(o, "objects"),
                            k, v)
        {
            if (!stix_sco(im, v, &s, &rc)) {
                ioc_issue(im, VG_IOC_ISSUE_UNSUPPORTED, VG_DIAG_NONE,
                          "%s: observed object %.16s of type '%.32s' not "
                          "used",
                          s.object_id, k,
                          jstr(v, "type") ? jstr(v, "type") : "?");
            }
            if (rc != VG_OK) {
                return rc;
            }
        }
        return VG_OK;
    }
    stix_sco(im, o, &s, &rc); /* other SDOs/SROs carry no indicator */
    return rc;
}

static int
import_stix(struct ioc_imp *im, const json_t *root)
{
    const json_t *objs = root;
    json_t *single = NULL;
    size_t i;
    json_t *o;
    int rc = VG_OK;

    if (json_is_object(root)) {
        const char *type = jstr(root, "type");
        if (type != NULL && strcmp(type, "bundle") == 0) {
            objs = json_object_get(root, "objects");
        } else {
            single = json_array();
            if (single == NULL ||
                json_array_append(single, (json_t *)(uintptr_t)root)) {
                json_decref(single);
                return VG_ENOMEM;
            }
            objs = single;
        }
    }
    if (!json_is_array(objs)) {
        ioc_issue(im, VG_IOC_ISSUE_ERROR, VG_DIAG_NONE,
                  "not a STIX bundle, object or array of objects");
        json_decref(single);
        return VG_OK;
    }
    if (json_array_size(objs) > MAX_OBJECTS) {
        ioc_issue(im, VG_IOC_ISSUE_ERROR, VG_DIAG_NONE,
                  "more than %u objects: the rest ignored", MAX_OBJECTS);
    }
    json_array_foreach(objs, i, o)
    {
        if (i >= MAX_OBJECTS || rc != VG_OK) {
            break;
        }
        rc = stix_object(im, objs, o, i);
    }
    json_decref(single);
    return rc;
}

/* ===== MISP ================================================================
 */

enum mt {
    M_UNSUP = 0,
    M_IP,
    M_IPPORT,
    M_DOMAIN,
    M_HOSTPORT,
    M_DOMAIN_IP,
    M_URL,
    M_MD5,
    M_SHA1,
    M_SHA256,
    M_FILENAME,
    M_FN_MD5,
    M_FN_SHA1,
    M_FN_SHA256,
    M_EMAIL,
    M_REGKEY,
    M_MUTEX,
    M_PIPE,
    M_FNPATTERN,
    M_SKIP
};

static const struct {
    const char *name;
    enum mt m;
} misp_types[] = {
    {"ip-dst", M_IP},
    {"ip-src", M_IP},
    {"ip-dst|port", M_IPPORT},
    {"ip-src|port", M_IPPORT},
    {"domain", M_DOMAIN},
    {"hostname", M_DOMAIN},
    {"hostname|port", M_HOSTPORT},
    {"domain|ip", M_DOMAIN_IP},
    {"url", M_URL},
    {"md5", M_MD5},
    {"sha1", M_SHA1},
    {"sha256", M_SHA256},
    {"filename", M_FILENAME},
    {"filename|md5", M_FN_MD5},
    {"filename|sha1", M_FN_SHA1},
    {"filename|sha256", M_FN_SHA256},
    {"malware-sample", M_FN_MD5},
    {"email", M_EMAIL},
    {"email-src", M_EMAIL},
    {"email-dst", M_EMAIL},
    {"regkey", M_REGKEY},
    {"regkey|value", M_REGKEY},
    {"mutex", M_MUTEX},
    {"named pipe", M_PIPE},
    {"filename-pattern", M_FNPATTERN},
    {"link", M_SKIP},
    {"comment", M_SKIP},
    {"text", M_SKIP},
    {"other", M_SKIP},
    {"target-user", M_SKIP},
    {"target-email", M_SKIP},
    {"target-machine", M_SKIP},
    {"target-org", M_SKIP},
    {"target-location", M_SKIP},
    {"target-external", M_SKIP},
    {"attachment", M_SKIP},
};

static enum mt
misp_type(const char *t, int *known)
{
    for (size_t i = 0; i < VG_ARRAY_LEN(misp_types); i++) {
        if (strcmp(t, misp_types[i].name) == 0) {
            *known = 1;
            return misp_types[i].m;
        }
    }
    *known = 0;
    return M_UNSUP;
}

static int
add_part(struct ioc_imp *im, enum vg_ioc_type t, const char *v, size_t n,
         const struct vg_ioc_src *s)
{
    if (t == VG_IOC_NONE) { /* an address: IPv4, IPv6 or a CIDR */
        t = vg_ioc_classify(v, n);
        if (t != VG_IOC_IPV4 && t != VG_IOC_IPV6 && t != VG_IOC_CIDR4 &&
            t != VG_IOC_CIDR6) {
            t = VG_IOC_IPV4; /* reported as an invalid ipv4 value */
        }
    }
    if (t == VG_IOC_FILENAME &&
        (memchr(v, '\\', n) != NULL || memchr(v, '/', n) != NULL)) {
        t = VG_IOC_FILEPATH;
    }
    return ioc_imp_add(im, t, v, n, 0, NULL, s);
}

static int
misp_value(struct ioc_imp *im, enum mt m, const char *v,
           const struct vg_ioc_src *s)
{
    static const enum vg_ioc_type second[] = {
        [M_FN_MD5] = VG_IOC_MD5,
        [M_FN_SHA1] = VG_IOC_SHA1,
        [M_FN_SHA256] = VG_IOC_SHA256,
        [M_DOMAIN_IP] = VG_IOC_NONE,
    };
    size_t n = strlen(v);
    const char *bar = strchr(v, '|');
    size_t a = bar != NULL ? (size_t)(bar - v) : n;
    switch (m) {
    case M_IP:
        return add_part(im, VG_IOC_NONE, v, n, s);
    case M_IPPORT:
        return add_part(im, VG_IOC_NONE, v, a, s);
    case M_DOMAIN:
        return add_part(im, VG_IOC_DOMAIN, v, n, s);
    case M_HOSTPORT:
        return add_part(im, VG_IOC_DOMAIN, v, a, s);
    case M_URL:
        return add_part(im, VG_IOC_URL, v, n, s);
    case M_MD5:
        return add_part(im, VG_IOC_MD5, v, n, s);
    case M_SHA1:
        return add_part(im, VG_IOC_SHA1, v, n, s);
    case M_SHA256:
        return add_part(im, VG_IOC_SHA256, v, n, s);
    case M_FILENAME:
        return add_part(im, VG_IOC_FILENAME, v, n, s);
    case M_EMAIL:
        return add_part(im, VG_IOC_EMAIL, v, n, s);
    case M_REGKEY:
        return add_part(im, VG_IOC_REGISTRY, v, n, s);
    case M_MUTEX:
        return add_part(im, VG_IOC_MUTEX, v, n, s);
    case M_PIPE:
        return add_part(im, VG_IOC_PIPE, v, n, s);
    case M_FNPATTERN:
        return ioc_imp_add(im, VG_IOC_FILEPATH, v, n, VG_IOC_F_REGEX, NULL, s);
    case M_FN_MD5:
    case M_FN_SHA1:
    case M_FN_SHA256:
    case M_DOMAIN_IP: {
        if (bar == NULL) {
            ioc_issue(im, VG_IOC_ISSUE_ERROR, VG_DIAG_NONE,
                      "%s: composite value without '|'",
                      s->object_id ? s->object_id : "attribute");
            return VG_OK;
        }
        int rc = add_part(
            im, m == M_DOMAIN_IP ? VG_IOC_DOMAIN : VG_IOC_FILENAME, v, a, s);
        return rc != VG_OK ? rc
                           : add_part(im, second[m], bar + 1, n - a - 1, s);
    }
    default:
        return VG_OK;
    }
}

struct misp_ev {
    const char *info;
    enum vg_tlp tlp;
    int64_t date;
    char tags[512];
};

static enum vg_tlp
tags_tlp(const json_t *tags)
{
    size_t i;
    json_t *t;
    enum vg_tlp best = VG_TLP_NONE;
    json_array_foreach(tags, i, t)
    {
        const char *n = jstr(t, "name");
        if (n != NULL && vg_ascii_ieq(n, "tlp:", 4)) {
            enum vg_tlp x = vg_tlp_parse(n, strlen(n));
            best = x > best ? x : best;
        }
    }
    return best;
}

static int
misp_attr(struct ioc_imp *im, const struct misp_ev *ev, const json_t *a,
          size_t idx)
{
    struct vg_ioc_src s;
    char tags[512], oid[48];
    const char *type = jstr(a, "type");
    const char *val = jstr(a, "value");
    const char *uuid = jstr(a, "uuid");
    int known;

    if (uuid == NULL) {
        snprintf(oid, sizeof(oid), "Attribute[%zu]", idx);
        uuid = oid;
    }
    if (type == NULL || val == NULL) {
        ioc_issue(im, VG_IOC_ISSUE_ERROR, VG_DIAG_NONE,
                  "%s: attribute without type or value", uuid);
        return VG_OK;
    }
    if (json_is_true(json_object_get(a, "deleted"))) {
        return VG_OK;
    }
    const json_t *ids = json_object_get(a, "to_ids");
    int to_ids =
        json_is_true(ids) ||
        (json_is_string(ids) && strcmp(json_string_value(ids), "1") == 0);
    enum mt m = misp_type(type, &known);
    if (m == M_SKIP) {
        return VG_OK; /* context, not an indicator */
    }
    if (m == M_UNSUP) {
        ioc_issue(im, VG_IOC_ISSUE_UNSUPPORTED, VG_DIAG_NONE,
                  "%s: MISP type '%.40s' not supported", uuid, type);
        return VG_OK;
    }
    if (!to_ids && !im->opts->misp_all) {
        ioc_issue(im, VG_IOC_ISSUE_SKIPPED, VG_DIAG_NONE,
                  "%s: to_ids is false (%s)", uuid, type);
        return VG_OK;
    }
    vg_ioc_src_init(&s);
    s.feed = im->feed;
    s.file = im->path;
    s.object_id = uuid;
    s.description = jstr(a, "comment");
    if (s.description == NULL || s.description[0] == '\0') {
        s.description = ev->info;
    }
    s.first_seen = jtime(a, "first_seen");
    if (s.first_seen == VG_TIME_NONE) {
        s.first_seen = ev->date;
    }
    s.last_seen = jtime(a, "last_seen");
    s.tags =
        join_strings(json_object_get(a, "Tag"), "name", tags, sizeof(tags));
    if (s.tags == NULL && ev->tags[0] != '\0') {
        s.tags = ev->tags;
    }
    enum vg_tlp t = tags_tlp(json_object_get(a, "Tag"));
    s.tlp = t > ev->tlp ? t : ev->tlp;
    if (s.tlp == VG_TLP_NONE) {
        s.tlp = im->opts->tlp;
    }
    return misp_value(im, m, val, &s);
}

static int
misp_attrs(struct ioc_imp *im, const struct misp_ev *ev, const json_t *arr)
{
    size_t i;
    json_t *a;
    int rc = VG_OK;
    json_array_foreach(arr, i, a)
    {
        if (rc != VG_OK || i >= MAX_OBJECTS) {
            break;
        }
        if (!json_is_object(a)) {
            ioc_issue(im, VG_IOC_ISSUE_ERROR, VG_DIAG_NONE,
                      "Attribute[%zu]: not a JSON object", i);
            continue;
        }
        rc = misp_attr(im, ev, a, i);
    }
    return rc;
}

static int
misp_event(struct ioc_imp *im, const json_t *e)
{
    struct misp_ev ev;
    size_t i;
    json_t *o;
    ev.info = jstr(e, "info");
    ev.tlp = tags_tlp(json_object_get(e, "Tag"));
    ev.date = jtime(e, "date");
    if (join_strings(json_object_get(e, "Tag"), "name", ev.tags,
                     sizeof(ev.tags)) == NULL) {
        ev.tags[0] = '\0';
    }
    int rc = misp_attrs(im, &ev, json_object_get(e, "Attribute"));
    json_array_foreach(json_object_get(e, "Object"), i, o)
    {
        if (rc != VG_OK) {
            break;
        }
        rc = misp_attrs(im, &ev, json_object_get(o, "Attribute"));
    }
    return rc;
}

static int
is_manifest(const json_t *root)
{
    const char *k;
    json_t *v;
    json_object_foreach((json_t *)(uintptr_t)root, k, v)
    {
        return json_is_object(v) && json_object_get(v, "info") != NULL &&
               json_object_get(v, "Attribute") == NULL;
    }
    return 0;
}

static int
import_misp(struct ioc_imp *im, const json_t *root)
{
    size_t i;
    json_t *e;
    const json_t *resp = json_object_get(root, "response");
    const json_t *list = json_is_array(root)   ? root
                         : json_is_array(resp) ? resp
                                               : NULL;
    if (json_is_object(resp) && json_object_get(resp, "Attribute") != NULL) {
        struct misp_ev ev = {NULL, VG_TLP_NONE, VG_TIME_NONE, ""};
        return misp_attrs(im, &ev, json_object_get(resp, "Attribute"));
    }
    if (list != NULL) {
        int rc = VG_OK;
        json_array_foreach(list, i, e)
        {
            const json_t *ev = json_object_get(e, "Event");
            if (rc != VG_OK) {
                break;
            }
            rc = misp_event(im, ev != NULL ? ev : e);
        }
        return rc;
    }
    if (json_object_get(root, "Event") != NULL) {
        return misp_event(im, json_object_get(root, "Event"));
    }
    if (json_object_get(root, "Attribute") != NULL) {
        struct misp_ev ev = {NULL, VG_TLP_NONE, VG_TIME_NONE, ""};
        return misp_attrs(im, &ev, json_object_get(root, "Attribute"));
    }
    if (json_is_object(root) && is_manifest(root)) {
        ioc_issue(im, VG_IOC_ISSUE_UNSUPPORTED, VG_DIAG_NONE,
                  "MISP feed manifest: it lists %zu events but holds no "
                  "attributes; import the event files",
                  json_object_size(root));
        return VG_OK;
    }
    ioc_issue(im, VG_IOC_ISSUE_ERROR, VG_DIAG_NONE,
              "no MISP Event, Attribute list or response found");
    return VG_OK;
}

int
ioc_import_json(struct ioc_imp *im, enum vg_ioc_format f, const char *data,
                size_t n, struct vg_diag *d)
{
    json_error_t err;
    json_t *root = json_loadb(data, n, 0, &err);
    if (root == NULL) {
        im->stats->issues[VG_IOC_ISSUE_ERROR]++;
        return vg_diag_set(
            d, VG_EFORMAT, im->path,
            err.line > 0 ? (uint64_t)err.line : VG_DIAG_NONE,
            err.position >= 0 ? (uint64_t)err.position : VG_DIAG_NONE,
            "malformed JSON (column %d): %s", err.column, err.text);
    }
    int rc =
        f == VG_IOC_FMT_MISP ? import_misp(im, root) : import_stix(im, root);
    json_decref(root);
    return rc;
}
