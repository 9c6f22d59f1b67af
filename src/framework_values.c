#include "framework_build.h"

#include "nextlevel/strutil.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* Adds an error at line with up to two string arguments; keeps call sites to one line. */
void fwb_error(builder *b, long line, const char *fmt, const char *a, const char *c)
{
    nl_diag_add(&b->fw->diags, NL_DIAG_ERROR, b->fw->path, line, 0, fmt, a, c);
}

/* The value of key in section as a new string with continuation line breaks replaced by sep
 * (", " for lists, " " for text), or NULL when absent (an error when required). */
char *fwb_value(builder *b, nl_ini_section *section, const char *key, const char *sep,
                bool required)
{
    nl_ini_entry *entry = nl_ini_find(section, key);
    if (entry == NULL) {
        if (required)
            fwb_error(b, section->line, "[%s] needs '%s'", section->name, key);
        return NULL;
    }
    char *value = nl_strdup("");
    char *rest = entry->value;
    for (;;) {
        char *newline = strchr(rest, '\n');
        size_t len = newline ? (size_t)(newline - rest) : strlen(rest);
        char *part = nl_strndup(rest, len);
        if (value == NULL || part == NULL) {
            free(part);
            free(value);
            b->out_of_memory = true;
            return NULL;
        }
        value = nl_strjoin(value, *value ? sep : "", part);
        free(part);
        if (value == NULL) {
            b->out_of_memory = true;
            return NULL;
        }
        if (newline == NULL)
            return value;
        rest = newline + 1;
    }
}

/* Stores a text value in *dest (freeing what was there). Returns whether the key was given. */
bool fwb_text(builder *b, nl_ini_section *section, const char *key, bool required, char **dest)
{
    char *value = fwb_value(b, section, key, " ", required);
    if (value == NULL)
        return false;
    free(*dest);
    *dest = value;
    return true;
}

/* Reads a number key within [min, max]. Returns whether a valid number was stored. */
bool fwb_number(builder *b, nl_ini_section *section, const char *key, bool required, double min,
                double max, double *dest)
{
    nl_ini_entry *entry = nl_ini_find(section, key);
    if (entry == NULL) {
        if (required)
            fwb_error(b, section->line, "[%s] needs '%s'", section->name, key);
        return false;
    }
    double value;
    if (!nl_parse_decimal(entry->value, false, &value)) {
        fwb_error(b, entry->line, "'%s' must be a number, not '%s'", key, entry->value);
        return false;
    }
    if (value < min || value > max) {
        nl_diag_add(&b->fw->diags, NL_DIAG_ERROR, b->fw->path, entry->line, 0,
                    "'%s' must be between %g and %g, not %g", key, min, max, value);
        return false;
    }
    *dest = value;
    return true;
}

/* Reads a comma-separated list key. */
bool fwb_list(builder *b, nl_ini_section *section, const char *key, bool required, char ***items,
              size_t *count, long *line)
{
    *items = NULL;
    *count = 0;
    char *value = fwb_value(b, section, key, ",", required);
    if (value == NULL)
        return false;
    nl_ini_entry *entry = nl_ini_find(section, key);
    *line = entry->line;
    bool ok = nl_split(value, ',', items, count);
    free(value);
    if (!ok)
        b->out_of_memory = true;
    return ok;
}

/* Splits "KEY:VALUE" at its last colon (labels may not hold one, ids never do). */
bool fwb_split_pair(char *item, char **key, char **value)
{
    char *colon = strrchr(item, ':');
    if (colon == NULL)
        return false;
    *colon = '\0';
    *key = nl_trim(item);
    *value = nl_trim(colon + 1);
    return **key != '\0' && **value != '\0';
}

/* The part of a section header after its kind: "skill coding" -> "coding", or NULL. */
const char *fwb_section_arg(const nl_ini_section *section, const char *kind)
{
    size_t len = strlen(kind);
    if (strncmp(section->name, kind, len) != 0 || section->name[len] != ' ')
        return NULL;
    const char *arg = section->name + len;
    while (*arg == ' ')
        arg++;
    return *arg ? arg : NULL;
}

bool fwb_valid_id(const char *id)
{
    for (const char *p = id; *p; p++) {
        char c = *p;
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '_' || c == '-' || c == '.'))
            return false;
    }
    return *id != '\0';
}

/* Reads a key whose value is one of names[0..count); returns the index, or fallback. */
int fwb_choice(builder *b, nl_ini_section *section, const char *key, const char *const *names,
               int count, int fallback)
{
    nl_ini_entry *entry = nl_ini_find(section, key);
    if (entry == NULL)
        return fallback;
    for (int i = 0; i < count; i++) {
        if (strcmp(entry->value, names[i]) == 0)
            return i;
    }
    char choices[256] = "";
    for (int i = 0; i < count; i++) {
        strncat(choices, names[i], sizeof choices - strlen(choices) - 1);
        if (i + 1 < count)
            strncat(choices, ", ", sizeof choices - strlen(choices) - 1);
    }
    nl_diag_add(&b->fw->diags, NL_DIAG_ERROR, b->fw->path, entry->line, 0,
                "'%s' must be one of %s, not '%s'", key, choices, entry->value);
    return fallback;
}

bool fwb_items(builder *b, const nl_ini_entry *entry, fwb_item **items, size_t *count)
{
    *items = NULL;
    *count = 0;
    size_t cap = 0;
    const char *value = entry->value;
    for (size_t at = 0;;) {
        size_t end = at;
        while (value[end] != '\0' && value[end] != ',' && value[end] != '\n')
            end++;
        size_t start = at, stop = end;
        while (start < stop && (value[start] == ' ' || value[start] == '\t'))
            start++;
        while (stop > start && (value[stop - 1] == ' ' || value[stop - 1] == '\t'))
            stop--;
        if (stop > start) {
            if (!nl_grow((void **)items, &cap, *count + 1, sizeof **items) ||
                ((*items)[*count].text = nl_strndup(value + start, stop - start)) == NULL) {
                fwb_free_items(*items, *count);
                *items = NULL;
                *count = 0;
                b->out_of_memory = true;
                return false;
            }
            nl_ini_value_position(entry, start, &(*items)[*count].line, &(*items)[*count].column);
            (*count)++;
        }
        if (value[end] == '\0')
            return true;
        at = end + 1;
    }
}

void fwb_free_items(fwb_item *items, size_t count)
{
    for (size_t i = 0; i < count; i++)
        free(items[i].text);
    free(items);
}
