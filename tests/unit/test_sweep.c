/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test_sweep.c - the log sweep: IPv4 boundaries and CIDRs, domains
 * (case, subdomains, label boundaries), IPv6 forms (compressed, full,
 * bracketed, IPv4-mapped), hashes, URLs, defanged text that must NOT match,
 * line/offset/time of each match, long lines, binary garbage, chunk edges,
 * gzip (made here with zlib: single, concatenated, truncated), folder walks
 * (sorted, rotated names, symlinks not followed) and the line-time parser.
 * Every test compares the exact list of matches.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include "iocstore.h"
#include "vg_test.h"
#include "vigil/buf.h"
#include "vigil/finding.h"
#include "vigil/ioc.h"
#include "vigil/sweep.h"

static struct vg_ioc_store *
mkstore(const char *feed)
{
    return vg_iocstore_text("feed.txt", "test-feed", feed);
}

struct col {
    const struct vg_ioc_store *st;
    struct vg_buf out;
    struct vg_buf errs;
    int with_line; /* also print the shown line and cut flags */
};

static int
collect(void *arg, const struct vg_sweep_match *m)
{
    struct col *c = arg;
    struct vg_ioc_info in;
    if (vg_ioc_get(c->st, m->ioc, &in) != VG_OK) {
        return -1;
    }
    int rc = vg_buf_printf(&c->out, "%llu:%llu:%.*s=%s",
                           (unsigned long long)m->line,
                           (unsigned long long)m->offset, (int)m->text_len,
                           m->text, in.value);
    if (rc == VG_OK && c->with_line) {
        rc = vg_buf_printf(&c->out, " [%d%d %zu]", m->cut_head, m->cut_tail,
                           m->line_len);
    }
    return rc == VG_OK ? vg_buf_addc(&c->out, '\n') : rc;
}

static void
collect_err(void *arg, const struct vg_diag *d)
{
    struct col *c = arg;
    char msg[1400];
    CHECK(vg_buf_printf(&c->errs, "%s\n",
                        vg_diag_format(d, msg, sizeof(msg))) == VG_OK);
}

/* Sweep log (n bytes) for the feed; the matches as text. */
static char *
sweep(const char *feed, const char *log, size_t n, int with_line,
      struct vg_sweep_stats *stats_out)
{
    struct vg_sweep *sw = NULL;
    struct vg_sweep_stats stats;
    struct col c = { .with_line = with_line };
    vg_buf_init(&c.out, 1u << 24);
    vg_buf_init(&c.errs, 1u << 16);
    c.st = mkstore(feed);
    if (c.st == NULL || vg_sweep_new(c.st, &sw) != VG_OK) {
        vg_ioc_store_free((struct vg_ioc_store *)(uintptr_t)c.st);
        return NULL;
    }
    memset(&stats, 0, sizeof(stats));
    struct vg_sweep_opts o = { .on_match = collect, .on_error = collect_err,
                               .arg = &c, .default_year = 2023 };
    int rc = vg_sweep_mem(sw, "mem.log", log, n, &o, &stats);
    CHECK_RC(rc, VG_OK);
    if (c.errs.len > 0) {
        CHECK(vg_buf_adds(&c.out, "ERR ") == VG_OK &&
              vg_buf_add(&c.out, c.errs.data, c.errs.len) == VG_OK);
    }
    if (stats_out != NULL) {
        *stats_out = stats;
    }
    vg_sweep_free(sw);
    vg_ioc_store_free((struct vg_ioc_store *)(uintptr_t)c.st);
    vg_buf_fini(&c.errs);
    char *s = vg_buf_take(&c.out);
    return s;
}

#define CHECK_SWEEP(feed, log, want)                                        \
    do {                                                                    \
        char *got_ = sweep((feed), (log), strlen(log), 0, NULL);            \
        CHECK_EQ_STR(got_, (want));                                         \
        free(got_);                                                         \
    } while (0)

