#include "framework_build.h"

#include "nextlevel/csvread.h"
#include "nextlevel/readfile.h"
#include "nextlevel/strutil.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* ---- expectations grid ---- */

typedef struct grid_reading {
    builder *b;
    size_t *level_of_column; /* SIZE_MAX: column unused */
    size_t columns;
    bool header_done;
} grid_reading;

static bool on_grid_bad_row(const nl_csv_bad_row *bad, void *data)
{
    grid_reading *g = data;
    nl_framework *fw = g->b->fw;
    nl_diag_add(&fw->diags, NL_DIAG_ERROR, fw->expectations_path, bad->line, bad->column, "%s",
                bad->reason);
    return true;
}

static bool on_grid_record(const nl_csv_record *rec, void *data)
{
    grid_reading *g = data;
    nl_framework *fw = g->b->fw;
    const char *path = fw->expectations_path;
    if (!g->header_done) {
        g->header_done = true;
        g->columns = rec->count;
        g->level_of_column = malloc(rec->count * sizeof *g->level_of_column);
        if (g->level_of_column == NULL) {
            g->b->out_of_memory = true;
            return false;
        }
        g->level_of_column[0] = SIZE_MAX;
        for (size_t c = 1; c < rec->count; c++) {
            g->level_of_column[c] = SIZE_MAX;
            if (!nl_framework_find_level(fw, nl_trim(rec->fields[c]), &g->level_of_column[c]))
                nl_diag_add(&fw->diags, NL_DIAG_ERROR, path, rec->line, (long)c + 1,
                            "column '%s' is not a level of the template", rec->fields[c]);
        }
        return true;
    }
    size_t skill;
    const char *skill_text = nl_trim(rec->fields[0]);
    if (!nl_framework_find_skill(fw, skill_text, &skill)) {
        nl_diag_add(&fw->diags, NL_DIAG_ERROR, path, rec->line, 1,
                    "'%s' is not a skill of the template", skill_text);
        return true;
    }
    if (rec->count != g->columns) {
        nl_diag_add(&fw->diags, NL_DIAG_ERROR, path, rec->line, 0,
                    "row has %zu fields, the header has %zu", rec->count, g->columns);
        return true;
    }
    for (size_t c = 1; c < rec->count; c++) {
        const char *text = nl_trim(rec->fields[c]);
        if (g->level_of_column[c] != SIZE_MAX && *text != '\0')
            fwb_set_expectation(g->b, &fw->levels[g->level_of_column[c]], path, rec->line,
                                (long)c + 1, fw->skills[skill].id, text);
    }
    return true;
}

/* The line of the [framework] key that names the grid, for messages about the file. */
static long expectations_file_line(nl_ini_doc *doc)
{
    for (size_t s = 0; s < doc->count; s++) {
        if (strcmp(doc->sections[s].name, "framework") != 0)
            continue;
        nl_ini_entry *entry = nl_ini_find(&doc->sections[s], "expectations_file");
        if (entry != NULL)
            return entry->line;
    }
    return 0;
}

/* Reads the grid whole (capped, so that a device or a huge file named by mistake is refused
 * instead of read without end) and parses it. */
static nl_status read_grid(grid_reading *g, const char *path, bool *unreadable, nl_error *err)
{
    char *text = NULL;
    size_t len = 0;
    nl_status status = nl_read_capped(path, "the expectations grid", NL_READ_CAP, &text, &len, err);
    *unreadable = status != NL_OK;
    if (status != NL_OK)
        return status;
    nl_csv_reader *reader = nl_csv_reader_new(path, 0, on_grid_record, on_grid_bad_row, g);
    if (reader == NULL)
        status = nl_error_set(err, NL_ERR_NOMEM, path, 0, 0, "out of memory");
    if (status == NL_OK)
        status = nl_csv_feed(reader, text, len, err);
    if (status == NL_OK)
        status = nl_csv_finish(reader, err);
    nl_csv_reader_free(reader);
    free(text);
    return status;
}

nl_status fwb_load_grid(builder *b, nl_error *err)
{
    grid_reading g = {.b = b};
    nl_framework *fw = b->fw;
    bool unreadable;
    nl_status status = read_grid(&g, fw->expectations_path, &unreadable, err);
    free(g.level_of_column);
    /* A grid that cannot be opened, or is a device or too long, is the template's error. */
    if (status == NL_ERR_IO || (status == NL_ERR_INPUT && unreadable)) {
        nl_diag_add(&fw->diags, NL_DIAG_ERROR, fw->path, expectations_file_line(b->doc), 0,
                    "expectations_file %s: %s", fw->expectations_path, err->message);
        nl_error_clear(err);
        return NL_OK;
    }
    if (status == NL_ERR_INPUT) {
        nl_diag_add(&fw->diags, NL_DIAG_ERROR, err->path, err->line, err->column, "%s",
                    err->message);
        nl_error_clear(err);
        return NL_OK;
    }
    return status == NL_ERR_STOPPED ? NL_OK : status;
}
