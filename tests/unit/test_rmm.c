/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test_rmm.c - the RMM inventory against evidence trees the tests build
 * (tests/tools/rmm_fixture.c): 30 tools with versions, several ScreenConnect
 * instances and a server with a web shell, AnyDesk/TeamViewer sessions,
 * registry hives written from scratch, look-alike decoys and a symlink out
 * of the root, a clean tree and a Linux tree; plus the catalog and policy
 * parsers, the version compare and the findings with a policy and an IOC
 * callback. Every expectation is an exact value.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/alloc.h"
#include "vg_test.h"
#include "vigil/rmm.h"
#include "vigil/time.h"

#define SC_A "429d9ba6e9123fb4"
#define SC_B "0a1b2c3d4e5f6071"
/* 2023-12-01T00:00:00Z: "now" for every finding check */
#define NOW_US 1701388800000000LL

static char fx[512];

static const char *
fixtures(void)
{
    if (fx[0] != '\0')
        return fx;
    const char *bd = vg_test_env("VG_BUILD_DIR");
    char tmpl[] = "/tmp/vg_rmm_XXXXXX", cmd[1200];
    if (bd == NULL || mkdtemp(tmpl) == NULL)
        return NULL;
    snprintf(cmd, sizeof(cmd), "'%s/tools/rmm_fixture' '%s/fx'", bd, tmpl);
    if (system(cmd) != 0)
        return NULL;
    snprintf(fx, sizeof(fx), "%s/fx", tmpl);
    return fx;
}

static void
cleanup(void)
{
    if (fx[0] != '\0') {
        char cmd[700];
        snprintf(cmd, sizeof(cmd), "rm -rf '%.*s'", (int)(strlen(fx) - 3), fx);
        if (system(cmd) != 0)
            fprintf(stderr, "cannot remove %s\n", fx);
    }
}

static struct vg_rmm_catalog *
catalog(void)
{
    struct vg_rmm_catalog *c = NULL;
    struct vg_diag d;
    char path[1024];
    snprintf(path, sizeof(path), "%s/rules/rmm/catalog",
             vg_test_env("VG_SRC_DIR"));
    vg_diag_clear(&d);
    if (vg_rmm_catalog_new(&c) != VG_OK)
        return NULL;
    if (vg_rmm_catalog_load_file(c, path, &d) != VG_OK) {
        fprintf(stderr, "catalog: %s\n", d.msg);
        vg_rmm_catalog_free(c);
        return NULL;
    }
    return c;
}

static struct vg_rmm_result *
scan(const struct vg_rmm_catalog *c, const char *scenario)
{
    char root[700];
    struct vg_rmm_result *r = NULL;
    struct vg_diag d;
    vg_diag_clear(&d);
    snprintf(root, sizeof(root), "%s/%s", fixtures(), scenario);
    struct vg_rmm_opts o = {.root = root, .now_us = NOW_US};
    if (vg_rmm_scan(c, &o, NULL, &r, &d) != VG_OK)
        return NULL;
    return r;
}

static const struct vg_rmm_item *
find(const struct vg_rmm_result *r, const char *tool, const char *inst)
{
    for (size_t i = 0; i < vg_rmm_result_count(r); i++) {
        const struct vg_rmm_item *it = vg_rmm_result_item(r, i);
        if (strcmp(it->tool_id, tool) == 0 &&
            ((inst == NULL && it->instance == NULL) ||
             (inst != NULL && it->instance != NULL &&
              strcmp(it->instance, inst) == 0)))
            return it;
    }
    return NULL;
}

static int
has_ev(const struct vg_rmm_item *it, const char *ev)
{
    for (size_t i = 0; i < it->n_evidence; i++)
        if (strcmp(it->evidence[i], ev) == 0)
            return 1;
    return 0;
}

/* ---- catalog ------------------------------------------------------------- */

static void
t_catalog_loads(void)
{
    struct vg_rmm_catalog *c = catalog();
    REQUIRE(c != NULL);
    CHECK_EQ_UINT(vg_rmm_catalog_count(c), 68);
    CHECK_EQ_STR(vg_rmm_catalog_tool_id(c, 0), "screenconnect");
    CHECK_EQ_STR(vg_rmm_catalog_tool_name(c, 2), "AnyDesk");
    CHECK(vg_rmm_catalog_tool_id(c, 68) == NULL);
    vg_rmm_catalog_free(c);
}

