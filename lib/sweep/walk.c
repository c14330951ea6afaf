/* SPDX-License-Identifier: Apache-2.0 */
/*
 * walk.c - files and folder trees for the sweep: regular files only, in
 * sorted order, opened read-only (O_NOATIME when the kernel lets us, so
 * access times of evidence stay as they were), directories opened with
 * O_NOFOLLOW and entries examined with AT_SYMLINK_NOFOLLOW, so a link
 * inside the tree never leads out of it. The root itself is taken as given
 * (the user named it). It does not descend into other file systems' special
 * files (FIFOs, devices, sockets are skipped: reading them could block).
 */
#define _GNU_SOURCE /* O_NOATIME */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/alloc.h"
#include "sweep/sweep_int.h"
#include "vigil/buf.h"

#include "core/banned.h"

#define MAX_ENTRIES 1000000u

static int
open_ro(int dirfd, const char *name, int extra)
{
    int fl = O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK | extra;
    int fd = openat(dirfd, name, fl | O_NOATIME);
    if (fd < 0 && errno == EPERM) {
        fd = openat(dirfd, name, fl); /* not our file: atime best effort */
    }
    return fd;
}

static int
err(const struct vg_sweep_opts *o, struct vg_sweep_stats *st, int rc,
    const char *path, const char *what)
{
    struct vg_diag d;
    vg_diag_clear(&d);
    vg_diag_set(&d, rc, path, VG_DIAG_NONE, VG_DIAG_NONE, "%s: %s", what,
                strerror(errno));
    st->errors++;
    if (o->on_error != NULL) {
        o->on_error(o->arg, &d);
    }
    return VG_OK;
}

static int
cmp_names(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static int walk_dir(const struct vg_sweep *sw, int fd, const char *path,
                    int depth, const struct vg_sweep_opts *o,
                    struct vg_sweep_stats *st);

/* One entry of a folder (or the root when dirfd is AT_FDCWD). */
static int
entry(const struct vg_sweep *sw, int dirfd, const char *name,
      const char *path, int depth, const struct vg_sweep_opts *o,
      struct vg_sweep_stats *st)
{
    struct stat sb;
    int follow = dirfd == AT_FDCWD ? 0 : AT_SYMLINK_NOFOLLOW;
    if (o->cancel != NULL && *o->cancel) {
        return VG_ECANCELED;
    }
    if (fstatat(dirfd, name, &sb, follow) != 0) {
        return err(o, st, VG_EIO, path, "stat");
    }
    if (S_ISDIR(sb.st_mode)) {
        if (depth >= VG_SWEEP_MAX_DEPTH) {
            st->skipped++;
            return VG_OK;
        }
        int fd = open_ro(dirfd, name, O_DIRECTORY);
        if (fd < 0 && dirfd == AT_FDCWD && errno == ELOOP) {
            fd = openat(dirfd, name, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        }
        if (fd < 0) {
            return err(o, st, VG_EIO, path, "open folder");
        }
        return walk_dir(sw, fd, path, depth + 1, o, st);
    }
    if (!S_ISREG(sb.st_mode)) {
        if (dirfd == AT_FDCWD) { /* named by the user: say why not */
            errno = EINVAL;
            return err(o, st, VG_EINVAL, path,
                       "not a regular file or folder (not read)");
        }
        st->skipped++; /* symlink inside the tree, FIFO, device, socket */
        return VG_OK;
    }
    int fd = open_ro(dirfd, name, 0);
    if (fd < 0 && dirfd == AT_FDCWD && errno == ELOOP) {
        fd = openat(dirfd, name, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
    }
    if (fd < 0) {
        return err(o, st, VG_EIO, path, "open");
    }
    if (fstat(fd, &sb) != 0 || !S_ISREG(sb.st_mode)) {
        close(fd); /* replaced between stat and open */
        st->skipped++;
        return VG_OK;
    }
    if (o->on_file != NULL) {
        return o->on_file(o->arg, fd, path);
    }
    return sweep_fd(sw, fd, path, o, st);
}

static int
read_names(int fd, char ***names, size_t *count)
{
    DIR *dir = fdopendir(fd);
    size_t n = 0, cap = 0;
    char **v = NULL;
    struct dirent *de;
    int rc = VG_OK;
    if (dir == NULL) {
        close(fd);
        return VG_EIO;
    }
    while ((de = readdir(dir)) != NULL && n < MAX_ENTRIES) {
        if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0) {
            continue;
        }
        if (n == cap) {
            cap = cap ? cap * 2 : 64;
            char **nv = vg_reallocarray(v, cap, sizeof(*v));
            if (nv == NULL) {
                rc = VG_ENOMEM;
                break;
            }
            v = nv;
        }
        if ((v[n] = vg_malloc(strlen(de->d_name) + 1)) == NULL) {
            rc = VG_ENOMEM;
            break;
        }
        memcpy(v[n], de->d_name, strlen(de->d_name) + 1);
        n++;
    }
    closedir(dir); /* closes fd */
    qsort(v, n, sizeof(*v), cmp_names);
    *names = v;
    *count = n;
    return rc;
}

static int
walk_dir(const struct vg_sweep *sw, int fd, const char *path, int depth,
         const struct vg_sweep_opts *o, struct vg_sweep_stats *st)
{
    char **names = NULL;
    size_t n = 0;
    struct vg_buf p;
    int dfd = dup(fd);
    int rc = dfd < 0 ? VG_EIO : read_names(fd, &names, &n);
    if (dfd < 0) {
        close(fd);
    }
    if (rc == VG_EIO) {
        if (dfd >= 0) {
            close(dfd);
        }
        return err(o, st, VG_EIO, path, "read folder");
    }
    vg_buf_init(&p, 1u << 16);
    for (size_t i = 0; i < n && rc == VG_OK; i++) {
        vg_buf_reset(&p);
        size_t pl = strlen(path);
        int sep = pl > 0 && path[pl - 1] != '/';
        if (vg_buf_adds(&p, path) != VG_OK ||
            (sep && vg_buf_addc(&p, '/') != VG_OK) ||
            vg_buf_adds(&p, names[i]) != VG_OK) {
            continue; /* path too long for the cap: skip it */
        }
        rc = entry(sw, dfd, names[i], p.data, depth, o, st);
    }
    for (size_t i = 0; i < n; i++) {
        vg_free(names[i]);
    }
    vg_free(names);
    vg_buf_fini(&p);
    close(dfd);
    return rc;
}

int
vg_sweep_path(const struct vg_sweep *sw, const char *path,
              const struct vg_sweep_opts *o, struct vg_sweep_stats *stats)
{
    if (sw == NULL || path == NULL || o == NULL || stats == NULL) {
        return VG_EINVAL;
    }
    return entry(sw, AT_FDCWD, path, path, 0, o, stats);
}
