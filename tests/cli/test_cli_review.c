/* `nextlevel evaluate` for the review meeting: --calibrate end to end (CSV columns, the JSON
 * "calibration" object, the Calibration sheet and the "Calibrated outcome" column of the
 * workbook) and the Fairness sheet of a template with a [fairness] group column, whose values
 * must appear nowhere else. The workbooks are read with openpyxl (/usr/bin/python3) and, for
 * the search of every part, unzipped.
 *
 * Data: tests/cases/review/. The calibration organisation and its statistics are worked out in
 * tests/unit/test_calibration.c; in short, with the default settings:
 *   Lena Moss: 5 rated, mean gap 1, offset 0.875, z 2.218 -> lenient, adjustment
 *              0.875 * 5 / 10 = 0.4375 -> 0.5 (rounded to the step 0.5)
 *   Eve Stone: 4 rated, mean gap -0.875, offset -1, z -2.267 -> severe, adjustment
 *              -1 * 4 / 9 = -0.444 -> -0.5
 *   Cruz Bell (7 people, 6 rated) and Diaz Ford (5): typical, adjustments -0.023 and -0.0125,
 *              both -> 0.
 * Ready now for L2 needs a >= 4 and b >= 4; readiness R = 100 * (min(a/4,1) + min(b/4,1)) / 2.
 */
#include "test_support.h"

#include <criterion/criterion.h>
#include <jansson.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define RUN(...)      nl_test_run((const char *[]){__VA_ARGS__, NULL})
#define CAL_TEMPLATE  "tests/cases/review/calibration.ini"
#define CAL_MATRIX    "tests/cases/review/calibration-org.csv"
#define FAIR_TEMPLATE "tests/cases/review/fairness.ini"
#define FAIR_MATRIX   "tests/cases/review/fairness-org.csv"

/* The Location values of fairness-org.csv. */
static const char *const locations[] = {"Lisbon", "Nairobi", "Osaka", "Quito", "Tromso"};
#define LOCATION_COUNT (sizeof locations / sizeof *locations)

/* ---- files and folders ---- */

/* ---- tables: CSV files and sheets dumped by openpyxl ---- */

typedef struct row {
    char **cells;
    size_t count;
} row;

typedef struct table {
    row *rows;
    size_t count;
} table;

static void push_cell(row *r, const char *text, size_t len)
{
    r->cells = realloc(r->cells, (r->count + 1) * sizeof *r->cells);
    r->cells[r->count] = malloc(len + 1);
    memcpy(r->cells[r->count], text, len);
    r->cells[r->count++][len] = '\0';
}

/* Splits text into rows and cells: delimiter between cells, line ends between rows; with quoted,
 * RFC 4180 quoting (delimiters, doubled quotes and line ends inside quotes). */
static table parse_table(const char *text, char delimiter, bool quoted)
{
    table t = {0};
    size_t len = strlen(text), cap = len + 1, n = 0;
    char *cell = malloc(cap);
    row current = {0};
    bool in_quotes = false, any = false;
    for (size_t i = 0; i < len; i++) {
        char ch = text[i];
        if (in_quotes) {
            if (ch == '"' && text[i + 1] == '"')
                cell[n++] = text[++i];
            else if (ch == '"')
                in_quotes = false;
            else
                cell[n++] = ch;
        } else if (quoted && ch == '"') {
            in_quotes = any = true;
        } else if (ch == delimiter) {
            push_cell(&current, cell, n);
            n = 0;
            any = true;
        } else if (ch == '\n' || ch == '\r') {
            if (ch == '\r' && text[i + 1] == '\n')
                i++;
            push_cell(&current, cell, n);
            t.rows = realloc(t.rows, (t.count + 1) * sizeof *t.rows);
            t.rows[t.count++] = current;
            current = (row){0};
            n = 0;
            any = false;
        } else {
            cell[n++] = ch;
            any = true;
        }
    }
    if (any || n > 0) {
        push_cell(&current, cell, n);
        t.rows = realloc(t.rows, (t.count + 1) * sizeof *t.rows);
        t.rows[t.count++] = current;
    }
    free(cell);
    return t;
}

static void free_table(table *t)
{
    for (size_t r = 0; r < t->count; r++) {
        for (size_t c = 0; c < t->rows[r].count; c++)
            free(t->rows[r].cells[c]);
        free(t->rows[r].cells);
    }
    free(t->rows);
    memset(t, 0, sizeof *t);
}

static table read_csv(const char *path)
{
    char *text = nl_test_read_all(path, NULL);
    table t = parse_table(text, ',', true);
    free(text);
    return t;
}

/* The cell, or "" past the end of the row. */
static const char *cell(const row *r, size_t column)
{
    return column < r->count ? r->cells[column] : "";
}

/* The cell of row r, or "" past the end of the table or the row. */
static const char *cell_at(const table *t, size_t r, size_t column)
{
    return r < t->count ? cell(&t->rows[r], column) : "";
}

