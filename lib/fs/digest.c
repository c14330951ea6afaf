/* SPDX-License-Identifier: Apache-2.0 */
/*
 * digest.c - MD5 / SHA-1 / SHA-256 in one pass (contract in vigil/fs.h).
 *
 * The only file in Vigil that includes OpenSSL: every other module asks for
 * digests through vg_hasher, so libcrypto stays an implementation detail.
 * Each algorithm keeps its own EVP_MD_CTX, created once per hasher and
 * re-initialised per file; only the algorithms asked for are updated.
 * Deliberately not here: HMACs, fuzzy hashes (ssdeep, TLSH), imphash.
 */
#include <openssl/evp.h>
#include <stdlib.h>
#include <string.h>

#include "vigil/err.h"
#include "vigil/fs.h"

#include "core/alloc.h"
#include "core/banned.h"

enum { ALG_MD5, ALG_SHA1, ALG_SHA256, ALG_COUNT };

static const struct {
    unsigned bit;
    size_t len;
} algs[ALG_COUNT] = {
    [ALG_MD5] = {VG_DIGEST_MD5, 16},
    [ALG_SHA1] = {VG_DIGEST_SHA1, 20},
    [ALG_SHA256] = {VG_DIGEST_SHA256, 32},
};

struct vg_hasher {
    EVP_MD_CTX *ctx[ALG_COUNT];
    unsigned which;
};

static const EVP_MD *
alg_md(int i)
{
    switch (i) {
    case ALG_MD5:
        return EVP_md5();
    case ALG_SHA1:
        return EVP_sha1();
    default:
        return EVP_sha256();
    }
}

void
vg_hasher_free(struct vg_hasher *h)
{
    if (h == NULL) {
        return;
    }
    for (int i = 0; i < ALG_COUNT; i++) {
        EVP_MD_CTX_free(h->ctx[i]);
    }
    vg_free(h);
}

int
vg_hasher_new(unsigned which, struct vg_hasher **out)
{
    struct vg_hasher *h;
    int rc;

    *out = NULL;
    h = vg_calloc(1, sizeof(*h));
    if (h == NULL) {
        return VG_ENOMEM;
    }
    for (int i = 0; i < ALG_COUNT; i++) {
        h->ctx[i] = EVP_MD_CTX_new();
        if (h->ctx[i] == NULL) {
            vg_hasher_free(h);
            return VG_ENOMEM;
        }
    }
    rc = vg_hasher_reset(h, which);
    if (rc != VG_OK) {
        vg_hasher_free(h);
        return rc;
    }
    *out = h;
    return VG_OK;
}

int
vg_hasher_reset(struct vg_hasher *h, unsigned which)
{
    h->which = which & VG_DIGEST_ALL;
    for (int i = 0; i < ALG_COUNT; i++) {
        if ((h->which & algs[i].bit) == 0) {
            continue;
        }
        if (EVP_DigestInit_ex(h->ctx[i], alg_md(i), NULL) != 1) {
            h->which = 0;
            return VG_EINTERNAL;
        }
    }
    return VG_OK;
}

int
vg_hasher_update(struct vg_hasher *h, const void *p, size_t n)
{
    if (n == 0) {
        return VG_OK;
    }
    for (int i = 0; i < ALG_COUNT; i++) {
        if ((h->which & algs[i].bit) != 0 &&
            EVP_DigestUpdate(h->ctx[i], p, n) != 1) {
            return VG_EINTERNAL;
        }
    }
    return VG_OK;
}

int
vg_hasher_final(struct vg_hasher *h, struct vg_digests *out)
{
    uint8_t *dst[ALG_COUNT] = {out->md5, out->sha1, out->sha256};

    out->have = 0;
    for (int i = 0; i < ALG_COUNT; i++) {
        unsigned len = 0;
        if ((h->which & algs[i].bit) == 0) {
            continue;
        }
        if (EVP_DigestFinal_ex(h->ctx[i], dst[i], &len) != 1 ||
            len != algs[i].len) {
            h->which = 0;
            return VG_EINTERNAL;
        }
        out->have |= algs[i].bit;
    }
    h->which = 0;
    return VG_OK;
}

int
vg_digest_mem(unsigned which, const void *p, size_t n, struct vg_digests *out)
{
    struct vg_hasher *h = NULL;
    int rc;

    out->have = 0;
    rc = vg_hasher_new(which, &h);
    if (rc != VG_OK) {
        return rc;
    }
    rc = vg_hasher_update(h, p, n);
    if (rc == VG_OK) {
        rc = vg_hasher_final(h, out);
    }
    vg_hasher_free(h);
    return rc;
}

char *
vg_hex(const uint8_t *p, size_t n, char *out)
{
    static const char digits[] = "0123456789abcdef";

    for (size_t i = 0; i < n; i++) {
        out[2 * i] = digits[p[i] >> 4];
        out[2 * i + 1] = digits[p[i] & 0xf];
    }
    out[2 * n] = '\0';
    return out;
}
