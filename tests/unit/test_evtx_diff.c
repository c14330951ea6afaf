/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test_evtx_diff.c - differential test of Vigil's EVTX reader against
 * python-evtx (Debian python3-evtx, a test oracle only).
 *
 * tests/tools/evtx_oracle.py prints, for every record python-evtx decodes,
 * EventRecordID, TimeCreated, EventID, Channel, Provider and the
 * EventData/UserData names and values as python-evtx renders them. This
 * test reads the same files with libvigil, renders the same fields from the
 * typed values the way python-evtx does (base64 binary, "True"/"False",
 * zero-padded hex, lower-case GUIDs, "YYYY-MM-DD HH:MM:SS.ffffff" times) and
 * requires every oracle record to be found (by file offset) with equal
 * values. Times may differ by 2 us (python-evtx goes through a float).
 * Skips, with the reason, when the corpus or python-evtx is missing.
 */
#define _GNU_SOURCE
/* Rendering into test buffers whose caps are far above any value: a
 * failed append would show up as a mismatch, so results are not checked. */
#pragma GCC diagnostic ignored "-Wunused-result"
#include <fcntl.h>
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/rd.h"
#include "evtx/evtx_int.h"
#include "vg_test.h"
#include "vigil/vigil.h"

struct kv {
    char *name, *value;
};
struct ours {
    uint64_t offset;
    char *f[5]; /* rid, time, eid, channel, provider */
    struct kv *data;
    size_t n_data;
};
struct file_recs {
    struct ours *r;
    size_t n, cap;
};

static const char *const field_names[5] = {
    "EventRecordID", "TimeCreated", "EventID", "Channel", "Provider",
};

/* ---- python-evtx style rendering of one value ---- */

static void
b64(struct vg_buf *b, const uint8_t *p, size_t n)
{
    static const char t[] =
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    size_t i;

    for (i = 0; i + 2 < n; i += 3) {
        uint32_t v =
            ((uint32_t)p[i] << 16) | ((uint32_t)p[i + 1] << 8) | p[i + 2];
        char o[4] = {t[v >> 18], t[(v >> 12) & 63], t[(v >> 6) & 63],
                     t[v & 63]};
        (void)vg_buf_add(b, o, 4);
    }
    if (n - i == 1) {
        uint32_t v = (uint32_t)p[i] << 16;
        char o[4] = {t[v >> 18], t[(v >> 12) & 63], '=', '='};
        (void)vg_buf_add(b, o, 4);
    } else if (n - i == 2) {
        uint32_t v = ((uint32_t)p[i] << 16) | ((uint32_t)p[i + 1] << 8);
        char o[4] = {t[v >> 18], t[(v >> 12) & 63], t[(v >> 6) & 63], '='};
        (void)vg_buf_add(b, o, 4);
    }
}

static void
py_datetime(struct vg_buf *b, int64_t us)
{
    char iso[VG_ISO_TIME_LEN];
    int64_t frac = ((us % 1000000) + 1000000) % 1000000;

    (void)vg_time_format(us - frac, iso); /* "YYYY-MM-DDTHH:MM:SS.000000Z" */
    iso[10] = ' ';
    iso[19] = '\0';
    (void)vg_buf_adds(b, iso);
    if (frac != 0) {
        (void)vg_buf_printf(b, ".%06lld", (long long)frac);
    }
}

/* python-evtx's string-array text: each string as "<string>s</string>\n"
 * (found with a byte regex, so only strings whose code units have a non-zero
 * low byte come out whole, as there). */
static void
py_str_array(struct vg_buf *b, const uint8_t *p, size_t n)
{
    while (n > 0) {
        size_t i = 0, j, k = 0;
        while (i + 1 < n && p[i] == 0) {
            i++;
        }
        if (i + 1 < n) {
            for (j = i; j + 1 < n && p[j] != 0; j += 2) {
            }
            vg_buf_adds(b, "<string>");
            ev_utf16_append(b, p + i, j - i, EV_ESC_NONE);
            vg_buf_adds(b, "</string>\n");
            k = (j - i) + 2;
            if (k >= n) {
                return;
            }
            p += k;
            n -= k;
        }
        for (k = 0; k < n && p[k] == 0; k++) {
        }
        if (k % 2 != 0 || (k == 0 && i + 1 >= n)) {
            return; /* python-evtx raises here (or never ends) */
        }
        for (j = 0; j < k / 2; j++) {
            vg_buf_adds(b, "<string></string>\n");
        }
        p += k;
        n -= k;
    }
}

