#ifndef NEXTLEVEL_MATRIX_H
#define NEXTLEVEL_MATRIX_H

#include "nextlevel/encoding.h"
#include "nextlevel/error.h"
#include "nextlevel/framework.h"
#include "nextlevel/progress.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

/* The people read from one or more skill-matrix CSV files, checked against a framework. Each
 * data row ends up either as (part of) a person or as a rejection with file, line, column and
 * reason: nothing is dropped silently. */

typedef struct nl_person {
    /* One owned block: id points to it and the others into it (set them together with
     * nl_person_set_identity); "" when the column is absent. */
    char *id, *name, *team, *manager;
    char *group;            /* the [fairness] group column's value, "" when absent; it is only ever
                               shown aggregated, on the Fairness sheet */
    size_t level;           /* index into the framework's levels: the one the person is evaluated
                               at (with level_from = points, the level their points place them at,
                               or the file's when no skill with points is assessed) */
    size_t level_in_file;   /* the level cell's level, NL_NO_LEVEL when empty or no column */
    double months_in_level; /* NAN when not given */
    double *scores;         /* per skill; NAN = not assessed (never 0) */
    uint16_t *raters;       /* per skill, for long files: how many assessments the score rests
                               on (at most 65,535; more are counted as that many); NULL for a
                               wide file's row, one assessment per score (see nl_person_raters) */
    double *attributes;     /* per framework attribute; NAN when not given */
    size_t file;            /* index into the matrix's files */
    long line;              /* physical line of the person's (first) row */
} nl_person;

typedef struct nl_rejection {
    size_t file;
    long line;
    long column;  /* 1-based field number; 0 for the row as a whole */
    char *id;     /* the row's person id, or NULL when it has none (or it was not read) */
    char *reason; /* never holds the id: shown as "ID: reason" */
} nl_rejection;

/* What `inspect` reports about one input file. */
typedef struct nl_file_summary {
    char *path;
    char delimiter;
    bool long_format;
    bool unusable;  /* the file as a whole could not be read; see the returned error */
    long rows_read; /* data rows, not counting the header */
    long rows_rejected;
    long rows_used; /* rows that gave a person or an assessment: read = used + rejected */
    long people_accepted;
    long people_continued; /* long format: people first read from an earlier file whose
                              assessments this file's rows add to */
    bool *skill_found;     /* per skill: the file has a column (wide) or a row (long) for it */
    long *assessed;        /* per skill: accepted people of this file with a score (long format:
                              and continued people that this file's rows assess) */
    bool field_found[NL_FIELD_COUNT]; /* the header has the [columns] field's column */
    bool *attribute_found;            /* per attribute: the header has its column */
    bool group_found;                 /* the header has the [fairness] group column */
    char **unknown_columns;
    size_t unknown_count;
    char sha256[65];         /* of the bytes read; "" when the file could not be read */
    bool team_from_name;     /* no team column: people take the file's name as their team */
    long rows_blank;         /* empty or delimiter-only rows (",,,," from Excel), skipped */
    long header_repeats;     /* rows repeating the header (exports joined), skipped */
    long header_repeat_line; /* the first of them, 0 when none */
    /* The encoding found or forced (see encoding.h). */
    nl_file_encoding encoding;
} nl_file_summary;

typedef struct nl_matrix nl_matrix;

/* How standard input is named in messages and reports. */
#define NL_STDIN_NAME "<stdin>"

/* Accessors for the matrix contents; pointers are borrowed and stay valid until the next read
 * or nl_matrix_free. */
const nl_person *nl_matrix_people(const nl_matrix *m, size_t *count);
const nl_rejection *nl_matrix_rejections(const nl_matrix *m, size_t *count);
const nl_file_summary *nl_matrix_files(const nl_matrix *m, size_t *count);

/* Gives the person new identity texts (copied into one block; the old block is freed after
 * the copy, so the new texts may be the old ones). Returns false when out of memory, leaving
 * the person as it was. */
bool nl_person_set_identity(nl_person *p, const char *id, const char *name, const char *team,
                            const char *manager, const char *group);

