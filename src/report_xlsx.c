#include "report_xlsx_internal.h"

#include "nextlevel/person_columns.h"
#include "nextlevel/pipeline.h"
#include "nextlevel/rundate.h"
#include "nextlevel/strutil.h"
#include "nextlevel/textsafe.h"

#include <assert.h>
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#ifndef NEXTLEVEL_VERSION
#define NEXTLEVEL_VERSION "unknown"
#endif

/* Excel's own limits. */
#define EXCEL_MAX_DATA_ROWS 1048575u
#define EXCEL_MAX_STRING    32767u

/* Ready now, Ready with risk, Developing, Not evaluated, Top of ladder: Paul Tol's teal, sand,
 * red, pale grey and indigo. Under a deuteranopia or protanopia simulation (Machado 2009) the
 * closest pair stays 22 apart (CIEDE2000); the old green, amber, red, grey and blue had Ready
 * now and Developing 6.6 apart. Each outcome cell is filled with its colour, so the cell and
 * the charts read alike. */
const lxw_color_t xw_outcome_color[OUTCOME_COUNT] = {0x009988, 0xDDCC77, 0xCC3311, 0xE0E0E0,
                                                     0x332288};
/* Black on the light fills, white on the dark ones: 5.9, 13.0, 5.2, 15.9 and 12.2 to 1. */
const lxw_color_t xw_outcome_text[OUTCOME_COUNT] = {0x000000, 0x000000, 0xFFFFFF, 0x000000,
                                                    0xFFFFFF};
const lxw_color_t xw_grid_fill = 0xEDEDED;
/* The Skill gaps scale: ColorBrewer's three-class red-blue, safe for colour-blind readers, with
 * black text at 8.5:1 and 8.2:1 on its ends. */
static const lxw_color_t scale_low = 0xEF8A62, scale_mid = 0xFFFFFF, scale_high = 0x67A9CF;
/* Outlines that keep light series (sand, pale grey) visible against a white chart. */
#define SERIES_OUTLINE 0x404040

const lxw_color_t *xw_scale_colors(void)
{
    static const lxw_color_t colors[3] = {scale_low, scale_mid, scale_high};
    return colors;
}

/* ---- cells ---- */

void xw_check(xlsx_writer *w, lxw_error error)
{
    if (error != LXW_NO_ERROR && w->first_error == LXW_NO_ERROR)
        w->first_error = error;
}

/* Text goes through nl_xml_text: what XML forbids becomes U+FFFD, a typed "_x0041_" stays as
 * typed, and a text longer than Excel's 32,767 UTF-16 units is cut at a character with a
 * marker. */
static void write_text(xlsx_writer *w, lxw_worksheet *ws, lxw_row_t row, lxw_col_t col,
                       const char *text, lxw_format *format, unsigned flags)
{
    static const char marker[] = " [truncated by nextlevel]";
    if (format == NULL)
        format = w->b->f.text;
    if (text == NULL || text[0] == '\0') {
        if (format != w->b->f.text)
            xw_check(w, worksheet_write_blank(ws, row, col, format));
        return;
    }
    /* Text in a cell that does not wrap is one line: a line break in it would print over the
     * next row, so it is written as a space. Wrapping cells keep their breaks. */
    if (!format->text_wrap)
        flags |= NL_XML_ONE_LINE;
    char *safe;
    if (!nl_xml_text(text, flags | NL_XML_CELL, EXCEL_MAX_STRING, marker, &safe)) {
        w->out_of_memory = true;
        return;
    }
    xw_check(w, worksheet_write_string(ws, row, col, safe ? safe : text, format));
    free(safe);
}

void xw_identity(xlsx_writer *w, lxw_worksheet *ws, lxw_row_t row, lxw_col_t col, const char *text,
                 lxw_format *format)
{
    write_text(w, ws, row, col, text, format, NL_XML_ONE_LINE);
}

void xw_text(xlsx_writer *w, lxw_worksheet *ws, lxw_row_t row, lxw_col_t col, const char *text,
             lxw_format *format)
{
    write_text(w, ws, row, col, text, format, 0);
}

char *xw_plain(const char *text)
{
    char *safe;
    if (!nl_xml_text(text ? text : "", NL_XML_ONE_LINE, 0, NULL, &safe))
        return NULL;
    return safe ? safe : nl_strdup(text ? text : "");
}

/* xw_plain of a, b, c and d joined. */
static char *xw_plain_joined(const char *a, const char *b, const char *c, const char *d)
{
    char *joined = nl_strjoin(nl_strjoin(nl_strjoin(nl_strdup(a), "", b ? b : ""), "", c), "", d);
    char *safe = joined ? xw_plain(joined) : NULL;
    free(joined);
    return safe;
}

