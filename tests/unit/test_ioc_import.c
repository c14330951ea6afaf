/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test_ioc_import.c - every importer on hand-made fixtures (embedded here):
 * defanged free text, IPv6 forms, CIDR, upper-case hashes, comments, Loki
 * lists, CSV header detection/quoting/column mapping, STIX AND/OR and
 * unsupported forms, MISP composite types and to_ids, malformed entries,
 * the exclusion list and format detection. Counts and values are exact.
 */
#include <stdio.h>
#include <string.h>

#include "vg_test.h"
#include "vigil/finding.h"
#include "vigil/ioc.h"

struct issues {
    char text[4096];
    unsigned n;
};

static void
on_issue(void *arg, enum vg_ioc_issue_kind k, const struct vg_diag *d)
{
    static const char *const kn[] = {"E", "U", "S", "N"};
    struct issues *is = arg;
    size_t len = strlen(is->text);
    if (d->line != VG_DIAG_NONE) {
        snprintf(is->text + len, sizeof(is->text) - len, "%s:%llu:%s\n", kn[k],
                 (unsigned long long)d->line, d->msg);
    } else {
        snprintf(is->text + len, sizeof(is->text) - len, "%s:%s\n", kn[k],
                 d->msg);
    }
    is->n++;
}

struct run {
    struct vg_ioc_store *st;
    struct vg_ioc_import_stats stats;
    struct issues is;
    struct vg_diag d;
    int rc;
};

static void
import(struct run *r, const char *path, const char *data, enum vg_ioc_format f,
       struct vg_ioc_import_opts *o)
{
    struct vg_ioc_import_opts def;
    memset(&r->stats, 0, sizeof(r->stats));
    memset(&r->is, 0, sizeof(r->is));
    if (r->st == NULL && vg_ioc_store_new(&r->st) != VG_OK) {
        r->rc = VG_ENOMEM;
        return;
    }
    if (o == NULL) {
        vg_ioc_import_opts_init(&def);
        o = &def;
    }
    o->format = f;
    o->on_issue = on_issue;
    o->issue_arg = &r->is;
    r->rc =
        vg_ioc_import_mem(r->st, path, data, strlen(data), o, &r->stats, &r->d);
    if (r->rc == VG_OK && vg_ioc_store_seal(r->st) < 0) {
        r->rc = VG_EINTERNAL;
    }
}

/* What the last import added, "type:count" for every type with a count,
 * in type order: one exact string pins every type, so a type the test
 * does not name must have added nothing. */
static const char *
added(const struct run *r)
{
    static char buf[512];
    size_t n = 0;

    buf[0] = '\0';
    for (int t = 1; t < VG_IOC_TYPE_COUNT && n < sizeof(buf); t++) {
        if (r->stats.added[t] != 0) {
            int k = snprintf(buf + n, sizeof(buf) - n, "%s%s:%llu",
                             n > 0 ? " " : "",
                             vg_ioc_type_name((enum vg_ioc_type)t),
                             (unsigned long long)r->stats.added[t]);
            n += k > 0 ? (size_t)k : 0;
        }
    }
    return buf;
}

static int
has(const struct vg_ioc_store *st, enum vg_ioc_type t, const char *v,
    unsigned *flags)
{
    for (uint32_t i = 0; i < vg_ioc_count(st); i++) {
        struct vg_ioc_info in;
        if (vg_ioc_get(st, i, &in) == VG_OK && in.type == t &&
            strcmp(in.value, v) == 0) {
            if (flags != NULL) {
                *flags = in.flags;
            }
            return 1;
        }
    }
    fprintf(stderr, "# missing %s %s\n", vg_ioc_type_name(t), v);
    return 0;
}

static const struct vg_ioc_src *
src0(const struct vg_ioc_store *st, enum vg_ioc_type t, const char *v,
     struct vg_ioc_src *s)
{
    for (uint32_t i = 0; i < vg_ioc_count(st); i++) {
        struct vg_ioc_info in;
        if (vg_ioc_get(st, i, &in) == VG_OK && in.type == t &&
            strcmp(in.value, v) == 0 && vg_ioc_get_src(st, i, 0, s) == VG_OK) {
            return s;
        }
    }
    return NULL;
}

static const char text_fixture[] =
    "# HC3-style alert pasted\n"
    "The actor used rs.tdsclinical[.]com and "
    "hxxps://evil-site[.]example/dl/payload.bin\n"
    "Contact: actor[at]badmail[.]example  or  actor[@]badmail(.)example\r\n"
    "C2: 203.0.113[.]50:8041 and 198[.]51[.]100[.]23\n"
    "IPv6: 2001:db8:0:0::dead:beef and [fe80::1]\n"
    "Internal: 10.20.30.40, 192.168.1.0/24\n"
    "\n"
    "Hash: 44D88612FEA8A8F36DE82E1278ABB02F\n"
    "sha1 3395856CE81F2B7382DEE72602F798B642F14140\n"
    "// paths and names\n"
    "C:\\Program Files (x86)\\ScreenConnect Client "
    "(0123456789abcdef)\\ScreenConnect.ClientService.exe\n"
    "HKLM\\SYSTEM\\CurrentControlSet\\Services\\AnyDesk\n"
    "123 456 789\n"
    "hxxp://198.51.100.23/a.exe\n"
    "nothing useful here\n"
    "evil{.}example\n";

