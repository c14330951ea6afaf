/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test_sigma_hunt.c - `vigil hunt` end to end on EVTX files written with the
 * fixture writer: the ScreenConnect intrusion pattern of docs/FIELD-NOTES.md
 * (one event per step) must give exactly the expected findings in time
 * order, its clean twin none; --from/--to and --min-level cut as they say.
 * Runs the real binary ($VIGIL) with Vigil's own rules and checks every
 * JSON line (time, rule id, record id) and the exit status.
 * Skips when the build has no EVTX reader or fixture writer.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "vg_test.h"
#include "vigil/compiler.h"
#if defined(__has_include)
#if __has_include("vigil/evtx.h") && __has_include("evtx_writer.h")
#include "evtx_writer.h"
#define HAVE_EVTX 1
#endif
#endif

#ifdef HAVE_EVTX

#define SC_ID "1111aaaa2222bbbb"
#define SC_ID2 "3333cccc4444dddd"
#define T0 1698483600000000 /* 2023-10-28T09:00:00Z */
#define MIN(m) ((int64_t)(m) * 60000000)

#define F(n, v) { .name = (n), .type = EVW_STR, .s = (v) }

static const struct evw_field f_sc1[] = {
    F("ServiceName", "ScreenConnect Client (" SC_ID ")"),
    F("ImagePath", "\"C:\\Program Files (x86)\\ScreenConnect Client (" SC_ID
                   ")\\ScreenConnect.ClientService.exe\" \"?e=Access&y=Guest&"
                   "h=rs.vendor.example&p=8041\""),
};
static const struct evw_field f_200[] = { F("Data", "Executed command of length 112") };
static const struct evw_field f_201[] = {
    F("Data", "Transferred files with action 'Transfer': test.xml"),
};
static const struct evw_field f_msb[] = {
    F("Image", "C:\\Windows\\Microsoft.NET\\Framework64\\v4.0.30319\\MSBuild.exe"),
    F("CommandLine", "MSBuild.exe C:\\Windows\\Temp\\ScreenConnect\\23.9.7\\test.xml"),
    F("ParentImage", "C:\\Windows\\System32\\cmd.exe"),
};
static const struct evw_field f_net[] = {
    F("NewProcessName", "C:\\Windows\\System32\\net.exe"),
    F("CommandLine", "net user support2 Xy7!pass /add"),
    F("ParentProcessName", "C:\\Windows\\System32\\cmd.exe"),
};
static const struct evw_field f_sc2[] = {
    F("ServiceName", "ScreenConnect Client (" SC_ID2 ")"),
    F("ImagePath", "\"C:\\Program Files (x86)\\ScreenConnect Client (" SC_ID2
                   ")\\ScreenConnect.ClientService.exe\" \"?e=Access&y=Guest&"
                   "h=other.example&p=8041\""),
};
static const struct evw_field f_any[] = {
    F("ServiceName", "AnyDesk Service"),
    F("ImagePath", "\"C:\\Program Files (x86)\\AnyDesk\\AnyDesk.exe\" --service"),
};
/* clean twin */
static const struct evw_field c_svc[] = {
    F("ServiceName", "Windows Update Medic Service"),
    F("ImagePath", "C:\\Windows\\system32\\svchost.exe -k wusvcs -p"),
};
static const struct evw_field c_100[] = { F("Data", "Connected") };
static const struct evw_field c_msb[] = {
    F("Image", "C:\\Program Files\\Microsoft Visual Studio\\2022\\MSBuild\\Current\\Bin\\MSBuild.exe"),
    F("CommandLine", "MSBuild.exe D:\\src\\app\\app.sln /p:Configuration=Release"),
    F("ParentImage", "C:\\Program Files\\Microsoft Visual Studio\\2022\\Common7\\IDE\\devenv.exe"),
};
static const struct evw_field c_net[] = {
    F("NewProcessName", "C:\\Windows\\System32\\net.exe"),
    F("CommandLine", "net user support2"),
};
static const struct evw_field c_7040[] = {
    F("param1", "Background Intelligent Transfer Service"),
    F("param2", "demand start"), F("param3", "auto start"),
};

#define SYSMON "Microsoft-Windows-Sysmon/Operational"
#define SCM "Service Control Manager"
#define SEC "Microsoft-Windows-Security-Auditing"
#define EV(ch, prov, id, min, f)                                            \
    { .channel = (ch), .provider = (prov), .event_id = (id),                \
      .time_us = T0 + MIN(min), .computer = "WS01", .data = (f),            \
      .n_data = VG_ARRAY_LEN(f) }

static const struct evw_event incident[] = {
    EV("System", SCM, 7045, 0, f_sc1),
    EV("Application", "ScreenConnect Client (" SC_ID ")", 200, 5, f_200),
    EV("Application", "ScreenConnect Client (" SC_ID ")", 201, 6, f_201),
    EV(SYSMON, "Microsoft-Windows-Sysmon", 1, 7, f_msb),
    EV("Security", SEC, 4688, 10, f_net),
    EV("System", SCM, 7045, 20, f_sc2),
    EV("System", SCM, 7045, 30, f_any),
};
static const struct evw_event clean[] = {
    EV("System", SCM, 7045, 0, c_svc),
    EV("Application", "ScreenConnect Client (" SC_ID ")", 100, 5, c_100),
    EV(SYSMON, "Microsoft-Windows-Sysmon", 1, 7, c_msb),
    EV("Security", SEC, 4688, 10, c_net),
    EV("System", SCM, 7040, 20, c_7040),
};

