/* The write floor: writes, with libxlsxwriter in constant-memory mode, the cells nextlevel's
 * workbook holds for the same people (same sheets, cell counts and kinds), taking the texts
 * and numbers from nextlevel's own CSV output of the run, so that nothing is evaluated.
 *
 * usage: floor_write RESULTS.csv SKILLS OUT.xlsx
 *
 * Readiness: the 29 columns of nextlevel's sheet (30 with a performance attribute, which the
 * benchmark's template has not); Gates: 16 cells per person and gate; Skill gaps: 4 + SKILLS
 * cells per person; Development plans: 13 cells per person with a plan; Slate: 9 cells per
 * person Ready now.
 * The small sheets (Summary, Calibration, Rejected rows, Criteria) are left out: a few hundred
 * cells. Like nextlevel, a sheet that passes Excel's 1,048,575 data rows continues on
 * "Name (2)" (FLOOR_MAX_ROWS sets a lower limit, for the test of this). */
#include <csv.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <xlsxwriter.h>

typedef struct row {
    char **cells;
    size_t count, cap;
} row;

/* A logical sheet continuing on "Name (2)", "Name (3)" when its rows run out. */
typedef struct series {
    lxw_workbook *wb;
    const char *name;
    lxw_worksheet *sheet;
    lxw_row_t row; /* next row on sheet; row 0 is the header's */
    unsigned part;
    size_t rows; /* data rows in all parts */
} series;

static lxw_row_t max_rows = 1048575;

static void start_series(series *s, lxw_workbook *wb, const char *name)
{
    *s = (series){
        .wb = wb, .name = name, .sheet = workbook_add_worksheet(wb, name), .row = 1, .part = 1};
}

/* The sheet for the next data row, continued when the current one is full. */
static lxw_worksheet *next_row(series *s, lxw_row_t *index)
{
    if (s->row > max_rows) {
        char name[64];
        snprintf(name, sizeof name, "%s (%u)", s->name, ++s->part);
        s->sheet = workbook_add_worksheet(s->wb, name);
        s->row = 1;
    }
    *index = s->row++;
    s->rows++;
    return s->sheet;
}

#define READINESS_COLUMNS 29

typedef struct writer {
    series readiness, gates, gaps, plans, slate;
    char **header;
    size_t header_count;
    long readiness_cols[READINESS_COLUMNS];
    size_t gate_count;
    long gate_first;
    long plan_col, outcome_col;
    size_t skills;
    row current;
    size_t rows;
} writer;

static void on_field(void *s, size_t len, void *data)
{
    writer *w = data;
    row *r = &w->current;
    if (r->count == r->cap) {
        r->cap = r->cap ? 2 * r->cap : 64;
        r->cells = realloc(r->cells, r->cap * sizeof *r->cells);
    }
    char *cell = malloc(len + 1);
    memcpy(cell, s ? s : "", len);
    cell[len] = '\0';
    r->cells[r->count++] = cell;
}

/* A cell as nextlevel writes it: a number when it reads as one, else text. */
static void put(lxw_worksheet *ws, lxw_row_t row_index, lxw_col_t col, const char *text)
{
    char *end;
    double value = strtod(text, &end);
    if (*text != '\0' && *end == '\0')
        worksheet_write_number(ws, row_index, col, value, NULL);
    else if (*text != '\0')
        worksheet_write_string(ws, row_index, col, text, NULL);
}

static long column(const writer *w, const char *name)
{
    for (size_t i = 0; i < w->header_count; i++) {
        if (strcmp(w->header[i], name) == 0)
            return (long)i;
    }
    return -1;
}

static void take_header(writer *w)
{
    static const char *const names[READINESS_COLUMNS] = {"id",
                                                         "name",
                                                         "team",
                                                         "manager",
                                                         "level_title",
                                                         "next_level_title",
                                                         "outcome",
                                                         "readiness_score",
                                                         "technical_attainment",
                                                         "soft_attainment",
                                                         "impact_attainment",
                                                         "band",
                                                         "robust",
                                                         "tipping_weight",
                                                         "distance_to_ready",
                                                         "reasons",
                                                         "mitigations",
                                                         "profile_outcomes",
                                                         "tipping",
                                                         "distance_to_ready_with_risk",
                                                         "tracks",
                                                         "missing",
                                                         "quarters_to_ready",
                                                         "growth_per_quarter",
                                                         "growth_source",
                                                         "outcome_last_quarter",
                                                         "readiness_change",
                                                         "source_file",
                                                         "calibrated_outcome"};
    w->header = w->current.cells;
    w->header_count = w->current.count;
    w->current = (row){0};
    for (size_t i = 0; i < READINESS_COLUMNS; i++)
        w->readiness_cols[i] = column(w, names[i]);
    for (size_t i = 0; i < w->header_count; i++) {
        size_t len = strlen(w->header[i]);
        if (len > 7 && strcmp(w->header[i] + len - 7, "_status") == 0) {
            if (w->gate_count++ == 0)
                w->gate_first = (long)i;
        }
    }
    w->plan_col = column(w, "development_plan");
    w->outcome_col = column(w, "outcome");
}

