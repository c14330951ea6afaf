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

/* Field with a leading comma unless first; NULL = empty field. */
static int
field(struct vg_buf *b, const char *s, int first)
{
    int rc = first ? VG_OK : vg_buf_addc(b, ',');
    if (rc == VG_OK && s != NULL) {
        rc = vg_csv_field(b, s, strlen(s));
    }
    return rc;
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

/* Time, severity, score, module, title, reason, rule id/name, path. */
static int
head_fields(struct vg_buf *b, const struct vg_finding *f)
{
    char ts[VG_ISO_TIME_LEN] = "";
    char score[16];
    int rc;

    if (f->time_us != VG_TIME_NONE) {
        (void)vg_time_format(f->time_us, ts); /* ELIMIT: clamped, valid */
    }
    (void)snprintf(score, sizeof(score), "%d", vg_finding_score(f));
    rc = field(b, ts, 1);
    if (rc == VG_OK) rc = field(b, vg_severity_name(f->severity), 0);
    if (rc == VG_OK) rc = field(b, score, 0);
    if (rc == VG_OK) rc = field(b, f->module, 0);
    if (rc == VG_OK) rc = field(b, f->title, 0);
    if (rc == VG_OK) rc = field(b, f->reason, 0);
    if (rc == VG_OK) rc = field(b, f->rule.id, 0);
    if (rc == VG_OK) rc = field(b, f->rule.name, 0);
    if (rc == VG_OK) rc = field(b, f->evidence.path, 0);
    return rc;
}

static int
tail_fields(struct vg_buf *b, const struct vg_finding *f, struct vg_buf *t)
{
    char off[24] = "", rec[24] = "";
    int rc;

    if (f->evidence.offset != VG_OFFSET_NONE) {
        (void)snprintf(off, sizeof(off), "%" PRIu64, f->evidence.offset);
    }
    if (f->evidence.record_id != 0) {
        (void)snprintf(rec, sizeof(rec), "%" PRIu64, f->evidence.record_id);
    }
    rc = field(b, off, 0);
    if (rc == VG_OK) rc = field(b, rec, 0);
    if (rc == VG_OK) rc = field(b, f->host, 0);
    if (rc == VG_OK) rc = join_techniques(t, f);
    if (rc == VG_OK) rc = field(b, t->data ? t->data : "", 0);
    vg_buf_reset(t);
    if (rc == VG_OK) rc = join_matched(t, f);
    if (rc == VG_OK) rc = field(b, t->data ? t->data : "", 0);
    if (rc == VG_OK) rc = field(b, f->remediation, 0);
    if (rc == VG_OK) rc = vg_buf_add(b, "\r\n", 2);
    return rc;
}

int
vg_csv_render(struct vg_buf *b, const struct vg_finding *f)
{
    struct vg_buf t;
    int rc;

    vg_buf_init(&t, VG_MAX_FINDING_BYTES);
    rc = head_fields(b, f);
    if (rc == VG_OK) {
        rc = tail_fields(b, f, &t);
    }
    vg_buf_fini(&t);
    return rc;
}
