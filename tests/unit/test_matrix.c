/* Skill-matrix ingestion (matrix.h): wide and long files checked against a template. Every
 * crafted input is fed in chunks of every size, and each chunking must give exactly the same
 * people, scores, rejections and file summaries as the input fed whole. */
#include "nextlevel/matrix.h"

#include "test_support.h"

#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

/* ---- fixtures ---- */

#define W_FRAMEWORK                                                                                \
    "[framework]\n"                                                                                \
    "name = Matrix test\n"                                                                         \
    "scale = 1..5\n"                                                                               \
    "labels = 1:Novice, 3:Proficient, 5:Expert\n"
#define W_REST                                                                                     \
    "[columns]\n"                                                                                  \
    "id = Employee ID\n"                                                                           \
    "months_in_level = Months in level\n"                                                          \
    "[attribute visibility]\n"                                                                     \
    "column = Visibility\n"                                                                        \
    "[skill coding]\n"                                                                             \
    "name = Coding\n"                                                                              \
    "family = technical\n"                                                                         \
    "[skill system_design]\n"                                                                      \
    "name = System design\n"                                                                       \
    "family = technical\n"                                                                         \
    "[skill talking]\n"                                                                            \
    "name = Talking to people\n"                                                                   \
    "family = soft\n"                                                                              \
    "[level L1]\n"                                                                                 \
    "title = Junior\n"                                                                             \
    "next = L2\n"                                                                                  \
    "expectations = coding:2, system_design:2, talking:2\n"                                        \
    "[level L2]\n"                                                                                 \
    "title = Senior Engineer\n"                                                                    \
    "expectations = coding:4, system_design:3, talking:3\n"                                        \
    "[priorities p]\n"                                                                             \
    "technical = 1\n"                                                                              \
    "soft = 1\n"                                                                                   \
    "[gate g]\n"                                                                                   \
    "kind = tenure\n"                                                                              \
    "min_months = 6\n"                                                                             \
    "severity = hard\n"
#define W_TEMPLATE W_FRAMEWORK W_REST

/* Skill indices in the fixture template. */
enum { CODING, DESIGN, TALKING };

static nl_framework *load_template(const char *text)
{
    char *path = nl_test_write_temp(".ini", text, strlen(text));
    nl_framework *fw = NULL;
    nl_error err = {0};
    nl_status status = nl_framework_load(path, &fw, &err);
    nl_test_remove(path);
    cr_assert_eq(status, NL_OK, "fixture template: %s:%ld: %s", err.path, err.line, err.message);
    cr_assert_eq(fw->diags.count, 0, "fixture template: %s", fw->diags.items[0].message);
    return fw;
}

/* One input file: its name in messages and its bytes. */
typedef struct input {
    const char *path;
    const char *data;
    size_t len;
} input;

#define INPUT(path, literal) ((input){path, literal, sizeof(literal) - 1})

typedef struct result {
    nl_matrix *m;
    nl_status status[4]; /* per file */
    nl_error err[4];
} result;

/* Reads the files one after the other into a new matrix, each fed in chunk-byte pieces
 * (0: whole). A feed failure stops that file; finish still frees the reader. */
static result read_inputs(const nl_framework *fw, const input *files, size_t count, size_t chunk,
                          char delimiter)
{
    result r = {.m = nl_matrix_new(fw)};
    cr_assert_not_null(r.m);
    cr_assert_leq(count, 4);
    for (size_t f = 0; f < count; f++) {
        nl_matrix_reader *reader = NULL;
        nl_status status = nl_matrix_begin(r.m, files[f].path, delimiter, &reader, &r.err[f]);
        cr_assert_eq(status, NL_OK);
        size_t step = chunk == 0 || chunk > files[f].len ? files[f].len : chunk;
        for (size_t at = 0; at < files[f].len && status == NL_OK; at += step) {
            size_t n = files[f].len - at < step ? files[f].len - at : step;
            status = nl_matrix_feed(reader, files[f].data + at, n, &r.err[f]);
        }
        if (status == NL_OK) {
            status = nl_matrix_finish(reader, &r.err[f]);
        } else {
            nl_error ignored;
            nl_matrix_finish(reader, &ignored);
        }
        r.status[f] = status;
    }
    return r;
}

/* Everything the matrix holds, as text, so that two readings can be compared whole. */
static char *snapshot(const result *r, const nl_framework *fw, size_t file_count)
{
    char *text = NULL;
    size_t size = 0;
    FILE *out = open_memstream(&text, &size);
    for (size_t f = 0; f < file_count; f++) {
        fprintf(out, "status %d", r->status[f]);
        if (r->status[f] != NL_OK)
            fprintf(out, " %s:%ld:%ld %s", r->err[f].path, r->err[f].line, r->err[f].column,
                    r->err[f].message);
        fputc('\n', out);
    }
    size_t n;
    const nl_person *people = nl_matrix_people(r->m, &n);
    for (size_t i = 0; i < n; i++) {
        const nl_person *p = &people[i];
        fprintf(out, "person %s|%s|%s|%s|%zu|%.17g|%zu:%ld|", p->id, p->name, p->team, p->manager,
                p->level, p->months_in_level, p->file, p->line);
        for (size_t s = 0; s < fw->skill_count; s++)
            fprintf(out, " %.17g/%u", p->scores[s], (unsigned)nl_person_raters(p, s));
        for (size_t a = 0; a < fw->attribute_count; a++)
            fprintf(out, " a%.17g", p->attributes[a]);
        fputc('\n', out);
    }
    const nl_rejection *rej = nl_matrix_rejections(r->m, &n);
    for (size_t i = 0; i < n; i++)
        fprintf(out, "reject %zu:%ld:%ld %s\n", rej[i].file, rej[i].line, rej[i].column,
                rej[i].reason);
    const nl_file_summary *files = nl_matrix_files(r->m, &n);
    for (size_t i = 0; i < n; i++) {
        const nl_file_summary *f = &files[i];
        fprintf(out, "file %s d%d long%d unusable%d read%ld rejected%ld accepted%ld", f->path,
                f->delimiter, f->long_format, f->unusable, f->rows_read, f->rows_rejected,
                f->people_accepted);
        for (size_t s = 0; s < fw->skill_count; s++)
            fprintf(out, " %d/%ld", f->skill_found[s], f->assessed[s]);
        for (size_t u = 0; u < f->unknown_count; u++)
            fprintf(out, " ?%s", f->unknown_columns[u]);
        const nl_file_encoding *e = &f->encoding;
        fprintf(out, " %s bom%d fallback%d mixed%d undefined%ld [%s]", e->name, e->bom, e->fallback,
                e->mixed, e->undefined, e->sample);
        fputc('\n', out);
    }
    fclose(out);
    return text;
}

/* Reads the files whole, then at every chunk size up to the longest file, asserting each
 * reading gives the same snapshot. Returns the whole reading for the test's assertions. */
