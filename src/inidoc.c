#include "nextlevel/inidoc.h"

#include "nextlevel/digest.h"
#include "nextlevel/readfile.h"
#include "nextlevel/strmap.h"
#include "nextlevel/strutil.h"
#include "nextlevel/textsafe.h"

#include <errno.h>
#include <ini.h>
#include <stdlib.h>
#include <string.h>

/* The reading state shared by libinih's reader and handler callbacks. */
typedef struct ini_reading {
    const char *text; /* the whole file, read at once (capped: see readfile.h) */
    size_t len, at;
    nl_ini_doc *doc;
    nl_diag_list *diags;
    long line;            /* physical line last handed to libinih */
    bool continued;       /* that line is indented: a value continued */
    long key_column;      /* where that line's key (or continued value) starts */
    long value_column;    /* where that line's value starts, after '=' or ':' */
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
    rd->key_column = (long)(p - text) + 1;
    rd->value_column = rd->key_column;
    const char *delimiter = strpbrk(p, "=:");
    if (delimiter != NULL) {
        const char *value = delimiter + 1;
        while (*value == ' ' || *value == '\t')
            value++;
        rd->value_column = (long)(value - text) + 1;
    }
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

/* The next byte of the file, or EOF. */
static int next_byte(ini_reading *rd)
{
    return rd->at < rd->len ? (unsigned char)rd->text[rd->at++] : EOF;
}

/* fgets over the file's bytes. */
static char *next_line(char *buffer, int size, ini_reading *rd)
{
    if (rd->at >= rd->len || size < 2)
        return NULL;
    int n = 0;
    while (n < size - 1 && rd->at < rd->len) {
        char c = rd->text[rd->at++];
        buffer[n++] = c;
        if (c == '\n')
            break;
    }
    buffer[n] = '\0';
    return buffer;
}

/* After a full buffer without a line end: consumes the line end if only that is left (the line
 * fits), else the rest of the line (it is too long). */
static bool line_fits(ini_reading *rd)
{
    int c = next_byte(rd);
    if (c == EOF || c == '\n')
        return true;
    if (c == '\r') {
        c = next_byte(rd);
        if (c == EOF || c == '\n')
            return true;
    }
    while (c != EOF && c != '\n')
        c = next_byte(rd);
    return false;
}

static char *read_line(char *buffer, int size, void *stream)
{
    ini_reading *rd = stream;
    if (next_line(buffer, size, rd) == NULL)
        return NULL;
    rd->line++;
    size_t len = strlen(buffer);
    /* The buffer holds size - 1 characters: a line of that length fits, its line end left
     * unread. */
    if (len == (size_t)size - 1 && buffer[len - 1] != '\n' && !line_fits(rd)) {
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

/* A section searches its keys one by one up to this many, then through a hash map: a section
 * of 10,000 keys made reading quadratic. */
#define KEYS_SCANNED 16

/* The index of key's entry in section, or -1. */
static long find_key(const nl_ini_section *section, const char *key)
{
    size_t i;
    if (section->keys != NULL)
        return nl_strmap_get(section->keys, key, &i) ? (long)i : -1;
    for (i = 0; i < section->count; i++) {
        if (strcmp(section->entries[i].key, key) == 0)
            return (long)i;
    }
    return -1;
}

/* Adds entry e to the section's map, making the map (with every earlier key) when the section
 * outgrows a scan. The map borrows the keys, which live as long as the document. */
static bool index_key(nl_ini_section *section, size_t e)
{
    if (section->keys == NULL) {
        if (section->count <= KEYS_SCANNED)
            return true;
        if ((section->keys = nl_strmap_new_borrowing()) == NULL)
            return false;
        for (size_t i = 0; i < e; i++) {
            if (!nl_strmap_put(section->keys, section->entries[i].key, i))
                return false;
        }
    }
    return nl_strmap_put(section->keys, section->entries[e].key, e);
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
        nl_ini_part *parts = realloc(entry->parts, (entry->part_count + 1) * sizeof *parts);
        if (entry->value == NULL || parts == NULL) {
            if (parts != NULL)
                entry->parts = parts;
            rd->out_of_memory = true;
            return 0;
        }
        entry->parts = parts;
        entry->parts[entry->part_count++] = (nl_ini_part){rd->line, rd->key_column};
        return 1;
    }
    long first = find_key(section, key);
    if (first >= 0) {
        nl_diag_add(rd->diags, NL_DIAG_ERROR, doc->path, rd->line, 0,
                    "'%s' is given twice in [%s] (first on line %ld)", key, section->name,
                    section->entries[first].line);
        return 1;
    }
    if (!nl_grow((void **)&section->entries, &section->cap, section->count + 1,
                 sizeof *section->entries)) {
        rd->out_of_memory = true;
        return 0;
    }
    nl_ini_entry *entry = &section->entries[section->count];
    *entry = (nl_ini_entry){.key = nl_strdup(key),
                            .value = nl_strdup(value),
                            .line = rd->line,
                            .column = rd->key_column,
                            .parts = malloc(sizeof *entry->parts),
                            .part_count = 1};
    if (entry->key == NULL || entry->value == NULL || entry->parts == NULL) {
        free(entry->key);
        free(entry->value);
        free(entry->parts);
        rd->out_of_memory = true;
        return 0;
    }
    entry->parts[0] = (nl_ini_part){rd->line, rd->value_column};
    section->count++;
    if (!index_key(section, section->count - 1)) {
        rd->out_of_memory = true;
        return 0;
    }
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
    char *text = NULL;
    size_t len = 0;
    nl_status status = nl_read_capped(path, "the template", NL_READ_CAP, &text, &len, err);
    if (status != NL_OK) {
        nl_ini_doc_free(doc);
        return status;
    }
    /* Digested from the bytes read, never by opening the file again: a pipe is read once. */
    nl_sha256 *digest = nl_sha256_new();
    if (digest != NULL)
        nl_sha256_update(digest, text, len);
    nl_sha256_finish(digest, doc->sha256);
    ini_reading rd = {.text = text, .len = len, .doc = doc, .diags = diags};
    ini_parse_stream(read_line, &rd, on_key, &rd);
    free(text);
    if (rd.out_of_memory || diags->out_of_memory || doc->sha256[0] == '\0') {
        nl_ini_doc_free(doc);
        return nl_error_set(err, NL_ERR_NOMEM, path, 0, 0, "out of memory");
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
            free(section->entries[e].parts);
        }
        free(section->entries);
        nl_strmap_free(section->keys);
        free(section->name);
    }
    free(doc->sections);
    free(doc->path);
    free(doc);
}

nl_ini_entry *nl_ini_find(nl_ini_section *section, const char *key)
{
    long i = find_key(section, key);
    if (i < 0)
        return NULL;
    section->entries[i].used = true;
    return &section->entries[i];
}

void nl_ini_value_position(const nl_ini_entry *entry, size_t offset, long *line, long *column)
{
    size_t part = 0, start = 0;
    for (size_t i = 0; i < offset && entry->value[i] != '\0'; i++) {
        if (entry->value[i] == '\n') {
            part++;
            start = i + 1;
        }
    }
    if (entry->parts == NULL || part >= entry->part_count) {
        *line = entry->line;
        *column = 0;
        return;
    }
    *line = entry->parts[part].line;
    *column = entry->parts[part].column + (long)(offset - start);
}
