/* The streaming CSV reader: csv-spectrum cases against their JSON, and the HR-export cases
 * (BOM, delimiters, line ends, physical line numbers, recovery after bad rows). Every input is
 * fed in chunks of every size from 1 byte to the whole input, and each chunking must give the
 * same records, bad rows and status as feeding it whole. */
#include "nextlevel/csvread.h"

#include "test_support.h"

#include <criterion/criterion.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

typedef struct rec {
    char **fields;
    size_t *lengths;
    size_t count;
    long line, end_line;
} rec;

typedef struct bad_row {
    long line, column;
    char *reason;
} bad_row;

typedef struct parsed {
    rec *recs;
    size_t rec_count, rec_capacity;
    bad_row *bads;
    size_t bad_count, bad_capacity;
    nl_status status;
    nl_error err;
    char delimiter;
    long lines;
    long stop_after; /* records after which the callback asks to stop; 0 = never */
} parsed;

static bool collect_record(const nl_csv_record *record, void *data)
{
    parsed *p = data;
    /* Doubling: growing by one record made 20,000 records cost 8 GB of copying under
     * AddressSanitizer, whose realloc always moves (95 s for one test). */
    if (p->rec_count == p->rec_capacity) {
        p->rec_capacity = p->rec_capacity ? 2 * p->rec_capacity : 16;
        p->recs = realloc(p->recs, p->rec_capacity * sizeof *p->recs);
        cr_assert_not_null(p->recs);
    }
    rec *r = &p->recs[p->rec_count++];
    r->count = record->count;
    r->line = record->line;
    r->end_line = record->end_line;
    r->fields = calloc(record->count + 1, sizeof *r->fields);
    r->lengths = calloc(record->count + 1, sizeof *r->lengths);
    for (size_t i = 0; i < record->count; i++) {
        cr_assert_eq(record->fields[i][record->lengths[i]], '\0',
                     "field %zu of the record on line %ld is not NUL-terminated", i, record->line);
        r->lengths[i] = record->lengths[i];
        r->fields[i] = malloc(record->lengths[i] + 1);
        memcpy(r->fields[i], record->fields[i], record->lengths[i] + 1);
    }
    return p->stop_after == 0 || (long)p->rec_count < p->stop_after;
}

static bool collect_bad_row(const nl_csv_bad_row *bad, void *data)
{
    parsed *p = data;
    if (p->bad_count == p->bad_capacity) {
        p->bad_capacity = p->bad_capacity ? 2 * p->bad_capacity : 16;
        p->bads = realloc(p->bads, p->bad_capacity * sizeof *p->bads);
        cr_assert_not_null(p->bads);
    }
    bad_row *b = &p->bads[p->bad_count++];
    b->line = bad->line;
    b->column = bad->column;
    b->reason = strdup(bad->reason);
    return true;
}

static void parsed_free(parsed *p)
{
    for (size_t i = 0; i < p->rec_count; i++) {
        for (size_t f = 0; f < p->recs[i].count; f++)
            free(p->recs[i].fields[f]);
        free(p->recs[i].fields);
        free(p->recs[i].lengths);
    }
    free(p->recs);
    for (size_t i = 0; i < p->bad_count; i++)
        free(p->bads[i].reason);
    free(p->bads);
    memset(p, 0, sizeof *p);
}

/* Feeds data in pieces of chunk bytes (the last one shorter), then finishes. The status is the
 * first failure of a feed, else that of finish. */
static void parse_chunked(const char *data, size_t len, size_t chunk, char delimiter,
                          long stop_after, parsed *out)
{
    memset(out, 0, sizeof *out);
    out->stop_after = stop_after;
    nl_csv_reader *reader =
        nl_csv_reader_new("input.csv", delimiter, collect_record, collect_bad_row, out);
    cr_assert_not_null(reader);
    nl_status status = NL_OK;
    for (size_t at = 0; at < len && status == NL_OK; at += chunk) {
        size_t n = len - at < chunk ? len - at : chunk;
        status = nl_csv_feed(reader, data + at, n, &out->err);
    }
    if (status == NL_OK)
        status = nl_csv_finish(reader, &out->err);
    out->status = status;
    out->delimiter = nl_csv_delimiter(reader);
    out->lines = nl_csv_lines(reader);
    nl_csv_reader_free(reader);
}

