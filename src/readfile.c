/* explicit_bzero and O_CLOEXEC are not in C11. */
#define _DEFAULT_SOURCE

#include "nextlevel/readfile.h"

#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* What a file that is not a regular file or a pipe is, in words, or NULL when it may be read. */
static const char *refused_kind(mode_t mode)
{
    if (S_ISCHR(mode) || S_ISBLK(mode))
        return "a device";
    if (S_ISSOCK(mode))
        return "a socket";
    if (S_ISDIR(mode))
        return "a folder";
    if (S_ISREG(mode) || S_ISFIFO(mode))
        return NULL;
    return "something other than a file";
}

static nl_status refused(nl_error *err, const char *path, const char *kind, const char *what)
{
    return nl_error_set(err, NL_ERR_INPUT, path, 0, 0,
                        "this is %s, not a file: give the path of a file (or a pipe) as %s", kind,
                        what);
}

nl_status nl_input_kind_check(const char *path, const char *what, nl_error *err)
{
    struct stat st;
    if (stat(path, &st) != 0)
        return NL_OK;
    const char *kind = refused_kind(st.st_mode);
    if (kind == NULL)
        return NL_OK;
    return refused(err, path, kind, what);
}

nl_status nl_input_open_failed(nl_error *err, int errnum, const char *path, const char *what)
{
    nl_status status = nl_status_from_errno(errnum, NL_ERR_IO);
    const char *space = what ? " " : "";
    what = what ? what : "";
    if (errnum == EMFILE || errnum == ENFILE)
        return nl_error_set(err, NL_ERR_RESOURCE, path, 0, 0,
                            "cannot open%s%s: %s: the system ran out of open files; close other "
                            "programs or raise the limit (ulimit -n), then run again",
                            space, what, strerror(errnum));
    return nl_error_set(err, status, path, 0, 0, "cannot open%s%s: %s", space, what,
                        strerror(errnum));
}

/* Grows *data to hold at least need bytes, wiping and freeing the old buffer (it may be a
 * key). */
static bool grow_wiped(char **data, size_t *cap, size_t used, size_t need)
{
    if (need <= *cap)
        return true;
    size_t grown = *cap ? *cap : 4096;
    while (grown < need)
        grown *= 2;
    char *bigger = malloc(grown);
    if (bigger == NULL)
        return false;
    if (*data != NULL) {
        memcpy(bigger, *data, used);
        explicit_bzero(*data, *cap);
        free(*data);
    }
    *data = bigger;
    *cap = grown;
    return true;
}

static nl_status too_long(nl_error *err, const char *path, const char *what, size_t cap)
{
    return nl_error_set(err, NL_ERR_INPUT, path, 0, 0,
                        "longer than %zu MiB, the most nextlevel reads as %s: is it the right "
                        "file?",
                        cap / (1024 * 1024), what);
}

nl_status nl_read_capped(const char *path, const char *what, size_t cap, char **data, size_t *len,
                         nl_error *err)
{
    *data = NULL;
    *len = 0;
    nl_status status = nl_input_kind_check(path, what, err);
    if (status != NL_OK)
        return status;
    /* O_NONBLOCK is not asked: a pipe given on purpose waits for its writer, as cat would. */
    int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
    if (fd < 0)
        return nl_input_open_failed(err, errno, path, what);
    struct stat st;
    char *buffer = NULL;
    size_t used = 0, size = 0;
    /* Checked again on what was opened: the path may have changed in between. */
    const char *kind = fstat(fd, &st) == 0 ? refused_kind(st.st_mode) : NULL;
    if (kind != NULL) {
        status = refused(err, path, kind, what);
        goto out;
    }
    if (S_ISREG(st.st_mode) && (size_t)st.st_size > cap) {
        status = too_long(err, path, what, cap);
        goto out;
    }
    for (;;) {
        if (!grow_wiped(&buffer, &size, used, used + 4096 + 1)) {
            status = nl_error_set(err, NL_ERR_NOMEM, path, 0, 0, "out of memory");
            goto out;
        }
        size_t room = size - used - 1;
        if (room > cap + 1 - used)
            room = cap + 1 - used;
        ssize_t got = read(fd, buffer + used, room);
        if (got < 0 && errno == EINTR)
            continue;
        if (got < 0) {
            int saved = errno;
            status = nl_error_set(err, nl_status_from_errno(saved, NL_ERR_IO), path, 0, 0,
                                  "cannot read %s: %s", what, strerror(saved));
            goto out;
        }
        if (got == 0)
            break;
        used += (size_t)got;
        if (used > cap) {
            status = too_long(err, path, what, cap);
            goto out;
        }
    }
    buffer[used] = '\0';
out:
    close(fd);
    if (status != NL_OK) {
        if (buffer != NULL)
            explicit_bzero(buffer, size);
        free(buffer);
        return status;
    }
    *data = buffer;
    *len = used;
    return NL_OK;
}
