#ifndef NEXTLEVEL_INIDOC_H
#define NEXTLEVEL_INIDOC_H

#include "nextlevel/diag.h"

#include <stdbool.h>
#include <stddef.h>

/* An INI file read whole into memory (with libinih), keeping the line of every section and
 * key so that the template builder can point at them. Values continued on indented lines are
 * joined with '\n'. */

/* Where one physical line's part of a value starts: the key's line, then each indented
 * continuation line (the value holds them joined with '\n', in this order). */
typedef struct nl_ini_part {
    long line, column; /* column counts bytes from 1 */
} nl_ini_part;

typedef struct nl_ini_entry {
    char *key;
    char *value;
    long line;
    long column;        /* of the key's first character */
    nl_ini_part *parts; /* one per line of the value; NULL when out of memory */
    size_t part_count;
    bool used; /* set by the consumer, so that unknown keys can be reported */
} nl_ini_entry;

typedef struct nl_ini_section {
    char *name;
    long line;
    nl_ini_entry *entries;
    size_t count, cap;
    struct nl_strmap *keys; /* key -> entry index once the section has many keys, else NULL */
} nl_ini_section;

typedef struct nl_ini_doc {
    char *path;
    char sha256[65]; /* of the bytes read (the file is read once: it may be a pipe) */
    nl_ini_section *sections;
    size_t count, cap;
} nl_ini_doc;

/* Reads path (a file or a pipe, at most NL_READ_CAP bytes: see readfile.h). Syntax problems (a line
 * that is no section, key or comment; a line too long; a duplicated section or key) go to diags as
 * errors and reading goes on. Returns NL_ERR_IO when the file cannot be opened, NL_ERR_INPUT for a
 * device or a file over the cap, NL_ERR_RESOURCE when out of descriptors, NL_ERR_NOMEM, else NL_OK
 * with a new document in *out that the caller frees with nl_ini_doc_free. */
nl_status nl_ini_doc_load(const char *path, nl_ini_doc **out, nl_diag_list *diags, nl_error *err);

/* Frees the document; NULL does nothing. */
void nl_ini_doc_free(nl_ini_doc *doc);

/* The entry for key in section, marking it used, or NULL. */
nl_ini_entry *nl_ini_find(nl_ini_section *section, const char *key);

/* The line and column of the byte at offset in entry->value (its parts joined with '\n'), for
 * a message that points at one item of a list. */
void nl_ini_value_position(const nl_ini_entry *entry, size_t offset, long *line, long *column);

#endif
