/* SPDX-License-Identifier: Apache-2.0 */
/*
 * memevent.c - struct vg_event over name/value arrays (see memevent.h).
 * Lookups are linear: test events have a handful of fields.
 */
#include "memevent.h"

#include <stdio.h>
#include <string.h>

#include "vigil/err.h"
#include "vigil/finding.h"

const char VG_MEMEVENT_NULL[] = "\x01(null)";

static int
mem_get(void *impl, const char *name, size_t name_len, struct vg_str *value)
{
    const struct vg_memevent *m = impl;
    for (size_t i = 0; i < m->n; i++) {
        if (strlen(m->name[i]) == name_len &&
            memcmp(m->name[i], name, name_len) == 0) {
            value->p = m->value[i];
            value->len = m->value[i] ? strlen(m->value[i]) : 0;
            return VG_OK;
        }
    }
    value->p = NULL;
    value->len = 0;
    return VG_ENOTFOUND;
}

static int
mem_each(void *impl, vg_event_field_fn *fn, void *arg)
{
    const struct vg_memevent *m = impl;
    for (size_t i = 0; i < m->n; i++) {
        struct vg_str n = { m->name[i], strlen(m->name[i]) };
        struct vg_str v = { m->value[i], m->value[i] ? strlen(m->value[i]) : 0 };
        int rc = fn(arg, n, v);
        if (rc != 0)
            return rc;
    }
    return VG_OK;
}

static const struct vg_event_ops mem_ops = { mem_get, mem_each };

void
vg_memevent_init(struct vg_memevent *m, const char *channel, uint32_t event_id,
                 const char *provider, const char *computer, int64_t time_us,
                 uint64_t record_id)
{
    memset(m, 0, sizeof(*m));
    m->ev.ops = &mem_ops;
    m->ev.impl = m;
    m->ev.event_id = event_id;
    m->ev.channel.p = channel;
    m->ev.channel.len = channel ? strlen(channel) : 0;
    m->ev.provider.p = provider;
    m->ev.provider.len = provider ? strlen(provider) : 0;
    m->ev.computer.p = computer;
    m->ev.computer.len = computer ? strlen(computer) : 0;
    m->ev.time_us = time_us;
    m->ev.record_id = record_id;
    snprintf(m->eid_text, sizeof(m->eid_text), "%u", (unsigned)event_id);
    snprintf(m->rid_text, sizeof(m->rid_text), "%llu",
             (unsigned long long)record_id);
    vg_memevent_set(m, "EventID", m->eid_text);
    vg_memevent_set(m, "EventRecordID", m->rid_text);
    if (channel)
        vg_memevent_set(m, "Channel", channel);
    if (provider)
        vg_memevent_set(m, "Provider_Name", provider);
    if (computer)
        vg_memevent_set(m, "Computer", computer);
}

void
vg_memevent_set(struct vg_memevent *m, const char *name, const char *value)
{
    if (value == VG_MEMEVENT_NULL)
        value = NULL;
    for (size_t i = 0; i < m->n; i++) {
        if (strcmp(m->name[i], name) == 0) {
            m->value[i] = value;
            return;
        }
    }
    if (m->n == VG_MEMEVENT_MAX)
        return;
    m->name[m->n] = name;
    m->value[m->n++] = value;
}

void
vg_memevent_setv(struct vg_memevent *m, const char *const *kv)
{
    for (size_t i = 0; kv != NULL && kv[i] != NULL && kv[i + 1] != NULL; i += 2)
        vg_memevent_set(m, kv[i], kv[i + 1]);
}
