#include "report_xlsx_internal.h"

#include "nextlevel/describe.h"
#include "nextlevel/person_columns.h"
#include "nextlevel/strutil.h"
#include "nextlevel/textsafe.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A table's column: its header, its width in characters (the least, when the width is measured
 * on the data), whether it holds numbers (its header is then right-aligned, over them) and what
 * it holds when its width comes from the data. */
typedef struct column_spec {
    const char *name;
    double width;
    bool numeric;
    xw_fit fit;
} column_spec;

/* A column's width: measured on the data when the column holds identities. */
static double spec_width(const xlsx_writer *w, const column_spec *column)
{
    return column->fit != XW_FIT_NONE ? xw_fit_width(w->b, column->fit, column->width)
                                      : column->width;
}

/* Writes a header row of columns starting at column first, with their widths, and makes the row
 * tall enough for the longest wrapped header. */
static void header_row(xlsx_writer *w, lxw_worksheet *ws, lxw_col_t first,
                       const column_spec *columns, size_t count)
{
    const char *names[64];
    double widths[64];
    for (size_t i = 0; i < count; i++) {
        double width = spec_width(w, &columns[i]);
        lxw_format *format = columns[i].numeric ? w->b->f.header_number : w->b->f.header;
        xw_text(w, ws, 0, (lxw_col_t)(first + i), columns[i].name, format);
        worksheet_set_column(ws, (lxw_col_t)(first + i), (lxw_col_t)(first + i), width, NULL);
        if (i < 64) {
            names[i] = columns[i].name;
            widths[i] = width;
        }
    }
    xw_fit_header_row(ws, 0, names, widths, count < 64 ? count : 64);
}

/* Writes a table's header row and widths, freezes the header and the first frozen_columns
 * columns, and sets up printing. */
static void table_header(xlsx_writer *w, lxw_worksheet *ws, const column_spec *columns,
                         size_t count, lxw_col_t frozen_columns)
{
    header_row(w, ws, 0, columns, count);
    worksheet_freeze_panes(ws, 1, frozen_columns);
    xw_print_setup(w, ws, 0);
}

/* The ID, name and team cells that open the Skill gaps and Trend rows: one line each. */
static void identity_cells(xlsx_writer *w, lxw_worksheet *ws, lxw_row_t row, const nl_person *p)
{
    xw_identity(w, ws, row, 0, p->id, NULL);
    xw_identity(w, ws, row, 1, p->name, NULL);
    xw_identity(w, ws, row, 2, p->team, NULL);
}

/* ---- Readiness ---- */

/* The Readiness columns are the column table's sheet columns (person_columns.h), in its order:
 * the printed part first (identity, outcome, scores, reasons), then the detail read on
 * screen. */

/* Rows of wrapped text get a height for their longest cell: viewers do not all grow rows
 * themselves, and a fixed height keeps the printed page predictable. width is in characters
 * of the column; at most 10 lines are made room for. */
void xw_fit_row(lxw_worksheet *ws, lxw_row_t row, const char *const *texts, const double *widths,
                size_t count)
{
    size_t lines = 1;
    for (size_t i = 0; i < count; i++) {
        if (texts[i] == NULL)
            continue;
        size_t needed = xw_wrapped_lines(texts[i], widths[i], false);
        lines = needed > lines ? needed : lines;
    }
    if (lines > 1)
        worksheet_set_row(ws, row, 12.75 * (double)(lines < 10 ? lines : 10), NULL);
}

/* Calls visit for every sheet column item of the table, with its column number. */
static void for_each_sheet_column(const xw_book *b,
                                  void (*visit)(void *, const nl_person_column *, size_t item,
                                                lxw_col_t col),
                                  void *data)
{
    size_t count;
    const nl_person_column *columns = nl_person_columns(&count);
    lxw_col_t col = 0;
    for (size_t c = 0; c < count; c++) {
        if (!nl_column_on_sheet(&columns[c], b->rv))
            continue;
        for (size_t item = 0; item < nl_column_items(&columns[c], b->fw); item++)
            visit(data, &columns[c], item, col++);
    }
}

