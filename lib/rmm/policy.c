/* SPDX-License-Identifier: Apache-2.0 */
/*
 * policy.c - the site's RMM policy file (--policy): which tools are
 * approved, which relays (host, *.domain, IP) and ScreenConnect instance ids
 * are the site's own, and how many days count as a "recent" install.
 * Line format, one rule a line, '#' comments (docs/rmm.md). Unknown
 * directives are errors with file:line, so a typo never silently approves
 * or ignores anything.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/alloc.h"
#include "core/str.h"
#include "rmm/policy.h"

#include "core/banned.h"

static int
directive(struct vg_rmm_policy *p, const char *k, size_t kn, const char *v,
          size_t vn, const char *name, uint64_t line, struct vg_diag *d)
{
#define KW(s) (kn == sizeof(s) - 1 && memcmp(k, s, kn) == 0)
    int rc;
    if (vn == 0)
        return vg_diag_set(d, VG_ESYNTAX, name, line, VG_DIAG_NONE,
                           "'%.*s' needs a value", (int)(kn > 40 ? 40 : kn), k);
    if (KW("approve-tool"))
        rc = rmm_sv_add(&p->tools, v, vn);
    else if (KW("approve-relay"))
        rc = rmm_sv_add(&p->relays, v, vn);
    else if (KW("approve-instance"))
        rc = rmm_sv_add(&p->instances, v, vn);
    else if (KW("recent-days")) {
        uint64_t days;
        if (vg_parse_u64(v, vn, 0, 36500, &days) != VG_OK)
            return vg_diag_set(d, VG_ESYNTAX, name, line, VG_DIAG_NONE,
                               "recent-days needs a number of days (0..36500)");
        p->recent_days = (int)days;
        rc = VG_OK;
    } else
        return vg_diag_set(d, VG_ESYNTAX, name, line, VG_DIAG_NONE,
                           "unknown policy directive '%.*s'",
                           (int)(kn > 40 ? 40 : kn), k);
#undef KW
    if (rc != VG_OK)
        return vg_diag_set(d, rc, name, line, VG_DIAG_NONE, "%s",
                           vg_strerror(rc));
    return VG_OK;
}

int
vg_rmm_policy_load_buf(const char *data, size_t n, const char *name,
                       struct vg_rmm_policy **out, struct vg_diag *d)
{
    *out = NULL;
    const char *nm = name != NULL ? name : "<policy>";
    struct vg_rmm_policy *p = vg_calloc(1, sizeof(*p));
    if (p == NULL)
        return VG_ENOMEM;
    p->recent_days = -1;
    int rc = VG_OK;
    uint64_t line = 0;
    for (size_t i = 0; rc == VG_OK && i < n;) {
        const char *nl = memchr(data + i, '\n', n - i);
        size_t len = nl != NULL ? (size_t)(nl - (data + i)) : n - i;
        const char *s = data + i;
        size_t sl = len;
        line++;
        i += len + 1;
        rmm_trim(&s, &sl);
        if (sl == 0 || s[0] == '#')
            continue;
        if (sl > RMM_MAX_LINE || memchr(s, '\0', sl) != NULL) {
            rc = vg_diag_set(d, VG_EFORMAT, nm, line, VG_DIAG_NONE,
                             "line too long or holds a NUL byte");
            break;
        }
        size_t kn = 0;
        while (kn < sl && s[kn] != ' ' && s[kn] != '\t')
            kn++;
        const char *v = s + kn;
        size_t vn = sl - kn;
        rmm_trim(&v, &vn);
        rc = directive(p, s, kn, v, vn, nm, line, d);
    }
    if (rc != VG_OK) {
        vg_rmm_policy_free(p);
        return rc;
    }
    *out = p;
    return VG_OK;
}

int
vg_rmm_policy_load_file(const char *path, struct vg_rmm_policy **out,
                        struct vg_diag *d)
{
    *out = NULL;
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return vg_diag_set(d, VG_EIO, path, VG_DIAG_NONE, VG_DIAG_NONE,
                           "cannot open: %s", strerror(errno));
    struct stat st;
    char *buf = NULL;
    int rc;
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) ||
        st.st_size > (off_t)(1u << 20)) {
        rc = vg_diag_set(d, VG_EIO, path, VG_DIAG_NONE, VG_DIAG_NONE,
                         "not a regular file of at most 1 MiB");
        goto out;
    }
    size_t len = (size_t)st.st_size, got = 0;
    if ((buf = vg_malloc(len + 1)) == NULL) {
        rc = VG_ENOMEM;
        goto out;
    }
    while (got < len) {
        ssize_t r = read(fd, buf + got, len - got);
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0)
            break;
        got += (size_t)r;
    }
    rc = vg_rmm_policy_load_buf(buf, got, path, out, d);
out:
    vg_free(buf);
    close(fd);
    return rc;
}

void
vg_rmm_policy_free(struct vg_rmm_policy *p)
{
    if (p == NULL)
        return;
    rmm_sv_free(&p->tools);
    rmm_sv_free(&p->relays);
    rmm_sv_free(&p->instances);
    vg_free(p);
}

int
rmm_policy_relay_ok(const struct vg_rmm_policy *p, const char *host)
{
    for (size_t i = 0; i < p->relays.n; i++) {
        const char *r = p->relays.v[i];
        if (rmm_glob(r, host))
            return 1;
        /* "*.example.com" also approves "example.com" itself */
        if (r[0] == '*' && r[1] == '.' && rmm_glob(r + 2, host))
            return 1;
    }
    return 0;
}
