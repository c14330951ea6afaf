/* SPDX-License-Identifier: Apache-2.0 */
/*
 * live.c - the running Linux host: processes whose executable (or, for
 * interpreters such as mono, first argument) is a catalog binary, their
 * command lines (a ScreenConnect client carries its relay there), and
 * their TCP connections from /proc/net/tcp and tcp6 matched to the process
 * through the socket inodes in /proc/<pid>/fd.
 *
 * Read-only, /proc only; processes that vanish or deny access are skipped.
 * Not done: other platforms, UDP, process memory.
 */
#include <arpa/inet.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "core/alloc.h"
#include "core/str.h"
#include "rmm/rmm_int.h"

#include "core/banned.h"

#define LIVE_MAX_SOCKS 65536u
#define LIVE_MAX_FDS 4096u

struct sock {
    uint64_t inode;
    char local[64], remote[64];
    char state[16];
};

struct socks {
    struct sock *v;
    size_t n, cap;
};

static int
hexv(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    return -1;
}

/* "0100007F:1F90" (v4) or 32 hex + ":PORT" (v6) -> "127.0.0.1:8080". */
static int
addr(const char *p, size_t n, int v6, char *out, size_t cap)
{
    size_t hl = v6 ? 32 : 8;
    if (n != hl + 5 || p[hl] != ':')
        return 0;
    uint8_t b[16];
    for (size_t w = 0; w < hl / 8; w++) /* each 32-bit word is host-order */
        for (size_t k = 0; k < 4; k++) {
            int hi = hexv(p[w * 8 + (3 - k) * 2]),
                lo = hexv(p[w * 8 + (3 - k) * 2 + 1]);
            if (hi < 0 || lo < 0)
                return 0;
            b[w * 4 + k] = (uint8_t)(hi * 16 + lo);
        }
    unsigned port = 0;
    for (size_t i = hl + 1; i < n; i++) {
        int h = hexv(p[i]);
        if (h < 0)
            return 0;
        port = port * 16 + (unsigned)h;
    }
    char ip[INET6_ADDRSTRLEN];
    if (inet_ntop(v6 ? AF_INET6 : AF_INET, b, ip, sizeof(ip)) == NULL)
        return 0;
    (void)snprintf(out, cap, v6 ? "[%s]:%u" : "%s:%u", ip, port);
    return 1;
}

static const char *
state_name(unsigned st)
{
    static const char *const names[] = {
        "?",          "ESTABLISHED", "SYN_SENT",  "SYN_RECV",
        "FIN_WAIT1",  "FIN_WAIT2",   "TIME_WAIT", "CLOSE",
        "CLOSE_WAIT", "LAST_ACK",    "LISTEN",    "CLOSING",
    };
    return st < VG_ARRAY_LEN(names) ? names[st] : "?";
}

/* One /proc/net/tcp line: sl local rem st tx:rx tr:when retr uid timeout
 * inode ... */
static int
sock_line(struct socks *ss, const char *p, size_t n, int v6)
{
    const char *f[10];
    size_t fl[10], k = 0, i = 0;
    while (k < 10 && i < n) {
        while (i < n && p[i] == ' ')
            i++;
        size_t b = i;
        while (i < n && p[i] != ' ')
            i++;
        if (i > b) {
            f[k] = p + b;
            fl[k++] = i - b;
        }
    }
    if (k < 10 || ss->n >= LIVE_MAX_SOCKS)
        return VG_OK;
    struct sock s = {0};
    uint64_t st;
    if (!addr(f[1], fl[1], v6, s.local, sizeof(s.local)) ||
        !addr(f[2], fl[2], v6, s.remote, sizeof(s.remote)) ||
        vg_parse_u64(f[9], fl[9], 0, UINT64_MAX, &s.inode) != VG_OK ||
        fl[3] != 2 || hexv(f[3][0]) < 0 || hexv(f[3][1]) < 0)
        return VG_OK;
    st = (uint64_t)(hexv(f[3][0]) * 16 + hexv(f[3][1]));
    rmm_copy(s.state, sizeof(s.state), state_name((unsigned)st),
             strlen(state_name((unsigned)st)));
    if (s.inode == 0)
        return VG_OK;
    if (ss->n == ss->cap) {
        size_t nc = ss->cap ? ss->cap * 2 : 64;
        struct sock *v = vg_reallocarray(ss->v, nc, sizeof(*v));
        if (v == NULL)
            return VG_ENOMEM;
        ss->v = v;
        ss->cap = nc;
    }
    ss->v[ss->n++] = s;
    return VG_OK;
}

static int
read_proc(const char *path, char *buf, size_t cap, size_t *n)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    *n = 0;
    if (fd < 0)
        return VG_EIO;
    while (*n + 1 < cap) {
        ssize_t r = read(fd, buf + *n, cap - 1 - *n);
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0)
            break;
        *n += (size_t)r;
    }
    buf[*n] = '\0';
    close(fd);
    return VG_OK;
}

static int
load_socks(struct socks *ss)
{
    static const char *const files[] = {"/proc/net/tcp", "/proc/net/tcp6"};
    size_t cap = 8u << 20, n;
    char *buf = vg_malloc(cap);
    if (buf == NULL)
        return VG_ENOMEM;
    int rc = VG_OK;
    for (size_t f = 0; rc == VG_OK && f < 2; f++) {
        if (read_proc(files[f], buf, cap, &n) != VG_OK)
            continue;
        const char *p = buf;
        const char *nl = memchr(p, '\n', n); /* header line */
        while (rc == VG_OK && nl != NULL) {
            p = nl + 1;
            nl = memchr(p, '\n', (size_t)(buf + n - p));
            size_t len = nl != NULL ? (size_t)(nl - p) : (size_t)(buf + n - p);
            rc = sock_line(ss, p, len, (int)f);
        }
    }
    vg_free(buf);
    return rc;
}