static void
py_val(struct vg_buf *b, uint8_t t, const uint8_t *p, size_t n)
{
    switch (t) {
    case EV_T_WSTR | EV_T_ARRAY:
        py_str_array(b, p, n);
        return;
    case EV_T_BOOL:
        (void)vg_buf_adds(b,
                          n >= 4 && (int32_t)vg_le32(p) > 0 ? "True" : "False");
        return;
    case EV_T_BIN:
        b64(b, p, n);
        return;
    case EV_T_GUID:
        if (n >= 16) {
            (void)vg_buf_printf(b,
                                "{%08x-%04x-%04x-%02x%02x-%02x%02x%02x%02x"
                                "%02x%02x}",
                                (unsigned)vg_le32(p), (unsigned)vg_le16(p + 4),
                                (unsigned)vg_le16(p + 6), p[8], p[9], p[10],
                                p[11], p[12], p[13], p[14], p[15]);
        }
        return;
    case EV_T_SIZE:
        (void)vg_buf_printf(
            b, "%llu", (unsigned long long)(n == 4 ? vg_le32(p) : vg_le64(p)));
        return;
    case EV_T_HEX32:
        (void)vg_buf_printf(b, "0x%08x", (unsigned)vg_le32(p));
        return;
    case EV_T_HEX64:
        (void)vg_buf_printf(b, "0x%016llx", (unsigned long long)vg_le64(p));
        return;
    case EV_T_FILETIME:
        py_datetime(b, vg_filetime_to_us(vg_le64(p)));
        return;
    case EV_T_SYSTIME: {
        int64_t us;
        if (vg_systemtime_to_us(p, &us) == VG_OK) {
            py_datetime(b, us);
        }
        return;
    }
    case EV_T_SID:
        if (n >= 8) {
            uint64_t auth = 0;
            unsigned i;
            for (i = 2; i < 8; i++) {
                auth = (auth << 8) | p[i];
            }
            (void)vg_buf_printf(b, "S-%u-%llu", p[0], (unsigned long long)auth);
            for (i = 0; i < p[1] && 8 + 4 * (size_t)i + 4 <= n; i++) {
                (void)vg_buf_printf(b, "-%u", (unsigned)vg_le32(p + 8 + 4 * i));
            }
        }
        return;
    case EV_T_R32:
    case EV_T_R64: {
        double d;
        if (t == EV_T_R32) {
            float f;
            uint32_t u = vg_le32(p);
            memcpy(&f, &u, 4);
            d = (double)f;
        } else {
            uint64_t u = vg_le64(p);
            memcpy(&d, &u, 8);
        }
        (void)vg_buf_printf(b, "%.17g", d);
        return;
    }
    default:
        (void)ev_val_text(b, t, p, n, EV_ESC_NONE);
    }
}

static void
py_text(const struct vg_evtx_reader *r, uint32_t node, struct vg_buf *b)
{
    uint32_t c;

    for (c = r->nodes[node].first; c != EV_NONE; c = r->nodes[c].next) {
        const struct ev_node *n = &r->nodes[c];
        if (n->kind == EV_N_VALUE) {
            py_val(b, n->vtype, n->val, n->len);
        } else if (n->kind == EV_N_CDATA) {
            (void)ev_utf16_append(b, n->val, n->len, EV_ESC_NONE);
        }
    }
}

/* XML parsers turn CR LF and lone CR into LF, and python-evtx deletes the
 * ASCII control characters XML 1.0 cannot carry: do the same to compare. */
static char *
dup_norm(const struct vg_buf *b)
{
    char *s = malloc(b->len + 1);
    size_t i, k = 0;

    for (i = 0; s != NULL && i < b->len; i++) {
        unsigned char c = (unsigned char)b->data[i];
        if ((c >= 0x01 && c <= 0x08) || c == 0x0b || c == 0x0c ||
            (c >= 0x0e && c <= 0x1f) || c == 0x7f) {
            continue;
        }
        if (b->data[i] == '\r') {
            s[k++] = '\n';
            if (i + 1 < b->len && b->data[i + 1] == '\n') {
                i++;
            }
        } else {
            s[k++] = b->data[i];
        }
    }
    if (s != NULL) {
        s[k] = '\0';
    }
    return s;
}

