/* SPDX-License-Identifier: Apache-2.0 */
/*
 * vg_test.h - Vigil's in-tree test harness (in the spirit of sds testhelp.h
 * and YARA tests/util.h). No dependency, same behaviour under ASan, UBSan,
 * valgrind and fuzz replay.
 *
 * A test file declares its table and calls vg_test_main:
 *
 *     static void t_buf_limit(void) { CHECK_RC(vg_buf_add(...), VG_ELIMIT); }
 *     static const struct vg_test tests[] = { T(t_buf_limit), };
 *     int main(int argc, char **argv)
 *     { return vg_test_main(argc, argv, tests, VG_ARRAY_LEN(tests)); }
 *
 * Output is TAP-like ("ok 3 - t_buf_limit", "not ok 4 - ..." with file:line
 * and both values for each failed check) and ends with the plain line
 * "N passed, N failed" (N skipped when any) that CI reads. argv[1] runs one
 * test by name. Exit status 0 only when nothing failed.
 *
 * CHECK* records a failure and continues; REQUIRE* returns from the test.
 */
#ifndef VG_TEST_H
#define VG_TEST_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

struct vg_test {
    const char *name;
    void (*fn)(void);
};
#define T(fn) { #fn, fn }

int vg_test_main(int argc, char **argv, const struct vg_test *tests, size_t n);

/* Internal: record a failed check (returns 0) or pass (returns 1). */
int vg_test_check(int ok, const char *file, int line, const char *expr);
int vg_test_check_int(long long a, long long b, const char *file, int line,
                      const char *ea, const char *eb);
int vg_test_check_uint(unsigned long long a, unsigned long long b,
                       const char *file, int line, const char *ea,
                       const char *eb);
int vg_test_check_str(const char *a, const char *b, const char *file, int line,
                      const char *ea, const char *eb);
int vg_test_check_mem(const void *a, size_t alen, const void *b, size_t blen,
                      const char *file, int line, const char *ea);
/* Mark the running test skipped, with a reason printed as "# SKIP reason". */
void vg_test_skip(const char *reason);
/* Path of a fixture/corpus root given to ctest through the environment
 * (VG_SRC_DIR, VG_CORPORA, VG_BUILD_DIR), or NULL. */
const char *vg_test_env(const char *name);

#define CHECK(e) vg_test_check(!!(e), __FILE__, __LINE__, #e)
#define CHECK_EQ_INT(a, b) \
    vg_test_check_int((long long)(a), (long long)(b), __FILE__, __LINE__, #a, #b)
#define CHECK_EQ_UINT(a, b)                                                 \
    vg_test_check_uint((unsigned long long)(a), (unsigned long long)(b),    \
                       __FILE__, __LINE__, #a, #b)
#define CHECK_EQ_STR(a, b) vg_test_check_str((a), (b), __FILE__, __LINE__, #a, #b)
#define CHECK_EQ_MEM(a, alen, b, blen) \
    vg_test_check_mem((a), (alen), (b), (blen), __FILE__, __LINE__, #a)
#define CHECK_RC(rc, want) CHECK_EQ_INT((rc), (want))

#define REQUIRE(e)          do { if (!CHECK(e)) return; } while (0)
#define REQUIRE_EQ_INT(a, b) do { if (!CHECK_EQ_INT(a, b)) return; } while (0)
#define REQUIRE_RC(rc, want) do { if (!CHECK_RC(rc, want)) return; } while (0)

#endif