static void
t_text(void)
{
    struct run r = {0};
    unsigned fl = 0;
    struct vg_ioc_src s;
    import(&r, "alert.txt", text_fixture, VG_IOC_FMT_AUTO, NULL);
    REQUIRE_RC(r.rc, VG_OK);
    CHECK_EQ_INT(r.stats.format, VG_IOC_FMT_TEXT);
    CHECK_EQ_STR(added(&r),
                 "ipv4:3 ipv6:2 cidr4:1 domain:2 url:2 md5:1 sha1:1 file-path:1 registry:1 email:1 anydesk-id:1");
    CHECK_EQ_UINT(r.stats.merged, 1);
    CHECK_EQ_UINT(vg_ioc_count(r.st), 16);
    CHECK_EQ_UINT(r.stats.issues[VG_IOC_ISSUE_SKIPPED], 1);
    CHECK_EQ_STR(r.is.text, "S:15:no indicator in line\n");
    CHECK(has(r.st, VG_IOC_DOMAIN, "rs.tdsclinical.com", NULL));
    CHECK(has(r.st, VG_IOC_DOMAIN, "evil.example", NULL));
    CHECK(has(r.st, VG_IOC_URL, "https://evil-site.example/dl/payload.bin",
              NULL));
    CHECK(has(r.st, VG_IOC_URL, "http://198.51.100.23/a.exe", NULL));
    CHECK(has(r.st, VG_IOC_EMAIL, "actor@badmail.example", NULL));
    CHECK(has(r.st, VG_IOC_IPV4, "203.0.113.50", &fl));
    CHECK_EQ_UINT(fl, VG_IOC_F_RESERVED);
    CHECK(has(r.st, VG_IOC_IPV4, "198.51.100.23", NULL));
    CHECK(has(r.st, VG_IOC_IPV4, "10.20.30.40", &fl));
    CHECK_EQ_UINT(fl, VG_IOC_F_PRIVATE);
    CHECK(has(r.st, VG_IOC_IPV6, "2001:db8::dead:beef", NULL));
    CHECK(has(r.st, VG_IOC_IPV6, "fe80::1", &fl));
    CHECK_EQ_UINT(fl, VG_IOC_F_PRIVATE);
    CHECK(has(r.st, VG_IOC_CIDR4, "192.168.1.0/24", &fl));
    CHECK_EQ_UINT(fl, VG_IOC_F_PRIVATE);
    CHECK(has(r.st, VG_IOC_MD5, "44d88612fea8a8f36de82e1278abb02f", NULL));
    CHECK(has(r.st, VG_IOC_SHA1, "3395856ce81f2b7382dee72602f798b642f14140",
              NULL));
    CHECK(has(r.st, VG_IOC_FILEPATH,
              "c:\\program files (x86)\\screenconnect client (0123456789abcdef)"
              "\\screenconnect.clientservice.exe",
              NULL));
    CHECK(has(r.st, VG_IOC_REGISTRY,
              "hklm\\system\\currentcontrolset\\services\\anydesk", NULL));
    CHECK(has(r.st, VG_IOC_ANYDESK, "123456789", NULL));
    REQUIRE(src0(r.st, VG_IOC_DOMAIN, "rs.tdsclinical.com", &s) != NULL);
    CHECK_EQ_STR(s.description, "HC3-style alert pasted");
    CHECK_EQ_STR(s.feed, "alert.txt");
    CHECK_EQ_STR(s.file, "alert.txt");
    CHECK_EQ_UINT(s.line, 2);
    REQUIRE(src0(r.st, VG_IOC_ANYDESK, "123456789", &s) != NULL);
    CHECK_EQ_STR(s.description, "paths and names");
    CHECK_EQ_UINT(s.line, 13);
    vg_ioc_store_free(r.st);
}

static void
t_text_edges(void)
{
    struct run r = {0};
    import(
        &r, "edges.txt",
        "see http://x.example/ and http://y.example/a/. also 203.0.113.9:8041\n"
        "relay.example:8041\n"
        "(C:\\Windows\\Temp\\drop.exe), \"evil.example\";\n",
        VG_IOC_FMT_TEXT, NULL);
    REQUIRE_RC(r.rc, VG_OK);
    CHECK(has(r.st, VG_IOC_URL, "http://x.example/", NULL));
    CHECK(has(r.st, VG_IOC_URL, "http://y.example/a/", NULL));
    CHECK(has(r.st, VG_IOC_IPV4, "203.0.113.9", NULL));
    CHECK(has(r.st, VG_IOC_DOMAIN, "relay.example", NULL));
    CHECK(has(r.st, VG_IOC_FILEPATH, "c:\\windows\\temp\\drop.exe", NULL));
    CHECK(has(r.st, VG_IOC_DOMAIN, "evil.example", NULL));
    CHECK_EQ_UINT(vg_ioc_count(r.st), 6);
    vg_ioc_store_free(r.st);
}

static void
t_refang(void)
{
    struct vg_buf b;
    static const char *const in[][2] = {
        {"hxxps://a[.]b(.)c{.}d[dot]e(dot)f/x", "https://a.b.c.d.e.f/x"},
        {"hXXp://1.2.3[.]4[:]80", "HTTP://1.2.3.4:80"},
        {"user[at]x[.]com user[@]y(.)org user(at)z{.}net",
         "user@x.com user@y.org user@z.net"},
        {"evil[://]x", "evil://x"},
        {"no change [x] (y)", "no change [x] (y)"},
        {"shxxp://keep", "shxxp://keep"},
    };
    vg_buf_init(&b, 4096);
    for (size_t i = 0; i < VG_ARRAY_LEN(in); i++) {
        vg_buf_reset(&b);
        CHECK_RC(vg_ioc_refang(in[i][0], strlen(in[i][0]), &b), VG_OK);
        CHECK_EQ_STR(b.data, in[i][1]);
    }
    vg_buf_fini(&b);
}

