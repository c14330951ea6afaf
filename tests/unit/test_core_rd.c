/* SPDX-License-Identifier: Apache-2.0 */
/* test_core_rd.c - vg_rd reads, and every read at every truncation point
 * returning VG_EFORMAT with the cursor kept. */
#include <string.h>

#include "core/rd.h"
#include "vg_test.h"
#include "vigil/err.h"

static const uint8_t data[16] = {0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08,
                                 0x09, 0x0a, 0x0b, 0x0c, 0x0d, 0x0e, 0x0f, 0xff};

static void
t_reads(void)
{
    struct vg_rd rd, sub;
    uint8_t u8;
    uint16_t u16;
    uint32_t u32;
    uint64_t u64;
    const uint8_t *p;

    vg_rd_init(&rd, data, sizeof(data));
    CHECK_RC(vg_rd_u8(&rd, &u8), VG_OK);
    CHECK_EQ_UINT(u8, 0x01);
    CHECK_RC(vg_rd_u16le(&rd, &u16), VG_OK);
    CHECK_EQ_UINT(u16, 0x0302);
    CHECK_RC(vg_rd_u32le(&rd, &u32), VG_OK);
    CHECK_EQ_UINT(u32, 0x07060504);
    CHECK_RC(vg_rd_u64le(&rd, &u64), VG_OK);
    CHECK_EQ_UINT(u64, UINT64_C(0x0f0e0d0c0b0a0908));
    CHECK_EQ_UINT(vg_rd_left(&rd), 1);
    CHECK_RC(vg_rd_seek(&rd, 2), VG_OK);
    CHECK_RC(vg_rd_bytes(&rd, 3, &p), VG_OK);
    CHECK(p == data + 2);
    CHECK_RC(vg_rd_skip(&rd, 2), VG_OK);
    CHECK_EQ_UINT(rd.pos, 7);
    CHECK_RC(vg_rd_sub(&rd, 4, &sub), VG_OK);
    CHECK_EQ_UINT(rd.pos, 11);
    CHECK(sub.p == data + 7);
    CHECK_EQ_UINT(sub.len, 4);
    CHECK_EQ_UINT(sub.pos, 0);
    CHECK_RC(vg_rd_u32le(&sub, &u32), VG_OK);
    CHECK_EQ_UINT(u32, 0x0b0a0908);
    CHECK_RC(vg_rd_u8(&sub, &u8), VG_EFORMAT);
    CHECK_RC(vg_rd_match(&rd, "\x0c\x0d", 2), VG_OK);
    CHECK_EQ_UINT(rd.pos, 13);
    CHECK_RC(vg_rd_match(&rd, "\x0e\x00", 2), VG_EFORMAT);
    CHECK_EQ_UINT(rd.pos, 13);
    CHECK_RC(vg_rd_seek(&rd, 16), VG_OK);
    CHECK_RC(vg_rd_seek(&rd, 17), VG_EFORMAT);
    CHECK_EQ_UINT(rd.pos, 16);
    vg_rd_init(&rd, NULL, 5);
    CHECK_EQ_UINT(rd.len, 0);
    CHECK_RC(vg_rd_u8(&rd, &u8), VG_EFORMAT);
}

/* op i on rd; returns rc. Each op needs need[i] bytes. */
static int
do_op(int op, struct vg_rd *rd)
{
    uint8_t u8 = 1;
    uint16_t u16 = 1;
    uint32_t u32 = 1;
    uint64_t u64 = 1;
    const uint8_t *p = data;
    struct vg_rd sub;
    int rc = VG_EINTERNAL;

    switch (op) {
    case 0: rc = vg_rd_u8(rd, &u8); return rc != VG_OK && u8 != 0 ? VG_EINTERNAL : rc;
    case 1: rc = vg_rd_u16le(rd, &u16); return rc != VG_OK && u16 != 0 ? VG_EINTERNAL : rc;
    case 2: rc = vg_rd_u32le(rd, &u32); return rc != VG_OK && u32 != 0 ? VG_EINTERNAL : rc;
    case 3: rc = vg_rd_u64le(rd, &u64); return rc != VG_OK && u64 != 0 ? VG_EINTERNAL : rc;
    case 4: rc = vg_rd_bytes(rd, 5, &p); return rc != VG_OK && p != NULL ? VG_EINTERNAL : rc;
    case 5: return vg_rd_skip(rd, 6);
    case 6: return vg_rd_sub(rd, 7, &sub);
    case 7: return vg_rd_match(rd, data, 3);
    default: return rc;
    }
}

static void
t_truncation(void)
{
    static const size_t need[] = {1, 2, 4, 8, 5, 6, 7, 3};

    for (int op = 0; op < 8; op++) {
        for (size_t len = 0; len <= sizeof(data); len++) {
            for (size_t pos = 0; pos <= len; pos++) {
                struct vg_rd rd;
                vg_rd_init(&rd, data, len);
                rd.pos = pos;
                /* match compares against data[0..3): only ok at pos 0 */
                int want = len - pos >= need[op] && (op != 7 || pos == 0)
                               ? VG_OK : VG_EFORMAT;
                CHECK_RC(do_op(op, &rd), want);
                CHECK_EQ_UINT(rd.pos, want == VG_OK ? pos + need[op] : pos);
            }
        }
    }
    struct vg_rd rd;
    vg_rd_init(&rd, data, 4);
    rd.pos = 2;
    CHECK_RC(vg_rd_skip(&rd, SIZE_MAX), VG_EFORMAT);
    CHECK_EQ_UINT(rd.pos, 2);
}

static void
t_le(void)
{
    CHECK_EQ_UINT(vg_le16(data + 14), 0xff0f);
    CHECK_EQ_UINT(vg_le32(data + 12), 0xff0f0e0d);
    CHECK_EQ_UINT(vg_le64(data + 8), UINT64_C(0xff0f0e0d0c0b0a09));
}

static const struct vg_test tests[] = {
    T(t_reads), T(t_truncation), T(t_le),
};

int
main(int argc, char **argv)
{
    return vg_test_main(argc, argv, tests, VG_ARRAY_LEN(tests));
}