/* The width of a Readiness column: measured on the data for identities and outcomes. */
static double column_width(const xw_book *b, const nl_person_column *column)
{
    static const xw_fit fits[] = {
        [NL_FIT_NONE] = XW_FIT_NONE,       [NL_FIT_ID] = XW_FIT_ID,
        [NL_FIT_NAME] = XW_FIT_NAME,       [NL_FIT_TEAM] = XW_FIT_TEAM,
        [NL_FIT_MANAGER] = XW_FIT_MANAGER, [NL_FIT_LEVEL_NAME] = XW_FIT_LEVEL_NAME,
        [NL_FIT_OUTCOME] = XW_FIT_OUTCOME, [NL_FIT_BAND] = XW_FIT_BAND};
    nl_column_fit fit = nl_column_fit_of(column);
    /* Without skills the readiness score reads "not applicable": room for the words. */
    if (!nl_framework_has_skills(b->fw) && column->key != NULL &&
        strcmp(column->key, "readiness_score") == 0 && column->width < XW_NOT_APPLICABLE_WIDTH)
        return XW_NOT_APPLICABLE_WIDTH;
    if (fit == NL_FIT_NONE || (size_t)fit >= sizeof fits / sizeof *fits)
        return column->width;
    return xw_fit_width(b, fits[fit], column->width);
}

/* Whether a style's cells are numbers: their header is right-aligned over them. */
static bool numeric_style(nl_cell_style style)
{
    return style == NL_STYLE_SCORE || style == NL_STYLE_PERCENT || style == NL_STYLE_NUMBER ||
           style == NL_STYLE_COUNT;
}

typedef struct header_walk {
    xlsx_writer *w;
    lxw_worksheet *ws;
    lxw_col_t last_printed;
    size_t lines; /* of the longest wrapped header */
} header_walk;

static void header_cell(void *data, const nl_person_column *column, size_t item, lxw_col_t col)
{
    header_walk *h = data;
    const xw_book *b = h->w->b;
    double width = column_width(b, column);
    char *name = nl_column_header(column, b->fw, item, true);
    if (name != NULL) {
        size_t lines = xw_wrapped_lines(name, width - 1, true);
        h->lines = lines > h->lines ? lines : h->lines;
    }
    xw_owned(h->w, h->ws, 0, col, name,
             numeric_style(column->style) ? b->f.header_number : b->f.header);
    worksheet_set_column(h->ws, col, col, width, NULL);
    if (column->printed)
        h->last_printed = col;
}

void xw_readiness_header(xlsx_writer *w, lxw_worksheet *ws)
{
    header_walk h = {w, ws, 0, 1};
    for_each_sheet_column(w->b, header_cell, &h);
    worksheet_set_row(ws, 0, 15.0 * (double)h.lines + 3, NULL);
    worksheet_freeze_panes(ws, 1, 2);
    /* Print what leadership reads; the detail columns stay on screen. */
    worksheet_print_area(ws, 0, 0, LXW_ROW_MAX - 1, h.last_printed);
    xw_print_setup(w, ws, 0);
}

/* Counts the sheet columns, and finds the first family attainment (for the scatter chart). */
static void count_column(void *data, const nl_person_column *column, size_t item, lxw_col_t col)
{
    xw_book *b = data;
    if (column->repeat == NL_PER_FAMILY && item == 0)
        b->family_col = col;
    b->readiness_columns = (size_t)col + 1;
}

void xw_readiness_layout(xw_book *b)
{
    for_each_sheet_column(b, count_column, b);
}

/* The format of a cell of the given style. */
static lxw_format *cell_format(const xlsx_writer *w, nl_cell_style style, const nl_cell *cell)
{
    switch (style) {
    case NL_STYLE_WRAP:
        return w->b->f.wrap;
    case NL_STYLE_OUTCOME:
        return cell->outcome < OUTCOME_COUNT ? w->b->f.outcome[cell->outcome] : NULL;
    case NL_STYLE_SCORE:
        return w->b->f.score;
    case NL_STYLE_PERCENT:
        return w->b->f.percent;
    case NL_STYLE_NUMBER:
        return w->b->f.number;
    case NL_STYLE_COUNT:
    case NL_STYLE_TEXT:
        break;
    }
    return NULL;
}

/* Readiness cells are made first, then the row's height is fitted to its wrapped texts. */
typedef struct row_walk {
    xlsx_writer *w;
    const nl_person_row *row;
    nl_cell *cells;
    const nl_person_column **columns;
    size_t count;
} row_walk;

static void make_cell(void *data, const nl_person_column *column, size_t item, lxw_col_t col)
{
    row_walk *walk = data;
    if (!column->cell(walk->row, item, &walk->cells[col]))
        walk->w->out_of_memory = true;
    walk->columns[col] = column;
    walk->count = (size_t)col + 1;
}

/* Whether an identity cell (a column whose width fits its data) holds more than its capped
 * width shows, so that it wraps. A text the cell could not get (out of memory) is empty. */
static bool identity_wraps(const nl_person_column *column, const nl_cell *cell, double width)
{
    return (cell->kind == NL_CELL_TEXT || cell->kind == NL_CELL_OWNED) && cell->text != NULL &&
           nl_column_fit_of(column) != NL_FIT_NONE && column->style == NL_STYLE_TEXT &&
           (double)strlen(cell->text) * 1.1 + 2 > width;
}

