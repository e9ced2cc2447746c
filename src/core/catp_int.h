/*
 * catp_int.h - helpers over byte ranges [a, b) of UTF-8 text (catp_range.c),
 * shared by the parsers in catp_channels.c, catp_components.c and
 * catp_results.c. Private to them; everyone else includes catp.h.
 */
#ifndef CATP_INT_H
#define CATP_INT_H

#include "catp.h"

#include <unitypes.h>

/* 1 if [a, b) starts with lit. */
int catp_has_prefix(const char *a, const char *b, const char *lit);
/* First lit in [a, b); NULL if none. */
const char *catp_find(const char *a, const char *b, const char *lit);
/* 1 for an ASCII digit. */
int catp_is_digit(ucs4_t c);
/* The code point at p (0 at the end, b). */
ucs4_t catp_cp_at(const char *p, const char *b);
/* Start of the code point before p (not before a). */
const char *catp_back(const char *p, const char *a);
/* Width of a blank at p: ASCII white space or a no-break space (the portal
 * pads cells with &nbsp;), 0 if none. */
size_t catp_blank_at(const char *p, const char *b);
/* Moves *a and *b inwards past blanks. */
void catp_trim(const char **a, const char **b);
/* 1 if [a, b) holds only blanks. */
int catp_is_blank(const char *a, const char *b);
/* Trimmed copy of [a, b) (caller frees). */
char *catp_dup_trim(const char *a, const char *b);
/* Trimmed copy with every run of blanks turned into one space (caller
 * frees). */
char *catp_dup_squeeze(const char *a, const char *b);
/* Length of a run [0-9][0-9.,]* at p. */
size_t catp_num_run(const char *p, const char *b);

#endif
