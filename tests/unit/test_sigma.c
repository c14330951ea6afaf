/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test_sigma.c - Sigma semantics, table-driven: every modifier, value form
 * and condition form against in-memory events (tests/support/memevent).
 * Each case is a detection section, an event and the expected verdict
 * (1 match, 0 no match, -1 the rule must be refused as unsupported).
 * Also the required literals of regexes (table of patterns, including
 * those where none may be taken), the scanner's cache of needles per field value (exact key, slot
 * replacement, limits) and that repeated values answer as the first time.
 * Not here: corpus rules (test_sigma_corpus), correlations
 * (test_sigma_corr), the EVTX regression set (test_sigma_regression).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "memevent.h"
#include "sigma/scan_int.h"
#include "sigma/sigma_int.h"
#include "vg_test.h"
#include "vigil/sigma.h"

#define N VG_MEMEVENT_NULL

struct tcase {
    const char *name;
    const char *det;          /* detection body (lines indented 4) */
    const char *kv[16];       /* event fields */
    int         want;
};

static int
on_match(void *arg, const struct vg_sigma_match *m, const struct vg_event *ev)
{
    (void)m;
    (void)ev;
    (*(int *)arg)++;
    return 0;
}

/* Counts matches per rule index (int[3]). */
static int
per_rule(void *arg, const struct vg_sigma_match *m, const struct vg_event *ev)
{
    (void)ev;
    if (m->rule < 3)
        ((int *)arg)[m->rule]++;
    return 0;
}

/* 1 match, 0 none, -1 refused; -2 on an engine error. */
static int
run_rule(const char *logsource, const char *det, const char *const *kv,
         const char *channel, uint32_t eid)
{
    char yaml[4096];
    struct vg_sigma *s = NULL;
    struct vg_sigma_scanner *sc = NULL;
    struct vg_diag d;
    int hits = 0, ret = -2;
    snprintf(yaml, sizeof(yaml),
             "title: t\nid: 11111111-1111-1111-1111-111111111111\n"
             "level: high\nlogsource:\n%sdetection:\n%s",
             logsource, det);
    vg_diag_clear(&d);
    if (vg_sigma_new(NULL, NULL, &s, &d) != 0)
        return -2;
    if (vg_sigma_add_text(s, "case.yml", yaml, strlen(yaml)) != 0 ||
        vg_sigma_compile(s, &d) != 0)
        goto out;
    if (vg_sigma_count(s) == 0) {
        ret = -1;
        goto out;
    }
    if (vg_sigma_scanner_new(s, &sc) != 0)
        goto out;
    struct vg_memevent m;
    vg_memevent_init(&m, channel, eid, "Prov", "HOST", 0, 7);
    vg_memevent_setv(&m, kv);
    if (vg_sigma_scan(sc, &m.ev, on_match, &hits) != 0)
        goto out;
    ret = hits > 0;
out:
    vg_sigma_scanner_free(sc);
    vg_sigma_free(s);
    return ret;
}

static const char win[] = "    product: windows\n";

static void
run_table(const struct tcase *t, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        int got = run_rule(win, t[i].det, t[i].kv, "Security", 1);
        if (got != t[i].want)
            printf("# case '%s': got %d want %d\n", t[i].name, got, t[i].want);
        CHECK_EQ_INT(got, t[i].want);
    }
}

static const struct tcase basic[] = {
    { "eq ci", "    s:\n        F: 'abc'\n    condition: s\n", { "F", "ABC", NULL }, 1 },
    { "eq not substring", "    s:\n        F: 'abc'\n    condition: s\n", { "F", "xabc", NULL }, 0 },
    { "no trim", "    s:\n        F: 'abc'\n    condition: s\n", { "F", "abc ", NULL }, 0 },
    { "field name exact", "    s:\n        f: 'abc'\n    condition: s\n", { "F", "abc", NULL }, 0 },
    { "missing field", "    s:\n        G: 'abc'\n    condition: s\n", { "F", "abc", NULL }, 0 },
    { "list is or", "    s:\n        F:\n            - a\n            - b\n    condition: s\n", { "F", "b", NULL }, 1 },
    { "map is and", "    s:\n        F: a\n        G: b\n    condition: s\n", { "F", "a", "G", "c", NULL }, 0 },
    { "map is and 2", "    s:\n        F: a\n        G: b\n    condition: s\n", { "F", "a", "G", "B", NULL }, 1 },
    { "list of maps or", "    s:\n        - F: a\n        - G: b\n    condition: s\n", { "G", "b", NULL }, 1 },
    { "star", "    s:\n        F: 'a*c'\n    condition: s\n", { "F", "aXYZc", NULL }, 1 },
    { "star empty", "    s:\n        F: 'a*c'\n    condition: s\n", { "F", "ac", NULL }, 1 },
    { "qmark one", "    s:\n        F: 'a?c'\n    condition: s\n", { "F", "abc", NULL }, 1 },
    { "qmark not zero", "    s:\n        F: 'a?c'\n    condition: s\n", { "F", "ac", NULL }, 0 },
    { "qmark utf8", "    s:\n        F: 'a?c'\n    condition: s\n", { "F", "a\xC3\xA9" "c", NULL }, 1 },
    { "escaped star literal", "    s:\n        F: 'a\\*c'\n    condition: s\n", { "F", "a*c", NULL }, 1 },
    { "escaped star no wild", "    s:\n        F: 'a\\*c'\n    condition: s\n", { "F", "abc", NULL }, 0 },
    { "escaped qmark", "    s:\n        F: 'a\\?'\n    condition: s\n", { "F", "a?", NULL }, 1 },
    { "escaped qmark no wild", "    s:\n        F: 'a\\?'\n    condition: s\n", { "F", "ab", NULL }, 0 },
    { "backslash plain", "    s:\n        F: 'C:\\Windows\\x'\n    condition: s\n", { "F", "c:\\windows\\X", NULL }, 1 },
    { "double backslash is one", "    s:\n        F: 'a\\\\b'\n    condition: s\n", { "F", "a\\b", NULL }, 1 },
    { "backslash then star", "    s:\n        F: 'a\\\\*'\n    condition: s\n", { "F", "a\\zzz", NULL }, 1 },
    { "three backslash star", "    s:\n        F: 'a\\\\\\*'\n    condition: s\n", { "F", "a\\*", NULL }, 1 },
    { "three backslash star no wild", "    s:\n        F: 'a\\\\\\*'\n    condition: s\n", { "F", "a\\zz", NULL }, 0 },
    { "four backslash", "    s:\n        F: 'a\\\\\\\\b'\n    condition: s\n", { "F", "a\\\\b", NULL }, 1 },
    { "number vs string", "    s:\n        F: 4688\n    condition: s\n", { "F", "4688", NULL }, 1 },
    { "number vs hex", "    s:\n        F: 16\n    condition: s\n", { "F", "0x10", NULL }, 1 },
    { "number no prefix", "    s:\n        F: 46\n    condition: s\n", { "F", "4688", NULL }, 0 },
    { "quoted number string", "    s:\n        F: '016'\n    condition: s\n", { "F", "16", NULL }, 0 },
    { "null absent", "    s:\n        F: null\n    condition: s\n", { "G", "x", NULL }, 1 },
    { "null empty", "    s:\n        F: null\n    condition: s\n", { "F", "", NULL }, 1 },
    { "null nullvalue", "    s:\n        F: null\n    condition: s\n", { "F", N, NULL }, 1 },
    { "null has value", "    s:\n        F: null\n    condition: s\n", { "F", "x", NULL }, 0 },
    { "empty string", "    s:\n        F: ''\n    condition: s\n", { "F", "", NULL }, 1 },
    { "empty string vs value", "    s:\n        F: ''\n    condition: s\n", { "F", "a", NULL }, 0 },
    { "bool as string", "    s:\n        F: true\n    condition: s\n", { "F", "True", NULL }, 1 },
    { "keyword", "    k:\n        - 'evil'\n    condition: k\n", { "F", "an EVIL thing", NULL }, 1 },
    { "keyword none", "    k:\n        - 'evil'\n    condition: k\n", { "F", "good", NULL }, 0 },
    { "keyword all", "    k:\n        '|all':\n            - 'a1'\n            - 'b2'\n    condition: k\n", { "F", "a1", "G", "xb2", NULL }, 1 },
    { "keyword all missing", "    k:\n        '|all':\n            - 'a1'\n            - 'b2'\n    condition: k\n", { "F", "a1", NULL }, 0 },
    { "keyword scalar", "    k: 'evil'\n    condition: k\n", { "F", "evil", NULL }, 1 },
    { "system field", "    s:\n        EventID: 1\n        Channel: security\n    condition: s\n", { NULL }, 1 },
};

