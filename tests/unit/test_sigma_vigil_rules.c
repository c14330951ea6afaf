/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test_sigma_vigil_rules.c - Vigil's own Sigma rules (rules/sigma): every
 * rule loads, and each has a fixture event it must hit and a near-miss it
 * must not (events shaped like the real ones: see docs/FIELD-NOTES.md).
 * Each fixture is checked twice: as an in-memory event, and as a one-record
 * EVTX file written with the fixture writer (tests/support/evtx_writer) and
 * read back with Vigil's EVTX reader (skipped when the build has neither).
 */
#include <stdio.h>
#include <string.h>

#include "memevent.h"
#include "vg_test.h"
#include "vigil/sigma.h"
#if defined(__has_include)
#if __has_include("vigil/evtx.h") && __has_include("evtx_writer.h")
#include <stdlib.h>

#include "evtx_writer.h"
#include "vigil/evtx.h"
#define HAVE_EVTX 1
#endif
#endif

#define SYSMON "Microsoft-Windows-Sysmon/Operational"
#define SCM "Service Control Manager"
#define SC_PROV "ScreenConnect Client (8f2b1c3d4e5f6a7b)"
#define SC_SVC "ScreenConnect Client (8f2b1c3d4e5f6a7b)"
#define SC_PATH "\"C:\\Program Files (x86)\\ScreenConnect Client " \
    "(8f2b1c3d4e5f6a7b)\\ScreenConnect.ClientService.exe\" " \
    "\"?e=Access&y=Guest&h=relay.example.invalid&p=8041&s=x&k=y\""

struct fx {
    const char *rule_id;
    const char *channel, *provider;
    uint32_t    eid;
    const char *kv[12];
    int         want;
};