static void readiness_row(xlsx_writer *w, const person_summary *s, const nl_person_result *r)
{
    lxw_row_t row;
    lxw_worksheet *ws = xw_next_row(w, w->readiness, &row);
    nl_cell *cells = calloc(w->b->readiness_columns ? w->b->readiness_columns : 1, sizeof *cells);
    const nl_person_column **columns =
        calloc(w->b->readiness_columns ? w->b->readiness_columns : 1, sizeof *columns);
    const char **texts =
        calloc(w->b->readiness_columns ? w->b->readiness_columns : 1, sizeof *texts);
    double *widths = calloc(w->b->readiness_columns ? w->b->readiness_columns : 1, sizeof *widths);
    if (ws == NULL || cells == NULL || columns == NULL || texts == NULL || widths == NULL) {
        w->out_of_memory = w->out_of_memory || ws != NULL;
        free(cells);
        free(columns);
        free(texts);
        free(widths);
        return;
    }
    nl_person_row person = {w->b->rv, s, r, nl_person_result_track(r), r->person};
    row_walk walk = {w, &person, cells, columns, 0};
    for_each_sheet_column(w->b, make_cell, &walk);
    /* Wrapped texts, and identities longer than their (capped) column, set the row's height. */
    size_t wrapped = 0;
    for (size_t col = 0; col < walk.count; col++) {
        if (cells[col].text == NULL || cells[col].kind == NL_CELL_EMPTY)
            continue;
        double width = column_width(w->b, columns[col]);
        if (columns[col]->style == NL_STYLE_WRAP ||
            identity_wraps(columns[col], &cells[col], width)) {
            texts[wrapped] = cells[col].text;
            widths[wrapped++] = width;
        }
    }
    xw_fit_row(ws, row, texts, widths, wrapped);
    for (size_t col = 0; col < walk.count; col++) {
        const nl_cell *cell = &cells[col];
        lxw_format *format = cell_format(w, columns[col]->style, cell);
        if (cell->kind == NL_CELL_NUMBER && isnan(cell->number) && cell->text != NULL)
            xw_text(w, ws, row, (lxw_col_t)col, cell->text, w->b->f.text_after_number);
        else if (cell->kind == NL_CELL_NUMBER)
            xw_number(w, ws, row, (lxw_col_t)col, cell->number,
                      xw_exact_format(w->b, format, cell->number));
        else if (cell->kind == NL_CELL_INTEGER)
            xw_number(w, ws, row, (lxw_col_t)col, (double)cell->integer, w->b->f.integer);
        else if (identity_wraps(columns[col], cell, column_width(w->b, columns[col])))
            xw_identity(w, ws, row, (lxw_col_t)col, cell->text, w->b->f.wrap);
        else if (cell->kind != NL_CELL_EMPTY)
            xw_text(w, ws, row, (lxw_col_t)col, cell->text, format);
        nl_cell_clear(&cells[col]);
    }
    free(cells);
    free(columns);
    free(texts);
    free(widths);
}

/* ---- Gates ---- */

/* The Gates columns. Required, Actual and Margin are in the gate's unit, the one its reason
 * uses (nl_gate_unit_of), named in Unit. */
enum {
    GATE_ID,
    GATE_NAME,
    GATE_TEAM,
    GATE_MANAGER,
    GATE_OUTCOME,
    GATE_NEXT,
    GATE_TRACK,
    GATE_TITLE,
    GATE_KIND,
    GATE_SEVERITY,
    GATE_STATUS,
    GATE_UNIT,
    GATE_REQUIRED,
    GATE_ACTUAL,
    GATE_MARGIN,
    GATE_REASON,
    GATE_COLUMNS
};

static const column_spec gates_columns[GATE_COLUMNS] = {
    [GATE_ID] = {"ID", 10, false, XW_FIT_ID},
    [GATE_NAME] = {"Name", 22, false, XW_FIT_NAME},
    [GATE_TEAM] = {"Team", 14, false, XW_FIT_TEAM},
    [GATE_MANAGER] = {"Manager", 16, false, XW_FIT_MANAGER},
    [GATE_OUTCOME] = {"Outcome", 16, false, XW_FIT_OUTCOME},
    [GATE_NEXT] = {"Next level", 8, false, XW_FIT_LEVEL},
    [GATE_TRACK] = {"Track", 36, false, XW_FIT_NONE},
    [GATE_TITLE] = {"Gate", 28, false, XW_FIT_NONE},
    [GATE_KIND] = {"Kind", 18, false, XW_FIT_NONE},
    [GATE_SEVERITY] = {"Severity", 9, false, XW_FIT_NONE},
    [GATE_STATUS] = {"Status", 12, false, XW_FIT_NONE},
    [GATE_UNIT] = {"Unit", 10, false, XW_FIT_NONE},
    [GATE_REQUIRED] = {"Required", 10, true, XW_FIT_NONE},
    [GATE_ACTUAL] = {"Actual", 10, true, XW_FIT_NONE},
    [GATE_MARGIN] = {"Margin", 10, true, XW_FIT_NONE},
    [GATE_REASON] = {"Reason", 80, false, XW_FIT_NONE}};

