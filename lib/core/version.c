/* SPDX-License-Identifier: Apache-2.0 */
/* version.c - vg_version(): the string CMake passes in (project version). */
#include "vigil/vigil.h"

#include "core/banned.h"

const char *
vg_version(void)
{
    return VG_VERSION_STRING;
}