static const char loki_hash[] =
    "# Loki hash list\n"
    "44D88612FEA8A8F36DE82E1278ABB02F;EICAR test file\n"
    "3395856ce81f2b7382dee72602f798b642f14140;EICAR SHA1\n"
    "275A021BBFB6489E54D471899F7DB9D1663FC695EC2FE2A2C4538AABF651FD0F;EICAR "
    "SHA256\n"
    "nothex;bad\n"
    "\n"
    "0123456789abcdef0123456789abcdef01234567;85;THOR style; with score\n"
    "44d88612fea8a8f36de82e1278abb02f;duplicate in lower case\n";

static const char loki_filename[] =
    "# ScreenConnect web shells\n"
    "\\\\ScreenConnect\\\\App_Extensions\\\\[^\\\\]{1,16}\\.as[ph]x$;80\n"
    "# procdump outside SysInternals\n"
    "(?i)\\\\procdump(64)?(a)?\\.(exe|zip);50;(?i)(SysInternals\\\\)\n"
    "broken line without score\n"
    "[unclosed;60\n";

static const char loki_c2[] = "# C2 list\n"
                              "evil-c2.example\n"
                              "203.0.113.77;90\n"
                              "2001:db8::77\n"
                              "not a host!\n"
                              "bad.zip\n";

static void
t_loki(void)
{
    struct run r = {0};
    struct vg_ioc_src s;
    uint32_t ids[4];
    import(&r, "x/hash-iocs.txt", loki_hash, VG_IOC_FMT_AUTO, NULL);
    REQUIRE_RC(r.rc, VG_OK);
    CHECK_EQ_INT(r.stats.format, VG_IOC_FMT_LOKI_HASH);
    CHECK_EQ_STR(added(&r), "md5:1 sha1:2 sha256:1");
    CHECK_EQ_UINT(r.stats.merged, 1);
    CHECK_EQ_STR(r.is.text, "E:5:not an MD5, SHA-1 or SHA-256 hash\n");
    REQUIRE(src0(r.st, VG_IOC_MD5, "44d88612fea8a8f36de82e1278abb02f", &s) !=
            NULL);
    CHECK_EQ_STR(s.description, "EICAR test file");
    CHECK_EQ_INT(s.score, -1); /* HASH;COMMENT has no score */
    /* HASH;SCORE;COMMENT: the score is taken, the comment keeps its ';' */
    REQUIRE(src0(r.st, VG_IOC_SHA1, "0123456789abcdef0123456789abcdef01234567",
                 &s) != NULL);
    CHECK_EQ_INT(s.score, 85);
    CHECK_EQ_STR(s.description, "THOR style; with score");

    import(&r, "x/filename-iocs.txt", loki_filename, VG_IOC_FMT_AUTO, NULL);
    REQUIRE_RC(r.rc, VG_OK);
    CHECK_EQ_INT(r.stats.format, VG_IOC_FMT_LOKI_FILENAME);
    CHECK_EQ_STR(added(&r), "file-path:3");
    CHECK_EQ_STR(r.is.text,
                 "E:5:expected REGEX;SCORE[;FALSE_POSITIVE_REGEX]\n");
    REQUIRE(src0(r.st, VG_IOC_FILEPATH, "(?i)\\\\procdump(64)?(a)?\\.(exe|zip)",
                 &s) != NULL);
    CHECK_EQ_INT(s.score, 50);
    CHECK_EQ_STR(s.description, "procdump outside SysInternals");
    CHECK_EQ_INT(
        vg_ioc_lookup_path(r.st, "C:\\Tools\\ProcDump64.exe", 23, ids, 4), 1);
    CHECK_EQ_INT(
        vg_ioc_lookup_path(r.st, "C:\\SysInternals\\procdump.exe", 28, ids, 4),
        0);
    CHECK_EQ_INT(vg_ioc_lookup_path(r.st,
                                    "C:\\ScreenConnect\\App_Extensions\\x.ashx",
                                    38, ids, 4),
                 1);
    /* the regex that does not compile is kept but counted by seal */
    struct vg_ioc_store *st = r.st;
    CHECK_EQ_UINT(vg_ioc_count_type(st, VG_IOC_FILEPATH), 3);

    import(&r, "x/c2-iocs.txt", loki_c2, VG_IOC_FMT_AUTO, NULL);
    REQUIRE_RC(r.rc, VG_OK);
    CHECK_EQ_INT(r.stats.format, VG_IOC_FMT_LOKI_C2);
    CHECK_EQ_STR(added(&r), "ipv4:1 ipv6:1 domain:2");
    CHECK_EQ_STR(r.is.text, "E:5:not a domain, IP address, CIDR or URL\n");
    REQUIRE(src0(r.st, VG_IOC_IPV4, "203.0.113.77", &s) != NULL);
    CHECK_EQ_INT(s.score, 90);
    CHECK_EQ_STR(s.description, "C2 list");
    CHECK(has(r.st, VG_IOC_DOMAIN, "bad.zip", NULL));
    vg_ioc_store_free(r.st);
}

