#include "report_xlsx_internal.h"

#include "nextlevel/trend.h"

#include <math.h>
#include <string.h>

/* How the workbook looks wherever it is read: outcome series in charts, column widths and
 * header heights from content, and number formats that never show a value as a threshold it
 * does not reach. Everything here is laid out before the threads start or only reads the book. */

/* ---- charts ---- */

void xw_outcome_series_style(lxw_chart_series *series, int outcome, bool markers)
{
    /* In black-and-white print the colours become greys: each outcome also has a pattern (in
     * its text colour, which reads on its fill) or a marker shape of its own. */
    static const uint8_t patterns[OUTCOME_COUNT] = {
        LXW_CHART_PATTERN_NONE, LXW_CHART_PATTERN_WIDE_UPWARD_DIAGONAL,
        LXW_CHART_PATTERN_LARGE_GRID, LXW_CHART_PATTERN_WIDE_DOWNWARD_DIAGONAL,
        LXW_CHART_PATTERN_DARK_VERTICAL};
    static const uint8_t shapes[OUTCOME_COUNT] = {LXW_CHART_MARKER_CIRCLE, LXW_CHART_MARKER_DIAMOND,
                                                  LXW_CHART_MARKER_SQUARE,
                                                  LXW_CHART_MARKER_TRIANGLE, LXW_CHART_MARKER_STAR};
    if (series == NULL || outcome < 0 || outcome >= OUTCOME_COUNT)
        return;
    lxw_chart_fill fill = {.color = xw_outcome_color[outcome]};
    lxw_chart_line outline = {.color = 0x404040, .width = 0.75};
    if (markers) {
        chart_series_set_marker_type(series, shapes[outcome]);
        chart_series_set_marker_size(series, 7);
        chart_series_set_marker_fill(series, &fill);
        chart_series_set_marker_line(series, &outline);
        return;
    }
    chart_series_set_line(series, &outline);
    if (patterns[outcome] == LXW_CHART_PATTERN_NONE) {
        chart_series_set_fill(series, &fill);
        return;
    }
    /* Dark lines on the colour (LibreOffice draws light lines as a white fill); libxlsxwriter
     * takes a colour of 0 for "not given", so black is drawn in near-black. */
    lxw_chart_pattern pattern = {
        .fg_color = 0x262626, .bg_color = xw_outcome_color[outcome], .type = patterns[outcome]};
    chart_series_set_pattern(series, &pattern);
}

/* ---- widths and heights ---- */

/* Code points of a UTF-8 text. */
static size_t text_chars(const char *text)
{
    size_t n = 0;
    for (const unsigned char *c = (const unsigned char *)text; c && *c; c++)
        n += (*c & 0xC0) != 0x80;
    return n;
}

/* A column's width, in widths of the digit 0, for a text of chars characters: Calibri's letters
 * average about the digit's width, capitals and bold run wider, and a cell has padding. */
static double width_for(size_t chars)
{
    return ceil((double)chars * 1.1 + 2);
}

static void fit(xw_book *b, xw_fit fit, const char *text)
{
    double width = width_for(text_chars(text));
    if (width > b->fit_width[fit])
        b->fit_width[fit] = width;
}

double xw_fit_width(const xw_book *b, xw_fit fit, double min_width)
{
    double width = fit > XW_FIT_NONE && fit < XW_FIT_COUNT ? b->fit_width[fit] : 0;
    width = width > min_width ? width : min_width;
    return width < XW_MAX_FIT_WIDTH ? width : XW_MAX_FIT_WIDTH;
}

size_t xw_wrapped_lines(const char *text, double width, bool bold)
{
    /* Characters a line holds: a width unit is the digit 0, about an average letter of
     * Calibri; bold letters run a little wider, plain ones a little narrower. */
    double usable = bold ? width : width / 0.95;
    size_t room = usable < 1 ? 1 : (size_t)usable;
    size_t lines = 1, used = 0;
    const char *c = text;
    while (c != NULL && *c != '\0') {
        if (*c == '\n') {
            lines++;
            used = 0;
            c++;
            continue;
        }
        if (*c == ' ') {
            c++;
            continue;
        }
        size_t bytes = strcspn(c, " \n");
        size_t word = 0;
        for (size_t i = 0; i < bytes; i++)
            word += ((unsigned char)c[i] & 0xC0) != 0x80;
        size_t need = used == 0 ? word : used + 1 + word;
        if (need <= room) {
            used = need;
        } else if (word > room) {
            /* A word longer than the line breaks inside itself. */
            if (used > 0)
                lines++;
            lines += (word - 1) / room;
            used = (word - 1) % room + 1;
        } else {
            lines++;
            used = word;
        }
        c += bytes;
    }
    return lines;
}

size_t xw_longest_word(const char *text)
{
    size_t longest = 0, word = 0;
    for (const unsigned char *c = (const unsigned char *)text; c && *c; c++) {
        if (*c == ' ' || *c == '\n') {
            word = 0;
            continue;
        }
        word += (*c & 0xC0) != 0x80;
        longest = word > longest ? word : longest;
    }
    return longest;
}

void xw_fit_header_row(lxw_worksheet *ws, lxw_row_t row, const char *const *texts,
                       const double *widths, size_t count)
{
    size_t lines = 1;
    for (size_t i = 0; i < count; i++) {
        if (texts[i] == NULL)
            continue;
        /* A character less: the filter button sits in the header's corner. */
        size_t n = xw_wrapped_lines(texts[i], widths[i] - 1, true);
        lines = n > lines ? n : lines;
    }
    worksheet_set_row(ws, row, 15.0 * (double)lines + 3, NULL);
}

