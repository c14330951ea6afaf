/* SPDX-License-Identifier: Apache-2.0 */
/*
 * sweep.h - IOC sweep of text logs and of the live network state.
 *
 * A struct vg_sweep is compiled once from a sealed IOC store (small
 * prefilters: IPv4 and domain hash bitmaps, CIDR /16 bitmap, which value
 * kinds the store holds) and is then immutable: many threads may scan with
 * it at once. The store must outlive it.
 *
 * Matching is extract-then-look-up: a candidate scanner finds IPv4, IPv6,
 * domain, URL and hash tokens in a whole buffer (line boundaries are only
 * looked for around hits), checks the prefilters, and confirms with the
 * store's own lookups (vg_ioc_lookup_*), so the answers are exactly the
 * store's (CIDR containment, parent domains, case-insensitivity).
 * Token rules (docs/sweep.md): an IPv4 address is a run of digits and dots
 * that is exactly a dotted quad, not touching a letter, digit, '_' or '.'
 * (a trailing full stop is allowed); a domain is a run of [A-Za-z0-9._-]
 * whose label-aligned suffixes are looked up; IPv6 is a run of hex digits,
 * ':' and '.'; hashes are runs of exactly 32/40/64 hex digits not touching
 * a word character. Logs are NOT refanged: "1.2.3[.]4" is not 1.2.3.4.
 *
 * Files are read with read() in chunks (never mmap: a log truncated under
 * us must not kill the process), opened read-only with O_NOATIME when
 * permitted; gzip is recognised by its magic and inflated as a stream.
 * Folders are walked without following symbolic links.
 *
 * Not done here: bzip2/xz/zstd (reported as unsupported), refanging,
 * fuzzy matching, Windows live state.
 */
#ifndef VIGIL_SWEEP_H
#define VIGIL_SWEEP_H

#include <stddef.h>
#include <stdint.h>

#include "vigil/compiler.h"
#include "vigil/err.h"
#include "vigil/ioc.h"

#define VG_SWEEP_LINE_SHOW 400u      /* bytes of a line kept in a match */
#define VG_SWEEP_CHUNK     (4u << 20) /* read size */
#define VG_SWEEP_MAX_DEPTH 64        /* folder nesting followed */

struct vg_sweep;

VG_API VG_NODISCARD int vg_sweep_new(const struct vg_ioc_store *st,
                                     struct vg_sweep **out);
VG_API void vg_sweep_free(struct vg_sweep *sw);
VG_API const struct vg_ioc_store *vg_sweep_store(const struct vg_sweep *sw);

/*
 * Low level: every indicator hit in buf[0..n). Bytes before `from` are
 * context only (a token starting there is not reported); tokens starting
 * at or after `limit` are not reported either (the caller rescans them
 * with more data). fn gets the id and the matched byte range; a non-zero
 * return stops the scan and is returned. Returns the number of hits.
 */
typedef int vg_sweep_hit_fn(void *arg, uint32_t id, size_t off, size_t len);
VG_API int vg_sweep_scan(const struct vg_sweep *sw, const char *buf,
                         size_t n, size_t from, size_t limit,
                         vg_sweep_hit_fn *fn, void *arg);

/* How a line's time was read. */
enum vg_sweep_tfmt {
    VG_SWEEP_T_NONE = 0,
    VG_SWEEP_T_ISO8601,  /* 2023-11-02T14:05:09Z, IIS 2023-11-02 14:05:09 */
    VG_SWEEP_T_SYSLOG,   /* Nov  2 14:05:09 - no year in the log */
    VG_SWEEP_T_CLF,      /* [02/Nov/2023:14:05:09 +0000] Apache/nginx */
    VG_SWEEP_T_EPOCH,    /* 1699000000.123 Zeek, Squid */
    VG_SWEEP_T_WINDNS,   /* 11/2/2023 2:05:09 PM Windows DNS debug log */
};
/* "iso8601", "syslog", "clf", "epoch", "windns", "" */
VG_API const char *vg_sweep_tfmt_name(enum vg_sweep_tfmt f);

/*
 * Time of a log line (the first form recognised near its start, see
 * docs/sweep.md). Syslog has no year: default_year is used (the caller
 * takes it from the file's modification time) and *fmt says SYSLOG so the
 * finding can say the year is assumed. Times without a zone are taken as
 * UTC. Returns VG_TIME_NONE when nothing is recognised.
 */
VG_API int64_t vg_sweep_line_time(const char *line, size_t n, int default_year,
                                  enum vg_sweep_tfmt *fmt);

