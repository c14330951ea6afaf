/* SPDX-License-Identifier: Apache-2.0 */
/*
 * walk.c - the read-only directory walker (contract in vigil/fs.h).
 *
 * Everything below the root is reached through openat/fstatat on the parent
 * directory's fd with O_NOFOLLOW / AT_SYMLINK_NOFOLLOW, so links are never
 * followed and a path is never re-resolved from the top. Entries of a
 * directory are read completely, sorted and then visited, which keeps the
 * output order independent of the file system and closes the directory
 * stream before descending (only one fd per level stays open).
 *
 * Deliberately not done: following links, crossing into other file systems
 * when is_one_fs is set, opening anything that is not a regular file or a
 * directory, changing any timestamp.
 */
#define _GNU_SOURCE /* O_NOATIME, O_DIRECTORY; Linux-specific, best effort */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <fnmatch.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "vigil/err.h"
#include "vigil/fs.h"

#include "core/alloc.h"
#include "core/banned.h"

#ifndef O_NOATIME
#define O_NOATIME 0
#endif

struct walk {
    const struct vg_ctx *ctx;
    const struct vg_walk_opts *o;
    struct vg_walk_stats *st;
    dev_t root_dev;
    unsigned max_depth;
    char path[VG_WALK_PATH_MAX];
    size_t path_len;
};

int
vg_walk_excluded(const char *path, const char *const *globs, size_t n_globs)
{
    const char *base = strrchr(path, '/');

    base = base != NULL ? base + 1 : path;
    for (size_t i = 0; i < n_globs; i++) {
        const char *g = globs[i];
        const char *subject = strchr(g, '/') != NULL ? path : base;
        if (fnmatch(g, subject, 0) == 0) {
            return 1;
        }
    }
    return 0;
}

/* openat with O_NOATIME when permitted: EPERM means we are neither owner
 * nor privileged, so retry without it (atime may then move; that is the
 * documented best effort). */
static int
open_noatime(int dirfd, const char *name, int flags, int *is_noatime)
{
    int fd = openat(dirfd, name, flags | O_NOATIME);

    *is_noatime = fd >= 0 && O_NOATIME != 0;
    if (fd < 0 && errno == EPERM && O_NOATIME != 0) {
        fd = openat(dirfd, name, flags);
    }
    return fd;
}

static void
report(struct walk *w, const char *name, int err)
{
    w->st->n_errors++;
    if (w->o->on_error == NULL) {
        return;
    }
    if (name == NULL) {
        w->o->on_error(w->o->arg, w->path, err);
        return;
    }
    char tmp[VG_WALK_PATH_MAX];
    size_t nl = strlen(name);
    size_t pl = w->path_len < sizeof(tmp) - 2 ? w->path_len : sizeof(tmp) - 2;
    memcpy(tmp, w->path, pl);
    tmp[pl++] = '/';
    if (nl > sizeof(tmp) - 1 - pl) {
        nl = sizeof(tmp) - 1 - pl;
    }
    memcpy(tmp + pl, name, nl);
    tmp[pl + nl] = '\0';
    w->o->on_error(w->o->arg, tmp, err);
}

/* Append "/name" to w->path; 0, or -1 if it does not fit. */
static int
path_push(struct walk *w, const char *name)
{
    size_t nl = strlen(name);
    int need_slash = w->path_len > 0 && w->path[w->path_len - 1] != '/';
    size_t add = nl + (need_slash ? 1u : 0u);

    if (w->path_len + add + 1 > sizeof(w->path)) {
        return -1;
    }
    if (need_slash) {
        w->path[w->path_len++] = '/';
    }
    memcpy(w->path + w->path_len, name, nl + 1);
    w->path_len += nl;
    return 0;
}

static int
cmp_names(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static void
free_names(char **names, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        vg_free(names[i]);
    }
    vg_free(names);
}

