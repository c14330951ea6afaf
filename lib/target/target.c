/* SPDX-License-Identifier: Apache-2.0 */
/*
 * target.c - scan-target detection (vigil/target.h): looks at directory
 * entries only, with lstat, so symbolic links are never followed and
 * nothing in the evidence is opened for reading or written. Collection
 * layouts are searched breadth-first to a small depth with a cap on the
 * entries looked at, so a huge evidence folder costs little.
 * It does not decide which modules run; the caller does.
 */
#include <dirent.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "core/str.h"
#include "vigil/target.h"

#include "core/banned.h"

#define SEARCH_DEPTH   4    /* <given>/<host>/uploads/auto/C%3A is 4 */
#define SEARCH_ENTRIES 4096 /* entries looked at per folder */
#define SEARCH_DIRS    2048 /* folders opened in all: bounded on a huge tree */

static const char *const kind_names[] = {
    "this live system",
    "an offline Windows root",
    "an offline Linux root",
    "a plain folder",
};

const char *
vg_target_kind_name(enum vg_target_kind k)
{
    if ((unsigned)k >= sizeof(kind_names) / sizeof(kind_names[0])) {
        return "an unknown target";
    }
    return kind_names[k];
}

static int
join(char *out, size_t cap, const char *a, const char *b)
{
    size_t la = strlen(a);
    int n = snprintf(out, cap, "%s%s%s", a,
                     (la > 0 && a[la - 1] == '/') ? "" : "/", b);
    return (n < 0 || (size_t)n >= cap) ? VG_ELIMIT : VG_OK;
}

static int
is_real_dir(const char *p)
{
    struct stat st;
    return lstat(p, &st) == 0 && S_ISDIR(st.st_mode);
}

/* A folder or a regular file, never a link. */
static int
is_real_entry(const char *p)
{
    struct stat st;
    return lstat(p, &st) == 0 && (S_ISDIR(st.st_mode) || S_ISREG(st.st_mode));
}

/* Find the entry of dir named name ignoring ASCII case (a real folder, or
 * with any_file a regular file too; never a link); its path goes to out.
 * VG_OK, VG_ENOTFOUND or VG_ELIMIT. */
static int
find_entry(const char *dir, const char *name, size_t nlen, int any_file,
           char *out, size_t cap)
{
    DIR *d = opendir(dir);
    struct dirent *e;
    int rc = VG_ENOTFOUND;

    if (d == NULL) {
        return VG_ENOTFOUND;
    }
    while (rc == VG_ENOTFOUND && (e = readdir(d)) != NULL) {
        if (strlen(e->d_name) != nlen ||
            !vg_ascii_ieq(e->d_name, name, nlen)) {
            continue;
        }
        rc = join(out, cap, dir, e->d_name);
        if (rc == VG_OK && !(any_file ? is_real_entry(out) : is_real_dir(out))) {
            rc = VG_ENOTFOUND;
        }
    }
    closedir(d);
    return rc;
}

static int
find_icase(const char *dir, const char *name, size_t nlen, char *out,
           size_t cap)
{
    return find_entry(dir, name, nlen, 0, out, cap);
}

int
vg_target_resolve(const struct vg_target *t, const char *rel, char *out,
                  size_t cap)
{
    char cur[VG_TARGET_PATH_MAX];
    int rc = VG_OK;

    if (vg_strlcpy(cur, t->root, sizeof(cur)) >= sizeof(cur)) {
        return VG_ELIMIT;
    }
    while (rc == VG_OK && *rel != '\0') {
        size_t n = strcspn(rel, "/");
        if (n > 0 && !(n == 1 && rel[0] == '.')) {
            char next[VG_TARGET_PATH_MAX];
            if (n == 2 && rel[0] == '.' && rel[1] == '.') {
                return VG_ENOTFOUND; /* never climb out of the root */
            }
            /* the last component may be a file */
            rc = find_entry(cur, rel, n, rel[n] == '\0', next, sizeof(next));
            if (rc == VG_OK) {
                (void)vg_strlcpy(cur, next, sizeof(cur));
            }
        }
        rel += n;
        rel += *rel == '/';
    }
    if (rc == VG_OK && vg_strlcpy(out, cur, cap) >= cap) {
        rc = VG_ELIMIT;
    }
    return rc;
}

/* root holds Windows/System32 (any case): fill t and return 1. */
static int
try_windows(struct vg_target *t, const char *root)
{
    char win[VG_TARGET_PATH_MAX], sys[VG_TARGET_PATH_MAX];

    if (find_icase(root, "windows", 7, win, sizeof(win)) != VG_OK ||
        find_icase(win, "system32", 8, sys, sizeof(sys)) != VG_OK) {
        return 0;
    }
    t->kind = VG_TARGET_WINDOWS;
    (void)vg_strlcpy(t->root, root, sizeof(t->root));
    (void)vg_strlcpy(t->windows, win, sizeof(t->windows));
    return 1;
}

