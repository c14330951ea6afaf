/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test_sigma_corpus.c - every SigmaHQ rule in $VG_CORPORA/sigma/rules*
 * loads. Without a placeholder file, exactly the 25 rules using `|expand`
 * are refused, each with a reason naming the placeholder;
 * with rules/mapping/placeholders-example.yml, nothing is refused.
 * Also: the compiled-in mapping equals rules/mapping/windows.yml.
 * Skips visibly when the corpus is absent.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vg_test.h"
#include "vigil/sigma.h"

static const char *const dirs[] = { "rules", "rules-emerging-threats",
                                    "rules-threat-hunting",
                                    "rules-placeholder" };

static struct vg_sigma *
load_all(const char *root, const char *ph)
{
    struct vg_sigma_opts o = { NULL, 0, ph };
    struct vg_sigma *s = NULL;
    struct vg_diag d;
    char path[1024];
    if (vg_sigma_new(NULL, &o, &s, &d) != 0)
        return NULL;
    for (size_t i = 0; i < VG_ARRAY_LEN(dirs); i++) {
        snprintf(path, sizeof(path), "%s/sigma/%s", root, dirs[i]);
        if (vg_sigma_add_path(s, path, &d) != 0) {
            printf("# %s: %s\n", path, d.msg);
            vg_sigma_free(s);
            return NULL;
        }
    }
    if (vg_sigma_compile(s, &d) != 0) {
        printf("# compile: %s\n", d.msg);
        vg_sigma_free(s);
        return NULL;
    }
    return s;
}

static void
t_all_rules_load(void)
{
    const char *root = vg_test_env("VG_CORPORA");
    char probe[1024];
    snprintf(probe, sizeof(probe), "%s/sigma/rules", root ? root : "");
    FILE *f = root ? fopen(probe, "r") : NULL;
    if (f == NULL) {
        vg_test_skip("corpus not found: sigma/rules");
        return;
    }
    fclose(f);
    struct vg_sigma *s = load_all(root, NULL);
    REQUIRE(s != NULL);
    size_t nu = vg_sigma_unsupported_count(s), placeholder = 0;
    for (size_t i = 0; i < nu; i++) {
        const struct vg_sigma_unsupported_info *u = vg_sigma_unsupported(s, i);
        int ph = strstr(u->reason, "needs a value (--placeholders FILE)") !=
                 NULL;
        placeholder += (size_t)ph;
        if (!ph)
            printf("# unsupported: %s:%llu: %s\n", u->path,
                   (unsigned long long)u->line, u->reason);
    }
    size_t windows = 0, applies = 0;
    for (size_t i = 0; i < vg_sigma_count(s); i++) {
        const struct vg_sigma_rule_info *in = vg_sigma_rule(s, i);
        if (in->product && strcmp(in->product, "windows") == 0) {
            windows++;
            applies += (size_t)in->applies;
        }
    }
    printf("# loaded %zu, refused %zu (placeholder %zu); windows %zu, "
           "with an event-log source %zu\n", vg_sigma_count(s), nu,
           placeholder, windows, applies);
    CHECK_EQ_UINT(nu, placeholder);
    CHECK_EQ_UINT(vg_sigma_count(s) + nu, 3777);
    /* 23 in rules-placeholder, 2 in rules-emerging-threats (CVE-2026-54121) */
    CHECK_EQ_UINT(placeholder, 25);
    vg_sigma_free(s);

    char ph[1024];
    const char *src = vg_test_env("VG_SRC_DIR");
    snprintf(ph, sizeof(ph), "%s/rules/mapping/placeholders-example.yml",
             src ? src : ".");
    s = load_all(root, ph);
    REQUIRE(s != NULL);
    for (size_t i = 0; i < vg_sigma_unsupported_count(s); i++)
        printf("# unsupported with placeholders: %s: %s\n",
               vg_sigma_unsupported(s, i)->path,
               vg_sigma_unsupported(s, i)->reason);
    CHECK_EQ_UINT(vg_sigma_unsupported_count(s), 0);
    CHECK_EQ_UINT(vg_sigma_count(s), 3777);
    vg_sigma_free(s);
}

static const struct vg_test tests[] = {
    T(t_all_rules_load),
};

int
main(int argc, char **argv)
{
    return vg_test_main(argc, argv, tests, VG_ARRAY_LEN(tests));
}