void xw_gates_header(xlsx_writer *w, lxw_worksheet *ws)
{
    table_header(w, ws, gates_columns, GATE_COLUMNS, 2);
    /* The headers over numbers align right, like their numbers (the same row, rewritten). */
    for (lxw_col_t c = GATE_REQUIRED; c <= GATE_MARGIN; c++)
        xw_text(w, ws, 0, c, gates_columns[c].name, w->b->f.header_number);
}

/* The decimals a gate row's numbers are shown with: the unit's own; as many as the requirement
 * (a template parameter) is written with, 96.88 not 96.9; up to two more for whole units
 * (months, attribute values) holding fractions (9.5 months); and as many as it takes that a
 * failing gate never shows its actual value as the requirement, nor its margin as 0 (a readiness
 * of 84.96 against 85 shows 84.96, as its reason says). At most XW_MAX_DECIMALS. */
static int gate_decimals(const nl_gate_result *gr, nl_gate_unit unit)
{
    const double values[] = {gr->required * unit.scale, gr->actual * unit.scale,
                             gr->margin * unit.scale};
    for (int d = unit.decimals; d < XW_MAX_DECIMALS; d++) {
        double power = pow(10, d);
        bool enough = true;
        for (size_t i = 0; i < 3; i++) {
            double scaled = values[i] * power;
            bool exact_needed = i == 0 || (unit.decimals == 0 && d < 2);
            if (exact_needed && isfinite(scaled) && fabs(scaled - round(scaled)) > 1e-6)
                enough = false;
        }
        if (gr->status == NL_GATE_FAIL &&
            (round(values[1] * power) == round(values[0] * power) || round(values[2] * power) == 0))
            enough = false;
        if (enough)
            return d;
    }
    return XW_MAX_DECIMALS;
}

/* A gate number in its unit, with the row's decimals. */
static void gate_number(xlsx_writer *w, lxw_worksheet *ws, lxw_row_t row, lxw_col_t col,
                        double value, nl_gate_unit unit, int decimals)
{
    if (unit.percent)
        xw_number(w, ws, row, col, value, w->b->f.percent_fixed[decimals]);
    else
        xw_number(w, ws, row, col, value * unit.scale, w->b->f.fixed[decimals]);
}

/* The deciding track's next level, and the person's other tracks with their outcomes:
 * "Engineering Manager (also L4: Developing)". */
static char *track_text(const nl_framework *fw, const nl_person_result *r)
{
    const nl_track_result *t = nl_person_result_track(r);
    char *s = nl_strdup(fw->levels[t->next_level].title);
    const char *sep = " (also ";
    for (size_t i = 0; i < r->track_count && s != NULL; i++) {
        if (i == r->best)
            continue;
        char item[256];
        nl_sformat(item, sizeof item, "%s: %s", fw->levels[r->tracks[i].next_level].id,
                   nl_outcome_name(r->tracks[i].outcome));
        s = nl_strjoin(s, sep, item);
        sep = "; ";
    }
    return s && r->track_count > 1 ? nl_strjoin(s, "", ")") : s;
}