/* The value at 15 significant digits, as the double nearest that decimal: arithmetic noise
 * such as 0.2000000000000002 is stored as 0.2. Scaling to a whole number below 2^53 and
 * dividing by an exact power of ten rounds once, correctly, without printing and parsing. */
static double without_noise(double value)
{
    static const double power[] = {1e0,  1e1,  1e2,  1e3,  1e4,  1e5,  1e6,  1e7,
                                   1e8,  1e9,  1e10, 1e11, 1e12, 1e13, 1e14, 1e15,
                                   1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};
    if (value == 0)
        return 0; /* -0 too */
    /* Most numbers are whole or quarter steps (counts, ratings, gaps, full attainment): exact
     * in binary, with no noise to take away, and worth sparing the logarithm (millions of
     * Skill gaps cells). */
    double quarters = value * 4;
    if (quarters == nearbyint(quarters) && fabs(value) < 1e15)
        return value;
    int digits = 14 - (int)floor(log10(fabs(value)));
    if (digits <= 0)
        return value; /* whole numbers at this size */
    if (digits > 22) {
        /* Tiny values, such as the 1.1e-16 left of a difference that should be 0: through the
         * decimal text (the C locale's, which nextlevel never changes). */
        char text[32];
        nl_sformat(text, sizeof text, "%.15g", value);
        return strtod(text, NULL);
    }
    double scaled = round(value * power[digits]);
    return scaled / power[digits];
}

void xw_number(xlsx_writer *w, lxw_worksheet *ws, lxw_row_t row, lxw_col_t col, double value,
               lxw_format *format)
{
    if (format == NULL)
        format = w->b->f.text;
    if (isfinite(value))
        xw_check(w, worksheet_write_number(ws, row, col, without_noise(value), format));
    else if (format != w->b->f.text)
        xw_check(w, worksheet_write_blank(ws, row, col, format));
}

void xw_readiness(xlsx_writer *w, lxw_worksheet *ws, lxw_row_t row, lxw_col_t col, double value,
                  lxw_format *format)
{
    if (isnan(value) && !nl_framework_has_skills(w->b->fw))
        xw_text(w, ws, row, col, NL_READINESS_NOT_APPLICABLE, w->b->f.text_after_number);
    else
        xw_number(w, ws, row, col, value, format);
}

void xw_owned(xlsx_writer *w, lxw_worksheet *ws, lxw_row_t row, lxw_col_t col, char *text,
              lxw_format *format)
{
    if (text == NULL) {
        w->out_of_memory = true;
        return;
    }
    xw_text(w, ws, row, col, text, format);
    free(text);
}

lxw_worksheet *xw_next_row(xlsx_writer *w, sheet_series *series, lxw_row_t *row)
{
    if (series->row > w->b->max_rows) {
        if (series->current + 1 >= series->count)
            return NULL; /* cannot happen: sheets are counted before writing */
        series->current++;
        series->row = 1;
    }
    *row = series->row++;
    return series->sheets[series->current];
}

/* ---- printing ---- */

/* A4 landscape less side margins of 0.4 inch, in points. */
#define PRINT_SIDE_MARGIN 0.4
#define PRINT_WIDTH       ((11.69 - 2 * PRINT_SIDE_MARGIN) * 72)
/* Body text is 11 pt: printed under 73% it is under 8 pt. */
#define MIN_PRINT_SCALE 73

/* The width of column col in points, as set by worksheet_set_column (8.43 characters when not
 * set). libxlsxwriter keeps the widths only in the worksheet's col_options ranges; reading
 * them here keeps the sheet's own calls the one place a width is written. */
static double column_points(const lxw_worksheet *ws, lxw_col_t col)
{
    double chars = LXW_DEF_COL_WIDTH;
    for (uint16_t i = 0; i < ws->col_options_max; i++) {
        const lxw_col_options *o = ws->col_options[i];
        if (o != NULL && o->firstcol <= col && col <= o->lastcol)
            chars = o->hidden ? 0 : o->width;
    }
    /* Excel's pixels for a width in characters of Calibri 11, at 0.75 points a pixel. */
    return (chars < 1 ? chars * 12 : chars * 7 + 5) * 0.75;
}

/* How many pages wide columns 0..last print at scale percent, the first repeated columns
 * printed again on every page. Columns are never split; a 2% margin covers the differences
 * between Excel's and LibreOffice's column widths. */
