/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test_ioc.c - the IOC model and store: normalisation of every type,
 * private/reserved marking, classification, de-duplication with merged
 * provenance, lookups (hashes, IPv4/IPv6 exact and CIDR boundaries, nested
 * CIDRs, subdomains, URLs, paths, regexes, globs, relays), the free-text
 * matcher, save/load round trip and rejection of damaged store files.
 * Importers are tested in test_ioc_import.c, the corpus in test_ioc_corpus.c.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/alloc.h"
#include "vg_test.h"
#include "vigil/finding.h"
#include "vigil/ioc.h"

static int
norm(enum vg_ioc_type t, const char *in, char *out, size_t cap)
{
    return vg_ioc_normalize(t, in, strlen(in), out, cap);
}

#define CHECK_NORM(t, in, want)                                                \
    do {                                                                       \
        char o_[VG_IOC_MAX_VALUE + 1];                                         \
        CHECK(norm((t), (in), o_, sizeof(o_)) >= 0);                           \
        CHECK_EQ_STR(o_, (want));                                              \
    } while (0)
#define CHECK_BAD(t, in)                                                       \
    do {                                                                       \
        char o_[VG_IOC_MAX_VALUE + 1];                                         \
        CHECK_RC(norm((t), (in), o_, sizeof(o_)), VG_EFORMAT);                 \
    } while (0)

static void
t_normalize(void)
{
    CHECK_NORM(VG_IOC_IPV4, " 192.0.2.1 ", "192.0.2.1");
    CHECK_NORM(VG_IOC_IPV4, "010.001.000.001", "10.1.0.1");
    CHECK_BAD(VG_IOC_IPV4, "256.1.1.1");
    CHECK_BAD(VG_IOC_IPV4, "1.2.3");
    CHECK_BAD(VG_IOC_IPV4, "1.2.3.4.5");
    CHECK_NORM(VG_IOC_IPV6, "2001:0DB8:0000:0000:0000:0000:0000:0001",
               "2001:db8::1");
    CHECK_NORM(VG_IOC_IPV6, "[fe80::1]", "fe80::1");
    CHECK_NORM(VG_IOC_IPV6, "::ffff:192.0.2.1", "::ffff:192.0.2.1");
    CHECK_BAD(VG_IOC_IPV6, "fe80::1%eth0");
    CHECK_BAD(VG_IOC_IPV6, "1::2::3");
    CHECK_NORM(VG_IOC_CIDR4, "10.1.2.3/8", "10.0.0.0/8");
    CHECK_NORM(VG_IOC_CIDR4, "0.0.0.0/0", "0.0.0.0/0");
    CHECK_BAD(VG_IOC_CIDR4, "10.0.0.0/33");
    CHECK_BAD(VG_IOC_CIDR4, "10.0.0.0/08");
    CHECK_BAD(VG_IOC_CIDR4, "10.0.0.0/0x8");
    CHECK_BAD(VG_IOC_CIDR4, "10.0.0.0/");
    CHECK_NORM(VG_IOC_CIDR6, "2001:DB8:1:2::5/33", "2001:db8::/33");
    CHECK_NORM(VG_IOC_DOMAIN, "Rs.TDSclinical.COM.", "rs.tdsclinical.com");
    CHECK_NORM(VG_IOC_DOMAIN, "xn--bcher-kva.example", "xn--bcher-kva.example");
    CHECK_BAD(VG_IOC_DOMAIN, "localhost");
    CHECK_BAD(VG_IOC_DOMAIN, "-bad.example.com");
    CHECK_BAD(VG_IOC_DOMAIN, "a..b.com");
    CHECK_BAD(VG_IOC_DOMAIN, "example.123");
    CHECK_NORM(VG_IOC_URL, "HTTPS://Evil.EXAMPLE.com:8443/Path?Q=A",
               "https://evil.example.com:8443/Path?Q=A");
    CHECK_BAD(VG_IOC_URL, "evil.example.com/path");
    CHECK_BAD(VG_IOC_URL, "http://exa mple.com/");
    CHECK_NORM(VG_IOC_MD5, "D41D8CD98F00B204E9800998ECF8427E",
               "d41d8cd98f00b204e9800998ecf8427e");
    CHECK_BAD(VG_IOC_MD5, "d41d8cd98f00b204e9800998ecf8427");
    CHECK_BAD(VG_IOC_SHA1, "z41d8cd98f00b204e9800998ecf8427e00000000");
    CHECK_NORM(VG_IOC_FILENAME, "Test.XML", "test.xml");
    CHECK_BAD(VG_IOC_FILENAME, "C:\\x\\test.xml");
    CHECK_NORM(VG_IOC_FILEPATH, "C:\\Windows\\TEMP\\ScreenConnect\\X.exe",
               "c:\\windows\\temp\\screenconnect\\x.exe");
    CHECK_NORM(
        VG_IOC_REGISTRY,
        "HKEY_LOCAL_MACHINE\\SYSTEM\\CurrentControlSet\\Services\\AnyDesk",
        "hklm\\system\\currentcontrolset\\services\\anydesk");
    CHECK_NORM(VG_IOC_REGISTRY, "HKCU\\Software\\X|Run",
               "hkcu\\software\\x|run");
    CHECK_BAD(VG_IOC_REGISTRY, "SOFTWARE\\X");
    CHECK_NORM(VG_IOC_EMAIL, "Bad.Actor@Example.COM", "bad.actor@example.com");
    CHECK_BAD(VG_IOC_EMAIL, "no-at.example.com");
    CHECK_NORM(VG_IOC_PIPE, "\\\\.\\pipe\\MSSE-1234-server",
               "msse-1234-server");
    CHECK_NORM(VG_IOC_MUTEX, "Global\\MyMutex", "Global\\MyMutex");
    CHECK_NORM(VG_IOC_ANYDESK, "123 456 789", "123456789");
    CHECK_BAD(VG_IOC_ANYDESK, "12345678");
    CHECK_NORM(VG_IOC_RELAY, "Instance-ABC-Relay.ScreenConnect.com:443",
               "instance-abc-relay.screenconnect.com:443");
    CHECK_NORM(VG_IOC_RELAY, "[2001:db8::1]:8041", "[2001:db8::1]:8041");
    CHECK_NORM(VG_IOC_RELAY, "198.51.100.7", "198.51.100.7");
    CHECK_BAD(VG_IOC_RELAY, "relay.example.com:0");
    CHECK_BAD(VG_IOC_RELAY, "relay.example.com:70000");
}

