/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test_correlate.c - the correlator with exact expectations: the 2023
 * story (second ScreenConnect instance from the inventory + its 7045
 * service install + the MSBuild payload file + the process that ran it)
 * becomes one incident; an unrelated finding stays alone; the same key on
 * another host is not linked; duplicates fold with a count; verdicts and
 * reasons for COMPROMISED, SUSPICIOUS and CLEAN; incidents read back are
 * recomputed, not doubled; allocation failures are clean.
 */
#include <stdlib.h>
#include <string.h>

#include "core/alloc.h"
#include "vg_test.h"
#include "vigil/correlate.h"
#include "vigil/vigil.h"

#define SC_ID "9f3c2a7b1e4d5f60"

static const struct vg_kv inv_vals[] = {
    {"relay", "relay.unknown-host.example:8041"},
    {"instance", SC_ID},
};
static const struct vg_kv svc_vals[] = {
    {"ServiceName", "ScreenConnect Client (" SC_ID ")"},
    {"ImagePath", "\"C:\\Program Files (x86)\\ScreenConnect Client (" SC_ID
                  ")\\ScreenConnect.ClientService.exe\" \"?e=Access&y=Guest&"
                  "h=relay.unknown-host.example&p=8041&s=x\""},
};
static const struct vg_kv proc_vals[] = {
    {"CommandLine", "C:\\Windows\\Microsoft.NET\\Framework64\\v4.0.30319\\"
                    "MSBuild.exe C:\\Windows\\Temp\\test.xml"},
};

static struct vg_finding
mk(const char *host, const char *module, enum vg_severity sev,
   const char *title)
{
    struct vg_finding f;
    memset(&f, 0, sizeof(f));
    f.time_us = VG_TIME_NONE;
    f.host = host;
    f.module = module;
    f.severity = sev;
    f.title = title;
    f.evidence.offset = VG_OFFSET_NONE;
    return f;
}

struct got {
    struct vg_finding *f[64];
    size_t n;
};

static int
keep(const struct vg_finding *f, void *arg)
{
    struct got *g = arg;
    if (g->n < 64) {
        g->f[g->n++] = vg_finding_dup(f);
    }
    return VG_OK;
}

static void
got_free(struct got *g)
{
    for (size_t i = 0; i < g->n; i++) {
        free(g->f[i]);
    }
    g->n = 0;
}

static const char *
extra(const struct vg_finding *f, const char *key)
{
    for (size_t i = 0; i < f->n_extra; i++) {
        if (strcmp(f->extra[i].key, key) == 0) {
            return f->extra[i].value;
        }
    }
    return NULL;
}

static int
add_story(struct vg_correlate *c, const char *host)
{
    struct vg_finding inv = mk(host, "rmm", VG_SEV_HIGH,
                               "Second ScreenConnect instance");
    struct vg_finding svc = mk(host, "hunt", VG_SEV_MEDIUM,
                               "ScreenConnect Client Service Installed");
    struct vg_finding file = mk(host, "files", VG_SEV_CRITICAL,
                                "VIGIL_MSBuild_InlineTask_Memory_Exec");
    struct vg_finding proc = mk(host, "hunt", VG_SEV_HIGH,
                                "MSBuild Runs an XML Project");
    const struct vg_finding *all[] = {&inv, &svc, &file, &proc};
    int rc = VG_OK;

    inv.evidence.values = inv_vals;
    inv.evidence.n_values = 2;
    svc.evidence.values = svc_vals;
    svc.evidence.n_values = 2;
    svc.evidence.path = "Logs/System.evtx";
    file.evidence.path = "demo/evidence/Windows/Temp/test.xml";
    proc.evidence.values = proc_vals;
    proc.evidence.n_values = 1;
    proc.evidence.path = "Logs/Security.evtx";
    for (size_t i = 0; i < VG_ARRAY_LEN(all) && rc == VG_OK; i++) {
        rc = vg_correlate_add(all[i], c);
    }
    return rc;
}

/* Adds every finding in order, then finishes: each step is a check.
 * Returns 1 when all passed. */
static int
add_finish(struct vg_correlate *c, const struct vg_finding *const *f,
           size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (!CHECK_RC(vg_correlate_add(f[i], c), VG_OK)) {
            return 0;
        }
    }
    return CHECK_RC(vg_correlate_finish(c), VG_OK);
}

