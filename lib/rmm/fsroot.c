/* SPDX-License-Identifier: Apache-2.0 */
/*
 * fsroot.c - read-only access to an evidence root for the RMM probes.
 *
 * Every path is resolved component by component with openat(O_NOFOLLOW)
 * from a descriptor of the root, so neither a symlink nor ".." can lead out
 * of it; symlinks met in listings are ignored. Names match ASCII
 * case-insensitively (Windows evidence copied to Linux keeps its on-disk
 * case, the catalog may spell it otherwise). Directory listings are cached:
 * the probes touch a few hundred folders, never the whole tree, which is what
 * keeps a 200,000-file root fast. O_NOATIME is used when permitted, so
 * reading evidence does not change its access times.
 *
 * Not done here: recursion over unknown depth, writing, following links.
 */
#define _GNU_SOURCE 1 /* O_NOATIME, statx */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/alloc.h"
#include "core/map.h"
#include "core/str.h"
#include "rmm/rmm_int.h"

#include "core/banned.h"

#define MAX_DEPTH 48

struct dlist {
    char **names;
    unsigned char *is_dir;
    size_t n;
    int ok; /* 0: not a directory / unreadable */
};

struct rmm_root {
    int fd;
    char path[PATH_MAX];
    struct vg_map cache; /* rel dir -> struct dlist * */
};

static int
open_flags(int dfd, const char *name, int flags)
{
    int fd = openat(dfd, name, flags | O_NOATIME | O_NOFOLLOW | O_CLOEXEC);
    if (fd < 0 && errno == EPERM) /* O_NOATIME needs ownership */
        fd = openat(dfd, name, flags | O_NOFOLLOW | O_CLOEXEC);
    return fd;
}