static void
t_flags(void)
{
    char o[64];
    CHECK_EQ_INT(norm(VG_IOC_IPV4, "10.1.2.3", o, sizeof(o)), VG_IOC_F_PRIVATE);
    CHECK_EQ_INT(norm(VG_IOC_IPV4, "172.31.255.255", o, sizeof(o)),
                 VG_IOC_F_PRIVATE);
    CHECK_EQ_INT(norm(VG_IOC_IPV4, "172.32.0.1", o, sizeof(o)), 0);
    CHECK_EQ_INT(norm(VG_IOC_IPV4, "100.64.0.1", o, sizeof(o)),
                 VG_IOC_F_PRIVATE);
    CHECK_EQ_INT(norm(VG_IOC_IPV4, "127.0.0.1", o, sizeof(o)),
                 VG_IOC_F_PRIVATE);
    CHECK_EQ_INT(norm(VG_IOC_IPV4, "192.0.2.1", o, sizeof(o)),
                 VG_IOC_F_RESERVED);
    CHECK_EQ_INT(norm(VG_IOC_IPV4, "224.0.0.1", o, sizeof(o)),
                 VG_IOC_F_RESERVED);
    CHECK_EQ_INT(norm(VG_IOC_IPV4, "8.8.8.8", o, sizeof(o)), 0);
    CHECK_EQ_INT(norm(VG_IOC_CIDR4, "10.0.0.0/8", o, sizeof(o)),
                 VG_IOC_F_PRIVATE);
    CHECK_EQ_INT(norm(VG_IOC_CIDR4, "10.0.0.0/7", o, sizeof(o)), 0);
    CHECK_EQ_INT(norm(VG_IOC_IPV6, "::1", o, sizeof(o)), VG_IOC_F_PRIVATE);
    CHECK_EQ_INT(norm(VG_IOC_IPV6, "fd00::5", o, sizeof(o)), VG_IOC_F_PRIVATE);
    CHECK_EQ_INT(norm(VG_IOC_IPV6, "fe80::1", o, sizeof(o)), VG_IOC_F_PRIVATE);
    CHECK_EQ_INT(norm(VG_IOC_IPV6, "2001:db8::1", o, sizeof(o)),
                 VG_IOC_F_RESERVED);
    CHECK_EQ_INT(norm(VG_IOC_IPV6, "::ffff:192.168.1.1", o, sizeof(o)),
                 VG_IOC_F_PRIVATE);
    CHECK_EQ_INT(norm(VG_IOC_IPV6, "2606:4700::1111", o, sizeof(o)), 0);
}

