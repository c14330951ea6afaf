/* SPDX-License-Identifier: Apache-2.0 */
/*
 * bench_ioc.c - IOC store benchmark: generates N indicators (hashes, IPv4,
 * IPv6, CIDRs, domains, URLs) as a plain list, then measures import, seal,
 * save and load time, memory and file bytes per indicator, and single-
 * thread lookups per second for SHA-256 hex strings, IPv4 (binary and
 * text) and domains (with subdomain walk), half hits and half misses.
 * Writes the generated list and query files for the peer comparison in
 * run.sh. Not a test: prints figures only.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "vigil/ioc.h"

static double
now_s(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static double
cpu_s(void)
{
    struct timespec t;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static uint64_t rng = 0x9e3779b97f4a7c15ull;
static uint64_t
rnd(void)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return rng;
}

static void
hex(char *out, size_t nbytes)
{
    static const char d[] = "0123456789abcdef";
    for (size_t i = 0; i < nbytes; i++) {
        uint8_t b = (uint8_t)rnd();
        out[2 * i] = d[b >> 4];
        out[2 * i + 1] = d[b & 15];
    }
    out[2 * nbytes] = '\0';
}

/* One indicator line of kind k (0..99 by share). */
static void
gen(char *line, size_t cap, unsigned k)
{
    char h[130];
    uint64_t r = rnd();
    if (k < 30) {
        hex(h, 32);
        snprintf(line, cap, "%s", h);
    } else if (k < 45) {
        hex(h, 16);
        snprintf(line, cap, "%s", h);
    } else if (k < 55) {
        hex(h, 20);
        snprintf(line, cap, "%s", h);
    } else if (k < 80) {
        snprintf(line, cap, "%u.%u.%u.%u", (unsigned)(r >> 8) % 223 + 1,
                 (unsigned)(r >> 16) & 255, (unsigned)(r >> 24) & 255,
                 (unsigned)(r >> 32) & 255);
    } else if (k < 83) {
        snprintf(line, cap, "2001:db8:%x:%x::%x", (unsigned)(r >> 8) & 0xffff,
                 (unsigned)(r >> 24) & 0xffff, (unsigned)(r >> 40) & 0xffff);
    } else if (k < 85) {
        snprintf(line, cap, "%u.%u.%u.0/24", (unsigned)(r >> 8) % 223 + 1,
                 (unsigned)(r >> 16) & 255, (unsigned)(r >> 24) & 255);
    } else if (k < 95) {
        hex(h, 6);
        snprintf(line, cap, "c2-%s.example%u.com", h, (unsigned)(r >> 40) % 97);
    } else {
        hex(h, 5);
        snprintf(line, cap, "http://dl-%s.example.net/p/%u.bin", h,
                 (unsigned)(r >> 30) % 10000);
    }
}

