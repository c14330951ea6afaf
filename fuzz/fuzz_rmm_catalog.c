/* SPDX-License-Identifier: Apache-2.0 */
/*
 * fuzz_rmm_catalog.c - libFuzzer harness for Vigil's RMM catalog format and
 * the policy file (both line formats parsed by hand). A failed load must
 * leave the catalog as it was (all or nothing) and report a line.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "vigil/rmm.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct vg_rmm_catalog *c = NULL;
    struct vg_diag d;
    vg_diag_clear(&d);
    if (vg_rmm_catalog_new(&c) != VG_OK)
        return 0;
    int rc = vg_rmm_catalog_load_buf(c, (const char *)data, size, "fuzz", &d);
    if (rc != VG_OK && vg_rmm_catalog_count(c) != 0)
        abort();
    vg_rmm_catalog_free(c);
    struct vg_rmm_policy *p = NULL;
    rc = vg_rmm_policy_load_buf((const char *)data, size, "fuzz", &p, &d);
    if ((rc == VG_OK) != (p != NULL))
        abort();
    vg_rmm_policy_free(p);
    return 0;
}