static void
t_classify(void)
{
    static const struct {
        const char *v;
        enum vg_ioc_type t;
    } c[] = {
        {"8.8.8.8", VG_IOC_IPV4},
        {"2001:db8::1", VG_IOC_IPV6},
        {"10.0.0.0/8", VG_IOC_CIDR4},
        {"2001:db8::/32", VG_IOC_CIDR6},
        {"rs.tdsclinical.com", VG_IOC_DOMAIN},
        {"http://x.example.com/a", VG_IOC_URL},
        {"D41D8CD98F00B204E9800998ECF8427E", VG_IOC_MD5},
        {"da39a3ee5e6b4b0d3255bfef95601890afd80709", VG_IOC_SHA1},
        {"e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
         VG_IOC_SHA256},
        {"C:\\Program Files (x86)\\ScreenConnect Client (ab)\\x.exe",
         VG_IOC_FILEPATH},
        {"HKLM\\SYSTEM\\CurrentControlSet\\Services\\AnyDesk", VG_IOC_REGISTRY},
        {"bad@example.com", VG_IOC_EMAIL},
        {"123 456 789", VG_IOC_ANYDESK},
        {"test.xml", VG_IOC_FILENAME},
        {"relay.example.com:8041", VG_IOC_RELAY},
        {"hello world", VG_IOC_NONE},
        {"abcdef", VG_IOC_NONE},
    };
    for (size_t i = 0; i < VG_ARRAY_LEN(c); i++) {
        if (!CHECK_EQ_INT(vg_ioc_classify(c[i].v, strlen(c[i].v)), c[i].t)) {
            fprintf(stderr, "# value: %s\n", c[i].v);
        }
    }
}

static struct vg_ioc_store *
sample_store(void)
{
    struct vg_ioc_store *st = NULL;
    struct vg_ioc_src s;
    static const struct {
        enum vg_ioc_type t;
        const char *v;
        unsigned fl;
    } add[] = {
        {VG_IOC_MD5, "D41D8CD98F00B204E9800998ECF8427E", 0},
        {VG_IOC_SHA256,
         "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", 0},
        {VG_IOC_IPV4, "198.51.100.7", 0},
        {VG_IOC_CIDR4, "10.0.0.0/8", 0},
        {VG_IOC_CIDR4, "10.1.0.0/16", 0},
        {VG_IOC_CIDR4, "10.1.2.0/24", 0},
        {VG_IOC_CIDR4, "203.0.113.0/25", 0},
        {VG_IOC_IPV6, "2001:db8::1", 0},
        {VG_IOC_CIDR6, "2001:db8:abcd::/48", 0},
        {VG_IOC_DOMAIN, "tdsclinical.com", 0},
        {VG_IOC_URL, "http://evil.example.net/payload.bin", 0},
        {VG_IOC_FILENAME, "test.xml", 0},
        {VG_IOC_FILEPATH, "C:\\Windows\\Temp\\evil.exe", 0},
        {VG_IOC_FILEPATH,
         "C:\\Users\\*\\Documents\\ConnectWiseControl\\Temp\\*.exe", 0},
        {VG_IOC_FILEPATH,
         "\\\\ScreenConnect\\\\App_Extensions\\\\[^\\\\]{1,16}\\.as[ph]x$",
         VG_IOC_F_REGEX},
        {VG_IOC_RELAY, "relay.badco.example:8041", 0},
        {VG_IOC_RELAY, "198.51.100.9", 0},
        {VG_IOC_ACCOUNT, "svc_backup", 0},
        {VG_IOC_ANYDESK, "123456789", 0},
        {VG_IOC_PIPE, "msse-1234-server", 0},
        {VG_IOC_REGISTRY, "HKLM\\SOFTWARE\\BadCo", 0},
        {VG_IOC_EMAIL, "actor@example.org", 0},
    };
    if (vg_ioc_store_new(&st) != VG_OK) {
        return NULL;
    }
    vg_ioc_src_init(&s);
    s.feed = "unit";
    s.file = "sample";
    for (size_t i = 0; i < VG_ARRAY_LEN(add); i++) {
        s.line = i + 1;
        int rc = vg_ioc_add(st, add[i].t, add[i].v, strlen(add[i].v), add[i].fl,
                            NULL, &s, NULL);
        if (!CHECK_EQ_INT(rc, 0)) {
            fprintf(stderr, "# add %s\n", add[i].v);
        }
    }
    CHECK_EQ_INT(vg_ioc_store_seal(st), 0);
    return st;
}

static int
look(int (*fn)(const struct vg_ioc_store *, const char *, size_t, uint32_t *,
               size_t),
     const struct vg_ioc_store *st, const char *v, uint32_t *ids)
{
    return fn(st, v, strlen(v), ids, 8);
}

static const char *
val(const struct vg_ioc_store *st, uint32_t id)
{
    struct vg_ioc_info in;
    return vg_ioc_get(st, id, &in) == VG_OK ? in.value : "?";
}

