/* SPDX-License-Identifier: Apache-2.0 */
/*
 * fuzz_rmm_pe.c - libFuzzer harness for the PE version-resource reader
 * (lib/rmm/pe.c). On success the version strings must be NUL-terminated
 * within their fields (checked by strlen staying below the field size).
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "vigil/rmm.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct vg_rmm_pe_version v;
    struct vg_diag d;
    vg_diag_clear(&d);
    int rc = vg_rmm_pe_version(data, size, &v, &d);
    if (rc == VG_OK &&
        (strlen(v.file_version) >= sizeof(v.file_version) ||
         strlen(v.str_file_version) >= sizeof(v.str_file_version) ||
         strlen(v.company) >= sizeof(v.company)))
        abort();
    if (rc != VG_OK && rc != VG_EFORMAT && rc != VG_ENOTFOUND)
        abort();
    return 0;
}
