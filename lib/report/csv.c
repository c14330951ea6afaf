/* SPDX-License-Identifier: Apache-2.0 */
/*
 * csv.c - findings as a CSV timeline (RFC 4180: CRLF line ends, fields
 * quoted when they hold a comma, quote, CR or LF; formula guard in
 * vg_csv_field). One header row, then one row per finding, columns fixed:
 * time, severity, score, module, title, reason, rule_id, rule_name, path,
 * offset, record_id, host, techniques (';'-joined), matched (k=v ';'-joined),
 * remediation. Absent values are empty fields. It does not sort rows.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "core/limits.h"
#include "report/report_int.h"
#include "vigil/err.h"
#include "vigil/time.h"

#include "core/banned.h"

static const char csv_header_row[] =
    "time,severity,score,module,title,reason,rule_id,rule_name,path,offset,"
    "record_id,host,techniques,matched,remediation\r\n";

int
vg_csv_header(struct vg_buf *b)
{
    return vg_buf_adds(b, csv_header_row);
}

static int
join_techniques(struct vg_buf *t, const struct vg_finding *f)
{
    int rc = VG_OK;
    for (size_t i = 0; i < f->n_techniques && rc == VG_OK; i++) {
        rc = vg_buf_printf(t, "%s%s", i ? ";" : "",
                           f->techniques[i] ? f->techniques[i] : "");
    }
    return rc;
}

static int
join_matched(struct vg_buf *t, const struct vg_finding *f)
{
    const struct vg_kv *kv = f->evidence.values;
    int rc = VG_OK;
    for (size_t i = 0; i < f->evidence.n_values && rc == VG_OK; i++) {
        rc = vg_buf_printf(t, "%s%s=%s", i ? ";" : "",
                           kv[i].key ? kv[i].key : "",
                           kv[i].value ? kv[i].value : "");
    }
    return rc;
}

/* Numbers and the time as text; empty when absent. */
struct nums {
    char ts[VG_ISO_TIME_LEN];
    char score[16];
    char off[24];
    char rec[24];
};

static void
format_nums(struct nums *n, const struct vg_finding *f)
{
    n->ts[0] = n->off[0] = n->rec[0] = '\0';
    if (f->time_us != VG_TIME_NONE) {
        (void)vg_time_format(f->time_us, n->ts); /* ELIMIT: clamped, valid */
    }
    (void)snprintf(n->score, sizeof(n->score), "%d", vg_finding_score(f));
    if (f->evidence.offset != VG_OFFSET_NONE) {
        (void)snprintf(n->off, sizeof(n->off), "%" PRIu64, f->evidence.offset);
    }
    if (f->evidence.record_id != 0) {
        (void)snprintf(n->rec, sizeof(n->rec), "%" PRIu64,
                       f->evidence.record_id);
    }
}

/* One row from its column values in header order; NULL = empty field. */
static int
put_row(struct vg_buf *b, const char *const *cols, size_t n)
{
    int rc = VG_OK;
    for (size_t i = 0; i < n && rc == VG_OK; i++) {
        if (i > 0) {
            rc = vg_buf_addc(b, ',');
        }
        if (rc == VG_OK && cols[i] != NULL) {
            rc = vg_csv_field(b, cols[i], strlen(cols[i]));
        }
    }
    return rc == VG_OK ? vg_buf_add(b, "\r\n", 2) : rc;
}

int
vg_csv_render(struct vg_buf *b, const struct vg_finding *f)
{
    struct vg_buf tech, match;
    struct nums n;
    int rc;

    vg_buf_init(&tech, VG_MAX_FINDING_BYTES);
    vg_buf_init(&match, VG_MAX_FINDING_BYTES);
    format_nums(&n, f);
    rc = join_techniques(&tech, f);
    if (rc == VG_OK) {
        rc = join_matched(&match, f);
    }
    if (rc == VG_OK) {
        const char *cols[] = {
            n.ts,
            vg_severity_name(f->severity),
            n.score,
            f->module,
            f->title,
            f->reason,
            f->rule.id,
            f->rule.name,
            f->evidence.path,
            n.off,
            n.rec,
            f->host,
            tech.data,
            match.data,
            f->remediation,
        };
        rc = put_row(b, cols, VG_ARRAY_LEN(cols));
    }
    vg_buf_fini(&tech);
    vg_buf_fini(&match);
    return rc;
}
