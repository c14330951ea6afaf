/* SPDX-License-Identifier: Apache-2.0 */
/*
 * live.c - `vigil sweep --live` on Linux: the sockets in /proc/net/tcp,
 * tcp6, udp and udp6 (local and remote address looked up in the store;
 * the owning process found through /proc/PID/fd socket inodes, only for
 * sockets that matched), then /etc/hosts and /etc/resolv.conf swept as
 * logs. It only reads; processes it may not inspect stay "unknown".
 * Not done: Windows/macOS connection tables, DNS cache, ARP/neighbours.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/alloc.h"
#include "sweep/sweep_int.h"
#include "vigil/buf.h"
#include "vigil/finding.h"

#include "core/banned.h"

#define PROC_MAX (64u << 20)
#define IDS_CAP  64

struct sock {
    char     local[64], remote[64], laddr[48], raddr[48];
    const char *state;
    uint64_t inode;
};

struct hit {
    struct sock s;
    uint32_t    id;
    int         remote;   /* the remote address matched */
    const char *proto;
    const char *file;
    long        pid;
    char        comm[64];
};

struct live {
    const struct vg_sweep      *sw;
    const struct vg_sweep_opts *o;
    struct vg_sweep_stats      *st;
    const char *root;
    struct hit *hits;
    size_t      n, cap;
};

static int
slurp(const char *path, struct vg_buf *b)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        return VG_EIO;
    }
    char tmp[16384];
    int rc = VG_OK;
    for (;;) {
        ssize_t got = read(fd, tmp, sizeof(tmp));
        if (got < 0 && errno == EINTR) {
            continue;
        }
        if (got <= 0) {
            rc = got < 0 ? VG_EIO : VG_OK;
            break;
        }
        if ((rc = vg_buf_add(b, tmp, (size_t)got)) != VG_OK) {
            break;
        }
    }
    close(fd);
    return rc;
}

static const char *
tcp_state(unsigned st, int udp)
{
    static const char *const names[] = {
        "", "ESTABLISHED", "SYN_SENT", "SYN_RECV", "FIN_WAIT1", "FIN_WAIT2",
        "TIME_WAIT", "CLOSE", "CLOSE_WAIT", "LAST_ACK", "LISTEN", "CLOSING",
        "NEW_SYN_RECV" };
    if (udp) {
        return st == 1 ? "ESTABLISHED" : "UNCONN";
    }
    return st < sizeof(names) / sizeof(names[0]) ? names[st] : "UNKNOWN";
}

static int
hexval(const char *s, size_t n, uint32_t *out)
{
    uint32_t v = 0;
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        unsigned d = c >= '0' && c <= '9'   ? (unsigned)(c - '0')
                     : c >= 'A' && c <= 'F' ? (unsigned)(c - 'A' + 10)
                     : c >= 'a' && c <= 'f' ? (unsigned)(c - 'a' + 10)
                                            : 16u;
        if (d == 16) {
            return 0;
        }
        v = v << 4 | d;
    }
    *out = v;
    return 1;
}

/* "0100007F:1F90" (v4) or 32 hex digits ":PORT" (v6): the kernel prints
 * each 32-bit word of the address as a native-endian integer. */
static int
addr(const char *s, size_t n, int v6, uint8_t a[16], char *txt, size_t tcap,
     char *full, size_t fcap)
{
    size_t al = v6 ? 32 : 8;
    uint32_t w, port;
    if (n != al + 5 || s[al] != ':' || !hexval(s + al + 1, 4, &port)) {
        return 0;
    }
    for (size_t k = 0; k < al / 8; k++) {
        if (!hexval(s + 8 * k, 8, &w)) {
            return 0;
        }
        memcpy(a + 4 * k, &w, 4);
    }
    if (inet_ntop(v6 ? AF_INET6 : AF_INET, a, txt, (socklen_t)tcap) == NULL) {
        return 0;
    }
    snprintf(full, fcap, v6 ? "[%s]:%u" : "%s:%u", txt, (unsigned)port);
    return 1;
}

static int
add_hit(struct live *L, const struct sock *s, uint32_t id, int remote,
        const char *proto, const char *file)
{
    if (L->n == L->cap) {
        size_t nc = L->cap ? L->cap * 2 : 16;
        struct hit *nh = vg_reallocarray(L->hits, nc, sizeof(*nh));
        if (nh == NULL) {
            return VG_ENOMEM;
        }
        L->hits = nh;
        L->cap = nc;
    }
    struct hit *h = &L->hits[L->n++];
    memset(h, 0, sizeof(*h));
    h->s = *s;
    h->id = id;
    h->remote = remote;
    h->proto = proto;
    h->file = file;
    h->pid = -1;
    return VG_OK;
}

