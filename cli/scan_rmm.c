/* SPDX-License-Identifier: Apache-2.0 */
/*
 * scan_rmm.c - the remote-access inventory stage of `vigil scan`: loads
 * Vigil's tool catalog (rules/rmm/catalog) and the --policy file once,
 * probes the target (vigil/rmm.h: catalog paths, offline hives, /proc on a
 * live host) and emits the inventory and policy findings. Relays and
 * session addresses are checked against the IOC store when one is loaded.
 * Built only when the rmm module is in this build; otherwise the stage
 * says it did not run.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "scan.h"

#if __has_include("vigil/rmm.h")
#include "vigil/rmm.h"
#if __has_include("vigil/ioc.h")
#include "vigil/ioc.h"
#define HAVE_IOC 1
#endif

#include "core/banned.h"

static struct vg_rmm_catalog *catalog;
static struct vg_rmm_policy *policy;

static int
available(void)
{
    return 1;
}

static void
note_diag(struct scan *s, const char *what, const struct vg_diag *d)
{
    char msg[VG_DIAG_PATH_MAX + VG_DIAG_MSG_MAX + 64], line[sizeof(msg) + 64];
    (void)vg_diag_format(d, msg, sizeof(msg));
    (void)snprintf(line, sizeof(line), "%s: %s", what, msg);
    s->n_errors++;
    scan_note(s, VG_SEV_INFO, "vigil.content-error", line, line, NULL);
}

static void
load(struct scan *s)
{
    char path[4096];
    struct vg_diag d;

    vg_diag_clear(&d);
    if (vg_rmm_catalog_new(&catalog) != VG_OK) {
        return;
    }
    if (scan_content_path("rmm/catalog", path, sizeof(path)) != 0) {
        scan_note(s, VG_SEV_INFO, "vigil.content-missing",
                  "remote-access catalog not found",
                  "rules/rmm/catalog was not found (set VIGIL_CONTENT); "
                  "the inventory knows no tools",
                  NULL);
    } else if (vg_rmm_catalog_load_file(catalog, path, &d) != VG_OK) {
        note_diag(s, "remote-access catalog", &d);
    }
    if (s->policy_path &&
        vg_rmm_policy_load_file(s->policy_path, &policy, &d) != VG_OK) {
        note_diag(s, "--policy", &d);
    }
}

#ifdef HAVE_IOC
/* Remote addresses and relays against the IOC feeds. */
static int
ioc_addr(void *arg, const char *addr)
{
    const struct vg_ioc_store *st = arg;
    uint32_t id;
    return vg_ioc_lookup_any(st, addr, strlen(addr), &id, 1) > 0;
}
#endif

#ifdef HAVE_IOC
/* The relay an instance obeys, looked up in the IOC feeds: the strongest
 * sign that a remote-access instance belongs to an intruder. */
static void
relay_iocs(struct scan *s, const struct vg_rmm_result *r)
{
    const struct vg_ioc_store *st = scan_iocs(s);

    for (size_t i = 0; st && i < vg_rmm_result_count(r); i++) {
        const struct vg_rmm_item *it = vg_rmm_result_item(r, i);
        struct vg_ioc_info in;
        struct vg_ioc_src src;
        uint32_t id;
        char title[512];

        if (it->relay == NULL ||
            vg_ioc_lookup_any(st, it->relay, strlen(it->relay), &id, 1) <= 0 ||
            vg_ioc_get(st, id, &in) != VG_OK) {
            continue;
        }
        vg_ioc_src_init(&src);
        (void)vg_ioc_get_src(st, id, 0, &src);
        (void)snprintf(title, sizeof(title), "%s obeys a relay in an IOC "
                       "feed: %s", it->tool_name ? it->tool_name : "tool",
                       it->relay);
        struct vg_kv vals[3] = {
            {"relay", it->relay},
            {"instance", it->instance ? it->instance : ""},
            {"indicator", in.value},
        };
        struct vg_finding f = {
            .time_us = VG_TIME_NONE,
            .module = "rmm",
            .severity = VG_SEV_CRITICAL,
            .score = 100,
            .title = title,
            .reason = src.description
                          ? src.description
                          : "the server this remote-access instance takes "
                            "orders from is a known-bad indicator",
            .remediation = "Isolate the host, remove the instance and block "
                           "the relay; then look for what it was used for.",
            .rule = {.id = "vigil.rmm.relay-ioc", .name = src.feed,
                     .source = "vigil"},
            .evidence = {.path = it->where, .offset = VG_OFFSET_NONE,
                         .values = vals, .n_values = it->instance ? 3 : 0},
            .techniques = (const char *const[]){"T1219"},
            .n_techniques = 1,
        };
        if (f.evidence.n_values == 0) {
            vals[1] = vals[2];
            f.evidence.n_values = 2;
        }
        if (scan_emit(&f, s) != VG_OK) {
            return;
        }
    }
}
#endif