static void
t_ipv4_boundaries(void)
{
    CHECK_SWEEP("10.1.1.1\n10.9.0.0/16\n",
                "a 110.1.1.10 b\n"          /* inside a longer address */
                "a 10.1.1.100 b\n"
                "a 10.1.1.1 b\n"            /* 3 */
                "x10.1.1.1 y\n"             /* touching a letter */
                "10.1.1.1.\n"               /* 5: full stop */
                "10.1.1.1.5\n"              /* five parts */
                "1.10.1.1.1\n"
                "src=10.1.1.1:443\n"        /* 8 */
                "\"10.1.1.1\",\n"           /* 9 */
                "10.1.1.1-10.1.1.9\n"       /* 10: a range */
                "10.1.1[.]1 1.2.3(.)4\n"    /* defanged: not refanged */
                "010.001.001.001\n"         /* 12: zero-padded */
                "10.9.255.255 10.10.0.1 10.8.255.255 10.9.0.0\n" /* 13 */
                "10.1.1.1_x 10.1.1\n",
                "3:32:10.1.1.1=10.1.1.1\n"
                "5:55:10.1.1.1=10.1.1.1\n"
                "8:91:10.1.1.1=10.1.1.1\n"
                "9:105:10.1.1.1=10.1.1.1\n"
                "10:116:10.1.1.1=10.1.1.1\n"
                "12:155:010.001.001.001=10.1.1.1\n"
                "13:171:10.9.255.255=10.9.0.0/16\n"
                "13:207:10.9.0.0=10.9.0.0/16\n");
}

/* Exact addresses only (no CIDR): tokens are first judged on their text
 * hash, unparsed; zero-padded ones must still reach the parser, and a
 * token at the very end of the buffer (under 16 bytes left) is read
 * without running past it. */
static void
t_ipv4_text_prefilter(void)
{
    CHECK_SWEEP("10.1.1.1\n255.255.255.254\n1.2.3.4\n",
                "a 10.1.1.1 b 10.1.1.10 10.1.1.2 110.1.1.1\n"   /* 1 */
                "010.01.1.001 10.01.1.1 10.1.1.01\n"            /* 2 */
                "255.255.255.254 255.255.255.255 255.255.255.25\n"
                "0.0.0.0 1.2.3.4-1.2.3.9 0001.2.3.4\n" /* 4: four digits: no */
                "end 1.2.3.4",
                "1:2:10.1.1.1=10.1.1.1\n"
                "2:42:010.01.1.001=10.1.1.1\n"
                "2:55:10.01.1.1=10.1.1.1\n"
                "2:65:10.1.1.01=10.1.1.1\n"
                "3:75:255.255.255.254=255.255.255.254\n"
                "4:130:1.2.3.4=1.2.3.4\n"
                "5:161:1.2.3.4=1.2.3.4\n");
}

/* Names are first gated on their last label ("html" in index.html ends
 * no indicator): that gate must not lose a hit whose indicator is itself
 * short (co.uk) or sits under a longer name. */
static void
t_domain_last_label(void)
{
    CHECK_SWEEP("evil.com\nco.uk\n",
                "x index.html evil.com.html evil.comx\n"   /* 1: none */
                "q www.EVIL.COM. bbc.co.uk co.uk.evil\n"   /* 2 */
                "evil.com",                                  /* 3: at the end */
                "2:39:www.EVIL.COM=evil.com\n"
                "2:53:bbc.co.uk=co.uk\n"
                "3:74:evil.com=evil.com\n");
}

/* The one compression check the sweep and the range splitter share. */
static void
t_compression(void)
{
    static const struct {
        const char *head;
        size_t n;
        const char *want;
    } cases[] = {
        {"\x1f\x8b\x08\x00", 4, "gzip"},
        {"BZh91AY", 7, "bzip2"},
        {"\xfd" "7zXZ\0\0", 7, "xz"},
        {"\xfd" "7zX", 4, NULL},              /* cut before the magic ends */
        {"\x28\xb5\x2f\xfd\0", 5, "zstd"},
        {"\x1f", 1, NULL},
        {"Nov  2 14:05:09 host sshd", 25, NULL},
        {"", 0, NULL},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        const char *got = vg_sweep_compression(cases[i].head, cases[i].n);
        if (cases[i].want == NULL) {
            CHECK(got == NULL);
        } else {
            REQUIRE(got != NULL);
            CHECK_EQ_STR(got, cases[i].want);
        }
    }
}

