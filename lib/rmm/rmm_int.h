/* SPDX-License-Identifier: Apache-2.0 */
/*
 * rmm_int.h - internal contract of lib/rmm: the catalog model, the item
 * builder the extractors fill, the safe evidence-root reader and the text
 * parsers. Nothing here is installed; include/vigil/rmm.h is the public face.
 */
#ifndef VG_RMM_INT_H
#define VG_RMM_INT_H

#include <stddef.h>
#include <stdint.h>

#include "vigil/ctx.h"
#include "vigil/err.h"
#include "vigil/finding.h"
#include "vigil/rmm.h"

/* Caps: evidence is hostile; every list is bounded. */
#define RMM_MAX_TOOLS 4096u
#define RMM_MAX_LIST 512u        /* entries in one tool field */
#define RMM_MAX_LINE 8192u       /* catalog / policy line */
#define RMM_MAX_FILE (16u << 20) /* bytes read from one evidence file */
#define RMM_MAX_SESSIONS 10000u  /* per item */
#define RMM_MAX_EVIDENCE 256u    /* per item */
#define RMM_MAX_ITEMS 4096u
#define RMM_MAX_DIRENTS 200000u /* names kept from one directory */
#define RMM_MAX_MATCHES 4096u   /* paths one pattern may expand to */

/* ---- string vector ----------------------------------------------------- */

struct rmm_sv {
    char **v;
    size_t n, cap;
};
int rmm_sv_add(struct rmm_sv *s, const char *p, size_t n);
int rmm_sv_has(const struct rmm_sv *s, const char *p); /* case-insensitive */
void rmm_sv_free(struct rmm_sv *s);

/* ---- catalog model ----------------------------------------------------- */

enum { RMM_OS_WIN = 1, RMM_OS_LINUX = 2, RMM_OS_MAC = 4 };
enum rmm_kind {
    RMM_K_INSTALL = 0, /* binary or install folder */
    RMM_K_CONFIG,
    RMM_K_LOG,
    RMM_K_DATA,
    RMM_K_UNIT,   /* systemd unit, init script, launchd plist */
    RMM_K_SERVER, /* server-side install folder */
};

struct rmm_path {
    uint8_t os;
    uint8_t kind;
    char *pat; /* '/'-separated, relative to the root, glob * and ? */
};

struct rmm_vuln {
    char *lo;    /* inclusive lower bound, NULL = none */
    char *hi;    /* upper bound, NULL = none */
    int hi_incl; /* hi inclusive */
    char *ids;   /* "CVE-2024-1709,CVE-2024-1708" */
    enum vg_severity sev;
    char *text;
};

struct rmm_sesrule {
    char *file; /* base-name glob */
    char *word; /* line must contain this */
};

struct rmm_tool {
    char *id;
    char *name;
    char *category;
    char *extract;        /* extractor name, or NULL */
    struct rmm_sv bins;   /* binary base names (globs) */
    struct rmm_sv svcs;   /* service name globs */
    struct rmm_sv uninst; /* Uninstall DisplayName globs */
    struct rmm_sv regs;   /* registry key paths (HKLM\SOFTWARE\..) */
    struct rmm_sv domains;
    struct rmm_sv signers;
    struct rmm_sv verfrom; /* where the version is found (doc) */
    struct rmm_path *paths;
    size_t n_paths, cap_paths;
    struct rmm_vuln *vulns;
    size_t n_vulns, cap_vulns;
    struct rmm_sesrule *ses;
    size_t n_ses, cap_ses;
    int lolrmm; /* 1 if the tool came from LOLRMM only */
};

struct vg_rmm_catalog {
    struct rmm_tool *tools;
    size_t n, cap;
};

struct rmm_tool *rmm_catalog_find(const struct vg_rmm_catalog *c,
                                  const char *id);
int rmm_tool_add(struct vg_rmm_catalog *c, const char *id,
                 struct rmm_tool **out);
/* Add a path given in Windows ("C:\..", "%PROFILES%\..") or POSIX form;
 * macros expand to several patterns. */
int rmm_tool_add_path(struct rmm_tool *t, uint8_t os, uint8_t kind,
                      const char *raw);

/* Glob match, ASCII case-insensitive, '*' and '?' only. */
int rmm_glob(const char *pat, const char *s);
/* Base name of a Windows or POSIX path (after the last / or \). */
const char *rmm_basename(const char *p);
/* Executable path from a command line or ImagePath ("\"C:\\x y\\a.exe\" -s"
 * or "C:\\a.exe -s"), into out. */
void rmm_cmd_exe(const char *cmd, char *out, size_t cap);
/* Trim ASCII space around [*p, *p + *n). */
void rmm_trim(const char **p, size_t *n);
size_t rmm_copy(char *dst, size_t cap, const char *s, size_t n);