static const char csv1[] =
    "Type,Value,Description,Score,TLP,First_Seen\n"
    "ip,203.0.113.5,\"C2, primary\",80,amber,2023-10-28\n"
    "domain,rs.tdsclinical[.]com,vendor host,70,clear,2023-10-28\n"
    "FileSha256,"
    "E3B0C44298FC1C149AFBF4C8996FB92427AE41E4649B934CA495991B7852B855,\"quoted "
    "\"\"name\"\"\",,green,\n"
    "mutex,Global\\SC_Mutex,,,,\n"
    "ssdeep,3:abc:def,,,,\n"
    "domain,multi.example,\"two\n"
    "line description\",10,,\n"
    "ip,,empty,,,\n"
    "domain,\"oops.example,x\n";

static void
t_csv(void)
{
    struct run r = {0};
    struct vg_ioc_src s;
    struct vg_ioc_info in;
    import(&r, "feed.csv", csv1, VG_IOC_FMT_AUTO, NULL);
    REQUIRE_RC(r.rc, VG_OK);
    CHECK_EQ_INT(r.stats.format, VG_IOC_FMT_CSV);
    CHECK_EQ_STR(added(&r), "ipv4:1 domain:2 sha256:1 mutex:1");
    CHECK_EQ_UINT(vg_ioc_count(r.st), 5);
    CHECK_EQ_STR(r.is.text,
                 "U:6:unsupported indicator type 'ssdeep'\n"
                 "S:9:no value in row\n"
                 "E:10:unterminated quoted field (rest of file ignored)\n");
    REQUIRE(src0(r.st, VG_IOC_IPV4, "203.0.113.5", &s) != NULL);
    CHECK_EQ_STR(s.description, "C2, primary");
    CHECK_EQ_INT(s.score, 80);
    CHECK_EQ_INT(s.tlp, VG_TLP_AMBER);
    CHECK_EQ_INT(s.first_seen, 1698451200000000LL);
    CHECK_EQ_UINT(s.line, 2);
    REQUIRE(
        src0(r.st, VG_IOC_SHA256,
             "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
             &s) != NULL);
    CHECK_EQ_STR(s.description, "quoted \"name\"");
    REQUIRE(src0(r.st, VG_IOC_DOMAIN, "multi.example", &s) != NULL);
    CHECK_EQ_STR(s.description, "two\nline description");
    CHECK_EQ_UINT(s.line, 7);
    CHECK(has(r.st, VG_IOC_MUTEX, "Global\\SC_Mutex", NULL));
    CHECK_RC(vg_ioc_get(r.st, 1, &in), VG_OK);
    CHECK_EQ_STR(in.value, "rs.tdsclinical.com");
    CHECK_EQ_INT(in.tlp, VG_TLP_CLEAR);
    vg_ioc_store_free(r.st);

    /* no header, ';' delimiter: value then description */
    struct run r2 = {0};
    import(&r2, "list.csv", "evil.example;first\n198.51.100.1;second\n",
           VG_IOC_FMT_CSV, NULL);
    REQUIRE_RC(r2.rc, VG_OK);
    CHECK_EQ_STR(added(&r2), "ipv4:1 domain:1");
    REQUIRE(src0(r2.st, VG_IOC_IPV4, "198.51.100.1", &s) != NULL);
    CHECK_EQ_STR(s.description, "second");
    vg_ioc_store_free(r2.st);

    /* column mapping by option, tab delimiter, typed columns by header */
    struct run r3 = {0};
    struct vg_ioc_import_opts o;
    vg_ioc_import_opts_init(&o);
    o.csv_header = 0;
    o.csv_value_col = 2;
    o.csv_type_col = 0;
    o.csv_desc_col = 1;
    import(&r3, "map.tsv",
           "sha1\tEICAR\t3395856ce81f2b7382dee72602f798b642f14140\n"
           "anydesk-id\tsupport ID\t987654321\n",
           VG_IOC_FMT_CSV, &o);
    REQUIRE_RC(r3.rc, VG_OK);
    CHECK_EQ_STR(added(&r3), "sha1:1 anydesk-id:1");
    REQUIRE(src0(r3.st, VG_IOC_ANYDESK, "987654321", &s) != NULL);
    CHECK_EQ_STR(s.description, "support ID");
    import(&r3, "typed.csv",
           "filename,sha256,md5\n"
           "test.xml,,44d88612fea8a8f36de82e1278abb02f\n",
           VG_IOC_FMT_CSV, NULL);
    CHECK_EQ_STR(added(&r3), "md5:1 file-name:1");
    CHECK_EQ_UINT(vg_ioc_count(r3.st), 4);
    vg_ioc_store_free(r3.st);
}