static void
t_domains(void)
{
    CHECK_SWEEP("evil.com\nrs.tdsclinical.com\n",
                "q evil.com\n"               /* 1 */
                "q WWW.Evil.COM A\n"         /* 2 */
                "q notevil.com evil.com.au evil.community x-evil.com\n"
                "q mail.evil.com. ok\n"      /* 4: trailing dot */
                "from user@evil.com\n"       /* 5 */
                "GET http://a.b.EVIL.com/x.php\n" /* 6 */
                "evil[.]com evil(.)com hxxp://evil.com\n" /* 7: last one */
                "host=evil.com:8080\n"       /* 8 */
                "tdsclinical.com RS.TDSCLINICAL.COM\n" /* 9: only the second */
                "evil.com_x evilxcom\n",
                "1:2:evil.com=evil.com\n"
                "2:13:WWW.Evil.COM=evil.com\n"
                "4:82:mail.evil.com=evil.com\n"
                "5:110:evil.com=evil.com\n"
                "6:130:a.b.EVIL.com=evil.com\n"
                "7:178:evil.com=evil.com\n"
                "8:192:evil.com=evil.com\n"
                "9:222:RS.TDSCLINICAL.COM=rs.tdsclinical.com\n");
}

/* Windows DNS debug logs write names as (3)www(4)evil(3)com(0). */
static void
t_windns_names(void)
{
    CHECK_SWEEP("evil.com\n",
                "11/2/2023 2:05:09 PM 0E2C PACKET  UDP Rcv 10.0.0.1 5d1c   Q "
                "[0001   D   NOERROR] A      (3)www(4)EVIL(3)com(0)\n"
                "(4)evil(3)co(0) (7)notevil(3)com(0) (2)www(4)evil(3)com(0) "
                "x(4)evil(3)com(0) (4)evil(3)com(0)\n",
                "1:88:(3)www(4)EVIL(3)com(0)=evil.com\n"
                "2:188:(4)evil(3)com(0)=evil.com\n");
}

static void
t_ipv6(void)
{
    CHECK_SWEEP("2001:db8::1\n192.0.2.7\n2001:db8:ff::/48\n",
                "a 2001:db8::1 b\n"                         /* 1 */
                "a 2001:DB8:0:0:0:0:0:1 b\n"                /* 2 */
                "2001:0db8:0000:0000:0000:0000:0000:0001\n" /* 3 */
                "[2001:db8::1]:443\n"                       /* 4 */
                "2001:db8::10 2001:db8::1:5 12:34:56\n"
                "::ffff:192.0.2.7 ::FFFF:C000:207\n"        /* 6 */
                "2001:db8:ff:1::9 x2001:db8::1\n",          /* 7 */
                "1:2:2001:db8::1=2001:db8::1\n"
                "2:18:2001:DB8:0:0:0:0:0:1=2001:db8::1\n"
                "3:41:2001:0db8:0000:0000:0000:0000:0000:0001=2001:db8::1\n"
                "4:82:2001:db8::1=2001:db8::1\n"
                "6:142:192.0.2.7=192.0.2.7\n"
                "6:152:::FFFF:C000:207=192.0.2.7\n"
                "7:168:2001:db8:ff:1::9=2001:db8:ff::/48\n");
}

