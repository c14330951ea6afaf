/* SPDX-License-Identifier: Apache-2.0 */
/*
 * relit.c - a literal every match of a regex must contain, so that `re`
 * values get a prefilter needle like plain strings do (prefilter.c).
 *
 * Only what is provably required is taken: a run of literal characters in
 * the pattern's top-level sequence. A run ends at anything else (groups and
 * character classes are skipped whole, escapes like \s, `.`, anchors); a
 * quantified character (`a?`, `a*`, `a+`, `a{2}`) is dropped from its run.
 * A top-level `|` means no literal at all. The longest run wins.
 *
 * The prefilter matches ASCII case-insensitively, so case flags only matter
 * where Unicode caseless matching lets a non-ASCII character match an ASCII
 * letter (KELVIN SIGN for k, LONG S for s): under (?i) or the `i` modifier
 * those letters end a run. Non-ASCII bytes end a run too.
 *
 * Deliberately conservative: patterns with verbs `(*...)`, \Q..\E, escapes
 * that take arguments (\x \o \c \p \P \g \k \N \u and digits) or the
 * extended flag (?x) give no literal. Not here: required literals inside
 * groups, alternations factored out, more than one literal.
 */
#include <string.h>

#include "sigma/sigma_int.h"

#include "core/banned.h"

static int
is_alnum(unsigned char c)
{
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') ||
           (c >= 'A' && c <= 'Z');
}

/* Index just past the class starting at pat[i] == '[', or 0 if unclosed. */
static size_t
skip_class(const char *pat, size_t len, size_t i)
{
    size_t j = i + 1;
    if (j < len && pat[j] == '^')
        j++;
    if (j < len && pat[j] == ']')
        j++; /* a leading ']' is a member */
    while (j < len) {
        if (pat[j] == '\\') {
            j += 2;
        } else if (pat[j] == '[' && j + 1 < len && pat[j + 1] == ':') {
            const char *e = NULL;
            for (size_t k = j + 2; k + 1 < len && e == NULL; k++)
                if (pat[k] == ':' && pat[k + 1] == ']')
                    e = pat + k;
            if (e == NULL)
                return 0;
            j = (size_t)(e - pat) + 2;
        } else if (pat[j] == ']') {
            return j + 1;
        } else {
            j++;
        }
    }
    return 0;
}

/* Index just past the group starting at pat[i] == '(', or 0 if unclosed. */
static size_t
skip_group(const char *pat, size_t len, size_t i)
{
    size_t j = i + 1, depth = 1;
    if (i + 2 < len && pat[i + 1] == '?' && pat[i + 2] == '#') {
        const char *e = memchr(pat + i, ')', len - i); /* comment */
        return e != NULL ? (size_t)(e - pat) + 1 : 0;
    }
    while (j < len) {
        char c = pat[j];
        if (c == '\\') {
            j += 2;
            continue;
        }
        if (c == '[') {
            j = skip_class(pat, len, j);
            if (j == 0)
                return 0;
            continue;
        }
        if (c == '(')
            depth++;
        else if (c == ')' && --depth == 0)
            return j + 1;
        j++;
    }
    return 0;
}

/* The inline option letters of a group "(?letters)" or "(?letters:" at
 * pat[i]: -1 refuse (extended mode), 1 turns caseless on, 0 otherwise. */
static int
group_opts(const char *pat, size_t len, size_t i)
{
    size_t j = i + 2;
    int ci = 0, x = 0;
    if (i + 1 >= len || pat[i + 1] != '?')
        return 0;
    for (; j < len && (is_alnum((unsigned char)pat[j]) || pat[j] == '-' ||
                       pat[j] == '^');
         j++) {
        ci |= pat[j] == 'i';
        x |= pat[j] == 'x';
    }
    if (j == len || (pat[j] != ')' && pat[j] != ':'))
        return 0; /* not an option setting: lookaround, named group... */
    return x ? -1 : ci;
}

struct run {
    uint8_t *out;     /* the best run so far */
    size_t   cap, best;
    uint8_t  cur[512];
    size_t   n;
};

static void
run_end(struct run *r)
{
    if (r->n > r->best) {
        r->best = r->n < r->cap ? r->n : r->cap;
        memcpy(r->out, r->cur, r->best);
    }
    r->n = 0;
}

static void
run_add(struct run *r, unsigned char c)
{
    if (r->n == sizeof(r->cur))
        run_end(r); /* a shorter required piece is still required */
    r->cur[r->n++] = c;
}

/* One escape at pat[i] == '\\': adds its literal or ends the run; returns
 * the next index, or 0 to refuse the pattern. */
static size_t
escape(const char *pat, size_t len, size_t i, int ci, struct run *r)
{
    if (i + 1 >= len)
        return 0;
    unsigned char e = (unsigned char)pat[i + 1];
    if (e >= 0x80 || (is_alnum(e) && strchr("xocpPgkNQEuUlL", e) != NULL) ||
        (e >= '0' && e <= '9'))
        return 0;
    if (is_alnum(e) || (ci && strchr("kKsS", e) != NULL))
        run_end(r); /* \s \d \w \b ...: a class or an assertion */
    else
        run_add(r, e); /* escaped punctuation is itself */
    return i + 2;
}

/* One atom or operator at pat[i]; returns the next index, 0 to refuse. */
static size_t
step(const char *pat, size_t len, size_t i, int *ci, struct run *r)
{
    unsigned char c = (unsigned char)pat[i];
    size_t j;
    switch (c) {
    case '|':
    case ')':
        return 0; /* top-level alternative (or unbalanced) */
    case '(':
        if (i + 1 < len && pat[i + 1] == '*')
            return 0;
        if (group_opts(pat, len, i) < 0)
            return 0;
        *ci |= group_opts(pat, len, i);
        run_end(r);
        return skip_group(pat, len, i);
    case '[':
        run_end(r);
        return skip_class(pat, len, i);
    case '\\':
        return escape(pat, len, i, *ci, r);
    case '?':
    case '*':
    case '+':
    case '{':
        if (r->n > 0)
            r->n--; /* the quantified atom is not required as written */
        run_end(r);
        if (c != '{')
            return i + 1;
        for (j = i + 1; j < len && pat[j] != '}'; j++)
            ;
        return j < len ? j + 1 : 0;
    case '.':
    case '^':
    case '$':
    case ']':
    case '}':
        run_end(r);
        return i + 1;
    default:
        if (c >= 0x80 || (*ci && strchr("kKsS", c) != NULL))
            run_end(r);
        else
            run_add(r, c);
        return i + 1;
    }
}

size_t
sg_re_literal(const char *pat, size_t len, int caseless, uint8_t *out,
              size_t cap)
{
    struct run r;
    int ci = caseless != 0;
    memset(&r, 0, sizeof(r));
    r.out = out;
    r.cap = cap;
    for (size_t i = 0; i < len;) {
        size_t next = step(pat, len, i, &ci, &r);
        if (next == 0)
            return 0;
        i = next;
    }
    run_end(&r);
    return r.best;
}