static const struct tcase modifiers[] = {
    { "contains", "    s:\n        F|contains: 'B\\C'\n    condition: s\n", { "F", "ab\\cd", NULL }, 1 },
    { "startswith", "    s:\n        F|startswith: 'ab'\n    condition: s\n", { "F", "ABc", NULL }, 1 },
    { "startswith no", "    s:\n        F|startswith: 'ab'\n    condition: s\n", { "F", "cab", NULL }, 0 },
    { "endswith", "    s:\n        F|endswith: '\\cmd.exe'\n    condition: s\n", { "F", "C:\\x\\CMD.EXE", NULL }, 1 },
    { "endswith no", "    s:\n        F|endswith: '\\cmd.exe'\n    condition: s\n", { "F", "C:\\x\\cmd.exe ", NULL }, 0 },
    { "contains wildcard inside", "    s:\n        F|contains: 'a*z'\n    condition: s\n", { "F", "xxaYYzxx", NULL }, 1 },
    { "contains all", "    s:\n        F|contains|all:\n            - a1\n            - b2\n    condition: s\n", { "F", "b2 a1", NULL }, 1 },
    { "contains all missing", "    s:\n        F|contains|all:\n            - a1\n            - b2\n    condition: s\n", { "F", "a1", NULL }, 0 },
    { "cased no", "    s:\n        F|cased: 'Abc'\n    condition: s\n", { "F", "abc", NULL }, 0 },
    { "cased yes", "    s:\n        F|cased: 'Abc'\n    condition: s\n", { "F", "Abc", NULL }, 1 },
    { "contains cased", "    s:\n        F|contains|cased: 'Bc'\n    condition: s\n", { "F", "abcd", NULL }, 0 },
    { "re search", "    s:\n        F|re: 'b+c'\n    condition: s\n", { "F", "abbbcd", NULL }, 1 },
    { "re cased default", "    s:\n        F|re: 'ABC'\n    condition: s\n", { "F", "abc", NULL }, 0 },
    { "re i", "    s:\n        F|re|i: 'ABC'\n    condition: s\n", { "F", "abc", NULL }, 1 },
    { "re anchors", "    s:\n        F|re: '^b$'\n    condition: s\n", { "F", "a\nb", NULL }, 0 },
    { "re m", "    s:\n        F|re|m: '^b$'\n    condition: s\n", { "F", "a\nb", NULL }, 1 },
    { "re dot nl", "    s:\n        F|re: 'a.b'\n    condition: s\n", { "F", "a\nb", NULL }, 0 },
    { "re s", "    s:\n        F|re|s: 'a.b'\n    condition: s\n", { "F", "a\nb", NULL }, 1 },
    { "re bad", "    s:\n        F|re: 'a('\n    condition: s\n", { "F", "a", NULL }, -1 },
    { "windash slash", "    s:\n        F|windash|contains: ' -enc '\n    condition: s\n", { "F", "x /enc y", NULL }, 1 },
    { "windash dash", "    s:\n        F|windash|contains: ' -enc '\n    condition: s\n", { "F", "x -enc y", NULL }, 1 },
    { "windash en dash", "    s:\n        F|windash|contains: ' -enc '\n    condition: s\n", { "F", "x \xE2\x80\x93" "enc y", NULL }, 1 },
    { "windash em dash", "    s:\n        F|windash|contains: ' -enc '\n    condition: s\n", { "F", "x \xE2\x80\x94" "enc y", NULL }, 1 },
    { "windash bar", "    s:\n        F|windash|contains: ' -enc '\n    condition: s\n", { "F", "x \xE2\x80\x95" "enc y", NULL }, 1 },
    { "windash other", "    s:\n        F|windash|contains: ' -enc '\n    condition: s\n", { "F", "x +enc y", NULL }, 0 },
    { "windash mid-word kept", "    s:\n        F|windash|contains: 'Set-Item'\n    condition: s\n", { "F", "Set/Item", NULL }, 0 },
    { "base64", "    s:\n        F|base64: 'abc'\n    condition: s\n", { "F", "YWJj", NULL }, 1 },
    { "base64 pad", "    s:\n        F|base64|contains: 'ab'\n    condition: s\n", { "F", "xxYWI=", NULL }, 1 },
    /* "ping" at offsets 0, 1, 2 of a base64 stream */
    { "base64offset 0", "    s:\n        F|base64offset|contains: 'ping'\n    condition: s\n", { "F", "cGluZyAx", NULL }, 1 },
    { "base64offset 1", "    s:\n        F|base64offset|contains: 'ping'\n    condition: s\n", { "F", "IHBpbmcg", NULL }, 1 },
    { "base64offset 2", "    s:\n        F|base64offset|contains: 'ping'\n    condition: s\n", { "F", "ICBwaW5nIA==", NULL }, 1 },
    { "base64offset no", "    s:\n        F|base64offset|contains: 'ping'\n    condition: s\n", { "F", "cG9uZw==", NULL }, 0 },
    { "wide base64offset", "    s:\n        F|wide|base64offset|contains: 'ab'\n    condition: s\n", { "F", "YQBiAA==", NULL }, 1 },
    { "utf16le base64", "    s:\n        F|utf16le|base64: 'a'\n    condition: s\n", { "F", "YQA=", NULL }, 1 },
    { "utf16be base64", "    s:\n        F|utf16be|base64: 'a'\n    condition: s\n", { "F", "AGE=", NULL }, 1 },
    { "utf16 bom base64", "    s:\n        F|utf16|base64: 'a'\n    condition: s\n", { "F", "//5hAA==", NULL }, 1 },
    { "cidr v4", "    s:\n        F|cidr: '10.0.0.0/8'\n    condition: s\n", { "F", "10.200.1.1", NULL }, 1 },
    { "cidr v4 no", "    s:\n        F|cidr: '10.0.0.0/8'\n    condition: s\n", { "F", "11.0.0.1", NULL }, 0 },
    { "cidr v4 /23", "    s:\n        F|cidr: '192.168.2.0/23'\n    condition: s\n", { "F", "192.168.3.255", NULL }, 1 },
    { "cidr v4 /23 no", "    s:\n        F|cidr: '192.168.2.0/23'\n    condition: s\n", { "F", "192.168.4.0", NULL }, 0 },
    { "cidr v4 mapped", "    s:\n        F|cidr: '10.0.0.0/8'\n    condition: s\n", { "F", "::ffff:10.1.2.3", NULL }, 1 },
    { "cidr v6", "    s:\n        F|cidr: 'fe80::/10'\n    condition: s\n", { "F", "FE80::1", NULL }, 1 },
    { "cidr v6 no", "    s:\n        F|cidr: 'fe80::/10'\n    condition: s\n", { "F", "fec0::1", NULL }, 0 },
    { "cidr not ip", "    s:\n        F|cidr: '10.0.0.0/8'\n    condition: s\n", { "F", "10.x", NULL }, 0 },
    { "cidr bad", "    s:\n        F|cidr: '10.0.0.0/33'\n    condition: s\n", { "F", "10.0.0.1", NULL }, -1 },
    { "gt", "    s:\n        F|gt: 10\n    condition: s\n", { "F", "11", NULL }, 1 },
    { "gt eq", "    s:\n        F|gt: 10\n    condition: s\n", { "F", "10", NULL }, 0 },
    { "gte", "    s:\n        F|gte: 10\n    condition: s\n", { "F", "10", NULL }, 1 },
    { "lt", "    s:\n        F|lt: 10\n    condition: s\n", { "F", "9.5", NULL }, 1 },
    { "lte", "    s:\n        F|lte: 10\n    condition: s\n", { "F", "11", NULL }, 0 },
    { "gt not number", "    s:\n        F|gt: 10\n    condition: s\n", { "F", "abc", NULL }, 0 },
    { "gt hex", "    s:\n        F|gt: 10\n    condition: s\n", { "F", "0x20", NULL }, 1 },
    { "neq", "    s:\n        F|neq: a\n    condition: s\n", { "F", "b", NULL }, 1 },
    { "neq same", "    s:\n        F|neq: a\n    condition: s\n", { "F", "A", NULL }, 0 },
    { "neq list", "    s:\n        F|neq:\n            - a\n            - b\n    condition: s\n", { "F", "b", NULL }, 0 },
    { "exists true", "    s:\n        F|exists: true\n    condition: s\n", { "F", "", NULL }, 1 },
    { "exists true null", "    s:\n        F|exists: true\n    condition: s\n", { "F", N, NULL }, 1 },
    { "exists true absent", "    s:\n        F|exists: true\n    condition: s\n", { "G", "", NULL }, 0 },
    { "exists false", "    s:\n        F|exists: false\n    condition: s\n", { "G", "", NULL }, 1 },
    { "exists false present", "    s:\n        F|exists: false\n    condition: s\n", { "F", "x", NULL }, 0 },
    { "fieldref", "    s:\n        F|fieldref: G\n    condition: s\n", { "F", "abc", "G", "ABC", NULL }, 1 },
    { "fieldref no", "    s:\n        F|fieldref: G\n    condition: s\n", { "F", "abc", "G", "abd", NULL }, 0 },
    { "fieldref missing", "    s:\n        F|fieldref: G\n    condition: s\n", { "F", "abc", NULL }, 0 },
    { "fieldref neq", "    s:\n        F|fieldref|neq: G\n    condition: s\n", { "F", "abc", "G", "abd", NULL }, 1 },
    { "fieldref cased", "    s:\n        F|fieldref|cased: G\n    condition: s\n", { "F", "abc", "G", "ABC", NULL }, 0 },
    { "unknown modifier", "    s:\n        F|bogus: a\n    condition: s\n", { "F", "a", NULL }, -1 },
    { "expand no config", "    s:\n        F|expand: '%admins%'\n    condition: s\n", { "F", "a", NULL }, -1 },
    { "i without re", "    s:\n        F|i: a\n    condition: s\n", { "F", "a", NULL }, -1 },
};