static void
t_hashes(void)
{
    CHECK_SWEEP("d41d8cd98f00b204e9800998ecf8427e\n"
                "da39a3ee5e6b4b0d3255bfef95601890afd80709\n"
                "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
                "\n",
                "md5 D41D8CD98F00B204E9800998ECF8427E\n"     /* 1 */
                "xd41d8cd98f00b204e9800998ecf8427e\n"
                "d41d8cd98f00b204e9800998ecf8427e0\n"
                "sha1=da39a3ee5e6b4b0d3255bfef95601890afd80709;\n" /* 4 */
                "\"e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b"
                "7852b855\"\n",                               /* 5 */
                "1:4:D41D8CD98F00B204E9800998ECF8427E="
                "d41d8cd98f00b204e9800998ecf8427e\n"
                "4:110:da39a3ee5e6b4b0d3255bfef95601890afd80709="
                "da39a3ee5e6b4b0d3255bfef95601890afd80709\n"
                "5:153:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca49599"
                "1b7852b855=e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca"
                "495991b7852b855\n");
}

static void
t_urls(void)
{
    CHECK_SWEEP("http://bad.example.org/x/payload.exe\n",
                "GET http://bad.example.org/x/payload.exe HTTP/1.1\n" /* 1 */
                "url=\"http://bad.example.org/x/payload.exe?a=1\"\n" /* 2 */
                "http://bad.example.org/x/payload.exe2\n"
                "HTTP://BAD.EXAMPLE.ORG/x/payload.exe\n",            /* 4 */
                "1:4:http://bad.example.org/x/payload.exe="
                "http://bad.example.org/x/payload.exe\n"
                "2:55:http://bad.example.org/x/payload.exe?a=1="
                "http://bad.example.org/x/payload.exe\n"
                "4:135:HTTP://BAD.EXAMPLE.ORG/x/payload.exe="
                "http://bad.example.org/x/payload.exe\n");
}

/* A 5 MB line (crosses a chunk edge) with the indicator three times. */
static void
t_long_line(void)
{
    size_t n = 5u << 20;
    char *log = malloc(n + 64);
    REQUIRE(log != NULL);
    for (size_t i = 0; i < n; i++) {
        log[i] = "abcdefgh ,;/xyz"[i % 15];
    }
    memcpy(log + 1000, " 10.1.1.1 ", 10);
    size_t mid = (4u << 20) - 8192 - 4; /* straddles the first scan limit */
    memcpy(log + mid, " 10.1.1.1 ", 10);
    memcpy(log + n - 10, " 10.1.1.1\n", 10);
    memcpy(log + n, "x 10.1.1.1\n", 11);
    char *got = sweep("10.1.1.1\n", log, n + 11, 1, NULL);
    char want[512];
    snprintf(want, sizeof(want),
             "1:1001:10.1.1.1=10.1.1.1 [11 400]\n"
             "1:%zu:10.1.1.1=10.1.1.1 [11 400]\n"
             "1:%zu:10.1.1.1=10.1.1.1 [10 141]\n"
             "2:%zu:10.1.1.1=10.1.1.1 [00 10]\n",
             mid + 1, n - 9, n + 2);
    CHECK_EQ_STR(got, want);
    free(got);
    free(log);
}

/* Binary garbage (all byte values, NULs, no newlines for megabytes) with
 * indicators planted: exactly those are found. */
static void
t_binary(void)
{
    size_t n = 3u << 20;
    unsigned char *b = malloc(n);
    REQUIRE(b != NULL);
    uint32_t x = 12345;
    for (size_t i = 0; i < n; i++) {
        x = x * 1103515245u + 12345u;
        b[i] = (unsigned char)(x >> 16);
        if (b[i] == '\n' || b[i] == '.' || b[i] == ':') {
            b[i] = 0; /* keep line 1 and avoid chance tokens */
        }
    }
    memcpy(b + 777, "\x01" "evil.com\xff", 10);
    memcpy(b + 2000000, "\x00" "10.1.1.1\x00", 10);
    char *got = sweep("10.1.1.1\nevil.com\n", (const char *)b, n, 0, NULL);
    CHECK_EQ_STR(got, "1:778:evil.com=evil.com\n"
                      "1:2000001:10.1.1.1=10.1.1.1\n");
    free(got);
    free(b);
}

