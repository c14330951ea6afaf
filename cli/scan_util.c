/* SPDX-License-Identifier: Apache-2.0 */
/*
 * scan_util.c - small helpers of `vigil scan`: where Vigil's own content
 * lives at run time, and opening evidence read-only (no link followed,
 * access time untouched where permitted). It does not read files.
 */
#define _GNU_SOURCE /* O_NOATIME */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "scan.h"

#include "core/banned.h"

static int
exists(const char *p)
{
    struct stat st;
    return stat(p, &st) == 0;
}

int
scan_content_path(const char *rel, char *out, size_t cap)
{
    const char *env = getenv("VIGIL_CONTENT");
    char exe[PATH_MAX];
    ssize_t n;
    int w;

    if (env && env[0]) {
        w = snprintf(out, cap, "%s/%s", env, rel);
        return (w > 0 && (size_t)w < cap && exists(out)) ? 0 : -1;
    }
    n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
    if (n <= 0) {
        return -1;
    }
    exe[n] = '\0';
    char *slash = strrchr(exe, '/');
    if (slash == NULL) {
        return -1;
    }
    *slash = '\0';
    static const char *const where[] = {"/../rules/",
                                        "/../share/vigil/rules/"};
    for (size_t i = 0; i < sizeof(where) / sizeof(where[0]); i++) {
        char canon[PATH_MAX];
        w = snprintf(out, cap, "%s%s%s", exe, where[i], rel);
        if (w > 0 && (size_t)w < cap && exists(out)) {
            /* "<src>/rules/sigma", not "<src>/build/../rules/sigma": rule
             * references in findings stay the same for every build dir */
            if (realpath(out, canon) != NULL && strlen(canon) < cap) {
                (void)snprintf(out, cap, "%s", canon);
            }
            return 0;
        }
    }
    return -1;
}

int
scan_open(const char *path)
{
    int fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NOATIME);
    if (fd < 0 && errno == EPERM) {
        /* O_NOATIME needs ownership or CAP_FOWNER */
        fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
    }
    return fd;
}
