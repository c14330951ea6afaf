/* SPDX-License-Identifier: Apache-2.0 */
/* vg_test.c - the harness behind vg_test.h: runs a table, counts, reports. */
#include "vg_test.h"

#include <stdio.h>
#include <stdlib.h>

static int g_failed_checks; /* in the running test */
static int g_skipped;       /* the running test called vg_test_skip */

static void
report_fail(const char *file, int line)
{
    g_failed_checks++;
    fprintf(stdout, "#   failed at %s:%d\n", file, line);
}

int
vg_test_check(int ok, const char *file, int line, const char *expr)
{
    if (ok) {
        return 1;
    }
    report_fail(file, line);
    fprintf(stdout, "#     %s\n", expr);
    return 0;
}

int
vg_test_check_int(long long a, long long b, const char *file, int line,
                  const char *ea, const char *eb)
{
    if (a == b) {
        return 1;
    }
    report_fail(file, line);
    fprintf(stdout, "#     %s == %s\n#     got %lld, want %lld\n", ea, eb, a, b);
    return 0;
}

int
vg_test_check_uint(unsigned long long a, unsigned long long b, const char *file,
                   int line, const char *ea, const char *eb)
{
    if (a == b) {
        return 1;
    }
    report_fail(file, line);
    fprintf(stdout, "#     %s == %s\n#     got %llu, want %llu\n", ea, eb, a, b);
    return 0;
}

int
vg_test_check_str(const char *a, const char *b, const char *file, int line,
                  const char *ea, const char *eb)
{
    if (a != NULL && b != NULL && strcmp(a, b) == 0) {
        return 1;
    }
    if (a == NULL && b == NULL) {
        return 1;
    }
    report_fail(file, line);
    fprintf(stdout, "#     %s == %s\n#     got  \"%s\"\n#     want \"%s\"\n", ea,
            eb, a ? a : "(null)", b ? b : "(null)");
    return 0;
}

static void
dump_hex(const char *label, const void *p, size_t n)
{
    const unsigned char *u = p;
    size_t i;

    fprintf(stdout, "#     %s (%zu):", label, n);
    for (i = 0; i < n && i < 64; i++) {
        fprintf(stdout, " %02x", u[i]);
    }
    fprintf(stdout, "%s\n", n > 64 ? " ..." : "");
}

int
vg_test_check_mem(const void *a, size_t alen, const void *b, size_t blen,
                  const char *file, int line, const char *ea)
{
    if (alen == blen && (alen == 0 || memcmp(a, b, alen) == 0)) {
        return 1;
    }
    report_fail(file, line);
    fprintf(stdout, "#     %s differs\n", ea);
    dump_hex("got ", a, alen);
    dump_hex("want", b, blen);
    return 0;
}

void
vg_test_skip(const char *reason)
{
    g_skipped = 1;
    fprintf(stdout, "# SKIP %s\n", reason);
}

const char *
vg_test_env(const char *name)
{
    const char *v = getenv(name);

    return (v != NULL && v[0] != '\0') ? v : NULL;
}

int
vg_test_main(int argc, char **argv, const struct vg_test *tests, size_t n)
{
    size_t i, run = 0;
    int passed = 0, failed = 0, skipped = 0;
    const char *only = argc > 1 ? argv[1] : NULL;

    setvbuf(stdout, NULL, _IOLBF, 0);
    for (i = 0; i < n; i++) {
        if (only != NULL && strcmp(only, tests[i].name) != 0) {
            continue;
        }
        run++;
        g_failed_checks = 0;
        g_skipped = 0;
        tests[i].fn();
        if (g_failed_checks > 0) {
            failed++;
            fprintf(stdout, "not ok %zu - %s\n", run, tests[i].name);
        } else if (g_skipped) {
            skipped++;
            fprintf(stdout, "ok %zu - %s # skipped\n", run, tests[i].name);
        } else {
            passed++;
            fprintf(stdout, "ok %zu - %s\n", run, tests[i].name);
        }
    }
    if (only != NULL && run == 0) {
        fprintf(stdout, "# no test named %s\n", only);
        failed++;
    }
    if (skipped > 0) {
        fprintf(stdout, "%d passed, %d failed, %d skipped\n", passed, failed,
                skipped);
    } else {
        fprintf(stdout, "%d passed, %d failed\n", passed, failed);
    }
    return failed == 0 ? 0 : 1;
}