/* The column of row header_row whose cell is name; SIZE_MAX when there is none. */
static size_t find_column(const table *t, size_t header_row, const char *name)
{
    for (size_t c = 0; header_row < t->count && c < t->rows[header_row].count; c++) {
        if (strcmp(t->rows[header_row].cells[c], name) == 0)
            return c;
    }
    return SIZE_MAX;
}

static size_t column(const table *t, size_t header_row, const char *name)
{
    size_t c = find_column(t, header_row, name);
    cr_assert_neq(c, SIZE_MAX, "no column '%s'", name);
    return c;
}

/* The first row at or after from whose first cell is value; SIZE_MAX when there is none. */
static size_t find_row(const table *t, size_t from, size_t col, const char *value)
{
    for (size_t r = from; r < t->count; r++) {
        if (strcmp(cell(&t->rows[r], col), value) == 0)
            return r;
    }
    return SIZE_MAX;
}

static const row *row_of(const table *t, size_t col, const char *value)
{
    size_t r = find_row(t, 1, col, value);
    cr_assert_neq(r, SIZE_MAX, "no row '%s'", value);
    return &t->rows[r];
}

/* Asserts a numeric cell (NAN: the cell must be empty). */
static void expect_number(const char *text, double want, const char *what)
{
    if (isnan(want)) {
        cr_assert_str_empty(text, "%s: '%s', expected empty", what, text);
        return;
    }
    char *end;
    double got = strtod(text, &end);
    cr_assert(*text && *end == '\0', "%s: '%s' is no number", what, text);
    cr_assert_float_eq(got, want, 1e-6, "%s: %s, expected %g", what, text, want);
}

/* The sheets of a workbook as openpyxl reads them: one table per named sheet (empty when the
 * workbook has no such sheet). */
static const char dump_script[] = "import sys, openpyxl\n"
                                  "wb = openpyxl.load_workbook(sys.argv[1])\n"
                                  "def text(v):\n"
                                  "    if v is None: return ''\n"
                                  "    if isinstance(v, float): return '%.10g' % v\n"
                                  "    return str(v).replace('\\t', ' ').replace('\\n', ' ')\n"
                                  "for name in sys.argv[2:]:\n"
                                  "    print('== ' + name)\n"
                                  "    if name in wb.sheetnames:\n"
                                  "        for r in wb[name].iter_rows(values_only=True):\n"
                                  "            print('\\t'.join(text(v) for v in r))\n";

/* Reads sheets[0..count) of xlsx with openpyxl into tables[]. */
static void read_sheets(const char *xlsx, const char *const *sheets, table *tables, size_t count)
{
    char *script = nl_test_write_temp(".py", dump_script, sizeof dump_script - 1);
    char command[4096];
    int n = snprintf(command, sizeof command, "/usr/bin/python3 '%s' '%s'", script, xlsx);
    for (size_t i = 0; i < count; i++)
        n += snprintf(command + n, sizeof command - (size_t)n, " '%s'", sheets[i]);
    char *out = nl_test_capture(command);
    nl_test_remove(script);
    for (size_t i = 0; i < count; i++) {
        char marker[160];
        snprintf(marker, sizeof marker, "== %s\n", sheets[i]);
        char *start = strstr(out, marker);
        cr_assert_not_null(start, "no dump of %s", sheets[i]);
        start += strlen(marker);
        char *end = strstr(start, "\n== ");
        char saved = 0;
        if (end) {
            saved = end[1];
            end[1] = '\0';
        }
        tables[i] = parse_table(start, '\t', false);
        if (end)
            end[1] = saved;
    }
    free(out);
}

/* ---- xlsx parts ---- */

/* The sheets of an unzipped workbook in order: names from xl/workbook.xml, each with its part
 * from xl/_rels/workbook.xml.rels. Returns the count; names[i] and parts[i] are new. */
static size_t sheet_parts(const char *dir, char **names, char **parts, size_t max)
{
    char *workbook = nl_test_xlsx_part(dir, "xl/workbook.xml");
    char *rels = nl_test_xlsx_part(dir, "xl/_rels/workbook.xml.rels");
    size_t count = 0;
    for (const char *s = strstr(workbook, "<sheet "); s && count < max;
         s = strstr(s + 1, "<sheet ")) {
        const char *name = strstr(s, "name=\"") + 6, *rid = strstr(s, "r:id=\"") + 6;
        names[count] = strndup(name, (size_t)(strchr(name, '"') - name));
        char id[64];
        snprintf(id, sizeof id, "Id=\"%.*s\"", (int)(strchr(rid, '"') - rid), rid);
        const char *rel = strstr(rels, id);
        cr_assert_not_null(rel, "no relationship %s", id);
        const char *target = strstr(rel, "Target=\"") + 8;
        char part[256];
        snprintf(part, sizeof part, "xl/%.*s", (int)(strchr(target, '"') - target), target);
        parts[count++] = strdup(part);
    }
    free(workbook);
    free(rels);
    return count;
}