static void
t_catalog_errors(void)
{
    static const struct {
        const char *text;
        int rc;
        uint64_t line;
        const char *msg;
    } cases[] = {
        {"tool a\nname A\n", VG_ESYNTAX, 2, "tool 'a' has no end"},
        {"name A\n", VG_ESYNTAX, 1, "'name' outside a tool block"},
        {"tool a\nfoo bar\nend\n", VG_ESYNTAX, 2, "unknown keyword 'foo'"},
        {"tool a\nwin weird C:\\x\nend\n", VG_ESYNTAX, 2,
         "path needs KIND (install|config|log|data|unit|server) PATH"},
        {"tool a\nvuln 1.0 CVE-1 high x\nend\n", VG_ESYNTAX, 2,
         "bad vuln range or severity"},
        {"tool a\nvuln <1.0 CVE-1 severe x\nend\n", VG_ESYNTAX, 2,
         "bad vuln range or severity"},
        {"tool a\nend\ntool a\nend\n", VG_ESYNTAX, 3, "duplicate tool id 'a'"},
        {"tool a\ntool b\n", VG_ESYNTAX, 2, "tool inside tool (missing end)"},
        {"end\n", VG_ESYNTAX, 1, "end without tool"},
        {"tool a\nname\nend\n", VG_ESYNTAX, 2, "'name' needs a value"},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        struct vg_rmm_catalog *c = NULL;
        struct vg_diag d;
        vg_diag_clear(&d);
        REQUIRE_RC(vg_rmm_catalog_new(&c), VG_OK);
        CHECK_RC(vg_rmm_catalog_load_buf(c, cases[i].text,
                                         strlen(cases[i].text), "cat", &d),
                 cases[i].rc);
        CHECK_EQ_UINT(d.line, cases[i].line);
        CHECK_EQ_STR(d.msg, cases[i].msg);
        CHECK_EQ_STR(d.path, "cat");
        CHECK_EQ_UINT(vg_rmm_catalog_count(c), 0); /* all or nothing */
        vg_rmm_catalog_free(c);
    }
}

static void
t_catalog_alloc_fail(void)
{
    char path[1024];
    snprintf(path, sizeof(path), "%s/rules/rmm/catalog",
             vg_test_env("VG_SRC_DIR"));
    FILE *f = fopen(path, "rb");
    REQUIRE(f != NULL);
    static char buf[1 << 17];
    size_t n = fread(buf, 1, sizeof(buf), f);
    fclose(f);
    int ok = 0;
    for (long k = 0; k < 100000 && !ok; k += 97) {
        struct vg_rmm_catalog *c = NULL;
        struct vg_diag d;
        vg_alloc_fail_after(k);
        int rc = vg_rmm_catalog_new(&c);
        if (rc == VG_OK)
            rc = vg_rmm_catalog_load_buf(c, buf, n, "cat", &d);
        vg_alloc_fail_after(-1);
        CHECK(rc == VG_OK || rc == VG_ENOMEM);
        if (rc == VG_OK)
            ok = 1;
        vg_rmm_catalog_free(c);
    }
    CHECK(ok);
}

static void
t_version_cmp(void)
{
    CHECK_EQ_INT(vg_rmm_version_cmp("23.9.8", "23.9.10"), -1);
    CHECK_EQ_INT(vg_rmm_version_cmp("23.9.7.8804", "23.9.8"), -1);
    CHECK_EQ_INT(vg_rmm_version_cmp("8.0.8.0", "8.0.8"), 0);
    CHECK_EQ_INT(vg_rmm_version_cmp("8.0.10", "8.0.8"), 1);
    CHECK_EQ_INT(vg_rmm_version_cmp("26.1", "26.0.99"), 1);
    CHECK_EQ_INT(vg_rmm_version_cmp("", "0"), 0);
    CHECK_EQ_INT(vg_rmm_version_cmp("7.1.11-beta", "7.1.11"), 0);
}

static void
t_sc_parse(void)
{
    static const char s[] =
        "\"C:\\x\\ScreenConnect.ClientService.exe\" \"?e=Access&y=Guest&"
        "h=instance-abc123-relay.screenconnect.com&p=443&s=1e2d&k=AB%2BC&t=&c="
        "\"";
    struct vg_rmm_sc_params sp;
    REQUIRE_RC(vg_rmm_sc_parse(s, sizeof(s) - 1, &sp), VG_OK);
    CHECK_EQ_STR(sp.host, "instance-abc123-relay.screenconnect.com");
    CHECK_EQ_STR(sp.port, "443");
    CHECK_EQ_STR(sp.session_type, "Access");
    CHECK_EQ_STR(sp.session, "1e2d");
    CHECK_EQ_UINT(strlen(sp.key_fp), 16);
    struct vg_rmm_sc_params sp2;
    static const char s2[] = "k=AB+C&h=x"; /* '+' decodes to ' ': differs */
    REQUIRE_RC(vg_rmm_sc_parse(s2, sizeof(s2) - 1, &sp2), VG_OK);
    CHECK(strcmp(sp.key_fp, sp2.key_fp) != 0);
    CHECK_RC(vg_rmm_sc_parse("e=Access&p=1", 12, &sp), VG_ENOTFOUND);
    CHECK_RC(vg_rmm_sc_parse("", 0, &sp), VG_ENOTFOUND);
}