static const struct tcase conds[] = {
    { "and", "    a:\n        F: 1\n    b:\n        G: 2\n    condition: a and b\n", { "F", "1", "G", "2", NULL }, 1 },
    { "or", "    a:\n        F: 1\n    b:\n        G: 2\n    condition: a or b\n", { "F", "0", "G", "2", NULL }, 1 },
    { "not", "    a:\n        F: 1\n    b:\n        G: 2\n    condition: a and not b\n", { "F", "1", "G", "2", NULL }, 0 },
    { "precedence", "    a:\n        F: 1\n    b:\n        G: 2\n    c:\n        H: 3\n    condition: a or b and c\n", { "F", "1", NULL }, 1 },
    { "precedence 2", "    a:\n        F: 1\n    b:\n        G: 2\n    c:\n        H: 3\n    condition: (a or b) and c\n", { "F", "1", NULL }, 0 },
    { "not binds tighter", "    a:\n        F: 1\n    b:\n        G: 2\n    condition: not a and b\n", { "F", "0", "G", "2", NULL }, 1 },
    { "keywords ci", "    a:\n        F: 1\n    b:\n        G: 2\n    condition: a AND NOT b\n", { "F", "1", NULL }, 1 },
    { "1 of them", "    a:\n        F: 1\n    b:\n        G: 2\n    condition: 1 of them\n", { "G", "2", NULL }, 1 },
    { "all of them", "    a:\n        F: 1\n    b:\n        G: 2\n    condition: all of them\n", { "G", "2", NULL }, 0 },
    { "them skips _", "    a:\n        F: 1\n    _b:\n        G: 2\n    condition: all of them\n", { "F", "1", NULL }, 1 },
    { "1 of sel*", "    sel_a:\n        F: 1\n    sel_b:\n        G: 2\n    filter:\n        H: 3\n    condition: 1 of sel* and not filter\n", { "G", "2", NULL }, 1 },
    { "1 of them with filter", "    sel_a:\n        F: 1\n    filter_main:\n        H: 3\n    condition: 1 of sel_* and not 1 of filter_*\n", { "F", "1", "H", "3", NULL }, 0 },
    { "all of sel*", "    sel_a:\n        F: 1\n    sel_b:\n        G: 2\n    condition: all of sel_*\n", { "F", "1", "G", "2", NULL }, 1 },
    { "wild middle", "    sel_x_1:\n        F: 1\n    sel_y_1:\n        G: 2\n    condition: all of sel_*_1\n", { "F", "1", NULL }, 0 },
    { "condition list", "    a:\n        F: 1\n    b:\n        G: 2\n    condition:\n        - a\n        - b\n", { "G", "2", NULL }, 1 },
    { "unknown id", "    a:\n        F: 1\n    condition: a and b\n", { "F", "1", NULL }, -1 },
    { "of nothing", "    a:\n        F: 1\n    condition: 1 of x*\n", { "F", "1", NULL }, -1 },
    { "pipe aggregation", "    a:\n        F: 1\n    condition: a | count() > 5\n", { "F", "1", NULL }, -1 },
    { "unbalanced", "    a:\n        F: 1\n    condition: (a\n", { "F", "1", NULL }, -1 },
    { "trailing", "    a:\n        F: 1\n    condition: a a\n", { "F", "1", NULL }, -1 },
    { "no condition", "    a:\n        F: 1\n", { "F", "1", NULL }, -1 },
};