/* The first location value text holds, or NULL. */
static const char *a_location_in(const char *text)
{
    for (size_t k = 0; k < LOCATION_COUNT; k++) {
        if (strstr(text, locations[k]) != NULL)
            return locations[k];
    }
    return NULL;
}

/* Asserts that no part of the workbook but its Fairness sheet holds a location value; returns
 * the Fairness sheet's decoded text (NULL when there is none). */
static char *expect_locations_only_on_fairness(const char *xlsx)
{
    char *dir = nl_test_unzip(xlsx);
    char *names[32], *parts[32], *files[128];
    size_t sheets = sheet_parts(dir, names, parts, 32);
    size_t file_count = nl_test_list_files(dir, files, 128);
    cr_assert_gt(file_count, sheets, "an xlsx has more parts than sheets");
    char *fairness = NULL;
    for (size_t f = 0; f < file_count; f++) {
        char *text = nl_test_xlsx_part(dir, files[f]);
        const char *sheet = NULL;
        for (size_t s = 0; s < sheets; s++) {
            if (strcmp(parts[s], files[f]) == 0)
                sheet = names[s];
        }
        if (sheet != NULL && strcmp(sheet, "Fairness") == 0) {
            fairness = text;
            continue;
        }
        const char *found = a_location_in(text);
        cr_assert_null(found, "%s: '%s' in %s (sheet %s)", xlsx, found, files[f],
                       sheet ? sheet : "none");
        free(text);
    }
    for (size_t s = 0; s < sheets; s++) {
        free(names[s]);
        free(parts[s]);
    }
    for (size_t f = 0; f < file_count; f++)
        free(files[f]);
    nl_test_remove_tree(dir);
    return fairness;
}

/* The workbook's sheet names joined by ", ". */
static char *sheet_list(const char *xlsx)
{
    char *dir = nl_test_unzip(xlsx);
    char *names[32], *parts[32];
    size_t sheets = sheet_parts(dir, names, parts, 32);
    char *list = calloc(1, 1024);
    for (size_t s = 0; s < sheets; s++) {
        strcat(list, s ? ", " : "");
        strcat(list, names[s]);
        free(names[s]);
        free(parts[s]);
    }
    nl_test_remove_tree(dir);
    return list;
}

/* ---- calibration ---- */

typedef struct calibrated {
    const char *id, *outcome;
    double readiness, adjustment;
    const char *calibrated_outcome;
    double calibrated_readiness;
} calibrated;

/* The outcomes with --calibrate, argued by hand (R against L2 as in the header):
 * LM1, LM2 (Lena, 4, 4): Ready now, R 100; calibrated 3.5, 3.5 fail the bar: Developing,
 *   R = 100 * (0.875 + 0.875) / 2 = 87.5: the lenient manager's borderline people.
 * LM3 (4.5, 4.5): calibrated 4, 4: still Ready now, 100.
 * LM4 (1, 5): calibrated 1 (0.5 kept within the scale), 4.5: Developing; R = 100 * (0.25 + 1)
 *   / 2 = 62.5 before and after.
 * ES1 (Eve, 3.5, 3.5): Developing, 87.5; calibrated 4, 4: Ready now, 100: the severe
 *   manager's borderline person.
 * ES2 (5, 1): calibrated 5 (5.5 kept), 1.5: Developing, R = 100 * (1 + 0.375) / 2 = 68.75.
 * CB1 (L2): Top of ladder, no readiness. CB7 (nothing assessed): Not evaluated.
 * DF1 (4, 3), adjustment 0: Developing, R = 100 * (1 + 0.75) / 2 = 87.5 before and after. */
static const calibrated expected_calibration[] = {
    {"LM1", "Ready now", 100, 0.5, "Developing", 87.5},
    {"LM2", "Ready now", 100, 0.5, "Developing", 87.5},
    {"LM3", "Ready now", 100, 0.5, "Ready now", 100},
    {"LM4", "Developing", 62.5, 0.5, "Developing", 62.5},
    {"ES1", "Developing", 87.5, -0.5, "Ready now", 100},
    {"ES2", "Developing", 62.5, -0.5, "Developing", 68.75},
    {"CB1", "Top of ladder", NAN, 0, "Top of ladder", NAN},
    {"CB7", "Not evaluated", NAN, 0, "Not evaluated", NAN},
    {"DF1", "Developing", 87.5, 0, "Developing", 87.5},
};