static result read_every_chunking(const nl_framework *fw, const input *files, size_t count,
                                  char delimiter)
{
    result whole = read_inputs(fw, files, count, 0, delimiter);
    char *expected = snapshot(&whole, fw, count);
    size_t longest = 0;
    for (size_t f = 0; f < count; f++)
        longest = files[f].len > longest ? files[f].len : longest;
    for (size_t chunk = 1; chunk < longest; chunk++) {
        result pieces = read_inputs(fw, files, count, chunk, delimiter);
        char *got = snapshot(&pieces, fw, count);
        cr_assert_str_eq(got, expected, "chunk size %zu differs from the whole file", chunk);
        free(got);
        nl_matrix_free(pieces.m);
    }
    free(expected);
    return whole;
}

static result read_one(const nl_framework *fw, input file)
{
    return read_every_chunking(fw, &file, 1, 0);
}

static const nl_person *person(const result *r, const char *id)
{
    size_t n;
    const nl_person *people = nl_matrix_people(r->m, &n);
    for (size_t i = 0; i < n; i++) {
        if (strcmp(people[i].id, id) == 0)
            return &people[i];
    }
    cr_assert_fail("no person %s", id);
    return NULL;
}

static size_t people_count(const result *r)
{
    size_t n;
    nl_matrix_people(r->m, &n);
    return n;
}

static const nl_rejection *rejections(const result *r, size_t *n)
{
    return nl_matrix_rejections(r->m, n);
}

static const nl_file_summary *summary(const result *r, size_t file)
{
    size_t n;
    const nl_file_summary *files = nl_matrix_files(r->m, &n);
    cr_assert_lt(file, n);
    return &files[file];
}

/* Asserts rejection i is at line:column of file and its reason holds part. */
static void expect_rejection(const result *r, size_t i, size_t file, long line, long column,
                             const char *part)
{
    size_t n;
    const nl_rejection *rej = rejections(r, &n);
    cr_assert_lt(i, n, "rejection %zu missing (%zu rejections)", i, n);
    cr_assert_eq(rej[i].file, file, "rejection %zu: file %zu", i, rej[i].file);
    cr_assert_eq(rej[i].line, line, "rejection %zu at line %ld, expected %ld: %s", i, rej[i].line,
                 line, rej[i].reason);
    cr_assert_eq(rej[i].column, column, "rejection %zu at column %ld, expected %ld: %s", i,
                 rej[i].column, column, rej[i].reason);
    /* Shown as "ID: reason": the id is kept apart so that it can be pseudonymised. */
    char shown[2048];
    snprintf(shown, sizeof shown, "%s%s%s", rej[i].id ? rej[i].id : "", rej[i].id ? ": " : "",
             rej[i].reason);
    cr_assert(strstr(shown, part) != NULL, "rejection %zu: '%s' lacks '%s'", i, shown, part);
    cr_assert(rej[i].id == NULL || strstr(rej[i].reason, rej[i].id) == NULL ||
                  strstr(part, "is already on line") != NULL,
              "rejection %zu: the reason repeats the id: %s", i, rej[i].reason);
}

static void expect_rejection_count(const result *r, size_t expected)
{
    size_t n;
    const nl_rejection *rej = rejections(r, &n);
    cr_assert_eq(n, expected, "%zu rejections, expected %zu; first: %s", n, expected,
                 n ? rej[0].reason : "");
}

/* ---- wide format ---- */

#define W_HEADER                                                                                   \
    "Employee ID,Name,Team,Level,Months in level,Coding,System design,talking,Visibility\n"

Test(wide, people_scores_and_summary)
{
    nl_framework *fw = load_template(W_TEMPLATE);
    result r =
        read_one(fw, INPUT("team.csv", W_HEADER "E1,Ada Lovelace,Core,L1,14,3,2.5,4,3\n"
                                                "E2,Alan Turing,Core,Senior Engineer,,5,,1,\n"
                                                "E3,Grace Hopper,,L2,0,,,,\n"));
    cr_assert_eq(r.status[0], NL_OK, "%s", r.err[0].message);
    expect_rejection_count(&r, 0);
    cr_assert_eq(people_count(&r), 3);

    const nl_person *ada = person(&r, "E1");
    cr_assert_str_eq(ada->name, "Ada Lovelace");
    cr_assert_str_eq(ada->team, "Core");
    cr_assert_str_eq(ada->manager, "", "no manager column: empty text");
    cr_assert_eq(ada->level, 0);
    cr_assert_eq(ada->months_in_level, 14);
    cr_assert_eq(ada->scores[CODING], 3);
    cr_assert_eq(ada->scores[DESIGN], 2.5);
    cr_assert_eq(ada->scores[TALKING], 4);
    cr_assert_eq(nl_person_raters(ada, CODING), 1);
    cr_assert_eq(ada->attributes[0], 3);
    cr_assert_eq(ada->file, 0);
    cr_assert_eq(ada->line, 2);

    const nl_person *alan = person(&r, "E2");
    cr_assert_eq(alan->level, 1, "a level given by its title");
    cr_assert(isnan(alan->months_in_level));
    cr_assert(isnan(alan->scores[DESIGN]), "an empty cell is not assessed");
    cr_assert_eq(nl_person_raters(alan, DESIGN), 0);
    cr_assert(isnan(alan->attributes[0]));
    cr_assert_eq(alan->scores[TALKING], 1);

    const nl_person *grace = person(&r, "E3");
    cr_assert_eq(grace->months_in_level, 0, "0 months is a value, not missing");
    cr_assert_str_eq(grace->team, "");
    for (int s = 0; s < 3; s++)
        cr_assert(isnan(grace->scores[s]) && nl_person_raters(grace, s) == 0);

    const nl_file_summary *f = summary(&r, 0);
    cr_assert_str_eq(f->path, "team.csv");
    cr_assert_eq(f->delimiter, ',');
    cr_assert_not(f->long_format);
    cr_assert_not(f->unusable);
    cr_assert_eq(f->rows_read, 3);
    cr_assert_eq(f->rows_rejected, 0);
    cr_assert_eq(f->people_accepted, 3);
    for (int s = 0; s < 3; s++)
        cr_assert(f->skill_found[s]);
    cr_assert_eq(f->assessed[CODING], 2);
    cr_assert_eq(f->assessed[DESIGN], 1);
    cr_assert_eq(f->assessed[TALKING], 2);
    cr_assert_eq(f->unknown_count, 0, "'Name' matches the default name column");
    nl_matrix_free(r.m);
    nl_framework_free(fw);
}