static unsigned pages_wide(const lxw_worksheet *ws, lxw_col_t last, lxw_col_t repeated,
                           unsigned scale)
{
    double page = PRINT_WIDTH * 100.0 / scale * 0.98, repeated_width = 0, used = 0;
    unsigned pages = 1;
    for (lxw_col_t c = 0; c < repeated && c <= last; c++)
        repeated_width += column_points(ws, c);
    for (lxw_col_t c = 0; c <= last; c++) {
        double width = column_points(ws, c);
        if (used + width > page && used > (pages == 1 ? 0 : repeated_width)) {
            pages++;
            used = repeated_width;
        }
        used += width;
        if (c == LXW_COL_MAX - 1)
            break;
    }
    return pages;
}

/* The footer of every printed page: the sheet's name and the run, the template's
 * confidentiality line, and "Page N of M". Excel keeps at most 255 characters and reads '&'
 * as a code, so the line's '&' are doubled and it is cut to fit (the template already
 * limits it to NL_CONFIDENTIALITY_MAX characters). */
void xw_print_footer(xlsx_writer *w, lxw_worksheet *ws)
{
    char left[96], footer[96 + LXW_HEADER_FOOTER_MAX + 16];
    nl_sformat(left, sizeof left, "&L&A, nextlevel run %s&C", w->b->date_text);
    static const char right[] = "&RPage &P of &N";
    size_t room = LXW_HEADER_FOOTER_MAX - strlen(left) - strlen(right), n = 0;
    char line[LXW_HEADER_FOOTER_MAX + 1];
    char *confidentiality = xw_plain(w->b->fw->report.confidentiality);
    if (confidentiality == NULL)
        w->out_of_memory = true;
    for (const char *c = confidentiality; c != NULL && *c; c++) {
        /* A character goes in whole (all its UTF-8 bytes, an '&' doubled) or not at all. */
        if ((*c & 0xC0) != 0x80) {
            size_t bytes = 1;
            while ((c[bytes] & 0xC0) == 0x80)
                bytes++;
            if (n + bytes + (*c == '&') > room)
                break;
        }
        line[n++] = *c;
        if (*c == '&')
            line[n++] = '&';
    }
    line[n] = '\0';
    free(confidentiality);
    nl_sformat(footer, sizeof footer, "%s%s%s", left, line, right);
    xw_check(w, worksheet_set_footer(ws, footer));
}

void xw_print_setup(xlsx_writer *w, lxw_worksheet *ws, lxw_row_t header_row)
{
    worksheet_set_landscape(ws);
    worksheet_set_paper(ws, 9); /* A4 */
    worksheet_set_margins(ws, PRINT_SIDE_MARGIN, PRINT_SIDE_MARGIN, 0.6, 0.7);
    if (header_row != XW_NO_HEADER_ROW)
        xw_check(w, worksheet_repeat_rows(ws, header_row, header_row));
    /* The printed columns: the print area's, or every column written so far (the header row
     * is written before this is called). */
    lxw_col_t last = ws->print_area.in_use ? ws->print_area.last_col : ws->dim_colmax;
    lxw_col_t repeated = ws->panes.first_col; /* the frozen identity columns */
    if (pages_wide(ws, last, 0, MIN_PRINT_SCALE) == 1) {
        worksheet_fit_to_pages(ws, 1, 0);
    } else {
        /* Too wide for one page at a readable size: across pages at the largest scale that
         * needs the fewest pages, the identity columns on every page, read across. */
        unsigned best_scale = 100, best_pages = UINT_MAX;
        for (unsigned scale = 100; scale >= MIN_PRINT_SCALE; scale--) {
            unsigned pages = pages_wide(ws, last, repeated, scale);
            if (pages < best_pages) {
                best_pages = pages;
                best_scale = scale;
            }
        }
        worksheet_set_print_scale(ws, (uint16_t)best_scale);
        if (repeated > 0)
            xw_check(w, worksheet_repeat_columns(ws, 0, (lxw_col_t)(repeated - 1)));
        worksheet_print_across(ws);
    }
    xw_print_footer(w, ws);
}

/* ---- formats ---- */

/* Every format aligns to the top, so that a row made tall by a wrapped reason still reads
 * across from its name. */
static lxw_format *new_format(lxw_workbook *wb, lxw_color_t fill, lxw_color_t font, bool bold)
{
    lxw_format *f = workbook_add_format(wb);
    format_set_align(f, LXW_ALIGN_VERTICAL_TOP);
    if (fill != LXW_COLOR_UNSET)
        format_set_bg_color(f, fill);
    if (font != LXW_COLOR_UNSET) /* libxlsxwriter reads 0 as "not given": black is its own */
        format_set_font_color(f, font == 0x000000 ? LXW_COLOR_BLACK : font);
    if (bold)
        format_set_bold(f);
    return f;
}

