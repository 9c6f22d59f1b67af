#include "matrix_internal.h"

#include "nextlevel/strutil.h"

#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const nl_person *nl_matrix_people(const nl_matrix *m, size_t *count)
{
    *count = m->people_count;
    return m->people;
}

const nl_rejection *nl_matrix_rejections(const nl_matrix *m, size_t *count)
{
    *count = m->rejection_count;
    return m->rejections;
}

const nl_file_summary *nl_matrix_files(const nl_matrix *m, size_t *count)
{
    *count = m->file_count;
    return m->files;
}

nl_matrix *nl_matrix_new(const nl_framework *fw)
{
    nl_matrix *m = calloc(1, sizeof *m);
    if (m == NULL)
        return NULL;
    m->fw = fw;
    /* The people's id blocks stay put while the array of people grows. */
    m->ids = nl_strmap_new_borrowing();
    if (m->ids == NULL) {
        free(m);
        return NULL;
    }
    return m;
}

nl_person *nl_matrix_people_mutable(nl_matrix *m, size_t *count)
{
    *count = m->people_count;
    return m->people;
}

nl_rejection *nl_matrix_rejections_mutable(nl_matrix *m, size_t *count)
{
    *count = m->rejection_count;
    return m->rejections;
}

void nl_matrix_trim(nl_matrix *m)
{
    if (m->people_count == 0 || m->people_count == m->people_cap)
        return;
    nl_person *trimmed = realloc(m->people, m->people_count * sizeof *m->people);
    if (trimmed != NULL) { /* else it keeps its spare room, which does no harm */
        m->people = trimmed;
        m->people_cap = m->people_count;
    }
}

bool nl_matrix_reindex(nl_matrix *m)
{
    nl_strmap *ids = nl_strmap_new_borrowing();
    for (size_t i = 0; ids != NULL && i < m->people_count; i++) {
        if (!nl_strmap_put(ids, m->people[i].id, i)) {
            nl_strmap_free(ids);
            return false;
        }
    }
    if (ids == NULL)
        return false;
    nl_strmap_free(m->ids);
    m->ids = ids;
    return true;
}

bool nl_matrix_rejected(const nl_matrix *m, const char *id)
{
    for (size_t i = 0; i < m->rejection_count; i++) {
        if (m->rejections[i].id != NULL && strcmp(m->rejections[i].id, id) == 0)
            return true;
    }
    return false;
}

bool nl_matrix_find(const nl_matrix *m, const char *id, size_t *index)
{
    return nl_strmap_get(m->ids, id, index);
}

void nl_matrix_set_encoding(nl_matrix *m, const char *name)
{
    m->encoding = name;
}

void nl_matrix_set_progress(nl_matrix *m, const nl_progress *progress)
{
    m->progress = progress;
}

bool nl_person_set_identity(nl_person *p, const char *id, const char *name, const char *team,
                            const char *manager, const char *group)
{
    /* Five small strings cost five allocations of at least 32 bytes each; one block holding
     * them all saves some 90 bytes a person. */
    const char *texts[] = {id, name, team, manager, group};
    size_t lengths[5], total = 0;
    for (size_t i = 0; i < 5; i++)
        total += (lengths[i] = strlen(texts[i])) + 1;
    char *block = malloc(total), *at = block;
    if (block == NULL)
        return false;
    char **fields[] = {&p->id, &p->name, &p->team, &p->manager, &p->group};
    char *placed[5];
    for (size_t i = 0; i < 5; i++) {
        memcpy(at, texts[i], lengths[i] + 1);
        placed[i] = at;
        at += lengths[i] + 1;
    }
    free(p->id);
    for (size_t i = 0; i < 5; i++)
        *fields[i] = placed[i];
    return true;
}

unsigned nl_person_raters(const nl_person *p, size_t skill)
{
    if (isnan(p->scores[skill]))
        return 0;
    return p->raters ? p->raters[skill] : 1;
}

void nl_person_clear(nl_person *p)
{
    free(p->id);     /* the block that also holds name, team, manager and group */
    free(p->scores); /* the block that also holds attributes and raters */
    memset(p, 0, sizeof *p);
}