static const struct fx fixtures[] = {
    /* ScreenConnect application log 200 / 201 */
    { "47ed972a-e253-46a5-8547-530c38b89eff", "Application", SC_PROV, 200,
      { "Data", "Executed command of length 27", NULL }, 1 },
    { "47ed972a-e253-46a5-8547-530c38b89eff", "Application", SC_PROV, 100,
      { "Data", "Connected", NULL }, 0 },
    { "3d79bb41-e9a7-4420-9e50-16e552ebb28a", "Application", "ScreenConnect", 201,
      { "Data", "Transferred files with action 'Transfer': test.xml", NULL }, 1 },
    { "3d79bb41-e9a7-4420-9e50-16e552ebb28a", "Application", "MsiInstaller", 201,
      { "Data", "x", NULL }, 0 },
    /* service installs */
    { "afd5435a-681e-4903-a34e-d6362bee6866", "System", SCM, 7045,
      { "ServiceName", SC_SVC, "ImagePath", SC_PATH, NULL }, 1 },
    { "afd5435a-681e-4903-a34e-d6362bee6866", "System", SCM, 7045,
      { "ServiceName", "Spooler", "ImagePath", "C:\\Windows\\spoolsv.exe", NULL }, 0 },
    { "ce70833d-17d9-46e5-ba97-84d845db0857", "Security", "Microsoft-Windows-Security-Auditing", 4697,
      { "ServiceName", SC_SVC, "ServiceFileName", SC_PATH, NULL }, 1 },
    { "ce70833d-17d9-46e5-ba97-84d845db0857", "Security", "Microsoft-Windows-Security-Auditing", 4697,
      { "ServiceName", "VSS", "ServiceFileName", "C:\\Windows\\system32\\vssvc.exe", NULL }, 0 },
    { "f56868ae-d64b-4dea-8d25-5105867e1492", "System", SCM, 7045,
      { "ServiceName", "AnyDesk Service", "ImagePath",
        "\"C:\\Program Files (x86)\\AnyDesk\\AnyDesk.exe\" --service", NULL }, 1 },
    { "f56868ae-d64b-4dea-8d25-5105867e1492", "System", SCM, 7036,
      { "param1", "AnyDesk Service", NULL }, 0 },
    { "337ddfb8-71e2-4c97-85d2-38d39376aa78", "Security", "Microsoft-Windows-Security-Auditing", 4697,
      { "ServiceName", "AnyDesk", "ServiceFileName",
        "\"C:\\Program Files (x86)\\AnyDesk\\AnyDesk.exe\" --service", NULL }, 1 },
    { "337ddfb8-71e2-4c97-85d2-38d39376aa78", "Security", "Microsoft-Windows-Security-Auditing", 4697,
      { "ServiceName", "TeamViewer", "ServiceFileName", "C:\\tv.exe", NULL }, 0 },
    /* MSBuild */
    { "11039330-5235-4ea5-ba96-1c687baa0ebf", SYSMON, "Microsoft-Windows-Sysmon", 1,
      { "Image", "C:\\Windows\\Microsoft.NET\\Framework64\\v4.0.30319\\MSBuild.exe",
        "CommandLine", "MSBuild.exe C:\\Windows\\Temp\\ScreenConnect\\23.9.7\\test.xml",
        "ParentImage", "C:\\Windows\\System32\\cmd.exe", NULL }, 1 },
    { "11039330-5235-4ea5-ba96-1c687baa0ebf", "Security", "Microsoft-Windows-Security-Auditing", 4688,
      { "NewProcessName", "C:\\Windows\\Microsoft.NET\\Framework\\v4.0.30319\\MSBuild.exe",
        "CommandLine", "MSBuild.exe C:\\Users\\bob\\AppData\\Local\\Temp\\test.xml",
        "ParentProcessName", "C:\\Windows\\explorer.exe", NULL }, 1 },
    { "11039330-5235-4ea5-ba96-1c687baa0ebf", SYSMON, "Microsoft-Windows-Sysmon", 1,
      { "Image", "C:\\Program Files\\Microsoft Visual Studio\\MSBuild.exe",
        "CommandLine", "MSBuild.exe D:\\src\\app.sln",
        "ParentImage", "C:\\Program Files\\devenv.exe", NULL }, 0 },
    /* spooler */
    { "69793326-a83f-4d03-9f60-1dab26b71ecc", SYSMON, "Microsoft-Windows-Sysmon", 1,
      { "Image", "C:\\Windows\\System32\\cmd.exe", "ParentImage",
        "C:\\Windows\\System32\\spoolsv.exe", "CommandLine", "cmd.exe", NULL }, 1 },
    { "69793326-a83f-4d03-9f60-1dab26b71ecc", SYSMON, "Microsoft-Windows-Sysmon", 1,
      { "Image", "C:\\Windows\\splwow64.exe", "ParentImage",
        "C:\\Windows\\System32\\spoolsv.exe", "CommandLine", "splwow64 8192", NULL }, 0 },
    { "6ad372d6-dc68-4c90-8798-5b02b35fbc01", "System", SCM, 7040,
      { "param1", "Print Spooler", "param2", "disabled", "param3", "auto start", NULL }, 1 },
    { "6ad372d6-dc68-4c90-8798-5b02b35fbc01", "System", SCM, 7040,
      { "param1", "Background Intelligent Transfer Service", NULL }, 0 },
    { "fef62cb0-0def-4dcf-a530-8351851c0159", SYSMON, "Microsoft-Windows-Sysmon", 13,
      { "TargetObject", "HKLM\\System\\CurrentControlSet\\Services\\Spooler\\Start",
        "Image", "C:\\Windows\\regedit.exe", "Details", "DWORD (0x00000002)", NULL }, 1 },
    { "fef62cb0-0def-4dcf-a530-8351851c0159", SYSMON, "Microsoft-Windows-Sysmon", 13,
      { "TargetObject", "HKLM\\System\\CurrentControlSet\\Services\\Spooler\\Start",
        "Image", "C:\\Windows\\System32\\spoolsv.exe", NULL }, 0 },
    /* accounts */
    { "d9c4dd8b-33f8-419b-9f30-cfd735cda54f", "Security", "Microsoft-Windows-Security-Auditing", 4720,
      { "TargetUserName", "support2", NULL }, 1 },
    { "d9c4dd8b-33f8-419b-9f30-cfd735cda54f", "Security", "Microsoft-Windows-Security-Auditing", 4726,
      { "TargetUserName", "support2", NULL }, 0 },
    { "27e05142-3848-4e2b-85b1-5267636844bb", "Security", "Microsoft-Windows-Security-Auditing", 4732,
      { "TargetUserName", "Administrators", "TargetSid", "S-1-5-32-544",
        "MemberSid", "S-1-5-21-1-2-3-1001", NULL }, 1 },
    { "27e05142-3848-4e2b-85b1-5267636844bb", "Security", "Microsoft-Windows-Security-Auditing", 4732,
      { "TargetUserName", "Remote Desktop Users", "TargetSid", "S-1-5-32-555", NULL }, 0 },
    { "c1a1945e-3dc6-409d-891d-b1f89afdcc54", "Security", "Microsoft-Windows-Security-Auditing", 4688,
      { "NewProcessName", "C:\\Windows\\System32\\net.exe", "CommandLine",
        "net  user support2 P@ssw0rd! /add", NULL }, 1 },
    { "c1a1945e-3dc6-409d-891d-b1f89afdcc54", SYSMON, "Microsoft-Windows-Sysmon", 1,
      { "Image", "C:\\Windows\\System32\\net.exe", "CommandLine",
        "net user support2", NULL }, 0 },
    /* AnyDesk */
    { "a305af5f-f948-4967-b238-07773b9c9af7", SYSMON, "Microsoft-Windows-Sysmon", 1,
      { "Image", "C:\\Users\\bob\\Downloads\\AnyDesk.exe", "CommandLine",
        "AnyDesk.exe --install \"C:\\Program Files (x86)\\AnyDesk\" --start-with-win --silent", NULL }, 1 },
    { "a305af5f-f948-4967-b238-07773b9c9af7", SYSMON, "Microsoft-Windows-Sysmon", 1,
      { "Image", "C:\\Users\\bob\\Downloads\\AnyDesk.exe", "CommandLine",
        "AnyDesk.exe --install \"C:\\Program Files (x86)\\AnyDesk\"", NULL }, 0 },
    { "e35058cc-cfe3-437c-9334-6c34e914382e", "Security", "Microsoft-Windows-Security-Auditing", 4688,
      { "NewProcessName", "C:\\Windows\\System32\\cmd.exe", "CommandLine",
        "cmd.exe /c echo Passw0rd | \"C:\\ProgramData\\AnyDesk.exe\" --set-password", NULL }, 1 },
    { "e35058cc-cfe3-437c-9334-6c34e914382e", SYSMON, "Microsoft-Windows-Sysmon", 1,
      { "Image", "C:\\ProgramData\\AnyDesk.exe", "CommandLine",
        "AnyDesk.exe --get-id", NULL }, 0 },
};

