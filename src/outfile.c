/* O_TMPFILE and linkat's AT_SYMLINK_FOLLOW are Linux's; everything else here is POSIX. */
#define _GNU_SOURCE
#include "nextlevel/outfile.h"

#include "nextlevel/strutil.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* The folder of out->path, for a file created in it. */
static char *folder_of(const char *path)
{
    const char *slash = strrchr(path, '/');
    if (slash == NULL)
        return nl_strdup(".");
    return slash == path ? nl_strdup("/") : nl_strndup(path, (size_t)(slash - path));
}

/* Room after the target's name for ".tmp-PID-ATTEMPT". */
#define LINK_SUFFIX_ROOM 48

/* An unnamed file in the output's folder (O_TMPFILE): if the process dies, even by kill -9,
 * the kernel drops it and nothing partial is left; commit gives it its name. Libraries that
 * write to a path reach it as /proc/self/fd/N. Returns NL_ERR_OUTPUT where the file system
 * cannot do this, and the caller falls back to a named temporary file. */
static nl_status open_anonymous(nl_outfile *out)
{
    char *folder = folder_of(out->path);
    if (folder == NULL)
        return NL_ERR_OUTPUT;
    mode_t mask = umask(0);
    umask(mask);
    out->fd = open(folder, O_TMPFILE | O_WRONLY | O_CLOEXEC, 0666 & ~mask);
    free(folder);
    if (out->fd < 0)
        return NL_ERR_OUTPUT;
    char name[64];
    snprintf(name, sizeof name, "/proc/self/fd/%d", out->fd);
    int writer = dup(out->fd);
    out->temp_path = nl_strdup(name);
    out->link_path = malloc(strlen(out->path) + LINK_SUFFIX_ROOM);
    if (writer < 0 || out->temp_path == NULL || out->link_path == NULL ||
        (out->stream = fdopen(writer, "wb")) == NULL) {
        if (writer >= 0)
            close(writer);
        close(out->fd);
        out->fd = -1;
        free(out->temp_path);
        out->temp_path = NULL;
        free(out->link_path);
        out->link_path = NULL;
        return NL_ERR_OUTPUT;
    }
    setvbuf(out->stream, NULL, _IOFBF, 1 << 20);
    return NL_OK;
}

/* Names the unnamed file: a link under a fresh temporary name (written into out->link_path,
 * sized at open), renamed over the target so that readers see the old report or the new one,
 * never a mix. Returns 0 or an errno value. */
static int name_anonymous(nl_outfile *out)
{
    size_t room = strlen(out->path) + LINK_SUFFIX_ROOM;
    int linked = EEXIST;
    for (int attempt = 0; attempt < 100 && linked == EEXIST; attempt++) {
        snprintf(out->link_path, room, "%s.tmp-%ld-%d", out->path, (long)getpid(), attempt);
        linked = linkat(AT_FDCWD, out->temp_path, AT_FDCWD, out->link_path, AT_SYMLINK_FOLLOW) == 0
                     ? 0
                     : errno;
    }
    if (linked != 0)
        return linked;
    int saved = rename(out->link_path, out->path) == 0 ? 0 : errno;
    if (saved != 0)
        unlink(out->link_path);
    return saved;
}

nl_status nl_outfile_open(nl_outfile *out, const char *path, nl_error *err)
{
    memset(out, 0, sizeof *out);
    if (strcmp(path, "-") == 0) {
        out->stream = stdout;
        out->path = nl_strdup(path);
        return out->path ? NL_OK : nl_error_set(err, NL_ERR_NOMEM, NULL, 0, 0, "out of memory");
    }
    out->path = nl_strdup(path);
    out->fd = -1;
    if (out->path != NULL && open_anonymous(out) == NL_OK)
        return NL_OK;
    out->temp_path = out->path ? nl_strjoin(nl_strdup(path), "", ".tmp-XXXXXX") : NULL;
    if (out->temp_path == NULL) {
        nl_outfile_abort(out);
        return nl_error_set(err, NL_ERR_NOMEM, NULL, 0, 0, "out of memory");
    }
    int fd = mkstemp(out->temp_path);
    if (fd < 0 || (out->stream = fdopen(fd, "wb")) == NULL) {
        int saved = errno;
        if (fd >= 0) {
            close(fd);
            unlink(out->temp_path);
        }
        free(out->temp_path);
        out->temp_path = NULL;
        nl_outfile_abort(out);
        return nl_error_set(err, nl_status_from_errno(saved, NL_ERR_OUTPUT), path, 0, 0,
                            "cannot create the output: %s", strerror(saved));
    }
    /* mkstemp makes the file private; a report gets the permissions any new file would. */
    mode_t mask = umask(0);
    umask(mask);
    fchmod(fd, 0666 & ~mask);
    /* Reports are written in many small pieces. */
    setvbuf(out->stream, NULL, _IOFBF, 1 << 20);
    return NL_OK;
}

nl_status nl_outfile_commit(nl_outfile *out, nl_error *err)
{
    nl_status status = NL_OK;
    if (out->temp_path == NULL) {
        if (fflush(out->stream) != 0 || ferror(out->stream))
            status = nl_error_set(err, NL_ERR_OUTPUT, "standard output", 0, 0, "cannot write: %s",
                                  strerror(errno));
        free(out->path);
        memset(out, 0, sizeof *out);
        return status;
    }
    bool failed = false;
    int saved = 0;
    if (out->stream != NULL) {
        failed = ferror(out->stream) != 0;
        saved = errno;
        if (fclose(out->stream) != 0 && !failed) {
            failed = true;
            saved = errno;
        }
        out->stream = NULL;
    }
    if (!failed && out->fd >= 0) {
        saved = name_anonymous(out);
        failed = saved != 0;
    } else if (!failed && rename(out->temp_path, out->path) != 0) {
        failed = true;
        saved = errno;
    }
    if (out->fd >= 0) {
        close(out->fd); /* an unnamed file that was not linked is gone now */
        out->fd = -1;
    }
    if (failed) {
        if (out->fd < 0 && strncmp(out->temp_path, "/proc/", 6) != 0)
            unlink(out->temp_path);
        status = nl_error_set(err, nl_status_from_errno(saved, NL_ERR_OUTPUT), out->path, 0, 0,
                              "cannot write: %s", strerror(saved));
    }
    free(out->temp_path);
    free(out->link_path);
    free(out->path);
    memset(out, 0, sizeof *out);
    return status;
}

void nl_outfile_abort(nl_outfile *out)
{
    if (out->temp_path != NULL) {
        if (out->stream != NULL)
            fclose(out->stream);
        if (out->fd >= 0)
            close(out->fd); /* unnamed: nothing to remove */
        else
            unlink(out->temp_path);
    }
    free(out->temp_path);
    free(out->link_path);
    free(out->path);
    memset(out, 0, sizeof *out);
}

void nl_outfile_release_stream(nl_outfile *out)
{
    if (out->temp_path != NULL && out->stream != NULL) {
        fflush(out->stream);
        fclose(out->stream);
        out->stream = NULL;
    }
}
