/* SPDX-License-Identifier: Apache-2.0 */
/*
 * policy.h - internal: the parsed RMM policy (policy.c) as findings.c reads
 * it. Immutable after load.
 */
#ifndef VG_RMM_POLICY_H
#define VG_RMM_POLICY_H

#include "rmm/rmm_int.h"

struct vg_rmm_policy {
    struct rmm_sv tools;     /* approved catalog ids */
    struct rmm_sv relays;    /* host, *.domain or IP globs */
    struct rmm_sv instances; /* ScreenConnect instance ids */
    int recent_days;         /* -1 = not set */
};

/* 1 if host is an approved relay. */
int rmm_policy_relay_ok(const struct vg_rmm_policy *p, const char *host);

#endif