static void
t_parse_text(void)
{
    static const char ct[] =
        "Incoming 2023-11-01, 09:12 Passwd 547911884 547911884\n"
        "Outgoing 2023-11-01, 09:13 User 1 1\nIncoming\n";
    CHECK_EQ_INT(vg_rmm_parse_text("connection_trace.txt", ct, sizeof(ct) - 1),
                 1);
    static const char msh[] = "MeshServer=wss://h:1/a\nMeshID=0x1\n";
    CHECK_EQ_INT(vg_rmm_parse_text("MeshAgent.msh", msh, sizeof(msh) - 1), 2);
    static const char bad[] = "\x00\xff\n=\n==\nad.anynet.id=\n";
    CHECK_EQ_INT(vg_rmm_parse_text("system.conf", bad, sizeof(bad) - 1), 0);
    CHECK_EQ_INT(vg_rmm_parse_text("unknown.bin", msh, sizeof(msh) - 1), 0);
}

/* ---- PE ------------------------------------------------------------------ */

static void
t_pe_version(void)
{
    char cmd[1200], path[700];
    REQUIRE(fixtures() != NULL);
    snprintf(path, sizeof(path),
             "%s/sc-multi/Program Files (x86)/"
             "ScreenConnect Client (" SC_A ")/ScreenConnect.ClientService.exe",
             fixtures());
    FILE *f = fopen(path, "rb");
    REQUIRE(f != NULL);
    static uint8_t buf[1 << 16];
    size_t n = fread(buf, 1, sizeof(buf), f);
    fclose(f);
    struct vg_rmm_pe_version v;
    struct vg_diag d;
    vg_diag_clear(&d);
    REQUIRE_RC(vg_rmm_pe_version(buf, n, &v, &d), VG_OK);
    CHECK_EQ_STR(v.file_version, "23.9.7.8804");
    CHECK_EQ_STR(v.product_version, "23.9.7.8804");
    CHECK_EQ_STR(v.str_file_version, "23.9.7.8804");
    CHECK_EQ_STR(v.company, "ConnectWise, LLC");
    CHECK_EQ_STR(v.product, "Fixture");
    /* every truncation is an error or a partial read, never a crash */
    for (size_t k = 0; k < n; k++) {
        int rc = vg_rmm_pe_version(buf, k, &v, &d);
        CHECK(rc == VG_OK || rc == VG_EFORMAT || rc == VG_ENOTFOUND);
    }
    CHECK_RC(vg_rmm_pe_version((const uint8_t *)"MZ", 2, &v, &d), VG_EFORMAT);
    CHECK_EQ_STR(d.msg, "PE: no PE signature");
    CHECK_EQ_UINT(d.offset, 0x3c);
    CHECK_RC(vg_rmm_pe_version(NULL, 0, &v, &d), VG_EFORMAT);
    (void)cmd;
}

/* ---- scans --------------------------------------------------------------- */