Test(review_calibration, csv_columns_filled_only_with_calibrate)
{
    char *dir = nl_test_temp_dir();
    char *with = nl_test_path_in(dir, "with.csv"), *without = nl_test_path_in(dir, "without.csv");
    nl_run run =
        RUN("evaluate", "-q", "--template", CAL_TEMPLATE, "--calibrate", "--out", with, CAL_MATRIX);
    cr_assert_eq(run.exit_code, 0, "%s", run.err);
    nl_run_free(&run);
    run = RUN("evaluate", "-q", "--template", CAL_TEMPLATE, "--out", without, CAL_MATRIX);
    cr_assert_eq(run.exit_code, 0, "%s", run.err);
    nl_run_free(&run);

    table t = read_csv(with);
    cr_assert_eq(t.count, 22, "a header and 21 people");
    size_t id = column(&t, 0, "id"), outcome = column(&t, 0, "outcome"),
           readiness = column(&t, 0, "readiness_score"),
           adjustment = column(&t, 0, "calibration_adjustment"),
           cal_outcome = column(&t, 0, "calibrated_outcome"),
           cal_readiness = column(&t, 0, "calibrated_readiness");
    for (size_t k = 0; k < sizeof expected_calibration / sizeof *expected_calibration; k++) {
        const calibrated *e = &expected_calibration[k];
        const row *r = row_of(&t, id, e->id);
        cr_assert_str_eq(cell(r, outcome), e->outcome, "%s", e->id);
        expect_number(cell(r, readiness), e->readiness, e->id);
        expect_number(cell(r, adjustment), e->adjustment, e->id);
        cr_assert_str_eq(cell(r, cal_outcome), e->calibrated_outcome, "%s", e->id);
        expect_number(cell(r, cal_readiness), e->calibrated_readiness, e->id);
    }
    /* Exactly LM1, LM2 and ES1 change outcome; every row has an adjustment and an outcome. */
    size_t changed = 0;
    for (size_t r = 1; r < t.count; r++) {
        cr_assert_str_not_empty(cell_at(&t, r, adjustment));
        cr_assert_str_not_empty(cell_at(&t, r, cal_outcome));
        changed += strcmp(cell_at(&t, r, outcome), cell_at(&t, r, cal_outcome)) != 0;
    }
    cr_assert_eq(changed, 3);
    free_table(&t);

    /* Without --calibrate the three columns are there but empty; the outcomes are the same. */
    t = read_csv(without);
    cr_assert_eq(t.count, 22);
    cr_assert_eq(column(&t, 0, "calibration_adjustment"), adjustment);
    for (size_t r = 1; r < t.count; r++) {
        cr_assert_str_empty(cell_at(&t, r, adjustment), "row %zu", r);
        cr_assert_str_empty(cell_at(&t, r, cal_outcome), "row %zu", r);
        cr_assert_str_empty(cell_at(&t, r, cal_readiness), "row %zu", r);
    }
    cr_assert_str_eq(cell(row_of(&t, id, "LM1"), outcome), "Ready now");
    cr_assert_str_eq(cell(row_of(&t, id, "ES1"), outcome), "Developing");
    free_table(&t);
    free(with);
    free(without);
    nl_test_remove_tree(dir);
}

Test(review_calibration, json_calibration_object_only_with_calibrate)
{
    char *dir = nl_test_temp_dir();
    char *with = nl_test_path_in(dir, "with.json"), *without = nl_test_path_in(dir, "without.json");
    nl_run run =
        RUN("evaluate", "-q", "--template", CAL_TEMPLATE, "--calibrate", "--out", with, CAL_MATRIX);
    cr_assert_eq(run.exit_code, 0, "%s", run.err);
    nl_run_free(&run);
    run = RUN("evaluate", "-q", "--template", CAL_TEMPLATE, "--out", without, CAL_MATRIX);
    cr_assert_eq(run.exit_code, 0, "%s", run.err);
    nl_run_free(&run);
    json_error_t error;
    json_t *root = json_load_file(with, 0, &error);
    cr_assert_not_null(root, "%s:%d: %s", with, error.line, error.text);
    /* Every person has one. */
    size_t i;
    json_t *p;
    json_array_foreach(json_object_get(root, "people"), i, p)
    {
        cr_assert(json_is_object(json_object_get(p, "calibration")), "person %zu", i);
    }
    cr_assert_eq(i, 21);
    for (size_t k = 0; k < sizeof expected_calibration / sizeof *expected_calibration; k++) {
        const calibrated *e = &expected_calibration[k];
        json_t *c = json_object_get(nl_test_json_person(root, e->id), "calibration");
        const char *manager = json_string_value(json_object_get(c, "manager"));
        cr_assert_str_eq(manager, e->id[0] == 'L'   ? "Lena Moss"
                                  : e->id[0] == 'E' ? "Eve Stone"
                                  : e->id[0] == 'C' ? "Cruz Bell"
                                                    : "Diaz Ford");
        cr_assert_float_eq(json_number_value(json_object_get(c, "adjustment")), e->adjustment, 1e-9,
                           "%s", e->id);
        cr_assert_str_eq(json_string_value(json_object_get(c, "outcome")), e->calibrated_outcome,
                         "%s", e->id);
        json_t *score = json_object_get(c, "readiness_score");
        if (isnan(e->calibrated_readiness))
            cr_assert(score == NULL || json_is_null(score), "%s has a readiness", e->id);
        else
            cr_assert_float_eq(json_number_value(score), e->calibrated_readiness, 1e-9, "%s",
                               e->id);
    }
    json_decref(root);
    /* Without --calibrate: nobody has one. */
    root = json_load_file(without, 0, &error);
    cr_assert_not_null(root);
    json_array_foreach(json_object_get(root, "people"), i, p)
    {
        cr_assert_null(json_object_get(p, "calibration"), "person %zu", i);
    }
    cr_assert_eq(i, 21);
    json_decref(root);
    free(with);
    free(without);
    nl_test_remove_tree(dir);
}