static void
t_lookups(void)
{
    struct vg_ioc_store *st = sample_store();
    uint32_t ids[8];
    REQUIRE(st != NULL);
    CHECK_EQ_UINT(vg_ioc_count(st), 22);
    CHECK_EQ_INT(
        look(vg_ioc_lookup_hash, st, "d41d8cd98f00b204e9800998ecf8427e", ids),
        1);
    CHECK_EQ_STR(val(st, ids[0]), "d41d8cd98f00b204e9800998ecf8427e");
    CHECK_EQ_INT(
        look(vg_ioc_lookup_hash, st,
             "E3B0C44298FC1C149AFBF4C8996FB92427AE41E4649B934CA495991B7852B855",
             ids),
        1);
    CHECK_EQ_INT(
        look(vg_ioc_lookup_hash, st, "d41d8cd98f00b204e9800998ecf8427f", ids),
        0);
    CHECK_EQ_INT(look(vg_ioc_lookup_hash, st, "not a hash", ids), 0);
    static const uint8_t md5_bin[16] = {0xd4, 0x1d, 0x8c, 0xd9, 0x8f, 0x00,
                                        0xb2, 0x04, 0xe9, 0x80, 0x09, 0x98,
                                        0xec, 0xf8, 0x42, 0x7e};
    uint32_t did = 99;
    CHECK_EQ_INT(vg_ioc_lookup_digest(st, VG_IOC_MD5, md5_bin, &did), 1);
    CHECK_EQ_STR(val(st, did), "d41d8cd98f00b204e9800998ecf8427e");
    static const uint8_t sha1_bin[20] = {0xd4, 0x1d};
    CHECK_EQ_INT(vg_ioc_lookup_digest(st, VG_IOC_SHA1, sha1_bin, &did), 0);
    CHECK_RC(vg_ioc_lookup_digest(st, VG_IOC_IPV4, md5_bin, &did), VG_EINVAL);
    /* exact IPv4 and nested CIDRs, most specific first */
    CHECK_EQ_INT(look(vg_ioc_lookup_ip, st, "198.51.100.7", ids), 1);
    CHECK_EQ_INT(look(vg_ioc_lookup_ip, st, "198.51.100.8", ids), 0);
    CHECK_EQ_INT(look(vg_ioc_lookup_ip, st, "10.1.2.255", ids), 3);
    CHECK_EQ_STR(val(st, ids[0]), "10.1.2.0/24");
    CHECK_EQ_STR(val(st, ids[1]), "10.1.0.0/16");
    CHECK_EQ_STR(val(st, ids[2]), "10.0.0.0/8");
    CHECK_EQ_INT(look(vg_ioc_lookup_ip, st, "10.1.3.0", ids), 2);
    CHECK_EQ_STR(val(st, ids[0]), "10.1.0.0/16");
    CHECK_EQ_INT(look(vg_ioc_lookup_ip, st, "10.255.255.255", ids), 1);
    CHECK_EQ_INT(look(vg_ioc_lookup_ip, st, "11.0.0.0", ids), 0);
    CHECK_EQ_INT(look(vg_ioc_lookup_ip, st, "9.255.255.255", ids), 0);
    /* /25 boundaries */
    CHECK_EQ_INT(look(vg_ioc_lookup_ip, st, "203.0.113.0", ids), 1);
    CHECK_EQ_INT(look(vg_ioc_lookup_ip, st, "203.0.113.127", ids), 1);
    CHECK_EQ_INT(look(vg_ioc_lookup_ip, st, "203.0.113.128", ids), 0);
    CHECK_EQ_INT(look(vg_ioc_lookup_ip, st, "203.0.112.255", ids), 0);
    /* IPv6 */
    CHECK_EQ_INT(look(vg_ioc_lookup_ip, st, "2001:DB8:0::1", ids), 1);
    CHECK_EQ_INT(look(vg_ioc_lookup_ip, st,
                      "2001:db8:abcd:ffff:ffff:ffff:ffff:ffff", ids),
                 1);
    CHECK_EQ_STR(val(st, ids[0]), "2001:db8:abcd::/48");
    CHECK_EQ_INT(look(vg_ioc_lookup_ip, st, "2001:db8:abce::", ids), 0);
    CHECK_EQ_INT(look(vg_ioc_lookup_ip, st,
                      "2001:db8:abcc:ffff:ffff:ffff:ffff:ffff", ids),
                 0);
    CHECK_EQ_INT(look(vg_ioc_lookup_ip, st, "::ffff:198.51.100.7", ids), 1);
    /* domains and subdomains */
    CHECK_EQ_INT(look(vg_ioc_lookup_domain, st, "RS.tdsclinical.com.", ids), 1);
    CHECK_EQ_STR(val(st, ids[0]), "tdsclinical.com");
    CHECK_EQ_INT(look(vg_ioc_lookup_domain, st, "tdsclinical.com", ids), 1);
    CHECK_EQ_INT(look(vg_ioc_lookup_domain, st, "nottdsclinical.com", ids), 0);
    CHECK_EQ_INT(
        look(vg_ioc_lookup_domain, st, "tdsclinical.com.evil.org", ids), 0);
    /* URLs: exact, and by host */
    CHECK_EQ_INT(
        look(vg_ioc_lookup_url, st, "HTTP://EVIL.example.net/payload.bin", ids),
        1);
    CHECK_EQ_INT(
        look(vg_ioc_lookup_url, st, "https://a.rs.tdsclinical.com/x", ids), 1);
    CHECK_EQ_STR(val(st, ids[0]), "tdsclinical.com");
    CHECK_EQ_INT(look(vg_ioc_lookup_url, st, "http://198.51.100.7:8080/", ids),
                 1);
    /* paths: base name, literal, glob, regex */
    CHECK_EQ_INT(look(vg_ioc_lookup_path, st, "D:\\stage\\TEST.XML", ids), 1);
    CHECK_EQ_STR(val(st, ids[0]), "test.xml");
    CHECK_EQ_INT(
        look(vg_ioc_lookup_path, st, "c:\\windows\\temp\\EVIL.exe", ids), 1);
    CHECK_EQ_INT(
        look(vg_ioc_lookup_path, st,
             "C:\\Users\\bob\\Documents\\ConnectWiseControl\\Temp\\x.exe", ids),
        1);
    CHECK_EQ_INT(
        look(vg_ioc_lookup_path, st,
             "C:\\Users\\bob\\Documents\\ConnectWiseControl\\Temp\\x.dll", ids),
        0);
    CHECK_EQ_INT(look(vg_ioc_lookup_path, st,
                      "C:\\Program Files "
                      "(x86)\\ScreenConnect\\App_Extensions\\shell.aspx",
                      ids),
                 1);
    CHECK_EQ_INT(look(vg_ioc_lookup_path, st,
                      "C:\\Program Files "
                      "(x86)\\ScreenConnect\\App_Extensions\\shell.asmx",
                      ids),
                 0);
    /* relays: host:port, port-less entry, host as IP */
    CHECK_EQ_INT(vg_ioc_lookup_value(st, VG_IOC_RELAY,
                                     "relay.badco.example:8041", 24, ids, 8),
                 1);
    CHECK_EQ_INT(vg_ioc_lookup_value(st, VG_IOC_RELAY,
                                     "relay.badco.example:443", 23, ids, 8),
                 0);
    CHECK_EQ_INT(
        vg_ioc_lookup_value(st, VG_IOC_RELAY, "198.51.100.9:8041", 17, ids, 8),
        1);
    CHECK_EQ_INT(
        vg_ioc_lookup_value(st, VG_IOC_RELAY, "198.51.100.7:8041", 17, ids, 8),
        1);
    CHECK_EQ_STR(val(st, ids[0]), "198.51.100.7");
    CHECK_EQ_INT(
        vg_ioc_lookup_value(st, VG_IOC_ACCOUNT, "SVC_Backup", 10, ids, 8), 1);
    CHECK_EQ_INT(
        vg_ioc_lookup_value(st, VG_IOC_ANYDESK, "123 456 789", 11, ids, 8), 1);
    CHECK_EQ_INT(vg_ioc_lookup_any(st, "actor@EXAMPLE.org", 17, ids, 8), 1);
    CHECK_EQ_INT(vg_ioc_lookup_any(st, "hkey_local_machine\\software\\badco",
                                   33, ids, 8),
                 1);
    /* cap smaller than the hit count: count is still right */
    CHECK_EQ_INT(vg_ioc_lookup_ip(st, "10.1.2.3", 8, ids, 1), 3);
    vg_ioc_store_free(st);
}

