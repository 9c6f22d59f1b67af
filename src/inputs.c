#include "nextlevel/inputs.h"

#include "nextlevel/strutil.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

typedef struct path_list {
    char **items;
    size_t count, cap;
} path_list;

static bool add_path(path_list *list, char *path)
{
    if (path == NULL ||
        !nl_grow((void **)&list->items, &list->cap, list->count + 1, sizeof *list->items)) {
        free(path);
        return false;
    }
    list->items[list->count++] = path;
    return true;
}

static bool is_csv_name(const char *name)
{
    size_t len = strlen(name);
    return len > 4 && nl_strcaseeq(name + len - 4, ".csv") && name[0] != '.';
}

int nl_natural_compare(const char *a, const char *b)
{
    const unsigned char *x = (const unsigned char *)a, *y = (const unsigned char *)b;
    while (*x != '\0' && *y != '\0') {
        if (isdigit(*x) && isdigit(*y)) {
            /* Runs of digits compare as numbers: leading zeros aside, the longer is larger. */
            while (*x == '0' && isdigit(x[1]))
                x++;
            while (*y == '0' && isdigit(y[1]))
                y++;
            size_t nx = 0, ny = 0;
            while (isdigit(x[nx]))
                nx++;
            while (isdigit(y[ny]))
                ny++;
            if (nx != ny)
                return nx < ny ? -1 : 1;
            int digits = memcmp(x, y, nx);
            if (digits != 0)
                return digits < 0 ? -1 : 1;
            x += nx;
            y += ny;
            continue;
        }
        int cx = tolower(*x), cy = tolower(*y);
        if (cx != cy)
            return cx < cy ? -1 : 1;
        x++;
        y++;
    }
    if (*x != *y)
        return *x == '\0' ? -1 : 1;
    /* Names equal but for case or zeros still get one fixed order. */
    int bytes = strcmp(a, b);
    return bytes < 0 ? -1 : bytes > 0;
}

static int compare_names(const void *a, const void *b)
{
    return nl_natural_compare(*(char *const *)a, *(char *const *)b);
}

static char *join(const char *dir, const char *name)
{
    size_t len = strlen(dir);
    char *path = nl_strdup(dir);
    if (path != NULL && len > 0 && dir[len - 1] == '/')
        path[len - 1] = '\0';
    return path ? nl_strjoin(path, "/", name) : NULL;
}

/* The folders already read by one recursive walk (device and inode), so that a link back to
 * a folder (".", "..", a parent) does not make the walk read it again, or never end. */
typedef struct dir_id {
    dev_t dev;
    ino_t ino;
} dir_id;

typedef struct seen_dirs {
    dir_id *items;
    size_t count, cap;
} seen_dirs;

/* Records dir as read; false when it was already (or on a failure, left to opendir). */
static bool first_visit(seen_dirs *seen, const char *dir)
{
    struct stat st;
    if (stat(dir, &st) != 0)
        return true;
    for (size_t i = 0; i < seen->count; i++) {
        if (seen->items[i].dev == st.st_dev && seen->items[i].ino == st.st_ino)
            return false;
    }
    if (nl_grow((void **)&seen->items, &seen->cap, seen->count + 1, sizeof *seen->items))
        seen->items[seen->count++] = (dir_id){st.st_dev, st.st_ino};
    return true;
}

/* Adds the CSV files of dir, then (recursive) those of its sub-folders not read yet; hidden
 * CSV files (".name.csv") are left out and listed in hidden. */
