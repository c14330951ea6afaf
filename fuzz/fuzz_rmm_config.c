/* SPDX-License-Identifier: Apache-2.0 */
/*
 * fuzz_rmm_config.c - libFuzzer harness for the RMM configuration parsers:
 * ScreenConnect launch parameters and user.config, server User.xml, AnyDesk
 * system.conf/service.conf, MeshAgent .msh, NetSupport client32.ini,
 * RustDesk TOML, TeamViewer global.conf and the Tactical RMM JSON config.
 * The first byte picks the file kind; the rest is the file. It checks that
 * nothing crashes, leaks or reads out of bounds; facts are not compared.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "vigil/rmm.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const char *const kinds[] = {
        "user.config",   "ClientLaunchParameters.txt",
        "User.xml",      "system.conf",
        "service.conf",  "MeshAgent.msh",
        "client32.ini",  "RustDesk2.toml",
        "RustDesk.toml", "global.conf",
        "tacticalagent", "locversion.plist",
    };
    if (size == 0)
        return 0;
    const char *kind = kinds[data[0] % (sizeof(kinds) / sizeof(kinds[0]))];
    (void)vg_rmm_parse_text(kind, (const char *)data + 1, size - 1);
    struct vg_rmm_sc_params sp;
    /* found means a non-empty relay host */
    if (vg_rmm_sc_parse((const char *)data + 1, size - 1, &sp) == VG_OK &&
        sp.host[0] == '\0')
        abort();
    return 0;
}