/* Read every name of the directory open on fd (consumed), sorted. */
static int
read_names(struct walk *w, int fd, char ***out, size_t *n_out)
{
    DIR *d = fdopendir(fd);
    char **names = NULL;
    size_t n = 0, cap = 0;
    int rc = VG_OK;
    struct dirent *de;

    *out = NULL;
    *n_out = 0;
    if (d == NULL) {
        report(w, NULL, errno);
        close(fd);
        return VG_EIO;
    }
    errno = 0;
    while ((de = readdir(d)) != NULL) {
        if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0) {
            continue;
        }
        if (n == VG_WALK_MAX_DIRENTS) {
            report(w, NULL, EFBIG);
            break;
        }
        if (n == cap) {
            size_t ncap = cap != 0 ? cap * 2 : 64;
            char **nn = vg_reallocarray(names, ncap, sizeof(*nn));
            if (nn == NULL) {
                rc = VG_ENOMEM;
                goto out;
            }
            names = nn;
            cap = ncap;
        }
        names[n] = vg_strdup(de->d_name);
        if (names[n] == NULL) {
            rc = VG_ENOMEM;
            goto out;
        }
        n++;
    }
    if (errno != 0) {
        report(w, NULL, errno);
    }
    if (n > 1) {
        qsort(names, n, sizeof(*names), cmp_names);
    }
out:
    closedir(d);
    if (rc != VG_OK) {
        free_names(names, n);
        return rc;
    }
    *out = names;
    *n_out = n;
    return VG_OK;
}

static int walk_dir(struct walk *w, int fd, unsigned depth);

/* Open a regular file found by fstatat, check it is still that inode, and
 * give it to the callback. */
static int
visit_file(struct walk *w, int dirfd, const char *name, const struct stat *sb,
           unsigned depth)
{
    int is_noatime = 0;
    /* depth 0 is a PATH the user named: resolved like the root folder */
    int nofollow = depth > 0 ? O_NOFOLLOW : 0;
    int fd = open_noatime(
        dirfd, name, O_RDONLY | O_CLOEXEC | nofollow | O_NONBLOCK | O_NOCTTY,
        &is_noatime);
    struct stat st;

    if (fd < 0) {
        report(w, NULL, errno);
        return VG_OK;
    }
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) ||
        st.st_ino != sb->st_ino || st.st_dev != sb->st_dev) {
        report(w, NULL, ESTALE); /* replaced between fstatat and open */
        close(fd);
        return VG_OK;
    }
    const char *base = strrchr(w->path, '/');
    struct vg_walk_entry e = {
        .path = w->path,
        .name = base != NULL && base[1] != '\0' ? base + 1 : w->path,
        .depth = depth,
        .st = &st,
        .fd = fd,
        .is_noatime = is_noatime,
    };
    w->st->n_files++;
    return w->o->on_file(w->o->arg, &e);
}

static int
visit_subdir(struct walk *w, int dirfd, const char *name, const struct stat *sb,
             unsigned depth)
{
    int is_noatime = 0;
    int fd;
    struct stat st;

    if (w->o->is_one_fs && sb->st_dev != w->root_dev) {
        w->st->n_other_fs++;
        return VG_OK;
    }
    if (depth >= w->max_depth) {
        w->st->n_too_deep++;
        return VG_OK;
    }
    fd = open_noatime(
        dirfd, name, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_DIRECTORY | O_NOCTTY,
        &is_noatime);
    if (fd < 0) {
        report(w, NULL, errno);
        return VG_OK;
    }
    if (fstat(fd, &st) != 0 || st.st_ino != sb->st_ino ||
        st.st_dev != sb->st_dev) {
        report(w, NULL, ESTALE);
        close(fd);
        return VG_OK;
    }
    return walk_dir(w, fd, depth + 1);
}

/* One entry of the directory open on dirfd; w->path already ends in it. */
static int
visit(struct walk *w, int dirfd, const char *name, unsigned depth)
{
    struct stat sb;

    if (fstatat(dirfd, name, &sb, AT_SYMLINK_NOFOLLOW) != 0) {
        report(w, NULL, errno);
        return VG_OK;
    }
    if (w->o->n_excludes > 0 &&
        vg_walk_excluded(w->path, w->o->excludes, w->o->n_excludes)) {
        w->st->n_excluded++;
        return VG_OK;
    }
    if (S_ISLNK(sb.st_mode)) {
        w->st->n_links++;
        return VG_OK;
    }
    if (S_ISDIR(sb.st_mode)) {
        return visit_subdir(w, dirfd, name, &sb, depth);
    }
    if (!S_ISREG(sb.st_mode)) {
        w->st->n_special++;
        return VG_OK;
    }
    if (depth > w->max_depth) {
        w->st->n_too_deep++;
        return VG_OK;
    }
    return visit_file(w, dirfd, name, &sb, depth);
}