struct hits {
    const struct vg_sigma *s;
    const char            *id;
    int                    n;
};

static int
on_match(void *arg, const struct vg_sigma_match *m, const struct vg_event *ev)
{
    struct hits *h = arg;
    const struct vg_sigma_rule_info *in = vg_sigma_rule(h->s, m->rule);
    (void)ev;
    h->n += in->id != NULL && strcmp(in->id, h->id) == 0;
    return 0;
}

static struct vg_sigma *
load_own(void)
{
    const char *src = vg_test_env("VG_SRC_DIR");
    char dir[1024];
    struct vg_sigma *s = NULL;
    struct vg_diag d;
    snprintf(dir, sizeof(dir), "%s/rules/sigma", src ? src : ".");
    if (vg_sigma_new(NULL, NULL, &s, &d) != 0)
        return NULL;
    if (vg_sigma_add_path(s, dir, &d) != 0 || vg_sigma_compile(s, &d) != 0) {
        vg_sigma_free(s);
        return NULL;
    }
    return s;
}

static void
t_all_load(void)
{
    struct vg_sigma *s = load_own();
    REQUIRE(s != NULL);
    for (size_t i = 0; i < vg_sigma_unsupported_count(s); i++)
        printf("# %s: %s\n", vg_sigma_unsupported(s, i)->path,
               vg_sigma_unsupported(s, i)->reason);
    CHECK_EQ_UINT(vg_sigma_unsupported_count(s), 0);
    CHECK_EQ_UINT(vg_sigma_count(s), 16);
    for (size_t i = 0; i < vg_sigma_count(s); i++) {
        const struct vg_sigma_rule_info *in = vg_sigma_rule(s, i);
        CHECK(in->applies);
        CHECK(in->id != NULL && in->n_tags > 0);
    }
    vg_sigma_free(s);
}

static void
t_fixtures(void)
{
    struct vg_sigma *s = load_own();
    struct vg_sigma_scanner *sc = NULL;
    REQUIRE(s != NULL);
    REQUIRE_RC(vg_sigma_scanner_new(s, &sc), 0);
    for (size_t i = 0; i < VG_ARRAY_LEN(fixtures); i++) {
        const struct fx *f = &fixtures[i];
        struct vg_memevent m;
        struct hits h = { s, f->rule_id, 0 };
        vg_memevent_init(&m, f->channel, f->eid, f->provider, "WS01",
                         1700000000000000 + (int64_t)i, i + 1);
        vg_memevent_setv(&m, f->kv);
        CHECK_RC(vg_sigma_scan(sc, &m.ev, on_match, &h), 0);
        if ((h.n > 0) != f->want)
            printf("# fixture %zu (rule %s): hits %d, want %d\n", i,
                   f->rule_id, h.n, f->want);
        CHECK_EQ_INT(h.n > 0, f->want);
    }
    vg_sigma_scanner_free(sc);
    vg_sigma_free(s);
}

/* Two different ScreenConnect instances on one computer: the correlation
 * fires once; the same instance twice, or on two computers, does not. */
