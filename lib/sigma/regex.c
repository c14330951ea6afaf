/* SPDX-License-Identifier: Apache-2.0 */
/*
 * regex.c - the `re` modifier on PCRE2 (8-bit): compiled once with JIT when
 * the platform has it, matched unanchored (Sigma's re is a search) under a
 * match limit and a depth limit so a hostile value or rule cannot hang a
 * hunt. The only file in lib/sigma that includes <pcre2.h>.
 *
 * Compiled patterns are immutable and shared; each scanner owns a scratch
 * (match data + JIT stack + match context), so matching allocates nothing.
 * Deliberately not here: capture groups (Sigma needs a yes/no).
 */
#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>
#include <stdio.h>

#include "core/alloc.h"
#include "sigma/sigma_int.h"
#include "vigil/err.h"

#include "core/banned.h"

#define SG_RE_MATCH_LIMIT 1000000u
#define SG_RE_DEPTH_LIMIT 10000u

struct sg_re {
    pcre2_code *code;
    int         jit;
};

struct sg_re_scratch {
    pcre2_match_data   *md;
    pcre2_match_context *mc;
    pcre2_jit_stack    *js;
};

int
sg_re_compile(const char *pat, size_t len, int caseless, int multiline,
              int dotall, struct sg_re **out, char *reason, size_t cap)
{
    int err;
    PCRE2_SIZE off;
    uint32_t opts = PCRE2_UTF | PCRE2_MATCH_INVALID_UTF;
    *out = NULL;
    if (caseless)
        opts |= PCRE2_CASELESS;
    if (multiline)
        opts |= PCRE2_MULTILINE;
    if (dotall)
        opts |= PCRE2_DOTALL;
    pcre2_code *c = pcre2_compile((PCRE2_SPTR)pat, len, opts, &err, &off, NULL);
    if (c == NULL) {
        PCRE2_UCHAR msg[120];
        if (pcre2_get_error_message(err, msg, sizeof(msg)) < 0)
            msg[0] = '\0';
        snprintf(reason, cap, "bad regular expression at offset %zu: %s",
                 (size_t)off, (const char *)msg);
        return VG_EFORMAT;
    }
    struct sg_re *re = vg_calloc(1, sizeof(*re));
    if (re == NULL) {
        pcre2_code_free(c);
        return VG_ENOMEM;
    }
    re->code = c;
    re->jit = pcre2_jit_compile(c, PCRE2_JIT_COMPLETE) == 0;
    *out = re;
    return VG_OK;
}

void
sg_re_free(struct sg_re *re)
{
    if (re == NULL)
        return;
    pcre2_code_free(re->code);
    vg_free(re);
}

int
sg_re_scratch_new(struct sg_re_scratch **out)
{
    struct sg_re_scratch *s = vg_calloc(1, sizeof(*s));
    *out = NULL;
    if (s == NULL)
        return VG_ENOMEM;
    s->md = pcre2_match_data_create(1, NULL);
    s->mc = pcre2_match_context_create(NULL);
    s->js = pcre2_jit_stack_create(32 * 1024, 512 * 1024, NULL);
    if (s->md == NULL || s->mc == NULL || s->js == NULL) {
        sg_re_scratch_free(s);
        return VG_ENOMEM;
    }
    pcre2_set_match_limit(s->mc, SG_RE_MATCH_LIMIT);
    pcre2_set_depth_limit(s->mc, SG_RE_DEPTH_LIMIT);
    pcre2_jit_stack_assign(s->mc, NULL, s->js);
    *out = s;
    return VG_OK;
}

void
sg_re_scratch_free(struct sg_re_scratch *s)
{
    if (s == NULL)
        return;
    pcre2_match_data_free(s->md);
    pcre2_match_context_free(s->mc);
    pcre2_jit_stack_free(s->js);
    vg_free(s);
}

int
sg_re_match(const struct sg_re *re, struct sg_re_scratch *s, const char *subj,
            size_t n)
{
    static const char empty[1] = "";
    if (subj == NULL)
        subj = empty;
    int rc = re->jit ? pcre2_jit_match(re->code, (PCRE2_SPTR)subj, n, 0, 0,
                                       s->md, s->mc)
                     : pcre2_match(re->code, (PCRE2_SPTR)subj, n, 0, 0, s->md,
                                   s->mc);
    if (rc >= 0)
        return 1;
    if (rc == PCRE2_ERROR_MATCHLIMIT || rc == PCRE2_ERROR_DEPTHLIMIT ||
        rc == PCRE2_ERROR_JIT_STACKLIMIT)
        return VG_ELIMIT;
    return 0;
}