/* Walk the directory open on fd (consumed) whose path is w->path; its
 * entries have depth `depth`. */
static int
walk_dir(struct walk *w, int fd, unsigned depth)
{
    char **names = NULL;
    size_t n = 0;
    int dfd = dup(fd);
    int rc;

    if (dfd < 0) {
        report(w, NULL, errno);
        close(fd);
        return VG_OK;
    }
    rc = read_names(w, fd, &names, &n);
    if (rc != VG_OK) {
        close(dfd);
        return rc == VG_EIO ? VG_OK : rc;
    }
    w->st->n_dirs++;
    for (size_t i = 0; i < n && rc == VG_OK; i++) {
        size_t saved = w->path_len;
        if (vg_ctx_cancelled(w->ctx)) {
            rc = VG_ECANCELED;
            break;
        }
        if (path_push(w, names[i]) != 0) {
            report(w, names[i], ENAMETOOLONG);
            continue;
        }
        rc = visit(w, dfd, names[i], depth);
        w->path_len = saved;
        w->path[saved] = '\0';
    }
    close(dfd);
    free_names(names, n);
    return rc;
}

static int
errno_rc(int e)
{
    switch (e) {
    case EACCES:
    case EPERM:
        return VG_EPERM;
    case ENOENT:
    case ENOTDIR:
        return VG_ENOTFOUND;
    case ENOMEM:
        return VG_ENOMEM;
    default:
        return VG_EIO;
    }
}

/* The root: named by the user, so it is the one path resolved normally
 * (a link given as root is followed, like find -H). */
static int
walk_root(struct walk *w)
{
    struct stat sb;
    int is_noatime = 0;
    int fd;

    if (stat(w->path, &sb) != 0) {
        int e = errno;
        report(w, NULL, e);
        return errno_rc(e);
    }
    w->root_dev = sb.st_dev;
    if (S_ISDIR(sb.st_mode)) {
        fd = open_noatime(AT_FDCWD, w->path,
                          O_RDONLY | O_CLOEXEC | O_DIRECTORY | O_NOCTTY,
                          &is_noatime);
        if (fd < 0) {
            int e = errno;
            report(w, NULL, e);
            return errno_rc(e);
        }
        return walk_dir(w, fd, 1);
    }
    if (!S_ISREG(sb.st_mode)) {
        w->st->n_special++;
        return VG_OK;
    }
    /* AT_FDCWD + the full path; the inode check still applies. */
    return visit_file(w, AT_FDCWD, w->path, &sb, 0);
}

int
vg_walk(const struct vg_ctx *ctx, const char *root,
        const struct vg_walk_opts *opts, struct vg_walk_stats *stats)
{
    struct vg_walk_stats dummy = {0};
    struct walk *w;
    size_t n;
    int rc;

    if (root == NULL || opts == NULL || opts->on_file == NULL) {
        return VG_EINVAL;
    }
    n = strlen(root);
    if (n == 0 || n >= VG_WALK_PATH_MAX) {
        return VG_EINVAL;
    }
    w = vg_calloc(1, sizeof(*w));
    if (w == NULL) {
        return VG_ENOMEM;
    }
    w->ctx = ctx;
    w->o = opts;
    w->st = stats != NULL ? stats : &dummy;
    w->max_depth = opts->max_depth != 0 && opts->max_depth < VG_WALK_MAX_DEPTH
                       ? opts->max_depth
                       : VG_WALK_MAX_DEPTH;
    memcpy(w->path, root, n + 1);
    /* "dir/" and "dir" report the same paths; "/" stays "/". */
    while (n > 1 && w->path[n - 1] == '/') {
        w->path[--n] = '\0';
    }
    w->path_len = n;
    rc = walk_root(w);
    vg_free(w);
    return rc;
}
