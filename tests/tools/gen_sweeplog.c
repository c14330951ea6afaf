/* SPDX-License-Identifier: Apache-2.0 */
/*
 * gen_sweeplog.c - deterministic generator of proxy/firewall/web/DNS logs
 * and an IOC list (IPv4 addresses and domains, one per line) for the sweep
 * differential test and benchmark:
 *
 *   gen_sweeplog [-s SEED] [-m MEGABYTES] [-n IOCS] [-r HIT_EVERY] LOG IOCS
 *
 * Lines are Squid native access log, Apache combined, iptables/UFW kernel
 * log and BIND query log. Every HIT_EVERY-th line (on average) carries an
 * indicator (plain, as a subdomain, or upper case); others carry random
 * addresses and names, and near misses (an IOC address with a digit added
 * on either side, an IOC domain with a letter added in front or behind).
 * Indicators always sit between separators on which `grep -w` and the
 * sweep agree (space, '/', '=', '(', ')', '#', '"'), never next to '.',
 * '-' or '_' (docs/sweep.md explains where the two differ). Same seed, same
 * bytes. It writes only the two files it is given.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static uint64_t rng_s;

static uint64_t
rnd(void)
{
    uint64_t z = (rng_s += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
}

static unsigned
rn(unsigned n)
{
    return (unsigned)(rnd() % n);
}

struct iocs {
    char (*ip)[16];
    char (*dom)[40];
    unsigned n_ip, n_dom;
};

static void
rand_ip(char *out, size_t cap)
{
    /* public-looking first octet, never 0, 10, 127, >= 224 */
    static const unsigned first[] = { 23, 31, 45, 62, 77, 91, 103, 141, 151,
                                      176, 185, 193, 203, 212 };
    snprintf(out, cap, "%u.%u.%u.%u", first[rn(14)], rn(256), rn(256),
             1 + rn(254));
}

static void
rand_label(char *out, unsigned len)
{
    static const char al[] = "abcdefghijklmnopqrstuvwxyz0123456789";
    out[0] = al[rn(26)];
    for (unsigned i = 1; i < len; i++) {
        out[i] = al[rn(36)];
    }
    out[len] = '\0';
}

static void
rand_domain(char *out, size_t cap)
{
    static const char *const tld[] = { "com", "net", "org", "info", "xyz",
                                       "ru", "io", "top" };
    char l[16];
    rand_label(l, 5 + rn(8));
    snprintf(out, cap, "%s.%s", l, tld[rn(8)]);
}

static void
upper(char *s)
{
    for (; *s; s++) {
        if (*s >= 'a' && *s <= 'z') {
            *s = (char)(*s - 32);
        }
    }
}

/* An IP for a log line: an indicator (hit), a near miss, or random. */
static void
pick_ip(const struct iocs *io, int hit, char *out, size_t cap)
{
    if (hit && io->n_ip > 0) {
        snprintf(out, cap, "%s", io->ip[rn(io->n_ip)]);
    } else if (rn(50) == 0 && io->n_ip > 0) {
        const char *v = io->ip[rn(io->n_ip)];
        if (rn(2)) {
            snprintf(out, cap, "1%s", v);
        } else {
            snprintf(out, cap, "%s%u", v, rn(10));
        }
    } else {
        rand_ip(out, cap);
    }
}

static void
pick_dom(const struct iocs *io, int hit, char *out, size_t cap)
{
    if (hit && io->n_dom > 0) {
        const char *v = io->dom[rn(io->n_dom)];
        unsigned k = rn(3);
        if (k == 0) {
            snprintf(out, cap, "%s", v);
        } else if (k == 1) {
            snprintf(out, cap, "www.%s", v);
        } else {
            snprintf(out, cap, "cdn%u.%s", rn(10), v);
            upper(out);
        }
    } else if (rn(50) == 0 && io->n_dom > 0) {
        const char *v = io->dom[rn(io->n_dom)];
        snprintf(out, cap, rn(2) ? "x%s" : "%sx", v);
    } else {
        rand_domain(out, cap);
    }
}

static const char *const months[] = { "Jan", "Feb", "Mar", "Apr", "May",
                                      "Jun", "Jul", "Aug", "Sep", "Oct",
                                      "Nov", "Dec" };