static const char stix1[] =
    "{\"type\":\"bundle\",\"id\":\"bundle--1\",\"objects\":[\n"
    "{\"type\":\"marking-definition\",\"id\":\"marking-definition--aaaa\","
    "\"definition_type\":\"tlp\",\"definition\":{\"tlp\":\"amber\"}},\n"
    "{\"type\":\"indicator\",\"id\":\"indicator--01\",\"pattern_type\":"
    "\"stix\",\"pattern\":\"[ipv4-addr:value = '198.51.100.1' OR "
    "ipv4-addr:value = "
    "'203.0.113.0/"
    "24']\",\"valid_from\":\"2023-10-28T00:00:00Z\",\"confidence\":85,"
    "\"indicator_types\":[\"malicious-activity\",\"attribution\"],\"object_"
    "marking_refs\":[\"marking-definition--34098fce-860f-48ae-8e50-"
    "ebd3cc5e41da\"],\"name\":\"C2 addresses\"},\n"
    "{\"type\":\"indicator\",\"id\":\"indicator--02\",\"pattern_type\":"
    "\"stix\",\"pattern\":\"[file:hashes.'SHA-256' = "
    "'E3B0C44298FC1C149AFBF4C8996FB92427AE41E4649B934CA495991B7852B855' AND "
    "file:name = "
    "'test.xml']\",\"object_marking_refs\":[\"marking-definition--aaaa\"]},\n"
    "{\"type\":\"indicator\",\"id\":\"indicator--03\",\"pattern\":\"[file:"
    "hashes.MD5 = '44d88612fea8a8f36de82e1278abb02f' AND file:size = 68]\"},\n"
    "{\"type\":\"indicator\",\"id\":\"indicator--04\",\"pattern\":\"[domain-"
    "name:value = 'rs.tdsclinical.com'] FOLLOWEDBY "
    "[network-traffic:dst_ref.value = '203.0.113.9'] WITHIN 300 SECONDS\"},\n"
    "{\"type\":\"indicator\",\"id\":\"indicator--05\",\"pattern\":\"[process:"
    "command_line LIKE '%msbuild%']\"},\n"
    "{\"type\":\"indicator\",\"id\":\"indicator--06\",\"pattern\":\"[ipv4-addr:"
    "value = '1.2.3.4'\"},\n"
    "{\"type\":\"indicator\",\"id\":\"indicator--07\",\"pattern_type\":"
    "\"sigma\",\"pattern\":\"title: x\"},\n"
    "{\"type\":\"indicator\",\"id\":\"indicator--08\",\"pattern\":\"([url:"
    "value = 'http://evil.example/x'] OR [email-addr:value IN "
    "('a@evil.example', 'b@evil.example')])\"},\n"
    "{\"type\":\"indicator\",\"id\":\"indicator--09\",\"pattern\":\"[file:name "
    "MATCHES '^evil[0-9]+\\\\\\\\.exe$']\"},\n"
    "{\"type\":\"ipv6-addr\",\"id\":\"ipv6-addr--10\",\"value\":\"2001:DB8::"
    "10\"},\n"
    "{\"type\":\"observed-data\",\"id\":\"observed-data--11\",\"objects\":{"
    "\"0\":{\"type\":\"domain-name\",\"value\":\"observed.example\"},\"1\":{"
    "\"type\":\"file\",\"hashes\":{\"SHA-1\":"
    "\"3395856CE81F2B7382DEE72602F798B642F14140\",\"SSDEEP\":\"3:x:y\"}},\"2\":"
    "{\"type\":\"process\",\"pid\":4}}},\n"
    "{\"type\":\"malware\",\"id\":\"malware--12\",\"name\":\"x\"},\n"
    "{\"type\":\"indicator\",\"id\":\"indicator--13\",\"revoked\":true,"
    "\"pattern\":\"[domain-name:value = 'revoked.example']\"}\n"
    "]}\n";

static void
t_stix(void)
{
    struct run r = {0};
    struct vg_ioc_src s;
    uint32_t ids[4];
    import(&r, "advisory.json", stix1, VG_IOC_FMT_AUTO, NULL);
    REQUIRE_RC(r.rc, VG_OK);
    CHECK_EQ_INT(r.stats.format, VG_IOC_FMT_STIX);
    /* ipv4: 1.2.3.4 comes from 06 */
    CHECK_EQ_STR(added(&r),
                 "ipv4:3 ipv6:1 cidr4:1 domain:2 url:1 md5:1 sha1:1 sha256:1 file-name:2 email:2");
    CHECK_EQ_UINT(vg_ioc_count(r.st), 15);
    CHECK_EQ_STR(
        r.is.text,
        "N:indicator--03: AND pattern kept as 1 of 2 comparisons "
        "(non-string constant dropped)\n"
        "N:indicator--04: qualifiers/FOLLOWEDBY ignored\n"
        "U:indicator--05: no comparison Vigil can use (object path)\n"
        "E:indicator--06: pattern syntax error at offset 28 "
        "(comparisons before it kept)\n"
        "U:indicator--07: pattern_type 'sigma' not supported\n"
        "U:observed-data--11: hash 'SSDEEP' not supported\n"
        "U:observed-data--11: observed object 2 of type 'process' not used\n"
        "S:indicator--13: revoked\n");
    REQUIRE(src0(r.st, VG_IOC_IPV4, "198.51.100.1", &s) != NULL);
    CHECK_EQ_STR(s.object_id, "indicator--01");
    CHECK_EQ_STR(s.description, "C2 addresses");
    CHECK_EQ_STR(s.tags, "malicious-activity,attribution");
    CHECK_EQ_INT(s.score, 85);
    CHECK_EQ_INT(s.tlp, VG_TLP_GREEN);
    CHECK_EQ_INT(s.first_seen, 1698451200000000LL);
    REQUIRE(src0(r.st, VG_IOC_FILENAME, "test.xml", &s) != NULL);
    CHECK_EQ_INT(s.tlp, VG_TLP_AMBER);
    CHECK(has(r.st, VG_IOC_IPV4, "1.2.3.4", NULL)); /* before the error */
    CHECK(has(r.st, VG_IOC_IPV6, "2001:db8::10", NULL));
    CHECK_EQ_INT(vg_ioc_lookup_path(r.st, "C:\\x\\evil42.exe", 15, ids, 4), 1);
    CHECK_EQ_INT(vg_ioc_lookup_path(r.st, "C:\\x\\evil.exe", 13, ids, 4), 0);
    vg_ioc_store_free(r.st);
}