static void
t_story_is_two_incidents(void)
{
    struct vg_correlate *c = NULL;
    struct vg_finding lone = mk("RX01", "files", VG_SEV_LOW, "odd file");
    struct got g = {0};

    lone.evidence.path = "C:/Users/a/notes.txt";
    REQUIRE_RC(vg_correlate_new(&c), VG_OK);
    REQUIRE_RC(add_story(c, "RX01"), VG_OK);
    REQUIRE(add_finish(c, (const struct vg_finding *[]){&lone}, 1));
    CHECK_EQ_UINT(vg_correlate_incident_count(c), 2);
    CHECK_EQ_UINT(vg_correlate_kept(c), 5);
    CHECK_EQ_STR(vg_correlate_verdict(c), "COMPROMISED");
    CHECK_EQ_STR(vg_correlate_reason(c),
                 "file temp/test.xml on RX01 ties together 2 findings, the "
                 "worst: VIGIL_MSBuild_InlineTask_Memory_Exec (and more "
                 "incidents below).");
    REQUIRE_RC(vg_correlate_emit(c, keep, &g), VG_OK);
    REQUIRE_EQ_INT(g.n, 7);
    /* incidents first, worst first */
    CHECK_EQ_STR(g.f[0]->module, "correlate");
    CHECK_EQ_STR(g.f[0]->title, "Incident: file temp/test.xml on RX01");
    CHECK_EQ_INT(g.f[0]->severity, VG_SEV_CRITICAL);
    CHECK_EQ_STR(g.f[1]->title,
                 "Incident: ScreenConnect instance " SC_ID
                 " (relay relay.unknown-host.example) on RX01");
    CHECK_EQ_INT(g.f[1]->severity, VG_SEV_HIGH);
    CHECK_EQ_STR(g.f[1]->reason,
                 "2 findings from 2 modules tell one story; the worst: "
                 "Second ScreenConnect instance.");
    REQUIRE_EQ_INT(g.f[1]->evidence.n_values, 3);
    CHECK_EQ_STR(g.f[1]->evidence.values[0].value,
                 "ScreenConnect instance " SC_ID
                 ", relay relay.unknown-host.example, service screenconnect "
                 "client (" SC_ID ")");
    CHECK_EQ_STR(g.f[1]->evidence.values[1].value,
                 "[high] rmm: Second ScreenConnect instance");
    CHECK_EQ_STR(g.f[1]->evidence.values[2].value,
                 "[medium] hunt: ScreenConnect Client Service Installed");
    /* members in arrival order, tagged */
    CHECK_EQ_STR(extra(g.f[2], "incident"), "INC-1");
    CHECK_EQ_STR(extra(g.f[3], "incident"), "INC-1");
    CHECK_EQ_STR(extra(g.f[4], "incident"), "INC-2");
    CHECK_EQ_STR(extra(g.f[5], "incident"), "INC-2");
    CHECK(extra(g.f[6], "incident") == NULL);
    got_free(&g);
    vg_correlate_free(c);
}

static void
t_hosts_not_linked(void)
{
    struct vg_correlate *c = NULL;
    struct vg_finding a = mk("RX01", "rmm", VG_SEV_HIGH, "a");
    struct vg_finding b = mk("RX02", "hunt", VG_SEV_MEDIUM, "b");

    a.evidence.values = inv_vals;
    a.evidence.n_values = 2;
    b.evidence.values = svc_vals;
    b.evidence.n_values = 2;
    REQUIRE_RC(vg_correlate_new(&c), VG_OK);
    REQUIRE(add_finish(c, (const struct vg_finding *[]){&a, &b}, 2));
    CHECK_EQ_UINT(vg_correlate_incident_count(c), 0);
    CHECK_EQ_UINT(vg_correlate_hosts(c), 2);
    CHECK_EQ_STR(vg_correlate_reason(c),
                 "1 high or critical finding, the worst: a.");
    vg_correlate_free(c);
}

static void
t_fold_and_suspicious(void)
{
    struct vg_correlate *c = NULL;
    struct vg_finding a = mk("H", "sweep", VG_SEV_MEDIUM, "IOC in log");
    struct got g = {0};

    a.evidence.path = "x.log";
    a.evidence.offset = 10;
    REQUIRE_RC(vg_correlate_new(&c), VG_OK);
    REQUIRE(add_finish(c, (const struct vg_finding *[]){&a, &a, &a}, 3));
    CHECK_EQ_UINT(vg_correlate_kept(c), 1);
    CHECK_EQ_UINT(vg_correlate_folded(c), 2);
    CHECK_EQ_STR(vg_correlate_verdict(c), "SUSPICIOUS");
    CHECK_EQ_STR(vg_correlate_reason(c),
                 "3 low or medium findings, the worst: IOC in log.");
    REQUIRE_RC(vg_correlate_emit(c, keep, &g), VG_OK);
    REQUIRE_EQ_INT(g.n, 1);
    CHECK_EQ_STR(extra(g.f[0], "duplicates"), "3");
    got_free(&g);
    CHECK_RC(vg_correlate_add(&a, c), VG_EINVAL);
    CHECK_RC(vg_correlate_finish(c), VG_EINVAL);
    vg_correlate_free(c);
}