/* One match, borrowed for the callback. */
struct vg_sweep_match {
    uint32_t    ioc;        /* indicator id in the store */
    const char *path;       /* file (live: "/proc/net/tcp", "/etc/hosts") */
    uint64_t    line;       /* 1-based line; 0 when none (live sockets) */
    uint64_t    offset;     /* byte offset of the match in the (inflated)
                               stream; VG_OFFSET_NONE for sockets */
    const char *text;       /* the matched text as found */
    size_t      text_len;
    const char *line_text;  /* the line, cut to VG_SWEEP_LINE_SHOW around
                               the match; raw bytes (writers escape) */
    size_t      line_len;
    int         cut_head;   /* bytes of the line left out before/after */
    int         cut_tail;
    int         gzip;       /* the file was gzip */
    int64_t     time_us;    /* from the line, VG_TIME_NONE */
    enum vg_sweep_tfmt tfmt;
    /* live sockets (else NULL / -1) */
    const char *proto;      /* "tcp", "tcp6", "udp", "udp6" */
    const char *local;      /* "127.0.0.1:8080", "[::1]:53" */
    const char *remote;
    const char *state;      /* "ESTABLISHED", "LISTEN", ... */
    long        pid;        /* owning process, -1 unknown */
    const char *comm;       /* its name, NULL unknown */
};
typedef int vg_sweep_match_fn(void *arg, const struct vg_sweep_match *m);
/* A file or folder entry that could not be swept; the sweep goes on. */
typedef void vg_sweep_err_fn(void *arg, const struct vg_diag *d);

/* A regular file found by vg_sweep_path, open read-only (O_NOATIME where
 * allowed); the callee owns fd (sweeps it with vg_sweep_fd, or closes it).
 * Non-zero stops the walk and is returned. */
typedef int vg_sweep_file_fn(void *arg, int fd, const char *path);

struct vg_sweep_opts {
    vg_sweep_match_fn *on_match;
    vg_sweep_err_fn   *on_error;
    vg_sweep_file_fn  *on_file;     /* NULL: vg_sweep_path sweeps each file
                                       itself; else each is handed here (a
                                       caller sweeping files in parallel) */
    void              *arg;
    int                default_year; /* syslog year; 0: file mtime year */
    const volatile int *cancel;      /* non-zero: stop (VG_ECANCELED) */
};

struct vg_sweep_stats {
    uint64_t files;      /* files swept */
    uint64_t gzip_files;
    uint64_t bytes;      /* bytes scanned (after inflating) */
    uint64_t matches;
    uint64_t errors;     /* files/entries reported through on_error */
    uint64_t skipped;    /* symlinks, devices, sockets not followed */
    uint64_t sockets;    /* live: sockets examined */
};

/*
 * Sweep an in-memory log (path names it). Gzip data is inflated.
 * VG_OK, a callback's non-zero return, VG_ECANCELED, or VG_EFORMAT/VG_ENOMEM
 * (also reported through on_error with path and offset).
 */
VG_API int vg_sweep_mem(const struct vg_sweep *sw, const char *path,
                        const void *data, size_t n,
                        const struct vg_sweep_opts *o,
                        struct vg_sweep_stats *stats);
/*
 * Sweep a file or a folder tree (regular files only, symlinks inside the
 * tree not followed, sorted order, depth VG_SWEEP_MAX_DEPTH). Unreadable
 * entries go to on_error and the sweep continues; returns VG_OK unless a
 * callback stopped it, it was cancelled, or memory ran out.
 */
VG_API int vg_sweep_path(const struct vg_sweep *sw, const char *path,
                         const struct vg_sweep_opts *o,
                         struct vg_sweep_stats *stats);

/*
 * Sweep an open regular file (read from its current offset; fd is closed
 * here, whatever the result). Same results as vg_sweep_path on that file;
 * o->on_file is not used. Thread-safe for distinct opts/stats: sw is only
 * read.
 */
VG_API int vg_sweep_fd(const struct vg_sweep *sw, int fd, const char *path,
                       const struct vg_sweep_opts *o,
                       struct vg_sweep_stats *stats);

/*
 * The compression a file's first bytes announce: "gzip" (swept, inflated),
 * "bzip2", "xz", "zstd" (reported as unsupported), or NULL for plain text.
 * n may be short; 6 bytes decide every case.
 */
VG_API const char *vg_sweep_compression(const void *head, size_t n);

/*
 * Sweep bytes [start, end) of an open plain (not compressed) regular file,
 * for callers that split one large log between threads. The range must
 * begin a line (start 0, or just after a '\n') and should end one, so no
 * line is cut. Offsets in matches are file offsets; line numbers count
 * from 1 at start (the caller adds the lines before it); *newlines (may
 * be NULL) gets the number of '\n' in the range. stats->files counts the
 * range that starts at 0 only. fd is read with pread and not closed.
 */
VG_API int vg_sweep_fd_range(const struct vg_sweep *sw, int fd,
                             const char *path, uint64_t start, uint64_t end,
                             const struct vg_sweep_opts *o,
                             struct vg_sweep_stats *stats, uint64_t *newlines);

/*
 * Live mode (Linux): sockets from <root>/proc/net/{tcp,tcp6,udp,udp6}
 * (local and remote addresses looked up; owner from <root>/proc/PID/fd
 * socket inodes where readable), then <root>/etc/hosts and
 * <root>/etc/resolv.conf swept as logs. root is "" for this machine.
 */
VG_API int vg_sweep_live(const struct vg_sweep *sw, const char *root,
                         const struct vg_sweep_opts *o,
                         struct vg_sweep_stats *stats);

#endif