static int
try_linux(struct vg_target *t, const char *root)
{
    char p[VG_TARGET_PATH_MAX];

    if (join(p, sizeof(p), root, "etc") != VG_OK || !is_real_dir(p) ||
        join(p, sizeof(p), root, "usr") != VG_OK || !is_real_dir(p)) {
        return 0;
    }
    t->kind = VG_TARGET_LINUX;
    (void)vg_strlcpy(t->root, root, sizeof(t->root));
    return 1;
}

/* A drive folder name: "C", "C%3A", "%5C%5C.%5CC%3A" (any case). Sets the
 * drive letter and layout; 0 when the name is not one. */
static int
drive_name(const char *name, char *letter, enum vg_target_layout *layout)
{
    static const char unc[] = "%5c%5c.%5c";
    size_t n = strlen(name);

    if (n > sizeof(unc) - 1 && vg_ascii_ieq(name, unc, sizeof(unc) - 1)) {
        name += sizeof(unc) - 1;
        n -= sizeof(unc) - 1;
    }
    if (n == 0 || !((name[0] | 0x20) >= 'a' && (name[0] | 0x20) <= 'z')) {
        return 0;
    }
    if (n == 1) {
        *layout = VG_LAYOUT_KAPE;
    } else if (n == 4 && vg_ascii_ieq(name + 1, "%3a", 3)) {
        *layout = VG_LAYOUT_URLENC;
    } else {
        return 0;
    }
    *letter = (char)(name[0] & ~0x20);
    return 1;
}

static int search(struct vg_target *t, const char *dir, int depth,
                  int *budget);

/* Look at one entry of a folder being searched. */
static int
search_entry(struct vg_target *t, const char *dir, const char *name,
             int depth, int *budget)
{
    char p[VG_TARGET_PATH_MAX];
    enum vg_target_layout layout = VG_LAYOUT_DIRECT;
    char letter = 0;

    if (name[0] == '.' || join(p, sizeof(p), dir, name) != VG_OK ||
        !is_real_dir(p)) {
        return 0;
    }
    if (drive_name(name, &letter, &layout) && try_windows(t, p)) {
        t->layout = layout;
        (void)snprintf(t->drive, sizeof(t->drive), "%c:", letter);
        return 1;
    }
    return depth > 1 && search(t, p, depth - 1, budget);
}

static int
search(struct vg_target *t, const char *dir, int depth, int *budget)
{
    DIR *d;
    struct dirent *e;
    int hit = 0, seen = 0;

    if (--*budget < 0 || (d = opendir(dir)) == NULL) {
        return 0;
    }
    while (!hit && seen++ < SEARCH_ENTRIES && (e = readdir(d)) != NULL) {
        hit = search_entry(t, dir, e->d_name, depth, budget);
    }
    closedir(d);
    return hit;
}

int
vg_target_detect(const char *path, struct vg_target *out, struct vg_diag *d)
{
    struct stat st;

    memset(out, 0, sizeof(*out));
    if (path == NULL) {
        out->kind = VG_TARGET_LIVE;
        (void)vg_strlcpy(out->given, "/", sizeof(out->given));
        (void)vg_strlcpy(out->root, "/", sizeof(out->root));
        return VG_OK;
    }
    if (vg_strlcpy(out->given, path, sizeof(out->given)) >=
        sizeof(out->given)) {
        return vg_diag_set(d, VG_ELIMIT, path, VG_DIAG_NONE, VG_DIAG_NONE,
                           "path too long");
    }
    if (stat(path, &st) != 0 || !S_ISDIR(st.st_mode)) {
        return vg_diag_set(d, VG_ENOTFOUND, path, VG_DIAG_NONE, VG_DIAG_NONE,
                           "not a folder");
    }
    int budget = SEARCH_DIRS;
    if (try_windows(out, path) || try_linux(out, path) ||
        search(out, path, SEARCH_DEPTH, &budget)) {
        return VG_OK;
    }
    out->kind = VG_TARGET_FOLDER;
    (void)vg_strlcpy(out->root, path, sizeof(out->root));
    return VG_OK;
}

const char *
vg_target_describe(const struct vg_target *t, char *out, size_t cap)
{
    static const char *const layouts[] = {
        "", "KAPE-style collection", "URL-encoded (Velociraptor) collection",
    };
    const char *kind = vg_target_kind_name(t->kind);

    if (t->layout == VG_LAYOUT_DIRECT || (unsigned)t->layout > 2) {
        (void)snprintf(out, cap, "%s", kind);
    } else {
        (void)snprintf(out, cap, "%s (%s, drive %s at %s)", kind,
                       layouts[t->layout], t->drive, t->root);
    }
    return out;
}
