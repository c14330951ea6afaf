#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
# gen_mapping_default.py rules/mapping/windows.yml lib/sigma/mapping_default.c
# Regenerates the compiled-in default mapping from the data file.
import sys
src=open(sys.argv[1],'rb').read().decode()
out=['/* SPDX-License-Identifier: Apache-2.0 */\n/*\n * mapping_default.c - rules/mapping/windows.yml compiled in, so `vigil hunt`\n * works without data files. Generated from that file; test_sigma_mapping\n * checks the two are byte-identical (edit the .yml, then regenerate).\n * Deliberately not here: any logic (mapping.c reads it).\n */\n#include <stddef.h>\n\n#include "sigma/sigma_int.h"\n\nconst char *const sg_default_mapping[] = {\n']
for line in src.splitlines(True):
    esc=line.replace('\\','\\\\').replace('"','\\"').replace('\n','\\n')
    out.append('    "'+esc+'",\n')
out.append('};\nconst size_t sg_default_mapping_lines =\n    sizeof(sg_default_mapping) / sizeof(sg_default_mapping[0]);\n')
open(sys.argv[2],'w').write(''.join(out))
