/* SPDX-License-Identifier: Apache-2.0 */
/*
 * scan.h - internals of `vigil scan` shared by cli/cmd_scan.c (options,
 * target, order of work, output) and the per-module stages in
 * cli/scan_<module>.c. Each stage calls its module only through the
 * module's public header; a stage whose module is not in this build says
 * so in the report (an info finding "vigil.module.unavailable") instead
 * of being silently absent.
 */
#ifndef VIGIL_CLI_SCAN_H
#define VIGIL_CLI_SCAN_H

#include <stdint.h>

#include "cli.h"
#include "vigil/correlate.h"
#include "vigil/target.h"

struct scan_content; /* rules, IOCs, catalog: owned by the stages */

struct scan {
    struct cli          *cli;
    struct vg_target     t;
    struct vg_correlate *cor;
    /* options */
    int         full;        /* --full: walk everything */
    const char *rules_dir;   /* --rules DIR (Sigma) */
    const char *yara_path;   /* --yara PATH */
    const char *iocs[16];    /* --iocs FILE, repeatable */
    size_t      n_iocs;
    const char *policy_path; /* --policy FILE */
    unsigned    cpu_limit;   /* --cpu-limit PCT, 0 = none */
    double      max_runtime; /* --max-runtime S, 0 = none */
    /* run state */
    double      t0;
    const char *host;        /* host name put on findings without one */
    char        host_buf[256];
    uint64_t    n_items;     /* files + records + lines examined */
    uint64_t    n_errors;    /* per-file problems */
    int         stopped;     /* --max-runtime reached: partial results */
    struct scan_content *content;
};

/* The computer name of an offline Windows root from its SYSTEM hive
 * (ComputerName), into s->host_buf; 0 when found (scan_rmm.c, needs the
 * rmm module's hive reader), -1 otherwise. */
int scan_host_from_hive(struct scan *s);

/* Hand a module's finding to the correlator. One scan examines one host,
 * so every finding gets the scan's host name: an event log's Computer
 * ("RXSRV01.rx.local") and the hive's ComputerName ("RXSRV01") then tell
 * one story instead of two. */
int scan_emit(const struct vg_finding *f, void *arg);
/* Say something about the run itself, in the report and on stderr (unless
 * --quiet): a module not available, a file that could not be read. */
void scan_note(struct scan *s, enum vg_severity sev, const char *rule_id,
               const char *title, const char *reason, const char *path);
/* Between units of work: sleep to honour --cpu-limit; 1 when the scan must
 * stop (--max-runtime reached or interrupted). */
int scan_pause(struct scan *s);
/* Seconds since the scan started. */
double scan_elapsed(const struct scan *s);

/* A module stage: load its content once, run over the target, free. Any
 * function may be NULL. load/run return 0; problems are notes. */
struct scan_stage {
    const char *module; /* "rmm", "files", "hunt", "sweep" */
    const char *what;   /* "remote-access inventory", ... */
    int  (*available)(void);
    void (*load)(struct scan *s);
    void (*run)(struct scan *s);
    void (*fini)(struct scan *s);
};

extern const struct scan_stage scan_stage_ioc;   /* IOC feeds (--iocs) */
extern const struct scan_stage scan_stage_rmm;   /* inventory */
extern const struct scan_stage scan_stage_files; /* file scan */
extern const struct scan_stage scan_stage_hunt;  /* Sigma over EVTX */
extern const struct scan_stage scan_stage_sweep; /* IOC sweep of logs */

/* Vigil's own content (rules/<rel>): $VIGIL_CONTENT/<rel>, then next to
 * the program (<exe dir>/../rules/<rel>, a build tree), then the installed
 * <exe dir>/../share/vigil/rules/<rel>. 0 with the path in out, or -1. */
int scan_content_path(const char *rel, char *out, size_t cap);
/* Open evidence read-only without following a final link and, where the
 * kernel allows, without touching its access time. fd or -1 (errno). */
int scan_open(const char *path);

/* The IOC store loaded by scan_stage_ioc (a struct vg_ioc_store *), or
 * NULL when none was given or the module is not in this build. */
const void *scan_iocs(const struct scan *s);

#endif
