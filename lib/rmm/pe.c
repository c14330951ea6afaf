/* SPDX-License-Identifier: Apache-2.0 */
/*
 * pe.c - the version resource of a PE file (EXE/DLL): VS_FIXEDFILEINFO's
 * file and product version, and the StringFileInfo strings FileVersion,
 * ProductVersion, CompanyName, ProductName and OriginalFilename.
 *
 * All reads go through struct vg_rd over the untrusted bytes: DOS header ->
 * PE header -> optional header's resource directory -> section table (RVA to
 * file offset) -> resource tree (type 16 = RT_VERSION, first name, first
 * language) -> VS_VERSIONINFO blocks. Depth and entry counts are capped.
 * Not done: signatures (Authenticode), other resources, imports.
 */
#include <stdio.h>
#include <string.h>

#include "core/rd.h"
#include "core/str.h"
#include "core/utf.h"
#include "rmm/rmm_int.h"
#include "vigil/buf.h"

#include "core/banned.h"

#define PE_MAX_SECTIONS 96u
#define PE_MAX_RES_ENTRIES 4096u
#define RT_VERSION 16u

struct pe {
    const uint8_t *p;
    size_t n;
    uint32_t rsrc_rva;
    size_t sec_off; /* file offset of the section table */
    uint16_t n_sec;
    struct vg_diag *d;
};

static int
bad(struct pe *pe, size_t off, const char *what)
{
    return vg_diag_set(pe->d, VG_EFORMAT, NULL, VG_DIAG_NONE, off, "PE: %s",
                       what);
}

static int
rd_at32(const struct pe *pe, size_t off, uint32_t *v)
{
    struct vg_rd rd;
    vg_rd_init(&rd, pe->p, pe->n);
    if (vg_rd_seek(&rd, off) != VG_OK)
        return VG_EFORMAT;
    return vg_rd_u32le(&rd, v);
}

static int
rd_at16(const struct pe *pe, size_t off, uint16_t *v)
{
    struct vg_rd rd;
    vg_rd_init(&rd, pe->p, pe->n);
    if (vg_rd_seek(&rd, off) != VG_OK)
        return VG_EFORMAT;
    return vg_rd_u16le(&rd, v);
}

/* RVA -> file offset through the section table. */
static int
rva_off(const struct pe *pe, uint32_t rva, size_t *off)
{
    for (uint16_t i = 0; i < pe->n_sec; i++) {
        size_t s = pe->sec_off + (size_t)i * 40u;
        uint32_t vsize, vaddr, rawsize, rawptr;
        if (rd_at32(pe, s + 8, &vsize) != VG_OK ||
            rd_at32(pe, s + 12, &vaddr) != VG_OK ||
            rd_at32(pe, s + 16, &rawsize) != VG_OK ||
            rd_at32(pe, s + 20, &rawptr) != VG_OK)
            return VG_EFORMAT;
        uint32_t span = vsize > rawsize ? vsize : rawsize;
        if (rva >= vaddr && (uint64_t)rva < (uint64_t)vaddr + span) {
            uint64_t o = (uint64_t)rawptr + (rva - vaddr);
            if (o >= pe->n)
                return VG_EFORMAT;
            *off = (size_t)o;
            return VG_OK;
        }
    }
    return VG_ENOTFOUND;
}

static int
headers(struct pe *pe)
{
    uint16_t mz, nsec, optsize, magic;
    uint32_t lfanew, sig, ndirs, rva;
    if (rd_at16(pe, 0, &mz) != VG_OK || mz != 0x5a4d)
        return bad(pe, 0, "no MZ header");
    if (rd_at32(pe, 0x3c, &lfanew) != VG_OK ||
        rd_at32(pe, lfanew, &sig) != VG_OK || sig != 0x00004550)
        return bad(pe, 0x3c, "no PE signature");
    size_t coff = (size_t)lfanew + 4, opt = coff + 20;
    if (rd_at16(pe, coff + 2, &nsec) != VG_OK ||
        rd_at16(pe, coff + 16, &optsize) != VG_OK ||
        rd_at16(pe, opt, &magic) != VG_OK)
        return bad(pe, coff, "truncated COFF header");
    if (nsec > PE_MAX_SECTIONS)
        return bad(pe, coff + 2, "too many sections");
    size_t dirs;
    if (magic == 0x10b) {
        if (rd_at32(pe, opt + 92, &ndirs) != VG_OK)
            return bad(pe, opt, "truncated optional header");
        dirs = opt + 96;
    } else if (magic == 0x20b) {
        if (rd_at32(pe, opt + 108, &ndirs) != VG_OK)
            return bad(pe, opt, "truncated optional header");
        dirs = opt + 112;
    } else {
        return bad(pe, opt, "unknown optional header magic");
    }
    if (ndirs < 3 || rd_at32(pe, dirs + 16, &rva) != VG_OK || rva == 0)
        return vg_diag_set(pe->d, VG_ENOTFOUND, NULL, VG_DIAG_NONE, dirs,
                           "PE: no resource directory");
    pe->rsrc_rva = rva;
    pe->sec_off = opt + optsize;
    pe->n_sec = nsec;
    return VG_OK;
}

