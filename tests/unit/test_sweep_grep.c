/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test_sweep_grep.c - differential test: on a generated 4 MB log
 * (tests/tools/gen_sweeplog: Squid, Apache, UFW, BIND lines with 2,000
 * literal IPv4/domain indicators, subdomains, upper case and near misses)
 * the set of lines the sweep matches must equal the set
 * `LC_ALL=C grep -F -w -i -n -f IOCS LOG` prints (the C locale: -i in a
 * UTF-8 locale is a hundred times slower). The generator keeps indicators
 * between separators where -w and the sweep's boundary rules agree (see
 * docs/sweep.md for where they differ: '.', '-' next to an indicator).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "vg_test.h"
#include "vigil/ioc.h"
#include "vigil/sweep.h"

#define MAX_LINES 200000

struct lines {
    unsigned char *seen; /* by line number */
    uint64_t       count;
};

static int
on_match(void *arg, const struct vg_sweep_match *m)
{
    struct lines *l = arg;
    if (m->line < MAX_LINES && !l->seen[m->line]) {
        l->seen[m->line] = 1;
        l->count++;
    }
    return 0;
}

static int
run(const char *cmd)
{
    int rc = system(cmd);
    return rc == 0 ? 0 : -1;
}

static void
t_vs_grep(void)
{
    const char *bd = vg_test_env("VG_BUILD_DIR");
    char dir[] = "/tmp/vg_sweep_grep_XXXXXX", cmd[2048], log[256], ioc[256];
    if (bd == NULL || run("grep --version >/dev/null 2>&1") != 0) {
        vg_test_skip("VG_BUILD_DIR or grep not available");
        return;
    }
    REQUIRE(mkdtemp(dir) != NULL);
    snprintf(log, sizeof(log), "%s/log", dir);
    snprintf(ioc, sizeof(ioc), "%s/iocs", dir);
    snprintf(cmd, sizeof(cmd),
             "'%s/tools/gen_sweeplog' -s 7 -m 4 -n 2000 -r 60 '%s' '%s' && "
             "LC_ALL=C grep -F -w -i -n -f '%s' '%s' | cut -d: -f1 "
             "> '%s/grep.out'",
             bd, log, ioc, ioc, log, dir);
    REQUIRE(run(cmd) == 0);

    struct vg_ioc_store *st = NULL;
    struct vg_ioc_import_opts o;
    struct vg_ioc_import_stats s;
    struct vg_diag d;
    struct vg_sweep *sw = NULL;
    memset(&s, 0, sizeof(s));
    vg_ioc_import_opts_init(&o);
    REQUIRE(vg_ioc_store_new(&st) == VG_OK);
    CHECK_RC(vg_ioc_import_file(st, ioc, &o, &s, &d), VG_OK);
    CHECK(vg_ioc_store_seal(st) >= 0);
    CHECK_EQ_UINT(vg_ioc_count(st), 2000);
    REQUIRE(vg_sweep_new(st, &sw) == VG_OK);

    struct lines ours = { calloc(MAX_LINES, 1), 0 };
    struct lines theirs = { calloc(MAX_LINES, 1), 0 };
    REQUIRE(ours.seen != NULL && theirs.seen != NULL);
    struct vg_sweep_stats stats;
    memset(&stats, 0, sizeof(stats));
    struct vg_sweep_opts so = { .on_match = on_match, .arg = &ours };
    CHECK_RC(vg_sweep_path(sw, log, &so, &stats), VG_OK);

    snprintf(cmd, sizeof(cmd), "%s/grep.out", dir);
    FILE *f = fopen(cmd, "r");
    REQUIRE(f != NULL);
    unsigned long ln;
    while (fscanf(f, "%lu", &ln) == 1) {
        if (ln < MAX_LINES && !theirs.seen[ln]) {
            theirs.seen[ln] = 1;
            theirs.count++;
        }
    }
    fclose(f);
    uint64_t only_ours = 0, only_grep = 0;
    for (size_t i = 0; i < MAX_LINES; i++) {
        if (ours.seen[i] != theirs.seen[i]) {
            if (only_ours + only_grep < 5) {
                fprintf(stderr, "# line %zu: sweep %d, grep %d\n", i,
                        ours.seen[i], theirs.seen[i]);
            }
            only_ours += ours.seen[i];
            only_grep += theirs.seen[i];
        }
    }
    CHECK_EQ_UINT(only_ours, 0);
    CHECK_EQ_UINT(only_grep, 0);
    CHECK(theirs.count > 200); /* the comparison is not vacuous */
    CHECK_EQ_UINT(ours.count, theirs.count);
    fprintf(stderr, "# %llu matching lines, %llu bytes\n",
            (unsigned long long)ours.count, (unsigned long long)stats.bytes);
    free(ours.seen);
    free(theirs.seen);
    vg_sweep_free(sw);
    vg_ioc_store_free(st);
    snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
    CHECK(run(cmd) == 0);
}

int
main(int argc, char **argv)
{
    static const struct vg_test tests[] = { T(t_vs_grep) };
    return vg_test_main(argc, argv, tests, sizeof(tests) / sizeof(tests[0]));
}