Test(review_calibration, workbook_calibration_sheet_and_calibrated_outcome, .timeout = 60)
{
    char *dir = nl_test_temp_dir();
    char *with = nl_test_path_in(dir, "with.xlsx"), *without = nl_test_path_in(dir, "without.xlsx");
    nl_run run = RUN("evaluate", "-q", "--template", CAL_TEMPLATE, "--calibrate", "--date",
                     "2026-01-31", "--out", with, CAL_MATRIX);
    cr_assert_eq(run.exit_code, 0, "%s", run.err);
    nl_run_free(&run);
    run = RUN("evaluate", "-q", "--template", CAL_TEMPLATE, "--date", "2026-01-31", "--out",
              without, CAL_MATRIX);
    cr_assert_eq(run.exit_code, 0, "%s", run.err);
    nl_run_free(&run);
    static const char *const sheets[] = {"Calibration", "Readiness"};
    table t[2];
    read_sheets(with, sheets, t, 2);

    /* Calibration: one row per manager, by the size of the effect (|z|, largest first), below
     * the header row; only the flagged are adjusted. */
    size_t header = find_row(&t[0], 0, 0, "Manager");
    cr_assert_neq(header, SIZE_MAX, "no manager table");
    size_t people = column(&t[0], header, "People"), rated = column(&t[0], header, "Rated"),
           flag = column(&t[0], header, "Flag"), adjustment = column(&t[0], header, "Adjustment"),
           z = column(&t[0], header, "z");
    static const struct {
        const char *manager, *flag;
        double people, rated, z, adjustment;
    } managers[] = {
        /* z: Cruz -0.041667 * sqrt(6) / 0.882114, Diaz -0.025 * sqrt(5) / 0.882114,
         * Eve -2 / 0.882114, Lena 0.875 * sqrt(5) / 0.882114 */
        {"Eve Stone", "severe", 4, 4, -2.267281, -0.5},
        {"Lena Moss", "lenient", 5, 5, 2.218035, 0.5},
        {"Cruz Bell", "", 7, 6, -0.115702, 0},
        {"Diaz Ford", "", 5, 5, -0.063372, 0},
    };
    for (size_t k = 0; k < 4; k++) {
        cr_assert_lt(header + 1 + k, t[0].count, "the table ends early");
        const row *r = &t[0].rows[header + 1 + k];
        cr_assert_str_eq(cell(r, 0), managers[k].manager, "manager %zu", k);
        cr_assert_str_eq(cell(r, flag), managers[k].flag, "%s", managers[k].manager);
        expect_number(cell(r, people), managers[k].people, managers[k].manager);
        expect_number(cell(r, rated), managers[k].rated, managers[k].manager);
        expect_number(cell(r, z), managers[k].z, managers[k].manager);
        expect_number(cell(r, adjustment), managers[k].adjustment, managers[k].manager);
    }
    cr_assert_str_empty(cell_at(&t[0], header + 5, 0), "only four managers");

    /* The changed outcomes: exactly LM1, LM2 (lenient, Ready now -> Developing) and ES1
     * (severe, Developing -> Ready now). */
    size_t section = find_row(&t[0], header, 0, "Outcomes that change under --calibrate");
    cr_assert_neq(section, SIZE_MAX, "no section of changed outcomes");
    size_t changes = section + 1;
    cr_assert_str_eq(cell_at(&t[0], changes, 0), "ID");
    size_t changed_outcome = column(&t[0], changes, "Outcome"),
           changed_calibrated = column(&t[0], changes, "Calibrated outcome");
    static const char *const changed[][3] = {{"LM1", "Ready now", "Developing"},
                                             {"LM2", "Ready now", "Developing"},
                                             {"ES1", "Developing", "Ready now"}};
    size_t listed = 0;
    for (size_t r = changes + 1; r < t[0].count && cell_at(&t[0], r, 0)[0]; r++, listed++) {
        bool known = false;
        for (size_t k = 0; k < 3; k++) {
            if (strcmp(cell_at(&t[0], r, 0), changed[k][0]) == 0) {
                known = true;
                cr_assert_str_eq(cell_at(&t[0], r, changed_outcome), changed[k][1]);
                cr_assert_str_eq(cell_at(&t[0], r, changed_calibrated), changed[k][2]);
            }
        }
        cr_assert(known, "%s listed as changed", cell_at(&t[0], r, 0));
    }
    cr_assert_eq(listed, 3);

    /* Readiness: "Calibrated outcome" right after "Outcome". */
    size_t outcome = column(&t[1], 0, "Outcome");
    cr_assert_eq(column(&t[1], 0, "Calibrated outcome"), outcome + 1);
    cr_assert_str_eq(cell(row_of(&t[1], 0, "LM1"), outcome + 1), "Developing");
    cr_assert_str_eq(cell(row_of(&t[1], 0, "ES1"), outcome + 1), "Ready now");
    cr_assert_str_eq(cell(row_of(&t[1], 0, "DF1"), outcome + 1), "Developing");
    free_table(&t[0]);
    free_table(&t[1]);

    /* Without --calibrate: the Calibration sheet still flags the managers, lists no changes,
     * and the Readiness sheet has no calibrated column. */
    read_sheets(without, sheets, t, 2);
    header = find_row(&t[0], 0, 0, "Manager");
    cr_assert_neq(header, SIZE_MAX);
    cr_assert_str_eq(cell(row_of(&t[0], 0, "Lena Moss"), flag), "lenient");
    cr_assert_str_eq(cell(row_of(&t[0], 0, "Eve Stone"), flag), "severe");
    cr_assert_eq(find_row(&t[0], 0, 0, "Outcomes that change under --calibrate"), SIZE_MAX);
    cr_assert_eq(find_column(&t[1], 0, "Calibrated outcome"), SIZE_MAX);
    cr_assert_str_eq(cell(row_of(&t[1], 0, "LM1"), column(&t[1], 0, "Outcome")), "Ready now");
    free_table(&t[0]);
    free_table(&t[1]);
    free(with);
    free(without);
    nl_test_remove_tree(dir);
}

