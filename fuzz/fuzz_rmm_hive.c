/* SPDX-License-Identifier: Apache-2.0 */
/*
 * fuzz_rmm_hive.c - libFuzzer harness for registry hives as the RMM
 * inventory reads them: the input is a hive file (handed over through a
 * memfd, since libhivex opens by descriptor or name), and every reader runs
 * on it - services of the current control set, Uninstall programs, Run
 * keys and the values of a fixed key. libhivex parses the regf format; what
 * is ours, and fuzzed here, is everything built on its answers (control set
 * choice, key walks, value decoding, caps). It checks memory safety and
 * that callbacks get NUL-terminated, non-NULL strings; not which values a
 * hive yields (the unit tests do).
 */
#define _GNU_SOURCE /* memfd_create */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "vigil/rmm.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
touch(const char *s)
{
    if (s != NULL && strlen(s) > (1u << 24)) {
        abort();
    }
}

static int
on_service(void *arg, const struct vg_rmm_service *s)
{
    (void)arg;
    touch(s->name);
    touch(s->image_path);
    return 0;
}

static int
on_program(void *arg, const struct vg_rmm_program *p)
{
    (void)arg;
    touch(p->name);
    touch(p->version);
    return 0;
}

static int
on_autorun(void *arg, const struct vg_rmm_autorun *a)
{
    (void)arg;
    touch(a->key);
    touch(a->name);
    touch(a->command);
    return 0;
}

static int
on_value(void *arg, const char *name, const char *value)
{
    (void)arg;
    if (name == NULL || value == NULL) {
        abort();
    }
    touch(name);
    touch(value);
    return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct vg_rmm_hive *h = NULL;
    struct vg_diag d;
    int fd = memfd_create("fuzz-hive", MFD_CLOEXEC);
    if (fd < 0) {
        return 0;
    }
    if (write(fd, data, size) != (ssize_t)size || lseek(fd, 0, SEEK_SET) != 0) {
        close(fd);
        return 0;
    }
    vg_diag_clear(&d);
    if (vg_rmm_hive_open_fd(fd, "fuzz", &h, &d) == VG_OK) {
        /* errors are expected on hostile input: only safety is checked */
        int rc = vg_rmm_hive_services(h, on_service, NULL, &d);
        rc |= vg_rmm_hive_programs(h, on_program, NULL, &d);
        rc |= vg_rmm_hive_autoruns(h, on_autorun, NULL, &d);
        rc |= vg_rmm_hive_values(h, "ScreenConnect", on_value, NULL, &d);
        (void)rc;
        vg_rmm_hive_close(h);
    }
    close(fd);
    return 0;
}
