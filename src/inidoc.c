#include "nextlevel/inidoc.h"

#include "nextlevel/strutil.h"
#include "nextlevel/textsafe.h"

#include <errno.h>
#include <ini.h>
#include <stdlib.h>
#include <string.h>

/* The reading state shared by libinih's reader and handler callbacks. */
typedef struct ini_reading {
    FILE *file;
    nl_ini_doc *doc;
    nl_diag_list *diags;
    long line;            /* physical line last handed to libinih */
    bool continued;       /* that line is indented: a value continued */
    long max_line_length; /* what libinih's buffer holds */
    bool out_of_memory;
} ini_reading;

static nl_ini_section *add_section(ini_reading *rd, const char *name, size_t len)
{
    nl_ini_doc *doc = rd->doc;
    if (!nl_grow((void **)&doc->sections, &doc->cap, doc->count + 1, sizeof *doc->sections))
        return NULL;
    nl_ini_section *section = &doc->sections[doc->count];
    *section = (nl_ini_section){.name = nl_strndup(name, len), .line = rd->line};
    if (section->name == NULL)
        return NULL;
    char *trimmed = nl_trim(section->name);
    memmove(section->name, trimmed, strlen(trimmed) + 1);
    doc->count++;
    return section;
}

/* Looks at each physical line before libinih does: counts lines, notes section headers with
 * their line (libinih reports none), and flags what libinih would drop or misread. */
static void inspect_line(ini_reading *rd, char *text)
{
    const char *p = text;
    rd->continued = (*p == ' ' || *p == '\t');
    while (*p == ' ' || *p == '\t')
        p++;
    if (*p == '\0' || *p == '\n' || *p == '\r' || *p == ';' || *p == '#')
        return;
    char why[160];
    long column = nl_text_line_flaw(text, strlen(text), why, sizeof why);
    if (column > 0)
        nl_diag_add(rd->diags, NL_DIAG_ERROR, rd->doc->path, rd->line, column, "this line %s", why);
    if (*p == '[') {
        const char *close = strchr(p, ']');
        if (close == NULL) {
            nl_diag_add(rd->diags, NL_DIAG_ERROR, rd->doc->path, rd->line, 0,
                        "section header without a closing ']'");
        } else if (add_section(rd, p + 1, (size_t)(close - p - 1)) == NULL) {
            rd->out_of_memory = true;
        }
        return;
    }
    if (!rd->continued && strpbrk(p, "=:") == NULL)
        nl_diag_add(rd->diags, NL_DIAG_ERROR, rd->doc->path, rd->line, 0,
                    "expected '[section]', 'key = value' or a comment");
    else if (!rd->continued && rd->doc->count == 0)
        nl_diag_add(rd->diags, NL_DIAG_ERROR, rd->doc->path, rd->line, 0,
                    "a key before the first [section]");
}

/* After a full buffer without a line end: consumes the line end if only that is left (the line
 * fits), else the rest of the line (it is too long). */
static bool line_fits(FILE *file)
{
    int c = fgetc(file);
    if (c == EOF || c == '\n')
        return true;
    if (c == '\r') {
        c = fgetc(file);
        if (c == EOF || c == '\n')
            return true;
    }
    while (c != EOF && c != '\n')
        c = fgetc(file);
    return false;
}

static char *read_line(char *buffer, int size, void *stream)
{
    ini_reading *rd = stream;
    if (fgets(buffer, size, rd->file) == NULL)
        return NULL;
    rd->line++;
    size_t len = strlen(buffer);
    /* The buffer holds size - 1 characters: a line of that length fits, its line end left
     * unread. */
    if (len == (size_t)size - 1 && buffer[len - 1] != '\n' && !line_fits(rd->file)) {
        nl_diag_add(rd->diags, NL_DIAG_ERROR, rd->doc->path, rd->line, 0,
                    "line longer than %d characters: continue the value on indented lines",
                    size - 1);
        /* Hand libinih an empty line so that no truncated value is stored. */
        buffer[0] = '\n';
        buffer[1] = '\0';
        rd->continued = false;
        return buffer;
    }
    /* libinih skips a UTF-8 BOM at the start of the file (editors on Windows write one). */
    if (rd->line == 1 && strncmp(buffer, "\xEF\xBB\xBF", 3) == 0)
        inspect_line(rd, buffer + 3);
    else
        inspect_line(rd, buffer);
    return buffer;
}