/* The plan's shortcuts must give the answers of a plain evaluation: the
 * EventID gate (a rule testing EventID in its detection), needles that
 * answer `contains` items, needles that rule out other string values,
 * keyword needles, numbers parsed at compile time. */
static const char sel_eid[] =
    "    s:\n        EventID:\n            - 4624\n            - '4625'\n"
    "    f:\n        F: x\n    condition: s and not f\n";
/* longer than the needle head kept in the automaton (SG_AC_HEAD) */
static const char sel_long[] =
    "    s:\n        F|contains: 'c:\\program files\\some vendor\\product\\bin\\tool.exe'\n"
    "    condition: s\n";
/* Gated items (every value has a needle): the item is decided from its
 * needles, also when its field is not the one the prefilter scanned. */
static const char sel_gated[] =
    "    s:\n        F|contains: 'zzzq'\n        G|endswith:\n"
    "            - '\\a.exe'\n            - '\\b.exe'\n    condition: s\n";
static const char sel_gated_all[] =
    "    s:\n        F|contains: 'zzzq'\n        G|contains|all:\n"
    "            - 'abc'\n            - 'def'\n    condition: s\n";
static const char sel_gated_re[] =
    "    s:\n        F|contains: 'zzzq'\n        G|re:\n"
    "            - 'evil\\d'\n            - 'bad\\d'\n    condition: s\n";
static const struct tcase gates[] = {
    { "gated match", sel_gated, { "F", "xzzzqx", "G", "C:\\x\\B.EXE", NULL }, 1 },
    { "gated needle not at end", sel_gated, { "F", "xzzzqx", "G", "C:\\b.exe.bak", NULL }, 0 },
    { "gated no needle", sel_gated, { "F", "xzzzqx", "G", "C:\\c.exe", NULL }, 0 },
    { "gated field absent", sel_gated, { "F", "xzzzqx", NULL }, 0 },
    { "gated field null", sel_gated, { "F", "xzzzqx", "G", N, NULL }, 0 },
    { "gated other side fails", sel_gated, { "F", "zzq", "G", "\\a.exe", NULL }, 0 },
    { "gated all one", sel_gated_all, { "F", "zzzq", "G", "xabcx", NULL }, 0 },
    { "gated all both", sel_gated_all, { "F", "zzzq", "G", "DEF-ABC", NULL }, 1 },
    { "gated re cased", sel_gated_re, { "F", "zzzq", "G", "xBAD7", NULL }, 0 },
    { "gated re", sel_gated_re, { "F", "zzzq", "G", "xbad7", NULL }, 1 },
    { "gated re none", sel_gated_re, { "F", "zzzq", "G", "evi7 ba7", NULL }, 0 },
    { "eid number", sel_eid, { "EventID", "4624", NULL }, 1 },
    { "eid quoted", sel_eid, { "EventID", "4625", NULL }, 1 },
    { "eid leading zero vs number", sel_eid, { "EventID", "04624", NULL }, 1 },
    { "eid hex vs number", sel_eid, { "EventID", "0x1210", NULL }, 1 },
    { "eid hex vs quoted", sel_eid, { "EventID", "0x1211", NULL }, 0 },
    { "eid other", sel_eid, { "EventID", "4634", NULL }, 0 },
    { "eid not a number", sel_eid, { "EventID", "4624a", NULL }, 0 },
    { "eid absent", sel_eid, { "EventID", N, NULL }, 0 },
    { "eid not side", "    s:\n        EventID: 4624\n    condition: not s\n", { "EventID", "4625", NULL }, 1 },
    { "eid or other field", "    s:\n        EventID: 4624\n    t:\n        F: y\n    condition: s or t\n", { "EventID", "1", "F", "Y", NULL }, 1 },
    { "contains list", "    s:\n        F|contains:\n            - 'abc'\n            - 'XYZ'\n    condition: s\n", { "F", "--xyz--", NULL }, 1 },
    { "contains list none", "    s:\n        F|contains:\n            - 'abc'\n            - 'xyz'\n    condition: s\n", { "F", "--xy--", NULL }, 0 },
    { "contains in not", "    s:\n        G: 1\n    f:\n        F|contains: 'abc'\n    condition: s and not f\n", { "G", "1", "F", "ABCD", NULL }, 0 },
    { "contains other field", "    s:\n        F|contains: 'abc'\n    condition: s\n", { "G", "abc", NULL }, 0 },
    { "endswith needle found", "    s:\n        F|endswith: 'abc'\n    condition: s\n", { "F", "xabc", NULL }, 1 },
    { "endswith needle not at end", "    s:\n        F|endswith: 'abc'\n    condition: s\n", { "F", "abcx", NULL }, 0 },
    { "cased needle", "    s:\n        F|contains|cased: 'Abc'\n    condition: s\n", { "F", "xabc", NULL }, 0 },
    { "cased needle match", "    s:\n        F|contains|cased: 'Abc'\n    condition: s\n", { "F", "xAbc", NULL }, 1 },
    { "short field", "    s:\n        F|contains: 'abc'\n    condition: s\n", { "F", "ab", NULL }, 0 },
    { "keyword needle", "    k:\n        - 'evil.exe'\n        - 'bad'\n    condition: k\n", { "F", "x", "G", "run BAD now", NULL }, 1 },
    { "keyword needle none", "    k:\n        - 'evil.exe'\n        - 'bad'\n    condition: k\n", { "F", "x", "G", "ba d", NULL }, 0 },
    { "keyword across fields", "    k:\n        - 'abcd'\n    condition: k\n", { "F", "ab", "G", "cd", NULL }, 0 },
    { "long needle", sel_long, { "F", "x C:\\PROGRAM FILES\\Some Vendor\\Product\\bin\\tool.exe y", NULL }, 1 },
    { "long needle tail differs", sel_long, { "F", "c:\\program files\\some vendor\\product\\bin\\tool.exf", NULL }, 0 },
    { "long needle cut at end", sel_long, { "F", "c:\\program files\\some vendor\\product\\bin\\to", NULL }, 0 },
    { "long needle second place", sel_long, { "F", "c:\\program files\\some vendor\\product\\bin\\x c:\\program files\\some vendor\\product\\bin\\tool.exe", NULL }, 1 },
    { "number parsed once", "    s:\n        F: 16\n        G: 16\n    condition: s\n", { "F", "0x10", "G", "16.0", NULL }, 1 },
};

