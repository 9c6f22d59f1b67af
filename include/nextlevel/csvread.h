#ifndef NEXTLEVEL_CSVREAD_H
#define NEXTLEVEL_CSVREAD_H

#include "nextlevel/error.h"

#include <stdbool.h>
#include <stddef.h>

/* A streaming CSV reader over libcsv that adds what HR exports need and libcsv lacks: BOM
 * handling, delimiter detection, physical line numbers for every record, and recovery after a
 * malformed row so one bad line does not lose the rest of the file. */

/* One record, borrowed by the callback for the duration of the call. fields[i] is
 * NUL-terminated but may also hold NUL bytes: lengths[i] is its true length. */
typedef struct nl_csv_record {
    char **fields;
    const size_t *lengths;
    size_t count;
    long line;     /* physical line (1-based) on which the record starts */
    long end_line; /* physical line on which it ends (after quoted newlines) */
} nl_csv_record;

/* A row libcsv could not parse (bad quoting); the reader skips to the next line after it. */
typedef struct nl_csv_bad_row {
    long line;
    long column; /* 1-based field number */
    const char *reason;
} nl_csv_bad_row;

/* Called for each record, and for each row that could not be parsed. Return false to stop
 * reading (the callback records why in its own context). */
typedef bool (*nl_csv_record_fn)(const nl_csv_record *record, void *data);
typedef bool (*nl_csv_bad_row_fn)(const nl_csv_bad_row *bad, void *data);

typedef struct nl_csv_reader nl_csv_reader;

/* A new reader. delimiter is ',', ';' or '\t', or 0 to detect it from the first line (the
 * most frequent of the three outside quotes; a comma on a tie). path is copied and only used
 * in messages. data travels to the callbacks. Returns NULL when out of memory. */
nl_csv_reader *nl_csv_reader_new(const char *path, char delimiter, nl_csv_record_fn on_record,
                                 nl_csv_bad_row_fn on_bad_row, void *data);

/* Frees the reader; NULL does nothing. */
void nl_csv_reader_free(nl_csv_reader *reader);

/* Feeds the next len bytes of the file, split anywhere. Returns NL_OK, NL_ERR_INPUT for a file
 * that is not UTF-8 CSV at all (UTF-16), NL_ERR_NOMEM, or NL_ERR_STOPPED when a callback asked
 * to stop (err is then left to the caller, who knows why). */
nl_status nl_csv_feed(nl_csv_reader *reader, const char *chunk, size_t len, nl_error *err);

/* Ends the input: delivers a last record without a line end and reports a quote left open. */
nl_status nl_csv_finish(nl_csv_reader *reader, nl_error *err);

/* Tells the reader which columns the caller never reads (skip[c] for 0-based column c < count;
 * borrowed until the reader is freed or told again): such a cell is not copied, and reaches
 * the callback as "" when it holds only spaces and tabs, else as "-" (so a row is still seen
 * as not blank). Bounds the memory of a huge cell in an unused column to libcsv's own copy. */
void nl_csv_skip_columns(nl_csv_reader *reader, const bool *skip, size_t count);

/* The delimiter in use (detected once the first line has been seen), 0 before that. */
char nl_csv_delimiter(const nl_csv_reader *reader);

/* Number of physical lines seen so far (a last line without a line end counts). */
long nl_csv_lines(const nl_csv_reader *reader);

/* Number of empty lines skipped so far (nothing between two line ends, outside quotes). */
long nl_csv_blank_lines(const nl_csv_reader *reader);

/* Reads a whole file with a new reader: opens it "rb", feeds it in 64 KiB chunks, finishes.
 * An unreadable file gives NL_ERR_IO with the system's reason. */
nl_status nl_csv_read_file(const char *path, char delimiter, nl_csv_record_fn on_record,
                           nl_csv_bad_row_fn on_bad_row, void *data, char *delimiter_used,
                           nl_error *err);

/* Human name of a delimiter for messages: "comma", "semicolon", "tab". */
const char *nl_csv_delimiter_name(char delimiter);

#endif
