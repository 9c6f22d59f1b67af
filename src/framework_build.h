#ifndef NEXTLEVEL_FRAMEWORK_BUILD_H
#define NEXTLEVEL_FRAMEWORK_BUILD_H

/* Internal to the template loader: the build state and the helpers that read typed values
 * from INI sections, shared by framework.c (sections), framework_gates.c ([gate ID]) and
 * framework_grid.c (the expectations CSV grid). */

#include "nextlevel/framework.h"
#include "nextlevel/inidoc.h"

#include <stdbool.h>
#include <stddef.h>

/* State while a template is built from its INI document. Failures to allocate set
 * out_of_memory and the build unwinds; template mistakes become diagnostics and the build
 * goes on, so that one run of `check` shows them all. */
typedef struct builder {
    nl_framework *fw;
    nl_ini_doc *doc;
    bool out_of_memory;
} builder;

/* Adds an error at line with up to two string arguments. */
void fwb_error(builder *b, long line, const char *fmt, const char *a, const char *c)
    __attribute__((format(printf, 3, 0)));

/* The value of key in section as a new string with continuation line breaks replaced by sep
 * (", " for lists, " " for text), or NULL when absent (an error when required). */
char *fwb_value(builder *b, nl_ini_section *section, const char *key, const char *sep,
                bool required);

/* Stores a text value in *dest (freeing what was there). Returns whether the key was given. */
bool fwb_text(builder *b, nl_ini_section *section, const char *key, bool required, char **dest);

/* Reads a number key within [min, max]. Returns whether a valid number was stored. */
bool fwb_number(builder *b, nl_ini_section *section, const char *key, bool required, double min,
                double max, double *dest);

/* Reads a comma-separated list key into new trimmed strings (nl_free_strings). */
bool fwb_list(builder *b, nl_ini_section *section, const char *key, bool required, char ***items,
              size_t *count, long *line);

/* One item of a list key, trimmed, with where it stands in the template. */
typedef struct fwb_item {
    char *text;
    long line, column;
} fwb_item;

/* Splits a list entry's value at commas and line ends into trimmed, non-empty items with their
 * positions (fwb_free_items). Returns false when out of memory (b->out_of_memory set). */
bool fwb_items(builder *b, const nl_ini_entry *entry, fwb_item **items, size_t *count);
void fwb_free_items(fwb_item *items, size_t count);

/* Reads a key whose value is one of names[0..count); returns the index, or fallback. */
int fwb_choice(builder *b, nl_ini_section *section, const char *key, const char *const *names,
               int count, int fallback);

/* Splits "KEY:VALUE" in place at its last colon. */
bool fwb_split_pair(char *item, char **key, char **value);

/* The part of a section header after its kind: "skill coding" -> "coding", or NULL. */
const char *fwb_section_arg(const nl_ini_section *section, const char *kind);

/* Whether id holds only letters, digits, '_', '-' and '.'. */
bool fwb_valid_id(const char *id);

/* Sets level's expectation for a skill from text ("coding", "4" or "Advanced"), reporting
 * unknown skills, bad or out-of-scale scores and duplicates at path:line:column. */
void fwb_set_expectation(builder *b, nl_level *level, const char *path, long line, long column,
                         const char *skill_text, const char *score_text);

/* Builds one [gate ID] section into the next slot of fw->gates. */
void fwb_build_gate(builder *b, nl_ini_section *section, const char *id);

/* Reads fw->expectations_path into the levels' expectations. */
nl_status fwb_load_grid(builder *b, nl_error *err);

#endif
