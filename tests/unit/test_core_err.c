/* SPDX-License-Identifier: Apache-2.0 */
/* test_core_err.c - vg_strerror table and vg_diag set/format/truncation. */
#include <string.h>

#include "vg_test.h"
#include "vigil/err.h"

static void
t_strerror(void)
{
    static const struct { int rc; const char *want; } cases[] = {
        {VG_OK, "success"},
        {VG_ENOMEM, "out of memory"},
        {VG_EINVAL, "invalid argument"},
        {VG_EIO, "input/output error"},
        {VG_EFORMAT, "malformed data"},
        {VG_ELIMIT, "limit exceeded"},
        {VG_EUNSUPPORTED, "unsupported feature"},
        {VG_ENOTFOUND, "not found"},
        {VG_ESYNTAX, "syntax error"},
        {VG_ETIMEOUT, "timed out"},
        {VG_ECANCELED, "canceled"},
        {VG_EYARA, "YARA error"},
        {VG_EPERM, "permission denied"},
        {VG_EINTERNAL, "internal error"},
        {-14, "unknown error"},
        {1, "unknown error"},
        {-1000000, "unknown error"},
    };
    for (size_t i = 0; i < VG_ARRAY_LEN(cases); i++) {
        CHECK_EQ_STR(vg_strerror(cases[i].rc), cases[i].want);
    }
}

static void
t_diag_clear(void)
{
    struct vg_diag d;

    memset(&d, 'x', sizeof(d));
    vg_diag_clear(&d);
    CHECK_EQ_STR(d.path, "");
    CHECK_EQ_STR(d.msg, "");
    CHECK_EQ_UINT(d.line, VG_DIAG_NONE);
    CHECK_EQ_UINT(d.offset, VG_DIAG_NONE);
    CHECK_EQ_INT(d.rc, VG_OK);
}

static void
t_diag_format(void)
{
    struct vg_diag d;
    char out[128];

    CHECK_RC(vg_diag_set(&d, VG_EFORMAT, "a.log", 12, VG_DIAG_NONE, "bad %s",
                         "field"), VG_EFORMAT);
    CHECK_EQ_INT(d.rc, VG_EFORMAT);
    CHECK_EQ_STR(vg_diag_format(&d, out, sizeof(out)), "a.log:12: bad field");
    vg_diag_set(&d, VG_EFORMAT, "x.evtx", VG_DIAG_NONE, 4096, "chunk %d", 3);
    CHECK_EQ_STR(vg_diag_format(&d, out, sizeof(out)),
                 "x.evtx: offset 4096: chunk 3");
    vg_diag_set(&d, VG_EIO, "f", VG_DIAG_NONE, VG_DIAG_NONE, "gone");
    CHECK_EQ_STR(vg_diag_format(&d, out, sizeof(out)), "f: gone");
    vg_diag_set(&d, VG_EIO, NULL, VG_DIAG_NONE, VG_DIAG_NONE, "gone");
    CHECK_EQ_STR(vg_diag_format(&d, out, sizeof(out)), "gone");
    vg_diag_set(&d, VG_EIO, NULL, 3, VG_DIAG_NONE, "m");
    CHECK_EQ_STR(vg_diag_format(&d, out, sizeof(out)), "line 3: m");
    vg_diag_set(&d, VG_EIO, "", VG_DIAG_NONE, 7, "m");
    CHECK_EQ_STR(vg_diag_format(&d, out, sizeof(out)), "offset 7: m");
    /* Newlines in a message are folded to spaces (one line). */
    vg_diag_set(&d, VG_EIO, "p", VG_DIAG_NONE, VG_DIAG_NONE, "a\nb\rc");
    CHECK_EQ_STR(d.msg, "a b c");
    /* Truncated output, always terminated. */
    vg_diag_set(&d, VG_EIO, "abcdef", 1, VG_DIAG_NONE, "xyz");
    CHECK_EQ_STR(vg_diag_format(&d, out, 5), "abcd");
    CHECK_EQ_STR(vg_diag_format(&d, out, 1), "");
    CHECK_RC(vg_diag_set(NULL, VG_ELIMIT, "p", 1, 1, "x"), VG_ELIMIT);
}

static void
t_diag_truncation(void)
{
    static char longpath[VG_DIAG_PATH_MAX * 2];
    static char longmsg[VG_DIAG_MSG_MAX * 2];
    struct vg_diag d;

    memset(longpath, 'p', sizeof(longpath) - 1);
    memset(longmsg, 'm', sizeof(longmsg) - 1);
    vg_diag_set(&d, VG_EIO, longpath, VG_DIAG_NONE, VG_DIAG_NONE, "%s", longmsg);
    CHECK_EQ_UINT(strlen(d.path), VG_DIAG_PATH_MAX - 1);
    CHECK_EQ_UINT(strlen(d.msg), VG_DIAG_MSG_MAX - 1);
}

static const struct vg_test tests[] = {
    T(t_strerror), T(t_diag_clear), T(t_diag_format), T(t_diag_truncation),
};

int
main(int argc, char **argv)
{
    return vg_test_main(argc, argv, tests, VG_ARRAY_LEN(tests));
}