struct want {
    const char *time; /* HH:MM of 2023-10-28 */
    const char *rule;
    int         record;
};

static const struct want w_incident[] = {
    { "09:00", "afd5435a-681e-4903-a34e-d6362bee6866", 1 },
    { "09:05", "47ed972a-e253-46a5-8547-530c38b89eff", 2 },
    { "09:06", "3d79bb41-e9a7-4420-9e50-16e552ebb28a", 3 },
    { "09:07", "11039330-5235-4ea5-ba96-1c687baa0ebf", 4 },
    { "09:10", "c1a1945e-3dc6-409d-891d-b1f89afdcc54", 5 },
    { "09:20", "afd5435a-681e-4903-a34e-d6362bee6866", 6 },
    { "09:20", "942af2bd-021c-41f7-bae7-3b00f6594a07", 6 },
    { "09:30", "f56868ae-d64b-4dea-8d25-5105867e1492", 7 },
};
static const struct want w_window[] = {
    { "09:06", "3d79bb41-e9a7-4420-9e50-16e552ebb28a", 3 },
    { "09:07", "11039330-5235-4ea5-ba96-1c687baa0ebf", 4 },
    { "09:10", "c1a1945e-3dc6-409d-891d-b1f89afdcc54", 5 },
};
static const struct want w_high[] = {
    { "09:07", "11039330-5235-4ea5-ba96-1c687baa0ebf", 4 },
    { "09:20", "942af2bd-021c-41f7-bae7-3b00f6594a07", 6 },
};

static int
write_evtx(const char *path, const struct evw_event *e, size_t n)
{
    struct evw *w = NULL;
    int rc = evw_new(&w);
    for (size_t i = 0; i < n && rc == 0; i++)
        rc = evw_add(w, &e[i]);
    if (rc == 0)
        rc = evw_write_file(w, path);
    evw_free(w);
    return rc;
}

/* Run vigil hunt with args on file; check exit status and every line. */
static void
hunt(const char *args, const char *file, int want_exit, const struct want *w,
     size_t nw)
{
    const char *vigil = vg_test_env("VIGIL");
    const char *src = vg_test_env("VG_SRC_DIR");
    char cmd[4096], line[16384];
    size_t n = 0;
    if (vigil == NULL) {
        vg_test_skip("VIGIL not set (run through ctest)");
        return;
    }
    snprintf(cmd, sizeof(cmd),
             "VIGIL_SIGMA_RULES='%s/rules/sigma' '%s' hunt --quiet "
             "--format jsonl %s '%s' 2>/dev/null",
             src ? src : ".", vigil, args, file);
    FILE *p = popen(cmd, "r");
    REQUIRE(p != NULL);
    while (fgets(line, sizeof(line), p) != NULL) {
        char t[64], r[96], rec[48];
        if (n < nw) {
            snprintf(t, sizeof(t), "\"@timestamp\":\"2023-10-28T%s:00.000000Z\"",
                     w[n].time);
            snprintf(r, sizeof(r), "\"id\":\"%s\"", w[n].rule);
            snprintf(rec, sizeof(rec), "\"record_id\":%d}", w[n].record);
            int ok = strstr(line, t) && strstr(line, r) && strstr(line, rec);
            if (!ok)
                printf("# line %zu: want %s %s %d: %.300s\n", n, w[n].time,
                       w[n].rule, w[n].record, line);
            CHECK(ok);
        }
        n++;
    }
    int st = pclose(p);
    CHECK_EQ_UINT(n, nw);
    CHECK(WIFEXITED(st));
    CHECK_EQ_INT(WEXITSTATUS(st), want_exit);
}

static void
t_hunt_cli(void)
{
    char dir[] = "/tmp/vg_sigma_hunt_XXXXXX", inc[128], twin[128];
    REQUIRE(mkdtemp(dir) != NULL);
    snprintf(inc, sizeof(inc), "%s/incident.evtx", dir);
    snprintf(twin, sizeof(twin), "%s/clean.evtx", dir);
    REQUIRE_RC(write_evtx(inc, incident, VG_ARRAY_LEN(incident)), 0);
    REQUIRE_RC(write_evtx(twin, clean, VG_ARRAY_LEN(clean)), 0);
    hunt("--timeline", inc, 1, w_incident, VG_ARRAY_LEN(w_incident));
    hunt("--timeline", twin, 0, NULL, 0);
    hunt("--from 2023-10-28T09:06:00Z --to 2023-10-28T09:15:00Z", inc, 1,
         w_window, VG_ARRAY_LEN(w_window));
    hunt("--min-level high", inc, 1, w_high, VG_ARRAY_LEN(w_high));
    remove(inc);
    remove(twin);
    rmdir(dir);
}

#else

static void
t_hunt_cli(void)
{
    vg_test_skip("EVTX reader or fixture writer not in this build");
}

#endif

static const struct vg_test tests[] = {
    T(t_hunt_cli),
};

int
main(int argc, char **argv)
{
    return vg_test_main(argc, argv, tests, VG_ARRAY_LEN(tests));
}
