#ifndef NEXTLEVEL_STRMAP_H
#define NEXTLEVEL_STRMAP_H

#include <stdbool.h>
#include <stddef.h>

/* A hash map from strings to size_t values (indices into the caller's arrays). Keys are
 * copied; the map owns its copies. */
typedef struct nl_strmap nl_strmap;

/* A new empty map, or NULL when out of memory. */
nl_strmap *nl_strmap_new(void);

/* A new empty map that keeps the caller's key pointers instead of copies: each key must stay
 * unchanged until the map is freed. For a million person ids this saves a million copies. */
nl_strmap *nl_strmap_new_borrowing(void);

/* Frees the map and its key copies (not borrowed keys); NULL does nothing. */
void nl_strmap_free(nl_strmap *map);

/* Looks key up; on a hit stores its value in *value (if value is not NULL). */
bool nl_strmap_get(const nl_strmap *map, const char *key, size_t *value);

/* Adds key -> value, or replaces the value of an existing key. Returns false when out of
 * memory. */
bool nl_strmap_put(nl_strmap *map, const char *key, size_t value);

/* Number of keys. */
size_t nl_strmap_count(const nl_strmap *map);

#endif