void xw_gate_rows(xlsx_writer *w, const nl_person_result *r)
{
    const nl_framework *fw = w->b->fw;
    const nl_track_result *t = nl_person_result_track(r);
    if (t == NULL)
        return;
    char *track = track_text(fw, r);
    if (track == NULL) {
        w->out_of_memory = true;
        return;
    }
    lxw_format *outcome = r->outcome < OUTCOME_COUNT ? w->b->f.outcome[r->outcome] : NULL;
    for (size_t g = 0; g < t->gate_count; g++) {
        const nl_gate *gate = &fw->gates[g];
        const nl_gate_result *gr = &t->gates[g];
        nl_gate_unit unit = nl_gate_unit_of(gate->kind);
        int decimals = gate_decimals(gr, unit);
        lxw_row_t row;
        lxw_worksheet *ws = xw_next_row(w, w->gates, &row);
        if (ws == NULL)
            break;
        const char *texts[] = {gr->reason, track};
        const double widths[] = {gates_columns[GATE_REASON].width, gates_columns[GATE_TRACK].width};
        xw_fit_row(ws, row, texts, widths, 2);
        xw_text(w, ws, row, GATE_ID, r->person->id, NULL);
        xw_text(w, ws, row, GATE_NAME, r->person->name, NULL);
        xw_text(w, ws, row, GATE_TEAM, r->person->team, NULL);
        xw_text(w, ws, row, GATE_MANAGER, r->person->manager, NULL);
        xw_text(w, ws, row, GATE_OUTCOME, nl_outcome_name(r->outcome), outcome);
        xw_text(w, ws, row, GATE_NEXT, fw->levels[t->next_level].id, NULL);
        xw_text(w, ws, row, GATE_TRACK, track, w->b->f.wrap);
        xw_text(w, ws, row, GATE_TITLE, gate->title, NULL);
        xw_text(w, ws, row, GATE_KIND, nl_gate_kind_name(gate->kind), NULL);
        xw_text(w, ws, row, GATE_SEVERITY, gate->severity == NL_HARD ? "hard" : "soft", NULL);
        lxw_format *status = gr->status == NL_GATE_PASS   ? w->b->f.pass
                             : gr->status == NL_GATE_FAIL ? w->b->f.fail
                                                          : w->b->f.skipped;
        xw_text(w, ws, row, GATE_STATUS, nl_gate_status_name(gr->status), status);
        xw_text(w, ws, row, GATE_UNIT, unit.name, NULL);
        gate_number(w, ws, row, GATE_REQUIRED, gr->required, unit, decimals);
        gate_number(w, ws, row, GATE_ACTUAL, gr->actual, unit, decimals);
        gate_number(w, ws, row, GATE_MARGIN, gr->margin, unit, decimals);
        xw_text(w, ws, row, GATE_REASON, gr->reason, w->b->f.wrap);
    }
    free(track);
}

void xw_person_rows(xlsx_writer *w, size_t position, const person_summary *s,
                    const nl_person_result *result)
{
    readiness_row(w, s, result);
    xw_keep_plan(w, position, result);
}

/* ---- Skill gaps ---- */

/* The colour scale's legend, in the header row to the right of the skills (the rows below are
 * people): its two ends and middle in their colours, with what each means. Returns the lines
 * its longest text wraps to. */
static size_t gaps_legend(xlsx_writer *w, lxw_worksheet *ws, lxw_col_t first)
{
    const xlsx_formats *f = &w->b->f;
    static const double width = 16;
    const char *const texts[] = {"Colour scale (score minus expectation)",
                                 "-2 or less: below what the next level expects", "0: as expected",
                                 "+2 or more: above what it expects"};
    lxw_format *const formats[] = {f->header, f->scale_low, f->scale_mid, f->scale_high};
    size_t lines = 1;
    for (size_t i = 0; i < 4; i++) {
        xw_text(w, ws, 0, (lxw_col_t)(first + i), texts[i], formats[i]);
        size_t n = xw_wrapped_lines(texts[i], width - 1, true);
        lines = n > lines ? n : lines;
    }
    worksheet_set_column(ws, first, (lxw_col_t)(first + 3), width, NULL);
    return lines;
}

void xw_gaps_header(xlsx_writer *w, lxw_worksheet *ws)
{
    const nl_framework *fw = w->b->fw;
    static const column_spec identity[] = {{"ID", 8, false, XW_FIT_ID},
                                           {"Name", 20, false, XW_FIT_NAME},
                                           {"Team", 12, false, XW_FIT_TEAM},
                                           {"Next level", 10, false, XW_FIT_LEVEL}};
    header_row(w, ws, 0, identity, 4);
    size_t lines = 1;
    for (size_t s = 0; s < fw->skill_count; s++) {
        char name[512];
        nl_sformat(name, sizeof name, "%s (%s)", fw->skills[s].name,
                   fw->families[fw->skills[s].family]);
        xw_text(w, ws, 0, (lxw_col_t)(4 + s), name, w->b->f.header_number);
        /* At least 12, and wide enough that no word of the header breaks. */
        double width = (double)xw_longest_word(name) + 3;
        width = width < 12 ? 12 : width > 24 ? 24 : width;
        worksheet_set_column(ws, (lxw_col_t)(4 + s), (lxw_col_t)(4 + s), width, NULL);
        size_t n = xw_wrapped_lines(name, width - 1, true);
        lines = n > lines ? n : lines;
    }
    size_t legend = gaps_legend(w, ws, (lxw_col_t)(4 + fw->skill_count + 1));
    lines = legend > lines ? legend : lines;
    worksheet_set_row(ws, 0, 15.0 * (double)lines + 3, NULL);
    worksheet_freeze_panes(ws, 1, 2);
    xw_print_setup(w, ws, 0);
}

