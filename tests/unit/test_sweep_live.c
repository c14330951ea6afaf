/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test_sweep_live.c - live mode: this process opens a TCP listener on
 * 127.0.0.2, connects to it and accepts; with the indicator 127.0.0.2 the
 * sweep must report exactly three sockets of this pid from /proc/net/tcp:
 * the listener (local, LISTEN), the client (remote, ESTABLISHED) and the
 * accepted socket (local, ESTABLISHED). Also a fake root whose proc/net
 * files are fixtures (addresses in the kernel's byte order, IPv6 and
 * IPv4-mapped) and whose etc/hosts names a listed domain.
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include "iocstore.h"
#include "vg_test.h"
#include "vigil/buf.h"
#include "vigil/ioc.h"
#include "vigil/sweep.h"

static struct vg_ioc_store *
mkstore(const char *feed)
{
    return vg_iocstore_text("feed", NULL, feed);
}

struct got {
    struct vg_buf out;
    int only_pid; /* keep only sockets of this pid (the real /proc) */
};

static int
on_match(void *arg, const struct vg_sweep_match *m)
{
    struct got *g = arg;
    if (g->only_pid && (m->proto == NULL || m->pid != getpid())) {
        return 0;
    }
    int rc = m->proto != NULL
                 ? vg_buf_printf(&g->out, "%s %.*s %s %s %s %s\n", m->proto,
                                 (int)m->text_len, m->text, m->state,
                                 m->pid > 0 ? "pid" : "nopid",
                                 m->comm != NULL ? "comm" : "-", m->path)
                 : vg_buf_printf(&g->out, "%s:%llu %.*s\n", m->path,
                                 (unsigned long long)m->line,
                                 (int)m->text_len, m->text);
    return rc;
}

/* How many times want occurs in out. */
static int
count(const char *out, const char *want)
{
    int n = 0;
    for (const char *p = out; (p = strstr(p, want)) != NULL; p++) {
        n++;
    }
    return n;
}

static void
t_loopback(void)
{
    struct sockaddr_in a;
    socklen_t al = sizeof(a);
    int ls = socket(AF_INET, SOCK_STREAM, 0), cs = -1, as = -1;
    REQUIRE(ls >= 0);
    memset(&a, 0, sizeof(a));
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(0x7f000002u); /* 127.0.0.2 */
    if (bind(ls, (struct sockaddr *)&a, sizeof(a)) != 0) {
        close(ls);
        vg_test_skip("cannot bind 127.0.0.2 (no loopback network)");
        return;
    }
    REQUIRE(listen(ls, 4) == 0);
    REQUIRE(getsockname(ls, (struct sockaddr *)&a, &al) == 0);
    cs = socket(AF_INET, SOCK_STREAM, 0);
    REQUIRE(cs >= 0);
    REQUIRE(connect(cs, (struct sockaddr *)&a, sizeof(a)) == 0);
    as = accept(ls, NULL, NULL);
    REQUIRE(as >= 0);

    struct vg_ioc_store *st = mkstore("127.0.0.2\n");
    struct vg_sweep *sw = NULL;
    REQUIRE(st != NULL && vg_sweep_new(st, &sw) == VG_OK);
    struct got g = { .only_pid = 1 };
    vg_buf_init(&g.out, 1u << 20);
    struct vg_sweep_stats stats;
    memset(&stats, 0, sizeof(stats));
    struct vg_sweep_opts o = { .on_match = on_match, .arg = &g };
    CHECK_RC(vg_sweep_live(sw, "", &o, &stats), VG_OK);
    CHECK(stats.sockets >= 3);
    /* in kernel order: compare as counts of the exact lines */
    const char *out = g.out.data != NULL ? g.out.data : "";
    CHECK_EQ_INT(count(out, "tcp 127.0.0.2 LISTEN pid comm /proc/net/tcp\n"),
                 1);
    CHECK_EQ_INT(count(out, "tcp 127.0.0.2 ESTABLISHED pid comm "
                            "/proc/net/tcp\n"),
                 2);
    CHECK_EQ_INT(count(out, "\n"), 3);
    if (g.out.len == 0) {
        fprintf(stderr, "# nothing reported\n");
    }
    vg_buf_fini(&g.out);
    vg_sweep_free(sw);
    vg_ioc_store_free(st);
    close(as);
    close(cs);
    close(ls);
}