/* ---- items ------------------------------------------------------------- */

struct rmm_ses {
    int64_t time_us;
    char remote_id[64];
    char remote_ip[64];
    char auth[32];
    char *source;
    uint64_t line;
};

struct rmm_conn {
    char local[64], remote[64], state[16];
    int pid;
};

struct rmm_item {
    size_t tool; /* index into the catalog */
    char instance[40];
    char version[64];
    char version_src[320];
    char where[512];
    char persist[512];
    char relay[256];
    char port[16];
    char session_type[32];
    char key_fp[17];
    char local_id[128];
    char server_users[512];
    int cloud, server, unattended_pw, portable;
    int ver_prio; /* who set version: higher wins (RMM_VER_*) */
    int64_t install_us;
    int64_t last_seen_us; /* newest log/config write */
    struct rmm_sv evidence;
    struct rmm_sv webshells;
    struct rmm_ses *ses;
    size_t n_ses, cap_ses;
    struct rmm_conn *conns;
    size_t n_conns, cap_conns;
    /* filled by rmm_item_publish */
    struct vg_rmm_item pub;
    struct vg_rmm_session *pub_ses;
    struct vg_rmm_conn *pub_conns;
};

void rmm_item_init(struct rmm_item *it, size_t tool);
void rmm_item_fini(struct rmm_item *it);
int rmm_item_evidence(struct rmm_item *it, const char *what);
int rmm_item_session(struct rmm_item *it, const struct rmm_ses *s);
/* Keep the first non-empty value. */
void rmm_item_set(char *field, size_t cap, const char *v);
enum { RMM_VER_FOLDER = 1, RMM_VER_LOG = 2, RMM_VER_REG = 3, RMM_VER_PE = 4 };
void rmm_item_version(struct rmm_item *it, const char *v, size_t n,
                      const char *src, int prio);
void rmm_item_install_time(struct rmm_item *it, int64_t us);

/* ---- text parsers (parse.c) -------------------------------------------- */

/* Dispatch by base name; returns facts found (>= 0). source is the file's
 * evidence path (kept in sessions). */
int rmm_parse_file(struct rmm_item *it, const char *base, const char *data,
                   size_t n, const char *source);
/* 1 if rmm_parse_file has a parser for this base name. */
int rmm_parse_known(const char *base);
/* Catalog session rule over a log: lines with word give a session with the
 * first IPv4 address on the line. */
int rmm_parse_sesrule(struct rmm_item *it, const char *word, const char *data,
                      size_t n, const char *source);
/* "YYYY-MM-DD HH:MM[:SS]" anywhere in [p, p+n) -> us, or VG_TIME_NONE. */
int64_t rmm_find_time(const char *p, size_t n);
int rmm_sc_instance_from(const char *name, char out[40]);

/* ---- evidence root (fsroot.c) ------------------------------------------ */

struct rmm_root;
int rmm_root_open(const char *root, struct rmm_root **out, struct vg_diag *d);
void rmm_root_close(struct rmm_root *r);
typedef int rmm_match_fn(void *arg, const char *rel, int is_dir);
/* Every existing path matching pat ('/'-separated globs), no symlinks. */
int rmm_root_glob(struct rmm_root *r, const char *pat, rmm_match_fn *fn,
                  void *arg);
/* Open rel (regular file) read-only, no symlink on the way. fd or -errno. */
int rmm_root_open_file(struct rmm_root *r, const char *rel);
/* Read up to max bytes (the tail if larger). Caller frees *out. */
int rmm_root_read(struct rmm_root *r, const char *rel, size_t max, char **out,
                  size_t *n, int64_t *mtime_us, int64_t *btime_us);
/* Names in directory rel (no . ..), with is_dir flags; borrowed until
 * close. */
int rmm_root_list(struct rmm_root *r, const char *rel, char ***names,
                  unsigned char **is_dir, size_t *n);
const char *rmm_root_path(const struct rmm_root *r);

/* ---- live host (live.c) ------------------------------------------------ */

struct rmm_scan; /* scan.c */
int rmm_live_scan(struct rmm_scan *s);

/* scan.c hooks used by live.c and hive glue */
struct rmm_item *rmm_scan_item(struct rmm_scan *s, size_t tool,
                               const char *instance);
const struct vg_rmm_catalog *rmm_scan_catalog(const struct rmm_scan *s);
const struct vg_ctx *rmm_scan_ctx(const struct rmm_scan *s);
void rmm_scan_error(struct rmm_scan *s);
/* Tool whose binary list matches base name (case-insensitive), or SIZE_MAX */
size_t rmm_match_bin(const struct vg_rmm_catalog *c, const char *base);

#endif
