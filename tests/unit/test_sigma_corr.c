/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test_sigma_corr.c - correlation rules over in-memory event streams:
 * event_count (sliding gte, tumbling lt at window close and at flush),
 * value_count, temporal, temporal_ordered, group-by separation, timespan
 * expiry, generate: false hiding the base rule, references to rules that
 * are not loaded (refused), and the specification's example files.
 */
#include <stdio.h>
#include <string.h>

#include "memevent.h"
#include "vg_test.h"
#include "vigil/sigma.h"

#define S(x) ((int64_t)(x) * 1000000)

static const char base_rules[] =
    "title: Failed logon\nid: fail-1\nname: failed_logon\n"
    "logsource:\n  product: windows\n  service: security\n"
    "detection:\n  s:\n    EventID: 4625\n  condition: s\n---\n";
static const char base_ok[] =
    "title: Logon\nid: ok-1\nname: logon\n"
    "logsource:\n  product: windows\n  service: security\n"
    "detection:\n  s:\n    EventID: 4624\n  condition: s\n";

struct ev {
    int64_t     t;   /* seconds */
    uint32_t    eid;
    const char *user, *ip;
};

struct count {
    const struct vg_sigma *s;
    int corr, base;
    char last_group[128];
    uint64_t last_count;
};

static int
on_match(void *arg, const struct vg_sigma_match *m, const struct vg_event *ev)
{
    struct count *c = arg;
    const struct vg_sigma_rule_info *in = vg_sigma_rule(c->s, m->rule);
    (void)ev;
    if (in->kind == VG_SIGMA_CORRELATION) {
        c->corr++;
        c->last_count = m->count;
        snprintf(c->last_group, sizeof(c->last_group), "%s",
                 m->n_fields ? m->fields[0].value : "");
    } else {
        c->base++;
    }
    return 0;
}

/* Load base rules + corr (each as its own text), run evs, flush. */
static struct count
run(const char *corr, const struct ev *evs, size_t n)
{
    struct count c;
    struct vg_sigma *s = NULL;
    struct vg_sigma_scanner *sc = NULL;
    struct vg_diag d;
    memset(&c, 0, sizeof(c));
    c.corr = c.base = -100;
    if (vg_sigma_new(NULL, NULL, &s, &d) != 0)
        return c;
    const char *sep = strstr(base_rules, "---\n");
    if (vg_sigma_add_text(s, "a.yml", base_rules, (size_t)(sep - base_rules)) ||
        vg_sigma_add_text(s, "b.yml", base_ok, strlen(base_ok)) ||
        vg_sigma_add_text(s, "c.yml", corr, strlen(corr)) ||
        vg_sigma_compile(s, &d) || vg_sigma_scanner_new(s, &sc))
        goto out;
    c.s = s;
    c.corr = c.base = 0;
    if (vg_sigma_unsupported_count(s) > 0) {
        printf("# %s\n", vg_sigma_unsupported(s, 0)->reason);
        c.corr = -1;
        goto out;
    }
    for (size_t i = 0; i < n; i++) {
        struct vg_memevent m;
        vg_memevent_init(&m, "Security", evs[i].eid, NULL, "DC1", S(evs[i].t),
                         i + 1);
        vg_memevent_set(&m, "TargetUserName", evs[i].user);
        vg_memevent_set(&m, "IpAddress", evs[i].ip);
        if (vg_sigma_scan(sc, &m.ev, on_match, &c) != 0)
            c.corr = -2;
    }
    if (vg_sigma_scanner_flush(sc, on_match, &c) != 0)
        c.corr = -3;
out:
    vg_sigma_scanner_free(sc);
    vg_sigma_free(s);
    return c;
}

static const char ec_gte[] =
    "title: Brute force\nid: bf-1\ncorrelation:\n  type: event_count\n"
    "  rules:\n    - failed_logon\n  group-by:\n    - TargetUserName\n"
    "  timespan: 60s\n  condition:\n    gte: 3\nlevel: high\n";