/* Lines of 100 bytes over 9 MB with the indicator on every 997th line:
 * chunk edges must neither lose nor double any. */
static void
t_chunk_edges(void)
{
    size_t lines = 90000, n = lines * 100;
    char *log = malloc(n + 1);
    REQUIRE(log != NULL);
    struct vg_buf want;
    vg_buf_init(&want, 1u << 20);
    for (size_t l = 0; l < lines; l++) {
        char *p = log + l * 100;
        memset(p, 'a', 99);
        p[99] = '\n';
        memcpy(p, "1699000000.5 GET", 16);
        if (l % 997 == 0 || l == 41942 || l == 41943) {
            size_t at = 17 + l % 60; /* ends before the newline */
            memcpy(p + at - 1, " 198.51.100.77 ", 15);
            CHECK(vg_buf_printf(&want, "%zu:%zu:198.51.100.77=198.51.100.77\n",
                                l + 1, l * 100 + at) == VG_OK);
        }
    }
    struct vg_sweep_stats st;
    char *got = sweep("198.51.100.77\n", log, n, 0, &st);
    CHECK_EQ_STR(got, want.data);
    CHECK_EQ_UINT(st.bytes, n);
    free(got);
    vg_buf_fini(&want);
    free(log);
}

static size_t
gz(const char *in, size_t n, unsigned char *out, size_t cap)
{
    z_stream z;
    memset(&z, 0, sizeof(z));
    if (deflateInit2(&z, 6, Z_DEFLATED, 16 + MAX_WBITS, 8,
                     Z_DEFAULT_STRATEGY) != Z_OK) {
        return 0;
    }
    z.next_in = (Bytef *)(uintptr_t)in;
    z.avail_in = (uInt)n;
    z.next_out = out;
    z.avail_out = (uInt)cap;
    int rc = deflate(&z, Z_FINISH);
    size_t got = cap - z.avail_out;
    deflateEnd(&z);
    return rc == Z_STREAM_END ? got : 0;
}

static void
t_gzip(void)
{
    static const char a[] = "Nov  2 14:05:09 host sshd: from 10.1.1.1\n"
                            "line two\n";
    static const char b[] = "third evil.com\n";
    unsigned char z[4096];
    size_t n1 = gz(a, strlen(a), z, sizeof(z));
    size_t n2 = gz(b, strlen(b), z + n1, sizeof(z) - n1);
    REQUIRE(n1 > 0 && n2 > 0);
    struct vg_sweep_stats st;
    char *got = sweep("10.1.1.1\nevil.com\n", (const char *)z, n1, 0, &st);
    CHECK_EQ_STR(got, "1:32:10.1.1.1=10.1.1.1\n");
    CHECK_EQ_UINT(st.gzip_files, 1);
    free(got);
    /* concatenated members (cat a.gz b.gz) are one stream */
    got = sweep("10.1.1.1\nevil.com\n", (const char *)z, n1 + n2, 0, NULL);
    CHECK_EQ_STR(got, "1:32:10.1.1.1=10.1.1.1\n3:56:evil.com=evil.com\n");
    free(got);
    /* truncated: what was inflated is swept, then the error with offset */
    got = sweep("10.1.1.1\nevil.com\n", (const char *)z, n1 - 6, 0, NULL);
    char want[256];
    snprintf(want, sizeof(want),
             "1:32:10.1.1.1=10.1.1.1\nERR mem.log: offset %zu: gzip: "
             "truncated stream\n", n1 - 6);
    CHECK_EQ_STR(got, want);
    free(got);
    /* garbage after the stream */
    memcpy(z + n1, "JUNK", 4);
    got = sweep("10.1.1.1\n", (const char *)z, n1 + 4, 0, NULL);
    snprintf(want, sizeof(want),
             "1:32:10.1.1.1=10.1.1.1\nERR mem.log: offset %zu: gzip: data "
             "after the end of the stream\n", n1);
    CHECK_EQ_STR(got, want);
    free(got);
    /* other compressions are named, not swept as garbage */
    got = sweep("10.1.1.1\n", "\xfd" "7zXZ\0\0 10.1.1.1", 16, 0, NULL);
    CHECK_EQ_STR(got, "ERR mem.log: offset 0: xz-compressed: not supported "
                      "(decompress first)\n");
    free(got);
}