static int on_key(void *user, const char *section_name, const char *key, const char *value)
{
    ini_reading *rd = user;
    nl_ini_doc *doc = rd->doc;
    if (doc->count == 0)
        return 1; /* already reported as a key before any section */
    nl_ini_section *section = &doc->sections[doc->count - 1];
    (void)section_name; /* always the last header seen, which inspect_line recorded */
    if (rd->continued && section->count > 0 &&
        strcmp(section->entries[section->count - 1].key, key) == 0) {
        nl_ini_entry *entry = &section->entries[section->count - 1];
        entry->value = nl_strjoin(entry->value, "\n", value);
        if (entry->value == NULL) {
            rd->out_of_memory = true;
            return 0;
        }
        return 1;
    }
    for (size_t i = 0; i < section->count; i++) {
        if (strcmp(section->entries[i].key, key) == 0) {
            nl_diag_add(rd->diags, NL_DIAG_ERROR, doc->path, rd->line, 0,
                        "'%s' is given twice in [%s] (first on line %ld)", key, section->name,
                        section->entries[i].line);
            return 1;
        }
    }
    if (!nl_grow((void **)&section->entries, &section->cap, section->count + 1,
                 sizeof *section->entries)) {
        rd->out_of_memory = true;
        return 0;
    }
    nl_ini_entry *entry = &section->entries[section->count];
    *entry = (nl_ini_entry){.key = nl_strdup(key), .value = nl_strdup(value), .line = rd->line};
    if (entry->key == NULL || entry->value == NULL) {
        free(entry->key);
        free(entry->value);
        rd->out_of_memory = true;
        return 0;
    }
    section->count++;
    return 1;
}

nl_status nl_ini_doc_load(const char *path, nl_ini_doc **out, nl_diag_list *diags, nl_error *err)
{
    *out = NULL;
    nl_ini_doc *doc = calloc(1, sizeof *doc);
    if (doc == NULL || (doc->path = nl_strdup(path)) == NULL) {
        free(doc);
        return nl_error_set(err, NL_ERR_NOMEM, path, 0, 0, "out of memory");
    }
    FILE *file = fopen(path, "rb");
    if (file == NULL) {
        int saved = errno;
        nl_ini_doc_free(doc);
        return nl_error_set(err, nl_status_from_errno(saved, NL_ERR_IO), path, 0, 0,
                            "cannot open the template: %s", strerror(saved));
    }
    ini_reading rd = {.file = file, .doc = doc, .diags = diags};
    ini_parse_stream(read_line, &rd, on_key, &rd);
    bool read_failed = ferror(file);
    fclose(file);
    if (rd.out_of_memory || diags->out_of_memory) {
        nl_ini_doc_free(doc);
        return nl_error_set(err, NL_ERR_NOMEM, path, 0, 0, "out of memory");
    }
    if (read_failed) {
        nl_ini_doc_free(doc);
        return nl_error_set(err, NL_ERR_IO, path, 0, 0, "cannot read the template");
    }
    *out = doc;
    return NL_OK;
}

void nl_ini_doc_free(nl_ini_doc *doc)
{
    if (doc == NULL)
        return;
    for (size_t s = 0; s < doc->count; s++) {
        nl_ini_section *section = &doc->sections[s];
        for (size_t e = 0; e < section->count; e++) {
            free(section->entries[e].key);
            free(section->entries[e].value);
        }
        free(section->entries);
        free(section->name);
    }
    free(doc->sections);
    free(doc->path);
    free(doc);
}

nl_ini_entry *nl_ini_find(nl_ini_section *section, const char *key)
{
    for (size_t i = 0; i < section->count; i++) {
        if (strcmp(section->entries[i].key, key) == 0) {
            section->entries[i].used = true;
            return &section->entries[i];
        }
    }
    return NULL;
}