static int
line(FILE *f, const struct iocs *io, unsigned hit_every, uint64_t k)
{
    char a[64], b[64], d[64], path[24];
    int hit = rn(hit_every) == 0;
    int hit_ip = hit && rn(2) == 0, hit_dom = hit && !hit_ip;
    unsigned t = 1698796800u + (unsigned)(k / 20);
    pick_ip(io, 0, a, sizeof(a));
    pick_ip(io, hit_ip, b, sizeof(b));
    pick_dom(io, hit_dom, d, sizeof(d));
    rand_label(path, 4 + rn(10));
    switch (rn(4)) {
    case 0:
        return fprintf(f, "%u.%03u %6u %s TCP_MISS/200 %u GET http://%s/%s"
                          "/index.html - HIER_DIRECT/%s text/html\n",
                       t, rn(1000), rn(90000), a, 200 + rn(90000), d, path,
                       b);
    case 1:
        return fprintf(f, "%s - - [%02u/%s/2023:%02u:%02u:%02u +0000] \"GET "
                          "/%s HTTP/1.1\" 200 %u \"http://%s/\" \"Mozilla/5.0 "
                          "(Windows NT 10.0; Win64; x64)\" %s\n",
                       a, 1 + (t / 86400) % 28, months[10], (t / 3600) % 24,
                       (t / 60) % 60, t % 60, path, rn(90000), d, b);
    case 2:
        return fprintf(f, "Nov %2u %02u:%02u:%02u fw01 kernel: [UFW BLOCK] "
                          "IN=eth0 OUT= MAC=52:54:00:12:34:56 SRC=%s DST=%s "
                          "LEN=60 TOS=0x00 TTL=%u PROTO=TCP SPT=%u DPT=443\n",
                       1 + (t / 86400) % 28, (t / 3600) % 24, (t / 60) % 60,
                       t % 60, b, a, 30 + rn(200), 1024 + rn(60000));
    default:
        return fprintf(f, "02-Nov-2023 %02u:%02u:%02u.%03u queries: info: "
                          "client %s#%u (%s): query: %s IN A + (%s)\n",
                       (t / 3600) % 24, (t / 60) % 60, t % 60, rn(1000), b,
                       1024 + rn(60000), d, d, a);
    }
}

static void
make_iocs(struct iocs *io, unsigned n, FILE *f)
{
    io->n_ip = n / 2;
    io->n_dom = n - n / 2;
    io->ip = calloc(io->n_ip + 1, sizeof(*io->ip));
    io->dom = calloc(io->n_dom + 1, sizeof(*io->dom));
    if (io->ip == NULL || io->dom == NULL) {
        exit(2);
    }
    for (unsigned i = 0; i < io->n_ip; i++) {
        rand_ip(io->ip[i], sizeof(io->ip[i]));
        fprintf(f, "%s\n", io->ip[i]);
    }
    for (unsigned i = 0; i < io->n_dom; i++) {
        rand_domain(io->dom[i], sizeof(io->dom[i]));
        fprintf(f, "%s\n", io->dom[i]);
    }
}

int
main(int argc, char **argv)
{
    uint64_t seed = 1, mb = 16;
    unsigned n = 1000, every = 2000;
    int opt;
    while ((opt = getopt(argc, argv, "s:m:n:r:")) != -1) {
        unsigned long long v = strtoull(optarg, NULL, 10);
        if (opt == 's') {
            seed = v;
        } else if (opt == 'm') {
            mb = v;
        } else if (opt == 'n' && v > 0 && v < 10000000) {
            n = (unsigned)v;
        } else if (opt == 'r' && v > 0) {
            every = (unsigned)v;
        } else {
            fprintf(stderr, "usage: gen_sweeplog [-s SEED] [-m MB] [-n IOCS] "
                            "[-r HIT_EVERY] LOG IOCS\n");
            return 2;
        }
    }
    if (argc - optind != 2) {
        fprintf(stderr, "usage: gen_sweeplog [-s SEED] [-m MB] [-n IOCS] "
                        "[-r HIT_EVERY] LOG IOCS\n");
        return 2;
    }
    rng_s = seed;
    struct iocs io;
    FILE *fi = fopen(argv[optind + 1], "w");
    FILE *fl = fopen(argv[optind], "w");
    if (fi == NULL || fl == NULL) {
        perror("gen_sweeplog");
        return 2;
    }
    make_iocs(&io, n, fi);
    uint64_t total = 0, want = mb << 20;
    for (uint64_t k = 0; total < want; k++) {
        int w = line(fl, &io, every, k);
        if (w < 0) {
            perror("gen_sweeplog");
            return 2;
        }
        total += (uint64_t)w;
    }
    free(io.ip);
    free(io.dom);
    return fclose(fl) == 0 && fclose(fi) == 0 ? 0 : 2;
}