static const char misp1[] =
    "{\"Event\":{\"info\":\"ScreenConnect abuse test "
    "event\",\"uuid\":\"ev-1\",\"date\":\"2023-10-28\",\n"
    " \"Tag\":[{\"name\":\"tlp:green\"},{\"name\":\"misp-galaxy:x\"}],\n"
    " \"Attribute\":[\n"
    "  "
    "{\"uuid\":\"a1\",\"type\":\"ip-dst|port\",\"value\":\"203.0.113.10|8041\","
    "\"to_ids\":true},\n"
    "  "
    "{\"uuid\":\"a2\",\"type\":\"filename|sha256\",\"value\":\"test.xml|"
    "E3B0C44298FC1C149AFBF4C8996FB92427AE41E4649B934CA495991B7852B855\",\"to_"
    "ids\":true},\n"
    "  "
    "{\"uuid\":\"a3\",\"type\":\"domain|ip\",\"value\":\"rs.tdsclinical.com|"
    "198.51.100.44\",\"to_ids\":true,\"comment\":\"relay host\"},\n"
    "  "
    "{\"uuid\":\"a4\",\"type\":\"hostname\",\"value\":\"not-ids.example\",\"to_"
    "ids\":false},\n"
    "  "
    "{\"uuid\":\"a5\",\"type\":\"ssdeep\",\"value\":\"3:x:y\",\"to_ids\":true},"
    "\n"
    "  "
    "{\"uuid\":\"a6\",\"type\":\"ip-src\",\"value\":\"2001:db8::bad\",\"to_"
    "ids\":true},\n"
    "  "
    "{\"uuid\":\"a7\",\"type\":\"ip-dst\",\"value\":\"10.0.0.0/"
    "8\",\"to_ids\":true},\n"
    "  "
    "{\"uuid\":\"a8\",\"type\":\"regkey|value\",\"value\":"
    "\"HKLM\\\\Software\\\\X|Run\",\"to_ids\":\"1\"},\n"
    "  "
    "{\"uuid\":\"a9\",\"type\":\"link\",\"value\":\"https://example.com/"
    "report\",\"to_ids\":false},\n"
    "  {\"uuid\":\"a10\",\"type\":\"md5\",\"value\":\"zz\",\"to_ids\":true},\n"
    "  "
    "{\"uuid\":\"a11\",\"type\":\"filename|md5\",\"value\":\"noBar\",\"to_"
    "ids\":true},\n"
    "  {\"uuid\":\"a12\",\"type\":\"named "
    "pipe\",\"value\":\"\\\\\\\\.\\\\pipe\\\\evilpipe\",\"to_ids\":true},\n"
    "  "
    "{\"uuid\":\"a13\",\"type\":\"mutex\",\"value\":\"Global\\\\EvilMutex\","
    "\"to_ids\":true}\n"
    " ],\n"
    " \"Object\":[{\"name\":\"file\",\"Attribute\":[\n"
    "  "
    "{\"uuid\":\"o1\",\"type\":\"filename\",\"value\":\"ScreenConnect."
    "ClientSetup.exe\",\"to_ids\":true,\"object_relation\":\"filename\"},\n"
    "  "
    "{\"uuid\":\"o2\",\"type\":\"sha1\",\"value\":"
    "\"3395856CE81F2B7382DEE72602F798B642F14140\",\"to_ids\":true}]}]\n"
    "}}\n";

static void
t_misp(void)
{
    struct run r = {0};
    struct vg_ioc_src s;
    import(&r, "event.json", misp1, VG_IOC_FMT_AUTO, NULL);
    REQUIRE_RC(r.rc, VG_OK);
    CHECK_EQ_INT(r.stats.format, VG_IOC_FMT_MISP);
    CHECK_EQ_STR(added(&r),
                 "ipv4:2 ipv6:1 cidr4:1 domain:1 sha1:1 sha256:1 file-name:2 registry:1 mutex:1 pipe:1");
    CHECK_EQ_UINT(vg_ioc_count(r.st), 12);
    CHECK_EQ_STR(r.is.text, "S:a4: to_ids is false (hostname)\n"
                            "U:a5: MISP type 'ssdeep' not supported\n"
                            "E:a10: invalid md5 value 'zz'\n"
                            "E:a11: composite value without '|'\n");
    REQUIRE(src0(r.st, VG_IOC_IPV4, "198.51.100.44", &s) != NULL);
    CHECK_EQ_STR(s.object_id, "a3");
    CHECK_EQ_STR(s.description, "relay host");
    CHECK_EQ_INT(s.tlp, VG_TLP_GREEN);
    CHECK_EQ_STR(s.tags, "misp-galaxy:x");
    CHECK_EQ_INT(s.first_seen, 1698451200000000LL);
    REQUIRE(src0(r.st, VG_IOC_IPV4, "203.0.113.10", &s) != NULL);
    CHECK_EQ_STR(s.description, "ScreenConnect abuse test event");
    CHECK(has(r.st, VG_IOC_REGISTRY, "hklm\\software\\x|run", NULL));
    CHECK(has(r.st, VG_IOC_PIPE, "evilpipe", NULL));
    CHECK(has(r.st, VG_IOC_FILENAME, "screenconnect.clientsetup.exe", NULL));
    vg_ioc_store_free(r.st);

    /* to_ids false kept on request; restSearch list; attribute response */
    struct run r2 = {0};
    struct vg_ioc_import_opts o;
    vg_ioc_import_opts_init(&o);
    o.misp_all = 1;
    import(&r2, "event.json", misp1, VG_IOC_FMT_MISP, &o);
    CHECK_EQ_UINT(vg_ioc_count(r2.st), 13);
    import(&r2, "search.json",
           "{\"response\":[{\"Event\":{\"info\":\"e2\",\"Attribute\":[{"
           "\"type\":\"url\","
           "\"value\":\"http://x.example/a\",\"to_ids\":true}]}}]}",
           VG_IOC_FMT_AUTO, NULL);
    CHECK_EQ_STR(added(&r2), "url:1");
    import(&r2, "attrs.json",
           "{\"response\":{\"Attribute\":[{\"type\":\"domain\",\"value\":"
           "\"attr.example\","
           "\"to_ids\":true,\"uuid\":\"u1\"}]}}",
           VG_IOC_FMT_AUTO, NULL);
    CHECK_EQ_STR(added(&r2), "domain:1");
    import(&r2, "manifest.json",
           "{\"5a1b\":{\"info\":\"feed "
           "event\",\"Orgc\":{\"name\":\"x\"},\"timestamp\":\"1\"}}",
           VG_IOC_FMT_MISP, NULL);
    CHECK_EQ_UINT(r2.stats.issues[VG_IOC_ISSUE_UNSUPPORTED], 1);
    vg_ioc_store_free(r2.st);
}

