/* SPDX-License-Identifier: Apache-2.0 */
/*
 * rmm.h - remote-access (RMM) inventory: which remote-access tools are on a
 * host, their version, how they persist, which server (relay) each obeys,
 * the last incoming sessions, and what a site policy says about them.
 *
 * Pieces:
 *   catalog   Vigil's own tool catalog (rules/rmm/catalog, format in
 *             docs/rmm.md) plus, optionally, the LOLRMM YAML folder. Built
 *             once, then immutable: share it read-only between threads.
 *   policy    approved tools, relays and instance ids (--policy FILE).
 *   scan      probes one evidence root: the catalog's file paths (no full
 *             walk), offline registry hives (SYSTEM, SOFTWARE, NTUSER.DAT),
 *             and on a live Linux host /proc processes and TCP connections.
 *             The result is a list of tool instances (struct vg_rmm_item).
 *   findings  the result checked against the policy and the catalog's
 *             vulnerable version ranges, emitted as struct vg_finding.
 *
 * Evidence is never written and never followed out of the root: every path
 * is opened component by component with openat(O_NOFOLLOW), symlinks are
 * skipped, O_NOATIME is used where permitted.
 *
 * Ownership: every object is freed by its own _free function; strings in a
 * struct vg_rmm_item live as long as the vg_rmm_result holding it.
 * Thread-safety: a catalog and a policy may be read by many threads once
 * loaded; a result is single-owner.
 */
#ifndef VIGIL_RMM_H
#define VIGIL_RMM_H

#include <stddef.h>
#include <stdint.h>

#include "vigil/compiler.h"
#include "vigil/ctx.h"
#include "vigil/err.h"
#include "vigil/finding.h"

/* ---- catalog ----------------------------------------------------------- */

struct vg_rmm_catalog;

VG_API VG_NODISCARD int vg_rmm_catalog_new(struct vg_rmm_catalog **out);
VG_API void vg_rmm_catalog_free(struct vg_rmm_catalog *c);
/* Vigil's own line format. A bad line is a VG_ESYNTAX with file:line in d;
 * nothing from that call is kept then. */
VG_API VG_NODISCARD int vg_rmm_catalog_load_file(struct vg_rmm_catalog *c,
                                                 const char *path,
                                                 struct vg_diag *d);
VG_API VG_NODISCARD int vg_rmm_catalog_load_buf(struct vg_rmm_catalog *c,
                                                const char *data, size_t n,
                                                const char *name,
                                                struct vg_diag *d);
/* One LOLRMM YAML document (fuzzing and tests). Entries whose Name matches
 * a tool already loaded add to that tool (paths, binaries, domains);
 * others become new tools with id "lolrmm:<name>". Unusable fields are
 * skipped and counted in *n_skipped (may be NULL). */
VG_API VG_NODISCARD int
vg_rmm_catalog_load_lolrmm_buf(struct vg_rmm_catalog *c, const char *data,
                               size_t n, const char *name, size_t *n_skipped,
                               struct vg_diag *d);
/* Every *.yaml / *.yml in dir. A file that does not parse is logged through
 * ctx (file and line) and skipped; the call fails only if dir cannot be read
 * or no file loaded. *n_files = files loaded (may be NULL). */
VG_API VG_NODISCARD int vg_rmm_catalog_load_lolrmm_dir(struct vg_rmm_catalog *c,
                                                       const char *dir,
                                                       const struct vg_ctx *ctx,
                                                       size_t *n_files,
                                                       struct vg_diag *d);
VG_API size_t vg_rmm_catalog_count(const struct vg_rmm_catalog *c);
/* Tool id and display name of tool i (< count), or NULL. */
VG_API const char *vg_rmm_catalog_tool_id(const struct vg_rmm_catalog *c,
                                          size_t i);
VG_API const char *vg_rmm_catalog_tool_name(const struct vg_rmm_catalog *c,
                                            size_t i);

/* ---- policy ------------------------------------------------------------ */

struct vg_rmm_policy;

/* Line format (docs/rmm.md): "approve-tool ID", "approve-relay HOST|*.DOMAIN|
 * IP", "approve-instance HEX", "recent-days N". */
VG_API VG_NODISCARD int vg_rmm_policy_load_file(const char *path,
                                                struct vg_rmm_policy **out,
                                                struct vg_diag *d);
VG_API VG_NODISCARD int vg_rmm_policy_load_buf(const char *data, size_t n,
                                               const char *name,
                                               struct vg_rmm_policy **out,
                                               struct vg_diag *d);
VG_API void vg_rmm_policy_free(struct vg_rmm_policy *p);

/* ---- scan -------------------------------------------------------------- */

/* Is this remote address (IPv4/IPv6 text) a known-bad indicator? 1 yes,
 * 0 no. Lets the caller plug in the IOC store without libvigil's rmm
 * module depending on it. */
