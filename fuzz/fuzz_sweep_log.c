/* SPDX-License-Identifier: Apache-2.0 */
/*
 * fuzz_sweep_log.c - libFuzzer harness for the log sweep: the input is a
 * log (plain or gzip) swept against a fixed store holding every value kind
 * the sweep matches (IPv4, CIDR, IPv6, CIDR6, domains, a URL, hashes); the
 * line-time parser runs on the input too. It checks memory safety and that
 * every match of a plain input points at the bytes it reports; it does not
 * check which values match (the unit tests do).
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_sweep.h"
#include "vigil/sweep.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char feed[] =
    "10.1.1.1\n10.9.0.0/16\n2001:db8::1\n2001:db8:ff::/48\nevil.com\n"
    "rs.tdsclinical.com\nhttp://bad.example.org/x/payload.exe\n"
    "d41d8cd98f00b204e9800998ecf8427e\n"
    "da39a3ee5e6b4b0d3255bfef95601890afd80709\n"
    "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855\n";

struct ctx {
    const uint8_t *data;
    size_t         size;
    int            plain;
};

static int
on_match(void *arg, const struct vg_sweep_match *m)
{
    const struct ctx *c = arg;
    if (m->text_len == 0 || m->line == 0 || m->line_len > 2 * 400 + 64) {
        abort();
    }
    if (c->plain && (m->offset > c->size || m->text_len > c->size - m->offset ||
                     memcmp(c->data + m->offset, m->text, m->text_len) != 0)) {
        abort(); /* a match must point at its own bytes */
    }
    return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct vg_sweep_stats stats;
    struct ctx c = { data, size,
                     !(size >= 2 && data[0] == 0x1f && data[1] == 0x8b) };
    struct vg_sweep_opts o = { .on_match = on_match, .arg = &c,
                               .default_year = 2023 };
    enum vg_sweep_tfmt f;
    memset(&stats, 0, sizeof(stats));
    (void)vg_sweep_mem(fuzz_sweeper(feed), "fuzz", data, size, &o, &stats);
    (void)vg_sweep_line_time((const char *)data, size, 2023, &f);
    return 0;
}