Test(wide, headers_match_ignoring_case_spaces_and_underscores)
{
    nl_framework *fw = load_template(W_TEMPLATE);
    result r = read_one(fw, INPUT("eu.csv", "\xEF\xBB\xBF  employee_ID ;FULL_NAME;LEVEL; Months_In_"
                                            "Level ;CODING;system_design;Talking To People;"
                                            "visibility;Notes;\r\n"
                                            "E1;Ada;l1;3,5;3,5;Proficient; expert ;2,5;x;\r\n"));
    cr_assert_eq(r.status[0], NL_OK, "%s", r.err[0].message);
    expect_rejection_count(&r, 0);
    const nl_person *ada = person(&r, "E1");
    cr_assert_eq(ada->level, 0, "'l1' matches the level id L1");
    cr_assert_eq(ada->months_in_level, 3.5);
    cr_assert_eq(ada->scores[CODING], 3.5, "decimal comma with ';'");
    cr_assert_eq(ada->scores[DESIGN], 3, "a label, any case");
    cr_assert_eq(ada->scores[TALKING], 5, "a label with spaces around it");
    cr_assert_eq(ada->attributes[0], 2.5);
    cr_assert_str_eq(ada->name, "", "FULL_NAME is not the name column of this template");
    const nl_file_summary *f = summary(&r, 0);
    cr_assert_eq(f->delimiter, ';');
    cr_assert_eq(f->unknown_count, 3);
    cr_assert_str_eq(f->unknown_columns[0], "FULL_NAME");
    cr_assert_str_eq(f->unknown_columns[1], "Notes");
    cr_assert_str_eq(f->unknown_columns[2], "(empty)");
    nl_matrix_free(r.m);
    nl_framework_free(fw);
}

Test(wide, decimal_comma_only_where_the_comma_does_not_delimit)
{
    nl_framework *fw = load_template(W_TEMPLATE);
    result r = read_one(fw, INPUT("tab.tsv", "Employee ID\tLevel\tCoding\nE1\tL1\t4,5\n"));
    cr_assert_eq(person(&r, "E1")->scores[CODING], 4.5);
    nl_matrix_free(r.m);

    r = read_one(fw, INPUT("comma.csv", "Employee ID,Level,Coding\nE1,L1,\"4,5\"\nE2,L1,4.5\n"));
    expect_rejection_count(&r, 1);
    expect_rejection(&r, 0, 0, 2, 3, "'4,5' for Coding is neither a score from 1 to 5");
    cr_assert_eq(person(&r, "E2")->scores[CODING], 4.5);
    nl_matrix_free(r.m);
    nl_framework_free(fw);
}

Test(wide, every_kind_of_bad_row_is_rejected_with_line_and_column)
{
    nl_framework *fw = load_template(W_TEMPLATE);
    static const char data[] = W_HEADER /* line 1 */
        "E1,A,T,L1,1,abc,3,3,3\n"       /* 2 */
        "E2,B,T,L1,1,3,7,3,3\n"         /* 3 */
        "E3,C,T,L9,1,3,3,3,3\n"         /* 4 */
        "E4,D,T,L1,1,3\n"               /* 5 */
        "E5,E,T,L1,1,3,3,3,3,extra\n"   /* 6 */
        "E6,F\0"
        ",T,L1,1,3,3,3,3\n" /* 7 */
        "E7,G\xff"
        ",T,L1,1,3,3,3,3\n"                    /* 8 */
        ",H,T,L1,1,3,3,3,3\n"                  /* 9 */
        "E8,I,T,,1,3,3,3,3\n"                  /* 10 */
        "E9,J,T,L1,many,3,3,3,3\n"             /* 11 */
        "E10,K,T,L1,-3,3,3,3,3\n"              /* 12 */
        "E11,L,T,L1,1,3,3,3,high\n"            /* 13 */
        "E12,M,T,L1,1,3,3,3,3\n"               /* 14 */
        "E12,N,T,L2,1,3,3,3,3\n"               /* 15 */
        "E13,\"multi\nline\",T,L1,1,3,3,3,3\n" /* 16-17 */
        "E14,O,T,L1,1,3,3,3,x\"y\n"            /* 18 */
        "E15,P,T,L1,1,3,3,3,3\n"               /* 19 */
        "E16,Q,T,L1,1,3,3,3,3,,  ,\n";         /* 20 */
    result r = read_one(fw, (input){"wide.csv", data, sizeof data - 1});
    cr_assert_eq(r.status[0], NL_OK, "rejected rows do not make the file unusable");
    expect_rejection_count(&r, 13);
    expect_rejection(&r, 0, 0, 2, 6,
                     "E1: 'abc' for Coding is neither a score from 1 to 5 nor a "
                     "label of the scale");
    expect_rejection(&r, 1, 0, 3, 7, "E2: '7' for System design is neither a score from 1 to 5");
    expect_rejection(&r, 2, 0, 4, 4,
                     "E3: level 'L9' is not one of the template's levels (L1 to L2)");
    expect_rejection(&r, 3, 0, 5, 7, "the row has 6 cells but the header has 9");
    expect_rejection(&r, 4, 0, 6, 10, "the row has 10 cells but the header has 9");
    expect_rejection(&r, 5, 0, 7, 2, "NUL byte");
    /* A file that is not UTF-8 is read as Windows-1252 (from its first such byte). */
    cr_assert_str_eq(person(&r, "E7")->name, "G\xC3\xBF");
    expect_rejection(&r, 6, 0, 9, 1, "the Employee ID cell is empty");
    expect_rejection(&r, 7, 0, 10, 4, "E8: the level cell is empty: fill in the person's level");
    expect_rejection(&r, 8, 0, 11, 5, "E9: Months in level 'many' is not a number of months");
    expect_rejection(&r, 9, 0, 12, 5, "E10: Months in level '-3'");
    expect_rejection(&r, 10, 0, 13, 9, "E11: Visibility 'high' is not a number");
    expect_rejection(&r, 11, 0, 15, 1, "E12: the same id is already on line 14 of wide.csv");
    expect_rejection(&r, 12, 0, 18, 9, "quote");

    cr_assert_eq(people_count(&r), 5);
    cr_assert_eq(person(&r, "E12")->line, 14);
    cr_assert_eq(person(&r, "E12")->level, 0, "the first row of a duplicated id stays");
    cr_assert_str_eq(person(&r, "E13")->name, "multi\nline");
    cr_assert_eq(person(&r, "E13")->line, 16);
    cr_assert_eq(person(&r, "E15")->line, 19);
    cr_assert_eq(person(&r, "E16")->line, 20, "trailing empty cells are tolerated");
    const nl_file_summary *f = summary(&r, 0);
    cr_assert_eq(f->rows_read, 18);
    cr_assert_eq(f->rows_rejected, 13);
    cr_assert_eq(f->people_accepted, 5);
    cr_assert_eq(f->assessed[CODING], 5, "only accepted people count as assessed");
    nl_matrix_free(r.m);
    nl_framework_free(fw);
}