static void
t_min_severity(void)
{
    struct vg_correlate *c = NULL;
    struct vg_finding a = mk("H", "hunt", VG_SEV_MEDIUM, "medium one");
    struct vg_finding b = mk("H", "rmm", VG_SEV_HIGH, "high one");

    REQUIRE_RC(vg_correlate_new(&c), VG_OK);
    vg_correlate_set_min_severity(c, VG_SEV_CRITICAL);
    REQUIRE(add_finish(c, (const struct vg_finding *[]){&a, &b}, 2));
    CHECK_EQ_STR(vg_correlate_verdict(c), "CLEAN");
    CHECK_EQ_STR(vg_correlate_reason(c),
                 "No finding at critical severity or above.");
    vg_correlate_free(c);
    REQUIRE_RC(vg_correlate_new(&c), VG_OK);
    vg_correlate_set_min_severity(c, VG_SEV_MEDIUM);
    REQUIRE(add_finish(c, (const struct vg_finding *[]){&a}, 1));
    CHECK_EQ_STR(vg_correlate_verdict(c), "SUSPICIOUS");
    vg_correlate_free(c);
}

static void
t_timeline(void)
{
    struct vg_correlate *c = NULL;
    struct vg_finding a = mk("H", "hunt", VG_SEV_LOW, "late");
    struct vg_finding b = mk("H", "rmm", VG_SEV_LOW, "untimed");
    struct vg_finding d = mk("H", "hunt", VG_SEV_LOW, "early");
    struct vg_finding e = mk("H", "hunt", VG_SEV_LOW, "early too");
    struct got g = {0};

    a.time_us = 3000;
    d.time_us = 1000;
    e.time_us = 1000;
    REQUIRE_RC(vg_correlate_new(&c), VG_OK);
    REQUIRE(add_finish(c, (const struct vg_finding *[]){&a, &b, &d, &e}, 4));
    REQUIRE_RC(vg_correlate_emit_timeline(c, keep, &g), VG_OK);
    REQUIRE_EQ_INT(g.n, 4);
    CHECK_EQ_STR(g.f[0]->title, "early");
    CHECK_EQ_STR(g.f[1]->title, "early too");
    CHECK_EQ_STR(g.f[2]->title, "late");
    CHECK_EQ_STR(g.f[3]->title, "untimed");
    got_free(&g);
    vg_correlate_free(c);
}

static void
t_clean(void)
{
    struct vg_correlate *c = NULL;
    struct vg_finding a = mk("H", "rmm", VG_SEV_INFO, "AnyDesk installed");
    REQUIRE_RC(vg_correlate_new(&c), VG_OK);
    REQUIRE(add_finish(c, (const struct vg_finding *[]){&a}, 1));
    CHECK_EQ_STR(vg_correlate_verdict(c), "CLEAN");
    CHECK_EQ_STR(vg_correlate_reason(c), "No finding at low severity or above.");
    vg_correlate_free(c);
}

/* What vigil report does: read back emitted findings, correlate again. */
static void
t_recorrelate_not_doubled(void)
{
    struct vg_correlate *c = NULL, *c2 = NULL;
    struct got g = {0}, g2 = {0};

    REQUIRE_RC(vg_correlate_new(&c), VG_OK);
    REQUIRE_RC(add_story(c, "RX01"), VG_OK);
    REQUIRE_RC(vg_correlate_finish(c), VG_OK);
    REQUIRE_RC(vg_correlate_emit(c, keep, &g), VG_OK);
    REQUIRE_RC(vg_correlate_new(&c2), VG_OK);
    REQUIRE(add_finish(c2, (const struct vg_finding *const *)g.f, g.n));
    REQUIRE_RC(vg_correlate_emit(c2, keep, &g2), VG_OK);
    REQUIRE_EQ_INT(g2.n, g.n);
    for (size_t i = 0; i < g.n; i++) {
        CHECK_EQ_STR(g2.f[i]->title, g.f[i]->title);
        CHECK_EQ_INT(g2.f[i]->n_extra, g.f[i]->n_extra);
    }
    got_free(&g);
    got_free(&g2);
    vg_correlate_free(c);
    vg_correlate_free(c2);
}

static void
t_alloc_failures(void)
{
    for (long k = 0; k < 400; k++) {
        struct vg_correlate *c = NULL;
        struct got g = {0};
        int rc;
        vg_alloc_fail_after(k);
        rc = vg_correlate_new(&c);
        if (rc == VG_OK) {
            rc = add_story(c, "RX01");
        }
        if (rc == VG_OK) {
            rc = vg_correlate_finish(c);
        }
        if (rc == VG_OK) {
            rc = vg_correlate_emit(c, keep, &g);
        }
        vg_alloc_fail_after(-1);
        CHECK(rc == VG_OK || rc == VG_ENOMEM);
        got_free(&g);
        vg_correlate_free(c);
    }
}

static const struct vg_test tests[] = {
    T(t_story_is_two_incidents), T(t_hosts_not_linked),
    T(t_fold_and_suspicious),    T(t_clean),  T(t_min_severity), T(t_timeline),
    T(t_recorrelate_not_doubled), T(t_alloc_failures),
};

int
main(int argc, char **argv)
{
    return vg_test_main(argc, argv, tests, VG_ARRAY_LEN(tests));
}