/* How many assessments the person's score for skill rests on: 0 when it was not assessed. */
unsigned nl_person_raters(const nl_person *p, size_t skill);

/* Writable views, for redaction only: after changing ids, call nl_matrix_reindex before any
 * lookup (the id index points at the people's own id texts). */
nl_person *nl_matrix_people_mutable(nl_matrix *m, size_t *count);
nl_rejection *nl_matrix_rejections_mutable(nl_matrix *m, size_t *count);

/* Gives back the spare room of the array of people once every input is read (it grows by
 * doubling: up to half of it is spare), and the long-format rows kept so that a later file's
 * rows could join a person's: a long file read after this starts afresh. */
void nl_matrix_trim(nl_matrix *m);

/* With level_from = points, the people whose level cell names another level than their points
 * place them at (people[i].level_in_file != NL_NO_LEVEL and != level). */
bool nl_person_level_disagrees(const nl_framework *fw, const nl_person *p);

/* Rebuilds the id index after ids were changed. Returns false when out of memory. */
bool nl_matrix_reindex(nl_matrix *m);

/* Whether a row of this person id was rejected (so they are in the export, but not evaluated). */
bool nl_matrix_rejected(const nl_matrix *m, const char *id);

/* Finds a person by id; stores the index into the people array in *index. */
bool nl_matrix_find(const nl_matrix *m, const char *id, size_t *index);

/* A new empty matrix for fw (borrowed: it must outlive the matrix), or NULL when out of
 * memory. */
nl_matrix *nl_matrix_new(const nl_framework *fw);

/* With hide (under --redact), rejection reasons of later rows never quote a cell: they say
 * what kind of value it holds instead ("[hidden by --redact: text of 2 words]"), since a
 * shifted row can put a person's name or id in any column. */
void nl_matrix_set_hide_values(nl_matrix *m, bool hide);

/* Reads every later file in the encoding name (an iconv name checked with nl_encoding_known;
 * borrowed: it must outlive the reading) instead of detecting it; NULL detects again. */
void nl_matrix_set_encoding(nl_matrix *m, const char *name);

/* Reports "reading" progress (rows read so far) through progress (borrowed; NULL: none). */
void nl_matrix_set_progress(nl_matrix *m, const nl_progress *progress);

/* Sets the run date (seconds since 1970, midnight UTC of the day counts) against which a
 * level_start_date column is turned into months in level. Without it, a file with that column
 * is refused (NL_ERR_USAGE: pass --date), so that results never depend on the day they run. */
void nl_matrix_set_run_date(nl_matrix *m, time_t run_date);

/* Frees the matrix and everything read into it; NULL does nothing. */
void nl_matrix_free(nl_matrix *m);

/* Streaming reading of one file, for callers that have the bytes in pieces. begin returns
 * NL_OK and a reader; feed and finish may be given chunks split anywhere. */
typedef struct nl_matrix_reader nl_matrix_reader;
nl_status nl_matrix_begin(nl_matrix *m, const char *path, char delimiter, nl_matrix_reader **out,
                          nl_error *err);
nl_status nl_matrix_feed(nl_matrix_reader *reader, const char *chunk, size_t len, nl_error *err);
/* Ends the file and frees the reader (also on failure). */
nl_status nl_matrix_finish(nl_matrix_reader *reader, nl_error *err);

/* Frees a reader without finishing the file, after a failed feed (whose error stands); the
 * file's summary stays, marked unusable. NULL does nothing. */
void nl_matrix_abort(nl_matrix_reader *reader);

/* Reads a whole file (delimiter 0 = detect; path "-" reads standard input, named "<stdin>" in
 * messages). Returns NL_OK when the file could be read, even with rejected rows; NL_ERR_INPUT
 * or NL_ERR_IO when the file as a whole is unusable (its summary is then marked unusable and
 * err says why); NL_ERR_NOMEM. A file without a team column gives its people the file's name
 * without folder and extension as team ("payments.csv" -> "payments"). */
nl_status nl_matrix_read_file(nl_matrix *m, const char *path, char delimiter, nl_error *err);

#endif
