#include "nextlevel/packs.h"

#include "nextlevel/strmap.h"
#include "nextlevel/strutil.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_NAME_BYTES 100

/* Windows refuses these names whatever the extension: CON, PRN, AUX, NUL, COM1-9, LPT1-9. */
static bool reserved_device(const char *name)
{
    size_t n = strcspn(name, ".");
    if (n < 3 || n > 4)
        return false;
    char stem[5];
    for (size_t i = 0; i < n; i++)
        stem[i] = (char)toupper((unsigned char)name[i]);
    stem[n] = '\0';
    if (n == 3)
        return strcmp(stem, "CON") == 0 || strcmp(stem, "PRN") == 0 || strcmp(stem, "AUX") == 0 ||
               strcmp(stem, "NUL") == 0;
    return (strncmp(stem, "COM", 3) == 0 || strncmp(stem, "LPT", 3) == 0) && stem[3] >= '1' &&
           stem[3] <= '9';
}

void nl_safe_file_name(const char *name, char *out, size_t size)
{
    size_t n = 0;
    const unsigned char *p = (const unsigned char *)name;
    while (*p == '.' || *p == ' ')
        p++;
    size_t limit = size - 2 < MAX_NAME_BYTES ? size - 2 : MAX_NAME_BYTES;
    while (*p != '\0') {
        size_t len = 1;
        if (*p >= 0x80) {
            while ((p[len] & 0xC0) == 0x80)
                len++;
        }
        if (n + len > limit)
            break;
        if (len == 1 && (*p < 0x20 || *p == 0x7F || strchr("/\\:*?\"<>|", *p) != NULL)) {
            out[n++] = '_';
        } else {
            memcpy(out + n, p, len);
            n += len;
        }
        p += len;
    }
    while (n > 0 && (out[n - 1] == ' ' || out[n - 1] == '.'))
        n--;
    out[n] = '\0';
    if (n == 0) {
        snprintf(out, size, "unnamed");
    } else if (reserved_device(out) && n + 1 < size) {
        memmove(out + 1, out, n + 1);
        out[0] = '_';
    }
}

static int compare_groups(const void *a, const void *b)
{
    return strcmp(((const nl_group *)a)->name, ((const nl_group *)b)->name);
}

/* Gives every group a file name, adding " (2)", " (3)" where two names would collide (also
 * ignoring case, for case-insensitive file systems). */
static bool name_files(nl_group *groups, size_t count)
{
    nl_strmap *taken = nl_strmap_new();
    if (taken == NULL)
        return false;
    for (size_t g = 0; g < count; g++) {
        char base[128], name[160];
        nl_safe_file_name(groups[g].name, base, sizeof base);
        for (int k = 1;; k++) {
            if (k == 1)
                snprintf(name, sizeof name, "%s.xlsx", base);
            else
                snprintf(name, sizeof name, "%s (%d).xlsx", base, k);
            char folded[160];
            for (size_t i = 0; i < sizeof folded; i++) {
                char c = name[i];
                folded[i] = (char)(c >= 'A' && c <= 'Z' ? c + 32 : c);
                if (c == '\0')
                    break;
            }
            if (!nl_strmap_get(taken, folded, NULL)) {
                if (!nl_strmap_put(taken, folded, g) ||
                    (groups[g].file_name = nl_strdup(name)) == NULL) {
                    nl_strmap_free(taken);
                    return false;
                }
                break;
            }
        }
    }
    nl_strmap_free(taken);
    return true;
}

bool nl_groups_make(const nl_matrix *m, nl_split_by split, nl_group **out, size_t *out_count)
{
    size_t people_count;
    const nl_person *people = nl_matrix_people(m, &people_count);
    nl_strmap *index = nl_strmap_new();
    nl_group *groups = NULL;
    size_t count = 0, cap = 0;
    size_t *caps = NULL;
    bool ok = index != NULL;
    for (size_t i = 0; ok && i < people_count; i++) {
        const char *key = split == NL_SPLIT_TEAM ? people[i].team : people[i].manager;
        if (*key == '\0')
            key = split == NL_SPLIT_TEAM ? "(no team)" : "(no manager)";
        size_t g;
        if (!nl_strmap_get(index, key, &g)) {
            size_t old_cap = cap;
            ok = nl_grow((void **)&groups, &cap, count + 1, sizeof *groups);
            if (ok && cap != old_cap) {
                size_t *grown = realloc(caps, cap * sizeof *caps);
                ok = grown != NULL;
                caps = grown ? grown : caps;
            }
            ok = ok && nl_strmap_put(index, key, count);
            if (!ok)
                break;
            groups[count] = (nl_group){.name = key};
            caps[count] = 0;
            g = count++;
        }
        nl_group *group = &groups[g];
        ok = nl_grow((void **)&group->people, &caps[g], group->count + 1, sizeof(size_t));
        if (ok)
            group->people[group->count++] = i;
    }
    nl_strmap_free(index);
    free(caps);
    if (ok) {
        qsort(groups, count, sizeof *groups, compare_groups);
        ok = name_files(groups, count);
    }
    if (!ok) {
        nl_groups_free(groups, count);
        return false;
    }
    *out = groups;
    *out_count = count;
    return true;
}

void nl_groups_free(nl_group *groups, size_t count)
{
    for (size_t g = 0; g < count; g++) {
        free(groups[g].file_name);
        free(groups[g].people);
    }
    free(groups);
}