static void
t_times(void)
{
    enum vg_sweep_tfmt f;
    const int64_t base = INT64_C(1698933909000000); /* 2023-11-02 14:05:09 */
#define CHECK_TIME(s, want, fmt)                                            \
    do {                                                                    \
        CHECK_EQ_INT(vg_sweep_line_time((s), strlen(s), 2023, &f), (want)); \
        CHECK_EQ_INT(f, (fmt));                                             \
    } while (0)
    CHECK_TIME("2023-11-02T14:05:09Z GET /", base, VG_SWEEP_T_ISO8601);
    CHECK_TIME("2023-11-02T16:05:09.250+02:00 x", base + 250000,
               VG_SWEEP_T_ISO8601);
    CHECK_TIME("2023-11-02 14:05:09 W3SVC1 10.0.0.1 GET", base,
               VG_SWEEP_T_ISO8601);
    CHECK_TIME("Nov  2 14:05:09 host sshd[1]: x", base, VG_SWEEP_T_SYSLOG);
    CHECK_TIME("<13>Nov  2 14:05:09 host x", base, VG_SWEEP_T_SYSLOG);
    CHECK_TIME("<13>1 2023-11-02T14:05:09Z host", base, VG_SWEEP_T_ISO8601);
    CHECK_TIME("10.0.0.1 - - [02/Nov/2023:15:05:09 +0100] \"GET /\"", base,
               VG_SWEEP_T_CLF);
    CHECK_TIME("1698933909.123456\tCabc\t10.0.0.1", base + 123456,
               VG_SWEEP_T_EPOCH);
    CHECK_TIME("1698933909.5     150 10.0.0.5 TCP_MISS/200", base + 500000,
               VG_SWEEP_T_EPOCH);
    CHECK_TIME("{\"ts\":1698933909.25,\"uid\":\"C1\"}", base + 250000,
               VG_SWEEP_T_EPOCH);
    CHECK_TIME("{\"ts\":\"2023-11-02T14:05:09Z\"}", base, VG_SWEEP_T_ISO8601);
    CHECK_TIME("11/2/2023 2:05:09 PM 0E2C PACKET  UDP Rcv 10.0.0.1", base,
               VG_SWEEP_T_WINDNS);
    CHECK_TIME("11/2/2023 12:05:09 AM x", base - INT64_C(50400000000),
               VG_SWEEP_T_WINDNS);
    CHECK_TIME("no time here 2023-11-02", VG_TIME_NONE, VG_SWEEP_T_NONE);
    CHECK_TIME("Nov 31 14:05:09 bad day", VG_TIME_NONE, VG_SWEEP_T_NONE);
    CHECK_TIME("[32/Nov/2023:14:05:09 +0000]", VG_TIME_NONE, VG_SWEEP_T_NONE);
    CHECK_TIME("12345 short number", VG_TIME_NONE, VG_SWEEP_T_NONE);
    CHECK_TIME("", VG_TIME_NONE, VG_SWEEP_T_NONE);
#undef CHECK_TIME
}

struct tcol {
    struct col c;
    struct vg_buf times;
};

static int
collect_time(void *arg, const struct vg_sweep_match *m)
{
    struct tcol *t = arg;
    if (vg_buf_printf(&t->times, "%llu %lld %s\n",
                      (unsigned long long)m->line, (long long)m->time_us,
                      vg_sweep_tfmt_name(m->tfmt)) != VG_OK) {
        return -1;
    }
    return collect(&t->c, m);
}

static int
write_file(const char *path, const void *p, size_t n)
{
    FILE *f = fopen(path, "wb");
    if (f == NULL) {
        return -1;
    }
    size_t k = fwrite(p, 1, n, f);
    return fclose(f) == 0 && k == n ? 0 : -1;
}