struct hits {
    char got[1024];
    const struct vg_ioc_store *st;
};

static int
on_hit(void *arg, uint32_t id, size_t off, size_t len)
{
    struct hits *h = arg;
    size_t k = strlen(h->got);
    snprintf(h->got + k, sizeof(h->got) - k, "%s@%zu+%zu;", val(h->st, id), off,
             len);
    return 0;
}

static void
t_match_text(void)
{
    struct vg_ioc_store *st = sample_store();
    REQUIRE(st != NULL);
    struct hits h = {"", st};
    const char *txt =
        "cmd.exe /c copy \\\\host\\share\\Test.xml C:\\Windows\\Temp\\evil.exe "
        "&& net user svc_backup P@ss /add; curl http://a.tdsclinical.com/x "
        "198.51.100.7:443 md5=D41D8CD98F00B204E9800998ECF8427E "
        "svc_backupX 10.1.2.3";
    int n = vg_ioc_match_text(st, txt, strlen(txt), on_hit, &h);
    CHECK_EQ_STR(h.got,
                 "test.xml@29+8;c:\\windows\\temp\\evil.exe@38+24;"
                 "svc_backup@75+10;"
                 "tdsclinical.com@102+26;198.51.100.7@129+12;"
                 "d41d8cd98f00b204e9800998ecf8427e@150+32;"
                 "10.1.2.0/24@195+8;10.1.0.0/16@195+8;10.0.0.0/8@195+8;");
    CHECK_EQ_INT(n, 9);
    vg_ioc_store_free(st);
}

