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

#else /* the rmm module is not in this build */

static int
available(void)
{
    return 0;
}

const struct scan_stage scan_stage_rmm = {
    "rmm", "remote-access inventory", available, NULL, NULL, NULL,
};

#endif