/* A folder: rotated and gzip names, a subfolder, a symlink to a file
 * outside (not followed), a FIFO (skipped, not opened). Sorted order. */
static void
t_folder(void)
{
    char root[] = "/tmp/vg_sweep_XXXXXX", p[512], out[512];
    REQUIRE(mkdtemp(root) != NULL);
    unsigned char z[512];
    static const char rot[] = "Nov  2 14:05:09 h x 10.1.1.1\n";
    size_t zn = gz(rot, strlen(rot), z, sizeof(z));
    snprintf(out, sizeof(out), "%s.outside", root);
    CHECK(write_file(out, "10.1.1.1\n", 9) == 0);
    snprintf(p, sizeof(p), "%s/app.log", root);
    CHECK(write_file(p, "2023-11-02T14:05:09Z ok\nevil.com\n", 33) == 0);
    snprintf(p, sizeof(p), "%s/app.log.1", root);
    CHECK(write_file(p, "{\"ts\":1698933909.5} 10.1.1.1\n", 29) == 0);
    snprintf(p, sizeof(p), "%s/app.log.2.gz", root);
    CHECK(write_file(p, z, zn) == 0);
    snprintf(p, sizeof(p), "%s/sub", root);
    CHECK(mkdir(p, 0700) == 0);
    snprintf(p, sizeof(p), "%s/sub/link.log", root);
    CHECK(symlink(out, p) == 0);
    snprintf(p, sizeof(p), "%s/sub/fifo", root);
    CHECK(mkfifo(p, 0600) == 0);
    snprintf(p, sizeof(p), "%s/sub/z.log", root);
    CHECK(write_file(p, "x\ny\n::ffff:10.1.1.1\n", 20) == 0);

    struct vg_sweep *sw = NULL;
    struct vg_sweep_stats st;
    struct tcol t;
    memset(&t, 0, sizeof(t));
    memset(&st, 0, sizeof(st));
    vg_buf_init(&t.c.out, 1u << 16);
    vg_buf_init(&t.c.errs, 1u << 16);
    vg_buf_init(&t.times, 1u << 16);
    struct vg_ioc_store *ios = mkstore("10.1.1.1\nevil.com\n");
    t.c.st = ios;
    REQUIRE(ios != NULL && vg_sweep_new(ios, &sw) == VG_OK);
    struct vg_sweep_opts o = { .on_match = collect_time,
                               .on_error = collect_err, .arg = &t,
                               .default_year = 2023 };
    CHECK_RC(vg_sweep_path(sw, root, &o, &st), VG_OK);
    CHECK_EQ_STR(t.c.out.data, "2:24:evil.com=evil.com\n"
                               "1:20:10.1.1.1=10.1.1.1\n"
                               "1:20:10.1.1.1=10.1.1.1\n"
                               "3:11:10.1.1.1=10.1.1.1\n");
    CHECK_EQ_STR(t.times.data, "2 -9223372036854775808 \n"
                               "1 1698933909500000 epoch\n"
                               "1 1698933909000000 syslog\n"
                               "3 -9223372036854775808 \n");
    CHECK(t.c.errs.len == 0);
    CHECK_EQ_UINT(st.files, 4);
    CHECK_EQ_UINT(st.gzip_files, 1);
    CHECK_EQ_UINT(st.skipped, 2);
    /* a missing path is an error, reported, and the call still succeeds */
    snprintf(p, sizeof(p), "%s/none", root);
    CHECK_RC(vg_sweep_path(sw, p, &o, &st), VG_OK);
    CHECK(strstr(t.c.errs.data, "/none: stat: No such file") != NULL);
    /* a FIFO named as the root is refused (reading it could block) */
    snprintf(p, sizeof(p), "%s/sub/fifo", root);
    CHECK_RC(vg_sweep_path(sw, p, &o, &st), VG_OK);
    CHECK(strstr(t.c.errs.data, "/sub/fifo: not a regular file or folder") !=
          NULL);
    vg_sweep_free(sw);
    vg_ioc_store_free(ios);
    vg_buf_fini(&t.c.out);
    vg_buf_fini(&t.c.errs);
    vg_buf_fini(&t.times);
    char cmd[700];
    snprintf(cmd, sizeof(cmd), "rm -rf '%s' '%s'", root, out);
    CHECK(system(cmd) == 0);
}