/* ---- fairness ---- */

/* fairness-org.csv by Location, people evaluated (Ready now, Ready with risk, Developing):
 *   Lisbon  7 people: 5 Ready now; F06 (L2) Top of ladder and F07 (a missing) Not evaluated
 *           are not counted: 5 evaluated, rates 5/5 = 1 and 5/5 = 1: the highest, the
 *           reference of both measures.
 *   Nairobi 5: 4 Ready now, F12 Developing: 0.8 and 0.8, ratios exactly 0.8: not flagged.
 *   Osaka   6: 2 Ready now, F15, F16 with risk (visibility 2), 2 Developing: 2/6 = 0.3333 and
 *           4/6 = 0.6667, both under 0.8; Fisher against Lisbon p = 2/33 and 5/11.
 *   Quito 2 (1 Ready now, 1 Developing), Tromso 2 (both with risk), F23 no location (1
 *           Developing): each under 5, merged: Other 5 evaluated, 1 Ready now (0.2), 3 Ready
 *           now or with risk (0.6), p = 1/21 and 4/9.
 * Holm, three groups compared on each measure: Ready now 1/21 x 3 = 1/7, 2/33 x 2 = 4/33
 * raised to 1/7, Nairobi's 1; with risk all 1. Nothing is flagged: five or six people cannot
 * show a difference beyond chance, although every ratio but Nairobi's fails (unadjusted,
 * Other's 1/21 = 0.048 would be). */