Test(wide, months_in_level_bounds)
{
    nl_framework *fw = load_template(W_TEMPLATE);
    result r = read_one(fw, INPUT("m.csv", "Employee ID,Level,Months in level\n"
                                           "E1,L1,1200\nE2,L1,1200.5\nE3,L1, 0 \nE4,L1,nan\n"));
    expect_rejection_count(&r, 2);
    expect_rejection(&r, 0, 0, 3, 3, "'1200.5' is not a number of months from 0 to 1200");
    expect_rejection(&r, 1, 0, 5, 3, "'nan'");
    cr_assert_eq(person(&r, "E1")->months_in_level, 1200);
    cr_assert_eq(person(&r, "E3")->months_in_level, 0);
    nl_matrix_free(r.m);
    nl_framework_free(fw);
}

Test(wide, line_numbers_with_crlf_and_cr_only_line_ends)
{
    nl_framework *fw = load_template(W_TEMPLATE);
    result r = read_one(fw, INPUT("cr.csv", "Employee ID,Name,Level,Coding\r"
                                            "E1,\"two\rlines\",L1,3\r"
                                            "E2,B,L1,9\r"
                                            "E3,C,L1,4"));
    expect_rejection_count(&r, 1);
    expect_rejection(&r, 0, 0, 4, 4, "'9' for Coding");
    cr_assert_eq(person(&r, "E3")->line, 5, "a last line without a line end");
    cr_assert_eq(person(&r, "E3")->scores[CODING], 4);
    nl_matrix_free(r.m);

    r = read_one(fw, INPUT("crlf.csv", "Employee ID,Name,Level,Coding\r\n"
                                       "E1,\"two\r\nlines\",L1,3\r\n"
                                       "\r\n"
                                       "E2,B,L1,9\r\n"));
    expect_rejection(&r, 0, 0, 5, 4, "'9' for Coding");
    cr_assert_str_eq(person(&r, "E1")->name, "two\r\nlines");
    nl_matrix_free(r.m);
    nl_framework_free(fw);
}

Test(wide, a_forced_delimiter)
{
    nl_framework *fw = load_template(W_TEMPLATE);
    static const char data[] = "Employee ID;Level;Coding;w,x,y,z\nE1;L1;3,5;a,b,c,d\n";
    input file = {"forced.csv", data, sizeof data - 1};
    result r = read_every_chunking(fw, &file, 1, ';');
    cr_assert_eq(r.status[0], NL_OK, "%s", r.err[0].message);
    cr_assert_eq(person(&r, "E1")->scores[CODING], 3.5);
    cr_assert_eq(summary(&r, 0)->delimiter, ';');
    cr_assert_str_eq(summary(&r, 0)->unknown_columns[0], "w,x,y,z");
    nl_matrix_free(r.m);
    /* Detected, the tie goes to the comma and the header has no id column. */
    r = read_every_chunking(fw, &file, 1, 0);
    cr_assert_eq(r.status[0], NL_ERR_INPUT);
    nl_matrix_free(r.m);
    nl_framework_free(fw);
}

/* ---- files that cannot be used ---- */

static void expect_unusable(const char *data, size_t len, long line, long column, const char *part)
{
    nl_framework *fw = load_template(W_TEMPLATE);
    input file = {"bad.csv", data, len};
    result r = read_every_chunking(fw, &file, 1, 0);
    cr_assert_eq(r.status[0], NL_ERR_INPUT, "status %d", r.status[0]);
    cr_assert_str_eq(r.err[0].path, "bad.csv");
    cr_assert_eq(r.err[0].line, line, "error on line %ld, expected %ld: %s", r.err[0].line, line,
                 r.err[0].message);
    cr_assert_eq(r.err[0].column, column, "error in column %ld, expected %ld: %s", r.err[0].column,
                 column, r.err[0].message);
    cr_assert(strstr(r.err[0].message, part) != NULL, "'%s' lacks '%s'", r.err[0].message, part);
    cr_assert(summary(&r, 0)->unusable);
    cr_assert_eq(people_count(&r), 0);
    nl_matrix_free(r.m);
    nl_framework_free(fw);
}

#define EXPECT_UNUSABLE(literal, line, column, part)                                               \
    expect_unusable(literal, sizeof(literal) - 1, line, column, part)

Test(unusable, missing_id_column)
{
    EXPECT_UNUSABLE("Name,Level,Coding\nA,L1,3\n", 1, 0,
                    "no 'Employee ID' column in the header (the template's [columns] id = "
                    "Employee ID)");
}

Test(unusable, missing_level_column)
{
    EXPECT_UNUSABLE("\xEF\xBB\xBF"
                    "Employee ID;Coding\r\nE1;3\r\n",
                    1, 0, "no 'level' column");
}

Test(unusable, the_header_is_line_one_even_after_blank_lines)
{
    EXPECT_UNUSABLE("\n\nName,Coding\nA,3\n", 3, 0, "no 'Employee ID' column");
}

Test(unusable, empty_files)
{
    EXPECT_UNUSABLE("", 0, 0, "the file is empty: a header row is needed");
    EXPECT_UNUSABLE("\xEF\xBB\xBF", 0, 0, "the file is empty");
    EXPECT_UNUSABLE("\r\n\n", 0, 0, "the file is empty");
}

Test(unusable, two_columns_for_one_thing)
{
    EXPECT_UNUSABLE("Employee ID,Level,Coding,coding\n", 1, 4,
                    "column 'coding' means the same as column 3 ('Coding'): remove one");
    EXPECT_UNUSABLE("Employee ID,Level,system_design,System Design\n", 1, 4,
                    "means the same as column 3");
    EXPECT_UNUSABLE("Employee ID,employee_id,Level\n", 1, 2, "means the same as column 1");
    EXPECT_UNUSABLE("Employee ID,Level,Visibility,VISIBILITY\n", 1, 4,
                    "means the same as column 3");
}

Test(unusable, header_that_is_not_utf8_text)
{
    /* 0x81 is no character in Windows-1252, which a file that is not UTF-8 is read as. */
    EXPECT_UNUSABLE("Employee ID,Level,Cod\x81ing\nE1,L1,3\n", 1, 3,
                    "the header holds a character that is not Windows-1252 (code 0x81)");
    EXPECT_UNUSABLE("Employee ID,Lev\0el\nE1,L1\n", 1, 2, "the header holds a NUL byte");
}