static void
t_tools30(void)
{
    static const struct {
        const char *tool, *version;
    } want[] = {
        {"anydesk", "7.1.11"},
        {"teamviewer", "15.41.7"},
        {"splashtop", "3.5.2.1"},
        {"atera", "1.8.6.7"},
        {"ninjaone", "5.3.7"},
        {"nable-nsight", "10.12.4"},
        {"kaseya", "9.5.0.12"},
        {"rustdesk", "1.2.3"},
        {"netsupport", "12.10.2"},
        {"logmein", "4.1.14"},
        {"gotomypc", "11.2.1"},
        {"action1", "5.200.1"},
        {"meshcentral", "1.1.0"},
        {"tacticalrmm", "2.6.2"},
        {"remote-utilities", "7.2.2"},
        {"radmin", "3.5.2"},
        {"ultravnc", "1.4.3.6"},
        {"tightvnc", "2.8.81"},
        {"realvnc", "7.6.0"},
        {"chrome-remote-desktop", "118.0.5993.11"},
        {"dwservice", "5.4.1"},
        {"supremo", "4.10.3"},
        {"aeroadmin", "4.9.0"},
        {"syncro", "1.0.187"},
        {"pulseway", "9.8.0"},
        {"datto-rmm", "4.4.2050"},
        {"cw-automate", "230.105"},
        {"ultraviewer", "6.6.49"},
        {"parsec", "150.93"},
        {"islonline", "4.4.2"},
    };
    struct vg_rmm_catalog *c = catalog();
    REQUIRE(c != NULL && fixtures() != NULL);
    struct vg_rmm_result *r = scan(c, "tools30");
    REQUIRE(r != NULL);
    CHECK_EQ_UINT(vg_rmm_result_count(r), 30);
    CHECK_EQ_UINT(vg_rmm_result_errors(r), 0);
    for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
        const struct vg_rmm_item *it = find(r, want[i].tool, NULL);
        if (!CHECK(it != NULL)) {
            fprintf(stderr, "missing %s\n", want[i].tool);
            continue;
        }
        CHECK_EQ_STR(it->version, want[i].version);
        CHECK_EQ_INT(it->portable, 0);
    }
    const struct vg_rmm_item *it = find(r, "meshcentral", NULL);
    REQUIRE(it != NULL);
    CHECK_EQ_STR(it->relay, "mesh.attacker.example");
    CHECK_EQ_STR(it->port, "443");
    CHECK_EQ_STR(it->local_id, "0xA1B2C3");
    it = find(r, "netsupport", NULL);
    REQUIRE(it != NULL);
    CHECK_EQ_STR(it->relay, "203.0.113.50");
    CHECK_EQ_STR(it->port, "443");
    it = find(r, "rustdesk", NULL);
    REQUIRE(it != NULL);
    CHECK_EQ_STR(it->relay, "rd.attacker.example");
    CHECK_EQ_STR(it->port, "21116");
    CHECK_EQ_STR(it->local_id, "1234567890");
    REQUIRE_EQ_INT(it->n_sessions, 1);
    CHECK_EQ_STR(it->sessions[0].remote_ip, "198.51.100.7");
    CHECK_EQ_INT(it->sessions[0].time_us, 1698919201000000LL);
    it = find(r, "splashtop", NULL);
    REQUIRE(it != NULL && it->n_sessions == 1);
    CHECK_EQ_STR(it->sessions[0].remote_ip, "192.0.2.44");
    it = find(r, "action1", NULL);
    REQUIRE(it != NULL && it->n_sessions == 1);
    CHECK_EQ_STR(it->sessions[0].remote_ip, "192.0.2.45");
    vg_rmm_result_free(r);
    vg_rmm_catalog_free(c);
}

static void
t_sc_multi(void)
{
    struct vg_rmm_catalog *c = catalog();
    REQUIRE(c != NULL && fixtures() != NULL);
    struct vg_rmm_result *r = scan(c, "sc-multi");
    REQUIRE(r != NULL);
    CHECK_EQ_UINT(vg_rmm_result_count(r), 3);
    const struct vg_rmm_item *a = find(r, "screenconnect", SC_A);
    const struct vg_rmm_item *b = find(r, "screenconnect", SC_B);
    const struct vg_rmm_item *s = find(r, "screenconnect-server", NULL);
    REQUIRE(a != NULL && b != NULL && s != NULL);
    CHECK_EQ_STR(a->relay, "instance-abc123-relay.screenconnect.com");
    CHECK_EQ_STR(a->port, "443");
    CHECK_EQ_INT(a->cloud, 1);
    CHECK_EQ_STR(a->session_type, "Access");
    CHECK_EQ_STR(a->version, "23.9.7.8804");
    CHECK_EQ_STR(a->persist, "service:ScreenConnect Client (" SC_A ") (auto)");
    CHECK_EQ_STR(b->relay, "rs.evil.example");
    CHECK_EQ_STR(b->port, "8041");
    CHECK_EQ_INT(b->cloud, 0);
    CHECK_EQ_STR(b->version, "22.4.1.2");
    CHECK(a->key_fp != NULL && b->key_fp != NULL);
    CHECK_EQ_STR(a->key_fp, b->key_fp); /* same k= blob in the fixture */
    CHECK(has_ev(b, "ProgramData/ScreenConnect Client (" SC_B ")/user.config"));
    CHECK(has_ev(b, "Uninstall\\{B2}"));
    /* installed 2023-11-01 per Uninstall, 30 days before NOW */
    CHECK_EQ_INT(b->install_us, 1698796800000000LL);
    CHECK_EQ_INT(s->server, 1);
    CHECK_EQ_STR(s->version, "23.9.7.8804");
    CHECK_EQ_STR(s->server_users, "admin,hacker2024");
    REQUIRE_EQ_INT(s->n_webshells, 1);
    CHECK_EQ_STR(s->webshells[0],
                 "Program Files (x86)/ScreenConnect/App_Extensions/x.aspx");
    CHECK_EQ_STR(s->persist, "service:ScreenConnect Web Server (auto)");
    vg_rmm_result_free(r);
    vg_rmm_catalog_free(c);
}