static void
t_event_count(void)
{
    static const struct ev burst[] = {
        { 0, 4625, "bob", "1.1.1.1" }, { 10, 4625, "alice", "1.1.1.1" },
        { 20, 4625, "bob", "1.1.1.1" }, { 30, 4625, "bob", "1.1.1.1" },
        { 35, 4625, "bob", "1.1.1.1" },
    };
    struct count c = run(ec_gte, burst, VG_ARRAY_LEN(burst));
    CHECK_EQ_INT(c.corr, 1);          /* bob reaches 3 at t=30, then restarts */
    CHECK_EQ_STR(c.last_group, "bob");
    CHECK_EQ_UINT(c.last_count, 3);
    CHECK_EQ_INT(c.base, 0);          /* generate: false hides failed_logon */
    static const struct ev slow[] = {
        { 0, 4625, "bob", "" }, { 50, 4625, "bob", "" }, { 100, 4625, "bob", "" },
        { 150, 4625, "bob", "" },
    };
    c = run(ec_gte, slow, VG_ARRAY_LEN(slow));
    CHECK_EQ_INT(c.corr, 0);          /* never 3 within 60 s */
    static const struct ev groups[] = {
        { 0, 4625, "a", "" }, { 1, 4625, "b", "" }, { 2, 4625, "c", "" },
        { 3, 4625, "a", "" }, { 4, 4625, "b", "" },
    };
    c = run(ec_gte, groups, VG_ARRAY_LEN(groups));
    CHECK_EQ_INT(c.corr, 0);          /* 2 each, per group */
}

static void
t_event_count_lt(void)
{
    static const char lt[] =
        "title: Rare logon\nid: rare-1\ncorrelation:\n  type: event_count\n"
        "  rules:\n    - logon\n  group-by:\n    - TargetUserName\n"
        "  timespan: 1h\n  condition:\n    lt: 2\n  generate: true\n";
    static const struct ev evs[] = {
        { 0, 4624, "svc", "" }, { 10, 4624, "svc", "" }, { 20, 4624, "eve", "" },
        { 4000, 4624, "svc", "" }, /* closes svc's first window (count 2) */
    };
    struct count c = run(lt, evs, VG_ARRAY_LEN(evs));
    /* eve (1 in its window, judged at flush) and svc's second window (1) */
    CHECK_EQ_INT(c.corr, 2);
    CHECK_EQ_INT(c.base, 4);          /* generate: true keeps logon's hits */
}

static void
t_value_count(void)
{
    static const char vc[] =
        "title: Spray\nid: spray-1\ncorrelation:\n  type: value_count\n"
        "  rules:\n    - failed_logon\n  group-by:\n    - IpAddress\n"
        "  timespan: 5m\n  condition:\n    field: TargetUserName\n    gte: 3\n";
    static const struct ev evs[] = {
        { 0, 4625, "a", "9.9.9.9" }, { 1, 4625, "a", "9.9.9.9" },
        { 2, 4625, "b", "9.9.9.9" }, { 3, 4625, "a", "8.8.8.8" },
        { 4, 4625, "c", "9.9.9.9" },
    };
    struct count c = run(vc, evs, VG_ARRAY_LEN(evs));
    CHECK_EQ_INT(c.corr, 1);
    CHECK_EQ_STR(c.last_group, "9.9.9.9");
    CHECK_EQ_UINT(c.last_count, 3);
}