Test(encodings, windows_1252_utf16_and_unused_columns_at_every_chunking)
{
    nl_framework *fw = load_template(W_TEMPLATE);
    /* Windows-1252: read whole from the first byte that is not UTF-8. */
    result r = read_every_chunking(
        fw, &INPUT("ansi.csv", "Employee ID,Name,Level,Notes\nE1,Anna M\xFCller,L1,x\n"), 1, 0);
    cr_assert_eq(r.status[0], NL_OK);
    cr_assert_str_eq(person(&r, "E1")->name, "Anna M\xC3\xBCller");
    cr_assert(summary(&r, 0)->encoding.fallback);
    cr_assert_str_eq(summary(&r, 0)->encoding.sample, "Anna M\xC3\xBCller");
    nl_matrix_free(r.m);
    /* UTF-16LE with a BOM, tab-delimited, CRLF ("Unicode Text" of Excel). */
    static const char utf16[] =
        "\xFF\xFE"
        "E\0m\0p\0l\0o\0y\0e\0e\0 \0I\0D\0\t\0L\0e\0v\0e\0l\0\t\0"
        "N\0a\0m\0e\0\r\0\n\0E\0\x31\0\t\0L\0\x31\0\t\0Z\0o\0\xEB\0\r\0\n\0";
    r = read_every_chunking(fw, &(input){"u.txt", utf16, sizeof utf16 - 1}, 1, 0);
    cr_assert_eq(r.status[0], NL_OK, "%s", r.err[0].message);
    cr_assert_str_eq(person(&r, "E1")->name, "Zo\xC3\xAB");
    cr_assert_str_eq(summary(&r, 0)->encoding.name, "UTF-16LE");
    cr_assert(summary(&r, 0)->encoding.bom);
    nl_matrix_free(r.m);
    /* Bytes no encoding defines, and a NUL, in a column the template does not use: the row
     * stays; in the name column, the row is rejected at its line and column. */
    r = read_every_chunking(fw,
                            &INPUT("odd.csv", "Employee ID,Name,Level,Notes\n"
                                              "E1,Jos\xE9,L1,a\x81"
                                              "b\n"
                                              "E2,B\x8D,L1,\n"
                                              "E3,C,L1,nul\0here\n"),
                            1, 0);
    cr_assert_eq(r.status[0], NL_OK);
    expect_rejection_count(&r, 1);
    expect_rejection(&r, 0, 0, 3, 2, "E2: the cell holds a character that is not Windows-1252");
    cr_assert_eq(people_count(&r), 2);
    cr_assert_eq(summary(&r, 0)->encoding.undefined, 2);
    nl_matrix_free(r.m);
    nl_framework_free(fw);
}

Test(unusable, header_with_bad_quoting)
{
    EXPECT_UNUSABLE("Employee ID,Le\"vel\nE1,L1\n", 1, 2, "the header cannot be read");
}

Test(unusable, a_file_that_does_not_exist)
{
    nl_framework *fw = load_template(W_TEMPLATE);
    nl_matrix *m = nl_matrix_new(fw);
    nl_error err = {0};
    cr_assert_eq(nl_matrix_read_file(m, "/nonexistent/team.csv", 0, &err), NL_ERR_IO);
    cr_assert_str_eq(err.path, "/nonexistent/team.csv");
    cr_assert(nl_test_contains(err.message, "No such file"), "%s", err.message);
    size_t n;
    const nl_file_summary *files = nl_matrix_files(m, &n);
    cr_assert_eq(n, 1);
    cr_assert(files[0].unusable);
    nl_matrix_free(m);
    nl_framework_free(fw);
}

Test(unusable, an_unusable_file_does_not_stop_the_next)
{
    nl_framework *fw = load_template(W_TEMPLATE);
    static const char bad[] = "Name\nA\n", good[] = "Employee ID,Level\nE1,L2\n";
    input files[] = {{"bad.csv", bad, sizeof bad - 1}, {"good.csv", good, sizeof good - 1}};
    result r = read_every_chunking(fw, files, 2, 0);
    cr_assert_eq(r.status[0], NL_ERR_INPUT);
    cr_assert_eq(r.status[1], NL_OK);
    cr_assert_eq(people_count(&r), 1);
    cr_assert_eq(person(&r, "E1")->file, 1);
    nl_matrix_free(r.m);
    nl_framework_free(fw);
}

/* ---- several files ---- */

Test(files, duplicate_ids_across_files_name_both_places)
{
    nl_framework *fw = load_template(W_TEMPLATE);
    static const char a[] = "Employee ID,Level,Coding\nE1,L1,3\nE2,L1,4\n";
    static const char b[] = "Employee ID;Level;Coding\r\nE3;L2;2,5\r\nE1;L2;5\r\n";
    input files[] = {{"a.csv", a, sizeof a - 1}, {"b.csv", b, sizeof b - 1}};
    result r = read_every_chunking(fw, files, 2, 0);
    cr_assert_eq(r.status[0], NL_OK);
    cr_assert_eq(r.status[1], NL_OK);
    expect_rejection_count(&r, 1);
    expect_rejection(&r, 0, 1, 3, 1, "E1: the same id is already on line 2 of a.csv");
    cr_assert_eq(people_count(&r), 3);
    cr_assert_eq(person(&r, "E1")->file, 0);
    cr_assert_eq(person(&r, "E1")->scores[CODING], 3);
    cr_assert_eq(person(&r, "E3")->file, 1);
    cr_assert_eq(person(&r, "E3")->scores[CODING], 2.5);
    cr_assert_eq(summary(&r, 0)->rows_rejected, 0);
    cr_assert_eq(summary(&r, 1)->rows_rejected, 1);
    cr_assert_eq(summary(&r, 1)->people_accepted, 1);
    nl_matrix_free(r.m);
    nl_framework_free(fw);
}

Test(files, skills_found_per_file)
{
    nl_framework *fw = load_template(W_TEMPLATE);
    result r = read_one(fw, INPUT("part.csv", "Employee ID,Level,Talking to people\nE1,L1,3\n"));
    const nl_file_summary *f = summary(&r, 0);
    cr_assert_not(f->skill_found[CODING]);
    cr_assert_not(f->skill_found[DESIGN]);
    cr_assert(f->skill_found[TALKING]);
    cr_assert(isnan(person(&r, "E1")->scores[CODING]));
    nl_matrix_free(r.m);
    nl_framework_free(fw);
}

/* ---- long format ---- */

Test(long_format, needs_both_skill_and_score_columns)
{
    nl_framework *fw = load_template(W_TEMPLATE);
    result r = read_one(fw, INPUT("half.csv", "Employee ID,Level,Skill,Coding\nE1,L1,coding,4\n"));
    cr_assert_eq(r.status[0], NL_OK);
    cr_assert_not(summary(&r, 0)->long_format, "a skill column alone is not the long format");
    cr_assert_eq(person(&r, "E1")->scores[CODING], 4);
    nl_matrix_free(r.m);
    nl_framework_free(fw);
}

static nl_framework *long_template(const char *aggregate_lines)
{
    size_t cap = strlen(W_TEMPLATE) + strlen(aggregate_lines) + 1;
    char *text = malloc(cap);
    snprintf(text, cap, "%s%s%s", W_FRAMEWORK, aggregate_lines, W_REST);
    nl_framework *fw = load_template(text);
    free(text);
    return fw;
}

#define L_HEADER "Employee ID,Level,Skill,Score,Assessor,Visibility\n"

