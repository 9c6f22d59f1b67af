/* O_TMPFILE and linkat's AT_SYMLINK_FOLLOW are Linux's; everything else here is POSIX. */
#define _GNU_SOURCE
#include "nextlevel/outfile.h"

#include "nextlevel/signals.h"
#include "nextlevel/strutil.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
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

/* ---- the names of temporary files ---- */

/* The longest host name kept in a temporary file's name. */
#define HOST_TAG_MAX 16

/* A temporary file is named TARGET.tmp-PID-HOST-SUFFIX: the process that writes it, and the
 * machine it runs on (a shared folder may be written from several), so that a later run can
 * tell a file left by a process killed with SIGKILL from one still being written. HOST keeps
 * the letters and digits of the host name, or reads "host". */
static void host_tag(char *tag)
{
    char host[256] = "";
    size_t n = 0;
    if (gethostname(host, sizeof host - 1) == 0)
        for (size_t i = 0; host[i] != '\0' && n < HOST_TAG_MAX; i++)
            if (isalnum((unsigned char)host[i]))
                tag[n++] = host[i];
    if (n == 0)
        n = (size_t)snprintf(tag, HOST_TAG_MAX + 1, "host");
    tag[n] = '\0';
}

/* Room after the target's name for ".tmp-PID-HOST-SUFFIX". */
#define TEMP_SUFFIX_ROOM (5 + 20 + 1 + HOST_TAG_MAX + 1 + 8 + 1)

/* Whether name is base ".tmp-PID-HOST-SUFFIX" with this machine's HOST: then *pid is PID. */
static bool parse_temp_name(const char *name, const char *host, long *pid)
{
    const char *mark = strstr(name, ".tmp-");
    if (mark == NULL || mark == name)
        return false;
    const char *p = mark + 5;
    char *end;
    errno = 0;
    long value = strtol(p, &end, 10);
    if (end == p || !isdigit((unsigned char)*p) || errno != 0 || value <= 0 || *end != '-')
        return false;
    size_t host_len = strlen(host);
    if (strncmp(end + 1, host, host_len) != 0 || end[1 + host_len] != '-')
        return false;
    const char *suffix = end + 2 + host_len;
    size_t n = strlen(suffix);
    if (n == 0 || n > 8)
        return false;
    for (size_t i = 0; i < n; i++)
        if (!isalnum((unsigned char)suffix[i]))
            return false;
    *pid = value;
    return true;
}

/* The folders swept last: a run writes many files to one or two folders, and sweeps each
 * once. */
#define SWEPT_KEPT 3
static char swept_folders[SWEPT_KEPT][PATH_MAX];
static unsigned swept_next;

/* Removes, in folder, the temporary files a run of nextlevel on this machine left when it was
 * killed with SIGKILL (a signal it could not answer): files named like ours, owned by this user,
 * whose process no longer exists. A live process's files and anything else are left alone. Best
 * effort: a folder that cannot be read is simply not swept. */
static void sweep_stale(const char *folder)
{
    if (strlen(folder) >= PATH_MAX)
        return;
    for (unsigned k = 0; k < SWEPT_KEPT; k++)
        if (strcmp(folder, swept_folders[k]) == 0)
            return;
    snprintf(swept_folders[swept_next], PATH_MAX, "%s", folder);
    swept_next = (swept_next + 1) % SWEPT_KEPT;
    char host[HOST_TAG_MAX + 1];
    host_tag(host);
    DIR *dir = opendir(folder);
    if (dir == NULL)
        return;
    int dir_fd = dirfd(dir);
    struct dirent *entry;
    while ((entry = readdir(dir)) != NULL) {
        long pid;
        struct stat st;
        if (!parse_temp_name(entry->d_name, host, &pid) || pid == (long)getpid() ||
            fstatat(dir_fd, entry->d_name, &st, AT_SYMLINK_NOFOLLOW) != 0 || !S_ISREG(st.st_mode) ||
            st.st_uid != geteuid())
            continue;
        if ((pid_t)pid == pid && kill((pid_t)pid, 0) != 0 && errno == ESRCH)
            unlinkat(dir_fd, entry->d_name, 0);
    }
    closedir(dir);
}

/* ---- special files, written in place ---- */

/* The descriptor number in /dev/fd/N, /proc/self/fd/N or /proc/PID/fd/N of this process, or -1. */
static int descriptor_in(const char *path)
{
    char own[48];
    snprintf(own, sizeof own, "/proc/%ld/fd/", (long)getpid());
    const char *prefixes[] = {"/dev/fd/", "/proc/self/fd/", own};
    for (size_t k = 0; k < sizeof prefixes / sizeof *prefixes; k++) {
        size_t n = strlen(prefixes[k]);
        if (strncmp(path, prefixes[k], n) != 0 || !isdigit((unsigned char)path[n]))
            continue;
        char *end;
        long fd = strtol(path + n, &end, 10);
        return *end == '\0' && fd <= INT_MAX ? (int)fd : -1;
    }
    return -1;
}

