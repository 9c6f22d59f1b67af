#ifndef NEXTLEVEL_COLUMN_NEEDS_H
#define NEXTLEVEL_COLUMN_NEEDS_H

#include "nextlevel/framework.h"
#include "nextlevel/matrix.h"

#include <stdbool.h>
#include <stddef.h>

/* Which matrix columns each gate reads, and whether the columns a file (or every file) has
 * leave a gate with nothing to check: a misspelled or missing column must be said before
 * anybody is evaluated, not found as a row of Not evaluated people afterwards. */

/* The columns found in one file or, OR'ed together, in several. Arrays per skill, per
 * attribute and per nl_field. */
typedef struct nl_columns_found {
    bool *skill;
    bool *attribute;
    bool field[NL_FIELD_COUNT];
} nl_columns_found;

/* Whether tenure can be read from the fields found (field: per nl_field): months in level,
 * years in level or the date the level was reached, any one of them. */
bool nl_tenure_found(const bool *field);

/* The tenure columns as an HR analyst names them, for messages about their absence. */
void nl_tenure_columns(const nl_framework *fw, char *what, size_t cap);

/* Whether gate reads skill (a skill gate over its family, a critical skill, every skill for
 * readiness_score). */
bool nl_gate_reads_skill(const nl_framework *fw, const nl_gate *gate, size_t skill);

/* Whether none of what gate reads is among found, so that it cannot be checked for anybody
 * read from there. what (cap bytes) gets the column lacking as an HR analyst names it:
 * "the column 'Months in level' (the template's [columns] months_in_level)", "a rating of any
 * of its skills (system_design, communication)". */
bool nl_gate_unreadable(const nl_framework *fw, const nl_gate *gate, const nl_columns_found *found,
                        char *what, size_t cap);

/* The columns of one file's summary (borrowed: valid while the summary is). */
nl_columns_found nl_columns_of_file(const nl_file_summary *f);

/* The columns found in any usable file of m, into arrays the caller frees with
 * nl_columns_found_free. Returns false when out of memory. */
bool nl_columns_of_matrix(const nl_framework *fw, const nl_matrix *m, nl_columns_found *out);
void nl_columns_found_free(nl_columns_found *found);

#endif