bool nl_person_alloc(nl_person *p, const nl_framework *fw, bool counts_raters)
{
    /* One block per person (scores, attributes, then raters): a million people are a million
     * allocations, not three million. A wide row has one assessment per score, so it needs
     * no rater counts: 80 bytes a person saved at 40 skills. */
    size_t skills = fw->skill_count ? fw->skill_count : 1;
    size_t attributes = fw->attribute_count ? fw->attribute_count : 1;
    double *block = malloc((skills + attributes) * sizeof(double) +
                           (counts_raters ? skills * sizeof(uint16_t) : 0));
    if (block == NULL)
        return false;
    p->scores = block;
    p->attributes = block + skills;
    p->raters = counts_raters ? (uint16_t *)(block + skills + attributes) : NULL;
    if (counts_raters)
        memset(p->raters, 0, skills * sizeof *p->raters);
    for (size_t s = 0; s < fw->skill_count; s++)
        p->scores[s] = NAN;
    for (size_t a = 0; a < fw->attribute_count; a++)
        p->attributes[a] = NAN;
    p->months_in_level = NAN;
    return true;
}

static void free_summary(nl_file_summary *f)
{
    free(f->path);
    free(f->skill_found);
    free(f->assessed);
    nl_free_strings(f->unknown_columns, f->unknown_count);
}

void nl_matrix_free(nl_matrix *m)
{
    if (m == NULL)
        return;
    for (size_t i = 0; i < m->people_count; i++)
        nl_person_clear(&m->people[i]);
    free(m->people);
    for (size_t i = 0; i < m->rejection_count; i++) {
        free(m->rejections[i].reason);
        free(m->rejections[i].id);
    }
    free(m->rejections);
    for (size_t i = 0; i < m->file_count; i++)
        free_summary(&m->files[i]);
    free(m->files);
    nl_strmap_free(m->ids);
    free(m);
}