/* Orders people by next level, keeping the Readiness order within each level (a counting
 * sort: there are few levels and possibly a million people). Returns false when out of
 * memory. */
static bool sort_by_next_level(const xlsx_writer *w, size_t *order)
{
    size_t buckets = w->b->fw->level_count + 1; /* the last one: top of the ladder */
    size_t *start = calloc(buckets + 1, sizeof *start);
    if (start == NULL)
        return false;
    for (size_t i = 0; i < w->b->count; i++) {
        size_t next = w->b->people[w->b->order[i]].next_level;
        start[(next == SIZE_MAX ? buckets - 1 : next) + 1]++;
    }
    for (size_t b = 1; b <= buckets; b++)
        start[b] += start[b - 1];
    for (size_t i = 0; i < w->b->count; i++) {
        size_t next = w->b->people[w->b->order[i]].next_level;
        order[start[next == SIZE_MAX ? buckets - 1 : next]++] = w->b->order[i];
    }
    free(start);
    return true;
}

static void gaps_group_row(xlsx_writer *w, size_t level)
{
    const nl_framework *fw = w->b->fw;
    const nl_level *next = &fw->levels[level];
    lxw_row_t row;
    lxw_worksheet *ws = xw_next_row(w, w->gaps, &row);
    if (ws == NULL)
        return;
    char label[512];
    nl_sformat(label, sizeof label, "Expected at %s %s", next->id, next->title);
    for (lxw_col_t c = 0; c < 4; c++)
        xw_text(w, ws, row, c, c == 0 ? label : "", w->b->f.group_row);
    for (size_t s = 0; s < fw->skill_count; s++) {
        char expected[160] = "-";
        /* A skill with words of its own shows the word: its numbers mean something else. */
        const char *word =
            fw->skills[s].own_labels ? nl_skill_label(fw, s, next->expected[s]) : NULL;
        if (!isnan(next->expected[s]))
            nl_sformat(expected, sizeof expected, word ? "expects %g (%s)" : "expects %g",
                       next->expected[s], word);
        xw_text(w, ws, row, (lxw_col_t)(4 + s), expected, w->b->f.group_row);
    }
}

void xw_gaps_sheet(xlsx_writer *w)
{
    const nl_framework *fw = w->b->fw;
    size_t people_count;
    const nl_person *people = nl_matrix_people(w->b->m, &people_count);
    size_t *order = malloc((w->b->count ? w->b->count : 1) * sizeof *order);
    if (order == NULL) {
        w->out_of_memory = true;
        return;
    }
    if (!sort_by_next_level(w, order)) {
        free(order);
        w->out_of_memory = true;
        return;
    }
    size_t group = SIZE_MAX;
    lxw_row_t first_row = 1;
    for (size_t i = 0; i < w->b->count; i++) {
        const person_summary *s = &w->b->people[order[i]];
        if (s->next_level == SIZE_MAX)
            continue;
        if (s->next_level != group) {
            group = s->next_level;
            gaps_group_row(w, group);
        }
        const nl_person *p = &people[s->person];
        const nl_level *next = &fw->levels[s->next_level];
        lxw_row_t row;
        lxw_worksheet *ws = xw_next_row(w, w->gaps, &row);
        if (ws == NULL)
            break;
        identity_cells(w, ws, row, p);
        xw_text(w, ws, row, 3, next->id, NULL);
        for (size_t k = 0; k < fw->skill_count; k++) {
            lxw_col_t col = (lxw_col_t)(4 + k);
            if (isnan(next->expected[k]))
                continue;
            if (isnan(p->scores[k]))
                xw_text(w, ws, row, col, "not assessed", w->b->f.not_assessed);
            else
                xw_number(w, ws, row, col, p->scores[k] - next->expected[k], w->b->f.number);
        }
    }
    free(order);
    /* Red below the expectation, white at it, blue above (a scale colour-blind readers tell
     * apart), on every sheet of the series; the header row carries its legend. */
    const lxw_color_t *colors = xw_scale_colors();
    lxw_conditional_format scale = {
        .type = LXW_CONDITIONAL_3_COLOR_SCALE,
        .min_rule_type = LXW_CONDITIONAL_RULE_TYPE_NUMBER,
        .min_value = -2,
        .min_color = colors[0],
        .mid_rule_type = LXW_CONDITIONAL_RULE_TYPE_NUMBER,
        .mid_value = 0,
        .mid_color = colors[1],
        .max_rule_type = LXW_CONDITIONAL_RULE_TYPE_NUMBER,
        .max_value = 2,
        .max_color = colors[2],
    };
    for (size_t i = 0; i < w->gaps->count && fw->skill_count > 0; i++) {
        lxw_row_t last = i + 1 < w->gaps->count ? (lxw_row_t)w->b->max_rows : w->gaps->row - 1;
        if (last >= first_row)
            xw_check(w, worksheet_conditional_format_range(w->gaps->sheets[i], first_row, 4, last,
                                                           (lxw_col_t)(4 + fw->skill_count - 1),
                                                           &scale));
    }
}

