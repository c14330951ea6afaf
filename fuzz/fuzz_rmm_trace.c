/* SPDX-License-Identifier: Apache-2.0 */
/*
 * fuzz_rmm_trace.c - libFuzzer harness for the RMM log parsers: AnyDesk
 * ad.trace / ad_svc.trace / connection_trace.txt, TeamViewer
 * Connections_incoming.txt, and the catalog's keyword session rules (with
 * the IPv4 and date scanners they use). The first byte picks the log kind.
 * It checks memory safety only.
 */
#include <stddef.h>
#include <stdint.h>

#include "vigil/rmm.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const char *const kinds[] = {
        "ad.trace",
        "ad_svc.trace",
        "connection_trace.txt",
        "Connections_incoming.txt",
        "anydesk.trace",
        "SPLog.txt",
    };
    if (size == 0)
        return 0;
    const char *kind = kinds[data[0] % (sizeof(kinds) / sizeof(kinds[0]))];
    (void)vg_rmm_parse_text(kind, (const char *)data + 1, size - 1);
    return 0;
}
