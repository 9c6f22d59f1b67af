#ifndef NEXTLEVEL_READFILE_H
#define NEXTLEVEL_READFILE_H

#include "nextlevel/error.h"

#include <stddef.h>

/* Opening and reading the inputs a person names on the command line or in a template, so that
 * none can hang the run or grow its memory without bound: a regular file or a pipe (a FIFO,
 * `<(gpg -d key.gpg)`) is read; a device (/dev/zero, /dev/urandom, a terminal), a socket or
 * a folder is refused naming the path. */

/* The most nextlevel reads of a template, an expectations grid or a redaction key: 16 MiB,
 * hundreds of times the largest real one; anything longer is the wrong file. */
#define NL_READ_CAP ((size_t)16 * 1024 * 1024)

/* Checks that path (as what, "the template") is something nextlevel may read: NL_OK for a
 * regular file, a FIFO or a path that does not exist (opening it will say so); NL_ERR_INPUT
 * naming a device, socket or folder. Follows symbolic links. */
nl_status nl_input_kind_check(const char *path, const char *what, nl_error *err);

/* Fills err for an input (what, "the template", or NULL for "cannot open: ...") that could not
 * be opened, errno errnum, and
 * returns its status: running out of descriptors (EMFILE, ENFILE) is NL_ERR_RESOURCE and says
 * so in words, memory NL_ERR_NOMEM, anything else NL_ERR_IO. */
nl_status nl_input_open_failed(nl_error *err, int errnum, const char *path, const char *what);

/* Reads the whole of path (what, "the template") into a new buffer *data of *len bytes plus a
 * NUL, which the caller frees (wipe it first when it is secret: the buffers grown on the way
 * are wiped here). Refuses what nl_input_kind_check refuses, and anything longer than cap bytes
 * (NL_ERR_INPUT naming the file and the cap) without reading more than cap + 1 bytes. Returns
 * NL_OK, NL_ERR_INPUT, NL_ERR_IO, NL_ERR_RESOURCE or NL_ERR_NOMEM; *data is NULL on failure. */
nl_status nl_read_capped(const char *path, const char *what, size_t cap, char **data, size_t *len,
                         nl_error *err);

#endif