static int
look(struct live *L, const struct sock *s, const uint8_t a[16], int v6,
     int remote, const char *proto, const char *file)
{
    uint32_t ids[IDS_CAP];
    static const uint8_t zero[16];
    if (memcmp(a, zero, v6 ? 16 : 4) == 0) {
        return VG_OK; /* unspecified: listening on any / not connected */
    }
    int cnt = v6 ? vg_ioc_lookup_ip6(L->sw->st, a, ids, IDS_CAP)
                 : vg_ioc_lookup_ip4(L->sw->st,
                                     (uint32_t)a[0] << 24 |
                                         (uint32_t)a[1] << 16 |
                                         (uint32_t)a[2] << 8 | a[3],
                                     ids, IDS_CAP);
    if (v6 && cnt == 0) {
        /* ::ffff:a.b.c.d is an IPv4 peer on a dual-stack socket */
        static const uint8_t mapped[12] = { [10] = 0xff, [11] = 0xff };
        if (memcmp(a, mapped, 12) == 0) {
            cnt = vg_ioc_lookup_ip4(L->sw->st,
                                    (uint32_t)a[12] << 24 |
                                        (uint32_t)a[13] << 16 |
                                        (uint32_t)a[14] << 8 | a[15],
                                    ids, IDS_CAP);
        }
    }
    for (int i = 0; i < cnt && i < IDS_CAP; i++) {
        int rc = add_hit(L, s, ids[i], remote, proto, file);
        if (rc != VG_OK) {
            return rc;
        }
    }
    return VG_OK;
}

/* Split a line into up to max space-separated fields. */
static size_t
fields(char *line, char **f, size_t *fl, size_t max)
{
    size_t k = 0;
    char *p = line;
    while (*p != '\0' && k < max) {
        while (*p == ' ') {
            p++;
        }
        if (*p == '\0') {
            break;
        }
        f[k] = p;
        while (*p != ' ' && *p != '\0') {
            p++;
        }
        fl[k] = (size_t)(p - f[k]);
        k++;
    }
    return k;
}

static int
one_line(struct live *L, char *line, int v6, int udp, const char *proto,
         const char *file)
{
    char *f[10];
    size_t fl[10];
    struct sock s;
    uint8_t la[16] = { 0 }, ra[16] = { 0 };
    uint32_t st;
    if (fields(line, f, fl, 10) < 10 || !hexval(f[3], fl[3], &st)) {
        return VG_OK; /* the header, or a line we do not understand */
    }
    memset(&s, 0, sizeof(s));
    if (!addr(f[1], fl[1], v6, la, s.laddr, sizeof(s.laddr), s.local,
              sizeof(s.local)) ||
        !addr(f[2], fl[2], v6, ra, s.raddr, sizeof(s.raddr), s.remote,
              sizeof(s.remote))) {
        return VG_OK;
    }
    s.state = tcp_state(st, udp);
    for (size_t i = 0; i < fl[9]; i++) {
        s.inode = s.inode * 10 + (uint64_t)(f[9][i] - '0');
    }
    L->st->sockets++;
    int rc = look(L, &s, ra, v6, 1, proto, file);
    return rc != VG_OK ? rc : look(L, &s, la, v6, 0, proto, file);
}

static int
table(struct live *L, const char *name, int v6, int udp)
{
    struct vg_buf b, path;
    vg_buf_init(&b, PROC_MAX);
    vg_buf_init(&path, 4096);
    int rc = vg_buf_printf(&path, "%s/proc/net/%s", L->root, name);
    if (rc == VG_OK && slurp(path.data, &b) != VG_OK) {
        rc = VG_OK; /* no IPv6, or not Linux: nothing to look at */
        goto out;
    }
    if (rc != VG_OK || b.len == 0) {
        goto out;
    }
    /* the file's name outlives this call: it is one of four literals */
    const char *file = udp ? (v6 ? "/proc/net/udp6" : "/proc/net/udp")
                           : (v6 ? "/proc/net/tcp6" : "/proc/net/tcp");
    for (char *p = b.data; p != NULL && *p != '\0' && rc == VG_OK;) {
        char *nl = strchr(p, '\n');
        if (nl != NULL) {
            *nl = '\0';
        }
        rc = one_line(L, p, v6, udp, name, file);
        p = nl != NULL ? nl + 1 : NULL;
    }
out:
    vg_buf_fini(&b);
    vg_buf_fini(&path);
    return rc;
}

