/* SPDX-License-Identifier: Apache-2.0 */
/*
 * fuzz_rmm_lolrmm.c - libFuzzer harness for the LOLRMM YAML loader
 * (lib/rmm/lolrmm.c): libyaml parses, then Vigil normalises Name,
 * InstallationPaths (globs, regexes, variables), PEMetadata (dict or list),
 * Artifacts and CodeSigning into catalog facts.
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
    size_t skipped = 0;
    if (vg_rmm_catalog_new(&c) != VG_OK)
        return 0;
    int rc = vg_rmm_catalog_load_lolrmm_buf(c, (const char *)data, size, "fuzz",
                                            &skipped, &d);
    /* a failure is reported with the file name, a success adds one tool */
    if ((rc != VG_OK && d.path[0] == '\0') ||
        (rc == VG_OK && vg_rmm_catalog_count(c) != 1))
        abort();
    vg_rmm_catalog_free(c);
    return 0;
}