typedef int vg_rmm_ioc_fn(void *arg, const char *addr);

struct vg_rmm_opts {
    const char *root;        /* evidence root; "/" for the running host */
    int live;                /* also read /proc (processes, connections) */
    int64_t now_us;          /* "now" for recent-install checks; 0 = clock */
    int recent_days;         /* default window when the policy sets none
                                (0 = 7 days) */
    vg_rmm_ioc_fn *ioc_addr; /* may be NULL: no IOC check */
    void *ioc_arg;
};

struct vg_rmm_session {
    int64_t time_us;       /* start, or VG_TIME_NONE */
    const char *direction; /* "incoming" */
    const char *remote_id; /* remote tool id (AnyDesk id, TeamViewer id) */
    const char *remote_ip; /* remote address without port, or NULL */
    const char *auth;      /* "Passwd", "User", ... or NULL */
    const char *source;    /* file the line is in */
    uint64_t line;         /* 1-based line in source */
};

struct vg_rmm_conn {
    const char *local;  /* "127.0.0.1:8041" */
    const char *remote; /* "10.0.0.5:443" */
    const char *state;  /* "ESTABLISHED", "LISTEN", ... */
    int pid;
};

struct vg_rmm_item {
    const char *tool_id;      /* catalog id, "screenconnect" */
    const char *tool_name;    /* "ScreenConnect (ConnectWise Control)" */
    const char *instance;     /* ScreenConnect 16-hex id, or NULL */
    const char *version;      /* best version found, or NULL */
    const char *version_src;  /* where the version came from */
    const char *where;        /* main install path (evidence-relative) */
    const char *persist;      /* "service:AnyDesk", "run:...", "systemd:..." */
    const char *relay;        /* server it obeys: host, or NULL */
    const char *port;         /* relay port, or NULL */
    const char *session_type; /* ScreenConnect e= */
    const char *key_fp;       /* ScreenConnect k= fingerprint (FNV-1a 64) */
    const char *local_id;     /* AnyDesk / TeamViewer / RustDesk id, account */
    const char *server_users; /* ScreenConnect server User.xml names */
    int cloud;                /* 1 vendor cloud relay, 0 self-hosted, -1 ? */
    int server;               /* 1 = a server install (ScreenConnect server) */
    int unattended_pw;        /* AnyDesk service.conf pwd_hash present */
    int portable;             /* binary outside the catalog's install paths */
    int64_t install_us;       /* install time (uninstall date, file birth) */
    const struct vg_rmm_session *sessions;
    size_t n_sessions;
    const struct vg_rmm_conn *conns;
    size_t n_conns;
    const char *const *evidence; /* every path/key that matched */
    size_t n_evidence;
    const char *const *webshells; /* App_Extensions root files */
    size_t n_webshells;
};

struct vg_rmm_result;

/* Probe opts->root. Per-file problems (unreadable file, corrupt hive) are
 * logged through ctx and counted, never fatal. Fails only when the root
 * cannot be opened or memory runs out. */
VG_API VG_NODISCARD int vg_rmm_scan(const struct vg_rmm_catalog *c,
                                    const struct vg_rmm_opts *opts,
                                    const struct vg_ctx *ctx,
                                    struct vg_rmm_result **out,
                                    struct vg_diag *d);
VG_API void vg_rmm_result_free(struct vg_rmm_result *r);
VG_API size_t vg_rmm_result_count(const struct vg_rmm_result *r);
VG_API const struct vg_rmm_item *
vg_rmm_result_item(const struct vg_rmm_result *r, size_t i);
/* Per-file errors met during the scan, and paths probed that existed. */
VG_API uint64_t vg_rmm_result_errors(const struct vg_rmm_result *r);
VG_API uint64_t vg_rmm_result_probed(const struct vg_rmm_result *r);
/* Catalog path patterns looked up (the work done, whatever was found). */
VG_API uint64_t vg_rmm_result_patterns(const struct vg_rmm_result *r);

/* One "inventory" finding per item (severity info) then the policy
 * findings, in item order. policy may be NULL (then only catalog facts:
 * vulnerable version, several instances, portable install, web shells,
 * IOC sessions). Returns VG_OK or the callback's negative value. */
VG_API VG_NODISCARD int vg_rmm_findings(const struct vg_rmm_catalog *c,
                                        const struct vg_rmm_result *r,
                                        const struct vg_rmm_policy *p,
                                        const struct vg_rmm_opts *opts,
                                        vg_finding_fn *fn, void *arg);

/* ---- parsers (exposed for tests and fuzzing) --------------------------- */

