#include "nextlevel/inputs.h"

#include "nextlevel/readfile.h"
#include "nextlevel/strutil.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
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

/* What a folder scan left out besides hidden files, for the notes. */
typedef struct scan_notes {
    path_list hidden;
    path_list special;      /* "PATH (a pipe)": *.csv entries that are not regular files */
    path_list long_folders; /* folders with entries whose path is too long to open */
    size_t *long_counts;    /* entries left out of each, in step with long_folders */
    size_t long_counts_cap;
} scan_notes;

/* What a *.csv entry that is not a regular file is, in words. */
static const char *special_kind(mode_t mode)
{
    if (S_ISFIFO(mode))
        return "a pipe";
    if (S_ISSOCK(mode))
        return "a socket";
    if (S_ISCHR(mode) || S_ISBLK(mode))
        return "a device";
    return "not a regular file";
}

/* Counts one entry of dir left out for the length of its path (the system cannot open a path
 * of PATH_MAX bytes or more). */
static bool note_too_long(scan_notes *notes, const char *dir)
{
    size_t n = notes->long_folders.count;
    if (n > 0 && strcmp(notes->long_folders.items[n - 1], dir) == 0) {
        notes->long_counts[n - 1]++;
        return true;
    }
    if (!nl_grow((void **)&notes->long_counts, &notes->long_counts_cap, n + 1,
                 sizeof *notes->long_counts))
        return false;
    notes->long_counts[n] = 1;
    return add_path(&notes->long_folders, nl_strdup(dir));
}

/* Adds the CSV files of dir (regular files, or links to them), then (recursive) those of its
 * sub-folders not read yet; hidden CSV files (".name.csv") are left out and listed, so are
 * *.csv entries that are no regular file (a pipe, socket or device would block or never end)
 * and entries whose path is too long for the system. */
static nl_status expand_dir(const char *dir, bool recursive, seen_dirs *seen, path_list *out,
                            scan_notes *notes, nl_error *err)
{
    path_list *hidden = &notes->hidden;
    if (!first_visit(seen, dir))
        return NL_OK;
    DIR *d = opendir(dir);
    if (d == NULL) {
        int saved = errno;
        if (saved == EMFILE || saved == ENFILE)
            return nl_input_open_failed(err, saved, dir, "the folder");
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
        /* Relative to the open folder: this works whatever the length of the path. */
        bool known = fstatat(dirfd(d), entry->d_name, &st, 0) == 0;
        bool wanted = is_csv_name(entry->d_name) || (recursive && known && S_ISDIR(st.st_mode));
        if (path == NULL) {
            status = nl_error_set(err, NL_ERR_NOMEM, NULL, 0, 0, "out of memory");
        } else if (wanted && strlen(path) >= PATH_MAX) {
            free(path);
            if (!note_too_long(notes, dir))
                status = nl_error_set(err, NL_ERR_NOMEM, NULL, 0, 0, "out of memory");
        } else if (known && S_ISDIR(st.st_mode)) {
            if (!recursive)
                free(path);
            else if (!add_path(&dirs, path))
                status = nl_error_set(err, NL_ERR_NOMEM, NULL, 0, 0, "out of memory");
        } else if (is_csv_name(entry->d_name) && known && !S_ISREG(st.st_mode)) {
            char *noted = nl_strjoin(path, " (", special_kind(st.st_mode));
            if (!add_path(&notes->special, noted ? nl_strjoin(noted, ")", "") : NULL))
                status = nl_error_set(err, NL_ERR_NOMEM, NULL, 0, 0, "out of memory");
        } else if (is_csv_name(entry->d_name)) {
            /* A broken link stays: reading it says what is wrong. */
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
        status = expand_dir(dirs.items[i], recursive, seen, out, notes, err);
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
    path_list out = {0}, repeated = {0};
    scan_notes scan = {0};
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
            size_t hidden_before = scan.hidden.count, special_before = scan.special.count;
            status = expand_dir(operand, recursive, &seen, &out, &scan, err);
            free(seen.items);
            if (status == NL_OK && out.count == before)
                status = nl_error_set(
                    err, NL_ERR_INPUT, operand, 0, 0, "the folder holds no .csv file%s%s%s",
                    scan.special.count > special_before
                        ? " that is a regular file (pipes, sockets and devices are not read)"
                        : "",
                    scan.hidden.count > hidden_before
                        ? " but hidden ones (a name starting with '.'), "
                          "which are not read: rename them to read them"
                        : "",
                    recursive ? "" : " (--recursive reads sub-folders)");
        } else if ((status = nl_input_kind_check(operand, "a skill matrix", err)) != NL_OK) {
            /* A device or a socket named on purpose: refused rather than read for ever. */
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
        *notes = (nl_input_notes){.hidden = scan.hidden.items,
                                  .hidden_count = scan.hidden.count,
                                  .repeated = repeated.items,
                                  .repeated_count = repeated.count,
                                  .special = scan.special.items,
                                  .special_count = scan.special.count,
                                  .long_folders = scan.long_folders.items,
                                  .long_counts = scan.long_counts,
                                  .long_folder_count = scan.long_folders.count};
    } else {
        nl_free_strings(scan.hidden.items, scan.hidden.count);
        nl_free_strings(repeated.items, repeated.count);
        nl_free_strings(scan.special.items, scan.special.count);
        nl_free_strings(scan.long_folders.items, scan.long_folders.count);
        free(scan.long_counts);
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
    nl_free_strings(notes->special, notes->special_count);
    nl_free_strings(notes->long_folders, notes->long_folder_count);
    free(notes->long_counts);
    *notes = (nl_input_notes){0};
}