static void
owner_of_pid(struct live *L, const char *pid_s, long pid)
{
    char dpath[4096], link[64], want[40];
    snprintf(dpath, sizeof(dpath), "%s/proc/%s/fd", L->root, pid_s);
    DIR *d = opendir(dpath);
    struct dirent *de;
    if (d == NULL) {
        return; /* another user's process, or gone */
    }
    while ((de = readdir(d)) != NULL) {
        ssize_t k = readlinkat(dirfd(d), de->d_name, link, sizeof(link) - 1);
        if (k <= 8 || memcmp(link, "socket:[", 8) != 0) {
            continue;
        }
        link[k] = '\0';
        for (size_t i = 0; i < L->n; i++) {
            struct hit *h = &L->hits[i];
            snprintf(want, sizeof(want), "socket:[%llu]",
                     (unsigned long long)h->s.inode);
            if (h->pid < 0 && h->s.inode != 0 && strcmp(link, want) == 0) {
                h->pid = pid;
            }
        }
    }
    closedir(d);
}

static void
comm_of(struct live *L, struct hit *h)
{
    char path[4096];
    struct vg_buf b;
    snprintf(path, sizeof(path), "%s/proc/%ld/comm", L->root, h->pid);
    vg_buf_init(&b, 4096);
    if (slurp(path, &b) == VG_OK && b.len > 0) {
        size_t k = strcspn(b.data, "\n");
        k = k < sizeof(h->comm) - 1 ? k : sizeof(h->comm) - 1;
        memcpy(h->comm, b.data, k);
        h->comm[k] = '\0';
    }
    vg_buf_fini(&b);
}

static void
owners(struct live *L)
{
    char path[4096];
    snprintf(path, sizeof(path), "%s/proc", L->root);
    DIR *d = opendir(path);
    struct dirent *de;
    if (d == NULL) {
        return;
    }
    while ((de = readdir(d)) != NULL) {
        char *end;
        long pid = strtol(de->d_name, &end, 10);
        if (*end == '\0' && pid > 0) {
            owner_of_pid(L, de->d_name, pid);
        }
    }
    closedir(d);
    for (size_t i = 0; i < L->n; i++) {
        if (L->hits[i].pid > 0) {
            comm_of(L, &L->hits[i]);
        }
    }
}

static int
emit(struct live *L, const struct hit *h)
{
    char line[512];
    const char *ip = h->remote ? h->s.raddr : h->s.laddr;
    int k = snprintf(line, sizeof(line), "%s %s -> %s %s", h->proto,
                     h->s.local, h->s.remote, h->s.state);
    if (h->pid > 0 && k > 0 && (size_t)k < sizeof(line)) {
        snprintf(line + k, sizeof(line) - (size_t)k, " pid %ld (%s)", h->pid,
                 h->comm);
    }
    struct vg_sweep_match m = {
        .ioc = h->id, .path = h->file, .offset = VG_OFFSET_NONE,
        .text = ip, .text_len = strlen(ip), .line_text = line,
        .line_len = strlen(line), .time_us = VG_TIME_NONE,
        .proto = h->proto, .local = h->s.local, .remote = h->s.remote,
        .state = h->s.state, .pid = h->pid,
        .comm = h->pid > 0 ? h->comm : NULL,
    };
    L->st->matches++;
    return L->o->on_match != NULL ? L->o->on_match(L->o->arg, &m) : 0;
}

static int
etc_file(struct live *L, const char *name)
{
    char path[4096];
    struct stat sb;
    snprintf(path, sizeof(path), "%s/etc/%s", L->root, name);
    if (stat(path, &sb) != 0) {
        return VG_OK; /* absent is normal */
    }
    return vg_sweep_path(L->sw, path, L->o, L->st);
}

int
vg_sweep_live(const struct vg_sweep *sw, const char *root,
              const struct vg_sweep_opts *o, struct vg_sweep_stats *stats)
{
    static const struct {
        const char *name;
        int v6, udp;
    } tabs[] = { { "tcp", 0, 0 }, { "tcp6", 1, 0 }, { "udp", 0, 1 },
                 { "udp6", 1, 1 } };
    if (sw == NULL || o == NULL || stats == NULL) {
        return VG_EINVAL;
    }
    struct live L = { .sw = sw, .o = o, .st = stats,
                      .root = root != NULL ? root : "" };
    int rc = VG_OK;
    for (size_t i = 0; i < 4 && rc == VG_OK; i++) {
        rc = table(&L, tabs[i].name, tabs[i].v6, tabs[i].udp);
    }
    if (rc == VG_OK && L.n > 0) {
        owners(&L);
    }
    for (size_t i = 0; i < L.n && rc == VG_OK; i++) {
        rc = emit(&L, &L.hits[i]);
    }
    vg_free(L.hits);
    if (rc == VG_OK) {
        rc = etc_file(&L, "hosts");
    }
    if (rc == VG_OK) {
        rc = etc_file(&L, "resolv.conf");
    }
    return rc;
}