/* ---- Trend ---- */

static const column_spec trend_columns[] = {{"ID", 8, false, XW_FIT_ID},
                                            {"Name", 20, false, XW_FIT_NAME},
                                            {"Team", 12, false, XW_FIT_TEAM},
                                            {"Status", 12, false, XW_FIT_NONE},
                                            {"Level last quarter", 10, false, XW_FIT_LEVEL},
                                            {"Level now", 10, false, XW_FIT_LEVEL},
                                            {"Outcome last quarter", 12, false, XW_FIT_OUTCOME},
                                            {"Outcome now", 12, false, XW_FIT_OUTCOME},
                                            {"Readiness last quarter", 12, true, XW_FIT_NONE},
                                            {"Readiness now", 12, true, XW_FIT_NONE},
                                            {"Change (score points)", 10, true, XW_FIT_NONE},
                                            {"Skill changes", 60, false, XW_FIT_NONE}};

void xw_trend_header(xlsx_writer *w, lxw_worksheet *ws)
{
    table_header(w, ws, trend_columns, sizeof trend_columns / sizeof *trend_columns, 2);
}

/* Trend order: people seen last quarter by change (largest rise first, no change last), then
 * the new ones, in Readiness order. */
static int compare_trend(const void *a, const void *b)
{
    const person_summary *x = *(person_summary *const *)a, *y = *(person_summary *const *)b;
    int gx = x->trend.previous == NULL ? 2 : isnan(x->trend.change) ? 1 : 0;
    int gy = y->trend.previous == NULL ? 2 : isnan(y->trend.change) ? 1 : 0;
    if (gx != gy)
        return gx - gy;
    if (gx == 0 && x->trend.change != y->trend.change)
        return x->trend.change > y->trend.change ? -1 : 1;
    return (x > y) - (x < y);
}

static void trend_row(xlsx_writer *w, const nl_person *p, const char *status, const nl_person *then,
                      nl_outcome outcome_then, double readiness_then, const person_summary *now)
{
    const nl_framework *fw = w->b->fw;
    lxw_row_t row;
    lxw_worksheet *ws = xw_next_row(w, w->trend, &row);
    if (ws == NULL)
        return;
    identity_cells(w, ws, row, p);
    if (then != NULL) {
        xw_text(w, ws, row, 4, fw->levels[then->level].id, NULL);
        xw_text(w, ws, row, 6, nl_outcome_name(outcome_then), w->b->f.outcome[outcome_then]);
        xw_number(w, ws, row, 8, readiness_then,
                  xw_exact_format(w->b, w->b->f.score, readiness_then));
    }
    if (now != NULL) {
        xw_text(w, ws, row, 5, fw->levels[p->level].id, NULL);
        xw_text(w, ws, row, 7, nl_outcome_name(now->outcome), w->b->f.outcome[now->outcome]);
        xw_number(w, ws, row, 9, now->readiness,
                  xw_exact_format(w->b, w->b->f.score, now->readiness));
        /* Points, signed; a rise or fall that shows (0.05 points or more) has its colour. */
        double change = now->trend.change;
        lxw_format *direction = isnan(change) || fabs(change) < 0.05 ? w->b->f.change
                                : change > 0                         ? w->b->f.rise
                                                                     : w->b->f.fall;
        xw_number(w, ws, row, 10, change, direction);
        if (then != NULL)
            xw_owned(w, ws, row, 11, nl_describe_skill_changes(fw, p, then), NULL);
    }
    xw_text(w, ws, row, 3, status, now == NULL || then == NULL ? w->b->f.skipped : NULL);
}