static int
count_only(void *arg, const struct vg_sweep_match *m)
{
    uint64_t *n = arg;
    (*n)++;
    return m->line == 1 && m->line_len <= VG_SWEEP_LINE_SHOW ? 0 : -1;
}

/* Inputs that would be quadratic with naive line handling: an 8 MB line
 * holding ~930,000 matches, a megabyte of "(0)" (Windows DNS name ends)
 * and of "://" (URL starts). Each must finish (ctest's timeout) with the
 * exact count. */
static void
t_pathological(void)
{
    size_t n = 8u << 20;
    char *b = malloc(n);
    REQUIRE(b != NULL);
    for (size_t i = 0; i < n; i++) {
        b[i] = "10.1.1.1 "[i % 9];
    }
    struct vg_ioc_store *st =
        mkstore("10.1.1.1\nevil.com\nhttp://evil.com/x\n");
    struct vg_sweep *sw = NULL;
    REQUIRE(st != NULL && vg_sweep_new(st, &sw) == VG_OK);
    uint64_t cnt = 0;
    struct vg_sweep_stats stats;
    memset(&stats, 0, sizeof(stats));
    struct vg_sweep_opts o = { .on_match = count_only, .arg = &cnt };
    CHECK_RC(vg_sweep_mem(sw, "long", b, n, &o, &stats), VG_OK);
    CHECK_EQ_UINT(cnt, n / 9);
    for (size_t i = 0; i < n; i++) {
        b[i] = "(0)"[i % 3];
    }
    cnt = 0;
    CHECK_RC(vg_sweep_mem(sw, "parens", b, n, &o, &stats), VG_OK);
    CHECK_EQ_UINT(cnt, 0);
    for (size_t i = 0; i < n; i++) {
        b[i] = "://"[i % 3];
    }
    CHECK_RC(vg_sweep_mem(sw, "urls", b, n, &o, &stats), VG_OK);
    CHECK_EQ_UINT(cnt, 0);
    vg_sweep_free(sw);
    vg_ioc_store_free(st);
    free(b);
}

static void
t_empty_and_args(void)
{
    struct vg_ioc_store *st = mkstore("10.1.1.1\n");
    struct vg_sweep *sw = NULL;
    REQUIRE(st != NULL);
    CHECK_RC(vg_sweep_new(NULL, &sw), VG_EINVAL);
    REQUIRE(vg_sweep_new(st, &sw) == VG_OK);
    CHECK_EQ_INT(vg_sweep_scan(sw, "", 0, 0, 0, NULL, NULL), VG_EINVAL);
    vg_sweep_free(sw);
    vg_ioc_store_free(st);
    char *got = sweep("10.1.1.1\n", "", 0, 0, NULL);
    CHECK_EQ_STR(got, "");
    free(got);
    got = sweep("10.1.1.1\n", "10.1.1.1", 8, 0, NULL);
    CHECK_EQ_STR(got, "1:0:10.1.1.1=10.1.1.1\n");
    free(got);
}

int
main(int argc, char **argv)
{
    static const struct vg_test tests[] = {
        T(t_ipv4_boundaries), T(t_ipv4_text_prefilter), T(t_domain_last_label), T(t_compression), T(t_domains), T(t_windns_names), T(t_ipv6), T(t_hashes),
        T(t_urls), T(t_long_line), T(t_binary), T(t_chunk_edges),
        T(t_gzip), T(t_times), T(t_folder), T(t_pathological),
        T(t_empty_and_args),
    };
    return vg_test_main(argc, argv, tests, sizeof(tests) / sizeof(tests[0]));
}