Test(long_format, mean_and_not_assessed)
{
    nl_framework *fw = long_template("aggregate = mean\n");
    result r = read_one(fw, INPUT("long.csv", L_HEADER "E1,L1,coding,3,self,2\n"
                                                       "E1,L1,coding,4,peer,\n"
                                                       "E1,Junior,Coding,5,manager,4\n"
                                                       "E1,L1,talking,Proficient,self,\n"
                                                       "E1,,system_design,,manager,\n"
                                                       "E2,L2,System design,2,self,\n"));
    cr_assert_eq(r.status[0], NL_OK, "%s", r.err[0].message);
    expect_rejection_count(&r, 0);
    cr_assert_eq(people_count(&r), 2);
    const nl_person *e1 = person(&r, "E1");
    cr_assert_float_eq(e1->scores[CODING], 4.0, 1e-12);
    cr_assert_eq(nl_person_raters(e1, CODING), 3);
    cr_assert_eq(e1->scores[TALKING], 3);
    cr_assert_eq(nl_person_raters(e1, TALKING), 1);
    cr_assert(isnan(e1->scores[DESIGN]), "an empty score is not assessed, not zero");
    cr_assert_eq(nl_person_raters(e1, DESIGN), 0);
    cr_assert_eq(e1->attributes[0], 2, "the first value given for an attribute counts");
    cr_assert_eq(e1->line, 2);
    cr_assert_eq(e1->level, 0);
    const nl_person *e2 = person(&r, "E2");
    cr_assert_eq(e2->scores[DESIGN], 2);
    cr_assert_eq(e2->line, 7);
    const nl_file_summary *f = summary(&r, 0);
    cr_assert(f->long_format);
    cr_assert_eq(f->rows_read, 6);
    cr_assert_eq(f->people_accepted, 2);
    cr_assert(f->skill_found[DESIGN] && f->skill_found[CODING] && f->skill_found[TALKING]);
    cr_assert_eq(f->assessed[CODING], 1);
    cr_assert_eq(f->assessed[DESIGN], 1);
    nl_matrix_free(r.m);
    nl_framework_free(fw);
}

Test(long_format, median_of_odd_and_even_counts)
{
    nl_framework *fw = long_template("aggregate = median\n");
    result r = read_one(fw, INPUT("median.csv", L_HEADER "E1,L1,coding,1,a,\n"
                                                         "E1,L1,coding,5,b,\n"
                                                         "E1,L1,coding,4,c,\n"
                                                         "E1,L1,talking,5,a,\n"
                                                         "E1,L1,talking,1,b,\n"
                                                         "E1,L1,talking,4,c,\n"
                                                         "E1,L1,talking,2,d,\n"
                                                         "E1,L1,system_design,2,d,\n"));
    const nl_person *e1 = person(&r, "E1");
    cr_assert_eq(e1->scores[CODING], 4, "median of 1 5 4");
    cr_assert_eq(nl_person_raters(e1, CODING), 3);
    cr_assert_eq(e1->scores[TALKING], 3, "median of 5 1 4 2: (2 + 4) / 2");
    cr_assert_eq(nl_person_raters(e1, TALKING), 4);
    cr_assert_eq(e1->scores[DESIGN], 2);
    nl_matrix_free(r.m);
    nl_framework_free(fw);
}

Test(long_format, min)
{
    nl_framework *fw = long_template("aggregate = min\n");
    result r = read_one(fw, INPUT("min.csv", L_HEADER "E1,L1,coding,4,a,\n"
                                                      "E1,L1,coding,2,b,\n"
                                                      "E1,L1,coding,3,c,\n"
                                                      "E1,L1,talking,4.5,a,\n"));
    cr_assert_eq(person(&r, "E1")->scores[CODING], 2);
    cr_assert_eq(nl_person_raters(person(&r, "E1"), CODING), 3);
    cr_assert_eq(person(&r, "E1")->scores[TALKING], 4.5);
    nl_matrix_free(r.m);
    nl_framework_free(fw);
}

Test(long_format, role_weights_average_within_roles_then_renormalise)
{
    nl_framework *fw =
        long_template("aggregate = roles\nrole_weights = manager:0.5, peer:0.3, self:0.2\n");
    result r = read_one(fw, INPUT("roles.csv", L_HEADER "E1,L1,coding,5,manager,\n"
                                                        "E1,L1,coding,3,peer,\n"
                                                        "E1,L1,coding,4,peer,\n"
                                                        "E1,L1,coding,5,self,\n"
                                                        "E2,L1,coding,5,Manager,\n"
                                                        "E2,L1,coding,3,PEER,\n"
                                                        "E2,L1,coding,4,peer,\n"
                                                        "E3,L1,coding,2,self,\n"
                                                        "E3,L1,talking,4,coach,\n"
                                                        "E3,L1,talking,4,,\n"));
    /* (0.5 * 5 + 0.3 * (3 + 4) / 2 + 0.2 * 5) / 1.0 */
    cr_assert_float_eq(person(&r, "E1")->scores[CODING], 4.55, 1e-9);
    cr_assert_eq(nl_person_raters(person(&r, "E1"), CODING), 4);
    /* No self score: (0.5 * 5 + 0.3 * 3.5) / 0.8 */
    cr_assert_float_eq(person(&r, "E2")->scores[CODING], 4.4375, 1e-9);
    cr_assert_eq(nl_person_raters(person(&r, "E2"), CODING), 3);
    cr_assert_float_eq(person(&r, "E3")->scores[CODING], 2, 1e-12, "one role alone");
    cr_assert(isnan(person(&r, "E3")->scores[TALKING]));
    expect_rejection_count(&r, 2);
    expect_rejection(&r, 0, 0, 10, 5,
                     "E3: assessor role 'coach' has no weight in the "
                     "template's role_weights");
    expect_rejection(&r, 1, 0, 11, 5, "assessor role '' has no weight");
    nl_matrix_free(r.m);
    nl_framework_free(fw);
}

Test(long_format, bad_rows_are_rejected_and_the_person_kept)
{
    nl_framework *fw = long_template("aggregate = mean\n");
    result r = read_one(fw, INPUT("bad-long.csv", L_HEADER "E1,L1,coding,3,self,\n"  /* 2 */
                                                           "E1,L1,cooking,3,self,\n" /* 3 */
                                                           "E1,L2,coding,5,peer,\n"  /* 4 */
                                                           "E1,L1,coding,lots,peer,\n"
                                                           "E1,L1,coding,6,peer,\n" /* 6 */
                                                           ",L1,coding,3,self,\n"   /* 7 */
                                                           "E2,L7,coding,3,self,\n" /* 8 */
                                                           "E1,L1,talking,2,peer,many\n"
                                                           "E1,Junior,coding,4,peer,\n"));
    cr_assert_eq(r.status[0], NL_OK);
    expect_rejection_count(&r, 7);
    expect_rejection(&r, 0, 0, 3, 3, "E1: 'cooking' is not one of the template's skills");
    expect_rejection(&r, 1, 0, 4, 2, "E1: level 'L2' differs from level L1 given on line 2");
    expect_rejection(&r, 2, 0, 5, 4, "E1: 'lots' for Coding is neither a score");
    expect_rejection(&r, 3, 0, 6, 4, "E1: '6' for Coding");
    expect_rejection(&r, 4, 0, 7, 1, "the Employee ID cell is empty");
    expect_rejection(&r, 5, 0, 8, 2, "E2: level 'L7' is not one of the template's levels");
    expect_rejection(&r, 6, 0, 9, 6, "E1: Visibility 'many' is not a number");
    cr_assert_eq(people_count(&r), 1);
    const nl_person *e1 = person(&r, "E1");
    cr_assert_float_eq(e1->scores[CODING], 3.5, 1e-12, "only the accepted rows: 3 and 4");
    cr_assert_eq(nl_person_raters(e1, CODING), 2);
    cr_assert(isnan(e1->scores[TALKING]), "the rejected row adds no score");
    cr_assert_eq(summary(&r, 0)->rows_read, 9);
    cr_assert_eq(summary(&r, 0)->rows_rejected, 7);
    nl_matrix_free(r.m);
    nl_framework_free(fw);
}