static char *
node_py(const struct vg_evtx_reader *r, uint32_t node)
{
    struct vg_buf b;
    char *s;

    vg_buf_init(&b, 1u << 24);
    if (node != EV_NONE) {
        py_text(r, node, &b);
    }
    s = dup_norm(&b);
    vg_buf_fini(&b);
    return s;
}

static void
add_kv(struct ours *o, char *name, char *value)
{
    struct kv *k = realloc(o->data, (o->n_data + 1) * sizeof(*k));

    if (k == NULL) {
        free(name);
        free(value);
        return;
    }
    o->data = k;
    o->data[o->n_data].name = name;
    o->data[o->n_data].value = value;
    o->n_data++;
}

static void
leaves(const struct vg_evtx_reader *r, uint32_t node, struct ours *o)
{
    uint32_t c;
    int leaf = 1;

    for (c = r->nodes[node].first; c != EV_NONE; c = r->nodes[c].next) {
        if (r->nodes[c].kind == EV_N_ELEM) {
            leaf = 0;
            leaves(r, c, o);
        }
    }
    if (leaf) {
        add_kv(o, strndup(r->nodes[node].name, r->nodes[node].name_len),
               node_py(r, node));
    }
}

static uint32_t
child(const struct vg_evtx_reader *r, uint32_t n, const char *name)
{
    return n == EV_NONE ? EV_NONE : ev_child_elem(r, n, name, strlen(name));
}

static void
sections(const struct vg_evtx_reader *r, uint32_t ev, struct ours *o)
{
    uint32_t s, d;

    for (s = r->nodes[ev].first; s != EV_NONE; s = r->nodes[s].next) {
        const struct ev_node *n = &r->nodes[s];
        if (n->kind != EV_N_ELEM) {
            continue;
        }
        if (n->name_len == 9 && memcmp(n->name, "EventData", 9) == 0) {
            for (d = n->first; d != EV_NONE; d = r->nodes[d].next) {
                uint32_t a;
                if (r->nodes[d].kind != EV_N_ELEM) {
                    continue;
                }
                a = ev_attr(r, d, "Name", 4);
                add_kv(o,
                       a != EV_NONE
                           ? node_py(r, a)
                           : strndup(r->nodes[d].name, r->nodes[d].name_len),
                       node_py(r, d));
            }
        } else if (n->name_len == 8 && memcmp(n->name, "UserData", 8) == 0) {
            for (d = n->first; d != EV_NONE; d = r->nodes[d].next) {
                if (r->nodes[d].kind == EV_N_ELEM) {
                    leaves(r, d, o);
                }
            }
        }
    }
}

static int
collect(void *arg, struct vg_evtx_record *rec)
{
    struct file_recs *fr = arg;
    const struct vg_evtx_reader *r = rec->reader;
    struct ours *o;
    uint32_t ev = EV_NONE, sys, c;

    if (fr->n == fr->cap) {
        size_t cap = fr->cap ? fr->cap * 2 : 256;
        struct ours *p = realloc(fr->r, cap * sizeof(*p));
        if (p == NULL) {
            return VG_ENOMEM;
        }
        fr->r = p;
        fr->cap = cap;
    }
    o = &fr->r[fr->n++];
    memset(o, 0, sizeof(*o));
    o->offset = rec->offset;
    for (c = r->nodes[0].first; c != EV_NONE && ev == EV_NONE;
         c = r->nodes[c].next) {
        ev = r->nodes[c].kind == EV_N_ELEM ? c : EV_NONE;
    }
    sys = child(r, ev, "System");
    o->f[0] = node_py(r, child(r, sys, "EventRecordID"));
    c = child(r, sys, "TimeCreated");
    o->f[1] =
        node_py(r, c != EV_NONE ? ev_attr(r, c, "SystemTime", 10) : EV_NONE);
    o->f[2] = node_py(r, child(r, sys, "EventID"));
    o->f[3] = node_py(r, child(r, sys, "Channel"));
    c = child(r, sys, "Provider");
    o->f[4] = node_py(r, c != EV_NONE ? ev_attr(r, c, "Name", 4) : EV_NONE);
    if (ev != EV_NONE) {
        sections(r, ev, o);
    }
    return VG_OK;
}