static void t_basic(void) { run_table(basic, VG_ARRAY_LEN(basic)); }
static void t_gates(void) { run_table(gates, VG_ARRAY_LEN(gates)); }
static void t_modifiers(void) { run_table(modifiers, VG_ARRAY_LEN(modifiers)); }
static void t_conditions(void) { run_table(conds, VG_ARRAY_LEN(conds)); }

/* Logsource mapping: Sysmon 1 and Security 4688 with renamed fields. */
static void
t_logsource(void)
{
    static const char pc[] = "    product: windows\n    category: process_creation\n";
    static const char det[] = "    s:\n        Image|endswith: '\\msbuild.exe'\n    condition: s\n";
    static const char det_hash[] = "    s:\n        Image|endswith: '\\msbuild.exe'\n        Hashes|contains: 'MD5='\n    condition: s\n";
    static const char *const sysmon[] = { "Image", "C:\\x\\MSBuild.exe", "Hashes", "MD5=1", NULL };
    static const char *const sec[] = { "NewProcessName", "C:\\x\\MSBuild.exe", NULL };
    CHECK_EQ_INT(run_rule(pc, det, sysmon, "Microsoft-Windows-Sysmon/Operational", 1), 1);
    CHECK_EQ_INT(run_rule(pc, det, sysmon, "Microsoft-Windows-Sysmon/Operational", 3), 0);
    CHECK_EQ_INT(run_rule(pc, det, sysmon, "Security", 1), 0);
    CHECK_EQ_INT(run_rule(pc, det, sec, "Security", 4688), 1);
    CHECK_EQ_INT(run_rule(pc, det, sec, "security", 4688), 1); /* channel ci */
    /* Hashes does not exist in 4688: the rule does not apply there */
    CHECK_EQ_INT(run_rule(pc, det_hash, sec, "Security", 4688), 0);
    CHECK_EQ_INT(run_rule(pc, det_hash, sysmon, "Microsoft-Windows-Sysmon/Operational", 1), 1);
    static const char svc[] = "    product: windows\n    service: system\n";
    static const char det7045[] = "    s:\n        EventID: 7045\n    condition: s\n";
    CHECK_EQ_INT(run_rule(svc, det7045, NULL, "System", 7045), 1);
    CHECK_EQ_INT(run_rule(svc, det7045, NULL, "Application", 7045), 0);
    static const char lin[] = "    product: linux\n    service: auditd\n";
    CHECK_EQ_INT(run_rule(lin, det7045, NULL, "System", 7045), 0);
}

/* Matched fields and rule metadata reach the callback. */
struct cap { int n; char f[4][64]; };
static int
capture(void *arg, const struct vg_sigma_match *m, const struct vg_event *ev)
{
    struct cap *c = arg;
    (void)ev;
    for (size_t i = 0; i < m->n_fields && i < 4; i++)
        snprintf(c->f[i], sizeof(c->f[i]), "%s=%s", m->fields[i].key,
                 m->fields[i].value);
    c->n = (int)m->n_fields;
    return 0;
}

static void
t_matched_fields(void)
{
    static const char y[] =
        "title: T1\nid: abc\nlevel: critical\ntags:\n  - attack.t1219\n"
        "logsource:\n  product: windows\n  service: security\n"
        "detection:\n  a:\n    F: x\n    G|contains: y\n  f:\n    H: z\n"
        "  condition: a and not f\n";
    struct vg_sigma *s;
    struct vg_sigma_scanner *sc;
    struct vg_diag d;
    struct vg_memevent m;
    struct cap c;
    memset(&c, 0, sizeof(c));
    REQUIRE_RC(vg_sigma_new(NULL, NULL, &s, &d), 0);
    REQUIRE_RC(vg_sigma_add_text(s, "x.yml", y, sizeof(y) - 1), 0);
    REQUIRE_RC(vg_sigma_compile(s, &d), 0);
    REQUIRE_EQ_INT(vg_sigma_count(s), 1);
    const struct vg_sigma_rule_info *in = vg_sigma_rule(s, 0);
    CHECK_EQ_STR(in->title, "T1");
    CHECK_EQ_INT(in->level, VG_SEV_CRITICAL);
    CHECK_EQ_INT(in->n_tags, 1);
    CHECK_EQ_STR(in->service, "security");
    CHECK_EQ_INT(in->applies, 1);
    REQUIRE_RC(vg_sigma_scanner_new(s, &sc), 0);
    vg_memevent_init(&m, "Security", 4624, NULL, NULL, 0, 1);
    static const char *const kv[] = { "F", "X", "G", "aya", "H", "q", NULL };
    vg_memevent_setv(&m, kv);
    CHECK_RC(vg_sigma_scan(sc, &m.ev, capture, &c), 0);
    CHECK_EQ_INT(c.n, 2);
    CHECK_EQ_STR(c.f[0], "F=X");
    CHECK_EQ_STR(c.f[1], "G=aya");
    vg_sigma_scanner_free(sc);
    vg_sigma_free(s);
}

/* Refusals are listed with file, line and reason; others still load. */
static void
t_unsupported(void)
{
    static const char bad[] = "title: B\nlogsource:\n  product: windows\n"
                              "detection:\n  a:\n    F|nope: 1\n"
                              "  condition: a\n";
    static const char good[] = "title: G\nlogsource:\n  product: windows\n"
                               "detection:\n  a:\n    F: 1\n  condition: a\n";
    static const char broken[] = "title: [unclosed\n";
    struct vg_sigma *s;
    struct vg_diag d;
    REQUIRE_RC(vg_sigma_new(NULL, NULL, &s, &d), 0);
    CHECK_RC(vg_sigma_add_text(s, "bad.yml", bad, sizeof(bad) - 1), 0);
    CHECK_RC(vg_sigma_add_text(s, "good.yml", good, sizeof(good) - 1), 0);
    CHECK_RC(vg_sigma_add_text(s, "broken.yml", broken, sizeof(broken) - 1), 0);
    CHECK_RC(vg_sigma_compile(s, &d), 0);
    CHECK_EQ_INT(vg_sigma_count(s), 1);
    REQUIRE_EQ_INT(vg_sigma_unsupported_count(s), 2);
    const struct vg_sigma_unsupported_info *u = vg_sigma_unsupported(s, 0);
    CHECK_EQ_STR(u->path, "bad.yml");
    CHECK_EQ_STR(u->reason, "unknown modifier 'nope'");
    CHECK_EQ_INT(u->line, 6);
    CHECK_EQ_STR(u->title, "B");
    u = vg_sigma_unsupported(s, 1);
    CHECK_EQ_STR(u->path, "broken.yml");
    CHECK(u->line >= 1);
    vg_sigma_free(s);
}

