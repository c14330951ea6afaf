/* SPDX-License-Identifier: Apache-2.0 */
/*
 * cmd_sweep.c - `vigil sweep` placeholder until its issue lands: --help shows
 * the planned usage, anything else says the command is not available yet
 * (exit 2). It deliberately does nothing else; the real command replaces
 * this file wholesale.
 */
#include <stdio.h>
#include <string.h>

#include "cli.h"

#include "core/banned.h"

int
cmd_sweep(int argc, char **argv, struct cli *cli)
{
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
            printf("usage: vigil sweep [options] PATH...\n\n"
                   "Search text logs for indicators and attack patterns.\n"
                   "(planned: not available yet in this version)\n\n%s",
                   cli_common_help);
            return CLI_EXIT_CLEAN;
        }
    }
    return cli_not_available(cli, "sweep");
}
