/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test_evtx_cli.c - `vigil evtx dump` output does not depend on the thread
 * count: a multi-chunk fixture (tests/support/evtx_writer) dumped with 1, 2
 * and 4 threads, as JSON Lines and as XML, gives byte-identical output with
 * every record once, in order. Runs the vigil binary named by $VIGIL.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "evtx_writer.h"
#include "vg_test.h"
#include "vigil/compiler.h"

#define N_EVENTS 3000

static char *
run(const char *vigil, const char *args, const char *file, size_t *len)
{
    char cmd[8192], *out = NULL;
    size_t cap = 0;
    FILE *p;

    snprintf(cmd, sizeof(cmd), "'%s' evtx dump --quiet %s '%s'", vigil, args,
             file);
    p = popen(cmd, "r");
    if (p == NULL) {
        return NULL;
    }
    *len = 0;
    for (;;) {
        if (*len + 65536 > cap) {
            char *n = realloc(out, cap = cap * 2 + 65536);
            if (n == NULL) {
                break;
            }
            out = n;
        }
        size_t k = fread(out + *len, 1, cap - *len, p);
        if (k == 0) {
            break;
        }
        *len += k;
    }
    if (pclose(p) != 0) {
        free(out);
        return NULL;
    }
    return out;
}

static size_t
count_lines(const char *s, size_t n)
{
    size_t i, k = 0;

    for (i = 0; i < n; i++) {
        k += s[i] == '\n';
    }
    return k;
}

static void
t_threads_same_output(void)
{
    const char *vigil = vg_test_env("VIGIL");
    char path[] = "/tmp/vg-evtx-cli-XXXXXX";
    struct evw *w;
    char val[64];
    struct evw_field d[] = {
        {.name = "Seq", .type = EVW_STR, .s = val},
        {.name = "Image",
         .type = EVW_STR,
         .s = "C:\\Windows\\Microsoft.NET\\Framework64\\v4.0.30319\\MSBuild."
              "exe"},
    };
    struct evw_event e;
    static const char *const modes[] = {"", "--format xml"};
    size_t m;
    int fd, i;

    if (vigil == NULL || access(vigil, X_OK) != 0) {
        vg_test_skip("VIGIL not set (run through ctest)");
        return;
    }
    memset(&e, 0, sizeof(e));
    e.channel = "Microsoft-Windows-Sysmon/Operational";
    e.provider = "Microsoft-Windows-Sysmon";
    e.event_id = 1;
    e.computer = "PHARM-SRV01";
    e.data = d;
    e.n_data = 2;
    REQUIRE(evw_new(&w) == 0);
    for (i = 0; i < N_EVENTS; i++) {
        snprintf(val, sizeof(val), "event %d", i);
        e.time_us = 1698933909000000LL + i;
        REQUIRE(evw_add(w, &e) == 0);
    }
    fd = mkstemp(path);
    REQUIRE(fd >= 0);
    close(fd);
    REQUIRE(evw_write_file(w, path) == 0);
    evw_free(w);
    for (m = 0; m < 2; m++) {
        char args[64];
        size_t l1 = 0, l2 = 0, l4 = 0;
        char *o1, *o2, *o4;
        snprintf(args, sizeof(args), "%s --threads 1", modes[m]);
        o1 = run(vigil, args, path, &l1);
        snprintf(args, sizeof(args), "%s --threads 2", modes[m]);
        o2 = run(vigil, args, path, &l2);
        snprintf(args, sizeof(args), "%s --threads 4", modes[m]);
        o4 = run(vigil, args, path, &l4);
        if (CHECK(o1 != NULL && o2 != NULL && o4 != NULL)) {
            CHECK_EQ_MEM(o1, l1, o2, l2);
            CHECK_EQ_MEM(o1, l1, o4, l4);
            if (m == 0) {
                CHECK_EQ_UINT(count_lines(o1, l1), N_EVENTS);
                CHECK(strstr(o1, "\"Seq\":\"event 2999\"") != NULL);
                CHECK(strstr(o1, "\"Seq\":\"event 0\"") <
                      strstr(o1, "\"Seq\":\"event 1\""));
            }
        }
        free(o1);
        free(o2);
        free(o4);
    }
    unlink(path);
}

static const struct vg_test tests[] = {
    T(t_threads_same_output),
};

int
main(int argc, char **argv)
{
    return vg_test_main(argc, argv, tests, VG_ARRAY_LEN(tests));
}