static void create_formats(xw_book *b)
{
    lxw_workbook *wb = b->wb;
    xlsx_formats *f = &b->f;
    f->title = new_format(wb, LXW_COLOR_UNSET, 0x1F3864, true);
    format_set_font_size(f->title, 16);
    f->subtitle = new_format(wb, LXW_COLOR_UNSET, 0x595959, false);
    format_set_italic(f->subtitle);
    f->section = new_format(wb, LXW_COLOR_UNSET, 0x1F3864, true);
    format_set_font_size(f->section, 12);
    format_set_bottom(f->section, LXW_BORDER_THIN);
    f->header = new_format(wb, 0x1F3864, LXW_COLOR_WHITE, true);
    format_set_text_wrap(f->header);
    format_set_align(f->header, LXW_ALIGN_VERTICAL_TOP);
    f->text = new_format(wb, LXW_COLOR_UNSET, LXW_COLOR_UNSET, false);
    f->wrap = new_format(wb, LXW_COLOR_UNSET, LXW_COLOR_UNSET, false);
    format_set_text_wrap(f->wrap);
    format_set_align(f->wrap, LXW_ALIGN_VERTICAL_TOP);
    f->bold = new_format(wb, LXW_COLOR_UNSET, LXW_COLOR_UNSET, true);
    f->link = new_format(wb, LXW_COLOR_UNSET, LXW_COLOR_BLUE, false);
    format_set_underline(f->link, LXW_UNDERLINE_SINGLE);
    f->header_number = new_format(wb, 0x1F3864, LXW_COLOR_WHITE, true);
    format_set_text_wrap(f->header_number);
    format_set_align(f->header_number, LXW_ALIGN_RIGHT);
    format_set_align(f->header_number, LXW_ALIGN_VERTICAL_TOP);
    f->score = new_format(wb, LXW_COLOR_UNSET, LXW_COLOR_UNSET, false);
    format_set_num_format(f->score, "0.0");
    f->percent = new_format(wb, LXW_COLOR_UNSET, LXW_COLOR_UNSET, false);
    format_set_num_format(f->percent, "0.0%");
    f->ratio = new_format(wb, LXW_COLOR_UNSET, LXW_COLOR_UNSET, false);
    format_set_num_format(f->ratio, "0.00");
    f->p_value = new_format(wb, LXW_COLOR_UNSET, LXW_COLOR_UNSET, false);
    format_set_num_format(f->p_value, "[<0.001]\"<0.001\";0.000");
    f->number = new_format(wb, LXW_COLOR_UNSET, LXW_COLOR_UNSET, false);
    format_set_num_format(f->number, "0.00");
    f->integer = new_format(wb, LXW_COLOR_UNSET, LXW_COLOR_UNSET, false);
    format_set_num_format(f->integer, "0");
    for (int d = 0; d <= XW_MAX_DECIMALS; d++) {
        char code[16] = "0.", percent[24];
        memset(code + 2, '0', (size_t)d);
        code[d ? 2 + d : 1] = '\0';
        nl_sformat(percent, sizeof percent, "%s%%", code);
        f->fixed[d] = new_format(wb, LXW_COLOR_UNSET, LXW_COLOR_UNSET, false);
        format_set_num_format(f->fixed[d], code);
        f->percent_fixed[d] = new_format(wb, LXW_COLOR_UNSET, LXW_COLOR_UNSET, false);
        format_set_num_format(f->percent_fixed[d], percent);
    }
    f->not_assessed = new_format(wb, 0xD9D9D9, 0x595959, false);
    format_set_italic(f->not_assessed);
    for (int o = 0; o < OUTCOME_COUNT; o++)
        f->outcome[o] = new_format(wb, xw_outcome_color[o], xw_outcome_text[o], true);
    /* A gate's pass or fail is not the person's outcome: neither reuses an outcome colour. */
    f->pass = new_format(wb, LXW_COLOR_UNSET, 0x1F3864, false);
    f->fail = new_format(wb, 0xFBE3D6, 0x7A1F00, true);
    f->text_after_number = new_format(wb, LXW_COLOR_UNSET, LXW_COLOR_UNSET, false);
    format_set_indent(f->text_after_number, 1);
    f->fail_after_number = new_format(wb, 0xFBE3D6, 0x7A1F00, true);
    format_set_indent(f->fail_after_number, 1);
    f->header_after_number = new_format(wb, 0x1F3864, LXW_COLOR_WHITE, true);
    format_set_text_wrap(f->header_after_number);
    format_set_indent(f->header_after_number, 1);
    f->skipped = new_format(wb, 0xE0E0E0, 0x595959, false);
    f->group_row = new_format(wb, 0xDDEBF7, 0x1F3864, true);
    static const char *const score_fine[XW_FINE_DECIMALS] = {"0.00", "0.000", "0.0000", "0.00000"};
    static const char *const percent_fine[XW_FINE_DECIMALS] = {"0.00%", "0.000%", "0.0000%",
                                                               "0.00000%"};
    for (int d = 0; d < XW_FINE_DECIMALS; d++) {
        f->score_fine[d] = new_format(wb, LXW_COLOR_UNSET, LXW_COLOR_UNSET, false);
        format_set_num_format(f->score_fine[d], score_fine[d]);
        f->percent_fine[d] = new_format(wb, LXW_COLOR_UNSET, LXW_COLOR_UNSET, false);
        format_set_num_format(f->percent_fine[d], percent_fine[d]);
    }
    f->change = new_format(wb, LXW_COLOR_UNSET, LXW_COLOR_UNSET, false);
    f->rise = new_format(wb, 0xDCEAF7, 0x0B4F8A, false);
    f->fall = new_format(wb, 0xFBE3D6, 0x7A1F00, false);
    lxw_format *changes[] = {f->change, f->rise, f->fall};
    for (size_t i = 0; i < 3; i++)
        format_set_num_format(changes[i], "+0.0;-0.0;0.0");
    f->scale_low = new_format(wb, scale_low, 0x000000, false);
    f->scale_mid = new_format(wb, scale_mid, 0x000000, false);
    f->scale_high = new_format(wb, scale_high, 0x000000, false);
    lxw_format *legend[] = {f->scale_low, f->scale_mid, f->scale_high};
    for (size_t i = 0; i < 3; i++) {
        format_set_border(legend[i], LXW_BORDER_THIN);
        format_set_border_color(legend[i], 0x7F7F7F);
        format_set_text_wrap(legend[i]);
    }
    /* libxlsxwriter numbers a format when a cell first uses it, in a table shared by the
     * workbook. Numbering them all now keeps that table unchanged while threads write cells,
     * and the numbers the same whichever thread writes first. */
    lxw_format **all = (lxw_format **)f;
    static_assert(sizeof *f % sizeof *all == 0, "xlsx_formats holds only format pointers");
    for (size_t i = 0; i < sizeof *f / sizeof *all; i++) {
        /* A format alike an earlier one (f->ratio and f->number are both "0.00") gets the
         * earlier one's number, but libxlsxwriter records it only in the earlier one: the
         * later one would be copied and hashed whole again at every cell it writes (some
         * seconds of Gates at 100,000 people). Recording the number it gets in it too writes
         * the same cells. */
        all[i]->xf_index = lxw_format_get_xf_index(all[i]);
    }
}

