#include "matrix_internal.h"

#include "nextlevel/rundate.h"
#include "nextlevel/readfile.h"
#include "nextlevel/strutil.h"
#include "nextlevel/textsafe.h"

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
    nl_long_free(m->long_rows);
    m->long_rows = NULL;
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

void nl_matrix_set_hide_values(nl_matrix *m, bool hide)
{
    m->hide_values = hide;
}

/* What kind of value text is, for a reason that may not quote it: a number, a date, or text
 * and its count of words. */
static void value_kind(const char *text, char *buf, size_t size)
{
    size_t digits = 0, date_marks = 0, other = 0, words = 0;
    bool in_word = false;
    for (const char *c = text; *c != '\0'; c++) {
        if (*c >= '0' && *c <= '9')
            digits++;
        else if (*c == '-' || *c == '/' || *c == '.' || *c == ',' || *c == '+')
            date_marks++;
        else
            other++;
        bool space = *c == ' ' || *c == '\t';
        words += !space && !in_word;
        in_word = !space;
    }
    if (digits > 0 && other == 0 && date_marks >= 2 && strchr(text, ',') == NULL)
        snprintf(buf, size, "a date");
    else if (digits > 0 && other == 0)
        snprintf(buf, size, "a number");
    else
        snprintf(buf, size, "text of %zu word%s", words, words == 1 ? "" : "s");
}

const char *nl_matrix_shown(const nl_matrix_reader *r, const char *text, char *buf, size_t size)
{
    if (size == 0)
        return buf;
    if (r->m->hide_values) {
        char kind[64];
        value_kind(text, kind, sizeof kind);
        snprintf(buf, size, "[hidden by --redact: %s]", kind);
        return buf;
    }
    /* One byte for each quote mark. */
    if (size < 3) {
        *buf = '\0';
        return buf;
    }
    buf[0] = '\'';
    nl_visible(text, buf + 1, size - 2);
    strcat(buf, "'");
    return buf;
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
    free(f->attribute_found);
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
    nl_long_free(m->long_rows);
    free(m);
}

/* "Subsystem, System, Organization" (at most the first 8 words, then "..."). */
static void skill_words(const nl_skill *skill, char *buf, size_t size)
{
    size_t used = 0;
    buf[0] = '\0';
    for (size_t i = 0; i < skill->label_count && used < size; i++) {
        int n = i == 8 ? nl_sformat(buf + used, size - used, ", ...")
                       : nl_sformat(buf + used, size - used, "%s%s", i ? ", " : "",
                                    skill->labels[i].text);
        if (n < 0 || i == 8)
            break;
        used += (size_t)n;
    }
}

bool nl_matrix_reject_score(nl_matrix_reader *r, long line, long column, const char *id,
                            size_t skill, const char *text)
{
    const nl_framework *fw = r->m->fw;
    const nl_skill *sk = &fw->skills[skill];
    char shown[256], words[512], meaning[512];
    size_t other;
    double value;
    nl_matrix_shown(r, text, shown, sizeof shown);
    if (!nl_framework_other_label(fw, skill, text, &other, &value))
        return nl_matrix_reject(
            r, line, column, id,
            "%s for %s is neither a score from %g to %g nor a label of the scale: correct the "
            "cell, or leave it empty if the skill was not assessed",
            shown, sk->name, sk->scale_min, sk->scale_max);
    /* A word of another skill's vocabulary read as its number would be a silent error. */
    skill_words(sk, words, sizeof words);
    if (other == SIZE_MAX)
        nl_sformat(meaning, sizeof meaning, "rating %g of the framework's scale", value);
    else
        nl_sformat(meaning, sizeof meaning, "rating %g of %s", value, fw->skills[other].name);
    return nl_matrix_reject(r, line, column, id,
                            "%s is not a rating of %s (its scores run from %g to %g%s%s); it is "
                            "%s: correct the cell, or leave it empty if the skill was not "
                            "assessed",
                            shown, sk->name, sk->scale_min, sk->scale_max,
                            *words ? "; its words are " : ", without words", words, meaning);
}