/* Entry of a resource directory at file offset dir: with want_id, the entry
 * whose integer id is want_id; else the first entry. *val is the entry's
 * offset field (high bit = subdirectory). */
static int
res_entry(const struct pe *pe, size_t dir, int by_id, uint32_t want_id,
          uint32_t *val)
{
    uint16_t n_named, n_ids;
    if (rd_at16(pe, dir + 12, &n_named) != VG_OK ||
        rd_at16(pe, dir + 14, &n_ids) != VG_OK)
        return VG_EFORMAT;
    uint32_t total = (uint32_t)n_named + n_ids;
    if (total == 0 || total > PE_MAX_RES_ENTRIES)
        return VG_ENOTFOUND;
    for (uint32_t i = 0; i < total; i++) {
        uint32_t name, off;
        size_t e = dir + 16 + (size_t)i * 8;
        if (rd_at32(pe, e, &name) != VG_OK || rd_at32(pe, e + 4, &off) != VG_OK)
            return VG_EFORMAT;
        if (!by_id || (!(name & 0x80000000u) && name == want_id)) {
            *val = off;
            return VG_OK;
        }
    }
    return VG_ENOTFOUND;
}

/* File offset and size of the RT_VERSION data. */
static int
version_res(struct pe *pe, size_t *off, size_t *len)
{
    size_t base;
    if (rva_off(pe, pe->rsrc_rva, &base) != VG_OK)
        return bad(pe, pe->sec_off, "resource RVA outside every section");
    uint32_t v;
    size_t dir = base;
    for (int level = 0; level < 3; level++) {
        int rc = res_entry(pe, dir, level == 0, RT_VERSION, &v);
        if (rc != VG_OK)
            return vg_diag_set(
                pe->d, rc == VG_ENOTFOUND ? VG_ENOTFOUND : VG_EFORMAT, NULL,
                VG_DIAG_NONE, dir, "PE: no version resource");
        int is_dir = (v & 0x80000000u) != 0;
        if ((level < 2) != is_dir)
            return bad(pe, dir, "resource tree has the wrong shape");
        dir = base + (v & 0x7fffffffu);
        if (dir >= pe->n)
            return bad(pe, dir, "resource entry outside the file");
    }
    uint32_t rva, size;
    if (rd_at32(pe, dir, &rva) != VG_OK || rd_at32(pe, dir + 4, &size) != VG_OK)
        return bad(pe, dir, "truncated resource data entry");
    if (rva_off(pe, rva, off) != VG_OK || size > pe->n - *off)
        return bad(pe, dir, "version data outside the file");
    *len = size;
    return VG_OK;
}

/* ---- VS_VERSIONINFO ----------------------------------------------------- */

struct blk {
    char key[64]; /* ASCII form of szKey */
    uint16_t value_len;
    uint16_t type;
    size_t value;    /* offset of Value in the resource window */
    size_t children; /* offset of the first child */
    size_t end;      /* end of this block */
};

static size_t
align4(size_t x)
{
    return (x + 3u) & ~(size_t)3u;
}

/* Block header at off of window [0, n). */
static int
block(const uint8_t *w, size_t n, size_t off, struct blk *b)
{
    struct vg_rd rd;
    uint16_t len;
    vg_rd_init(&rd, w, n);
    if (vg_rd_seek(&rd, off) != VG_OK || vg_rd_u16le(&rd, &len) != VG_OK ||
        vg_rd_u16le(&rd, &b->value_len) != VG_OK ||
        vg_rd_u16le(&rd, &b->type) != VG_OK || len < 6 || len > n - off)
        return VG_EFORMAT;
    b->end = off + len;
    size_t k = 0;
    for (;;) {
        uint16_t ch;
        if (rd.pos + 2 > b->end || vg_rd_u16le(&rd, &ch) != VG_OK)
            return VG_EFORMAT;
        if (ch == 0)
            break;
        if (k + 1 < sizeof(b->key))
            b->key[k++] = (ch >= 0x20 && ch < 0x7f) ? (char)ch : '?';
    }
    b->key[k] = '\0';
    b->value = align4(rd.pos);
    return VG_OK;
}