static void
t_merge(void)
{
    struct vg_ioc_store *st = NULL;
    struct vg_ioc_src a, b;
    struct vg_ioc_info in;
    struct vg_ioc_src got;
    uint32_t id1, id2;
    REQUIRE_RC(vg_ioc_store_new(&st), VG_OK);
    vg_ioc_src_init(&a);
    a.feed = "feed-a";
    a.line = 3;
    a.score = 40;
    a.tlp = VG_TLP_GREEN;
    a.first_seen = 1000;
    a.description = "first";
    vg_ioc_src_init(&b);
    b.feed = "feed-b";
    b.object_id = "indicator--1";
    b.score = 90;
    b.tlp = VG_TLP_AMBER;
    b.first_seen = 500;
    b.last_seen = 2000;
    CHECK_EQ_INT(vg_ioc_add(st, VG_IOC_DOMAIN, "Evil.Example.com", 16, 0, NULL,
                            &a, &id1),
                 0);
    CHECK_EQ_INT(vg_ioc_add(st, VG_IOC_DOMAIN, "evil.example.com.", 17, 0, NULL,
                            &b, &id2),
                 1);
    CHECK_EQ_UINT(id1, id2);
    CHECK_EQ_INT(
        vg_ioc_add(st, VG_IOC_DOMAIN, "bad domain", 10, 0, NULL, &b, NULL),
        VG_EFORMAT);
    CHECK_EQ_UINT(vg_ioc_count(st), 1);
    REQUIRE_RC(vg_ioc_get(st, id1, &in), VG_OK);
    CHECK_EQ_UINT(in.n_sources, 2);
    CHECK_EQ_INT(in.score, 90);
    CHECK_EQ_INT(in.tlp, VG_TLP_AMBER);
    CHECK_EQ_INT(in.first_seen, 500);
    CHECK_EQ_INT(in.last_seen, 2000);
    REQUIRE_RC(vg_ioc_get_src(st, id1, 0, &got), VG_OK);
    CHECK_EQ_STR(got.feed, "feed-a");
    CHECK_EQ_STR(got.description, "first");
    CHECK_EQ_UINT(got.line, 3);
    REQUIRE_RC(vg_ioc_get_src(st, id1, 1, &got), VG_OK);
    CHECK_EQ_STR(got.feed, "feed-b");
    CHECK_EQ_STR(got.object_id, "indicator--1");
    CHECK(got.description == NULL);
    CHECK_RC(vg_ioc_get_src(st, id1, 2, &got), VG_EINVAL);
    /* /32 is stored as the address */
    CHECK_EQ_INT(
        vg_ioc_add(st, VG_IOC_CIDR4, "192.0.2.1/32", 12, 0, NULL, NULL, &id2),
        0);
    REQUIRE_RC(vg_ioc_get(st, id2, &in), VG_OK);
    CHECK_EQ_INT(in.type, VG_IOC_IPV4);
    CHECK_EQ_STR(in.value, "192.0.2.1");
    CHECK_EQ_UINT(in.flags, VG_IOC_F_RESERVED);
    /* lookups refuse an unsealed store */
    uint32_t ids[2];
    CHECK_RC(vg_ioc_lookup_ip(st, "192.0.2.1", 9, ids, 2), VG_EINVAL);
    vg_ioc_store_free(st);
}

/* The sample store and its serialized bytes: where the file-format tests
 * start. */
struct saved {
    struct vg_ioc_store *st;
    struct vg_buf a;
};

static int
saved_begin(struct saved *sv)
{
    vg_buf_init(&sv->a, 1u << 24);
    sv->st = sample_store();
    if (!CHECK(sv->st != NULL)) {
        return VG_ENOMEM;
    }
    return vg_ioc_store_serialize(sv->st, &sv->a);
}

static void
saved_end(struct saved *sv)
{
    vg_buf_fini(&sv->a);
    vg_ioc_store_free(sv->st);
}

/* Return codes of one allocation-failure sweep: every one is VG_OK or
 * VG_ENOMEM, and both happen. */
struct tally {
    int ok, nomem, other;
};

static void
tally_add(struct tally *t, int rc)
{
    t->ok += rc == VG_OK;
    t->nomem += rc == VG_ENOMEM;
    t->other += rc != VG_OK && rc != VG_ENOMEM;
}

static void
tally_check(const struct tally *t)
{
    CHECK(t->ok > 0);
    CHECK(t->nomem > 0);
    CHECK_EQ_INT(t->other, 0);
}

