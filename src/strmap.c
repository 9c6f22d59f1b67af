#include "nextlevel/strmap.h"

#include "nextlevel/strutil.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

typedef struct slot {
    char *key; /* NULL for an empty slot */
    size_t value;
    uint64_t hash;
} slot;

struct nl_strmap {
    slot *slots;
    size_t capacity; /* a power of two */
    size_t count;
    bool borrowing; /* keys are the caller's, not copies */
};

/* FNV-1a: simple and good enough for ids and header names. */
static uint64_t hash_key(const char *key)
{
    uint64_t h = 1469598103934665603ULL;
    for (const unsigned char *p = (const unsigned char *)key; *p; p++) {
        h ^= *p;
        h *= 1099511628211ULL;
    }
    return h;
}

nl_strmap *nl_strmap_new(void)
{
    nl_strmap *map = calloc(1, sizeof *map);
    if (map == NULL)
        return NULL;
    map->capacity = 16;
    map->slots = calloc(map->capacity, sizeof *map->slots);
    if (map->slots == NULL) {
        free(map);
        return NULL;
    }
    return map;
}

nl_strmap *nl_strmap_new_borrowing(void)
{
    nl_strmap *map = nl_strmap_new();
    if (map != NULL)
        map->borrowing = true;
    return map;
}

void nl_strmap_free(nl_strmap *map)
{
    if (map == NULL)
        return;
    for (size_t i = 0; i < map->capacity && !map->borrowing; i++)
        free(map->slots[i].key);
    free(map->slots);
    free(map);
}

static slot *find_slot(slot *slots, size_t capacity, const char *key, uint64_t hash)
{
    size_t i = (size_t)hash & (capacity - 1);
    while (slots[i].key != NULL && (slots[i].hash != hash || strcmp(slots[i].key, key) != 0))
        i = (i + 1) & (capacity - 1);
    return &slots[i];
}

bool nl_strmap_get(const nl_strmap *map, const char *key, size_t *value)
{
    const slot *s = find_slot(map->slots, map->capacity, key, hash_key(key));
    if (s->key == NULL)
        return false;
    if (value != NULL)
        *value = s->value;
    return true;
}

static bool rehash(nl_strmap *map)
{
    size_t capacity = map->capacity * 2;
    slot *slots = calloc(capacity, sizeof *slots);
    if (slots == NULL)
        return false;
    for (size_t i = 0; i < map->capacity; i++) {
        if (map->slots[i].key != NULL)
            *find_slot(slots, capacity, map->slots[i].key, map->slots[i].hash) = map->slots[i];
    }
    free(map->slots);
    map->slots = slots;
    map->capacity = capacity;
    return true;
}

bool nl_strmap_put(nl_strmap *map, const char *key, size_t value)
{
    /* Keep the load under 3/4 so probe chains stay short. */
    if ((map->count + 1) * 4 > map->capacity * 3 && !rehash(map))
        return false;
    uint64_t hash = hash_key(key);
    slot *s = find_slot(map->slots, map->capacity, key, hash);
    if (s->key == NULL) {
        s->key = map->borrowing ? (char *)key : nl_strdup(key);
        if (s->key == NULL)
            return false;
        s->hash = hash;
        map->count++;
    }
    s->value = value;
    return true;
}

size_t nl_strmap_count(const nl_strmap *map)
{
    return map->count;
}
