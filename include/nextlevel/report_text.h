#ifndef NEXTLEVEL_REPORT_TEXT_H
#define NEXTLEVEL_REPORT_TEXT_H

#include "nextlevel/framework.h"
#include "nextlevel/matrix.h"

#include <stdio.h>

/* Plain-text reports for the terminal. They only print; stream errors are the caller's to
 * check (ferror). */

/* The readable summary of a template that `check` prints: skills by family, the ladder with
 * its next levels, priority profiles, gates, column mapping. */
void nl_report_framework(FILE *out, const nl_framework *fw);

/* Each skill's expectation at level from and at level to, and the change. */
void nl_report_level_diff(FILE *out, const nl_framework *fw, size_t from, size_t to);

/* What `inspect` prints for one file of the matrix: counts, rejected rows, skills found and
 * missing, unknown columns, coverage per skill. */
void nl_report_file(FILE *out, const nl_framework *fw, const nl_matrix *m, size_t file);

/* Prints one rejection as `path:line:column: reason`. */
void nl_report_rejection(FILE *out, const nl_matrix *m, const nl_rejection *rej);

#endif