bool nl_matrix_reject(nl_matrix_reader *r, long line, long column, const char *id, const char *fmt,
                      ...)
{
    nl_matrix *m = r->m;
    char reason[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(reason, sizeof reason, fmt, ap);
    va_end(ap);
    if (!nl_grow((void **)&m->rejections, &m->rejection_cap, m->rejection_count + 1,
                 sizeof *m->rejections))
        return false;
    nl_rejection *rej = &m->rejections[m->rejection_count];
    *rej = (nl_rejection){.file = r->file, .line = line, .column = column};
    if ((rej->reason = nl_strdup(reason)) == NULL)
        return false;
    if (id != NULL && *id != '\0' && (rej->id = nl_strdup(id)) == NULL) {
        free(rej->reason);
        return false;
    }
    m->rejection_count++;
    m->files[r->file].rows_rejected++;
    return true;
}

const char *nl_matrix_field(const nl_matrix_reader *r, const nl_csv_record *rec, nl_field field)
{
    long c = r->field_column[field];
    if (c < 0 || (size_t)c >= rec->count)
        return "";
    return nl_trim(rec->fields[c]);
}

bool nl_matrix_take_identity(nl_matrix_reader *r, const nl_csv_record *rec, nl_person *p)
{
    const nl_framework *fw = r->m->fw;
    const char *id = nl_matrix_field(r, rec, NL_FIELD_ID);
    long id_col = r->field_column[NL_FIELD_ID] + 1;
    long level_col = r->field_column[NL_FIELD_LEVEL] + 1;
    if (*id == '\0') {
        r->out_of_memory |= !nl_matrix_reject(r, rec->line, id_col, NULL, "the %s cell is empty",
                                              fw->columns[NL_FIELD_ID]);
        return false;
    }
    const char *level = nl_matrix_field(r, rec, NL_FIELD_LEVEL);
    if (*level == '\0') {
        r->out_of_memory |= !nl_matrix_reject(r, rec->line, level_col, id, "no %s given",
                                              fw->columns[NL_FIELD_LEVEL]);
        return false;
    }
    if (!nl_framework_find_level(fw, level, &p->level)) {
        r->out_of_memory |= !nl_matrix_reject(
            r, rec->line, level_col, id, "level '%s' is not a level of the framework (%s .. %s)",
            level, fw->levels[0].id, fw->levels[fw->level_count - 1].id);
        return false;
    }
    const char *months = nl_matrix_field(r, rec, NL_FIELD_MONTHS);
    if (*months != '\0' && (!nl_parse_decimal(months, r->decimal_comma, &p->months_in_level) ||
                            p->months_in_level < 0 || p->months_in_level > 1200)) {
        r->out_of_memory |=
            !nl_matrix_reject(r, rec->line, r->field_column[NL_FIELD_MONTHS] + 1, id,
                              "%s '%s' is not a number of months between 0 and 1200",
                              fw->columns[NL_FIELD_MONTHS], months);
        return false;
    }
    const char *group = r->group_column >= 0 && (size_t)r->group_column < rec->count
                            ? nl_trim(rec->fields[r->group_column])
                            : "";
    if (!nl_person_set_identity(p, id, nl_matrix_field(r, rec, NL_FIELD_NAME),
                                r->file_team ? r->file_team
                                             : nl_matrix_field(r, rec, NL_FIELD_TEAM),
                                nl_matrix_field(r, rec, NL_FIELD_MANAGER), group)) {
        r->out_of_memory = true;
        return false;
    }
    p->file = r->file;
    p->line = rec->line;
    return true;
}

bool nl_matrix_add_person(nl_matrix_reader *r, nl_person *p, long id_column)
{
    nl_matrix *m = r->m;
    size_t first;
    if (nl_strmap_get(m->ids, p->id, &first)) {
        const nl_person *other = &m->people[first];
        r->out_of_memory |= !nl_matrix_reject(r, p->line, id_column, p->id,
                                              "duplicate id: already read from %s:%ld",
                                              m->files[other->file].path, other->line);
        nl_person_clear(p);
        return false;
    }
    if (!nl_grow((void **)&m->people, &m->people_cap, m->people_count + 1, sizeof *m->people) ||
        !nl_strmap_put(m->ids, p->id, m->people_count)) {
        r->out_of_memory = true;
        nl_person_clear(p);
        return false;
    }
    nl_file_summary *f = &m->files[r->file];
    for (size_t s = 0; s < m->fw->skill_count; s++)
        f->assessed[s] += !isnan(p->scores[s]);
    f->people_accepted++;
    m->people[m->people_count++] = *p;
    memset(p, 0, sizeof *p);
    return true;
}

/* ---- the header ---- */

static bool header_matches(const char *folded_header, const char *name)
{
    return nl_fold_equal(folded_header, name);
}

/* Maps one header cell; returns false (with the file marked unusable) on a clash. */
static bool map_column(nl_matrix_reader *r, const nl_csv_record *rec, size_t c)
{
    const nl_framework *fw = r->m->fw;
    nl_file_summary *f = &r->m->files[r->file];
    char *key = nl_fold_key(rec->fields[c], rec->lengths[c]);
    if (key == NULL) {
        r->out_of_memory = true;
        return false;
    }
    column_map map = {COL_UNKNOWN, 0};
    for (int field = 0; field < NL_FIELD_COUNT && map.role == COL_UNKNOWN; field++) {
        if (header_matches(key, fw->columns[field]))
            map = (column_map){COL_FIELD, (size_t)field};
    }
    if (map.role == COL_UNKNOWN && fw->fairness.group_column != NULL &&
        header_matches(key, fw->fairness.group_column))
        map = (column_map){COL_GROUP, 0};
    for (size_t a = 0; a < fw->attribute_count && map.role == COL_UNKNOWN; a++) {
        if (header_matches(key, fw->attributes[a].column))
            map = (column_map){COL_ATTRIBUTE, a};
    }
    for (size_t s = 0; s < fw->skill_count && map.role == COL_UNKNOWN; s++) {
        if (header_matches(key, fw->skills[s].id) || header_matches(key, fw->skills[s].name))
            map = (column_map){COL_SKILL, s};
    }
    free(key);
    for (size_t earlier = 0; earlier < c && map.role != COL_UNKNOWN; earlier++) {
        if (r->columns[earlier].role == map.role && r->columns[earlier].index == map.index) {
            nl_error_set(&r->file_error, NL_ERR_INPUT, f->path, rec->line, (long)c + 1,
                         "column '%s' means the same as column %zu ('%s'): remove one",
                         nl_trim(rec->fields[c]), earlier + 1, nl_trim(rec->fields[earlier]));
            return false;
        }
    }
    r->columns[c] = map;
    if (map.role == COL_FIELD)
        r->field_column[map.index] = (long)c;
    if (map.role == COL_GROUP)
        r->group_column = (long)c;
    if (map.role == COL_SKILL)
        f->skill_found[map.index] = true;
    if (map.role == COL_UNKNOWN) {
        char *name = nl_strdup(*nl_trim(rec->fields[c]) ? nl_trim(rec->fields[c]) : "(empty)");
        char **grown =
            name ? realloc(f->unknown_columns, (f->unknown_count + 1) * sizeof *grown) : NULL;
        if (grown == NULL) {
            free(name);
            r->out_of_memory = true;
            return false;
        }
        f->unknown_columns = grown;
        f->unknown_columns[f->unknown_count++] = name;
    }
    return true;
}

/* Checks a record's bytes: no NUL, valid UTF-8 (the decoder marks a character the file's
 * encoding does not define with a byte that is not). A row's cells are checked only in the
 * columns the template uses: the others never reach an output, so what they hold never
 * rejects a row. Returns the 1-based bad column or 0. */
static size_t find_bad_bytes(const nl_matrix_reader *r, const nl_csv_record *rec, long *offset,
                             bool *nul)
{
    for (size_t c = 0; c < rec->count; c++) {
        if (r->header_done && (c >= r->column_count || r->columns[c].role == COL_UNKNOWN))
            continue;
        if (strlen(rec->fields[c]) != rec->lengths[c]) {
            *nul = true;
            return c + 1;
        }
        long bad = nl_utf8_invalid_at(rec->fields[c], rec->lengths[c]);
        if (bad >= 0) {
            *offset = bad;
            *nul = false;
            return c + 1;
        }
    }
    return 0;
}

/* The end of a message for a character the file's encoding does not define, at text (a byte
 * the decoder put there in its place). */
static const char *undefined_character(const nl_matrix_reader *r, const char *text, char *buf,
                                       size_t size)
{
    const nl_file_encoding *e = nl_decoder_result(r->decoder);
    unsigned char c = (unsigned char)*text;
    char code[16] = "";
    if (c >= 0x80 && c <= 0xBF)
        snprintf(code, sizeof code, " (code 0x%02X)", c);
    snprintf(buf, size,
             "holds a character that is not %s%s: correct the cell, or name the file's encoding "
             "with --encoding",
             e->name, code);
    return buf;
}

/* "data/payments.csv" -> "payments": the team of a file without a team column. */
static char *file_stem(const char *path)
{
    const char *base = strrchr(path, '/');
    base = base ? base + 1 : path;
    const char *dot = strrchr(base, '.');
    return nl_strndup(base, dot && dot != base ? (size_t)(dot - base) : strlen(base));
}

static bool take_header(nl_matrix_reader *r, const nl_csv_record *rec)
{
    const nl_framework *fw = r->m->fw;
    nl_file_summary *f = &r->m->files[r->file];
    long offset = 0;
    bool nul = false;
    size_t bad = find_bad_bytes(r, rec, &offset, &nul);
    if (bad != 0) {
        char what[160];
        nl_error_set(&r->file_error, NL_ERR_INPUT, f->path, rec->line, (long)bad,
                     nul ? "the header holds a NUL byte: is this a CSV text file? (a UTF-16 "
                           "file without a BOM needs --encoding UTF-16LE)"
                         : "the header %s",
                     undefined_character(r, rec->fields[bad - 1] + offset, what, sizeof what));
        return false;
    }
    /* Where ';' or tab separates cells, "3,5" is a European decimal, not two cells. */
    r->decimal_comma = nl_csv_delimiter(r->csv) != ',';
    r->columns = calloc(rec->count, sizeof *r->columns);
    if (r->columns == NULL) {
        r->out_of_memory = true;
        return false;
    }
    r->column_count = rec->count;
    for (size_t c = 0; c < rec->count; c++) {
        if (!map_column(r, rec, c))
            return false;
    }
    static const nl_field required[] = {NL_FIELD_ID, NL_FIELD_LEVEL};
    for (size_t i = 0; i < sizeof required / sizeof *required; i++) {
        if (r->field_column[required[i]] < 0) {
            nl_error_set(&r->file_error, NL_ERR_INPUT, f->path, rec->line, 0,
                         "no '%s' column in the header (the template's [columns] %s = %s)",
                         fw->columns[required[i]], nl_field_name(required[i]),
                         fw->columns[required[i]]);
            return false;
        }
    }
    f->long_format = r->field_column[NL_FIELD_SKILL] >= 0 && r->field_column[NL_FIELD_SCORE] >= 0;
    if (r->field_column[NL_FIELD_TEAM] < 0 && strcmp(f->path, NL_STDIN_NAME) != 0) {
        f->team_from_name = true;
        if ((r->file_team = file_stem(f->path)) == NULL) {
            r->out_of_memory = true;
            return false;
        }
    }
    if (f->long_format) {
        r->long_rows = nl_long_new(fw);
        if (r->long_rows == NULL) {
            r->out_of_memory = true;
            return false;
        }
    }
    r->header_done = true;
    return true;
}

/* ---- wide rows ---- */

static bool take_wide_cells(nl_matrix_reader *r, const nl_csv_record *rec, nl_person *p)
{
    const nl_framework *fw = r->m->fw;
    for (size_t c = 0; c < r->column_count; c++) {
        const column_map *map = &r->columns[c];
        const char *text = nl_trim(rec->fields[c]);
        if (*text == '\0' || (map->role != COL_SKILL && map->role != COL_ATTRIBUTE))
            continue;
        if (map->role == COL_SKILL) {
            if (!nl_framework_parse_score(fw, text, r->decimal_comma, &p->scores[map->index])) {
                r->out_of_memory |= !nl_matrix_reject(
                    r, rec->line, (long)c + 1, p->id,
                    "'%s' for %s is neither a score from %g to %g nor a label of the scale", text,
                    fw->skills[map->index].name, fw->scale_min, fw->scale_max);
                return false;
            }
        } else if (!nl_parse_decimal(text, r->decimal_comma, &p->attributes[map->index])) {
            r->out_of_memory |=
                !nl_matrix_reject(r, rec->line, (long)c + 1, p->id, "%s '%s' is not a number",
                                  fw->attributes[map->index].column, text);
            return false;
        }
    }
    return true;
}

/* Rejects rows that do not line up with the header; trailing empty cells are tolerated since
 * spreadsheets often add them. */
static bool row_fits_header(nl_matrix_reader *r, const nl_csv_record *rec)
{
    if (rec->count < r->column_count) {
        r->out_of_memory |= !nl_matrix_reject(
            r, rec->line, (long)rec->count + 1, NULL,
            "the row has %zu fields but the header has %zu: a cell or delimiter is missing",
            rec->count, r->column_count);
        return false;
    }
    for (size_t c = r->column_count; c < rec->count; c++) {
        if (*nl_trim(rec->fields[c]) != '\0') {
            r->out_of_memory |= !nl_matrix_reject(
                r, rec->line, (long)c + 1, NULL,
                "the row has %zu fields but the header has %zu: an unquoted delimiter inside a "
                "cell?",
                rec->count, r->column_count);
            return false;
        }
    }
    /* Only a decoder that let a NUL or an undefined character through makes the check
     * needed: a clean UTF-8 file is not read twice. */
    if (!nl_decoder_suspect(r->decoder))
        return true;
    long offset = 0;
    bool nul = false;
    size_t bad = find_bad_bytes(r, rec, &offset, &nul);
    if (bad != 0) {
        char what[160];
        /* The person is named when their id cell is itself readable. */
        const char *id = nl_matrix_field(r, rec, NL_FIELD_ID);
        long id_column = r->field_column[NL_FIELD_ID];
        if (id_column < 0 || (size_t)id_column >= rec->count ||
            strlen(rec->fields[id_column]) != rec->lengths[id_column] ||
            nl_utf8_invalid_at(id, strlen(id)) >= 0)
            id = NULL;
        r->out_of_memory |= !nl_matrix_reject(
            r, rec->line, (long)bad, id, "the cell %s",
            nul ? "holds a NUL byte"
                : undefined_character(r, rec->fields[bad - 1] + offset, what, sizeof what));
        return false;
    }
    return true;
}

static bool take_wide_row(nl_matrix_reader *r, const nl_csv_record *rec)
{
    nl_person person = {0};
    if (!nl_person_alloc(&person, r->m->fw, false)) {
        nl_person_clear(&person);
        r->out_of_memory = true;
        return false;
    }
    if (nl_matrix_take_identity(r, rec, &person) && take_wide_cells(r, rec, &person))
        nl_matrix_add_person(r, &person, r->field_column[NL_FIELD_ID] + 1);
    nl_person_clear(&person);
    return !r->out_of_memory;
}

static bool on_record(const nl_csv_record *rec, void *data)
{
    nl_matrix_reader *r = data;
    if (!r->header_done)
        return take_header(r, rec) && !r->out_of_memory;
    r->m->files[r->file].rows_read++;
    if (++r->m->rows_read % 16384 == 0)
        nl_progress_report(r->m->progress, "reading", r->m->rows_read, 0);
    if (!row_fits_header(r, rec))
        return !r->out_of_memory;
    if (r->long_rows != NULL)
        return nl_long_row(r, rec) && !r->out_of_memory;
    return take_wide_row(r, rec);
}

static bool on_bad_row(const nl_csv_bad_row *bad, void *data)
{
    nl_matrix_reader *r = data;
    if (!r->header_done) {
        nl_error_set(&r->file_error, NL_ERR_INPUT, r->m->files[r->file].path, bad->line,
                     bad->column, "the header cannot be read: %s", bad->reason);
        return false;
    }
    r->m->files[r->file].rows_read++;
    r->out_of_memory |= !nl_matrix_reject(r, bad->line, bad->column, NULL, "%s", bad->reason);
    return !r->out_of_memory;
}

/* ---- files ---- */

static void free_reader(nl_matrix_reader *r)
{
    char discarded[65];
    nl_sha256_finish(r->digest, discarded);
    if (r->decoder != NULL)
        r->m->files[r->file].encoding = *nl_decoder_result(r->decoder);
    nl_decoder_free(r->decoder);
    free(r->file_team);
    nl_csv_reader_free(r->csv);
    nl_long_free(r->long_rows);
    free(r->columns);
    free(r);
}

nl_status nl_matrix_begin(nl_matrix *m, const char *path, char delimiter, nl_matrix_reader **out,
                          nl_error *err)
{
    const nl_framework *fw = m->fw;
    *out = NULL;
    if (!nl_grow((void **)&m->files, &m->file_cap, m->file_count + 1, sizeof *m->files))
        return nl_error_set(err, NL_ERR_NOMEM, path, 0, 0, "out of memory");
    nl_file_summary *f = &m->files[m->file_count];
    *f = (nl_file_summary){0};
    f->path = nl_strdup(path);
    f->skill_found = calloc(fw->skill_count ? fw->skill_count : 1, sizeof *f->skill_found);
    f->assessed = calloc(fw->skill_count ? fw->skill_count : 1, sizeof *f->assessed);
    nl_matrix_reader *r = calloc(1, sizeof *r);
    if (f->path == NULL || f->skill_found == NULL || f->assessed == NULL || r == NULL) {
        free_summary(f);
        free(r);
        return nl_error_set(err, NL_ERR_NOMEM, path, 0, 0, "out of memory");
    }
    r->m = m;
    r->file = m->file_count++;
    for (int field = 0; field < NL_FIELD_COUNT; field++)
        r->field_column[field] = -1;
    r->group_column = -1;
    r->csv = nl_csv_reader_new(path, delimiter, on_record, on_bad_row, r);
    r->decoder = nl_decoder_new(m->encoding);
    r->digest = nl_sha256_new();
    if (r->csv == NULL || r->decoder == NULL || r->digest == NULL) {
        free_reader(r);
        return nl_error_set(err, NL_ERR_NOMEM, path, 0, 0, "out of memory");
    }
    *out = r;
    return NL_OK;
}

/* Turns the reader's state after a csv call into a status, noting the delimiter once known. */
static nl_status reader_status(nl_matrix_reader *r, nl_status csv_status, nl_error *err)
{
    nl_file_summary *f = &r->m->files[r->file];
    f->delimiter = nl_csv_delimiter(r->csv);
    if (r->out_of_memory)
        return nl_error_set(err, NL_ERR_NOMEM, f->path, 0, 0, "out of memory");
    if (r->file_error.status != NL_OK) {
        f->unusable = true;
        if (err != NULL)
            *err = r->file_error;
        return r->file_error.status;
    }
    if (csv_status == NL_ERR_INPUT || csv_status == NL_ERR_IO)
        f->unusable = true;
    return csv_status == NL_ERR_STOPPED ? NL_OK : csv_status;
}

/* Where the decoder delivers: the CSV layer only ever sees UTF-8. */
static nl_status feed_csv(const char *bytes, size_t len, void *data, nl_error *err)
{
    nl_matrix_reader *r = data;
    return nl_csv_feed(r->csv, bytes, len, err);
}

nl_status nl_matrix_feed(nl_matrix_reader *r, const char *chunk, size_t len, nl_error *err)
{
    nl_sha256_update(r->digest, chunk, len);
    return reader_status(r, nl_decoder_feed(r->decoder, chunk, len, feed_csv, r, err), err);
}

nl_status nl_matrix_finish(nl_matrix_reader *r, nl_error *err)
{
    nl_status decoded = nl_decoder_finish(r->decoder, feed_csv, r, err);
    nl_status status =
        reader_status(r, decoded == NL_OK ? nl_csv_finish(r->csv, err) : decoded, err);
    nl_file_summary *f = &r->m->files[r->file];
    nl_sha256_finish(r->digest, f->sha256);
    r->digest = NULL;
    if (status == NL_OK && !r->header_done) {
        f->unusable = true;
        status = nl_error_set(err, NL_ERR_INPUT, f->path, 0, 0,
                              "the file is empty: a header row is needed");
    }
    if (status == NL_OK && r->long_rows != NULL && !nl_long_finish(r))
        status = nl_error_set(err, NL_ERR_NOMEM, f->path, 0, 0, "out of memory");
    free_reader(r);
    return status;
}

void nl_matrix_abort(nl_matrix_reader *r)
{
    if (r == NULL)
        return;
    r->m->files[r->file].unusable = true;
    free_reader(r);
}

nl_status nl_matrix_read_file(nl_matrix *m, const char *path, char delimiter, nl_error *err)
{
    nl_matrix_reader *r;
    bool from_stdin = strcmp(path, "-") == 0;
    if (from_stdin)
        path = NL_STDIN_NAME;
    nl_status status = nl_matrix_begin(m, path, delimiter, &r, err);
    if (status != NL_OK)
        return status;
    FILE *file = from_stdin ? stdin : fopen(path, "rb");
    if (file == NULL) {
        int saved = errno;
        m->files[r->file].unusable = true;
        free_reader(r);
        return nl_error_set(err, nl_status_from_errno(saved, NL_ERR_IO), path, 0, 0,
                            "cannot open: %s", strerror(saved));
    }
    char *chunk = malloc(65536);
    if (chunk == NULL) {
        if (!from_stdin)
            fclose(file);
        free_reader(r);
        return nl_error_set(err, NL_ERR_NOMEM, path, 0, 0, "out of memory");
    }
    size_t got;
    while (status == NL_OK && (got = fread(chunk, 1, 65536, file)) > 0)
        status = nl_matrix_feed(r, chunk, got, err);
    if (status == NL_OK && ferror(file)) {
        int saved = errno;
        m->files[r->file].unusable = true;
        status = nl_error_set(err, nl_status_from_errno(saved, NL_ERR_IO), path, 0, 0,
                              "cannot read: %s", strerror(saved));
    }
    free(chunk);
    if (!from_stdin)
        fclose(file);
    if (status != NL_OK) {
        nl_matrix_abort(r);
        return status;
    }
    return nl_matrix_finish(r, err);
}
