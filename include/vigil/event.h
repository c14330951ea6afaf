/* SPDX-License-Identifier: Apache-2.0 */
/*
 * event.h - an event as the detection engines see it: named fields.
 *
 * The Sigma engine matches anything that implements vg_event, so it never
 * includes an EVTX header, and a JSON event source needs no change to it.
 * The EVTX reader fills one per record (System.* values and EventData /
 * UserData values by name, rendered to UTF-8 lazily where it can).
 *
 * Field names: as the event names them. System values use their element or
 * attribute name: "EventID", "Channel", "Provider_Name", "Computer",
 * "Level", "Task", "Opcode", "Keywords", "EventRecordID", "TimeCreated",
 * "ProcessID", "ThreadID", "UserID" (Security.UserID). EventData <Data
 * Name="X"> is "X"; UserData leaf elements by their own name.
 *
 * Lifetime: values are borrowed until the producer moves to the next event.
 * An event is single-owner (the thread that reads it).
 */
#ifndef VIGIL_EVENT_H
#define VIGIL_EVENT_H

#include <stddef.h>
#include <stdint.h>

#include "vigil/compiler.h"

struct vg_str {
    const char *p; /* not necessarily NUL-terminated; NULL for a null value */
    size_t      len;
};

/* Called for each field by vg_event_ops.each; return nonzero to stop. */
typedef int vg_event_field_fn(void *arg, struct vg_str name, struct vg_str value);

struct vg_event_ops {
    /* Value of the field called name. VG_OK (value set; p == NULL when the
     * field exists but is null/empty-element), VG_ENOTFOUND when the event
     * has no such field, or another negative code on a rendering error. */
    int (*get)(void *impl, const char *name, size_t name_len,
               struct vg_str *value);
    /* Every field in document order (keyword search, JSON output). Returns
     * VG_OK, or the callback's nonzero value, or an error. */
    int (*each)(void *impl, vg_event_field_fn *fn, void *arg);
};

struct vg_event {
    const struct vg_event_ops *ops;
    void                      *impl;
    /* Cheap prefilter values, always set by the producer. */
    uint32_t      event_id;  /* System.EventID (0 if none) */
    struct vg_str channel;   /* System.Channel */
    struct vg_str provider;  /* System.Provider Name */
    struct vg_str computer;  /* System.Computer */
    int64_t       time_us;   /* System.TimeCreated, or VG_TIME_NONE */
    uint64_t      record_id; /* System.EventRecordID */
    const char   *source;    /* file it came from (borrowed), or NULL */
    uint64_t      offset;    /* byte offset of the record in source */
    int           is_recovered; /* carved from slack space */
};

#endif