static void
free_recs(struct file_recs *fr)
{
    size_t i, k;

    for (i = 0; i < fr->n; i++) {
        for (k = 0; k < 5; k++) {
            free(fr->r[i].f[k]);
        }
        for (k = 0; k < fr->r[i].n_data; k++) {
            free(fr->r[i].data[k].name);
            free(fr->r[i].data[k].value);
        }
        free(fr->r[i].data);
    }
    free(fr->r);
    memset(fr, 0, sizeof(*fr));
}

static int
read_ours(const char *path, struct file_recs *fr)
{
    struct vg_evtx *f = NULL;
    struct vg_evtx_reader *r = NULL;
    int fd = open(path, O_RDONLY | O_CLOEXEC), rc;

    if (fd < 0) {
        return VG_EIO;
    }
    rc = vg_evtx_open_fd(NULL, fd, path, &f);
    close(fd);
    if (rc == VG_OK && (rc = vg_evtx_reader_new(&r)) == VG_OK) {
        rc = vg_evtx_each(r, f, 0, collect, fr, NULL);
    }
    vg_evtx_reader_free(r);
    vg_evtx_close(f);
    return rc;
}

/* "YYYY-MM-DD HH:MM:SS[.ffffff]" -> us. */
static int
parse_pytime(const char *s, int64_t *us)
{
    char iso[64];

    if (strlen(s) < 19 || strlen(s) > 40 || s[10] != ' ') {
        return 0;
    }
    snprintf(iso, sizeof(iso), "%sZ", s);
    iso[10] = 'T';
    return vg_time_parse(iso, us) == VG_OK;
}

static int
same(const char *ours, const char *theirs)
{
    int64_t a, b;
    char *ea, *eb;
    double da, db;

    if (strcmp(ours, theirs) == 0) {
        return 1;
    }
    if (parse_pytime(ours, &a) && parse_pytime(theirs, &b)) {
        return llabs(a - b) <= 2;
    }
    da = strtod(ours, &ea);
    db = strtod(theirs, &eb);
    return *ours != '\0' && *ea == '\0' && *theirs != '\0' && *eb == '\0' &&
           da == db;
}

struct totals {
    long compared, missing, mismatched, reported;
};

static void
report(struct totals *t, const char *path, uint64_t off, const char *what,
       const char *ours, const char *theirs)
{
    t->mismatched++;
    if (t->reported++ < 20 || getenv("VG_DIFF_ALL") != NULL) {
        printf("# %s offset %llu: %s: ours \"%.200s\" python-evtx \"%.200s\"\n",
               path, (unsigned long long)off, what, ours, theirs);
    }
}

static void
compare_one(struct totals *t, const char *path, const struct ours *o, json_t *j)
{
    json_t *data = json_object_get(j, "data");
    size_t k, n = json_array_size(data);

    t->compared++;
    for (k = 0; k < 5; k++) {
        const char *v = json_string_value(json_object_get(j, field_names[k]));
        if (v != NULL && !same(o->f[k], v)) {
            report(t, path, o->offset, field_names[k], o->f[k], v);
            return;
        }
    }
    if (n != o->n_data) {
        char a[32], b[32];
        snprintf(a, sizeof(a), "%zu", o->n_data);
        snprintf(b, sizeof(b), "%zu", n);
        report(t, path, o->offset, "number of data fields", a, b);
        return;
    }
    for (k = 0; k < n; k++) {
        json_t *pair = json_array_get(data, k);
        const char *name = json_string_value(json_array_get(pair, 0));
        const char *val = json_string_value(json_array_get(pair, 1));
        if (name == NULL || val == NULL || strcmp(o->data[k].name, name) != 0 ||
            !same(o->data[k].value, val)) {
            report(t, path, o->offset, o->data[k].name, o->data[k].value,
                   val ? val : "(null)");
            return;
        }
    }
}

static void
compare_file(struct totals *t, const char *path, json_t **lines, size_t n)
{
    struct file_recs fr = {NULL, 0, 0};
    size_t i, k = 0;

    (void)read_ours(path, &fr);
    for (i = 0; i < n; i++) {
        uint64_t off =
            (uint64_t)json_integer_value(json_object_get(lines[i], "offset"));
        while (k < fr.n && fr.r[k].offset < off) {
            k++;
        }
        if (k == fr.n || fr.r[k].offset != off) {
            t->missing++;
            if (t->reported++ < 20) {
                printf("# %s offset %llu: python-evtx decodes a record we "
                       "do not deliver\n",
                       path, (unsigned long long)off);
            }
            continue;
        }
        compare_one(t, path, &fr.r[k], lines[i]);
    }
    free_recs(&fr);
}