static void
t_anydesk_tv(void)
{
    struct vg_rmm_catalog *c = catalog();
    REQUIRE(c != NULL && fixtures() != NULL);
    struct vg_rmm_result *r = scan(c, "anydesk-tv");
    REQUIRE(r != NULL);
    CHECK_EQ_UINT(vg_rmm_result_count(r), 4);
    const struct vg_rmm_item *ad = find(r, "anydesk", NULL);
    REQUIRE(ad != NULL);
    CHECK_EQ_STR(ad->local_id, "123456789");
    CHECK_EQ_INT(ad->unattended_pw, 1);
    CHECK_EQ_STR(ad->version, "8.0.6");
    CHECK_EQ_STR(ad->persist, "service:AnyDesk (auto)");
    CHECK(has_ev(ad, "SYSTEM\\Services\\AnyDesk"));
    REQUIRE_EQ_INT(ad->n_sessions, 3);
    /* connection_trace.txt: two incoming lines (order: probe order) */
    int seen_pw = 0, seen_ip = 0;
    for (size_t i = 0; i < ad->n_sessions; i++) {
        const struct vg_rmm_session *se = &ad->sessions[i];
        if (se->auth != NULL && strcmp(se->auth, "Passwd") == 0) {
            CHECK_EQ_STR(se->remote_id, "547911884");
            CHECK_EQ_INT(se->time_us, 1698829920000000LL);
            CHECK_EQ_UINT(se->line, 1);
            seen_pw++;
        }
        if (se->remote_ip != NULL) {
            CHECK_EQ_STR(se->remote_ip, "203.0.113.9");
            CHECK_EQ_STR(se->remote_id, "442226597");
            CHECK_EQ_INT(se->time_us, 1698964803000000LL);
            CHECK_EQ_STR(se->source, "ProgramData/AnyDesk/ad_svc.trace");
            seen_ip++;
        }
    }
    CHECK_EQ_INT(seen_pw, 1);
    CHECK_EQ_INT(seen_ip, 1);
    const struct vg_rmm_item *tv = find(r, "teamviewer", NULL);
    REQUIRE(tv != NULL);
    CHECK_EQ_STR(tv->local_id, "1122334455");
    CHECK_EQ_STR(tv->version, "15.41.7");
    REQUIRE_EQ_INT(tv->n_sessions, 2);
    CHECK_EQ_STR(tv->sessions[0].remote_id, "987654321");
    CHECK_EQ_STR(tv->sessions[0].auth, "RemoteControl");
    CHECK_EQ_INT(tv->sessions[0].time_us, 1698966310000000LL);
    const struct vg_rmm_item *ns = find(r, "netsupport", NULL);
    REQUIRE(ns != NULL);
    CHECK_EQ_INT(ns->portable, 1);
    CHECK_EQ_STR(ns->relay, "198.51.100.23");
    CHECK_EQ_STR(ns->persist, "run:Users/bob/NTUSER.DAT\\Software\\Microsoft"
                              "\\Windows\\CurrentVersion\\Run\\Updater");
    const struct vg_rmm_item *at = find(r, "atera", NULL);
    REQUIRE(at != NULL);
    CHECK_EQ_STR(at->local_id, "eve@attacker.example");
    CHECK(has_ev(at, "SOFTWARE\\ATERA Networks\\AlphaAgent"));
    vg_rmm_result_free(r);
    vg_rmm_catalog_free(c);
}

static void
t_decoys_and_clean(void)
{
    struct vg_rmm_catalog *c = catalog();
    REQUIRE(c != NULL && fixtures() != NULL);
    static const char *const sc[] = {"decoys", "clean"};
    for (size_t i = 0; i < 2; i++) {
        struct vg_rmm_result *r = scan(c, sc[i]);
        REQUIRE(r != NULL);
        CHECK_EQ_UINT(vg_rmm_result_count(r), 0);
        CHECK_EQ_UINT(vg_rmm_result_errors(r), 0);
        CHECK_EQ_UINT(vg_rmm_result_patterns(r), 323);
        vg_rmm_result_free(r);
    }
    vg_rmm_catalog_free(c);
}

static void
t_linux_tree(void)
{
    struct vg_rmm_catalog *c = catalog();
    REQUIRE(c != NULL && fixtures() != NULL);
    struct vg_rmm_result *r = scan(c, "linux");
    REQUIRE(r != NULL);
    CHECK_EQ_UINT(vg_rmm_result_count(r), 6);
    const struct vg_rmm_item *it = find(r, "screenconnect", SC_B);
    REQUIRE(it != NULL);
    CHECK_EQ_STR(it->relay, "rs.evil.example");
    CHECK_EQ_STR(it->persist,
                 "unit:etc/systemd/system/connectwisecontrol-" SC_B ".service");
    it = find(r, "anydesk", NULL);
    REQUIRE(it != NULL);
    CHECK_EQ_STR(it->local_id, "555666777");
    CHECK_EQ_INT(it->unattended_pw, 0); /* empty pwd_hash */
    it = find(r, "meshcentral", NULL);
    REQUIRE(it != NULL);
    CHECK_EQ_STR(it->relay, "10.9.8.7");
    CHECK_EQ_STR(it->port, "4433");
    it = find(r, "tacticalrmm", NULL);
    REQUIRE(it != NULL);
    CHECK_EQ_STR(it->relay, "api.rmm.attacker.example");
    CHECK_EQ_STR(it->local_id, "AbCdEf");
    it = find(r, "teamviewer", NULL);
    REQUIRE(it != NULL);
    CHECK_EQ_STR(it->local_id, "1357913579");
    it = find(r, "rustdesk", NULL);
    REQUIRE(it != NULL);
    CHECK_EQ_STR(it->local_id, "987987987");
    vg_rmm_result_free(r);
    vg_rmm_catalog_free(c);
}