static void
t_expand(void)
{
    static const char y[] = "title: E\nlogsource:\n  product: windows\n"
                            "detection:\n  a:\n    User|expand: '%admins%'\n"
                            "  condition: a\n";
    const char *tmp = getenv("TMPDIR");
    char path[512];
    snprintf(path, sizeof(path), "%s/vg_sigma_ph_%d.yml", tmp ? tmp : "/tmp",
             (int)getpid());
    FILE *f = fopen(path, "w");
    REQUIRE(f != NULL);
    fputs("admins:\n  - root\n  - 'adm_*'\n", f);
    fclose(f);
    struct vg_sigma_opts o = { NULL, 0, path };
    struct vg_sigma *s;
    struct vg_sigma_scanner *sc;
    struct vg_diag d;
    int hits = 0;
    REQUIRE_RC(vg_sigma_new(NULL, &o, &s, &d), 0);
    remove(path);
    REQUIRE_RC(vg_sigma_add_text(s, "e.yml", y, sizeof(y) - 1), 0);
    REQUIRE_RC(vg_sigma_compile(s, &d), 0);
    REQUIRE_EQ_INT(vg_sigma_count(s), 1);
    REQUIRE_RC(vg_sigma_scanner_new(s, &sc), 0);
    struct vg_memevent m;
    vg_memevent_init(&m, "Security", 1, NULL, NULL, 0, 1);
    vg_memevent_set(&m, "User", "ADM_bob");
    CHECK_RC(vg_sigma_scan(sc, &m.ev, on_match, &hits), 0);
    vg_memevent_set(&m, "User", "bob");
    CHECK_RC(vg_sigma_scan(sc, &m.ev, on_match, &hits), 0);
    CHECK_EQ_INT(hits, 1);
    vg_sigma_scanner_free(sc);
    vg_sigma_free(s);
}

/* Sigma filters attach to the rules they name. */
static void
t_filter(void)
{
    static const char r[] = "title: R\nid: r-1\nlogsource:\n  product: windows\n"
                            "detection:\n  a:\n    F: 1\n  condition: a\n";
    static const char f[] = "title: Flt\nlogsource:\n  product: windows\n"
                            "filter:\n  rules:\n    - r-1\n  selection:\n"
                            "    User|startswith: adm_\n  condition: selection\n";
    struct vg_sigma *s;
    struct vg_sigma_scanner *sc;
    struct vg_diag d;
    int hits = 0;
    REQUIRE_RC(vg_sigma_new(NULL, NULL, &s, &d), 0);
    REQUIRE_RC(vg_sigma_add_text(s, "r.yml", r, sizeof(r) - 1), 0);
    REQUIRE_RC(vg_sigma_add_text(s, "f.yml", f, sizeof(f) - 1), 0);
    REQUIRE_RC(vg_sigma_compile(s, &d), 0);
    REQUIRE_RC(vg_sigma_scanner_new(s, &sc), 0);
    struct vg_memevent m;
    vg_memevent_init(&m, "Security", 1, NULL, NULL, 0, 1);
    vg_memevent_set(&m, "F", "1");
    vg_memevent_set(&m, "User", "adm_x");
    CHECK_RC(vg_sigma_scan(sc, &m.ev, on_match, &hits), 0);
    CHECK_EQ_INT(hits, 0);
    vg_memevent_set(&m, "User", "bob");
    CHECK_RC(vg_sigma_scan(sc, &m.ev, on_match, &hits), 0);
    CHECK_EQ_INT(hits, 1);
    vg_sigma_scanner_free(sc);
    vg_sigma_free(s);
}

/* The compiled-in mapping is rules/mapping/windows.yml, byte for byte. */
static void
t_default_mapping(void)
{
    const char *src = vg_test_env("VG_SRC_DIR");
    char path[1024];
    snprintf(path, sizeof(path), "%s/rules/mapping/windows.yml",
             src ? src : ".");
    FILE *f = fopen(path, "rb");
    REQUIRE(f != NULL);
    static char file[1 << 20];
    size_t n = fread(file, 1, sizeof(file), f);
    fclose(f);
    size_t off = 0;
    int same = 1;
    for (size_t i = 0; i < sg_default_mapping_lines && same; i++) {
        size_t l = strlen(sg_default_mapping[i]);
        same = off + l <= n && memcmp(file + off, sg_default_mapping[i], l) == 0;
        off += l;
    }
    CHECK(same);
    CHECK_EQ_UINT(off, n);
}

/* The value cache: a hit needs the same field and the same bytes (not just
 * the hash); a slot holds the last value put; too long values and values
 * with too many needles are not kept. */