static nl_status expand_dir(const char *dir, bool recursive, seen_dirs *seen, path_list *out,
                            path_list *hidden, nl_error *err)
{
    if (!first_visit(seen, dir))
        return NL_OK;
    DIR *d = opendir(dir);
    if (d == NULL) {
        int saved = errno;
        return nl_error_set(err, nl_status_from_errno(saved, NL_ERR_IO), dir, 0, 0,
                            "cannot read the folder: %s", strerror(saved));
    }
    path_list files = {0}, dirs = {0};
    nl_status status = NL_OK;
    struct dirent *entry;
    while (status == NL_OK && (entry = readdir(d)) != NULL) {
        if (entry->d_name[0] == '.') {
            size_t len = strlen(entry->d_name);
            if (hidden != NULL && len > 4 && nl_strcaseeq(entry->d_name + len - 4, ".csv") &&
                !add_path(hidden, join(dir, entry->d_name)))
                status = nl_error_set(err, NL_ERR_NOMEM, NULL, 0, 0, "out of memory");
            continue;
        }
        char *path = join(dir, entry->d_name);
        struct stat st;
        if (path == NULL) {
            status = nl_error_set(err, NL_ERR_NOMEM, NULL, 0, 0, "out of memory");
        } else if (stat(path, &st) == 0 && S_ISDIR(st.st_mode)) {
            if (!recursive)
                free(path);
            else if (!add_path(&dirs, path))
                status = nl_error_set(err, NL_ERR_NOMEM, NULL, 0, 0, "out of memory");
        } else if (is_csv_name(entry->d_name)) {
            if (!add_path(&files, path))
                status = nl_error_set(err, NL_ERR_NOMEM, NULL, 0, 0, "out of memory");
        } else {
            free(path);
        }
    }
    closedir(d);
    if (files.count > 1)
        qsort(files.items, files.count, sizeof *files.items, compare_names);
    if (dirs.count > 1)
        qsort(dirs.items, dirs.count, sizeof *dirs.items, compare_names);
    for (size_t i = 0; i < files.count; i++) {
        if (status == NL_OK && !add_path(out, files.items[i]))
            status = nl_error_set(err, NL_ERR_NOMEM, NULL, 0, 0, "out of memory");
        else if (status != NL_OK)
            free(files.items[i]);
    }
    for (size_t i = 0; i < dirs.count && status == NL_OK; i++)
        status = expand_dir(dirs.items[i], recursive, seen, out, hidden, err);
    nl_free_strings(dirs.items, dirs.count);
    free(files.items);
    return status;
}

/* The files already taken (device and inode), so that a file named twice, or a file and its
 * folder, is read once. */
static bool first_mention(seen_dirs *files, const char *path)
{
    return first_visit(files, path);
}

nl_status nl_inputs_expand(char *const *operands, size_t count, bool recursive, char ***paths,
                           size_t *path_count, nl_input_notes *notes, nl_error *err)
{
    path_list out = {0}, hidden = {0}, repeated = {0};
    seen_dirs files = {0};
    nl_status status = NL_OK;
    for (size_t i = 0; i < count && status == NL_OK; i++) {
        const char *operand = operands[i];
        struct stat st;
        size_t before = out.count;
        if (strcmp(operand, "-") == 0) {
            if (!add_path(&out, nl_strdup(operand)))
                status = nl_error_set(err, NL_ERR_NOMEM, NULL, 0, 0, "out of memory");
        } else if (stat(operand, &st) != 0) {
            int saved = errno;
            status = nl_error_set(err, nl_status_from_errno(saved, NL_ERR_IO), operand, 0, 0,
                                  "cannot open: %s", strerror(saved));
        } else if (S_ISDIR(st.st_mode)) {
            seen_dirs seen = {0};
            size_t hidden_before = hidden.count;
            status = expand_dir(operand, recursive, &seen, &out, &hidden, err);
            free(seen.items);
            if (status == NL_OK && out.count == before)
                status = nl_error_set(
                    err, NL_ERR_INPUT, operand, 0, 0, "the folder holds no .csv file%s%s",
                    hidden.count > hidden_before ? " but hidden ones (a name starting with '.'), "
                                                   "which are not read: rename them to read them"
                                                 : "",
                    recursive ? "" : " (--recursive reads sub-folders)");
        } else if (!add_path(&out, nl_strdup(operand))) {
            status = nl_error_set(err, NL_ERR_NOMEM, NULL, 0, 0, "out of memory");
        }
        /* Drop what was already taken: every row would be a duplicate of itself. */
        size_t kept = before;
        for (size_t k = before; k < out.count; k++) {
            if (status != NL_OK || strcmp(out.items[k], "-") == 0 ||
                first_mention(&files, out.items[k])) {
                out.items[kept++] = out.items[k];
            } else if (!add_path(&repeated, out.items[k])) {
                status = nl_error_set(err, NL_ERR_NOMEM, NULL, 0, 0, "out of memory");
            }
        }
        out.count = kept;
    }
    free(files.items);
    if (status == NL_OK && notes != NULL) {
        *notes = (nl_input_notes){hidden.items, hidden.count, repeated.items, repeated.count};
    } else {
        nl_free_strings(hidden.items, hidden.count);
        nl_free_strings(repeated.items, repeated.count);
    }
    if (status != NL_OK) {
        nl_free_strings(out.items, out.count);
        return status;
    }
    *paths = out.items;
    *path_count = out.count;
    return NL_OK;
}

void nl_input_notes_clear(nl_input_notes *notes)
{
    nl_free_strings(notes->hidden, notes->hidden_count);
    nl_free_strings(notes->repeated, notes->repeated_count);
    *notes = (nl_input_notes){0};
}