/* ---- policy and findings ------------------------------------------------- */

struct got {
    char ids[64][96];
    int sev[64];
    int n;
};

static int
collect(const struct vg_finding *f, void *arg)
{
    struct got *g = arg;
    if (g->n < 64) {
        snprintf(g->ids[g->n], sizeof(g->ids[0]), "%s|%s", f->rule.id,
                 f->evidence.values != NULL && f->evidence.n_values > 1 &&
                         strcmp(f->evidence.values[1].key, "instance") == 0
                     ? f->evidence.values[1].value
                     : f->evidence.values[0].value);
        g->sev[g->n] = (int)f->severity;
        g->n++;
    }
    return VG_OK;
}

static int
ioc_203(void *arg, const char *addr)
{
    (*(int *)arg)++;
    return strcmp(addr, "203.0.113.9") == 0;
}

static void
t_policy_parse(void)
{
    struct vg_rmm_policy *p = NULL;
    struct vg_diag d;
    vg_diag_clear(&d);
    static const char good[] = "# site\napprove-tool screenconnect\n"
                               "approve-relay *.screenconnect.com\n"
                               "approve-instance " SC_A "\nrecent-days 30\n";
    REQUIRE_RC(vg_rmm_policy_load_buf(good, sizeof(good) - 1, "p", &p, &d),
               VG_OK);
    vg_rmm_policy_free(p);
    static const char bad[] = "approve-tool x\napprove-tol y\n";
    CHECK_RC(vg_rmm_policy_load_buf(bad, sizeof(bad) - 1, "p", &p, &d),
             VG_ESYNTAX);
    CHECK(p == NULL);
    CHECK_EQ_UINT(d.line, 2);
    CHECK_EQ_STR(d.msg, "unknown policy directive 'approve-tol'");
    static const char bad2[] = "recent-days many\n";
    CHECK_RC(vg_rmm_policy_load_buf(bad2, sizeof(bad2) - 1, "p", &p, &d),
             VG_ESYNTAX);
    CHECK_EQ_STR(d.msg, "recent-days needs a number of days (0..36500)");
    static const char bad3[] = "approve-relay\n";
    CHECK_RC(vg_rmm_policy_load_buf(bad3, sizeof(bad3) - 1, "p", &p, &d),
             VG_ESYNTAX);
    CHECK_EQ_STR(d.msg, "'approve-relay' needs a value");
}

static void
t_findings_sc(void)
{
    struct vg_rmm_catalog *c = catalog();
    REQUIRE(c != NULL && fixtures() != NULL);
    struct vg_rmm_result *r = scan(c, "sc-multi");
    REQUIRE(r != NULL);
    struct vg_rmm_policy *p = NULL;
    struct vg_diag d;
    static const char pol[] = "approve-tool screenconnect\n"
                              "approve-relay *.screenconnect.com\n"
                              "approve-instance " SC_A "\nrecent-days 60\n";
    REQUIRE_RC(vg_rmm_policy_load_buf(pol, sizeof(pol) - 1, "p", &p, &d),
               VG_OK);
    struct vg_rmm_opts o = {.now_us = NOW_US};
    struct got g = {.n = 0};
    REQUIRE_RC(vg_rmm_findings(c, r, p, &o, collect, &g), VG_OK);
    static const struct {
        const char *id;
        int sev;
    } want[] = {
        {"vigil.rmm.inventory|" SC_A, 0},
        {"vigil.rmm.multiple-instances|" SC_A, 3},
        {"CVE-2024-1709,CVE-2024-1708|" SC_A, 4},
        {"CVE-2025-3935|" SC_A, 3},
        {"CVE-2026-3564|" SC_A, 4},
        {"vigil.rmm.inventory|" SC_B, 0},
        {"vigil.rmm.unknown-relay|" SC_B, 3},
        {"vigil.rmm.unknown-instance|" SC_B, 3},
        {"CVE-2024-1709,CVE-2024-1708|" SC_B, 4},
        {"CVE-2023-47257,CVE-2023-47256|" SC_B, 3},
        {"CVE-2025-3935|" SC_B, 3},
        {"CVE-2026-3564|" SC_B, 4},
        {"vigil.rmm.recent-install|" SC_B, 2},
        {"vigil.rmm.inventory|screenconnect-server", 0},
        {"vigil.rmm.unapproved|screenconnect-server", 2},
        {"CVE-2024-1709,CVE-2024-1708|screenconnect-server", 4},
        {"CVE-2025-3935|screenconnect-server", 3},
        {"CVE-2026-3564|screenconnect-server", 4},
        {"vigil.rmm.sc-webshell|screenconnect-server", 4},
    };
    CHECK_EQ_INT(g.n, (int)(sizeof(want) / sizeof(want[0])));
    for (int i = 0; i < g.n && i < (int)(sizeof(want) / sizeof(want[0])); i++) {
        CHECK_EQ_STR(g.ids[i], want[i].id);
        CHECK_EQ_INT(g.sev[i], want[i].sev);
    }
    vg_rmm_policy_free(p);
    vg_rmm_result_free(r);
    vg_rmm_catalog_free(c);
}