/* The descriptor of this process that path names, following links (/dev/stdout is a link to
 * /proc/self/fd/1), or -1. Such a path must never be replaced: the file behind the descriptor
 * (a pipe, a terminal, the file a shell redirected to) is what the user means. */
static int own_descriptor(const char *path)
{
    char current[PATH_MAX], target[PATH_MAX];
    if (strlen(path) >= sizeof current)
        return -1;
    snprintf(current, sizeof current, "%s", path);
    for (int hop = 0; hop < 16; hop++) {
        int fd = descriptor_in(current);
        if (fd >= 0)
            return fd;
        ssize_t len = readlink(current, target, sizeof target - 1);
        if (len < 0)
            return -1;
        target[len] = '\0';
        if (target[0] == '/') {
            memcpy(current, target, (size_t)len + 1);
        } else {
            char *slash = strrchr(current, '/');
            size_t keep = slash ? (size_t)(slash - current) + 1 : 0;
            if (keep + (size_t)len >= sizeof current)
                return -1;
            memcpy(current + keep, target, (size_t)len + 1);
        }
    }
    return -1;
}

/* 1 when path is a special file (a device, a FIFO, a socket, one of this process's
 * descriptors), opened in out->target_fd; 0 when it is not (a regular file, or nothing yet);
 * -1 with err set when it cannot be written. Such a file is written in place: there is nothing
 * to rename over it, and replacing /dev/null with a report, or a FIFO with a file nobody
 * reads, would be wrong. */
static int open_in_place(nl_outfile *out, nl_error *err)
{
    int own = own_descriptor(out->path);
    struct stat st;
    if (own < 0 && (stat(out->path, &st) != 0 || S_ISREG(st.st_mode) || S_ISDIR(st.st_mode)))
        return 0;
    if (own < 0 && S_ISBLK(st.st_mode)) {
        nl_error_set(err, NL_ERR_OUTPUT, out->path, 0, 0,
                     "this is a disk, not a file: give --out the name of a file");
        return -1;
    }
    if (own < 0 && S_ISSOCK(st.st_mode)) {
        nl_error_set(err, NL_ERR_OUTPUT, out->path, 0, 0,
                     "this is a socket, which nextlevel cannot write to: give --out the name of a "
                     "file, or --out - and send standard output where it should go");
        return -1;
    }
    int fd = own >= 0 ? fcntl(own, F_DUPFD_CLOEXEC, 0)
                      : open(out->path, O_WRONLY | O_CLOEXEC | O_NOCTTY);
    int writer = fd >= 0 ? dup(fd) : -1;
    if (writer < 0 || (out->stream = fdopen(writer, "wb")) == NULL) {
        int saved = errno;
        if (writer >= 0)
            close(writer);
        if (fd >= 0)
            close(fd);
        nl_error_set(err, nl_status_from_errno(saved, NL_ERR_OUTPUT), out->path, 0, 0,
                     "cannot write: %s", strerror(saved));
        return -1;
    }
    out->target_fd = fd;
    out->in_place = true;
    setvbuf(out->stream, NULL, _IOFBF, 1 << 20);
    return 1;
}

/* ---- temporary files ---- */

/* An unnamed file in folder (O_TMPFILE): if the process dies, even by kill -9, the kernel
 * drops it and nothing partial is left; commit gives it its name. Libraries that write to a
 * path reach it as /proc/self/fd/N. Returns NL_ERR_OUTPUT where the file system cannot do
 * this, and the caller falls back to a named temporary file. */
static nl_status open_anonymous(nl_outfile *out, const char *folder, int access)
{
    mode_t mask = umask(0);
    umask(mask);
    out->fd = open(folder, O_TMPFILE | access | O_CLOEXEC, 0666 & ~mask);
    if (out->fd < 0)
        return NL_ERR_OUTPUT;
    char name[64];
    snprintf(name, sizeof name, "/proc/self/fd/%d", out->fd);
    out->temp_path = nl_strdup(name);
    if (out->temp_path == NULL) {
        close(out->fd);
        out->fd = -1;
        return NL_ERR_OUTPUT;
    }
    return NL_OK;
}

/* A named temporary file in folder, called after the name "base": registered with the signal
 * handler before it exists, so that no signal can leave it behind. */