static void
t_roundtrip(void)
{
    struct saved sv;
    struct vg_ioc_store *back = NULL;
    struct vg_buf b;
    struct vg_diag d;
    vg_buf_init(&b, 1u << 24);
    REQUIRE_RC(saved_begin(&sv), VG_OK);
    REQUIRE_RC(vg_ioc_store_load_mem(sv.a.data, sv.a.len, &back, &d), VG_OK);
    CHECK_EQ_UINT(vg_ioc_count(back), vg_ioc_count(sv.st));
    REQUIRE_RC(vg_ioc_store_serialize(back, &b), VG_OK);
    CHECK_EQ_MEM(sv.a.data, sv.a.len, b.data, b.len);
    uint32_t ids[8];
    CHECK_EQ_INT(vg_ioc_lookup_ip(back, "10.1.2.3", 8, ids, 8), 3);
    CHECK_EQ_INT(vg_ioc_lookup_domain(back, "x.rs.tdsclinical.com", 20, ids, 8),
                 1);
    CHECK_EQ_INT(vg_ioc_lookup_path(
                     back,
                     "C:\\Program Files\\ScreenConnect\\App_Extensions\\a.ashx",
                     52, ids, 8),
                 1);
    struct vg_ioc_src s;
    REQUIRE_RC(vg_ioc_get_src(back, ids[0], 0, &s), VG_OK);
    CHECK_EQ_STR(s.feed, "unit");
    CHECK_EQ_UINT(s.line, 15);

    /* file round trip through save/load */
    char path[] = "/tmp/vg_ioc_test_XXXXXX";
    int fd = mkstemp(path);
    REQUIRE(fd >= 0);
    close(fd);
    vg_ioc_store_free(back);
    back = NULL;
    CHECK_RC(vg_ioc_store_save(sv.st, path, &d), VG_OK);
    CHECK_RC(vg_ioc_store_load(path, &back, &d), VG_OK);
    CHECK_EQ_UINT(back != NULL ? vg_ioc_count(back) : 0, 22);
    vg_ioc_store_free(back);
    back = NULL;
    /* --iocs FILE|STORE: a store loads, a feed is imported */
    CHECK_RC(vg_ioc_store_open(path, NULL, NULL, &back, &d), VG_OK);
    CHECK_EQ_UINT(back != NULL ? vg_ioc_count(back) : 0, 22);
    vg_ioc_store_free(back);
    back = NULL;
    FILE *f = fopen(path, "w");
    REQUIRE(f != NULL);
    fputs("evil.example\n198.51.100.0/24\n", f);
    fclose(f);
    CHECK_RC(vg_ioc_store_open(path, NULL, NULL, &back, &d), VG_OK);
    CHECK_EQ_UINT(back != NULL ? vg_ioc_count(back) : 0, 2);
    uint32_t one[2];
    CHECK_EQ_INT(back != NULL
                     ? vg_ioc_lookup_ip(back, "198.51.100.200", 14, one, 2)
                     : -1,
                 1);
    vg_ioc_store_free(back);
    back = NULL;
    CHECK_RC(vg_ioc_store_open("/nonexistent/x.vgs", NULL, NULL, &back, &d),
             VG_ENOTFOUND);
    unlink(path);
    vg_ioc_store_free(back);
    vg_buf_fini(&b);
    saved_end(&sv);
}

static void
put_u32(char *p, uint32_t v)
{
    for (int i = 0; i < 4; i++) {
        p[i] = (char)(uint8_t)(v >> (8 * i));
    }
}

static void
t_corrupt(void)
{
    struct saved sv;
    struct vg_ioc_store *back = NULL;
    struct vg_diag d;
    REQUIRE_RC(saved_begin(&sv), VG_OK);
    char *copy = malloc(sv.a.len);
    REQUIRE(copy != NULL);

    /* every single-byte flip in the file is rejected, never loaded */
    size_t rejected = 0;
    for (size_t i = 0; i < sv.a.len; i++) {
        memcpy(copy, sv.a.data, sv.a.len);
        copy[i] = (char)(copy[i] ^ 0x5a);
        if (vg_ioc_store_load_mem(copy, sv.a.len, &back, &d) != VG_OK) {
            rejected++;
        }
        vg_ioc_store_free(back);
        back = NULL;
    }
    CHECK_EQ_UINT(rejected, sv.a.len);

    /* truncation */
    CHECK_RC(vg_ioc_store_load_mem(sv.a.data, sv.a.len - 1, &back, &d),
             VG_EFORMAT);
    CHECK(strstr(d.msg, "file size does not match") != NULL);
    CHECK_EQ_UINT(d.offset, 48);
    CHECK_RC(vg_ioc_store_load_mem(sv.a.data, 10, &back, &d), VG_EFORMAT);
    CHECK_RC(
        vg_ioc_store_load_mem("not a store at all, really not", 30, &back, &d),
        VG_EFORMAT);
    CHECK(strstr(d.msg, "bad magic") != NULL);
    /* a body change with a recomputed size but stale CRC */
    memcpy(copy, sv.a.data, sv.a.len);
    copy[70] ^= 1;
    CHECK_RC(vg_ioc_store_load_mem(copy, sv.a.len, &back, &d), VG_EFORMAT);
    CHECK(strstr(d.msg, "checksum mismatch") != NULL);
    /* newer version */
    memcpy(copy, sv.a.data, sv.a.len);
    put_u32(copy + 8, 2);
    CHECK_RC(vg_ioc_store_load_mem(copy, sv.a.len, &back, &d),
             VG_EUNSUPPORTED);
    CHECK(back == NULL);
    free(copy);
    saved_end(&sv);
}

