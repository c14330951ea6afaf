/* SPDX-License-Identifier: Apache-2.0 */
/*
 * fuzz_sigma_cond.c - libFuzzer harness for the Sigma condition parser: the
 * input is a condition string, parsed against a fixed set of search
 * identifiers (sel, sel_a, sel_b, filter_1, filter_2, _hidden, keywords).
 * Deep nesting, long inputs and junk must give an error, never a crash,
 * stack overflow or hang.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "core/arena.h"
#include "sigma/sigma_int.h"
#include "vigil/err.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const char *const names[] = { "sel", "sel_a", "sel_b", "filter_1",
                                         "filter_2", "_hidden", "keywords" };
    struct sg_search s[7];
    struct vg_arena a;
    char reason[256] = "";
    struct sg_lctx lc = { &a, NULL, NULL, reason, sizeof(reason), 0 };
    struct sg_cond *c = NULL;
    memset(s, 0, sizeof(s));
    for (size_t i = 0; i < 7; i++)
        s[i].name = names[i];
    vg_arena_init(&a, 4096, (size_t)64 << 20);
    (void)sg_cond_parse(&lc, (const char *)data, size, s, 7, &c);
    vg_arena_fini(&a);
    return 0;
}