/* ---- the book: laid out before any thread starts ---- */

/* Takes the view's people and counts, and lays out where each outcome's block starts on
 * Readiness (for the scatter chart's series). */
static void take_view(xw_book *b)
{
    const nl_review_view *view = b->view;
    b->people = b->rv->people;
    b->order = view->order;
    b->count = view->count;
    b->counts = view->counts;
    b->left_count = view->leaver_count;
    size_t row = 1;
    for (int o = 0; o < OUTCOME_COUNT; o++) {
        b->readiness_rows_of[o] = row;
        row += b->counts.people[o];
    }
}

/* libxlsxwriter writes a sheet's rows to a temporary file through the C library's buffer,
 * 4 KB here: a system call every 4 KB written, and again every 4 KB read back when the
 * workbook is closed, some 600,000 calls for 100,000 people, each dearer on a virtual machine.
 * A sheet of many rows gets a larger buffer (Readiness, Gates, Skill gaps, Development plans
 * and Trend at most, one sheet each being filled at a time). */
#define BUFFERED_SHEET_ROWS 2000
#define SHEET_BUFFER        (256 * 1024)

/* Gives sheet i of series its own buffer; without one (out of memory) it keeps the default.
 * Called before anything is written to the sheet, as setvbuf requires. */
static void buffer_sheet(sheet_series *series, size_t i)
{
    lxw_worksheet *ws = series->sheets[i];
    if (ws->optimize_tmpfile == NULL)
        return;
    series->buffers[i] = malloc(SHEET_BUFFER);
    if (series->buffers[i] != NULL &&
        setvbuf(ws->optimize_tmpfile, series->buffers[i], _IOFBF, SHEET_BUFFER) != 0) {
        free(series->buffers[i]);
        series->buffers[i] = NULL;
    }
}

