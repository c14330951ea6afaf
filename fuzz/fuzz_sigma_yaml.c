/* SPDX-License-Identifier: Apache-2.0 */
/*
 * fuzz_sigma_yaml.c - libFuzzer harness for the Sigma rule loader: the input
 * is one rule file (YAML). It is loaded, compiled (built-in mapping) and
 * matched against two fixed events (Sysmon process creation and a Security
 * event), so modifiers, the condition parser, the plan and the matcher all
 * see hostile rules. Loading must never crash, leak or hang; bad rules must
 * end up in the unsupported list.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "vigil/err.h"
#include "vigil/sigma.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

struct fev {
    const char *const *kv; /* name, value, ..., NULL */
};

static int
fget(void *impl, const char *name, size_t n, struct vg_str *v)
{
    const struct fev *e = impl;
    for (size_t i = 0; e->kv[i] != NULL; i += 2) {
        if (strlen(e->kv[i]) == n && memcmp(e->kv[i], name, n) == 0) {
            v->p = e->kv[i + 1];
            v->len = strlen(e->kv[i + 1]);
            return VG_OK;
        }
    }
    return VG_ENOTFOUND;
}

static int
feach(void *impl, vg_event_field_fn *fn, void *arg)
{
    const struct fev *e = impl;
    for (size_t i = 0; e->kv[i] != NULL; i += 2) {
        struct vg_str n = { e->kv[i], strlen(e->kv[i]) };
        struct vg_str v = { e->kv[i + 1], strlen(e->kv[i + 1]) };
        int rc = fn(arg, n, v);
        if (rc != 0)
            return rc;
    }
    return VG_OK;
}

static const struct vg_event_ops fops = { fget, feach };

static int
on_match(void *arg, const struct vg_sigma_match *m, const struct vg_event *ev)
{
    (void)arg;
    (void)m;
    (void)ev;
    return 0;
}

static void
scan_one(struct vg_sigma_scanner *sc, const char *channel, uint32_t eid,
         const char *const *kv)
{
    struct fev fe = { kv };
    struct vg_event ev;
    memset(&ev, 0, sizeof(ev));
    ev.ops = &fops;
    ev.impl = &fe;
    ev.event_id = eid;
    ev.channel.p = channel;
    ev.channel.len = strlen(channel);
    ev.time_us = 1700000000000000;
    int rc = vg_sigma_scan(sc, &ev, on_match, NULL);
    (void)rc; /* on_match never fails; nothing else can */
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const char *const sysmon[] = {
        "EventID", "1", "Channel", "Microsoft-Windows-Sysmon/Operational",
        "Image", "C:\\Windows\\System32\\cmd.exe", "CommandLine",
        "cmd.exe /c whoami -all", "ParentImage", "C:\\x\\MSBuild.exe",
        "User", "HOST\\bob", "DestinationIp", "10.1.2.3", NULL };
    static const char *const security[] = {
        "EventID", "4688", "Channel", "Security", "NewProcessName",
        "C:\\Windows\\System32\\net.exe", "CommandLine", "net user x /add",
        "SubjectUserName", "bob", NULL };
    struct vg_sigma *s = NULL;
    struct vg_sigma_scanner *sc = NULL;
    struct vg_diag d;
    if (vg_sigma_new(NULL, NULL, &s, &d) != VG_OK)
        return 0;
    if (vg_sigma_add_text(s, "fuzz.yml", (const char *)data, size) == VG_OK &&
        vg_sigma_compile(s, &d) == VG_OK &&
        vg_sigma_scanner_new(s, &sc) == VG_OK) {
        scan_one(sc, "Microsoft-Windows-Sysmon/Operational", 1, sysmon);
        scan_one(sc, "Security", 4688, security);
        int rc = vg_sigma_scanner_flush(sc, on_match, NULL);
        (void)rc; /* on_match never fails */
    }
    vg_sigma_scanner_free(sc);
    vg_sigma_free(s);
    return 0;
}