static void
t_scache(void)
{
    struct sg_scache c;
    uint32_t ids[SG_SC_IDS + 1];
    static uint8_t big[SG_SC_MAX_LEN + 1];
    for (uint32_t i = 0; i <= SG_SC_IDS; i++)
        ids[i] = i + 1;
    ids[0] = 4;
    ids[1] = 9;
    REQUIRE_RC(sg_scache_init(&c), 0);
    const uint8_t *a = (const uint8_t *)"alpha", *b = (const uint8_t *)"bravo";
    uint64_t ha = sg_scache_hash(1, a, 5);
    CHECK(sg_scache_get(&c, ha, 1, a, 5) == NULL); /* empty */
    sg_scache_put(&c, ha, 1, a, 5, ids, 2);
    const struct sg_scache_ent *e = sg_scache_get(&c, ha, 1, a, 5);
    REQUIRE(e != NULL);
    CHECK_EQ_UINT(e->n_id, 2);
    CHECK(sg_scache_ids(e)[0] == 4 && sg_scache_ids(e)[1] == 9);
    CHECK(sg_scache_get(&c, ha, 2, a, 5) == NULL);  /* other field */
    CHECK(sg_scache_get(&c, ha, 1, b, 5) == NULL);  /* same hash, bytes */
    CHECK(sg_scache_get(&c, ha, 1, a, 4) == NULL);  /* prefix */
    CHECK(sg_scache_hash(1, a, 5) != sg_scache_hash(2, a, 5));
    /* same slot, other value: replaces */
    sg_scache_put(&c, ha + SG_SC_SLOTS, 1, b, 5, ids, 0);
    CHECK(sg_scache_get(&c, ha, 1, a, 5) == NULL);
    e = sg_scache_get(&c, ha + SG_SC_SLOTS, 1, b, 5);
    REQUIRE(e != NULL);
    CHECK_EQ_UINT(e->n_id, 0);
    /* not kept: too many needles, too long */
    sg_scache_put(&c, 77, 3, a, 5, ids, SG_SC_IDS + 1);
    CHECK(sg_scache_get(&c, 77, 3, a, 5) == NULL);
    sg_scache_put(&c, 77, 3, a, 5, ids, SG_SC_IDS);
    e = sg_scache_get(&c, 77, 3, a, 5);
    CHECK(e != NULL && e->n_id == SG_SC_IDS && sg_scache_ids(e)[SG_SC_IDS - 1] == SG_SC_IDS);
    memset(big, 'x', sizeof(big));
    sg_scache_put(&c, 78, 3, big, sizeof(big), ids, 1);
    CHECK(sg_scache_get(&c, 78, 3, big, sizeof(big)) == NULL);
    sg_scache_put(&c, 78, 3, big, sizeof(big) - 1, ids, 1);
    e = sg_scache_get(&c, 78, 3, big, sizeof(big) - 1);
    CHECK(e != NULL && e->n_id == 1 && sg_scache_ids(e)[0] == 4);
    big[100] = 'y'; /* long values are compared in full too */
    CHECK(sg_scache_get(&c, 78, 3, big, sizeof(big) - 1) == NULL);
    sg_scache_fini(&c);
}

/* One scanner, values repeated across events (answered from the cache the
 * second time): every event gets the verdicts a fresh scanner gives. */
static void
t_repeated_values(void)
{
    static const char rules[] =
        "title: A\nlogsource:\n  product: windows\ndetection:\n  s:\n"
        "    CommandLine|contains:\n      - mimikatz\n      - sekurlsa\n"
        "  condition: s\n";
    static const char r2[] =
        "title: B\nlogsource:\n  product: windows\ndetection:\n  s:\n"
        "    CommandLine|contains|all:\n      - ' -enc '\n      - hidden\n"
        "  condition: s\n";
    static const char r3[] =
        "title: C\nlogsource:\n  product: windows\ndetection:\n"
        "  k:\n    - invoke-evil\n  condition: k\n";
    static const char *const ev[][2] = {
        { "run mimikatz now", "x" },  { "plain", "x" },
        { "run mimikatz now", "x" },  { "a -enc b hidden", "x" },
        { "plain", "x" },             { "a -enc b hidden", "x" },
        { "plain", "Invoke-Evil" },   { "invoke-evil", "x" },
        { "plain", "Invoke-Evil" },   { "RUN MIMIKATZ NOW", "x" },
        { "a -enc b", "hidden" },     { "a -enc b hidden", "x" },
    };
    static const char want[] = "100000100010000010001001001100000010";
    struct vg_sigma *s;
    struct vg_sigma_scanner *sc;
    struct vg_diag d;
    char got[64];
    size_t len = 0;
    REQUIRE_RC(vg_sigma_new(NULL, NULL, &s, &d), 0);
    REQUIRE_RC(vg_sigma_add_text(s, "a.yml", rules, sizeof(rules) - 1), 0);
    REQUIRE_RC(vg_sigma_add_text(s, "b.yml", r2, sizeof(r2) - 1), 0);
    REQUIRE_RC(vg_sigma_add_text(s, "c.yml", r3, sizeof(r3) - 1), 0);
    REQUIRE_RC(vg_sigma_compile(s, &d), 0);
    REQUIRE_EQ_INT(vg_sigma_count(s), 3);
    REQUIRE_RC(vg_sigma_scanner_new(s, &sc), 0);
    for (size_t i = 0; i < VG_ARRAY_LEN(ev); i++) {
        struct vg_memevent m;
        int hits[3] = { 0, 0, 0 };
        vg_memevent_init(&m, "Security", 1, NULL, NULL, 0, i + 1);
        vg_memevent_set(&m, "CommandLine", ev[i][0]);
        vg_memevent_set(&m, "Other", ev[i][1]);
        CHECK_RC(vg_sigma_scan(sc, &m.ev, per_rule, hits), 0);
        for (size_t k = 0; k < 3; k++)
            got[len++] = (char)('0' + hits[k]);
    }
    got[len] = '\0';
    CHECK_EQ_STR(got, want);
    vg_sigma_scanner_free(sc);
    vg_sigma_free(s);
}

/* The literal a regex's matches must contain (relit.c): "" where none may
 * be taken. */
static const struct {
    const char *re;
    int         ci;   /* the |i modifier */
    const char *want;
} relit[] = {
    { "ipconfig\\s+/all", 0, "ipconfig" },
    { "net\\s+config", 0, "config" },
    { "^start$", 0, "start" },
    { "\\bword\\b", 0, "word" },
    { "a\\.exe", 0, "a.exe" },
    { "c:\\\\windows\\\\temp", 0, "c:\\windows\\temp" },
    { "(abc|def)ghij", 0, "ghij" },
    { "(?<name>x|y)tail", 0, "tail" },
    { "(?:abcdef)?yz", 0, "yz" },
    { "(?#comment | x)abcd", 0, "abcd" },
    { "[abcdef]gh", 0, "gh" },
    { "[]|]abcd", 0, "abcd" },
    { "[[:alpha:]|]xyz", 0, "xyz" },
    { "a.bcd", 0, "bcd" },
    { "abcd?", 0, "abc" },
    { "abcd*", 0, "abc" },
    { "abcd+", 0, "abc" },
    { "abcd{0,}", 0, "abc" },
    { "a{2}bcd", 0, "bcd" },
    { "ab\\.?cd", 0, "ab" },
    { "abc\\Kdef", 0, "abc" },
    { "caf\xc3\xa9" "barx", 0, "barx" },
    /* caseless: k and s have non-ASCII case variants under Unicode */
    { "mask", 0, "mask" },
    { "mask", 1, "ma" },
    { "(?i)mask", 0, "ma" },
    { "pre(?i)mask", 0, "pre" },
    { "(?-i)abc", 0, "abc" },
    /* nothing may be taken */
    { "abc|defgh", 0, "" },
    { "(abc)|def", 0, "" },
    { "\\d+\\s*", 0, "" },
    { "[abc]", 0, "" },
    { "\\x41bcdef", 0, "" },
    { "\\1abcdef", 0, "" },
    { "\\Qabcdef\\E", 0, "" },
    { "\\p{L}abcdef", 0, "" },
    { "(*UTF)abcdef", 0, "" },
    { "(?x)abc def", 0, "" },
    { "abcdef)", 0, "" },
    { "ab[cdef", 0, "" },
    { "abc{", 0, "" },
    { "abcdef\\", 0, "" },
};