/* Creates the sheets of a series: as many as its rows need, at least one. */
static bool add_series(xlsx_writer *w, sheet_series *series, const char *name, size_t rows,
                       void (*header)(xlsx_writer *, lxw_worksheet *))
{
    series->name = name;
    series->count = rows == 0 ? 1 : (rows + w->b->max_rows - 1) / w->b->max_rows;
    series->sheets = calloc(series->count, sizeof *series->sheets);
    series->buffers = calloc(series->count, sizeof *series->buffers);
    series->row = 1;
    series->header = header;
    if (series->sheets == NULL || series->buffers == NULL)
        return false;
    for (size_t i = 0; i < series->count; i++) {
        char sheet_name[64];
        if (i == 0)
            nl_sformat(sheet_name, sizeof sheet_name, "%s", name);
        else
            nl_sformat(sheet_name, sizeof sheet_name, "%s (%zu)", name, i + 1);
        series->sheets[i] = workbook_add_worksheet(w->b->wb, sheet_name);
        if (series->sheets[i] == NULL)
            return false;
        if (rows >= BUFFERED_SHEET_ROWS)
            buffer_sheet(series, i);
        header(w, series->sheets[i]);
    }
    return true;
}

/* Creates every sheet in its order; w (the writer of the whole book, every series) writes the
 * headers. */
static bool create_sheets(xw_book *b, xlsx_writer *w)
{
    size_t gate_rows = 0, plan_rows = 0, gap_rows = 0, rejected;
    bool *level_used = calloc(b->fw->level_count + 1, sizeof *level_used);
    if (level_used == NULL)
        return false;
    for (size_t i = 0; i < b->count; i++) {
        const person_summary *s = &b->people[b->order[i]];
        gate_rows += s->gate_rows;
        plan_rows += s->plan_rows;
        if (s->next_level != SIZE_MAX) {
            gap_rows += 1 + !level_used[s->next_level];
            level_used[s->next_level] = true;
        }
    }
    free(level_used);
    nl_matrix_rejections(b->m, &rejected);
    b->summary = workbook_add_worksheet(b->wb, "Summary");
    if (xw_whatif_wanted(b) && (b->whatif_sheet = workbook_add_worksheet(b->wb, "What if")) == NULL)
        return false;
    b->slate_sheet = workbook_add_worksheet(b->wb, "Slate");
    b->pipeline_sheet = workbook_add_worksheet(b->wb, "Pipeline");
    return b->summary != NULL && b->slate_sheet != NULL && b->pipeline_sheet != NULL &&
           add_series(w, w->readiness, "Readiness", b->count, xw_readiness_header) &&
           (b->opt->summary_detail ||
            (add_series(w, w->gates, "Gates", gate_rows, xw_gates_header) &&
             add_series(w, w->gaps, "Skill gaps", gap_rows, xw_gaps_header))) &&
           add_series(w, w->plans, "Development plans", plan_rows, xw_plans_header) &&
           (b->calibration_sheet = workbook_add_worksheet(b->wb, "Calibration")) != NULL &&
           (b->history == NULL ||
            add_series(w, w->trend, "Trend", b->count + b->left_count, xw_trend_header)) &&
           (b->rv->fairness == NULL ||
            (b->fairness_sheet = workbook_add_worksheet(b->wb, "Fairness")) != NULL) &&
           add_series(w, w->rejected, "Rejected rows", b->view->whole ? rejected : 1,
                      xw_rejected_header) &&
           (b->criteria = workbook_add_worksheet(b->wb, "Criteria")) != NULL;
}

/* ---- the parts, each on its own thread when there are cores to spare ---- */

/* Readiness, and the texts of Development plans: people in Readiness order, evaluated in full
 * by the pipeline's producer, on the calling thread. */
static bool write_person(void *data, size_t position, const nl_person_result *result)
{
    xlsx_writer *w = data;
    xw_person_rows(w, position, &w->b->people[w->b->order[position]], result);
    if ((position + 1) % 4096 == 0)
        nl_progress_report(w->b->opt->progress, "writing", position + 1, w->b->count);
    return !w->out_of_memory;
}

/* Gates, as many cells as the two above together, on a consumer thread of its own. */
static bool write_gates(void *data, size_t position, const nl_person_result *result)
{
    (void)position;
    xlsx_writer *w = data;
    xw_gate_rows(w, result);
    return !w->out_of_memory;
}

/* The What if sheet's rows, on a consumer thread of its own. */
static bool write_whatif(void *data, size_t position, const nl_person_result *result)
{
    return xw_whatif_person(data, position, result);
}

/* Skill gaps and Trend need the review alone, so they are written beside the pipeline. */
static void write_side_sheets(void *data)
{
    xlsx_writer *w = data;
    if (!w->b->opt->summary_detail)
        xw_gaps_sheet(w);
    if (w->b->history != NULL)
        xw_trend_sheet(w);
}

/* Development plans, in its own order, each row as soon as the part writing Readiness has kept
 * its texts. */
static void write_plans(void *data)
{
    xw_plans_sheet(data);
}

