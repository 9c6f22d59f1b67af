/* The write floor: writes, with libxlsxwriter in constant-memory mode, the cells nextlevel's
 * workbook holds for the same people (same sheets, cell counts and kinds), taking the texts
 * and numbers from nextlevel's own CSV output of the run, so that nothing is evaluated.
 *
 * usage: floor_write RESULTS.csv SKILLS OUT.xlsx
 *
 * Readiness: the 28 columns of nextlevel's sheet; Gates: 11 cells per person and gate;
 * Skill gaps: 4 + SKILLS cells per person; Development plans: 10 cells per person with a plan.
 * The small sheets (Summary, Calibration, Rejected rows, Criteria) are left out: a few hundred
 * cells. */
#include <csv.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <xlsxwriter.h>

typedef struct row {
    char **cells;
    size_t count, cap;
} row;

typedef struct writer {
    lxw_worksheet *readiness, *gates, *gaps, *plans;
    lxw_row_t r_row, g_row, s_row, p_row;
    char **header;
    size_t header_count;
    long readiness_cols[28];
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
    static const char *const names[28] = {"id",
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
                                          "outcome_last_quarter",
                                          "readiness_change",
                                          "source_file",
                                          "calibrated_outcome"};
    w->header = w->current.cells;
    w->header_count = w->current.count;
    w->current = (row){0};
    for (size_t i = 0; i < 28; i++)
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
    for (lxw_col_t i = 0; i < 28; i++)
        put(w->readiness, w->r_row, i, w->readiness_cols[i] >= 0 ? c[w->readiness_cols[i]] : "");
    w->r_row++;
    for (size_t g = 0; g < w->gate_count; g++) {
        long base = w->gate_first + (long)(5 * g);
        const char *cells[11] = {c[0],        c[1],        c[6],       w->header[base],
                                 "kind",      "hard",      c[base],    c[base + 1],
                                 c[base + 2], c[base + 3], c[base + 4]};
        for (lxw_col_t i = 0; i < 11; i++)
            put(w->gates, w->g_row, i, cells[i]);
        w->g_row++;
    }
    put(w->gaps, w->s_row, 0, c[0]);
    put(w->gaps, w->s_row, 1, c[1]);
    put(w->gaps, w->s_row, 2, c[2]);
    put(w->gaps, w->s_row, 3, c[6]);
    for (size_t s = 0; s < w->skills; s++)
        worksheet_write_number(w->gaps, w->s_row, (lxw_col_t)(4 + s),
                               (double)((w->rows + s) % 5) * 0.5 - 1.0, NULL);
    w->s_row++;
    if (w->plan_col >= 0 && c[w->plan_col][0] != '\0') {
        for (lxw_col_t i = 0; i < 10; i++)
            put(w->plans, w->p_row, i, i < 7 ? c[i] : c[w->plan_col]);
        w->p_row++;
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
    writer w = {.skills = (size_t)atol(argv[2]), .r_row = 1, .g_row = 1, .s_row = 1, .p_row = 1};
    lxw_workbook_options options = {.constant_memory = 1, .tmpdir = NULL, .use_zip64 = 1};
    lxw_workbook *wb = workbook_new_opt(argv[3], &options);
    worksheet_write_string(workbook_add_worksheet(wb, "Summary"), 0, 0, "floor", NULL);
    w.readiness = workbook_add_worksheet(wb, "Readiness");
    w.gates = workbook_add_worksheet(wb, "Gates");
    w.gaps = workbook_add_worksheet(wb, "Skill gaps");
    w.plans = workbook_add_worksheet(wb, "Development plans");
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
    printf("%zu people, %u gate rows, %u plan rows\n", w.rows, (unsigned)w.g_row - 1,
           (unsigned)w.p_row - 1);
    return error == LXW_NO_ERROR ? 0 : 1;
}