static void
t_findings_ioc(void)
{
    struct vg_rmm_catalog *c = catalog();
    REQUIRE(c != NULL && fixtures() != NULL);
    struct vg_rmm_result *r = scan(c, "anydesk-tv");
    REQUIRE(r != NULL);
    int calls = 0;
    struct vg_rmm_opts o = {
        .now_us = NOW_US, .ioc_addr = ioc_203, .ioc_arg = &calls};
    struct got g = {.n = 0};
    REQUIRE_RC(vg_rmm_findings(c, r, NULL, &o, collect, &g), VG_OK);
    int ioc = 0;
    for (int i = 0; i < g.n; i++)
        if (strcmp(g.ids[i], "vigil.rmm.ioc-session|anydesk") == 0) {
            ioc++;
            CHECK_EQ_INT(g.sev[i], 4);
        }
    CHECK_EQ_INT(ioc, 1);
    CHECK_EQ_INT(calls, 1); /* one session with an address */
    vg_rmm_result_free(r);
    vg_rmm_catalog_free(c);
}

/* ---- LOLRMM messy data --------------------------------------------------- */

static void
t_lolrmm_messy(void)
{
    struct vg_rmm_catalog *c = NULL;
    struct vg_diag d;
    size_t skipped = 0;
    REQUIRE_RC(vg_rmm_catalog_new(&c), VG_OK);
    static const char y1[] =
        "Name: Foo Remote\nCategory: RMM\nDescription: x\n"
        "Details:\n  PEMetadata:\n    Filename: foo.exe\n" /* dict, not list */
        "    OriginalFileName: FooSvc.exe\n"
        "  InstallationPaths:\n"
        "    - C:\\Program Files\\Foo\\foo.exe\n"
        "    - '*\\Foo\\*'\n"        /* relative: skipped */
        "    - FooLog\\d\\d\\.log\n" /* regex, no dir */
        "    - '%appdata%\\Foo\\cfg.ini'\n"
        "    - (a|b)\\.exe$\n" /* unconvertible */
        "    - agent.exe\n"    /* generic: no bin */
        "Artifacts:\n  Disk:\n    - File: "
        "C:\\ProgramData\\Foo\\Log\\d\\d\\.txt\n"
        "  Registry:\n    - Path: KLM\\SOFTWARE\\Foo\n"
        "  Network:\n    - Domains: foo.example\n" /* scalar, not list */
        "  EventLog: []\n"
        "CodeSigning:\n  certificates:\n    - signer_name: Foo Ltd\n";
    REQUIRE_RC(vg_rmm_catalog_load_lolrmm_buf(c, y1, sizeof(y1) - 1, "foo.yaml",
                                              &skipped, &d),
               VG_OK);
    CHECK_EQ_UINT(vg_rmm_catalog_count(c), 1);
    CHECK_EQ_STR(vg_rmm_catalog_tool_id(c, 0), "lolrmm:fooremote");
    CHECK_EQ_STR(vg_rmm_catalog_tool_name(c, 0), "Foo Remote");
    CHECK_EQ_UINT(skipped, 2);
    /* same name again (another file): merged, not duplicated */
    static const char y2[] = "Name: foo-remote\nDetails:\n  InstallationPaths: "
                             "C:\\Foo2\\foo2.exe\n";
    REQUIRE_RC(vg_rmm_catalog_load_lolrmm_buf(c, y2, sizeof(y2) - 1, "f2.yaml",
                                              NULL, &d),
               VG_OK);
    CHECK_EQ_UINT(vg_rmm_catalog_count(c), 1);
    static const char y3[] = "Name: [unclosed\n";
    CHECK_RC(vg_rmm_catalog_load_lolrmm_buf(c, y3, sizeof(y3) - 1, "bad.yaml",
                                            NULL, &d),
             VG_ESYNTAX);
    CHECK_EQ_STR(d.path, "bad.yaml");
    CHECK_EQ_UINT(d.line, 2);
    static const char y4[] = "- just\n- a list\n";
    CHECK_RC(vg_rmm_catalog_load_lolrmm_buf(c, y4, sizeof(y4) - 1, "l.yaml",
                                            NULL, &d),
             VG_EFORMAT);
    CHECK_EQ_STR(d.msg, "no usable Name field");
    vg_rmm_catalog_free(c);
}