int
rmm_root_open(const char *root, struct rmm_root **out, struct vg_diag *d)
{
    *out = NULL;
    struct rmm_root *r = vg_calloc(1, sizeof(*r));
    if (r == NULL)
        return VG_ENOMEM;
    /* The root itself may be a symlink the user named on purpose. */
    r->fd = open(root, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (r->fd < 0) {
        int e = errno;
        vg_free(r);
        return vg_diag_set(d, VG_EIO, root, VG_DIAG_NONE, VG_DIAG_NONE,
                           "cannot open evidence root: %s", strerror(e));
    }
    vg_strlcpy(r->path, root, sizeof(r->path));
    vg_map_init(&r->cache, 1u << 20);
    *out = r;
    return VG_OK;
}

static void
dlist_free(struct dlist *l)
{
    if (l == NULL)
        return;
    for (size_t i = 0; i < l->n; i++)
        vg_free(l->names[i]);
    vg_free(l->names);
    vg_free(l->is_dir);
    vg_free(l);
}

void
rmm_root_close(struct rmm_root *r)
{
    if (r == NULL)
        return;
    size_t it = 0;
    const void *k;
    size_t kl;
    void *v;
    while (vg_map_next(&r->cache, &it, &k, &kl, &v))
        dlist_free(v);
    vg_map_fini(&r->cache);
    close(r->fd);
    vg_free(r);
}

const char *
rmm_root_path(const struct rmm_root *r)
{
    return r->path;
}

/* Descriptor of directory rel ("" = root), every component O_NOFOLLOW. */
static int
open_rel(struct rmm_root *r, const char *rel, int last_flags)
{
    int fd = dup(r->fd);
    if (fd < 0 || rel[0] == '\0')
        return fd;
    char comp[NAME_MAX + 1];
    const char *p = rel;
    while (*p != '\0') {
        const char *s = strchr(p, '/');
        size_t n = s != NULL ? (size_t)(s - p) : strlen(p);
        if (n == 0 || n > NAME_MAX || (n == 2 && p[0] == '.' && p[1] == '.') ||
            (n == 1 && p[0] == '.')) {
            close(fd);
            errno = EINVAL;
            return -1;
        }
        memcpy(comp, p, n);
        comp[n] = '\0';
        int last = s == NULL;
        int nfd =
            open_flags(fd, comp, last ? last_flags : O_RDONLY | O_DIRECTORY);
        int e = errno;
        close(fd);
        if (nfd < 0) {
            errno = e;
            return -1;
        }
        fd = nfd;
        p = last ? p + n : s + 1;
    }
    return fd;
}

static int
dlist_push(struct dlist *l, size_t *cap, const char *name, unsigned char dir)
{
    if (l->n >= RMM_MAX_DIRENTS)
        return VG_ELIMIT;
    if (l->n == *cap) {
        size_t nc = *cap ? *cap * 2 : 16;
        char **nv = vg_reallocarray(l->names, nc, sizeof(*nv));
        if (nv == NULL)
            return VG_ENOMEM;
        l->names = nv;
        unsigned char *nd = vg_reallocarray(l->is_dir, nc, 1);
        if (nd == NULL)
            return VG_ENOMEM;
        l->is_dir = nd;
        *cap = nc;
    }
    if ((l->names[l->n] = vg_strdup(name)) == NULL)
        return VG_ENOMEM;
    l->is_dir[l->n++] = dir;
    return VG_OK;
}

static int
read_listing(struct rmm_root *r, const char *rel, struct dlist *l)
{
    int fd = open_rel(r, rel, O_RDONLY | O_DIRECTORY);
    if (fd < 0)
        return VG_OK; /* missing or not a directory: empty, ok = 0 */
    DIR *dh = fdopendir(fd);
    if (dh == NULL) {
        close(fd);
        return VG_OK;
    }
    l->ok = 1;
    size_t cap = 0;
    int rc = VG_OK;
    struct dirent *de;
    while (rc == VG_OK && (de = readdir(dh)) != NULL) {
        if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
            continue;
        unsigned char t = de->d_type;
        if (t == DT_UNKNOWN) {
            struct stat st;
            if (fstatat(dirfd(dh), de->d_name, &st, AT_SYMLINK_NOFOLLOW) != 0)
                continue;
            t = S_ISDIR(st.st_mode)   ? DT_DIR
                : S_ISREG(st.st_mode) ? DT_REG
                                      : DT_LNK;
        }
        if (t != DT_DIR && t != DT_REG)
            continue; /* symlinks, devices, sockets: never followed */
        rc = dlist_push(l, &cap, de->d_name, t == DT_DIR);
    }
    closedir(dh);
    return rc == VG_ELIMIT ? VG_OK : rc;
}

static int
get_list(struct rmm_root *r, const char *rel, struct dlist **out)
{
    size_t kl = strlen(rel);
    struct dlist *l = vg_map_get(&r->cache, rel, kl);
    if (l == NULL) {
        if ((l = vg_calloc(1, sizeof(*l))) == NULL)
            return VG_ENOMEM;
        int rc = read_listing(r, rel, l);
        if (rc == VG_OK)
            rc = vg_map_put(&r->cache, rel, kl, l);
        if (rc != VG_OK) {
            dlist_free(l);
            return rc;
        }
    }
    *out = l;
    return VG_OK;
}

int
rmm_root_list(struct rmm_root *r, const char *rel, char ***names,
              unsigned char **is_dir, size_t *n)
{
    struct dlist *l;
    *names = NULL;
    *is_dir = NULL;
    *n = 0;
    int rc = get_list(r, rel, &l);
    if (rc != VG_OK)
        return rc;
    if (!l->ok)
        return VG_ENOTFOUND;
    *names = l->names;
    *is_dir = l->is_dir;
    *n = l->n;
    return VG_OK;
}

struct gstate {
    struct rmm_root *r;
    rmm_match_fn *fn;
    void *arg;
    size_t matches;
    char comps[MAX_DEPTH][NAME_MAX + 1];
    size_t n_comps;
};

static int
glob_at(struct gstate *g, char *rel, size_t rlen, size_t idx)
{
    struct dlist *l;
    int rc = get_list(g->r, rel, &l);
    if (rc != VG_OK || !l->ok)
        return rc;
    const char *pat = g->comps[idx];
    int last = idx + 1 == g->n_comps;
    for (size_t i = 0; i < l->n; i++) {
        if (!rmm_glob(pat, l->names[i]))
            continue;
        if (!last && !l->is_dir[i])
            continue;
        size_t nl = strlen(l->names[i]);
        if (rlen + nl + 2 >= PATH_MAX)
            continue;
        size_t at = rlen;
        if (rlen > 0)
            rel[at++] = '/';
        memcpy(rel + at, l->names[i], nl + 1);
        if (last) {
            if (++g->matches > RMM_MAX_MATCHES)
                rc = VG_ELIMIT;
            else
                rc = g->fn(g->arg, rel, l->is_dir[i]);
        } else {
            rc = glob_at(g, rel, at + nl, idx + 1);
        }
        rel[rlen] = '\0';
        /* get_list may have grown the cache, but l is heap-stable */
        if (rc != VG_OK)
            return rc;
    }
    return VG_OK;
}

int
rmm_root_glob(struct rmm_root *r, const char *pat, rmm_match_fn *fn, void *arg)
{
    struct gstate *g = vg_calloc(1, sizeof(*g));
    char *rel = vg_malloc(PATH_MAX);
    int rc = VG_OK;
    if (g == NULL || rel == NULL) {
        rc = VG_ENOMEM;
        goto out;
    }
    g->r = r;
    g->fn = fn;
    g->arg = arg;
    for (const char *p = pat; *p != '\0';) {
        const char *s = strchr(p, '/');
        size_t n = s != NULL ? (size_t)(s - p) : strlen(p);
        if (n > NAME_MAX || g->n_comps >= MAX_DEPTH)
            goto out; /* cannot exist on disk */
        if (n > 0)
            rmm_copy(g->comps[g->n_comps++], NAME_MAX + 1, p, n);
        p = s != NULL ? s + 1 : p + n;
    }
    rel[0] = '\0';
    if (g->n_comps > 0)
        rc = glob_at(g, rel, 0, 0);
    if (rc == VG_ELIMIT)
        rc = VG_OK; /* pattern too broad: first matches only */
out:
    vg_free(rel);
    vg_free(g);
    return rc;
}

int
rmm_root_open_file(struct rmm_root *r, const char *rel)
{
    int fd = open_rel(r, rel, O_RDONLY | O_NONBLOCK);
    if (fd < 0)
        return -errno;
    struct stat st;
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        close(fd);
        return -EINVAL;
    }
    return fd;
}