/* ---- numbers near thresholds ---- */

static void add_threshold(double *list, size_t *count, double value)
{
    for (size_t i = 0; i < *count; i++)
        if (list[i] == value)
            return;
    if (*count < XW_MAX_THRESHOLDS && isfinite(value))
        list[(*count)++] = value;
}

/* Whether value, shown with decimals digits, would read as threshold or beyond it. Ties are
 * taken as reaching it (Excel rounds half away from zero). */
static bool reads_as(double value, double threshold, int decimals)
{
    double gap = fabs(value - threshold);
    if (gap <= NL_EPSILON * (fabs(threshold) > 1 ? fabs(threshold) : 1))
        return false; /* the value is the threshold, as the gates take it */
    static const double half_step[] = {0.5, 0.05, 0.005, 5e-4, 5e-5, 5e-6, 5e-7, 5e-8};
    if (decimals < 0 || decimals >= (int)(sizeof half_step / sizeof *half_step))
        return false;
    return gap <= half_step[decimals] * (1 + 1e-9);
}

lxw_format *xw_exact_format(const xw_book *b, lxw_format *unit, double value)
{
    const double *thresholds;
    size_t count;
    lxw_format *const *fine;
    double scale;
    if (unit == b->f.score) {
        thresholds = b->score_thresholds, count = b->score_threshold_count;
        fine = b->f.score_fine, scale = 1;
    } else if (unit == b->f.percent) {
        thresholds = b->percent_thresholds, count = b->percent_threshold_count;
        fine = b->f.percent_fine, scale = 100;
    } else {
        return unit;
    }
    if (!isfinite(value))
        return unit;
    int decimals = 1; /* the unit's own: 0.0 and 0.0% */
    for (size_t i = 0; i < count; i++)
        while (decimals <= XW_FINE_DECIMALS &&
               reads_as(value * scale, thresholds[i] * scale, decimals))
            decimals++;
    if (decimals == 1)
        return unit;
    return fine[(decimals > XW_FINE_DECIMALS + 1 ? XW_FINE_DECIMALS + 1 : decimals) - 2];
}

/* ---- the book's measures ---- */

void xw_measure(xw_book *b)
{
    const nl_framework *fw = b->fw;
    size_t people_count, file_count;
    const nl_person *people = nl_matrix_people(b->m, &people_count);
    for (size_t i = 0; i < b->count; i++) {
        const person_summary *s = &b->people[b->order[i]];
        const nl_person *p = &people[s->person];
        fit(b, XW_FIT_ID, p->id);
        fit(b, XW_FIT_NAME, p->name);
        fit(b, XW_FIT_TEAM, p->team);
        fit(b, XW_FIT_MANAGER, p->manager);
    }
    /* The levels the view's people are at or would be promoted to. */
    for (size_t i = 0; i < b->count; i++) {
        const person_summary *s = &b->people[b->order[i]];
        size_t levels[] = {people[s->person].level, s->next_level};
        for (size_t k = 0; k < 2; k++) {
            if (levels[k] >= fw->level_count)
                continue;
            const nl_level *level = &fw->levels[levels[k]];
            fit(b, XW_FIT_LEVEL, level->id);
            double width = width_for(text_chars(level->id) + 1 + text_chars(level->title));
            if (width > b->fit_width[XW_FIT_LEVEL_NAME])
                b->fit_width[XW_FIT_LEVEL_NAME] = width;
        }
    }
    for (int o = 0; o < OUTCOME_COUNT; o++)
        fit(b, XW_FIT_OUTCOME, nl_outcome_name((nl_outcome)o));
    for (int band = NL_BAND_READY_NOW; band <= NL_BAND_NONE; band++)
        fit(b, XW_FIT_BAND, nl_band_name((nl_band)band));
    const nl_file_summary *files = nl_matrix_files(b->m, &file_count);
    for (size_t i = 0; i < file_count; i++)
        fit(b, XW_FIT_FILE, files[i].path);
    /* Points: distances are ready at 0, quarters band at 1 and 3, the readiness score is read
     * against its gates. Shares: the balance bands (75%, 95%), full attainment and the family
     * gates. */
    static const double points[] = {0, 1, 3}, shares[] = {0.75, 0.95, 1};
    for (size_t i = 0; i < 3; i++) {
        add_threshold(b->score_thresholds, &b->score_threshold_count, points[i]);
        add_threshold(b->percent_thresholds, &b->percent_threshold_count, shares[i]);
    }
    for (size_t g = 0; g < fw->gate_count; g++) {
        const nl_gate *gate = &fw->gates[g];
        /* The plain value, then each level's own (KEY.LEVEL), as the gates compare them. */
        for (size_t l = 0; l <= fw->level_count; l++) {
            const double *at = gate->per_level[NL_GATE_THRESHOLD];
            if (l > 0 && (at == NULL || isnan(at[l - 1])))
                continue;
            double value = l == 0 ? gate->threshold : at[l - 1];
            if (gate->kind == NL_GATE_READINESS_SCORE)
                add_threshold(b->score_thresholds, &b->score_threshold_count, value);
            else if (gate->kind == NL_GATE_FAMILY_AVERAGE)
                add_threshold(b->percent_thresholds, &b->percent_threshold_count, value);
        }
    }
}