static void
t_malformed_json(void)
{
    struct run r = {0};
    import(&r, "bad.json",
           "{\"type\":\"bundle\",\n\"objects\":[{\"type\":\"indicator\",}]}",
           VG_IOC_FMT_AUTO, NULL);
    CHECK_RC(r.rc, VG_EFORMAT);
    CHECK_EQ_STR(r.d.path, "bad.json");
    CHECK_EQ_UINT(r.d.line, 2);
    CHECK(strstr(r.d.msg, "malformed JSON") != NULL);
    CHECK_EQ_UINT(r.stats.issues[VG_IOC_ISSUE_ERROR], 1);
    CHECK_EQ_UINT(vg_ioc_count(r.st), 0);
    /* valid JSON of the wrong shape: an error entry, import continues */
    import(&r, "odd.json",
           "[1, \"two\", {\"type\":\"domain-name\",\"value\":\"ok.example\"}]",
           VG_IOC_FMT_STIX, NULL);
    CHECK_RC(r.rc, VG_OK);
    CHECK_EQ_STR(r.is.text, "E:objects[0]: not a JSON object\n"
                            "E:objects[1]: not a JSON object\n");
    CHECK_EQ_STR(added(&r), "domain:1");
    vg_ioc_store_free(r.st);
}

static void
t_exclude(void)
{
    struct run ex = {0}, r = {0};
    struct vg_ioc_import_opts o;
    import(&ex, "good.txt", "tdsclinical.com\n198.51.100.0/24\n",
           VG_IOC_FMT_TEXT, NULL);
    REQUIRE_RC(ex.rc, VG_OK);
    vg_ioc_import_opts_init(&o);
    o.exclude = ex.st;
    import(&r, "in.txt", "rs.tdsclinical.com 198.51.100.23 evil.example\n",
           VG_IOC_FMT_TEXT, &o);
    REQUIRE_RC(r.rc, VG_OK);
    CHECK_EQ_UINT(r.stats.excluded, 2);
    CHECK_EQ_UINT(vg_ioc_count(r.st), 1);
    CHECK(has(r.st, VG_IOC_DOMAIN, "evil.example", NULL));
    vg_ioc_store_free(r.st);
    vg_ioc_store_free(ex.st);
}

static void
t_detect(void)
{
    CHECK_EQ_INT(vg_ioc_detect("a.json", " {\"type\":\"bundle\"}", 18),
                 VG_IOC_FMT_STIX);
    CHECK_EQ_INT(vg_ioc_detect(NULL, "{\"Event\":{}}", 12), VG_IOC_FMT_MISP);
    CHECK_EQ_INT(vg_ioc_detect("x/hash-iocs.txt", "# x\n", 4),
                 VG_IOC_FMT_LOKI_HASH);
    CHECK_EQ_INT(vg_ioc_detect("my-c2-iocs.txt", "", 0), VG_IOC_FMT_LOKI_C2);
    CHECK_EQ_INT(vg_ioc_detect("list",
                               "# x\n44d88612fea8a8f36de82e1278abb02f;eicar\n",
                               42),
                 VG_IOC_FMT_LOKI_HASH);
    CHECK_EQ_INT(vg_ioc_detect("x.csv", "a,b\n", 4), VG_IOC_FMT_CSV);
    CHECK_EQ_INT(vg_ioc_detect("x.txt", "evil.example\n", 13), VG_IOC_FMT_TEXT);
}

static void
t_limits(void)
{
    struct run r = {0};
    /* a line over the limit is an error with its line number */
    static char big[VG_IOC_MAX_LINE + 64];
    memset(big, 'a', sizeof(big) - 1);
    memcpy(big, "evil.example\n", 13);
    big[sizeof(big) - 1] = '\0';
    import(&r, "big.txt", big, VG_IOC_FMT_TEXT, NULL);
    CHECK_RC(r.rc, VG_OK);
    CHECK_EQ_STR(added(&r), "domain:1");
    CHECK_EQ_STR(r.is.text, "E:2:line longer than 1048576 bytes\n");
    /* a value over VG_IOC_MAX_VALUE */
    static char longdom[VG_IOC_MAX_VALUE + 200];
    memset(longdom, 'b', sizeof(longdom) - 1);
    longdom[sizeof(longdom) - 1] = '\0';
    CHECK_RC(vg_ioc_add(r.st, VG_IOC_MUTEX, longdom, strlen(longdom), 0, NULL,
                        NULL, NULL),
             VG_ELIMIT);
    vg_ioc_store_free(r.st);
}