static void
t_re_literal(void)
{
    for (size_t i = 0; i < VG_ARRAY_LEN(relit); i++) {
        uint8_t out[64];
        size_t n = sg_re_literal(relit[i].re, strlen(relit[i].re), relit[i].ci,
                                 out, sizeof(out));
        out[n < sizeof(out) ? n : sizeof(out) - 1] = '\0';
        if (strcmp((const char *)out, relit[i].want) != 0)
            printf("# case '%s': got '%s'\n", relit[i].re, (const char *)out);
        CHECK_EQ_STR((const char *)out, relit[i].want);
    }
    uint8_t small[4];
    CHECK_EQ_UINT(sg_re_literal("abcdefgh", 8, 0, small, sizeof(small)), 4);
    CHECK(memcmp(small, "abcd", 4) == 0);
}

/* Regexes with a prefilter needle still decide as PCRE2 does: case,
 * Unicode caseless letters (KELVIN SIGN, LONG S) and no literal. */
static const struct tcase re_needles[] = {
    { "re needle", "    s:\n        F|re: 'ipconfig\\s+/all'\n    condition: s\n", { "F", "x ipconfig  /all", NULL }, 1 },
    { "re needle cased", "    s:\n        F|re: 'ipconfig\\s+/all'\n    condition: s\n", { "F", "IPCONFIG /all", NULL }, 0 },
    { "re needle i", "    s:\n        F|re|i: 'ipconfig\\s+/all'\n    condition: s\n", { "F", "IPCONFIG /ALL", NULL }, 1 },
    { "re needle absent", "    s:\n        F|re: 'ipconfig\\s+/all'\n    condition: s\n", { "F", "ipconfi /all", NULL }, 0 },
    { "re kelvin", "    s:\n        F|re: '(?i)kelvin'\n    condition: s\n", { "F", "\xe2\x84\xaa" "ELVIN", NULL }, 1 },
    { "re long s", "    s:\n        F|re|i: 'mask'\n    condition: s\n", { "F", "MA\xc5\xbfK", NULL }, 1 },
    { "re or item", "    s:\n        F|re:\n            - 'arp\\s+-a'\n            - 'route\\s+print'\n    condition: s\n", { "F", "ROUTE print", NULL }, 0 },
    { "re or item 2", "    s:\n        F|re:\n            - 'arp\\s+-a'\n            - 'route\\s+print'\n    condition: s\n", { "F", "route   print", NULL }, 1 },
    { "re keyword", "    k:\n        - '|re': 'evil\\d'\n    condition: k\n", { "F", "x", "G", "an evil7", NULL }, 1 },
    { "re alternation", "    s:\n        F|re: 'abc|xyz'\n    condition: s\n", { "F", "xyz", NULL }, 1 },
};

static void t_re_needles(void) { run_table(re_needles, VG_ARRAY_LEN(re_needles)); }

/* 2-byte UTF-8 characters are needles (values of exactly 2 bytes are
 * scanned); 3+ ASCII bytes are needed otherwise. */
static const struct tcase short_needles[] = {
    { "cyrillic a", "    s:\n        F|contains: \"\\u0410\"\n    condition: s\n", { "F", "\xd0\x90", NULL }, 1 },
    { "cyrillic a inside", "    s:\n        F|contains: \"\\u0410\"\n    condition: s\n", { "F", "x\xd0\x90y", NULL }, 1 },
    { "cyrillic a not latin", "    s:\n        F|contains: \"\\u0410\"\n    condition: s\n", { "F", "A", NULL }, 0 },
    { "cyrillic a eq", "    s:\n        F: \"\\u0410\"\n    condition: s\n", { "F", "\xd0\x90", NULL }, 1 },
    { "cyrillic a eq no", "    s:\n        F: \"\\u0410\"\n    condition: s\n", { "F", "\xd0\x90 ", NULL }, 0 },
    { "cyrillic keyword", "    k:\n        - \"\\u0410\"\n    condition: k\n", { "F", "x", "G", "\xd0\x90", NULL }, 1 },
    { "ascii 2 bytes", "    s:\n        F|contains: 'ab'\n    condition: s\n", { "F", "ab", NULL }, 1 },
    { "ascii 2 bytes no", "    s:\n        F|contains: 'ab'\n    condition: s\n", { "F", "a", NULL }, 0 },
};

static void t_short_needles(void) { run_table(short_needles, VG_ARRAY_LEN(short_needles)); }

/* An item with more values than the old 256-needle cap (now a needle set
 * of 600): the last value and none of them. */
static void
t_many_values(void)
{
    static char yaml[16384];
    size_t len = (size_t)snprintf(yaml, sizeof(yaml),
                                  "title: M\nlogsource:\n  product: windows\n"
                                  "detection:\n  s:\n    F|contains:\n");
    for (int i = 0; i < 600; i++)
        len += (size_t)snprintf(yaml + len, sizeof(yaml) - len,
                                "      - v%03dq\n", i);
    len += (size_t)snprintf(yaml + len, sizeof(yaml) - len,
                            "  condition: s\n");
    REQUIRE(len < sizeof(yaml));
    struct vg_sigma *s;
    struct vg_sigma_scanner *sc;
    struct vg_diag d;
    int hits = 0;
    REQUIRE_RC(vg_sigma_new(NULL, NULL, &s, &d), 0);
    REQUIRE_RC(vg_sigma_add_text(s, "m.yml", yaml, len), 0);
    REQUIRE_RC(vg_sigma_compile(s, &d), 0);
    REQUIRE_RC(vg_sigma_scanner_new(s, &sc), 0);
    static const char *const vals[] = { "xx V599Q yy", "v600q", "v000q",
                                        "v59q" };
    static const int want[] = { 1, 1, 2, 2 };
    for (size_t i = 0; i < VG_ARRAY_LEN(vals); i++) {
        struct vg_memevent m;
        vg_memevent_init(&m, "Security", 1, NULL, NULL, 0, i + 1);
        vg_memevent_set(&m, "F", vals[i]);
        CHECK_RC(vg_sigma_scan(sc, &m.ev, on_match, &hits), 0);
        CHECK_EQ_INT(hits, want[i]);
    }
    vg_sigma_scanner_free(sc);
    vg_sigma_free(s);
}

static const struct vg_test tests[] = {
    T(t_default_mapping),
    T(t_basic), T(t_gates), T(t_modifiers), T(t_conditions), T(t_logsource),
    T(t_matched_fields), T(t_unsupported), T(t_expand), T(t_filter),
    T(t_scache), T(t_repeated_values), T(t_re_literal), T(t_re_needles),
    T(t_short_needles), T(t_many_values),
};

int
main(int argc, char **argv)
{
    return vg_test_main(argc, argv, tests, VG_ARRAY_LEN(tests));
}