Test(long_format, decimal_comma_and_labels)
{
    nl_framework *fw = long_template("aggregate = mean\n");
    result r = read_one(fw, INPUT("eu-long.csv", "employee id;LEVEL;skill;SCORE;assessor\r\n"
                                                 "E1;L1;Coding;3,5;self\r\n"
                                                 "E1;L1;Coding;expert;peer\r\n"));
    cr_assert_eq(r.status[0], NL_OK, "%s", r.err[0].message);
    cr_assert_float_eq(person(&r, "E1")->scores[CODING], 4.25, 1e-12);
    nl_matrix_free(r.m);
    nl_framework_free(fw);
}

Test(long_format, duplicates_against_an_earlier_file)
{
    nl_framework *fw = long_template("aggregate = mean\n");
    static const char wide[] = "Employee ID,Level,Coding\nE1,L1,3\n";
    static const char lng[] = L_HEADER "E2,L1,coding,3,self,\n"
                                       "E1,L1,coding,4,self,\n"
                                       "E1,L1,coding,5,peer,\n";
    input files[] = {{"wide.csv", wide, sizeof wide - 1}, {"long.csv", lng, sizeof lng - 1}};
    result r = read_every_chunking(fw, files, 2, 0);
    /* Each long row of the person given whole by the wide file is rejected: every row is
     * used or listed. */
    expect_rejection_count(&r, 2);
    expect_rejection(&r, 0, 1, 3, 1,
                     "E1: the same id is already on line 2 of wide.csv, a file with one row per "
                     "person: remove one of the two");
    expect_rejection(&r, 1, 1, 4, 1,
                     "E1: the same id is already on line 2 of wide.csv, a file with one row per "
                     "person: remove one of the two");
    cr_assert_eq(summary(&r, 1)->rows_used, 1);
    cr_assert_eq(people_count(&r), 2);
    cr_assert_eq(person(&r, "E1")->scores[CODING], 3);
    cr_assert_eq(person(&r, "E2")->file, 1);
    nl_matrix_free(r.m);
    nl_framework_free(fw);
}

/* Ratings split into one file per assessor role combine per person; the same person, skill and
 * role in two files is a conflict unless both rows have a date and the dates differ. */
Test(long_format, files_combine_per_role_and_date)
{
    nl_framework *fw =
        long_template("aggregate = roles\nrole_weights = manager:0.5, peer:0.3, self:0.2\n");
    static const char a[] = "Employee ID,Level,Skill,Score,Assessor,Date\n"
                            "E1,L1,coding,5,manager,2025-01-01\n"
                            "E1,L1,coding,3,peer,2025-01-02\n";
    static const char b[] = "Employee ID,Level,Skill,Score,Assessor,Date\n"
                            "E1,L1,coding,4,peer,2025-02-01\n"
                            "E1,L1,coding,2,Manager,2025-01-01\n"
                            "E1,L1,talking,4,self,\n"
                            "E1,L2,talking,4,self,\n";
    static const char c[] = "Employee ID,Level,Skill,Score,Assessor\nE1,L1,coding,1,peer\n";
    input files[] = {
        {"a.csv", a, sizeof a - 1}, {"b.csv", b, sizeof b - 1}, {"c.csv", c, sizeof c - 1}};
    result r = read_every_chunking(fw, files, 3, 0);
    expect_rejection_count(&r, 3);
    expect_rejection(&r, 0, 1, 3, 3,
                     "E1: the Manager rating of Coding dated 2025-01-01 was already read from "
                     "a.csv:2");
    expect_rejection(&r, 1, 1, 5, 2, "E1: level 'L2' differs from level L1 given on a.csv:2");
    expect_rejection(&r, 2, 2, 2, 3, "E1: the peer rating of Coding was already read from a.csv:3");
    cr_assert_eq(people_count(&r), 1);
    const nl_person *e1 = person(&r, "E1");
    /* (0.5 * 5 + 0.3 * (3 + 4) / 2) / 0.8: the peers of two dates, no self rating of coding */
    cr_assert_float_eq(e1->scores[CODING], 4.4375, 1e-12);
    cr_assert_eq(nl_person_raters(e1, CODING), 3);
    cr_assert_eq(e1->scores[TALKING], 4);
    cr_assert_eq(e1->file, 0);
    long expect_used[] = {2, 2, 0}, expect_continued[] = {0, 1, 0}; /* c.csv: rejected only */
    for (size_t f = 0; f < 3; f++) {
        const nl_file_summary *s = summary(&r, f);
        cr_assert_eq(s->rows_read, s->rows_used + s->rows_rejected, "file %zu", f);
        cr_assert_eq(s->rows_used, expect_used[f], "file %zu", f);
        cr_assert_eq(s->people_continued, expect_continued[f], "file %zu", f);
    }
    cr_assert_eq(summary(&r, 0)->people_accepted, 1);
    cr_assert_eq(summary(&r, 1)->assessed[CODING], 1);
    cr_assert_eq(summary(&r, 1)->assessed[TALKING], 1);
    nl_matrix_free(r.m);
    nl_framework_free(fw);
}

/* ---- the samples ---- */

static input sample(const char *name)
{
    char rel[256];
    snprintf(rel, sizeof rel, "samples/%s", name);
    size_t len;
    char *data = nl_test_read_file(nl_test_path(rel), &len);
    cr_assert_not_null(data, "cannot read %s", rel);
    return (input){name, data, len};
}

static nl_framework *ic_template(void)
{
    nl_framework *fw = NULL;
    nl_error err = {0};
    cr_assert_eq(nl_framework_load(nl_test_path("templates/engineering-ic.ini"), &fw, &err), NL_OK);
    return fw;
}

static size_t skill(const nl_framework *fw, const char *id)
{
    size_t index;
    cr_assert(nl_framework_find_skill(fw, id, &index), "no skill %s", id);
    return index;
}