/* A part's errors, once it is done. */
static void take_errors(xlsx_writer *w, const xlsx_writer *part)
{
    w->out_of_memory = w->out_of_memory || part->out_of_memory;
    xw_check(w, part->first_error);
}

/* The people's sheets: main writes Readiness, gates the Gates sheet, side Skill gaps and
 * Trend and plans Development plans, each on a thread of its own when the run has the cores
 * (plans otherwise after the others). */
static nl_status write_people(xlsx_writer *main, xlsx_writer *gates, xlsx_writer *side,
                              xlsx_writer *plans, xlsx_writer *whatif)
{
    const xw_book *b = main->b;
    size_t people_count;
    const nl_person *people = nl_matrix_people(b->m, &people_count);
    size_t *persons = malloc((b->count ? b->count : 1) * sizeof *persons);
    if (persons == NULL)
        return NL_ERR_NOMEM;
    for (size_t i = 0; i < b->count; i++)
        persons[i] = b->people[b->order[i]].person;
    bool threaded = b->opt->threads > 1 && b->count >= NL_THREADS_FROM_PEOPLE;
    nl_side_task task, plans_task;
    nl_side_task_start(&task, write_side_sheets, side, threaded);
    nl_side_task_start(&plans_task, write_plans, plans, threaded);
    nl_consumer consumers[3] = {{write_person, main}};
    size_t consumer_count = 1;
    if (!b->opt->summary_detail)
        consumers[consumer_count++] = (nl_consumer){write_gates, gates};
    if (b->whatif != NULL)
        consumers[consumer_count++] = (nl_consumer){write_whatif, whatif};
    nl_status status = nl_pipeline_run(b->ev, people, persons, b->count, b->opt->threads, consumers,
                                       consumer_count);
    xw_plans_kept(main); /* a plans thread waiting for rows that never came goes on */
    nl_side_task_finish(&task, status == NL_OK);
    nl_side_task_finish(&plans_task, status == NL_OK);
    take_errors(main, gates);
    take_errors(main, side);
    take_errors(main, plans);
    take_errors(main, whatif);
    free(persons);
    return status;
}

/* ---- the workbook ---- */

/* libxlsxwriter writes every part of a workbook (some 27 for a pack) to its own temporary
 * file before zipping it. On a disk file system creating a file costs far more than filling
 * a small one, and processes creating files in one folder wait on each other, so the parts of
 * a small workbook (a few MB at most) go to memory-backed /dev/shm when the system has it. */
#define SMALL_WORKBOOK_PEOPLE 2000

static const char *parts_folder(const char *tmpdir, size_t people)
{
    if (people <= SMALL_WORKBOOK_PEOPLE && access("/dev/shm", W_OK | X_OK) == 0)
        return "/dev/shm";
    return tmpdir;
}

/* After the workbook is closed: its sheets' files used the buffers. */
static void free_series(sheet_series *series)
{
    for (size_t i = 0; series->buffers != NULL && i < series->count; i++)
        free(series->buffers[i]);
    free(series->buffers);
    free(series->sheets);
}