int
main(int argc, char **argv)
{
    size_t n = argc > 1 ? strtoul(argv[1], NULL, 10) : 1000000;
    const char *dir = argc > 2 ? argv[2] : "/tmp";
    char path[512], qpath[512], spath[512];
    struct vg_ioc_store *st = NULL, *back = NULL;
    struct vg_ioc_import_stats stats;
    struct vg_ioc_import_opts o;
    struct vg_diag d;
    char line[256];

    snprintf(path, sizeof(path), "%s/iocs.txt", dir);
    snprintf(qpath, sizeof(qpath), "%s/queries.txt", dir);
    snprintf(spath, sizeof(spath), "%s/iocs.vgs", dir);
    FILE *f = fopen(path, "w");
    if (f == NULL) {
        perror(path);
        return 2;
    }
    /* keep some SHA-256 values and IPv4s for hit queries */
    size_t nq = 1u << 20;
    char(*sha)[65] = calloc(nq, 65);
    uint32_t *ip4 = calloc(nq, sizeof(uint32_t));
    size_t ns = 0, ni = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned k = (unsigned)(rnd() % 100);
        gen(line, sizeof(line), k);
        fprintf(f, "%s\n", line);
        if (k < 30 && ns < nq / 2) {
            memcpy(sha[ns++], line, 65);
        } else if (k >= 55 && k < 80 && ni < nq / 2) {
            unsigned a, b, c, e;
            char *p = line;
            a = (unsigned)strtoul(p, &p, 10);
            b = (unsigned)strtoul(p + 1, &p, 10);
            c = (unsigned)strtoul(p + 1, &p, 10);
            e = (unsigned)strtoul(p + 1, &p, 10);
            ip4[ni++] = a << 24 | b << 16 | c << 8 | e;
        }
    }
    fclose(f);
    /* misses */
    while (ns < nq) {
        hex(sha[ns++], 32);
    }
    while (ni < nq) {
        ip4[ni++] = (uint32_t)rnd() | 0xe0000000u; /* multicast: not stored */
    }
    FILE *q = fopen(qpath, "w");
    for (size_t i = 0; q != NULL && i < nq; i++) {
        fprintf(q, "%s\n", sha[(i * 7919) % nq]);
    }
    if (q != NULL) {
        fclose(q);
    }

    if (vg_ioc_store_new(&st) != VG_OK) {
        return 2;
    }
    vg_ioc_import_opts_init(&o);
    o.format = VG_IOC_FMT_TEXT;
    memset(&stats, 0, sizeof(stats));
    double c0 = cpu_s();
    double t0 = now_s();
    int rc = vg_ioc_import_file(st, path, &o, &stats, &d);
    double t1 = now_s();
    double c1 = cpu_s();
    int sr = vg_ioc_store_seal(st);
    double t2 = now_s();
    double c2 = cpu_s();
    if (rc != VG_OK || sr < 0) {
        fprintf(stderr, "import failed: %d %s\n", rc, d.msg);
        return 2;
    }
    uint32_t cnt = vg_ioc_count(st);
    printf("indicators generated:      %zu (stored after de-duplication: %u)\n",
           n, cnt);
    printf("import (text list):        %.3f s wall, %.3f s CPU (%.2f M "
           "indicators/s CPU; target < 2 s for 1M)\n",
           t1 - t0, c1 - c0, (double)n / (c1 - c0) / 1e6);
    printf("seal (compile tables):     %.3f s wall, %.3f s CPU\n", t2 - t1,
           c2 - c1);
    printf("memory:                    %zu bytes = %.1f bytes/indicator\n",
           vg_ioc_memory(st), (double)vg_ioc_memory(st) / cnt);
    c0 = cpu_s();
    t0 = now_s();
    if (vg_ioc_store_save(st, spath, &d) != VG_OK) {
        fprintf(stderr, "save: %s\n", d.msg);
        return 2;
    }
    t1 = now_s();
    FILE *sf = fopen(spath, "rb");
    long fsz = 0;
    if (sf != NULL && fseek(sf, 0, SEEK_END) == 0) {
        fsz = ftell(sf);
    }
    if (sf != NULL) {
        fclose(sf);
    }
    c1 = cpu_s();
    if (vg_ioc_store_load(spath, &back, &d) != VG_OK) {
        fprintf(stderr, "load: %s\n", d.msg);
        return 2;
    }
    t2 = now_s();
    c2 = cpu_s();
    printf("save:                      %.3f s wall, %.3f s CPU, file %ld bytes "
           "= %.1f bytes/indicator\n",
           t1 - t0, c1 - c0, fsz, (double)fsz / cnt);
    printf("load (validate + seal):    %.3f s wall, %.3f s CPU\n", t2 - t1,
           c2 - c1);
    printf("memory of the loaded store: %zu bytes = %.1f bytes/indicator\n",
           vg_ioc_memory(back), (double)vg_ioc_memory(back) / cnt);

    uint32_t ids[8];
    size_t hits = 0, rounds = 8;
    t0 = cpu_s();
    for (size_t r = 0; r < rounds; r++) {
        for (size_t i = 0; i < nq; i++) {
            hits += (size_t)vg_ioc_lookup_hash(back, sha[i], 64, ids, 8);
        }
    }
    t1 = cpu_s();
    double lk = (double)(rounds * nq) / (t1 - t0);
    printf("lookup sha256 (hex text):  %.1f M/s single thread, CPU time (hits "
           "%zu of %zu; target >= 10 M/s)\n",
           lk / 1e6, hits, rounds * nq);
    uint8_t(*bin)[32] = calloc(nq, 32);
    for (size_t i = 0; i < nq; i++) {
        for (size_t k = 0; k < 32; k++) {
            unsigned v;
            char two[3] = {sha[i][2 * k], sha[i][2 * k + 1], 0};
            v = (unsigned)strtoul(two, NULL, 16);
            bin[i][k] = (uint8_t)v;
        }
    }
    hits = 0;
    t0 = cpu_s();
    for (size_t r = 0; r < rounds; r++) {
        for (size_t i = 0; i < nq; i++) {
            uint32_t id;
            hits +=
                (size_t)vg_ioc_lookup_digest(back, VG_IOC_SHA256, bin[i], &id);
        }
    }
    t1 = cpu_s();
    printf("lookup sha256 (binary):    %.1f M/s single thread, CPU time (hits "
           "%zu; target >= 10 M/s)\n",
           (double)(rounds * nq) / (t1 - t0) / 1e6, hits);
    free(bin);
    hits = 0;
    t0 = cpu_s();
    for (size_t r = 0; r < rounds; r++) {
        for (size_t i = 0; i < nq; i++) {
            hits += (size_t)vg_ioc_lookup_ip4(back, ip4[i], ids, 8);
        }
    }
    t1 = cpu_s();
    lk = (double)(rounds * nq) / (t1 - t0);
    printf("lookup ipv4 (binary, incl. CIDR ranges): %.1f M/s single thread, "
           "CPU time (hits %zu; target >= 10 M/s)\n",
           lk / 1e6, hits);
    char(*ipt)[16] = calloc(nq, 16);
    for (size_t i = 0; i < nq; i++) {
        snprintf(ipt[i], 16, "%u.%u.%u.%u", ip4[i] >> 24, (ip4[i] >> 16) & 255,
                 (ip4[i] >> 8) & 255, ip4[i] & 255);
    }
    hits = 0;
    t0 = cpu_s();
    for (size_t r = 0; r < rounds; r++) {
        for (size_t i = 0; i < nq; i++) {
            hits +=
                (size_t)vg_ioc_lookup_ip(back, ipt[i], strlen(ipt[i]), ids, 8);
        }
    }
    t1 = cpu_s();
    printf("lookup ipv4 (text):        %.1f M/s single thread (hits %zu)\n",
           (double)(rounds * nq) / (t1 - t0) / 1e6, hits);
    const char *dom = "a.b.c2-0a1b2c3d4e5f.example42.com";
    t0 = cpu_s();
    for (size_t i = 0; i < 2000000; i++) {
        hits += (size_t)vg_ioc_lookup_domain(back, dom, strlen(dom), ids, 8);
    }
    t1 = cpu_s();
    printf("lookup domain (5 labels):  %.1f M/s single thread\n",
           2.0 / (t1 - t0));
    free(ipt);
    free(sha);
    free(ip4);
    vg_ioc_store_free(st);
    vg_ioc_store_free(back);
    return 0;
}