static void assert_same(const parsed *a, const parsed *b, size_t chunk)
{
    cr_assert_eq(a->status, b->status, "chunk size %zu: status %d, whole: %d", chunk, a->status,
                 b->status);
    cr_assert_eq(a->delimiter, b->delimiter, "chunk size %zu: delimiter differs", chunk);
    cr_assert_eq(a->lines, b->lines, "chunk size %zu: %ld lines, whole: %ld", chunk, a->lines,
                 b->lines);
    cr_assert_eq(a->rec_count, b->rec_count, "chunk size %zu: %zu records, whole: %zu", chunk,
                 a->rec_count, b->rec_count);
    for (size_t i = 0; i < a->rec_count; i++) {
        const rec *x = &a->recs[i], *y = &b->recs[i];
        cr_assert_eq(x->line, y->line, "chunk size %zu, record %zu: line %ld, whole: %ld", chunk, i,
                     x->line, y->line);
        cr_assert_eq(x->end_line, y->end_line, "chunk size %zu, record %zu: end line differs",
                     chunk, i);
        cr_assert_eq(x->count, y->count, "chunk size %zu, record %zu: field count differs", chunk,
                     i);
        for (size_t f = 0; f < x->count; f++) {
            cr_assert_eq(x->lengths[f], y->lengths[f], "chunk size %zu, record %zu, field %zu",
                         chunk, i, f);
            cr_assert(memcmp(x->fields[f], y->fields[f], x->lengths[f]) == 0,
                      "chunk size %zu, record %zu, field %zu: '%s', whole: '%s'", chunk, i, f,
                      x->fields[f], y->fields[f]);
        }
    }
    cr_assert_eq(a->bad_count, b->bad_count, "chunk size %zu: %zu bad rows, whole: %zu", chunk,
                 a->bad_count, b->bad_count);
    for (size_t i = 0; i < a->bad_count; i++) {
        cr_assert_eq(a->bads[i].line, b->bads[i].line, "chunk size %zu, bad row %zu", chunk, i);
        cr_assert_eq(a->bads[i].column, b->bads[i].column, "chunk size %zu, bad row %zu", chunk, i);
        cr_assert_str_eq(a->bads[i].reason, b->bads[i].reason, "chunk size %zu, bad row %zu", chunk,
                         i);
    }
    if (a->status != NL_OK) {
        cr_assert_eq(a->err.line, b->err.line, "chunk size %zu: error line", chunk);
        cr_assert_str_eq(a->err.message, b->err.message, "chunk size %zu: error message", chunk);
    }
}

/* Parses data whole into *whole, then in chunks of every size from 1 to len - 1, asserting
 * that each gives exactly the same result. */
static void parse_every_chunking(const char *data, size_t len, char delimiter, parsed *whole)
{
    parse_chunked(data, len, len ? len : 1, delimiter, 0, whole);
    for (size_t chunk = 1; chunk < len; chunk++) {
        parsed pieces;
        parse_chunked(data, len, chunk, delimiter, 0, &pieces);
        assert_same(&pieces, whole, chunk);
        parsed_free(&pieces);
    }
}

#define PARSE(literal, delimiter, whole)                                                           \
    parse_every_chunking(literal, sizeof(literal) - 1, delimiter, whole)

/* Asserts record i holds exactly the given NULL-terminated strings. */
static void assert_record(const parsed *p, size_t i, const char *const *expected)
{
    cr_assert_lt(i, p->rec_count, "record %zu missing (%zu records)", i, p->rec_count);
    size_t n = 0;
    while (expected[n] != NULL)
        n++;
    cr_assert_eq(p->recs[i].count, n, "record %zu has %zu fields, expected %zu", i,
                 p->recs[i].count, n);
    for (size_t f = 0; f < n; f++) {
        cr_assert_eq(p->recs[i].lengths[f], strlen(expected[f]),
                     "record %zu field %zu: length %zu, expected %zu ('%s')", i, f,
                     p->recs[i].lengths[f], strlen(expected[f]), expected[f]);
        cr_assert_str_eq(p->recs[i].fields[f], expected[f], "record %zu field %zu", i, f);
    }
}

