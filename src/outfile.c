#include "nextlevel/outfile.h"

#include "nextlevel/strutil.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

nl_status nl_outfile_open(nl_outfile *out, const char *path, nl_error *err)
{
    memset(out, 0, sizeof *out);
    if (strcmp(path, "-") == 0) {
        out->stream = stdout;
        out->path = nl_strdup(path);
        return out->path ? NL_OK : nl_error_set(err, NL_ERR_NOMEM, NULL, 0, 0, "out of memory");
    }
    out->path = nl_strdup(path);
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
        return nl_error_set(err, NL_ERR_OUTPUT, path, 0, 0, "cannot create the output: %s",
                            strerror(saved));
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
    if (!failed && rename(out->temp_path, out->path) != 0) {
        failed = true;
        saved = errno;
    }
    if (failed) {
        unlink(out->temp_path);
        status =
            nl_error_set(err, NL_ERR_OUTPUT, out->path, 0, 0, "cannot write: %s", strerror(saved));
    }
    free(out->temp_path);
    free(out->path);
    memset(out, 0, sizeof *out);
    return status;
}

void nl_outfile_abort(nl_outfile *out)
{
    if (out->temp_path != NULL) {
        if (out->stream != NULL)
            fclose(out->stream);
        unlink(out->temp_path);
    }
    free(out->temp_path);
    free(out->path);
    memset(out, 0, sizeof *out);
}

void nl_outfile_release_stream(nl_outfile *out)
{
    if (out->temp_path != NULL && out->stream != NULL) {
        fclose(out->stream);
        out->stream = NULL;
    }
}