/* Run the oracle over the files of list and compare file by file. */
static int
run_oracle(const char *python, const char *script, const char *list,
           struct totals *t)
{
    char cmd[16384], *line = NULL, *cur = NULL;
    size_t cap = 0, n = 0, lcap = 0, i;
    json_t **lines = NULL;
    FILE *p;
    ssize_t len;

    snprintf(cmd, sizeof(cmd), "'%s' '%s' -l '%s'", python, script, list);
    p = popen(cmd, "r");
    if (p == NULL) {
        return -1;
    }
    for (;;) {
        json_t *j = NULL;
        const char *file = NULL;
        len = getline(&line, &cap, p);
        if (len > 0) {
            j = json_loads(line, 0, NULL);
            file = json_string_value(json_object_get(j, "file"));
        }
        if (cur != NULL &&
            (len <= 0 || file == NULL || strcmp(file, cur) != 0)) {
            compare_file(t, cur, lines, n);
            for (i = 0; i < n; i++) {
                json_decref(lines[i]);
            }
            n = 0;
            free(cur);
            cur = NULL;
        }
        if (len <= 0) {
            json_decref(j);
            break;
        }
        if (file == NULL) {
            json_decref(j);
            continue;
        }
        if (cur == NULL) {
            cur = strdup(file);
        }
        if (n == lcap) {
            lcap = lcap ? lcap * 2 : 1024;
            lines = realloc(lines, lcap * sizeof(*lines));
        }
        lines[n++] = j;
    }
    free(lines);
    free(line);
    return pclose(p);
}

static int
list_files(const char *dir, FILE *out)
{
    char cmd[4200];
    FILE *p;
    char buf[4096];
    int n = 0;

    snprintf(cmd, sizeof(cmd), "find '%s' -type f -name '*.evtx' | sort", dir);
    p = popen(cmd, "r");
    if (p == NULL) {
        return 0;
    }
    while (fgets(buf, sizeof(buf), p) != NULL) {
        fputs(buf, out);
        n++;
    }
    pclose(p);
    return n;
}

static void
diff_corpus(const char *sub)
{
    const char *corp = vg_test_env("VG_CORPORA"),
               *src = vg_test_env("VG_SRC_DIR");
    const char *python = "/usr/bin/python3";
    char dir[4096], script[4200], list[] = "/tmp/vg-evtx-diff-XXXXXX";
    struct totals t = {0, 0, 0, 0};
    struct stat st;
    FILE *lf;
    int fd, rc;

    snprintf(dir, sizeof(dir), "%s/%s", corp ? corp : "", sub);
    snprintf(script, sizeof(script), "%s/tests/tools/evtx_oracle.py",
             src ? src : ".");
    if (corp == NULL || stat(dir, &st) != 0) {
        vg_test_skip("corpus not found: evtx samples");
        return;
    }
    if (access(python, X_OK) != 0 ||
        system("/usr/bin/python3 -c 'import Evtx.Evtx' 2>/dev/null") != 0) {
        vg_test_skip("python-evtx (python3-evtx) not installed");
        return;
    }
    fd = mkstemp(list);
    REQUIRE(fd >= 0);
    lf = fdopen(fd, "w");
    REQUIRE(lf != NULL);
    REQUIRE(list_files(dir, lf) > 0);
    fclose(lf);
    rc = run_oracle(python, script, list, &t);
    unlink(list);
    printf("# %s: %ld records compared, %ld missing, %ld different\n", sub,
           t.compared, t.missing, t.mismatched);
    CHECK_EQ_INT(rc, 0);
    CHECK(t.compared > 0);
    CHECK_EQ_INT(t.missing, 0);
    CHECK_EQ_INT(t.mismatched, 0);
}

static void
t_diff_attack_samples(void)
{
    diff_corpus("evtx-attack-samples");
}

static void
t_diff_rs_samples(void)
{
    diff_corpus("evtx-rs-samples");
}

static void
t_diff_sigma_regression(void)
{
    diff_corpus("sigma/regression_data");
}

static const struct vg_test tests[] = {
    T(t_diff_attack_samples),
    T(t_diff_rs_samples),
    T(t_diff_sigma_regression),
};

int
main(int argc, char **argv)
{
    return vg_test_main(argc, argv, tests, VG_ARRAY_LEN(tests));
}