#define RECORD(p, i, ...) assert_record(p, i, (const char *const[]){__VA_ARGS__, NULL})

static void assert_lines(const parsed *p, size_t i, long line, long end_line)
{
    cr_assert_lt(i, p->rec_count);
    cr_assert_eq(p->recs[i].line, line, "record %zu starts on line %ld, expected %ld", i,
                 p->recs[i].line, line);
    cr_assert_eq(p->recs[i].end_line, end_line, "record %zu ends on line %ld, expected %ld", i,
                 p->recs[i].end_line, end_line);
}

/* ---- csv-spectrum ---- */

static void check_spectrum_case(const char *name)
{
    char path[512];
    snprintf(path, sizeof path, "tests/cases/csv-spectrum/csvs/%s.csv", name);
    size_t len;
    char *csv = nl_test_read_file(nl_test_path(path), &len);
    cr_assert_not_null(csv, "cannot read %s", path);
    snprintf(path, sizeof path, "tests/cases/csv-spectrum/json/%s.json", name);
    json_error_t jerr;
    json_t *expected = json_load_file(nl_test_path(path), 0, &jerr);
    cr_assert_not_null(expected, "%s: %s", path, jerr.text);
    cr_assert(json_is_array(expected) && json_array_size(expected) > 0);

    /* The header is the keys of the first object, in file order (jansson keeps it). */
    json_t *first = json_array_get(expected, 0);
    size_t columns = json_object_size(first);
    const char **header = calloc(columns, sizeof *header);
    size_t c = 0;
    const char *key;
    json_t *value;
    json_object_foreach(first, key, value)
    {
        header[c++] = key;
    }

    parsed whole;
    parse_every_chunking(csv, len, 0, &whole);
    cr_assert_eq(whole.status, NL_OK, "%s: status %d (%s)", name, whole.status, whole.err.message);
    cr_assert_eq(whole.bad_count, 0, "%s: %zu bad rows, first: %s", name, whole.bad_count,
                 whole.bad_count ? whole.bads[0].reason : "");
    cr_assert_eq(whole.delimiter, ',');
    cr_assert_eq(whole.rec_count, json_array_size(expected) + 1,
                 "%s: %zu records, expected the header and %zu rows", name, whole.rec_count,
                 json_array_size(expected));
    cr_assert_eq(whole.recs[0].count, columns, "%s: header has %zu fields", name,
                 whole.recs[0].count);
    for (size_t f = 0; f < columns; f++)
        cr_assert_str_eq(whole.recs[0].fields[f], header[f], "%s: header field %zu", name, f);
    for (size_t row = 0; row < json_array_size(expected); row++) {
        json_t *object = json_array_get(expected, row);
        const rec *r = &whole.recs[row + 1];
        cr_assert_eq(r->count, columns, "%s: row %zu has %zu fields", name, row + 1, r->count);
        for (size_t f = 0; f < columns; f++) {
            const char *want = json_string_value(json_object_get(object, header[f]));
            cr_assert_not_null(want);
            cr_assert_eq(r->lengths[f], strlen(want), "%s: row %zu field %s: length %zu vs %zu",
                         name, row + 1, header[f], r->lengths[f], strlen(want));
            cr_assert_str_eq(r->fields[f], want, "%s: row %zu field %s", name, row + 1, header[f]);
        }
    }
    parsed_free(&whole);
    free(header);
    json_decref(expected);
    free(csv);
}

