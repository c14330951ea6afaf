/* SPDX-License-Identifier: Apache-2.0 */
/*
 * vigil.h - libvigil's umbrella header. Include this; each module header
 * below is that module's contract.
 */
#ifndef VIGIL_VIGIL_H
#define VIGIL_VIGIL_H

#include "vigil/buf.h"
#include "vigil/compiler.h"
#include "vigil/ctx.h"
#include "vigil/err.h"
#include "vigil/event.h"
#include "vigil/finding.h"
#include "vigil/pool.h"
#include "vigil/report.h"
#include "vigil/time.h"

/* "0.1.0" */
VG_API const char *vg_version(void);

#endif