Test(review_fairness, fairness_sheet_after_calibration_and_trend, .timeout = 60)
{
    char *dir = nl_test_temp_dir();
    char *xlsx = nl_test_path_in(dir, "fair.xlsx");
    nl_run run = RUN("evaluate", "-q", "--template", FAIR_TEMPLATE, "--previous", FAIR_MATRIX,
                     "--out", xlsx, FAIR_MATRIX);
    cr_assert_eq(run.exit_code, 0, "%s", run.err);
    nl_run_free(&run);
    char *list = sheet_list(xlsx);
    cr_assert_str_eq(
        list, "Summary, What if, Slate, Pipeline, Readiness, Gates, Skill gaps, Development plans, "
              "Calibration, Trend, Fairness, Rejected rows, Criteria");
    free(list);
    static const char *const sheets[] = {"Fairness"};
    table t;
    read_sheets(xlsx, sheets, &t, 1);
    /* One table per measure, stacked, each under a heading naming it, with the same columns
     * but the measure's count. */
    static const char *const measures[2] = {"Ready now", "Ready now or with risk"};
    static const char chance[] = "low ratio, but p (Holm) >= 0.05: may be chance";
    static const struct {
        const char *group;
        /* People evaluated, then per measure: count, rate, ratio, p, p adjusted (NAN:
         * empty). */
        double figures[11];
        const char *flag[2];
    } groups[] = {
        {"Lisbon",
         {5, 5, 1, 1, NAN, NAN, 5, 1, 1, NAN, NAN},
         {"reference (highest rate)", "reference (highest rate)"}},
        {"Nairobi", {5, 4, 0.8, 0.8, 1, 1, 4, 0.8, 0.8, 1, 1}, {"", ""}},
        {"Osaka",
         {6, 2, 2.0 / 6, 2.0 / 6, 2.0 / 33, 1.0 / 7, 4, 4.0 / 6, 4.0 / 6, 5.0 / 11, 1},
         {chance, chance}},
        {"Other (small groups)",
         {5, 1, 0.2, 0.2, 1.0 / 21, 1.0 / 7, 3, 0.6, 0.6, 4.0 / 9, 1},
         {chance, chance}},
    };
    size_t header = SIZE_MAX;
    for (int m = 0; m < 2; m++) {
        size_t heading = find_row(&t, header == SIZE_MAX ? 0 : header, 0, measures[m]);
        cr_assert_neq(heading, SIZE_MAX, "no table under '%s'", measures[m]);
        header = heading + 1;
        cr_assert_str_eq(cell_at(&t, header, 0), "Group", "%s", measures[m]);
        const char *names[6] = {"People evaluated",   measures[m], "Rate",
                                "Ratio to reference", "p",         "p adjusted (Holm)"};
        size_t columns[6];
        for (size_t c = 0; c < 6; c++)
            columns[c] = column(&t, header, names[c]);
        size_t flag = column(&t, header, "Flag");
        for (size_t k = 0; k < 4; k++) {
            cr_assert_lt(header + 1 + k, t.count, "the %s table ends early", measures[m]);
            const row *r = &t.rows[header + 1 + k];
            const char *g = groups[k].group;
            cr_assert_str_eq(cell(r, 0), g, "%s: group %zu", measures[m], k);
            expect_number(cell(r, columns[0]), groups[k].figures[0], g);
            for (size_t c = 1; c < 6; c++)
                expect_number(cell(r, columns[c]), groups[k].figures[c + 5 * (size_t)m], g);
            cr_assert_str_eq(cell(r, flag), groups[k].flag[m], "%s: %s", measures[m], g);
        }
        cr_assert_str_empty(cell_at(&t, header + 5, 0), "only four groups");
    }
    /* The merged groups are named, by name ('(' sorts first). */
    cr_assert_neq(find_row(&t, header, 0,
                           "Merged into Other (small groups): (not given), Quito, "
                           "Tromso"),
                  SIZE_MAX);
    free_table(&t);
    free(xlsx);
    nl_test_remove_tree(dir);
}

Test(review_fairness, group_values_appear_only_on_the_fairness_sheet, .timeout = 60)
{
    char *dir = nl_test_temp_dir();
    char *xlsx = nl_test_path_in(dir, "fair.xlsx"), *csv = nl_test_path_in(dir, "fair.csv"),
         *rejected = nl_test_path_in(dir, "fair.rejected.csv"),
         *json = nl_test_path_in(dir, "fair.json"), *packs = nl_test_path_in(dir, "packs");
    nl_run run = RUN("evaluate", "-q", "--template", FAIR_TEMPLATE, "--calibrate", "--out", xlsx,
                     "--split-by", "manager", "--out-dir", packs, FAIR_MATRIX);
    cr_assert_eq(run.exit_code, 0, "%s", run.err);
    nl_run_free(&run);
    run = RUN("evaluate", "-q", "--template", FAIR_TEMPLATE, "--calibrate", "--out", csv,
              FAIR_MATRIX);
    cr_assert_eq(run.exit_code, 0, "%s", run.err);
    nl_run_free(&run);
    run = RUN("evaluate", "-q", "--template", FAIR_TEMPLATE, "--calibrate", "--out", json,
              FAIR_MATRIX);
    cr_assert_eq(run.exit_code, 0, "%s", run.err);
    nl_run_free(&run);
    /* The input holds them (the search can find them). */
    char *input = nl_test_read_file(nl_test_path(FAIR_MATRIX), NULL);
    for (size_t k = 0; k < LOCATION_COUNT; k++)
        cr_assert(strstr(input, locations[k]), "%s not in the input", locations[k]);
    free(input);
    /* The machine outputs carry the same aggregated table as the Fairness sheet (fair.fairness
     * .csv, the JSON's "fairness" member) and the values nowhere else. */
    json_t *root = nl_test_load_json(json);
    cr_assert_not_null(json_object_get(root, "fairness"));
    json_object_del(root, "fairness");
    char *json_rest = json_dumps(root, JSON_COMPACT);
    json_decref(root);
    const char *const machine[] = {csv, rejected, NULL};
    for (size_t i = 0; i < 3; i++) {
        char *text = machine[i] ? nl_test_read_file(machine[i], NULL) : json_rest;
        cr_assert_not_null(text, "no %s", machine[i] ? machine[i] : json);
        const char *found = a_location_in(text);
        cr_assert_null(found, "'%s' in %s", found, machine[i] ? machine[i] : json);
        free(text);
    }
    char *table_path = nl_test_path_in(dir, "fair.fairness.csv");
    char *fairness_table = nl_test_read_file(table_path, NULL);
    cr_assert_not_null(fairness_table, "no fair.fairness.csv");
    cr_assert_not_null(a_location_in(fairness_table), "fair.fairness.csv has no group");
    free(fairness_table);
    free(table_path);
    /* The combined workbook: every value on its Fairness sheet (three rows, two merged names),
     * none elsewhere. */
    char *fairness = expect_locations_only_on_fairness(xlsx);
    cr_assert_not_null(fairness, "no Fairness sheet");
    for (size_t k = 0; k < LOCATION_COUNT; k++)
        cr_assert(strstr(fairness, locations[k]), "%s not on the Fairness sheet", locations[k]);
    free(fairness);
    /* The packs: Mia Park's and Noah Quinn's, values at most on their own Fairness sheet. */
    static const char *const pack_names[] = {"Mia Park.xlsx", "Noah Quinn.xlsx"};
    for (size_t i = 0; i < 2; i++) {
        char *pack = nl_test_path_in(packs, pack_names[i]);
        free(expect_locations_only_on_fairness(pack));
        free(pack);
    }
    free(xlsx);
    free(csv);
    free(rejected);
    free(json);
    free(packs);
    nl_test_remove_tree(dir);
}

