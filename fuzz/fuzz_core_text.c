/* SPDX-License-Identifier: Apache-2.0 */
/*
 * fuzz_core_text.c - libFuzzer harness for core text handling: UTF-16LE to
 * UTF-8 conversion (output must always be valid UTF-8, the same with a
 * small max as all-or-nothing), strict UTF-8 validation (must agree with
 * decode, and valid input must re-encode to identical bytes), and the ISO
 * time parser (a parsed time must format and parse back to itself).
 * Property violations abort(). It does not test buffer growth limits beyond
 * one small cap.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/utf.h"
#include "vigil/buf.h"
#include "vigil/err.h"
#include "vigil/time.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
check_utf16(const uint8_t *data, size_t size)
{
    struct vg_buf b, small;

    vg_buf_init(&b, 4 * size + 16);
    if (vg_utf16le_to_utf8(&b, data, size / 2, 0) != VG_OK ||
        !vg_utf8_valid((const uint8_t *)b.data, b.len) ||
        b.len < size / 2) {
        abort();
    }
    /* With a cap the result is either the full output or nothing. */
    vg_buf_init(&small, 37);
    int rc = vg_utf16le_to_utf8(&small, data, size / 2, 1);
    if (rc == VG_OK) {
        if (small.len > b.len || memcmp(small.data, b.data, small.len) != 0) {
            abort();
        }
    } else if (rc != VG_ELIMIT || small.len != 0) {
        abort();
    }
    vg_buf_fini(&small);
    vg_buf_fini(&b);
}

static void
check_utf8(const uint8_t *data, size_t size)
{
    struct vg_buf b;
    size_t i = 0;
    int ok = 1;

    vg_buf_init(&b, size + 16);
    while (i < size) {
        uint32_t cp;
        size_t k = vg_utf8_decode(data + i, size - i, &cp);
        if (k == 0) {
            ok = 0;
            i++;
            continue;
        }
        if (k > 4 || vg_utf8_put(&b, cp) != VG_OK) {
            abort();
        }
        i += k;
    }
    if (ok != vg_utf8_valid(data, size)) {
        abort();
    }
    if (ok && (b.len != size || (size > 0 && memcmp(b.data, data, size) != 0))) {
        abort();
    }
    vg_buf_fini(&b);
}

static void
check_time(const uint8_t *data, size_t size)
{
    char s[64], out[VG_ISO_TIME_LEN];
    int64_t us, back;

    if (size >= sizeof(s)) {
        return;
    }
    memcpy(s, data, size);
    s[size] = '\0';
    if (vg_time_parse(s, &us) != VG_OK) {
        return;
    }
    /* Parsed times with offsets may leave 0000..9999; then ELIMIT. */
    if (vg_time_format(us, out) == VG_OK &&
        (vg_time_parse(out, &back) != VG_OK || back != us)) {
        abort();
    }
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    check_utf16(data, size);
    check_utf8(data, size);
    check_time(data, size);
    return 0;
}
