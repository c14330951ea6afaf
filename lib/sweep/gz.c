/* SPDX-License-Identifier: Apache-2.0 */
/*
 * gz.c - gzip input for the sweep: a streaming inflater over another byte
 * source (file or memory), handling concatenated members (rotated logs are
 * sometimes appended). The only file of the sweep that uses zlib. It does
 * not cap the inflated size: the sweep streams, so a large or "bomb" input
 * costs time, not memory (and the run can be cancelled).
 */
#include <string.h>
#include <zlib.h>

#include "core/alloc.h"
#include "sweep/sweep_int.h"

#include "core/banned.h"

#define GZ_IN (256u << 10)

struct gz {
    z_stream          zs;
    struct sweep_src *raw;
    unsigned char     in[GZ_IN];
    uint64_t          in_off;   /* compressed bytes consumed before in[] */
    size_t            in_n;
    int               eof;      /* raw source exhausted */
    int               done;     /* stream ended (and nothing follows) */
    int               trailing; /* garbage after the end: report it */
};

static int
refill(struct gz *g, struct vg_diag *d)
{
    g->in_off += g->in_n;
    int r = g->raw->read(g->raw, (char *)g->in, GZ_IN, d);
    if (r < 0) {
        return r;
    }
    g->in_n = (size_t)r;
    g->eof = r == 0;
    g->zs.next_in = g->in;
    g->zs.avail_in = (uInt)r;
    return VG_OK;
}

static int
bad(struct gz *g, struct sweep_src *s, struct vg_diag *d, const char *what)
{
    uint64_t off = g->in_off + (g->in_n - g->zs.avail_in);
    return vg_diag_set(d, VG_EFORMAT, s->path, VG_DIAG_NONE, off,
                       "gzip: %s", what);
}

static int
gz_read(struct sweep_src *s, char *p, size_t cap, struct vg_diag *d)
{
    struct gz *g = s->z;
    g->zs.next_out = (Bytef *)p;
    g->zs.avail_out = (uInt)(cap > (1u << 30) ? (1u << 30) : cap);
    uInt want = g->zs.avail_out;
    if (g->trailing) {
        g->trailing = 0;
        return bad(g, s, d, "data after the end of the stream");
    }
    while (g->zs.avail_out == want && !g->done) {
        if (g->zs.avail_in == 0 && !g->eof) {
            int rc = refill(g, d);
            if (rc != VG_OK) {
                return rc;
            }
        }
        if (g->zs.avail_in == 0 && g->eof) {
            return bad(g, s, d, "truncated stream");
        }
        int zr = inflate(&g->zs, Z_NO_FLUSH);
        if (zr == Z_STREAM_END) {
            /* another member may follow (cat a.gz b.gz) */
            if (g->zs.avail_in == 0 && !g->eof) {
                int rc = refill(g, d);
                if (rc != VG_OK) {
                    return rc;
                }
            }
            if (g->zs.avail_in >= 2 && g->zs.next_in[0] == 0x1f &&
                g->zs.next_in[1] == 0x8b) {
                inflateReset(&g->zs);
            } else {
                g->done = 1;
                if (g->zs.avail_in > 0) {
                    uInt got = want - g->zs.avail_out;
                    if (got > 0) {
                        g->trailing = 1; /* report it on the next call */
                        return (int)got;
                    }
                    return bad(g, s, d, "data after the end of the stream");
                }
            }
        } else if (zr == Z_DATA_ERROR || zr == Z_NEED_DICT) {
            return bad(g, s, d, g->zs.msg != NULL ? g->zs.msg : "bad data");
        } else if (zr == Z_MEM_ERROR) {
            return VG_ENOMEM;
        } else if (zr == Z_BUF_ERROR && g->zs.avail_in > 0) {
            return bad(g, s, d, "stream error");
        }
    }
    return (int)(want - g->zs.avail_out);
}

static void
gz_close(struct sweep_src *s)
{
    struct gz *g = s->z;
    if (g != NULL) {
        inflateEnd(&g->zs);
        vg_free(g);
        s->z = NULL;
    }
}

int
sweep_gz_open(struct sweep_src *raw, const char *head, size_t nhead,
              struct sweep_src *out)
{
    struct gz *g = vg_calloc(1, sizeof(*g));
    if (g == NULL || nhead > GZ_IN) {
        vg_free(g);
        return VG_ENOMEM;
    }
    g->raw = raw;
    memcpy(g->in, head, nhead);
    g->in_n = nhead;
    g->zs.next_in = g->in;
    g->zs.avail_in = (uInt)nhead;
    if (inflateInit2(&g->zs, 16 + MAX_WBITS) != Z_OK) {
        vg_free(g);
        return VG_ENOMEM;
    }
    memset(out, 0, sizeof(*out));
    out->read = gz_read;
    out->close = gz_close;
    out->path = raw->path;
    out->fd = -1;
    out->z = g;
    return VG_OK;
}