/* ScreenConnect launch parameters "?e=Access&y=Guest&h=...&p=...&k=...". */
struct vg_rmm_sc_params {
    char host[256];
    char port[16];
    char session_type[32];
    char key_fp[17]; /* 16 hex of FNV-1a 64 over the decoded k= value */
    char session[64];
};
/* Finds the query anywhere in s (ImagePath, ClientLaunchParameters.txt,
 * user.config). VG_OK when h= was found, VG_ENOTFOUND otherwise. */
VG_API VG_NODISCARD int vg_rmm_sc_parse(const char *s, size_t n,
                                        struct vg_rmm_sc_params *out);
/* Dotted version compare ("23.9.8" vs "23.9.10"): <0, 0, >0. Non-numeric
 * parts compare as 0. */
VG_API int vg_rmm_version_cmp(const char *a, const char *b);

/* PE version resource: FileVersion from VS_FIXEDFILEINFO ("8.0.7.0") and
 * the StringFileInfo strings. Bounds-checked over untrusted bytes. */
struct vg_rmm_pe_version {
    char file_version[48];    /* fixed info, "a.b.c.d" */
    char product_version[48]; /* fixed info */
    char str_file_version[64];
    char str_product_version[64];
    char company[128];
    char product[128];
    char original_name[128];
};
VG_API VG_NODISCARD int vg_rmm_pe_version(const uint8_t *p, size_t n,
                                          struct vg_rmm_pe_version *out,
                                          struct vg_diag *d);

/* Text parsers run on file contents by tool extractors; each appends to an
 * internal item. Exposed as one entry for fuzzing: kind is the file's base
 * name ("ad.trace", "connection_trace.txt", "system.conf", "user.config",
 * "Connections_incoming.txt", "MeshAgent.msh", "client32.ini",
 * "RustDesk2.toml", "User.xml", ...). Returns the number of facts found. */
VG_API int vg_rmm_parse_text(const char *kind, const char *data, size_t n);

/* ---- offline registry hives (libhivex) --------------------------------- */

struct vg_rmm_hive;

struct vg_rmm_service {
    const char *name;
    const char *display;
    const char *image_path;
    uint32_t start; /* 0 boot .. 4 disabled; UINT32_MAX absent */
    uint32_t type;
    int64_t time_us; /* key last-write time */
};
struct vg_rmm_program {
    const char *key;
    const char *name;
    const char *version;
    const char *publisher;
    const char *install_date; /* "YYYYMMDD" as stored */
    const char *location;
    int64_t time_us;
};
struct vg_rmm_autorun {
    const char *key; /* "Software\\Microsoft\\Windows\\CurrentVersion\\Run" */
    const char *name;
    const char *command;
};
typedef int vg_rmm_service_fn(void *arg, const struct vg_rmm_service *s);
typedef int vg_rmm_program_fn(void *arg, const struct vg_rmm_program *p);
typedef int vg_rmm_autorun_fn(void *arg, const struct vg_rmm_autorun *a);
typedef int vg_rmm_value_fn(void *arg, const char *name, const char *value);

/* Open a hive from a file descriptor the caller opened (the library opens
 * it with O_NOFOLLOW under the root). name is for messages. A file that is
 * not a valid hive gives VG_EFORMAT with a message naming it. */
VG_API VG_NODISCARD int vg_rmm_hive_open_fd(int fd, const char *name,
                                            struct vg_rmm_hive **out,
                                            struct vg_diag *d);
VG_API VG_NODISCARD int
vg_rmm_hive_open(const char *path, struct vg_rmm_hive **out, struct vg_diag *d);
VG_API void vg_rmm_hive_close(struct vg_rmm_hive *h);
/* SYSTEM: services of the current control set (Select\Current). */
VG_API VG_NODISCARD int vg_rmm_hive_services(struct vg_rmm_hive *h,
                                             vg_rmm_service_fn *fn, void *arg,
                                             struct vg_diag *d);
/* SOFTWARE or NTUSER.DAT: Uninstall entries (native and WOW6432Node). */
VG_API VG_NODISCARD int vg_rmm_hive_programs(struct vg_rmm_hive *h,
                                             vg_rmm_program_fn *fn, void *arg,
                                             struct vg_diag *d);
/* SOFTWARE or NTUSER.DAT: Run and RunOnce values (native and WOW6432Node). */
VG_API VG_NODISCARD int vg_rmm_hive_autoruns(struct vg_rmm_hive *h,
                                             vg_rmm_autorun_fn *fn, void *arg,
                                             struct vg_diag *d);
/* String values of the key at path (backslash separated, relative to the
 * hive root). VG_ENOTFOUND when the key is absent. */
VG_API VG_NODISCARD int vg_rmm_hive_values(struct vg_rmm_hive *h,
                                           const char *path,
                                           vg_rmm_value_fn *fn, void *arg,
                                           struct vg_diag *d);

#endif