static void
t_temporal(void)
{
    static const char tp[] =
        "title: Fail then success\nid: tp-1\ncorrelation:\n  type: temporal\n"
        "  rules:\n    - failed_logon\n    - logon\n  group-by:\n"
        "    - TargetUserName\n  timespan: 30s\n";
    static const struct ev any_order[] = {
        { 0, 4624, "bob", "" }, { 10, 4625, "bob", "" },
    };
    CHECK_EQ_INT(run(tp, any_order, 2).corr, 1);
    static const struct ev too_far[] = {
        { 0, 4625, "bob", "" }, { 40, 4624, "bob", "" },
    };
    CHECK_EQ_INT(run(tp, too_far, 2).corr, 0);
    static const struct ev other_user[] = {
        { 0, 4625, "bob", "" }, { 5, 4624, "eve", "" },
    };
    CHECK_EQ_INT(run(tp, other_user, 2).corr, 0);
}

static void
t_temporal_ordered(void)
{
    static const char to[] =
        "title: Fail then success, in order\nid: to-1\ncorrelation:\n"
        "  type: temporal_ordered\n  rules:\n    - failed_logon\n    - logon\n"
        "  group-by:\n    - TargetUserName\n  timespan: 30s\n";
    static const struct ev in_order[] = {
        { 0, 4625, "bob", "" }, { 10, 4624, "bob", "" },
    };
    CHECK_EQ_INT(run(to, in_order, 2).corr, 1);
    static const struct ev reversed[] = {
        { 0, 4624, "bob", "" }, { 10, 4625, "bob", "" },
    };
    CHECK_EQ_INT(run(to, reversed, 2).corr, 0);
}

static void
t_refusals(void)
{
    static const char missing[] =
        "title: X\nid: x-1\ncorrelation:\n  type: event_count\n"
        "  rules:\n    - no_such_rule\n  timespan: 1m\n  condition:\n"
        "    gte: 2\n";
    CHECK_EQ_INT(run(missing, NULL, 0).corr, -1);
    static const char avg[] =
        "title: X\nid: x-2\ncorrelation:\n  type: value_avg\n"
        "  rules:\n    - logon\n  timespan: 1m\n  condition:\n    gte: 2\n";
    CHECK_EQ_INT(run(avg, NULL, 0).corr, -1);
    static const char nospan[] =
        "title: X\nid: x-3\ncorrelation:\n  type: event_count\n"
        "  rules:\n    - logon\n  condition:\n    gte: 2\n";
    CHECK_EQ_INT(run(nospan, NULL, 0).corr, -1);
}

/* The specification's correlation examples load (except the three
 * aggregate types Vigil does not implement). */
static void
t_spec_examples(void)
{
    const char *root = vg_test_env("VG_CORPORA");
    static const char *const files[] = { "event_count.yml", "value_count.yml",
                                         "temporal.yml",
                                         "temporal_ordered.yml" };
    char p[1024];
    int found = 0;
    for (size_t i = 0; i < VG_ARRAY_LEN(files); i++) {
        struct vg_sigma *s = NULL;
        struct vg_diag d;
        snprintf(p, sizeof(p),
                 "%s/sigma-specification/tests/schema/correlation/%s",
                 root ? root : "", files[i]);
        FILE *f = fopen(p, "r");
        if (f == NULL)
            continue;
        fclose(f);
        found++;
        REQUIRE_RC(vg_sigma_new(NULL, NULL, &s, &d), 0);
        CHECK_RC(vg_sigma_add_path(s, p, &d), 0);
        size_t bad = vg_sigma_unsupported_count(s);
        if (bad)
            printf("# %s: %s\n", files[i], vg_sigma_unsupported(s, 0)->reason);
        CHECK_EQ_UINT(bad, 0);
        CHECK_EQ_UINT(vg_sigma_count(s), 1);
        vg_sigma_free(s);
    }
    if (found == 0)
        vg_test_skip("corpus not found: sigma-specification");
}

static const struct vg_test tests[] = {
    T(t_event_count), T(t_event_count_lt), T(t_value_count), T(t_temporal),
    T(t_temporal_ordered), T(t_refusals), T(t_spec_examples),
};

int
main(int argc, char **argv)
{
    return vg_test_main(argc, argv, tests, VG_ARRAY_LEN(tests));
}