static int
second_instance(const char *const *names, const char *const *hosts, size_t n)
{
    struct vg_sigma *s = load_own();
    struct vg_sigma_scanner *sc = NULL;
    struct hits h = { s, "942af2bd-021c-41f7-bae7-3b00f6594a07", 0 };
    if (s == NULL || vg_sigma_scanner_new(s, &sc) != 0)
        return -1;
    for (size_t i = 0; i < n; i++) {
        struct vg_memevent m;
        vg_memevent_init(&m, "System", 7045, SCM, hosts[i],
                         1700000000000000 + (int64_t)i * 3600000000, i + 1);
        vg_memevent_set(&m, "ServiceName", names[i]);
        vg_memevent_set(&m, "ImagePath", SC_PATH);
        if (vg_sigma_scan(sc, &m.ev, on_match, &h) != 0)
            h.n = -1;
    }
    if (vg_sigma_scanner_flush(sc, on_match, &h) != 0)
        h.n = -1;
    vg_sigma_scanner_free(sc);
    vg_sigma_free(s);
    return h.n;
}

static void
t_second_instance(void)
{
    static const char *const two[] = { "ScreenConnect Client (1111111111111111)",
                                       "ScreenConnect Client (2222222222222222)" };
    static const char *const same[] = { "ScreenConnect Client (1111111111111111)",
                                        "ScreenConnect Client (1111111111111111)" };
    static const char *const one_host[] = { "WS01", "WS01" };
    static const char *const two_hosts[] = { "WS01", "WS02" };
    CHECK_EQ_INT(second_instance(two, one_host, 2), 1);
    CHECK_EQ_INT(second_instance(same, one_host, 2), 0);
    CHECK_EQ_INT(second_instance(two, two_hosts, 2), 0);
}

#ifdef HAVE_EVTX
struct evscan {
    struct vg_sigma_scanner *sc;
    struct hits             *h;
    int                      records;
};

static int
on_record(void *arg, struct vg_evtx_record *rec)
{
    struct evscan *e = arg;
    e->records++;
    return vg_sigma_scan(e->sc, &rec->event, on_match, e->h);
}

/* Write fixture f as a one-record EVTX, read it back, scan it. Returns the
 * hits on f's rule, or -1. */
static int
evtx_hits(const struct vg_sigma *s, const struct fx *f, int64_t t)
{
    struct evw_field data[6];
    size_t nd = 0;
    for (size_t i = 0; f->kv[i] != NULL && nd < 6; i += 2, nd++)
        data[nd] = (struct evw_field){ .name = f->kv[i], .type = EVW_STR,
                                       .s = f->kv[i + 1] };
    struct evw_event e = { .channel = f->channel, .provider = f->provider,
                           .event_id = (uint16_t)f->eid, .time_us = t,
                           .computer = "WS01", .data = data, .n_data = nd };
    struct evw *w = NULL;
    uint8_t *buf = NULL;
    size_t len = 0;
    struct vg_evtx *x = NULL;
    struct vg_evtx_reader *rd = NULL;
    struct hits h = { s, f->rule_id, 0 };
    struct evscan es = { NULL, &h, 0 };
    int ret = -1;
    if (evw_new(&w) != 0 || evw_add(w, &e) != 0 || evw_finish(w, &buf, &len))
        goto out;
    if (vg_evtx_open_mem(NULL, buf, len, "fixture.evtx", &x) != 0 ||
        vg_evtx_reader_new(&rd) != 0 || vg_sigma_scanner_new(s, &es.sc) != 0)
        goto out;
    if (vg_evtx_each(rd, x, 0, on_record, &es, NULL) == 0 && es.records == 1)
        ret = h.n;
out:
    vg_sigma_scanner_free(es.sc);
    vg_evtx_reader_free(rd);
    vg_evtx_close(x);
    free(buf);
    evw_free(w);
    return ret;
}

static void
t_fixtures_evtx(void)
{
    struct vg_sigma *s = load_own();
    REQUIRE(s != NULL);
    for (size_t i = 0; i < VG_ARRAY_LEN(fixtures); i++) {
        int n = evtx_hits(s, &fixtures[i], 1700000000000000 + (int64_t)i);
        if ((n > 0) != fixtures[i].want)
            printf("# EVTX fixture %zu (rule %s): hits %d, want %d\n", i,
                   fixtures[i].rule_id, n, fixtures[i].want);
        CHECK(n >= 0);
        CHECK_EQ_INT(n > 0, fixtures[i].want);
    }
    vg_sigma_free(s);
}
#else
static void
t_fixtures_evtx(void)
{
    vg_test_skip("EVTX reader or fixture writer not in this build");
}
#endif

static const struct vg_test tests[] = {
    T(t_all_load),
    T(t_fixtures),
    T(t_fixtures_evtx),
    T(t_second_instance),
};

int
main(int argc, char **argv)
{
    return vg_test_main(argc, argv, tests, VG_ARRAY_LEN(tests));
}