bool nl_matrix_reject(nl_matrix_reader *r, long line, long column, const char *id, const char *fmt,
                      ...)
{
    nl_matrix *m = r->m;
    char reason[1024];
    va_list ap;
    va_start(ap, fmt);
    nl_vsformat(reason, sizeof reason, fmt, ap);
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

void nl_matrix_set_run_date(nl_matrix *m, time_t run_date)
{
    m->has_run_date = true;
    /* Floor division: a date before 1970 still names its own day. */
    long long seconds = (long long)run_date;
    m->run_days = (long)(seconds >= 0 ? seconds / 86400 : -((-seconds + 86399) / 86400));
}

/* Reads "2024-03-15", "15.03.2024", "15/03/2024" or "03/15/2024" as fmt says (day and month
 * may have one digit, except in the ISO form); false for any other text or a day the month
 * does not have. */
static bool parse_date(const char *text, nl_date_format fmt, long *days)
{
    int a = 0, b = 0, c = 0, n = 0;
    bool read;
    switch (fmt) {
    case NL_DATE_ISO: {
        size_t len = strlen(text);
        read = len == 10 && text[4] == '-' && text[7] == '-' &&
               sscanf(text, "%4d-%2d-%2d%n", &a, &b, &c, &n) == 3 && n == 10;
        for (size_t i = 0; read && i < len; i++)
            read = i == 4 || i == 7 || (text[i] >= '0' && text[i] <= '9');
        return read && nl_civil_days(a, b, c, days);
    }
    case NL_DATE_DMY_DOT:
        read = sscanf(text, "%2d.%2d.%4d%n", &a, &b, &c, &n) == 3;
        break;
    default:
        read = sscanf(text, "%2d/%2d/%4d%n", &a, &b, &c, &n) == 3;
        break;
    }
    /* sscanf lets through signs and spaces; a date has digits and separators only. */
    for (int i = 0; read && i < n; i++)
        read = (text[i] >= '0' && text[i] <= '9') || text[i] == '.' || text[i] == '/';
    if (!read || text[n] != '\0' || n < 8 || c < 1000)
        return false;
    return fmt == NL_DATE_MDY_SLASH ? nl_civil_days(c, a, b, days) : nl_civil_days(c, b, a, days);
}

/* Years count 12 months each, as exactly as a double holds it; a start date counts whole
 * months to the run date. */
bool nl_matrix_take_tenure(nl_matrix_reader *r, const nl_csv_record *rec, const char *id,
                           double *months_in_level)
{
    const nl_framework *fw = r->m->fw;
    char shown[256];
    const char *months = nl_matrix_field(r, rec, NL_FIELD_MONTHS);
    if (*months != '\0') {
        if (nl_parse_decimal(months, r->decimal_comma, months_in_level) && *months_in_level >= 0 &&
            *months_in_level <= 1200)
            return true;
        r->out_of_memory |= !nl_matrix_reject(
            r, rec->line, r->field_column[NL_FIELD_MONTHS] + 1, id,
            "%s %s is not a number of months from 0 to 1200: correct the cell, or leave it "
            "empty if the months are not known",
            fw->columns[NL_FIELD_MONTHS], nl_matrix_shown(r, months, shown, sizeof shown));
        return false;
    }
    const char *years = nl_matrix_field(r, rec, NL_FIELD_YEARS);
    if (*years != '\0') {
        double value;
        if (nl_parse_decimal(years, r->decimal_comma, &value) && value >= 0 && value <= 100) {
            *months_in_level = value * 12;
            return true;
        }
        r->out_of_memory |= !nl_matrix_reject(
            r, rec->line, r->field_column[NL_FIELD_YEARS] + 1, id,
            "%s %s is not a number of years from 0 to 100: correct the cell, or leave it "
            "empty if the years are not known",
            fw->columns[NL_FIELD_YEARS], nl_matrix_shown(r, years, shown, sizeof shown));
        return false;
    }
    long start_column = r->field_column[NL_FIELD_LEVEL_START];
    if (start_column < 0)
        return true;
    const char *start = nl_matrix_field(r, rec, NL_FIELD_LEVEL_START);
    long start_days;
    if (*start == '\0') {
        r->out_of_memory |= !nl_matrix_reject(
            r, rec->line, start_column + 1, id,
            "the %s cell is empty: fill in the date the person reached their level, as %s",
            fw->columns[NL_FIELD_LEVEL_START], nl_date_format_name(fw->date_format));
        return false;
    }
    if (!parse_date(start, fw->date_format, &start_days)) {
        r->out_of_memory |= !nl_matrix_reject(
            r, rec->line, start_column + 1, id,
            "%s %s is not a date written %s (or no such day): correct the cell",
            fw->columns[NL_FIELD_LEVEL_START], nl_matrix_shown(r, start, shown, sizeof shown),
            nl_date_format_name(fw->date_format));
        return false;
    }
    long elapsed = nl_months_between(start_days, r->m->run_days);
    if (elapsed < 0) {
        int y, mo, d;
        nl_civil_from_days(r->m->run_days, &y, &mo, &d);
        r->out_of_memory |= !nl_matrix_reject(
            r, rec->line, start_column + 1, id,
            "%s %s is after the run date %04d-%02d-%02d: correct the cell, or pass the right "
            "--date",
            fw->columns[NL_FIELD_LEVEL_START], nl_matrix_shown(r, start, shown, sizeof shown), y,
            mo, d);
        return false;
    }
    *months_in_level = (double)elapsed;
    return true;
}

void nl_matrix_derive_level(const nl_framework *fw, nl_person *p)
{
    if (fw->level_from != NL_LEVEL_FROM_POINTS)
        return;
    /* Nothing with points assessed (every such cell empty or its row rejected) says nothing
     * about the level: the file's level, when given, stands. */
    bool assessed = false;
    for (size_t s = 0; s < fw->skill_count && !assessed; s++)
        assessed = fw->skills[s].point_count > 0 && !isnan(p->scores[s]);
    if (!assessed && p->level_in_file != NL_NO_LEVEL)
        p->level = p->level_in_file;
    else
        p->level = nl_framework_level_of_points(fw, nl_framework_total_points(fw, p->scores));
}

bool nl_person_level_disagrees(const nl_framework *fw, const nl_person *p)
{
    return fw->level_from == NL_LEVEL_FROM_POINTS && p->level_in_file != NL_NO_LEVEL &&
           p->level_in_file != p->level;
}

bool nl_matrix_take_identity(nl_matrix_reader *r, const nl_csv_record *rec, nl_person *p)
{
    const nl_framework *fw = r->m->fw;
    char shown[256];
    const char *id = nl_matrix_field(r, rec, NL_FIELD_ID);
    long id_col = r->field_column[NL_FIELD_ID] + 1;
    long level_col = r->field_column[NL_FIELD_LEVEL] + 1;
    if (*id == '\0') {
        r->out_of_memory |= !nl_matrix_reject(r, rec->line, id_col, NULL,
                                              "the %s cell is empty: fill it in, or remove the row",
                                              fw->columns[NL_FIELD_ID]);
        return false;
    }
    const char *level = nl_matrix_field(r, rec, NL_FIELD_LEVEL);
    p->level_in_file = NL_NO_LEVEL;
    /* Levels from points: the cell is optional, checked against the points once they are read. */
    bool optional = fw->level_from == NL_LEVEL_FROM_POINTS;
    if (*level == '\0' && optional) {
        p->level = 0;
    } else if (*level == '\0') {
        r->out_of_memory |= !nl_matrix_reject(r, rec->line, level_col, id,
                                              "the %s cell is empty: fill in the person's level",
                                              fw->columns[NL_FIELD_LEVEL]);
        return false;
    } else if (!nl_framework_find_level(fw, level, &p->level)) {
        r->out_of_memory |= !nl_matrix_reject(
            r, rec->line, level_col, id,
            "level %s is not one of the template's levels (%s to %s): correct the cell",
            nl_matrix_shown(r, level, shown, sizeof shown), fw->levels[0].id,
            fw->levels[fw->level_count - 1].id);
        return false;
    } else {
        p->level_in_file = p->level;
    }
    if (!nl_matrix_take_tenure(r, rec, id, &p->months_in_level))
        return false;
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
                                              "the same id is already on line %ld of %s: "
                                              "remove one of the two rows",
                                              other->line, m->files[other->file].path);
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

/* Points a field, attribute or skill at column c of the header; false (the file unusable) when
 * an earlier column means the same. */
static bool claim(nl_matrix_reader *r, const nl_csv_record *rec, size_t c, long *slot)
{
    if (*slot >= 0) {
        nl_error_set(&r->file_error, NL_ERR_INPUT, r->m->files[r->file].path, rec->line,
                     (long)c + 1, "column '%s' means the same as column %ld ('%s'): remove one",
                     nl_trim(rec->fields[c]), *slot + 1, nl_trim(rec->fields[*slot]));
        return false;
    }
    *slot = (long)c;
    return true;
}

/* Maps one header cell to everything the template reads from it: one column may feed several
 * fields (a rating that is a skill and an attribute, months in level that an attribute gate
 * also reads). Returns false (with the file marked unusable) on a clash. */
static bool map_column(nl_matrix_reader *r, const nl_csv_record *rec, size_t c)
{
    const nl_framework *fw = r->m->fw;
    nl_file_summary *f = &r->m->files[r->file];
    char *key = nl_fold_key(rec->fields[c], rec->lengths[c]);
    if (key == NULL) {
        r->out_of_memory = true;
        return false;
    }
    column_map map = {COL_UNKNOWN, 0, false};
    bool ok = true;
    for (int field = 0; field < NL_FIELD_COUNT && ok; field++) {
        if (!header_matches(key, fw->columns[field]))
            continue;
        ok = claim(r, rec, c, &r->field_column[field]);
        if (map.role == COL_UNKNOWN)
            map = (column_map){COL_FIELD, (size_t)field, false};
    }
    if (ok && fw->fairness.group_column != NULL && header_matches(key, fw->fairness.group_column)) {
        ok = claim(r, rec, c, &r->group_column);
        if (map.role == COL_UNKNOWN)
            map = (column_map){COL_GROUP, 0, false};
    }
    for (size_t a = 0; a < fw->attribute_count && ok; a++) {
        if (!header_matches(key, fw->attributes[a].column))
            continue;
        ok = claim(r, rec, c, &r->attribute_column[a]);
        if (map.role == COL_UNKNOWN)
            map.role = COL_ATTRIBUTE, map.index = a;
        map.attributes = true;
    }
    size_t s;
    /* Hashed, and each skill's column remembered: searching every skill and every earlier
     * column made a header of 16,000 skills take a minute. */
    if (ok && nl_framework_match_skill(fw, key, &s)) {
        ok = claim(r, rec, c, &r->skill_column[s]);
        map.role = COL_SKILL, map.index = s;
    }
    free(key);
    if (!ok)
        return false;
    r->columns[c] = map;
    if (map.role == COL_SKILL)
        f->skill_found[map.index] = true;
    if (map.role == COL_UNKNOWN) {
        char *name = nl_strdup(*nl_trim(rec->fields[c]) ? nl_trim(rec->fields[c]) : "(empty)");
        /* Grown geometrically: one realloc a column made 20,000 columns take 20 s under
         * AddressSanitizer, whose realloc always copies. */
        if (name == NULL || !nl_grow((void **)&f->unknown_columns, &r->unknown_cap,
                                     f->unknown_count + 1, sizeof *f->unknown_columns)) {
            free(name);
            r->out_of_memory = true;
            return false;
        }
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
        nl_sformat(code, sizeof code, " (code 0x%02X)", c);
    nl_sformat(buf, size,
               "holds a character that is not %s%s: correct the cell, or name the file's encoding "
               "with --encoding",
               e->name, code);
    return buf;
}

/* "data/payments.csv" -> "payments": the team of a file without a team column. A file's name
 * may hold bytes that are not UTF-8 (a name is any bytes to the system): each becomes U+FFFD,
 * so that the team reads the same in every output. */
static char *file_stem(const char *path)
{
    const char *base = strrchr(path, '/');
    base = base ? base + 1 : path;
    const char *dot = strrchr(base, '.');
    char *stem = nl_strndup(base, dot && dot != base ? (size_t)(dot - base) : strlen(base));
    char *team = stem ? nl_utf8_repaired(stem) : NULL;
    free(stem);
    return team;
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
    for (int field = 0; field < NL_FIELD_COUNT; field++)
        f->field_found[field] = r->field_column[field] >= 0;
    for (size_t a = 0; a < fw->attribute_count; a++)
        f->attribute_found[a] = r->attribute_column[a] >= 0;
    f->group_found = r->group_column >= 0;
    static const nl_field required[] = {NL_FIELD_ID, NL_FIELD_LEVEL};
    /* Levels from points need no level column. */
    size_t required_count = fw->level_from == NL_LEVEL_FROM_POINTS ? 1 : 2;
    for (size_t i = 0; i < required_count; i++) {
        if (r->field_column[required[i]] < 0) {
            /* A header cell with a character one cannot see looks right and is not: show it. */
            char hint[400] = "", shown[256];
            for (size_t c = 0; c < rec->count && *hint == '\0'; c++) {
                const char *cell = nl_trim(rec->fields[c]);
                if (strcmp(nl_visible(cell, shown, sizeof shown), cell) != 0)
                    nl_sformat(
                        hint, sizeof hint,
                        "; column %zu reads '%s': retype that header cell without the invisible "
                        "character",
                        c + 1, shown);
            }
            nl_error_set(&r->file_error, NL_ERR_INPUT, f->path, rec->line, 0,
                         "no '%s' column in the header (the template's [columns] %s = %s)%s",
                         fw->columns[required[i]], nl_field_name(required[i]),
                         fw->columns[required[i]], hint);
            return false;
        }
    }
    if (r->field_column[NL_FIELD_LEVEL_START] >= 0 && !r->m->has_run_date) {
        /* Months counted to "today" would change from one run to the next. */
        nl_error_set(&r->file_error, NL_ERR_USAGE, f->path, rec->line,
                     r->field_column[NL_FIELD_LEVEL_START] + 1,
                     "the '%s' column holds the dates people reached their level, and months "
                     "are counted from them to the run date: pass --date YYYY-MM-DD (or set "
                     "SOURCE_DATE_EPOCH) so that the results do not change from day to day",
                     fw->columns[NL_FIELD_LEVEL_START]);
        return false;
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
        if (r->m->long_rows == NULL && (r->m->long_rows = nl_long_new(fw)) == NULL) {
            r->out_of_memory = true;
            return false;
        }
        r->long_rows = r->m->long_rows;
    }
    /* Cells of columns the template does not use are never read: the reader need not keep
     * them (a note of a gigabyte would otherwise be held twice). */
    if ((r->skip_columns = calloc(r->column_count ? r->column_count : 1, sizeof(bool))) == NULL) {
        r->out_of_memory = true;
        return false;
    }
    for (size_t c = 0; c < r->column_count; c++)
        r->skip_columns[c] = r->columns[c].role == COL_UNKNOWN;
    nl_csv_skip_columns(r->csv, r->skip_columns, r->column_count);
    r->header_done = true;
    return true;
}

/* ---- wide rows ---- */

/* The attributes fed by column c (text non-empty); a label of the scale in a column that is a
 * skill too gives the attribute its value. */
static bool take_attribute_cells(nl_matrix_reader *r, const nl_csv_record *rec, size_t c,
                                 const char *text, nl_person *p)
{
    const nl_framework *fw = r->m->fw;
    const column_map *map = &r->columns[c];
    for (size_t a = 0; a < fw->attribute_count; a++) {
        if (r->attribute_column[a] != (long)c)
            continue;
        if (nl_parse_decimal(text, r->decimal_comma, &p->attributes[a]))
            continue;
        if (map->role == COL_SKILL && !isnan(p->scores[map->index])) {
            p->attributes[a] = p->scores[map->index];
            continue;
        }
        char shown[256];
        r->out_of_memory |= !nl_matrix_reject(
            r, rec->line, (long)c + 1, p->id,
            "%s %s is not a number: correct the cell, or leave it empty if it is not known",
            fw->attributes[a].column, nl_matrix_shown(r, text, shown, sizeof shown));
        return false;
    }
    return true;
}

static bool take_wide_cells(nl_matrix_reader *r, const nl_csv_record *rec, nl_person *p)
{
    const nl_framework *fw = r->m->fw;
    for (size_t c = 0; c < r->column_count; c++) {
        const column_map *map = &r->columns[c];
        if (map->role != COL_SKILL && !map->attributes)
            continue;
        const char *text = nl_trim(rec->fields[c]);
        if (*text == '\0')
            continue;
        if (map->role == COL_SKILL &&
            !nl_framework_parse_score(fw, map->index, text, r->decimal_comma,
                                      &p->scores[map->index])) {
            r->out_of_memory |=
                !nl_matrix_reject_score(r, rec->line, (long)c + 1, p->id, map->index, text);
            return false;
        }
        if (map->attributes && !take_attribute_cells(r, rec, c, text, p))
            return false;
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
            "the row has %zu cells but the header has %zu: fill in the missing cells (the "
            "separators between them too), or remove the row",
            rec->count, r->column_count);
        return false;
    }
    for (size_t c = r->column_count; c < rec->count; c++) {
        if (*nl_trim(rec->fields[c]) != '\0') {
            r->out_of_memory |= !nl_matrix_reject(
                r, rec->line, (long)c + 1, NULL,
                "the row has %zu cells but the header has %zu: a cell probably holds the "
                "separator (a comma) without quotes around it; put that cell in quotes, or "
                "re-save the file from the spreadsheet as \"CSV UTF-8\"",
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
    bool taken = nl_matrix_take_identity(r, rec, &person) && take_wide_cells(r, rec, &person);
    if (taken)
        nl_matrix_derive_level(r->m->fw, &person);
    if (taken && nl_matrix_add_person(r, &person, r->field_column[NL_FIELD_ID] + 1))
        r->m->files[r->file].rows_used++;
    nl_person_clear(&person);
    return !r->out_of_memory;
}

/* Whether every cell is empty or spaces: what Excel writes (",,,,") for an empty row. */
static bool blank_record(const nl_csv_record *rec)
{
    for (size_t c = 0; c < rec->count; c++) {
        if (*nl_trim(rec->fields[c]) != '\0')
            return false;
    }
    return true;
}

/* Whether rec is the header again, as when two exports were pasted one after the other: its
 * id and level cells are the names of those columns. */
static bool repeats_header(const nl_matrix_reader *r, const nl_csv_record *rec)
{
    const nl_framework *fw = r->m->fw;
    size_t id = (size_t)r->field_column[NL_FIELD_ID],
           level = (size_t)r->field_column[NL_FIELD_LEVEL];
    /* Levels from points may come without a level column: the id cell alone tells then. */
    bool no_level = r->field_column[NL_FIELD_LEVEL] < 0;
    return id < rec->count && (no_level || level < rec->count) &&
           nl_fold_equal(rec->fields[id], fw->columns[NL_FIELD_ID]) &&
           (no_level || nl_fold_equal(rec->fields[level], fw->columns[NL_FIELD_LEVEL]));
}

static bool on_record(const nl_csv_record *rec, void *data)
{
    nl_matrix_reader *r = data;
    nl_file_summary *f = &r->m->files[r->file];
    if (blank_record(rec)) {
        f->rows_blank++;
        return true;
    }
    if (!r->header_done)
        return take_header(r, rec) && !r->out_of_memory;
    if (repeats_header(r, rec)) {
        if (f->header_repeats++ == 0)
            f->header_repeat_line = rec->line;
        return true;
    }
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
    if (r->csv != NULL)
        r->m->files[r->file].rows_blank += nl_csv_blank_lines(r->csv);
    char discarded[65];
    nl_sha256_finish(r->digest, discarded);
    if (r->decoder != NULL)
        r->m->files[r->file].encoding = *nl_decoder_result(r->decoder);
    nl_decoder_free(r->decoder);
    free(r->file_team);
    nl_csv_reader_free(r->csv);
    free(r->attribute_column);
    free(r->skill_column);
    free(r->skip_columns);
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
    f->attribute_found =
        calloc(fw->attribute_count ? fw->attribute_count : 1, sizeof *f->attribute_found);
    nl_matrix_reader *r = calloc(1, sizeof *r);
    long *attribute_column =
        malloc((fw->attribute_count ? fw->attribute_count : 1) * sizeof *attribute_column);
    long *skill_column = malloc((fw->skill_count ? fw->skill_count : 1) * sizeof *skill_column);
    if (f->path == NULL || f->skill_found == NULL || f->assessed == NULL ||
        f->attribute_found == NULL || r == NULL || attribute_column == NULL ||
        skill_column == NULL) {
        free_summary(f);
        free(r);
        free(attribute_column);
        free(skill_column);
        return nl_error_set(err, NL_ERR_NOMEM, path, 0, 0, "out of memory");
    }
    r->m = m;
    r->file = m->file_count++;
    for (int field = 0; field < NL_FIELD_COUNT; field++)
        r->field_column[field] = -1;
    r->group_column = -1;
    r->attribute_column = attribute_column;
    for (size_t a = 0; a < fw->attribute_count; a++)
        r->attribute_column[a] = -1;
    r->skill_column = skill_column;
    for (size_t s = 0; s < fw->skill_count; s++)
        r->skill_column[s] = -1;
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
        return nl_input_open_failed(err, saved, path, NULL);
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
