/* SPDX-License-Identifier: Apache-2.0 */
/*
 * replay.c - main() for fuzz harnesses in ordinary builds: feeds every file of
 * the corpus directories (or files) named on the command line to
 * LLVMFuzzerTestOneInput once. ctest runs this for each target in every build
 * (gcc included), so crashers kept in fuzz/corpus/<target>/ stay fixed.
 * Prints "N passed, 0 failed" when every input ran; a crash fails the test.
 */
#include <dirent.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerInitialize(int *argc, char ***argv) __attribute__((weak));

static int
run_file(const char *path, long *n_run)
{
    FILE *f = fopen(path, "rb");
    uint8_t *data = NULL;
    long len;
    int rc = -1;

    if (f == NULL) {
        fprintf(stderr, "replay: %s: %s\n", path, strerror(errno));
        return -1;
    }
    if (fseek(f, 0, SEEK_END) != 0 || (len = ftell(f)) < 0 ||
        fseek(f, 0, SEEK_SET) != 0) {
        goto out;
    }
    /* malloc(0) may return NULL; always allocate one byte. */
    data = malloc((size_t)len + 1);
    if (data == NULL || fread(data, 1, (size_t)len, f) != (size_t)len) {
        goto out;
    }
    LLVMFuzzerTestOneInput(data, (size_t)len);
    (*n_run)++;
    rc = 0;
out:
    if (rc != 0) {
        fprintf(stderr, "replay: %s: cannot read\n", path);
    }
    free(data);
    fclose(f);
    return rc;
}

static int
name_cmp(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static int
run_dir(const char *dir, long *n_run)
{
    DIR *d = opendir(dir);
    struct dirent *e;
    char **names = NULL;
    size_t n = 0, cap = 0, i;
    int rc = 0;

    if (d == NULL) {
        fprintf(stderr, "replay: %s: %s\n", dir, strerror(errno));
        return -1;
    }
    while ((e = readdir(d)) != NULL) {
        if (e->d_name[0] == '.') {
            continue;
        }
        if (n == cap) {
            cap = cap ? cap * 2 : 64;
            char **nn = realloc(names, cap * sizeof(*names));
            if (nn == NULL) {
                rc = -1;
                break;
            }
            names = nn;
        }
        names[n++] = strdup(e->d_name);
    }
    closedir(d);
    if (names != NULL) {
        qsort(names, n, sizeof(*names), name_cmp);
    }
    for (i = 0; i < n; i++) {
        char path[4096];
        if (rc == 0 && names[i] != NULL &&
            snprintf(path, sizeof(path), "%s/%s", dir, names[i]) <
                (int)sizeof(path)) {
            struct stat st;
            if (stat(path, &st) == 0 && S_ISREG(st.st_mode) &&
                run_file(path, n_run) != 0) {
                rc = -1;
            }
        }
        free(names[i]);
    }
    free(names);
    return rc;
}

int
main(int argc, char **argv)
{
    long n_run = 0;
    int i, failed = 0;

    if (LLVMFuzzerInitialize != NULL) {
        LLVMFuzzerInitialize(&argc, &argv);
    }
    for (i = 1; i < argc; i++) {
        struct stat st;
        if (stat(argv[i], &st) != 0) {
            fprintf(stderr, "replay: %s: %s\n", argv[i], strerror(errno));
            failed++;
        } else if (S_ISDIR(st.st_mode) ? run_dir(argv[i], &n_run) != 0
                                       : run_file(argv[i], &n_run) != 0) {
            failed++;
        }
    }
    printf("%ld passed, %d failed\n", n_run, failed);
    return failed == 0 ? 0 : 1;
}