static void
t_empty_store(void)
{
    struct vg_ioc_store *st = NULL, *back = NULL;
    struct vg_buf a;
    struct vg_diag d;
    uint32_t ids[2];
    REQUIRE_RC(vg_ioc_store_new(&st), VG_OK);
    CHECK_EQ_INT(vg_ioc_store_seal(st), 0);
    CHECK_EQ_INT(vg_ioc_lookup_ip(st, "1.2.3.4", 7, ids, 2), 0);
    CHECK_EQ_INT(
        vg_ioc_lookup_hash(st, "d41d8cd98f00b204e9800998ecf8427e", 32, ids, 2),
        0);
    CHECK_EQ_INT(vg_ioc_match_text(st, "x 1.2.3.4 y", 11, NULL, NULL), 0);
    vg_buf_init(&a, 1u << 20);
    REQUIRE_RC(vg_ioc_store_serialize(st, &a), VG_OK);
    CHECK_EQ_UINT(a.len, 65);
    CHECK_RC(vg_ioc_store_load_mem(a.data, a.len, &back, &d), VG_OK);
    CHECK_EQ_UINT(back != NULL ? vg_ioc_count(back) : 99, 0);
    vg_ioc_store_free(back);
    vg_buf_fini(&a);
    vg_ioc_store_free(st);
}

static void
t_names(void)
{
    for (int t = 1; t < VG_IOC_TYPE_COUNT; t++) {
        const char *n = vg_ioc_type_name((enum vg_ioc_type)t);
        CHECK_EQ_INT(vg_ioc_type_parse(n, strlen(n)), t);
    }
    CHECK(vg_ioc_type_name(VG_IOC_TYPE_COUNT) == NULL);
    CHECK_EQ_INT(vg_ioc_type_parse("hostname", 8), VG_IOC_DOMAIN);
    CHECK_EQ_INT(vg_tlp_parse("TLP:WHITE", 9), VG_TLP_CLEAR);
    CHECK_EQ_INT(vg_tlp_parse("amber+strict", 12), VG_TLP_AMBER_STRICT);
    CHECK_EQ_INT(vg_tlp_parse("purple", 6), VG_TLP_NONE);
    enum vg_ioc_format f;
    CHECK_RC(vg_ioc_format_parse("loki-c2", &f), VG_OK);
    CHECK_EQ_INT(f, VG_IOC_FMT_LOKI_C2);
    CHECK_RC(vg_ioc_format_parse("xml", &f), VG_EINVAL);
}

/* Every allocation failure during load, import and seal gives VG_ENOMEM
 * (or succeeds), never a crash or a leak (ASan checks the leaks). */
static void
t_alloc_failures(void)
{
    struct saved sv;
    struct vg_ioc_store *back = NULL;
    struct vg_diag d;
    REQUIRE_RC(saved_begin(&sv), VG_OK);
    struct tally load = {0}, import = {0};
    for (long k = 0; k < 400; k++) {
        vg_alloc_fail_after(k);
        int rc = vg_ioc_store_load_mem(sv.a.data, sv.a.len, &back, &d);
        vg_alloc_fail_after(-1);
        tally_add(&load, rc);
        vg_ioc_store_free(back);
        back = NULL;
    }
    tally_check(&load);

    static const char feed[] =
        "evil.example\n10.0.0.0/8\n44d88612fea8a8f36de82e1278abb02f\n"
        "C:\\Windows\\Temp\\x.exe\nhxxp://a[.]example/x\n";
    for (long k = 0; k < 200; k++) {
        struct vg_ioc_store *s2 = NULL;
        struct vg_ioc_import_stats stats;
        memset(&stats, 0, sizeof(stats));
        vg_alloc_fail_after(k);
        int rc = vg_ioc_store_new(&s2);
        if (rc == VG_OK) {
            rc = vg_ioc_import_mem(s2, "f.txt", feed, strlen(feed), NULL,
                                   &stats, &d);
        }
        if (rc == VG_OK) {
            rc = vg_ioc_store_seal(s2);
        }
        vg_alloc_fail_after(-1);
        tally_add(&import, rc);
        vg_ioc_store_free(s2);
    }
    tally_check(&import);
    saved_end(&sv);
}

static const struct vg_test tests[] = {
    T(t_normalize),   T(t_flags), T(t_classify),       T(t_lookups),
    T(t_match_text),  T(t_merge), T(t_roundtrip),      T(t_corrupt),
    T(t_empty_store), T(t_names), T(t_alloc_failures),
};

int
main(int argc, char **argv)
{
    return vg_test_main(argc, argv, tests, VG_ARRAY_LEN(tests));
}
