/* SPDX-License-Identifier: Apache-2.0 */
/*
 * memevent.h - an in-memory struct vg_event built from name/value pairs, for
 * tests of the detection engines (they must not need an EVTX file).
 *
 * System values given with vg_memevent_init (channel, event id, provider,
 * computer, time, record id) are also fields ("Channel", "EventID",
 * "Provider_Name", "Computer", "EventRecordID"), like the EVTX reader's.
 * A value of NULL is a present-but-null field. Names and values are
 * borrowed: keep them alive while the event is used. Not for production.
 */
#ifndef VG_TEST_MEMEVENT_H
#define VG_TEST_MEMEVENT_H

#include <stddef.h>
#include <stdint.h>

#include "vigil/event.h"

#define VG_MEMEVENT_MAX 64

struct vg_memevent {
    struct vg_event ev;
    const char     *name[VG_MEMEVENT_MAX];
    const char     *value[VG_MEMEVENT_MAX];
    size_t          n;
    char            eid_text[16];
    char            rid_text[24];
};

/* channel/provider/computer may be NULL. time_us may be VG_TIME_NONE. */
void vg_memevent_init(struct vg_memevent *m, const char *channel,
                      uint32_t event_id, const char *provider,
                      const char *computer, int64_t time_us,
                      uint64_t record_id);
/* Add (or replace) a field; silently ignores more than VG_MEMEVENT_MAX. */
void vg_memevent_set(struct vg_memevent *m, const char *name,
                     const char *value);
/* Add fields from a NULL-terminated list name, value, name, value, ...;
 * the value VG_MEMEVENT_NULL stands for a null value. */
extern const char VG_MEMEVENT_NULL[];
void vg_memevent_setv(struct vg_memevent *m, const char *const *kv);

#endif
