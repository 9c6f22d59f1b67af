/* A file system without O_TMPFILE (a FUSE or network share), simulated: preloaded into the
 * nextlevel binary (LD_PRELOAD) by tests/cli/test_cli_signals.c, it makes every open() that asks
 * for an unnamed file fail with EOPNOTSUPP, as such a file system does, and passes any other
 * open() on. The binary then takes its named-temporary-file path, with no test code in it. */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stddef.h>
#include <sys/types.h>

typedef int (*open_fn)(const char *, int, ...);

static int refuse_or_open(const char *name, const char *path, int flags, va_list args)
{
    mode_t mode = (flags & O_CREAT) || (flags & O_TMPFILE) == O_TMPFILE ? va_arg(args, mode_t) : 0;
    if ((flags & O_TMPFILE) == O_TMPFILE) {
        errno = EOPNOTSUPP;
        return -1;
    }
    open_fn real = (open_fn)dlsym(RTLD_NEXT, name);
    if (real == NULL) {
        errno = ENOSYS;
        return -1;
    }
    return real(path, flags, mode);
}

int open(const char *path, int flags, ...);
int open64(const char *path, int flags, ...);

int open(const char *path, int flags, ...)
{
    va_list args;
    va_start(args, flags);
    int fd = refuse_or_open("open", path, flags, args);
    va_end(args);
    return fd;
}

int open64(const char *path, int flags, ...)
{
    va_list args;
    va_start(args, flags);
    int fd = refuse_or_open("open64", path, flags, args);
    va_end(args);
    return fd;
}
