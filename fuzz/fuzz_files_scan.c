/* SPDX-License-Identifier: Apache-2.0 */
/*
 * fuzz_files_scan.c - the file scanner on hostile file content: one fixed
 * rule set (compiled once, as YARA's own pe_fuzzer does) whose strings
 * match almost anything, so every input drives the match callback, the
 * matched-string escaping and truncation, the file-type sniffing and the
 * digests. The input reaches the scanner as a real fd (memfd), exactly as
 * the walker hands files over. File *content* is the only untrusted input
 * the files module handles itself: rule text is parsed by libyara and IOC
 * lists by the IOC module (which has its own harnesses).
 */
#define _GNU_SOURCE /* memfd_create */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "vigil/err.h"
#include "vigil/files.h"
#include "vigil/fs.h"
#include "vigil/yara.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char rules_text[] =
    "rule AnyByte : t { meta: score = 55 description = \"d\"\n"
    "  strings: $a = { 00 } $b = \"MZ\" $c = /[\\x80-\\xff]{2,80}/\n"
    "  $d = \"\\\\\" $e = /[ -~]{70,}/\n"
    "  condition: any of them }\n"
    "rule Ext { condition: filetype == \"EXE\" or extension == \".bin\" }\n"
    "rule Big { condition: filesize > 4000 and uint8(0) == 0x41 }\n";

static struct vg_yara_rules *rules;
static struct vg_files *files;
static struct vg_files_worker *worker;

static void
setup(void)
{
    char path[] = "/tmp/vg_fuzz_rules_XXXXXX";
    const char *paths[1] = {path};
    struct vg_yara_load_opts lo = {
        .paths = paths, .n_paths = 1, .cache_dir = ""};
    struct vg_files_opts fo = {.always_digests = VG_DIGEST_ALL,
                               .max_size = 1 << 16};
    int fd = mkstemp(path);

    if (fd < 0 || write(fd, rules_text, sizeof(rules_text) - 1) !=
                      (ssize_t)(sizeof(rules_text) - 1)) {
        abort();
    }
    close(fd);
    if (vg_yara_load(NULL, &lo, &rules, NULL, NULL) != VG_OK) {
        abort();
    }
    unlink(path);
    fo.rules = rules;
    if (vg_files_new(NULL, &fo, &files) != VG_OK ||
        vg_files_worker_new(files, &worker) != VG_OK) {
        abort();
    }
}

static int
sink(const struct vg_finding *f, void *arg)
{
    size_t *n = arg;

    /* touch every string the scanner built */
    for (size_t i = 0; i < f->evidence.n_values; i++) {
        *n += strlen(f->evidence.values[i].key) +
              strlen(f->evidence.values[i].value);
    }
    for (size_t i = 0; i < f->n_extra; i++) {
        *n += strlen(f->extra[i].key) + strlen(f->extra[i].value);
    }
    return VG_OK;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct vg_files_result res;
    struct stat st;
    size_t n = 0;
    int fd;

    if (worker == NULL) {
        setup();
    }
    fd = memfd_create("fuzz.bin", MFD_CLOEXEC);
    if (fd < 0) {
        return 0;
    }
    if ((size == 0 || write(fd, data, size) == (ssize_t)size) &&
        lseek(fd, 0, SEEK_SET) == 0 && fstat(fd, &st) == 0) {
        struct vg_files_job job = {.fd = fd,
                                   .path = "/evidence/fuzz.bin",
                                   .st = &st,
                                   .emit = sink,
                                   .arg = &n};
        int rc = vg_files_scan(worker, &job, &res);
        (void)rc; /* any result is fine; crashing or leaking is not */
    }
    close(fd);
    return 0;
}