void xw_trend_sheet(xlsx_writer *w)
{
    size_t people_count;
    const nl_person *people = nl_matrix_people(w->b->m, &people_count);
    const person_summary **order = malloc((w->b->count ? w->b->count : 1) * sizeof *order);
    if (order == NULL) {
        w->out_of_memory = true;
        return;
    }
    for (size_t i = 0; i < w->b->count; i++)
        order[i] = &w->b->people[w->b->order[i]];
    qsort(order, w->b->count, sizeof *order, compare_trend);
    for (size_t i = 0; i < w->b->count; i++) {
        const person_summary *s = order[i];
        const nl_trend *t = &s->trend;
        trend_row(w, &people[s->person], nl_trend_status_name(s->trend_status), t->previous,
                  t->outcome_then, t->readiness_then, s);
    }
    free(order);
    /* Then last quarter's people who are not here, with their result then. */
    const nl_review *rv = w->b->rv;
    size_t then_count;
    const nl_person *then = nl_matrix_people(rv->previous, &then_count);
    for (size_t k = 0; k < w->b->view->leaver_count; k++) {
        const nl_review_leaver *l = &rv->leavers[w->b->view->leavers[k]];
        trend_row(w, &then[l->person], nl_leaver_status_name(l), &then[l->person], l->outcome_then,
                  l->readiness_then, NULL);
    }
}

/* ---- Rejected rows ---- */

static const column_spec rejected_columns[] = {{"File", 20, false, XW_FIT_FILE},
                                               {"Line", 8, true, XW_FIT_NONE},
                                               {"Column", 8, true, XW_FIT_NONE},
                                               {"ID", 8, false, XW_FIT_ID},
                                               {"Reason", 100, false, XW_FIT_NONE}};
enum { REJECTED_ID = 3, REJECTED_REASON = 4 };

void xw_rejected_header(xlsx_writer *w, lxw_worksheet *ws)
{
    table_header(w, ws, rejected_columns, 5, 0);
}

void xw_rejected_sheet(xlsx_writer *w)
{
    size_t count, file_count;
    const nl_rejection *rejections = nl_matrix_rejections(w->b->m, &count);
    const nl_file_summary *files = nl_matrix_files(w->b->m, &file_count);
    if (!w->b->view->whole) {
        lxw_row_t row;
        lxw_worksheet *ws = xw_next_row(w, w->rejected, &row);
        char note[160];
        nl_sformat(note, sizeof note,
                   "Rejected rows are listed in the combined workbook (%zu in this run).", count);
        if (ws != NULL)
            xw_text(w, ws, row, 0, note, NULL);
        return;
    }
    for (size_t i = 0; i < count; i++) {
        lxw_row_t row;
        lxw_worksheet *ws = xw_next_row(w, w->rejected, &row);
        if (ws == NULL)
            return;
        xw_text(w, ws, row, 0, files[rejections[i].file].path, NULL);
        xw_number(w, ws, row, 1, (double)rejections[i].line, w->b->f.integer);
        if (rejections[i].column > 0)
            xw_number(w, ws, row, 2, (double)rejections[i].column, w->b->f.integer);
        /* Indented, so that the id does not read as part of the column number before it; the
         * reason (with what to do) wraps within its column rather than running past it. */
        xw_text(w, ws, row, REJECTED_ID, rejections[i].id, w->b->f.text_after_number);
        const char *texts[] = {rejections[i].reason};
        const double widths[] = {rejected_columns[REJECTED_REASON].width};
        xw_fit_row(ws, row, texts, widths, 1);
        xw_text(w, ws, row, REJECTED_REASON, rejections[i].reason, w->b->f.wrap);
    }
}

/* Puts "none" on a sheet series that got no rows, and filters over those that did. */
static void finish_series(xlsx_writer *w, sheet_series *series, lxw_col_t last_col,
                          const char *none)
{
    if (series->current == 0 && series->row == 1) {
        lxw_row_t row;
        lxw_worksheet *ws = xw_next_row(w, series, &row);
        if (ws != NULL)
            xw_text(w, ws, row, 0, none, NULL);
        return;
    }
    for (size_t i = 0; i < series->count; i++) {
        lxw_row_t last = i + 1 < series->count ? (lxw_row_t)w->b->max_rows : series->row - 1;
        xw_check(w, worksheet_autofilter(series->sheets[i], 0, 0, last, last_col));
    }
}

void xw_finish_person_sheets(xlsx_writer *w)
{
    const nl_framework *fw = w->b->fw;
    finish_series(w, w->readiness, (lxw_col_t)(w->b->readiness_columns - 1), "none");
    if (!w->b->opt->summary_detail) {
        finish_series(w, w->gates, GATE_COLUMNS - 1, "none");
        finish_series(w, w->gaps, (lxw_col_t)(3 + fw->skill_count), "none");
    }
    finish_series(w, w->plans, XW_PLAN_COLUMNS - 1,
                  nl_framework_has_skills(fw)
                      ? "none: nobody needs a plan"
                      : "none: the template has no skills, so there are no raises to plan");
    if (w->b->history != NULL)
        finish_series(w, w->trend, 11, "none");
    finish_series(w, w->rejected, 4, "none: every input row was evaluated");
}