static int64_t
ts_us(int64_t sec, int64_t nsec)
{
    return sec * 1000000 + nsec / 1000;
}

int
rmm_root_read(struct rmm_root *r, const char *rel, size_t max, char **out,
              size_t *n, int64_t *mtime_us, int64_t *btime_us)
{
    *out = NULL;
    *n = 0;
    int fd = rmm_root_open_file(r, rel);
    if (fd < 0)
        return VG_EIO;
    struct statx sx;
    int rc = VG_OK;
    char *b = NULL;
    if (statx(fd, "", AT_EMPTY_PATH, STATX_BASIC_STATS | STATX_BTIME, &sx) !=
        0) {
        rc = VG_EIO;
        goto out;
    }
    if (mtime_us != NULL)
        *mtime_us = ts_us(sx.stx_mtime.tv_sec, sx.stx_mtime.tv_nsec);
    if (btime_us != NULL)
        *btime_us = (sx.stx_mask & STATX_BTIME)
                        ? ts_us(sx.stx_btime.tv_sec, sx.stx_btime.tv_nsec)
                        : VG_TIME_NONE;
    uint64_t size = sx.stx_size;
    /* Logs grow at the end: past the cap, the newest part is what counts. */
    off_t off = size > max ? (off_t)(size - max) : 0;
    size_t want = size > max ? max : (size_t)size;
    if ((b = vg_malloc(want + 1)) == NULL) {
        rc = VG_ENOMEM;
        goto out;
    }
    size_t got = 0;
    while (got < want) {
        ssize_t k = pread(fd, b + got, want - got, off + (off_t)got);
        if (k < 0 && errno == EINTR)
            continue;
        if (k < 0) {
            rc = VG_EIO;
            goto out;
        }
        if (k == 0)
            break;
        got += (size_t)k;
    }
    b[got] = '\0';
    *out = b;
    *n = got;
    b = NULL;
out:
    vg_free(b);
    close(fd);
    return rc;
}