Test(review_fairness, suppress_leaves_the_small_groups_out, .timeout = 60)
{
    /* The same template with small_groups = suppress. */
    char *text = nl_test_read_file(nl_test_path(FAIR_TEMPLATE), NULL);
    cr_assert_not_null(text);
    const char *key = "group_column = Location\n";
    char *at = strstr(text, key);
    cr_assert_not_null(at);
    size_t len = strlen(text) + 64;
    char *edited = malloc(len);
    snprintf(edited, len, "%.*ssmall_groups = suppress\n%s", (int)(at - text + strlen(key)), text,
             at + strlen(key));
    char *template = nl_test_write_temp(".ini", edited, strlen(edited));
    free(text);
    free(edited);
    char *dir = nl_test_temp_dir();
    char *xlsx = nl_test_path_in(dir, "fair.xlsx");
    nl_run run = RUN("evaluate", "-q", "--template", template, "--out", xlsx, FAIR_MATRIX);
    cr_assert_eq(run.exit_code, 0, "%s", run.err);
    nl_run_free(&run);
    static const char *const sheets[] = {"Fairness"};
    table t;
    read_sheets(xlsx, sheets, &t, 1);
    size_t header = find_row(&t, 0, 0, "Group");
    cr_assert_neq(header, SIZE_MAX);
    /* Lisbon, Nairobi, Osaka as before (Lisbon still the highest); no Other group. */
    cr_assert_str_eq(cell_at(&t, header + 1, 0), "Lisbon");
    cr_assert_str_eq(cell_at(&t, header + 2, 0), "Nairobi");
    cr_assert_str_eq(cell_at(&t, header + 3, 0), "Osaka");
    expect_number(cell_at(&t, header + 3, 4), 2.0 / 6, "Osaka");
    cr_assert_str_empty(cell_at(&t, header + 4, 0));
    cr_assert_eq(find_row(&t, 0, 0, "Other (small groups)"), SIZE_MAX);
    /* Quito 2 + Tromso 2 + (not given) 1 = 5 people left out. */
    cr_assert_neq(find_row(&t, header, 0,
                           "Left out, too small even together (5 people): (not given), Quito, "
                           "Tromso"),
                  SIZE_MAX);
    free_table(&t);
    free(xlsx);
    nl_test_remove_tree(dir);
    nl_test_remove(template);
}

Test(review_fairness, no_fairness_section_no_fairness_sheet, .timeout = 60)
{
    char *dir = nl_test_temp_dir();
    char *xlsx = nl_test_path_in(dir, "plain.xlsx");
    /* The calibration template has no [fairness]: Location is just a column it does not know
     * (and visibility too). */
    nl_run run = RUN("evaluate", "-q", "--template", CAL_TEMPLATE, "--out", xlsx, FAIR_MATRIX);
    cr_assert_eq(run.exit_code, 0, "%s", run.err);
    nl_run_free(&run);
    char *list = sheet_list(xlsx);
    cr_assert_str_eq(
        list, "Summary, What if, Slate, Pipeline, Readiness, Gates, Skill gaps, Development plans, "
              "Calibration, Rejected rows, Criteria");
    free(list);
    /* No sheet, so no value anywhere. */
    cr_assert_null(expect_locations_only_on_fairness(xlsx));
    free(xlsx);
    nl_test_remove_tree(dir);
}
