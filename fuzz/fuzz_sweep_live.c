/* SPDX-License-Identifier: Apache-2.0 */
/*
 * fuzz_sweep_live.c - libFuzzer harness for live mode's readers: the input
 * is cut at NUL bytes into the contents of <root>/proc/net/tcp, tcp6, udp,
 * udp6 and <root>/etc/hosts, written under a private temporary root, and
 * vg_sweep_live runs on that root against a store holding IPv4, IPv6 and
 * domain indicators. The kernel writes these tables, but a tampered or
 * mounted root (live response on a compromised host, evidence images) is
 * hostile input like any other. It checks memory safety and that live
 * matches name their protocol and endpoints; not which values match (the
 * unit tests do).
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fuzz_sweep.h"
#include "vigil/sweep.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char feed[] = "10.1.1.1\n127.0.0.1\n10.9.0.0/16\n::1\n"
                           "2001:db8::/32\nevil.com\nlocalhost\n";

static const char *const parts[] = {"proc/net/tcp", "proc/net/tcp6",
                                    "proc/net/udp", "proc/net/udp6",
                                    "etc/hosts"};

static int
on_match(void *arg, const struct vg_sweep_match *m)
{
    (void)arg;
    if (m->proto != NULL && (m->local == NULL || m->remote == NULL ||
                             m->state == NULL)) {
        abort();
    }
    return 0;
}

static char dir[] = "/tmp/vg-fuzz-live.XXXXXX";

/* At exit: the private root and what it holds. */
static void
cleanup(void)
{
    static const char *const dirs[] = {"proc/net", "proc", "etc", ""};
    char p[96];
    for (size_t k = 0; k < sizeof(parts) / sizeof(parts[0]); k++) {
        (void)snprintf(p, sizeof(p), "%s/%s", dir, parts[k]);
        (void)unlink(p);
    }
    for (size_t k = 0; k < sizeof(dirs) / sizeof(dirs[0]); k++) {
        (void)snprintf(p, sizeof(p), "%s/%s", dir, dirs[k]);
        (void)rmdir(p);
    }
}

/* The private root, made once per process, removed at exit. */
static const char *
root(void)
{
    static int made;
    char p[64];
    if (!made) {
        if (mkdtemp(dir) == NULL) {
            abort();
        }
        (void)atexit(cleanup);
        (void)snprintf(p, sizeof(p), "%s/proc", dir);
        (void)mkdir(p, 0700);
        (void)snprintf(p, sizeof(p), "%s/proc/net", dir);
        (void)mkdir(p, 0700);
        (void)snprintf(p, sizeof(p), "%s/etc", dir);
        (void)mkdir(p, 0700);
        made = 1;
    }
    return dir;
}

static void
put(const char *rel, const uint8_t *p, size_t n)
{
    char path[96];
    (void)snprintf(path, sizeof(path), "%s/%s", root(), rel);
    FILE *f = fopen(path, "wb");
    if (f == NULL) {
        abort();
    }
    if (n > 0 && fwrite(p, 1, n, f) != n) {
        abort();
    }
    (void)fclose(f);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct vg_sweep_stats stats;
    struct vg_sweep_opts o = {.on_match = on_match, .default_year = 2023};
    size_t at = 0;
    for (size_t k = 0; k < sizeof(parts) / sizeof(parts[0]); k++) {
        const uint8_t *nul = at < size ? memchr(data + at, 0, size - at) : NULL;
        size_t end = nul != NULL ? (size_t)(nul - data) : size;
        put(parts[k], data + at, end - at);
        at = end < size ? end + 1 : size;
    }
    memset(&stats, 0, sizeof(stats));
    (void)vg_sweep_live(fuzz_sweeper(feed), root(), &o, &stats);
    return 0;
}