static void write_person(writer *w)
{
    char **c = w->current.cells;
    lxw_row_t at;
    lxw_worksheet *ws = next_row(&w->readiness, &at);
    for (lxw_col_t i = 0; i < READINESS_COLUMNS; i++)
        put(ws, at, i, w->readiness_cols[i] >= 0 ? c[w->readiness_cols[i]] : "");
    for (size_t g = 0; g < w->gate_count; g++) {
        long base = w->gate_first + (long)(5 * g);
        /* ID, name, team, manager, outcome, next level, track, gate, kind, severity, status,
         * unit, required, actual, margin, reason. */
        const char *cells[16] = {
            c[0],   c[1],   c[2],    c[3],   c[8],        c[6],        c[7],        w->header[base],
            "kind", "hard", c[base], "unit", c[base + 1], c[base + 2], c[base + 3], c[base + 4]};
        ws = next_row(&w->gates, &at);
        for (lxw_col_t i = 0; i < 16; i++)
            put(ws, at, i, cells[i]);
    }
    ws = next_row(&w->gaps, &at);
    put(ws, at, 0, c[0]);
    put(ws, at, 1, c[1]);
    put(ws, at, 2, c[2]);
    put(ws, at, 3, c[6]);
    for (size_t s = 0; s < w->skills; s++)
        worksheet_write_number(ws, at, (lxw_col_t)(4 + s), (double)((w->rows + s) % 5) * 0.5 - 1.0,
                               NULL);
    if (w->plan_col >= 0 && c[w->plan_col][0] != '\0') {
        ws = next_row(&w->plans, &at);
        for (lxw_col_t i = 0; i < 13; i++)
            put(ws, at, i, i < 10 ? c[i] : c[w->plan_col]);
    }
    if (w->outcome_col >= 0 && strcmp(c[w->outcome_col], "Ready now") == 0) {
        /* Next level, rank, ID, name, team, manager, priorities, score, calibrated outcome. */
        ws = next_row(&w->slate, &at);
        for (lxw_col_t i = 0; i < 9; i++)
            put(ws, at, i, c[i]);
    }
}

static void on_row(int ch, void *data)
{
    (void)ch;
    writer *w = data;
    if (w->header == NULL) {
        take_header(w);
        return;
    }
    if (w->current.count == w->header_count)
        write_person(w);
    w->rows++;
    for (size_t i = 0; i < w->current.count; i++)
        free(w->current.cells[i]);
    w->current.count = 0;
}

int main(int argc, char **argv)
{
    if (argc != 4) {
        fprintf(stderr, "usage: floor_write RESULTS.csv SKILLS OUT.xlsx\n");
        return 2;
    }
    const char *limit = getenv("FLOOR_MAX_ROWS");
    if (limit != NULL && atol(limit) > 0 && atol(limit) < (long)max_rows)
        max_rows = (lxw_row_t)atol(limit);
    writer w = {.skills = (size_t)atol(argv[2])};
    lxw_workbook_options options = {.constant_memory = 1, .tmpdir = NULL, .use_zip64 = 1};
    lxw_workbook *wb = workbook_new_opt(argv[3], &options);
    worksheet_write_string(workbook_add_worksheet(wb, "Summary"), 0, 0, "floor", NULL);
    start_series(&w.slate, wb, "Slate");
    start_series(&w.readiness, wb, "Readiness");
    start_series(&w.gates, wb, "Gates");
    start_series(&w.gaps, wb, "Skill gaps");
    start_series(&w.plans, wb, "Development plans");
    FILE *file = fopen(argv[1], "rb");
    if (file == NULL) {
        perror(argv[1]);
        return 1;
    }
    struct csv_parser parser;
    csv_init(&parser, 0);
    csv_set_blk_size(&parser, 65536);
    static char chunk[1 << 16];
    size_t got;
    while ((got = fread(chunk, 1, sizeof chunk, file)) > 0)
        csv_parse(&parser, chunk, got, on_field, on_row, &w);
    csv_fini(&parser, on_field, on_row, &w);
    csv_free(&parser);
    fclose(file);
    lxw_error error = workbook_close(wb);
    for (size_t i = 0; i < w.header_count; i++)
        free(w.header[i]);
    free(w.header);
    free(w.current.cells);
    printf("%zu people, %zu gate rows, %zu plan rows\n", w.readiness.rows, w.gates.rows,
           w.plans.rows);
    return error == LXW_NO_ERROR ? 0 : 1;
}