Test(samples, messy_export_at_every_chunk_size)
{
    nl_framework *fw = ic_template();
    input file = sample("messy-export.csv");
    result r = read_every_chunking(fw, &file, 1, 0);
    cr_assert_eq(r.status[0], NL_OK, "%s", r.err[0].message);
    expect_rejection_count(&r, 6);
    expect_rejection(&r, 0, 0, 7, 10, "E1405: 'Excellent' for Operations and reliability");
    expect_rejection(&r, 1, 0, 9, 8, "E1407: '7' for System design");
    expect_rejection(&r, 2, 0, 10, 5, "E1408: level 'L9'");
    expect_rejection(&r, 3, 0, 12, 13, "the row has 12 cells but the header has 21");
    expect_rejection(&r, 4, 0, 13, 1,
                     "E1403: the same id is already on line 5 of messy-export.csv");
    expect_rejection(&r, 5, 0, 14, 1, "the Employee ID cell is empty");
    cr_assert_eq(people_count(&r), 8);
    const nl_file_summary *f = summary(&r, 0);
    cr_assert_eq(f->delimiter, ';');
    cr_assert_eq(f->rows_read, 14);
    cr_assert_eq(f->people_accepted, 8);
    cr_assert_eq(f->unknown_count, 0);

    const nl_person *marta = person(&r, "E1401");
    cr_assert_eq(marta->scores[skill(fw, "system_design")], 3.5);
    cr_assert_eq(marta->scores[skill(fw, "conflict_resolution")], 4, "label Advanced");
    cr_assert_str_eq(marta->name, "Marta Kowalska");
    cr_assert_str_eq(person(&r, "E1402")->name, "Ana\nMaria Costa");
    cr_assert_eq(person(&r, "E1402")->line, 3);
    cr_assert_str_eq(person(&r, "E1403")->name, "Moreau; Julien");
    const nl_person *shiv = person(&r, "E1404");
    cr_assert_str_eq(shiv->name, "Siobh\xC3\xA1n \"Shiv\" O'Neill");
    cr_assert_str_eq(shiv->team, "Data");
    cr_assert_str_eq(fw->levels[shiv->level].id, "L1");
    cr_assert_eq(shiv->attributes[0], 3);
    const nl_person *yasmin = person(&r, "E1406");
    cr_assert_str_eq(fw->levels[yasmin->level].id, "L3", "level given by its title");
    cr_assert_eq(yasmin->scores[skill(fw, "communication")], 3, "'Proficient   '");
    cr_assert_eq(person(&r, "E1412")->line, 16);
    nl_matrix_free(r.m);
    free((char *)file.data);
    nl_framework_free(fw);
}

Test(samples, design_systems_long_file_with_role_weights)
{
    nl_framework *fw = ic_template();
    input file = sample("design-systems-long.csv");
    result r = read_inputs(fw, &file, 1, 0, 0);
    cr_assert_eq(r.status[0], NL_OK, "%s", r.err[0].message);
    expect_rejection_count(&r, 0);
    cr_assert_eq(people_count(&r), 5);
    const nl_file_summary *f = summary(&r, 0);
    cr_assert(f->long_format);
    cr_assert_eq(f->rows_read, 208);
    size_t coding = skill(fw, "coding");
    /* Ingrid: self 4, peer 4, manager 4.5 */
    cr_assert_float_eq(person(&r, "E1301")->scores[coding], 0.5 * 4.5 + 0.3 * 4 + 0.2 * 4, 1e-9);
    cr_assert_eq(nl_person_raters(person(&r, "E1301"), coding), 3);
    /* Leila: self 5, two peers 4.5, manager 4 */
    cr_assert_float_eq(person(&r, "E1305")->scores[coding], 0.5 * 4 + 0.3 * 4.5 + 0.2 * 5, 1e-9);
    cr_assert_eq(nl_person_raters(person(&r, "E1305"), coding), 4);
    cr_assert_eq(person(&r, "E1305")->attributes[0], 3);
    for (size_t s = 0; s < fw->skill_count; s++)
        cr_assert_eq(f->assessed[s], 5, "%s assessed for %ld people", fw->skills[s].id,
                     f->assessed[s]);
    nl_matrix_free(r.m);
    free((char *)file.data);
    nl_framework_free(fw);
}

Test(samples, all_team_files_together)
{
    nl_framework *fw = ic_template();
    nl_matrix *m = nl_matrix_new(fw);
    static const char *const names[] = {"platform.csv", "payments.csv", "mobile.csv",
                                        "design-systems-long.csv"};
    nl_error err = {0};
    for (size_t i = 0; i < 4; i++) {
        char rel[128];
        snprintf(rel, sizeof rel, "samples/%s", names[i]);
        cr_assert_eq(nl_matrix_read_file(m, nl_test_path(rel), 0, &err), NL_OK, "%s: %s", names[i],
                     err.message);
    }
    size_t people, rejected;
    nl_matrix_people(m, &people);
    nl_matrix_rejections(m, &rejected);
    cr_assert_eq(people, 11 + 10 + 9 + 5);
    cr_assert_eq(rejected, 0);
    size_t n;
    const nl_file_summary *files = nl_matrix_files(m, &n);
    cr_assert_eq(n, 4);
    for (size_t i = 0; i < 4; i++) {
        for (size_t s = 0; s < fw->skill_count; s++)
            cr_assert(files[i].skill_found[s], "%s lacks %s", names[i], fw->skills[s].id);
        cr_assert_eq(files[i].unknown_count, 0, "%s: unknown column %s", names[i],
                     files[i].unknown_count ? files[i].unknown_columns[0] : "");
    }
    nl_matrix_free(m);
    nl_framework_free(fw);
}

/* ---- running out of descriptors ---- */

/* A file that cannot be opened for want of descriptors is not an unusable file: the status
 * says the system ran out (exit 4), and the message says of what. */
Test(resources, out_of_file_descriptors_is_not_an_unusable_input)
{
    nl_framework *fw = load_template(W_TEMPLATE);
    nl_matrix *m = nl_matrix_new(fw);
    cr_assert_not_null(m);
    int probe = dup(0);
    cr_assert_geq(probe, 0);
    close(probe);
    struct rlimit limit;
    cr_assert_eq(getrlimit(RLIMIT_NOFILE, &limit), 0);
    limit.rlim_cur = (rlim_t)probe; /* the next open fails with EMFILE */
    cr_assert_eq(setrlimit(RLIMIT_NOFILE, &limit), 0);
    nl_error err = {0};
    nl_status status = nl_matrix_read_file(m, nl_test_path("samples/platform.csv"), 0, &err);
    cr_assert_eq(status, NL_ERR_RESOURCE, "%s", err.message);
    cr_assert(nl_test_contains(err.message, "Too many open files"), "%s", err.message);
    cr_assert_eq(nl_status_exit_code(status), 4);
    nl_matrix_free(m);
    nl_framework_free(fw);
}