static nl_status open_named(nl_outfile *out, const char *folder, const char *base, nl_error *err)
{
    char host[HOST_TAG_MAX + 1];
    host_tag(host);
    size_t room = strlen(folder) + 1 + strlen(base) + TEMP_SUFFIX_ROOM;
    out->temp_path = malloc(room);
    if (out->temp_path == NULL)
        return nl_error_set(err, NL_ERR_NOMEM, NULL, 0, 0, "out of memory");
    snprintf(out->temp_path, room, "%s/%s.tmp-%ld-%s-XXXXXX", folder, base, (long)getpid(), host);
    /* The name carries this process's id: until mkstemp creates it, nothing else can. */
    nl_signals_arm_path(out->slot, out->temp_path);
    int fd = mkstemp(out->temp_path);
    if (fd < 0) {
        int saved = errno;
        nl_signals_disarm(out->slot);
        free(out->temp_path);
        out->temp_path = NULL;
        nl_error_set(err, nl_status_from_errno(saved, NL_ERR_OUTPUT), out->path, 0, 0,
                     "cannot create the output: %s", strerror(saved));
        errno = saved;
        return err->status;
    }
    /* mkstemp makes the file private; a report gets the permissions any new file would. */
    mode_t mask = umask(0);
    umask(mask);
    fchmod(fd, 0666 & ~mask);
    close(fd); /* reopened by path, as every writer does */
    return NL_OK;
}

/* The stream over the temporary file, 1 MiB buffered: reports are written in small pieces. */
static nl_status open_stream(nl_outfile *out, nl_error *err)
{
    int writer = out->fd >= 0 ? dup(out->fd) : open(out->temp_path, O_WRONLY | O_CLOEXEC);
    if (writer < 0 || (out->stream = fdopen(writer, "wb")) == NULL) {
        int saved = errno;
        if (writer >= 0)
            close(writer);
        return nl_error_set(err, nl_status_from_errno(saved, NL_ERR_OUTPUT), out->path, 0, 0,
                            "cannot create the output: %s", strerror(saved));
    }
    setvbuf(out->stream, NULL, _IOFBF, 1 << 20);
    return NL_OK;
}

/* Names the unnamed file: a link under a fresh temporary name (written into out->link_path,
 * sized at open), renamed over the target so that readers see the old report or the new one,
 * never a mix. The link is registered while it exists, so a signal removes it. Returns 0 or
 * an errno value. */
static int name_anonymous(nl_outfile *out)
{
    char host[HOST_TAG_MAX + 1];
    host_tag(host);
    size_t room = strlen(out->path) + TEMP_SUFFIX_ROOM;
    int linked = EEXIST;
    for (int attempt = 0; attempt < 100 && linked == EEXIST; attempt++) {
        nl_signals_disarm(out->slot);
        snprintf(out->link_path, room, "%s.tmp-%ld-%s-l%d", out->path, (long)getpid(), host,
                 attempt);
        nl_signals_arm_path(out->slot, out->link_path);
        linked = linkat(AT_FDCWD, out->temp_path, AT_FDCWD, out->link_path, AT_SYMLINK_FOLLOW) == 0
                     ? 0
                     : errno;
    }
    if (linked != 0) {
        nl_signals_disarm(out->slot);
        return linked;
    }
    int saved = rename(out->link_path, out->path) == 0 ? 0 : errno;
    if (saved != 0)
        unlink(out->link_path);
    nl_signals_disarm(out->slot);
    return saved;
}

nl_status nl_outfile_open(nl_outfile *out, const char *path, nl_error *err)
{
    memset(out, 0, sizeof *out);
    out->fd = -1;
    out->target_fd = -1;
    if (strcmp(path, "-") == 0) {
        out->stream = stdout;
        out->path = nl_strdup(path);
        return out->path ? NL_OK : nl_error_set(err, NL_ERR_NOMEM, NULL, 0, 0, "out of memory");
    }
    out->path = nl_strdup(path);
    if (out->path == NULL)
        return nl_error_set(err, NL_ERR_NOMEM, NULL, 0, 0, "out of memory");
    out->slot = nl_signals_claim();
    out->folder_slot = out->slot ? nl_signals_claim() : NULL;
    if (out->folder_slot == NULL) {
        nl_outfile_abort(out);
        return nl_error_set(err, NL_ERR_RESOURCE, path, 0, 0,
                            "too many outputs open at once: write fewer at a time");
    }
    int special = open_in_place(out, err);
    if (special != 0) {
        if (special < 0)
            nl_outfile_abort(out);
        return special > 0 ? NL_OK : err->status;
    }
    char *folder = folder_of(path);
    out->link_path = malloc(strlen(path) + TEMP_SUFFIX_ROOM);
    if (folder == NULL || out->link_path == NULL) {
        free(folder);
        nl_outfile_abort(out);
        return nl_error_set(err, NL_ERR_NOMEM, NULL, 0, 0, "out of memory");
    }
    sweep_stale(folder);
    const char *slash = strrchr(path, '/');
    nl_status status = open_anonymous(out, folder, O_WRONLY) == NL_OK
                           ? NL_OK
                           : open_named(out, folder, slash ? slash + 1 : path, err);
    out->folder = folder;
    if (status == NL_OK)
        nl_signals_arm_library_folder(out->folder_slot, out->folder);
    if (status == NL_OK)
        status = open_stream(out, err);
    if (status != NL_OK)
        nl_outfile_abort(out);
    return status;
}