static void
fixed_ver(const uint8_t *p, char *out, size_t cap)
{
    uint32_t ms = vg_le32(p), ls = vg_le32(p + 4);
    (void)snprintf(out, cap, "%u.%u.%u.%u", ms >> 16, ms & 0xffffu, ls >> 16,
                   ls & 0xffffu);
}

static void
utf16_field(const uint8_t *p, size_t units, char *out, size_t cap)
{
    struct vg_buf b;
    vg_buf_init(&b, cap - 1);
    if (vg_utf16le_to_utf8(&b, p, units, 1) == VG_OK && b.data != NULL)
        rmm_copy(out, cap, b.data, b.len);
    else
        out[0] = '\0';
    vg_buf_fini(&b);
}

static void
string_value(struct vg_rmm_pe_version *v, const uint8_t *w, const struct blk *s)
{
    static const struct {
        const char *key;
        size_t off;
        size_t cap;
    } keys[] = {
        {"FileVersion", offsetof(struct vg_rmm_pe_version, str_file_version),
         sizeof(v->str_file_version)},
        {"ProductVersion",
         offsetof(struct vg_rmm_pe_version, str_product_version),
         sizeof(v->str_product_version)},
        {"CompanyName", offsetof(struct vg_rmm_pe_version, company),
         sizeof(v->company)},
        {"ProductName", offsetof(struct vg_rmm_pe_version, product),
         sizeof(v->product)},
        {"OriginalFilename", offsetof(struct vg_rmm_pe_version, original_name),
         sizeof(v->original_name)},
    };
    if (s->value >= s->end)
        return;
    size_t units = (s->end - s->value) / 2; /* wValueLength is unreliable */
    for (size_t i = 0; i < VG_ARRAY_LEN(keys); i++)
        if (strcmp(s->key, keys[i].key) == 0)
            utf16_field(w + s->value, units, (char *)v + keys[i].off,
                        keys[i].cap);
}

/* Children of [first, end): call for each block. Depth is fixed by the
 * callers (StringFileInfo -> StringTable -> String), never recursive. */
static int
strings(struct vg_rmm_pe_version *v, const uint8_t *w, size_t n, size_t first,
        size_t end)
{
    size_t tbl = first;
    while (align4(tbl) + 6 <= end) {
        struct blk t;
        if (block(w, n, align4(tbl), &t) != VG_OK || t.end > end)
            return VG_EFORMAT;
        size_t s = t.value; /* a StringTable has no value: children follow */
        while (align4(s) + 6 <= t.end) {
            struct blk str;
            if (block(w, n, align4(s), &str) != VG_OK || str.end > t.end)
                return VG_EFORMAT;
            string_value(v, w, &str);
            s = str.end;
        }
        tbl = t.end;
    }
    return VG_OK;
}

static int
versioninfo(struct vg_rmm_pe_version *v, const uint8_t *w, size_t n,
            struct vg_diag *d, size_t at)
{
    struct blk root;
    if (block(w, n, 0, &root) != VG_OK || strcmp(root.key, "VS_VERSION_INFO"))
        return vg_diag_set(d, VG_EFORMAT, NULL, VG_DIAG_NONE, at,
                           "PE: bad VS_VERSION_INFO block");
    size_t kids = root.value;
    if (root.value_len >= 52 && root.value + 52 <= root.end) {
        const uint8_t *f = w + root.value;
        if (vg_le32(f) == 0xfeef04bdu) {
            fixed_ver(f + 8, v->file_version, sizeof(v->file_version));
            fixed_ver(f + 16, v->product_version, sizeof(v->product_version));
        }
        kids = align4(root.value + root.value_len);
    }
    while (align4(kids) + 6 <= root.end) {
        struct blk c;
        if (block(w, n, align4(kids), &c) != VG_OK || c.end > root.end)
            break; /* keep what was read; the rest is damaged */
        if (strcmp(c.key, "StringFileInfo") == 0)
            (void)strings(v, w, n, c.value, c.end);
        kids = c.end;
    }
    return v->file_version[0] != '\0' || v->str_file_version[0] != '\0'
               ? VG_OK
               : vg_diag_set(d, VG_ENOTFOUND, NULL, VG_DIAG_NONE, at,
                             "PE: version resource holds no version");
}

int
vg_rmm_pe_version(const uint8_t *p, size_t n, struct vg_rmm_pe_version *out,
                  struct vg_diag *d)
{
    memset(out, 0, sizeof(*out));
    struct pe pe = {.p = p, .n = p != NULL ? n : 0, .d = d};
    int rc = headers(&pe);
    if (rc != VG_OK)
        return rc;
    size_t off = 0, len = 0;
    if ((rc = version_res(&pe, &off, &len)) != VG_OK)
        return rc;
    return versioninfo(out, p + off, len, d, off);
}