static void
proc_conns(struct rmm_item *it, int pid, const struct socks *ss)
{
    char path[64], link[128];
    (void)snprintf(path, sizeof(path), "/proc/%d/fd", pid);
    DIR *dh = opendir(path);
    if (dh == NULL)
        return;
    struct dirent *de;
    size_t seen = 0;
    while ((de = readdir(dh)) != NULL && seen++ < LIVE_MAX_FDS) {
        ssize_t k = readlinkat(dirfd(dh), de->d_name, link, sizeof(link) - 1);
        if (k <= 9)
            continue;
        link[k] = '\0';
        if (strncmp(link, "socket:[", 8) != 0)
            continue;
        uint64_t ino;
        if (vg_parse_u64(link + 8, (size_t)k - 9, 0, UINT64_MAX, &ino) != VG_OK)
            continue;
        for (size_t i = 0; i < ss->n; i++) {
            if (ss->v[i].inode != ino || it->n_conns >= RMM_MAX_EVIDENCE)
                continue;
            if (it->n_conns == it->cap_conns) {
                size_t nc = it->cap_conns ? it->cap_conns * 2 : 4;
                struct rmm_conn *v = vg_reallocarray(it->conns, nc, sizeof(*v));
                if (v == NULL)
                    break;
                it->conns = v;
                it->cap_conns = nc;
            }
            struct rmm_conn *c = &it->conns[it->n_conns++];
            memcpy(c->local, ss->v[i].local, sizeof(c->local));
            memcpy(c->remote, ss->v[i].remote, sizeof(c->remote));
            memcpy(c->state, ss->v[i].state, sizeof(c->state));
            c->pid = pid;
        }
    }
    closedir(dh);
}

/* The tool of a process: its executable, else argv[0] or argv[1] (mono,
 * java and shell wrappers). */
static size_t
proc_tool(const struct vg_rmm_catalog *c, const char *exe, const char *cmd,
          size_t cn)
{
    size_t t = rmm_match_bin(c, rmm_basename(exe));
    const char *a = cmd;
    for (int i = 0; t == SIZE_MAX && i < 2 && a < cmd + cn; i++) {
        t = rmm_match_bin(c, rmm_basename(a));
        a += strlen(a) + 1;
    }
    return t;
}

static void
one_proc(struct rmm_scan *s, int pid, const struct socks *ss)
{
    char path[64], exe[1024], cmd[8192];
    (void)snprintf(path, sizeof(path), "/proc/%d/exe", pid);
    ssize_t k = readlink(path, exe, sizeof(exe) - 1);
    if (k <= 0)
        return; /* kernel thread, gone, or not ours to see */
    exe[k] = '\0';
    char *del = strstr(exe, " (deleted)");
    if (del != NULL)
        *del = '\0';
    size_t cn = 0;
    (void)snprintf(path, sizeof(path), "/proc/%d/cmdline", pid);
    (void)read_proc(path, cmd, sizeof(cmd), &cn);
    size_t ti = proc_tool(rmm_scan_catalog(s), exe, cmd, cn);
    if (ti == SIZE_MAX)
        return;
    char inst[40] = "", b[1200];
    const struct rmm_tool *t = &rmm_scan_catalog(s)->tools[ti];
    if (t->extract != NULL && strcmp(t->extract, "screenconnect") == 0) {
        const char *d = strstr(exe, "connectwisecontrol-");
        if (d != NULL)
            (void)rmm_sc_instance_from(d, inst);
    }
    struct rmm_item *it = rmm_scan_item(s, ti, inst);
    if (it == NULL)
        return;
    rmm_item_set(it->where, sizeof(it->where), exe);
    (void)snprintf(b, sizeof(b), "process:%d", pid);
    rmm_item_set(it->persist, sizeof(it->persist), b);
    (void)snprintf(b, sizeof(b), "process %d %s", pid, exe);
    (void)rmm_item_evidence(it, b);
    if (rmm_glob("/tmp/*", exe) || rmm_glob("/dev/shm/*", exe) ||
        rmm_glob("/var/tmp/*", exe) || rmm_glob("/home/*", exe) ||
        rmm_glob("/root/*", exe))
        it->portable = 1;
    for (size_t i = 0; i + 1 < cn; i++) /* argv as one line */
        if (cmd[i] == '\0')
            cmd[i] = ' ';
    (void)rmm_parse_file(it, "user.config", cmd, cn, b);
    proc_conns(it, pid, ss);
}

int
rmm_live_scan(struct rmm_scan *s)
{
    struct socks ss = {0};
    int rc = load_socks(&ss);
    if (rc != VG_OK) {
        vg_free(ss.v);
        return rc;
    }
    DIR *dh = opendir("/proc");
    if (dh == NULL) {
        vg_log(rmm_scan_ctx(s), VG_LOG_WARN, "rmm",
               "/proc: cannot list processes: %s", strerror(errno));
        rmm_scan_error(s);
        vg_free(ss.v);
        return VG_OK;
    }
    struct dirent *de;
    while ((de = readdir(dh)) != NULL) {
        uint64_t pid;
        if (vg_parse_u64(de->d_name, strlen(de->d_name), 1, 1u << 30, &pid) !=
            VG_OK)
            continue;
        one_proc(s, (int)pid, &ss);
    }
    closedir(dh);
    vg_free(ss.v);
    return VG_OK;
}