static void
run(struct scan *s)
{
    struct vg_rmm_opts o = {
        .root = s->t.root,
        .live = s->t.kind == VG_TARGET_LIVE,
    };
    struct vg_rmm_result *r = NULL;
    struct vg_diag d;

    if (catalog == NULL) {
        return;
    }
#ifdef HAVE_IOC
    if (scan_iocs(s) != NULL) {
        o.ioc_addr = ioc_addr;
        o.ioc_arg = (void *)(uintptr_t)scan_iocs(s);
    }
#endif
    vg_diag_clear(&d);
    if (vg_rmm_scan(catalog, &o, s->cli->ctx, &r, &d) != VG_OK) {
        note_diag(s, "remote-access inventory", &d);
        return;
    }
    s->n_items += vg_rmm_result_probed(r);
    if (vg_rmm_findings(catalog, r, policy, &o, scan_emit, s) != VG_OK) {
        cli_err(s->cli, "remote-access inventory: out of memory");
    }
#ifdef HAVE_IOC
    relay_iocs(s, r);
#endif
    vg_rmm_result_free(r);
}

static void
fini(struct scan *s)
{
    (void)s;
    vg_rmm_policy_free(policy);
    vg_rmm_catalog_free(catalog);
    policy = NULL;
    catalog = NULL;
}

const struct scan_stage scan_stage_rmm = {
    "rmm", "remote-access inventory", available, load, run, fini,
};

static int
on_name(void *arg, const char *name, const char *value)
{
    struct scan *s = arg;
    if (strcmp(name, "ComputerName") == 0 && value && value[0]) {
        (void)snprintf(s->host_buf, sizeof(s->host_buf), "%s", value);
        return 1; /* found: stop */
    }
    return 0;
}

int
scan_host_from_hive(struct scan *s)
{
    static const char *const keys[] = {
        "ControlSet001\\Control\\ComputerName\\ComputerName",
        "ControlSet002\\Control\\ComputerName\\ComputerName",
    };
    char path[VG_TARGET_PATH_MAX];
    struct vg_rmm_hive *h = NULL;
    struct vg_diag d;
    int found = 0;

    s->host_buf[0] = '\0';
    vg_diag_clear(&d);
    if (vg_target_resolve(&s->t, "Windows/System32/config/SYSTEM", path,
                          sizeof(path)) != VG_OK ||
        vg_rmm_hive_open(path, &h, &d) != VG_OK) {
        return -1; /* an unreadable hive is reported by the inventory */
    }
    for (size_t i = 0; i < VG_ARRAY_LEN(keys) && !found; i++) {
        int rc = vg_rmm_hive_values(h, keys[i], on_name, s, &d);
        found = rc >= 0 && s->host_buf[0] != '\0';
    }
    vg_rmm_hive_close(h);
    return found ? 0 : -1;
}

#else /* the rmm module is not in this build */

static int
available(void)
{
    return 0;
}

const struct scan_stage scan_stage_rmm = {
    "rmm", "remote-access inventory", available, NULL, NULL, NULL,
};

int
scan_host_from_hive(struct scan *s)
{
    (void)s;
    return -1;
}

#endif