static int
put(const char *root, const char *rel, const char *text)
{
    char p[512];
    snprintf(p, sizeof(p), "%s/%s", root, rel);
    FILE *f = fopen(p, "w");
    if (f == NULL) {
        return -1;
    }
    fputs(text, f);
    return fclose(f);
}

/* /proc/net fixtures: the kernel prints each 32-bit word of an address as
 * a host-order integer, so on little-endian 198.51.100.7 is 076433C6. */
static void
t_fake_root(void)
{
    uint32_t probe = 1;
    unsigned char first;
    memcpy(&first, &probe, 1);
    if (first != 1) {
        vg_test_skip("fixtures are written for little-endian hosts");
        return;
    }
    char root[] = "/tmp/vg_sweep_live_XXXXXX", p[512];
    REQUIRE(mkdtemp(root) != NULL);
    static const char *const dirs[] = { "proc", "proc/net", "etc" };
    for (size_t i = 0; i < 3; i++) {
        snprintf(p, sizeof(p), "%s/%s", root, dirs[i]);
        REQUIRE(mkdir(p, 0700) == 0);
    }
    static const char hdr[] = "  sl  local_address rem_address   st tx_queue "
                              "rx_queue tr tm->when retrnsmt   uid  timeout "
                              "inode\n";
    struct vg_buf b;
    vg_buf_init(&b, 1u << 16);
    CHECK(vg_buf_printf(&b, "%s   0: 0F02000A:C350 076433C6:01BB 01 "
                            "00000000:00000000 00:00000000 00000000  1000 "
                            "0 4242 1 0000000000000000 20 4 30 10 -1\n"
                            "   1: 0100007F:0035 00000000:0000 0A "
                            "00000000:00000000 00:00000000 00000000     0 "
                            "0 99 1\n", hdr) == VG_OK);
    CHECK(put(root, "proc/net/tcp", b.data) == 0);
    vg_buf_reset(&b);
    /* 2001:db8::5 and ::ffff:198.51.100.7 */
    CHECK(vg_buf_printf(&b, "%s   0: 00000000000000000000000000000000:1F90 "
                            "B80D0120000000000000000005000000:01BB 01 "
                            "00000000:00000000 00:00000000 00000000 0 0 7 1\n"
                            "   1: 00000000000000000000000000000000:1F91 "
                            "0000000000000000FFFF0000076433C6:01BB 01 "
                            "00000000:00000000 00:00000000 00000000 0 0 8 1\n",
                        hdr) == VG_OK);
    CHECK(put(root, "proc/net/tcp6", b.data) == 0);
    CHECK(put(root, "proc/net/udp", "garbage line\n\n") == 0);
    CHECK(put(root, "etc/hosts", "127.0.0.1 localhost\n"
                                 "198.51.100.7 update.evil-rmm.example\n") ==
          0);
    vg_buf_fini(&b);

    struct vg_ioc_store *st =
        mkstore("198.51.100.7\n2001:db8::/32\nevil-rmm.example\n");
    struct vg_sweep *sw = NULL;
    REQUIRE(st != NULL && vg_sweep_new(st, &sw) == VG_OK);
    struct got g = { .only_pid = 0 };
    vg_buf_init(&g.out, 1u << 20);
    struct vg_sweep_stats stats;
    memset(&stats, 0, sizeof(stats));
    struct vg_sweep_opts o = { .on_match = on_match, .arg = &g };
    CHECK_RC(vg_sweep_live(sw, root, &o, &stats), VG_OK);
    snprintf(p, sizeof(p),
             "tcp 198.51.100.7 ESTABLISHED nopid - /proc/net/tcp\n"
             "tcp6 2001:db8::5 ESTABLISHED nopid - /proc/net/tcp6\n"
             "tcp6 ::ffff:198.51.100.7 ESTABLISHED nopid - /proc/net/tcp6\n"
             "%s/etc/hosts:2 198.51.100.7\n"
             "%s/etc/hosts:2 update.evil-rmm.example\n",
             root, root);
    CHECK_EQ_STR(g.out.data, p);
    CHECK_EQ_UINT(stats.sockets, 4);
    vg_buf_fini(&g.out);
    vg_sweep_free(sw);
    vg_ioc_store_free(st);
    snprintf(p, sizeof(p), "rm -rf '%s'", root);
    CHECK(system(p) == 0);
}

int
main(int argc, char **argv)
{
    static const struct vg_test tests[] = { T(t_loopback), T(t_fake_root) };
    return vg_test_main(argc, argv, tests, sizeof(tests) / sizeof(tests[0]));
}