/* Copies the finished temporary file into the special file written in place. Returns 0 or an
 * errno value; allocates nothing. */
static int copy_to_target(nl_outfile *out)
{
    int source = out->fd >= 0 ? out->fd : open(out->temp_path, O_RDONLY | O_CLOEXEC);
    if (source < 0)
        return errno;
    char buffer[1 << 16];
    off_t offset = 0;
    int saved = 0;
    for (;;) {
        ssize_t got = pread(source, buffer, sizeof buffer, offset);
        if (got < 0 && errno == EINTR)
            continue;
        if (got <= 0) {
            saved = got < 0 ? errno : 0;
            break;
        }
        offset += got;
        for (ssize_t done = 0; done < got && saved == 0;) {
            ssize_t put = write(out->target_fd, buffer + done, (size_t)(got - done));
            if (put < 0 && errno != EINTR)
                saved = errno;
            else if (put > 0)
                done += put;
        }
        if (saved != 0)
            break;
    }
    if (source != out->fd)
        close(source);
    return saved;
}

/* Commit for a special file: the stream flushed, or the temporary file copied. */
static nl_status commit_in_place(nl_outfile *out, nl_error *err)
{
    int saved = 0;
    if (out->stream != NULL) {
        if (fflush(out->stream) != 0 || ferror(out->stream))
            saved = errno ? errno : EIO;
        if (fclose(out->stream) != 0 && saved == 0)
            saved = errno;
        out->stream = NULL;
    } else if (out->temp_path != NULL) {
        saved = copy_to_target(out);
    }
    if (close(out->target_fd) != 0 && saved == 0 && errno != EINTR)
        saved = errno;
    out->target_fd = -1;
    nl_status status = NL_OK;
    if (saved != 0)
        status = nl_error_set(err, nl_status_from_errno(saved, NL_ERR_OUTPUT), out->path, 0, 0,
                              "cannot write: %s", strerror(saved));
    nl_outfile_abort(out); /* the temporary file, if there was one */
    return status;
}

nl_status nl_outfile_commit(nl_outfile *out, nl_error *err)
{
    nl_status status = NL_OK;
    if (out->in_place)
        return commit_in_place(out, err);
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
    } else if (failed) {
        unlink(out->temp_path);
    }
    nl_signals_release(out->slot); /* after the rename: a signal before it removes the file */
    nl_signals_release(out->folder_slot);
    if (failed)
        status = nl_error_set(err, nl_status_from_errno(saved, NL_ERR_OUTPUT), out->path, 0, 0,
                              "cannot write: %s", strerror(saved));
    free(out->temp_path);
    free(out->link_path);
    free(out->folder);
    free(out->path);
    memset(out, 0, sizeof *out);
    return status;
}

void nl_outfile_abort(nl_outfile *out)
{
    if (out->stream != NULL && out->stream != stdout)
        fclose(out->stream);
    if (out->temp_path != NULL) {
        if (out->fd >= 0)
            close(out->fd); /* unnamed: nothing to remove */
        else
            unlink(out->temp_path);
    }
    if (out->in_place && out->target_fd >= 0)
        close(out->target_fd);
    nl_signals_release(out->slot);
    nl_signals_release(out->folder_slot);
    free(out->temp_path);
    free(out->link_path);
    free(out->folder);
    free(out->path);
    memset(out, 0, sizeof *out);
}

nl_status nl_outfile_release_stream(nl_outfile *out, nl_error *err)
{
    if (out->stream == NULL || out->stream == stdout)
        return NL_OK;
    fflush(out->stream);
    fclose(out->stream);
    out->stream = NULL;
    if (!out->in_place)
        return NL_OK;
    /* A library that writes to a path may seek back (libxlsxwriter's zip does), which a FIFO
     * or a terminal cannot: it writes a temporary file instead, copied in at commit. */
    const char *folder = getenv("TMPDIR");
    if (folder == NULL || folder[0] != '/')
        folder = "/tmp";
    if (open_anonymous(out, folder, O_RDWR) == NL_OK)
        return NL_OK;
    nl_status status = open_named(out, folder, "nextlevel-output", err);
    if (status != NL_OK) {
        int saved = errno;
        nl_error_set(err, status, out->path, 0, 0, "cannot create a temporary file in %s: %s",
                     folder, strerror(saved));
        nl_outfile_abort(out);
    }
    return status;
}
