#ifndef NEXTLEVEL_OUTFILE_H
#define NEXTLEVEL_OUTFILE_H

#include "nextlevel/error.h"
#include "nextlevel/signals.h"

#include <stdbool.h>

#include <stdio.h>

/* An output file written safely: the data goes to a temporary file in the same folder, which
 * replaces the target only when everything was written (rename is atomic), so an error or a
 * kill midway never leaves a partial report or clobbers the previous one. Where the file
 * system allows (Linux O_TMPFILE), the temporary file has no name until then, so even a kill
 * -9 leaves nothing behind; elsewhere it is FILE.tmp-PID-HOST-XXXXXX, registered with the
 * signal handler (nextlevel/signals.h) so that SIGINT, SIGTERM and SIGHUP remove it, and
 * removed by a later run writing to the same folder once process PID is gone (after a kill
 * -9). The path "-" means standard output, written directly. A special file (a device such as
 * /dev/null, a FIFO, /dev/stdout or another descriptor of this process) is written in place,
 * with no temporary file and no rename, so it is not atomic: a reader may see part of a report
 * that then fails. */
typedef struct nl_outfile {
    FILE *stream;
    char *path;      /* target, owned */
    char *temp_path; /* owned; NULL for standard output and a special file (until
                        nl_outfile_release_stream); /proc/self/fd/N for an unnamed file */
    int fd;          /* the unnamed file (O_TMPFILE), or -1 for a named temporary file */
    char *link_path; /* owned; room for the name an unnamed file is linked under at commit */
    bool in_place;   /* a special file, open in target_fd */
    int target_fd;
    nl_signal_slot *slot; /* claimed at open: the signal handler's entry for the temporary file */
    char *folder;         /* owned: the target's folder, where libraries write too */
    nl_signal_slot *folder_slot; /* the signal handler's entry for it */
} nl_outfile;

/* Opens the temporary file next to path. Returns NL_ERR_OUTPUT with err naming the folder when
 * it cannot be created, NL_ERR_NOMEM or NL_ERR_RESOURCE when the system ran out. Everything
 * commit needs is allocated here: a caller that opens all its outputs first, then commits them,
 * cannot be stopped between two commits by running out of memory. */
nl_status nl_outfile_open(nl_outfile *out, const char *path, nl_error *err);

/* Flushes, closes and renames into place; allocates nothing. On failure removes the temporary
 * file and returns NL_ERR_OUTPUT (NL_ERR_RESOURCE for a full disk or quota). Frees what out
 * holds either way. */
nl_status nl_outfile_commit(nl_outfile *out, nl_error *err);

/* Closes and removes the temporary file; frees what out holds. Safe on a zeroed outfile. */
void nl_outfile_abort(nl_outfile *out);

/* Closes the stream but keeps the temporary file, for a library that writes to a path
 * (libxlsxwriter writes out->temp_path); commit then renames it into place. A special file
 * gets a temporary file in $TMPDIR (or /tmp) here, copied into it at commit, as such a library
 * may seek back. On failure frees what out holds and returns NL_ERR_OUTPUT, NL_ERR_NOMEM or
 * NL_ERR_RESOURCE with err set. */
nl_status nl_outfile_release_stream(nl_outfile *out, nl_error *err);

#endif