static void
t_lolrmm_scan(void)
{
    /* the messy entry's paths are really probed */
    struct vg_rmm_catalog *c = NULL;
    struct vg_diag d;
    REQUIRE(fixtures() != NULL);
    REQUIRE_RC(vg_rmm_catalog_new(&c), VG_OK);
    static const char y[] =
        "Name: TeamViewer\nDetails:\n  InstallationPaths:\n"
        "    - C:\\Program Files\\TeamViewer\\\n"
        "Artifacts:\n  Disk:\n"
        "    - File: C:\\Program Files\\TeamViewer\\Connections_incoming.txt\n";
    REQUIRE_RC(vg_rmm_catalog_load_lolrmm_buf(c, y, sizeof(y) - 1, "tv.yaml",
                                              NULL, &d),
               VG_OK);
    struct vg_rmm_result *r = scan(c, "anydesk-tv");
    REQUIRE(r != NULL);
    CHECK_EQ_UINT(vg_rmm_result_count(r), 1);
    const struct vg_rmm_item *it = find(r, "lolrmm:teamviewer", NULL);
    REQUIRE(it != NULL);
    CHECK_EQ_STR(it->where, "Program Files/TeamViewer");
    CHECK_EQ_INT(it->n_sessions, 2);
    vg_rmm_result_free(r);
    /* "~/" paths are per-home paths, not the home folders themselves */
    static const char yh[] = "Name: Home Tool\nArtifacts:\n  Disk:\n"
                             "    - File: ~/.config/rustdesk/RustDesk.toml\n";
    REQUIRE_RC(vg_rmm_catalog_load_lolrmm_buf(c, yh, sizeof(yh) - 1, "h.yaml",
                                              NULL, &d),
               VG_OK);
    r = scan(c, "linux");
    REQUIRE(r != NULL);
    CHECK_EQ_UINT(vg_rmm_result_count(r), 1);
    it = find(r, "lolrmm:hometool", NULL);
    REQUIRE(it != NULL);
    CHECK_EQ_STR(it->local_id, "987987987");
    REQUIRE_EQ_INT(it->n_evidence, 1);
    CHECK_EQ_STR(it->evidence[0], "home/bob/.config/rustdesk/RustDesk.toml");
    vg_rmm_result_free(r);
    vg_rmm_catalog_free(c);
}

static void
t_lolrmm_corpus(void)
{
    const char *corp = vg_test_env("VG_CORPORA");
    char dir[1024];
    snprintf(dir, sizeof(dir), "%s/lolrmm/yaml", corp != NULL ? corp : "");
    if (corp == NULL || access(dir, R_OK) != 0) {
        vg_test_skip("corpus not found: lolrmm/yaml");
        return;
    }
    struct vg_rmm_catalog *c = catalog();
    REQUIRE(c != NULL);
    size_t files = 0;
    struct vg_diag d;
    REQUIRE_RC(vg_rmm_catalog_load_lolrmm_dir(c, dir, NULL, &files, &d), VG_OK);
    CHECK_EQ_UINT(files, 319);
    /* 319 entries, 310 distinct names (letters and digits, lower case);
     * 52 of them are Vigil's own tools and merge into them: 258 new tools.
     * Counted independently with PyYAML over the same folder. */
    CHECK_EQ_UINT(vg_rmm_catalog_count(c), 68 + 258);
    vg_rmm_catalog_free(c);
}

static const struct vg_test tests[] = {
    T(t_catalog_loads), T(t_catalog_errors),   T(t_catalog_alloc_fail),
    T(t_version_cmp),   T(t_sc_parse),         T(t_parse_text),
    T(t_pe_version),    T(t_tools30),          T(t_sc_multi),
    T(t_anydesk_tv),    T(t_decoys_and_clean), T(t_linux_tree),
    T(t_policy_parse),  T(t_findings_sc),      T(t_findings_ioc),
    T(t_lolrmm_messy),  T(t_lolrmm_scan),      T(t_lolrmm_corpus),
};

int
main(int argc, char **argv)
{
    int rc = vg_test_main(argc, argv, tests, sizeof(tests) / sizeof(tests[0]));
    cleanup();
    return rc;
}