#define SPECTRUM(name)                                                                             \
    Test(csv_spectrum, name)                                                                       \
    {                                                                                              \
        check_spectrum_case(#name);                                                                \
    }

SPECTRUM(comma_in_quotes)
SPECTRUM(empty)
SPECTRUM(empty_crlf)
SPECTRUM(escaped_quotes)
SPECTRUM(json)
SPECTRUM(newlines)
SPECTRUM(newlines_crlf)
SPECTRUM(quotes_and_newlines)
SPECTRUM(simple)
SPECTRUM(simple_crlf)
SPECTRUM(utf8)

/* The cases must all be there: a case dropped from the folder would silently test less. */
Test(csv_spectrum, every_case_has_a_json_twin)
{
    static const char *const names[] = {
        "comma_in_quotes",
        "empty",
        "empty_crlf",
        "escaped_quotes",
        "json",
        "newlines",
        "newlines_crlf",
        "quotes_and_newlines",
        "simple",
        "simple_crlf",
        "utf8",
    };
    char path[512];
    for (size_t i = 0; i < sizeof names / sizeof *names; i++) {
        snprintf(path, sizeof path, "tests/cases/csv-spectrum/json/%s.json", names[i]);
        char *text = nl_test_read_file(nl_test_path(path), NULL);
        cr_assert_not_null(text, "%s is missing", path);
        free(text);
    }
}

Test(csv_spectrum, line_numbers_of_quoted_newlines)
{
    size_t len;
    char *csv = nl_test_read_file(
        nl_test_path("tests/cases/csv-spectrum/csvs/quotes_and_newlines.csv"), &len);
    cr_assert_not_null(csv);
    parsed p;
    parse_every_chunking(csv, len, 0, &p);
    cr_assert_eq(p.rec_count, 3);
    assert_lines(&p, 0, 1, 1);
    assert_lines(&p, 1, 2, 4); /* 1,"ha / ""ha"" / ha" */
    assert_lines(&p, 2, 5, 5);
    parsed_free(&p);
    free(csv);

    csv = nl_test_read_file(nl_test_path("tests/cases/csv-spectrum/csvs/newlines_crlf.csv"), &len);
    cr_assert_not_null(csv);
    parse_every_chunking(csv, len, 0, &p);
    cr_assert_eq(p.rec_count, 4);
    assert_lines(&p, 1, 2, 2);
    assert_lines(&p, 2, 3, 4);
    assert_lines(&p, 3, 5, 5);
    cr_assert_eq(p.lines, 5);
    parsed_free(&p);
    free(csv);
}

/* ---- encodings ---- */

Test(csvread, utf8_bom_is_stripped_wherever_the_chunks_split_it)
{
    parsed p;
    PARSE("\xEF\xBB\xBFid;name\r\n1;Zo\xC3\xAB\r\n", 0, &p);
    cr_assert_eq(p.status, NL_OK);
    cr_assert_eq(p.delimiter, ';');
    cr_assert_eq(p.rec_count, 2);
    RECORD(&p, 0, "id", "name");
    RECORD(&p, 1, "1", "Zo\xC3\xAB");
    assert_lines(&p, 1, 2, 2);
    parsed_free(&p);
}

Test(csvread, bom_only_at_the_start_is_stripped)
{
    parsed p;
    PARSE("a,b\n\xEF\xBB\xBFx,y\n", 0, &p);
    cr_assert_eq(p.status, NL_OK);
    RECORD(&p, 1, "\xEF\xBB\xBFx", "y");
    parsed_free(&p);
}

Test(csvread, utf16_little_endian_is_refused)
{
    static const char utf16[] = "\xFF\xFEi\0d\0,\0n\0\n\0001\0,\0x\0\n\0";
    parsed p;
    parse_every_chunking(utf16, sizeof utf16 - 1, 0, &p);
    cr_assert_eq(p.status, NL_ERR_INPUT);
    cr_assert_eq(p.rec_count, 0);
    cr_assert_str_eq(p.err.path, "input.csv");
    cr_assert_eq(p.err.line, 1);
    cr_assert(nl_test_contains(p.err.message, "UTF-16"), "message: %s", p.err.message);
    parsed_free(&p);
}

Test(csvread, utf16_big_endian_and_short_utf16_files_are_refused)
{
    parsed p;
    PARSE("\xFE\xFF\0i\0d\0\n", 0, &p);
    cr_assert_eq(p.status, NL_ERR_INPUT);
    parsed_free(&p);
    /* No line end at all: refused when the input ends. */
    PARSE("\xFF\xFEi\0", 0, &p);
    cr_assert_eq(p.status, NL_ERR_INPUT);
    cr_assert_eq(p.rec_count, 0);
    parsed_free(&p);
}

Test(csvread, nul_bytes_are_kept_in_the_field_lengths)
{
    static const char data[] = "a,b\nx\0y,\0\n";
    parsed p;
    parse_every_chunking(data, sizeof data - 1, 0, &p);
    cr_assert_eq(p.status, NL_OK);
    cr_assert_eq(p.rec_count, 2);
    cr_assert_eq(p.recs[1].count, 2);
    cr_assert_eq(p.recs[1].lengths[0], 3);
    cr_assert(memcmp(p.recs[1].fields[0], "x\0y", 3) == 0);
    cr_assert_eq(p.recs[1].lengths[1], 1);
    cr_assert_eq(p.recs[1].fields[1][0], '\0');
    parsed_free(&p);
}

Test(csvread, a_last_line_ending_in_a_nul_byte_still_counts)
{
    static const char data[] = "a\nb\0";
    parsed p;
    parse_every_chunking(data, sizeof data - 1, 0, &p);
    cr_assert_eq(p.rec_count, 2);
    assert_lines(&p, 1, 2, 2);
    cr_assert_eq(p.lines, 2, "nl_csv_lines gave %ld", p.lines);
    parsed_free(&p);
}

/* ---- delimiters ---- */

Test(csvread, semicolon_is_detected_and_commas_stay_in_cells)
{
    parsed p;
    PARSE("id;score;note\n1;3,5;a, b\n", 0, &p);
    cr_assert_eq(p.delimiter, ';');
    RECORD(&p, 0, "id", "score", "note");
    RECORD(&p, 1, "1", "3,5", "a, b");
    parsed_free(&p);
}

Test(csvread, tab_is_detected_and_empty_cells_are_kept)
{
    parsed p;
    PARSE("id\tname\tscore\n1\t\t3\n\t\t\n", 0, &p);
    cr_assert_eq(p.delimiter, '\t');
    cr_assert_eq(p.rec_count, 3);
    RECORD(&p, 1, "1", "", "3");
    RECORD(&p, 2, "", "", "");
    parsed_free(&p);
}

Test(csvread, detection_looks_at_the_first_line_outside_quotes)
{
    parsed p;
    /* Three semicolons inside quotes do not count: one comma decides. */
    PARSE("\"a;b;c;d\",e\n1;2;3;4;5,6\n", 0, &p);
    cr_assert_eq(p.delimiter, ',');
    RECORD(&p, 0, "a;b;c;d", "e");
    RECORD(&p, 1, "1;2;3;4;5", "6");
    parsed_free(&p);
    /* A tie between comma and semicolon goes to the comma. */
    PARSE("a;b,c\n", 0, &p);
    cr_assert_eq(p.delimiter, ',');
    RECORD(&p, 0, "a;b", "c");
    parsed_free(&p);
    /* More tabs than anything else. */
    PARSE("a\tb\tc,d\n", 0, &p);
    cr_assert_eq(p.delimiter, '\t');
    RECORD(&p, 0, "a", "b", "c,d");
    parsed_free(&p);
    /* No delimiter at all: a single column, comma assumed. */
    PARSE("only\nvalue\n", 0, &p);
    cr_assert_eq(p.delimiter, ',');
    RECORD(&p, 1, "value");
    parsed_free(&p);
}

Test(csvread, detection_waits_for_a_first_line_split_over_chunks)
{
    /* The first line holds a quoted line break: detection must not stop at it. */
    parsed p;
    PARSE("\"x\ny\";b;c\n1;2;3\n", 0, &p);
    cr_assert_eq(p.delimiter, ';');
    RECORD(&p, 0, "x\ny", "b", "c");
    assert_lines(&p, 0, 1, 2);
    assert_lines(&p, 1, 3, 3);
    parsed_free(&p);
}

Test(csvread, a_forced_delimiter_wins_over_detection)
{
    parsed p;
    PARSE("a,b;c,d\n1,2;3,4\n", ';', &p);
    cr_assert_eq(p.delimiter, ';');
    RECORD(&p, 0, "a,b", "c,d");
    RECORD(&p, 1, "1,2", "3,4");
    parsed_free(&p);
    PARSE("a;b\tc\n", '\t', &p);
    cr_assert_eq(p.delimiter, '\t');
    RECORD(&p, 0, "a;b", "c");
    parsed_free(&p);
}

Test(csvread, delimiter_names)
{
    cr_assert_str_eq(nl_csv_delimiter_name(','), "comma");
    cr_assert_str_eq(nl_csv_delimiter_name(';'), "semicolon");
    cr_assert_str_eq(nl_csv_delimiter_name('\t'), "tab");
    cr_assert_str_eq(nl_csv_delimiter_name('|'), "unknown");
}

/* ---- line ends and line numbers ---- */

Test(csvread, cr_only_line_ends)
{
    parsed p;
    PARSE("a,b\r1,2\r3,4", 0, &p);
    cr_assert_eq(p.status, NL_OK);
    cr_assert_eq(p.rec_count, 3);
    RECORD(&p, 1, "1", "2");
    RECORD(&p, 2, "3", "4");
    assert_lines(&p, 0, 1, 1);
    assert_lines(&p, 1, 2, 2);
    assert_lines(&p, 2, 3, 3);
    cr_assert_eq(p.lines, 3);
    parsed_free(&p);
}

Test(csvread, quoted_line_breaks_count_as_physical_lines_for_every_line_end)
{
    static const char *const inputs[] = {
        "id,note\n1,\"x\ny\nz\"\n2,plain\n",
        "id,note\r\n1,\"x\r\ny\r\nz\"\r\n2,plain\r\n",
        "id,note\r1,\"x\ry\rz\"\r2,plain\r",
    };
    static const char *const notes[] = {"x\ny\nz", "x\r\ny\r\nz", "x\ry\rz"};
    for (size_t i = 0; i < 3; i++) {
        parsed p;
        parse_every_chunking(inputs[i], strlen(inputs[i]), 0, &p);
        cr_assert_eq(p.rec_count, 3, "input %zu", i);
        RECORD(&p, 1, "1", notes[i]);
        RECORD(&p, 2, "2", "plain");
        assert_lines(&p, 1, 2, 4);
        assert_lines(&p, 2, 5, 5);
        cr_assert_eq(p.lines, 5, "input %zu: %ld lines", i, p.lines);
        parsed_free(&p);
    }
}

Test(csvread, blank_lines_are_skipped_but_counted)
{
    parsed p;
    PARSE("a,b\n\n\r\n1,2\n\n", 0, &p);
    cr_assert_eq(p.rec_count, 2);
    assert_lines(&p, 1, 4, 4);
    cr_assert_eq(p.lines, 5);
    parsed_free(&p);
}

Test(csvread, a_last_line_without_a_line_end_is_delivered)
{
    parsed p;
    PARSE("a,b\n1,2\n3,\"four\"", 0, &p);
    cr_assert_eq(p.status, NL_OK);
    cr_assert_eq(p.rec_count, 3);
    RECORD(&p, 2, "3", "four");
    assert_lines(&p, 2, 3, 3);
    cr_assert_eq(p.lines, 3);
    parsed_free(&p);
}

Test(csvread, quoted_cells_keep_delimiters_doubled_quotes_and_spaces)
{
    parsed p;
    PARSE("name,team\n\"Moreau; Julien, Jr\",\" Data \"\n\"Sio \"\"Shiv\"\" O'Neill\",\"\"\n", 0,
          &p);
    RECORD(&p, 1, "Moreau; Julien, Jr", " Data ");
    RECORD(&p, 2, "Sio \"Shiv\" O'Neill", "");
    parsed_free(&p);
}

Test(csvread, empty_input_gives_no_record)
{
    parsed p;
    parse_chunked("", 0, 1, 0, 0, &p);
    cr_assert_eq(p.status, NL_OK);
    cr_assert_eq(p.rec_count, 0);
    cr_assert_eq(p.lines, 0);
    parsed_free(&p);
    PARSE("\xEF\xBB\xBF", 0, &p);
    cr_assert_eq(p.status, NL_OK);
    cr_assert_eq(p.rec_count, 0);
    parsed_free(&p);
}

/* ---- bad rows ---- */

Test(csvread, an_unclosed_quote_is_reported_at_the_line_it_opened)
{
    parsed p;
    PARSE("a,b\n1,2\n3,\"open\n4,5\n6,7\n", 0, &p);
    cr_assert_eq(p.status, NL_OK);
    cr_assert_eq(p.rec_count, 2);
    RECORD(&p, 1, "1", "2");
    cr_assert_eq(p.bad_count, 1);
    cr_assert_eq(p.bads[0].line, 3);
    cr_assert_eq(p.bads[0].column, 2);
    cr_assert(nl_test_contains(p.bads[0].reason, "line 3"), "%s", p.bads[0].reason);
    cr_assert(nl_test_contains(p.bads[0].reason, "to line 5"), "%s", p.bads[0].reason);
    parsed_free(&p);
}

Test(csvread, an_unclosed_quote_after_doubled_quotes_is_placed_where_it_opened)
{
    /* The quote opens on line 2; line 3 only holds an escaped quote (""). */
    parsed p;
    PARSE("a,b\n1,\"abc\n\"\"def\nghi\n", 0, &p);
    cr_assert_eq(p.rec_count, 1);
    cr_assert_eq(p.bad_count, 1);
    cr_assert_eq(p.bads[0].line, 2, "reported on line %ld: %s", p.bads[0].line, p.bads[0].reason);
    cr_assert(nl_test_contains(p.bads[0].reason, "opened on line 2"), "%s", p.bads[0].reason);
    parsed_free(&p);
}

Test(csvread, a_stray_quote_rejects_its_row_and_reading_goes_on)
{
    parsed p;
    PARSE("a,b\nab\"c,1\n2,3\n4,x\"y\"z\n5,6\n", 0, &p);
    cr_assert_eq(p.status, NL_OK);
    cr_assert_eq(p.rec_count, 3);
    RECORD(&p, 1, "2", "3");
    RECORD(&p, 2, "5", "6");
    assert_lines(&p, 1, 3, 3);
    assert_lines(&p, 2, 5, 5);
    cr_assert_eq(p.bad_count, 2);
    cr_assert_eq(p.bads[0].line, 2);
    cr_assert_eq(p.bads[0].column, 1);
    cr_assert(nl_test_contains(p.bads[0].reason, "quote"), "%s", p.bads[0].reason);
    cr_assert_eq(p.bads[1].line, 4);
    cr_assert_eq(p.bads[1].column, 2);
    parsed_free(&p);
}

Test(csvread, text_after_a_closing_quote_is_a_bad_row)
{
    parsed p;
    PARSE("a,b\n1,\"ab\"c\n2,3\n", 0, &p);
    cr_assert_eq(p.rec_count, 2);
    RECORD(&p, 1, "2", "3");
    assert_lines(&p, 1, 3, 3);
    cr_assert_eq(p.bad_count, 1);
    cr_assert_eq(p.bads[0].line, 2);
    cr_assert_eq(p.bads[0].column, 2);
    parsed_free(&p);
}

Test(csvread, a_bad_row_after_a_multi_line_record_keeps_line_numbers)
{
    parsed p;
    PARSE("a,b\r\n1,\"two\r\nlines\"\r\nx\"y,2\r\n3,4\r\n", 0, &p);
    cr_assert_eq(p.rec_count, 3);
    assert_lines(&p, 1, 2, 3);
    cr_assert_eq(p.bad_count, 1);
    cr_assert_eq(p.bads[0].line, 4);
    RECORD(&p, 2, "3", "4");
    assert_lines(&p, 2, 5, 5);
    parsed_free(&p);
}

/* ---- the callback contract ---- */

Test(csvread, a_callback_can_stop_the_reading)
{
    static const char data[] = "a\n1\n2\n3\n";
    for (size_t chunk = 1; chunk <= sizeof data - 1; chunk++) {
        parsed p;
        parse_chunked(data, sizeof data - 1, chunk, 0, 2, &p);
        cr_assert_eq(p.status, NL_ERR_STOPPED, "chunk %zu", chunk);
        cr_assert_eq(p.rec_count, 2, "chunk %zu: %zu records after asking to stop", chunk,
                     p.rec_count);
        parsed_free(&p);
    }
}

Test(csvread, empty_feeds_change_nothing)
{
    static const char data[] = "a;b\n1;2\n";
    parsed p = {0};
    nl_error err = {0};
    nl_csv_reader *reader = nl_csv_reader_new("x.csv", 0, collect_record, collect_bad_row, &p);
    cr_assert_eq(nl_csv_delimiter(reader), 0);
    cr_assert_eq(nl_csv_feed(reader, data, 0, &err), NL_OK);
    for (size_t i = 0; i < sizeof data - 1; i++) {
        cr_assert_eq(nl_csv_feed(reader, data + i, 1, &err), NL_OK);
        cr_assert_eq(nl_csv_feed(reader, data + i, 0, &err), NL_OK);
    }
    cr_assert_eq(nl_csv_finish(reader, &err), NL_OK);
    cr_assert_eq(nl_csv_delimiter(reader), ';');
    nl_csv_reader_free(reader);
    cr_assert_eq(p.rec_count, 2);
    RECORD(&p, 1, "1", "2");
    parsed_free(&p);
}

Test(csvread, read_file_reports_missing_files_and_the_delimiter)
{
    parsed p = {0};
    nl_error err = {0};
    char delimiter = 'x';
    nl_status status = nl_csv_read_file("/nonexistent/dir/file.csv", 0, collect_record,
                                        collect_bad_row, &p, &delimiter, &err);
    cr_assert_eq(status, NL_ERR_IO);
    cr_assert_str_eq(err.path, "/nonexistent/dir/file.csv");
    cr_assert(nl_test_contains(err.message, "No such file"), "%s", err.message);

    static const char data[] = "a\tb\n1\t2\n";
    char *path = nl_test_write_temp(".csv", data, sizeof data - 1);
    status = nl_csv_read_file(path, 0, collect_record, collect_bad_row, &p, &delimiter, &err);
    cr_assert_eq(status, NL_OK);
    cr_assert_eq(delimiter, '\t');
    cr_assert_eq(p.rec_count, 2);
    RECORD(&p, 1, "1", "2");
    parsed_free(&p);
    nl_test_remove(path);
}

Test(csvread, a_file_larger_than_one_read_chunk)
{
    /* 20000 rows cross the 64 KiB read size of nl_csv_read_file several times. */
    size_t rows = 20000, cap = rows * 16 + 16, len = 0;
    char *data = malloc(cap);
    len += (size_t)sprintf(data + len, "id;v\r\n");
    for (size_t i = 0; i < rows; i++)
        len += (size_t)sprintf(data + len, "%zu;\"%zu\"\r\n", i, i % 7);
    char *path = nl_test_write_temp(".csv", data, len);
    free(data);
    parsed p = {0};
    nl_error err = {0};
    char delimiter = 0;
    cr_assert_eq(nl_csv_read_file(path, 0, collect_record, collect_bad_row, &p, &delimiter, &err),
                 NL_OK);
    cr_assert_eq(p.rec_count, rows + 1);
    cr_assert_eq(p.bad_count, 0);
    RECORD(&p, 7778, "7777", "0");
    assert_lines(&p, 7778, 7779, 7779);
    cr_assert_eq(delimiter, ';');
    parsed_free(&p);
    nl_test_remove(path);
}
