/* SPDX-License-Identifier: Apache-2.0 */
/*
 * vg_mkhive.c - fixture tool: write an empty Windows registry hive (regf)
 * from scratch, so demo and test hives need no third-party hive file.
 *
 *     vg_mkhive OUT.hive [ROOTNAME]
 *
 * Layout (from the public regf format description): a 4 KiB base block
 * ("regf", sequence numbers, version 1.3, root cell offset, XOR checksum of
 * the first 508 bytes), then one 4 KiB hive bin ("hbin") holding the root
 * key node ("nk", flags HIVE_ENTRY|NO_DELETE|COMP_NAME), one security
 * record ("sk", a minimal self-relative descriptor, its own list) and a
 * free cell for the rest. Keys and values are then added with libhivex
 * (hivexregedit --merge in demo/regen.sh), which also validates the file
 * when it opens it. The tool verifies that by opening the result with
 * hivex_open. It does not write transaction logs or big-data cells.
 */
#include <hivex.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#define BASE 4096u
#define BIN  4096u

static void
le16(uint8_t *p, uint16_t v)
{
    p[0] = (uint8_t)v;
    p[1] = (uint8_t)(v >> 8);
}

static void
le32(uint8_t *p, uint32_t v)
{
    for (int i = 0; i < 4; i++) {
        p[i] = (uint8_t)(v >> (8 * i));
    }
}

static void
le64(uint8_t *p, uint64_t v)
{
    for (int i = 0; i < 8; i++) {
        p[i] = (uint8_t)(v >> (8 * i));
    }
}

/* 2023-10-01T00:00:00Z as FILETIME: fixed, so the file is reproducible. */
#define FIXED_FT UINT64_C(133406496000000000)

static void
base_block(uint8_t *b, uint32_t root_off)
{
    uint32_t x = 0;

    memcpy(b, "regf", 4);
    le32(b + 0x04, 1); /* primary sequence */
    le32(b + 0x08, 1); /* secondary sequence (equal: clean hive) */
    le64(b + 0x0c, FIXED_FT);
    le32(b + 0x14, 1); /* major version */
    le32(b + 0x18, 3); /* minor version */
    le32(b + 0x1c, 0); /* primary file */
    le32(b + 0x20, 1); /* direct memory load format */
    le32(b + 0x24, root_off);
    le32(b + 0x28, BIN); /* hive bins data size */
    le32(b + 0x2c, 1);   /* clustering factor */
    for (uint32_t i = 0; i < 0x1fc; i += 4) {
        x ^= (uint32_t)b[i] | (uint32_t)b[i + 1] << 8 |
             (uint32_t)b[i + 2] << 16 | (uint32_t)b[i + 3] << 24;
    }
    le32(b + 0x1fc, x);
}

/* Root nk at bin offset 0x20; returns its cell size. */
static uint32_t
root_nk(uint8_t *bin, const char *name, uint32_t sk_off)
{
    size_t n = strlen(name);
    uint32_t size = (uint32_t)((4 + 0x4c + n + 7) & ~(size_t)7);
    uint8_t *c = bin + 0x20;

    le32(c, (uint32_t)-(int32_t)size); /* negative size: allocated */
    c += 4;
    memcpy(c, "nk", 2);
    le16(c + 0x02, 0x2c); /* HIVE_ENTRY | NO_DELETE | COMP_NAME */
    le64(c + 0x04, FIXED_FT);
    le32(c + 0x10, 0);           /* parent (none for the root) */
    le32(c + 0x14, 0);           /* subkeys */
    le32(c + 0x1c, 0xffffffffu); /* subkey list */
    le32(c + 0x20, 0xffffffffu); /* volatile subkey list */
    le32(c + 0x24, 0);           /* values */
    le32(c + 0x28, 0xffffffffu); /* value list */
    le32(c + 0x2c, sk_off);      /* security */
    le32(c + 0x30, 0xffffffffu); /* class name */
    le16(c + 0x48, (uint16_t)n);
    memcpy(c + 0x4c, name, n);
    return size;
}

/* sk cell at bin offset off (relative to the first bin = off). */
static uint32_t
sk_cell(uint8_t *bin, uint32_t off)
{
    static const uint8_t sd[20] = {1, 0, 0x04, 0x80}; /* rev 1, self-rel,
                                                         DACL present, no
                                                         owner/group/ACL */
    uint32_t size = (4 + 0x14 + sizeof(sd) + 7) & ~7u;
    uint8_t *c = bin + off;

    le32(c, (uint32_t)-(int32_t)size);
    c += 4;
    memcpy(c, "sk", 2);
    le32(c + 0x04, off); /* flink: the list holds only this record */
    le32(c + 0x08, off); /* blink */
    le32(c + 0x0c, 1);   /* reference count: the root key */
    le32(c + 0x10, sizeof(sd));
    memcpy(c + 0x14, sd, sizeof(sd));
    return size;
}

static int
build(uint8_t *file, const char *root)
{
    uint8_t *bin = file + BASE;
    uint32_t nk_size, sk_off, sk_size, free_off;

    memcpy(bin, "hbin", 4);
    le32(bin + 0x04, 0); /* offset of this bin */
    le32(bin + 0x08, BIN);
    le64(bin + 0x14, FIXED_FT);
    nk_size = 4 + 0x4c + (uint32_t)strlen(root);
    nk_size = (nk_size + 7) & ~7u;
    sk_off = 0x20 + nk_size;
    nk_size = root_nk(bin, root, sk_off);
    sk_size = sk_cell(bin, sk_off);
    free_off = sk_off + sk_size;
    if (free_off + 8 > BIN) {
        return -1;
    }
    le32(bin + free_off, BIN - free_off); /* positive: one free cell */
    base_block(file, 0x20);
    (void)nk_size;
    return 0;
}

int
main(int argc, char **argv)
{
    static uint8_t file[BASE + BIN];
    const char *root = argc > 2 ? argv[2] : "ROOT";
    FILE *fp;
    hive_h *h;

    if (argc < 2 || strlen(root) > 255) {
        fprintf(stderr, "usage: vg_mkhive OUT.hive [ROOTNAME]\n");
        return 2;
    }
    if (build(file, root) != 0) {
        fprintf(stderr, "vg_mkhive: root name too long\n");
        return 2;
    }
    fp = fopen(argv[1], "wb");
    if (fp == NULL || fwrite(file, 1, sizeof(file), fp) != sizeof(file) ||
        fclose(fp) != 0) {
        perror(argv[1]);
        return 1;
    }
    h = hivex_open(argv[1], 0);
    if (h == NULL) {
        perror("vg_mkhive: hivex_open of the result");
        return 1;
    }
    hivex_close(h);
    return 0;
}