/* Every type through export and back: CSV and STIX give the same set. */
static void
t_export_roundtrip(void)
{
    static const struct {
        enum vg_ioc_type t;
        const char *v;
        unsigned fl;
    } add[] = {
        {VG_IOC_IPV4, "198.51.100.7", 0},
        {VG_IOC_IPV6, "2001:db8::1", 0},
        {VG_IOC_CIDR4, "10.1.0.0/16", 0},
        {VG_IOC_CIDR6, "2001:db8:abcd::/48", 0},
        {VG_IOC_DOMAIN, "rs.tdsclinical.com", 0},
        {VG_IOC_URL, "http://evil.example.net/a?b=c", 0},
        {VG_IOC_MD5, "44d88612fea8a8f36de82e1278abb02f", 0},
        {VG_IOC_SHA1, "3395856ce81f2b7382dee72602f798b642f14140", 0},
        {VG_IOC_SHA256,
         "275a021bbfb6489e54d471899f7db9d1663fc695ec2fe2a2c4538aabf651fd0f", 0},
        {VG_IOC_FILENAME, "test.xml", 0},
        {VG_IOC_FILENAME, "evil*.exe", 0},
        {VG_IOC_FILEPATH, "C:\\Windows\\Temp\\x.exe", 0},
        {VG_IOC_FILEPATH, "\\\\App_Extensions\\\\[^\\\\]{1,16}\\.as[ph]x$",
         VG_IOC_F_REGEX},
        {VG_IOC_REGISTRY, "HKLM\\SOFTWARE\\BadCo|Run", 0},
        {VG_IOC_EMAIL, "actor@example.org", 0},
        {VG_IOC_ACCOUNT, "svc_backup", 0},
        {VG_IOC_MUTEX, "Global\\EvilMutex", 0},
        {VG_IOC_PIPE, "evilpipe", 0},
        {VG_IOC_RELAY, "relay.badco.example:8041", 0},
        {VG_IOC_ANYDESK, "123456789", 0},
    };
    struct vg_ioc_store *st = NULL;
    struct vg_ioc_src src;
    REQUIRE_RC(vg_ioc_store_new(&st), VG_OK);
    vg_ioc_src_init(&src);
    src.feed = "rt";
    src.description = "round, \"trip\"";
    src.score = 55;
    src.tlp = VG_TLP_AMBER;
    for (size_t i = 0; i < VG_ARRAY_LEN(add); i++) {
        CHECK_EQ_INT(vg_ioc_add(st, add[i].t, add[i].v, strlen(add[i].v),
                                add[i].fl, NULL, &src, NULL),
                     0);
    }
    REQUIRE(vg_ioc_store_seal(st) >= 0);
    for (int fmt = 0; fmt < 2; fmt++) {
        struct vg_buf b;
        struct run r = {0};
        vg_buf_init(&b, 1u << 20);
        REQUIRE_RC(fmt == 0 ? vg_ioc_export_csv(st, VG_IOC_NONE, &b)
                            : vg_ioc_export_stix(st, VG_IOC_NONE,
                                                 1700000000000000LL, &b),
                   VG_OK);
        import(&r, fmt == 0 ? "x.csv" : "x.json", b.data,
               fmt == 0 ? VG_IOC_FMT_CSV : VG_IOC_FMT_STIX, NULL);
        CHECK_RC(r.rc, VG_OK);
        CHECK_EQ_STR(r.is.text, "");
        CHECK_EQ_UINT(r.st != NULL ? vg_ioc_count(r.st) : 0, VG_ARRAY_LEN(add));
        for (uint32_t id = 0; r.st != NULL && id < vg_ioc_count(st); id++) {
            struct vg_ioc_info in;
            unsigned fl = 99;
            REQUIRE_RC(vg_ioc_get(st, id, &in), VG_OK);
            CHECK(has(r.st, in.type, in.value, &fl));
            CHECK_EQ_UINT(fl, in.flags);
        }
        struct vg_ioc_src s2;
        REQUIRE(src0(r.st, VG_IOC_DOMAIN, "rs.tdsclinical.com", &s2) != NULL);
        CHECK_EQ_INT(s2.score, 55);
        CHECK_EQ_INT(s2.tlp, VG_TLP_AMBER);
        CHECK_EQ_STR(s2.description, "round, \"trip\"");
        if (fmt == 1) {
            CHECK(strstr(b.data, "\"pattern\":\"[file:hashes.'SHA-256' = "
                                 "'275a021bbfb6489e54d471899f7db9d1663fc695ec2f"
                                 "e2a2c4538aabf651fd0f']\"") != NULL);
            CHECK(strstr(b.data,
                         "[windows-registry-key:key = 'HKEY_LOCAL_MACHINE"
                         "\\\\\\\\software\\\\\\\\badco' AND "
                         "windows-registry-key:values[*].name = 'run']") !=
                  NULL);
            CHECK(
                strstr(b.data, "\"created\":\"2023-11-14T22:13:20.000000Z\"") !=
                NULL);
        }
        vg_buf_fini(&b);
        vg_ioc_store_free(r.st);
    }
    vg_ioc_store_free(st);
}

static const struct vg_test tests[] = {
    T(t_text),    T(t_text_edges), T(t_refang), T(t_loki),
    T(t_csv),     T(t_stix),       T(t_misp),   T(t_malformed_json),
    T(t_exclude), T(t_detect),     T(t_limits), T(t_export_roundtrip),
};

int
main(int argc, char **argv)
{
    return vg_test_main(argc, argv, tests, VG_ARRAY_LEN(tests));
}
