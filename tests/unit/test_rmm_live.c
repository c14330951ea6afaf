/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test_rmm_live.c - the live Linux inventory: a harmless process
 * (tests/tools/rmm_listen.c) is copied to a temp folder shaped like a
 * MeshAgent install (<tmp>/usr/local/mesh_services/meshagent/meshagent),
 * started, and must be inventoried from /proc with its exact path, its
 * loopback listener and its established connection, and flagged as running
 * from an unusual place (/tmp).
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "vg_test.h"
#include "vigil/rmm.h"

static int
copy_exec(const char *src, const char *dst)
{
    char cmd[2200];
    snprintf(cmd, sizeof(cmd), "cp '%s' '%s' && chmod 755 '%s'", src, dst, dst);
    return system(cmd);
}

static void
t_live_process(void)
{
    const char *bd = vg_test_env("VG_BUILD_DIR"),
               *sd = vg_test_env("VG_SRC_DIR");
    if (access("/proc/self/exe", R_OK) != 0 && errno != EACCES) {
        vg_test_skip("no /proc on this host");
        return;
    }
    REQUIRE(bd != NULL && sd != NULL);
    char dir[] = "/tmp/vg_rmm_live_XXXXXX", inst[600], exe[700], src[600],
         cmd[800];
    REQUIRE(mkdtemp(dir) != NULL);
    snprintf(inst, sizeof(inst), "%s/usr/local/mesh_services/meshagent", dir);
    snprintf(cmd, sizeof(cmd), "mkdir -p '%s'", inst);
    REQUIRE_EQ_INT(system(cmd), 0);
    snprintf(exe, sizeof(exe), "%s/meshagent", inst);
    snprintf(src, sizeof(src), "%s/tools/rmm_listen", bd);
    REQUIRE_EQ_INT(copy_exec(src, exe), 0);

    int in[2], out[2];
    REQUIRE(pipe(in) == 0 && pipe(out) == 0);
    pid_t pid = fork();
    REQUIRE(pid >= 0);
    if (pid == 0) {
        dup2(in[0], 0);
        dup2(out[1], 1);
        close(in[1]);
        close(out[0]);
        execl(exe, "meshagent", (char *)NULL);
        _exit(127);
    }
    close(in[0]);
    close(out[1]);
    char line[32] = "";
    ssize_t k = read(out[0], line, sizeof(line) - 1);
    close(out[0]);
    REQUIRE(k > 0);
    line[k] = '\0';
    unsigned port = (unsigned)strtoul(line, NULL, 10);
    REQUIRE(port > 0);

    char catpath[700];
    snprintf(catpath, sizeof(catpath), "%s/rules/rmm/catalog", sd);
    struct vg_rmm_catalog *c = NULL;
    struct vg_rmm_result *r = NULL;
    struct vg_diag d;
    REQUIRE_RC(vg_rmm_catalog_new(&c), VG_OK);
    CHECK_RC(vg_rmm_catalog_load_file(c, catpath, &d), VG_OK);
    struct vg_rmm_opts o = {.root = "/", .live = 1};
    CHECK_RC(vg_rmm_scan(c, &o, NULL, &r, &d), VG_OK);

    const struct vg_rmm_item *it = NULL;
    for (size_t i = 0; i < vg_rmm_result_count(r); i++) {
        const struct vg_rmm_item *x = vg_rmm_result_item(r, i);
        if (x->where != NULL && strcmp(x->where, exe) == 0)
            it = x;
    }
    if (CHECK(it != NULL)) {
        char want_l[64], pers[32];
        CHECK_EQ_STR(it->tool_id, "meshcentral");
        CHECK_EQ_INT(it->portable, 1);
        snprintf(pers, sizeof(pers), "process:%d", (int)pid);
        CHECK_EQ_STR(it->persist, pers);
        snprintf(want_l, sizeof(want_l), "127.0.0.1:%u", port);
        int listen = 0, est_out = 0, est_in = 0;
        for (size_t i = 0; i < it->n_conns; i++) {
            const struct vg_rmm_conn *cn = &it->conns[i];
            CHECK_EQ_INT(cn->pid, (int)pid);
            if (strcmp(cn->state, "LISTEN") == 0 &&
                strcmp(cn->local, want_l) == 0)
                listen++;
            if (strcmp(cn->state, "ESTABLISHED") == 0 &&
                strcmp(cn->remote, want_l) == 0)
                est_out++;
            if (strcmp(cn->state, "ESTABLISHED") == 0 &&
                strcmp(cn->local, want_l) == 0)
                est_in++;
        }
        CHECK_EQ_INT(it->n_conns, 3);
        CHECK_EQ_INT(listen, 1);
        CHECK_EQ_INT(est_out, 1);
        CHECK_EQ_INT(est_in, 1);
    }
    vg_rmm_result_free(r);
    vg_rmm_catalog_free(c);
    close(in[1]); /* the stand-in exits */
    int st = 0;
    CHECK(waitpid(pid, &st, 0) == pid);
    CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 0);
    snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
    CHECK_EQ_INT(system(cmd), 0);
}

static const struct vg_test tests[] = {
    T(t_live_process),
};

int
main(int argc, char **argv)
{
    return vg_test_main(argc, argv, tests, sizeof(tests) / sizeof(tests[0]));
}
