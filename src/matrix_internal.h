#ifndef NEXTLEVEL_MATRIX_INTERNAL_H
#define NEXTLEVEL_MATRIX_INTERNAL_H

/* Shared between matrix.c (files, header, wide rows) and matrix_long.c (long format). */

#include "nextlevel/csvread.h"
#include "nextlevel/digest.h"
#include "nextlevel/encoding.h"
#include "nextlevel/matrix.h"
#include "nextlevel/strmap.h"

/* What a header column is mapped to. */
typedef enum column_role {
    COL_UNKNOWN,
    COL_FIELD,
    COL_SKILL,
    COL_ATTRIBUTE,
    COL_GROUP
} column_role;

typedef struct column_map {
    column_role role; /* the skill when the column is one, else the first thing it feeds */
    size_t index;     /* nl_field, skill or attribute index */
    bool attributes;  /* the column also feeds attributes (see attribute_column) */
} column_map;

struct nl_matrix {
    const nl_framework *fw;
    nl_person *people;
    size_t people_count, people_cap;
    nl_rejection *rejections;
    size_t rejection_count, rejection_cap;
    nl_file_summary *files;
    size_t file_count, file_cap;
    nl_strmap *ids; /* person id -> index into people */
    const nl_progress *progress;
    size_t rows_read;             /* over all files, for progress */
    struct long_state *long_rows; /* the long-format rows of every file, until nl_matrix_trim */
    bool has_run_date;
    long run_days; /* the run date, in days since 1970, when has_run_date */
    /* Forced for every file (borrowed), NULL: detected per file. */
    const char *encoding;
    bool hide_values; /* --redact: reasons never quote a cell (nl_matrix_shown) */
};

typedef struct long_state long_state;

struct nl_matrix_reader {
    nl_matrix *m;
    size_t file;         /* index of this file's summary */
    nl_decoder *decoder; /* in front of csv: the file's bytes to UTF-8 */
    nl_csv_reader *csv;
    bool header_done;
    column_map *columns;
    size_t column_count;
    size_t unknown_cap;                /* capacity of this file's unknown_columns */
    long field_column[NL_FIELD_COUNT]; /* 0-based column of each field, -1 when absent */
    long group_column;                 /* the [fairness] group column, -1 when absent */
    long *attribute_column;            /* per attribute: 0-based column, -1 when absent; one
                                          column may feed several fields and attributes */
    long *skill_column;                /* per skill: 0-based column, -1 when absent */
    bool *skip_columns;                /* per column: unused by the template, not kept */
    bool decimal_comma;
    long_state *long_rows; /* the matrix's, for a long-format file; NULL for a wide one */
    bool out_of_memory;
    nl_error file_error; /* set when the file as a whole is unusable */
    nl_sha256 *digest;   /* of the bytes fed */
    char *file_team;     /* the team of a file without a team column: its name */
};

/* A cell's text as a rejection reason shows it: in quotes with the characters a reader cannot
 * see named (nl_visible), or under --redact only the kind of value ("[hidden by --redact: a
 * number]"). Written into buf, which is returned. */
const char *nl_matrix_shown(const nl_matrix_reader *r, const char *text, char *buf, size_t size);

/* Records a rejection of the row at line (column 0 = the whole row), of the person id (NULL
 * when the row has none), kept apart from the reason so that it can be pseudonymised. Returns
 * false only when out of memory. */
bool nl_matrix_reject(nl_matrix_reader *r, long line, long column, const char *id, const char *fmt,
                      ...) __attribute__((format(printf, 5, 6)));

/* With level_from = points, sets the person's level to the one their total milestone points
 * place them at (the level cell stays in level_in_file); otherwise does nothing. */
void nl_matrix_derive_level(const nl_framework *fw, nl_person *p);

/* Rejects a score cell (text) of skill that its scale does not take, naming the other skill
 * whose word it is when it is one. Returns false only when out of memory. */
bool nl_matrix_reject_score(nl_matrix_reader *r, long line, long column, const char *id,
                            size_t skill, const char *text);

/* The trimmed text of a field, or "" when the column is absent from this row. */
const char *nl_matrix_field(const nl_matrix_reader *r, const nl_csv_record *rec, nl_field field);

/* Months in level from whichever tenure column the row fills (months, else years, else the
 * date the level was reached, counted to the run date) into *months_in_level; rejects the row
 * and returns false when the cell is not usable. */
bool nl_matrix_take_tenure(nl_matrix_reader *r, const nl_csv_record *rec, const char *id,
                           double *months_in_level);

/* Checks and converts the identity part of a row (id, level, months in level) into person,
 * copying the texts; rejects the row and returns false when something is wrong. */
bool nl_matrix_take_identity(nl_matrix_reader *r, const nl_csv_record *rec, nl_person *person);

/* Adds person (whose arrays and strings the matrix takes over) unless its id is known
 * already, in which case the row is rejected naming the first place. */
bool nl_matrix_add_person(nl_matrix_reader *r, nl_person *person, long id_column);

/* Frees what a person owns. */
void nl_person_clear(nl_person *person);

/* Allocates person's per-skill and per-attribute arrays, all "not given". */
bool nl_person_alloc(nl_person *person, const nl_framework *fw, bool counts_raters);

/* Long format: state (one per matrix, shared by its long files), row handling and the end of
 * a file that aggregates, adds its new people and combines again those it continued. */
long_state *nl_long_new(const nl_framework *fw);
void nl_long_free(long_state *state);
bool nl_long_row(nl_matrix_reader *r, const nl_csv_record *rec);
bool nl_long_finish(nl_matrix_reader *r);

#endif