nl_status nl_write_workbook(const char *path, const char *tmpdir, const nl_review_view *view,
                            const nl_xlsx_options *opt, nl_error *err)
{
    const nl_review *rv = view->review;
    xw_book b = {.rv = rv,
                 .view = view,
                 .ev = rv->ev,
                 .fw = rv->fw,
                 .m = rv->m,
                 .history = nl_review_history(rv),
                 .opt = opt,
                 .has_pair = rv->has_pair,
                 .pair_first = rv->pair_first,
                 .pair_second = rv->pair_second};
    b.max_rows = opt->max_rows_per_sheet ? opt->max_rows_per_sheet : EXCEL_MAX_DATA_ROWS;
    /* libxlsxwriter writes docProps through gmtime without checking it: a date it cannot
     * break down, or a year outside four digits, would crash it or make a file Excel refuses. */
    struct tm tm;
    if (gmtime_r(&opt->run_date, &tm) == NULL || tm.tm_year + 1900 < NL_RUN_YEAR_MIN ||
        tm.tm_year + 1900 > NL_RUN_YEAR_MAX)
        return nl_error_set(err, NL_ERR_USAGE, NULL, 0, 0,
                            "the run date must fall in the years %d to %d", NL_RUN_YEAR_MIN,
                            NL_RUN_YEAR_MAX);
    strftime(b.date_text, sizeof b.date_text, "%Y-%m-%d %H:%M UTC", &tm);
    take_view(&b);
    xw_measure(&b);
    xw_readiness_layout(&b);
    /* Each series is written by one part alone. */
    sheet_series readiness = {0}, gates = {0}, gaps = {0}, plans = {0}, trend = {0}, rejected = {0};
    xlsx_writer w = {&b, &readiness, &gates, &gaps, &plans, &trend, &rejected, false, 0, NULL};
    xlsx_writer gates_part = {.b = &b, .gates = &gates};
    xlsx_writer side_part = {.b = &b, .gaps = &gaps, .trend = &trend};
    xlsx_writer plans_part = {.b = &b, .plans = &plans};
    xlsx_writer whatif_part = {.b = &b};
    nl_status status = NL_OK;
    /* A sheet's XML passes 4 GB around a million long rows: let the zip grow past it. */
    lxw_workbook_options options = {.constant_memory = 1,
                                    .tmpdir = (char *)parts_folder(tmpdir, b.count),
                                    .use_zip64 = b.count > 250000};
    b.wb = workbook_new_opt(path, &options);
    if (b.wb == NULL) {
        status = nl_error_set(err, NL_ERR_OUTPUT, path, 0, 0, "cannot start the workbook");
        goto out;
    }
    create_formats(&b);
    if (!create_sheets(&b, &w)) {
        /* In constant-memory mode each sheet opens a temporary file: out of file descriptors
         * or disk is the likelier cause than memory. */
        int saved = errno;
        workbook_close(b.wb);
        status = nl_error_set(err, nl_status_from_errno(saved, NL_ERR_OUTPUT), path, 0, 0,
                              "cannot create the sheets: %s", strerror(saved));
        goto out;
    }
    w.plan_store = xw_plan_store_new(options.tmpdir, b.count);
    if (w.plan_store == NULL) {
        int saved = errno;
        workbook_close(b.wb);
        status = nl_error_set(err, nl_status_from_errno(saved, NL_ERR_OUTPUT), path, 0, 0,
                              "cannot create a temporary file in %s: %s",
                              options.tmpdir ? options.tmpdir : "/tmp", strerror(saved));
        goto out;
    }
    plans_part.plan_store = w.plan_store;
    if (b.whatif_sheet != NULL && !xw_whatif_begin(&w, b.whatif_sheet)) {
        workbook_close(b.wb);
        status = nl_error_set(err, NL_ERR_NOMEM, path, 0, 0, "out of memory");
        goto out;
    }
    status = write_people(&w, &gates_part, &side_part, &plans_part, &whatif_part);
    if (status == NL_OK) {
        xw_calibration_sheet(&w);
        if (b.fairness_sheet != NULL)
            xw_fairness_sheet(&w);
        xw_rejected_sheet(&w);
        xw_finish_person_sheets(&w);
        xw_summary_sheet(&w);
        xw_slate_sheet(&w);
        xw_pipeline_sheet(&w);
        xw_criteria_sheet(&w);
    }
    /* docProps/core.xml is XML too: the template's name and path (a file name may hold any
     * byte) go in through the same sanitiser as the cells. */
    char *title = xw_plain_joined("Promotion readiness: ", b.fw->name, "", "");
    char *comments =
        xw_plain_joined("Template ", b.fw->path, ", priorities ", nl_evaluator_profile(b.ev)->name);
    if (title == NULL || comments == NULL)
        w.out_of_memory = true;
    lxw_doc_properties properties = {
        .title = title ? title : "",
        .subject = "Who already operates at the next level",
        .author = "nextlevel " NEXTLEVEL_VERSION,
        .comments = comments ? comments : "",
        /* libxlsxwriter reads 0 as "now": the first second keeps SOURCE_DATE_EPOCH=0 (1970)
         * reproducible, one second later in docProps alone. */
        .created = opt->run_date != 0 ? opt->run_date : 1,
    };
    xw_check(&w, workbook_set_properties(b.wb, &properties));
    free(title);
    free(comments);
    lxw_error closed = workbook_close(b.wb);
    if (status == NL_OK && w.out_of_memory)
        status = nl_error_set(err, NL_ERR_NOMEM, path, 0, 0, "out of memory");
    else if (status == NL_OK && (closed != LXW_NO_ERROR || w.first_error != LXW_NO_ERROR))
        status = nl_error_set(err, NL_ERR_OUTPUT, path, 0, 0, "cannot write the workbook: %s",
                              lxw_strerror(closed != LXW_NO_ERROR ? closed : w.first_error));
    else if (status != NL_OK)
        nl_error_set(err, status, path, 0, 0, "%s", nl_strerror(status));
out:
    xw_plan_store_free(w.plan_store);
    xw_whatif_free(b.whatif);
    free_series(&readiness);
    free_series(&gates);
    free_series(&gaps);
    free_series(&plans);
    free_series(&trend);
    free_series(&rejected);
    return status;
}
