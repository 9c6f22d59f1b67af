/* Allocation-failure injection for the nextlevel-faults binary (CMake option
 * NEXTLEVEL_ALLOC_FAULTS), linked with -Wl,--wrap=malloc,--wrap=calloc,--wrap=realloc,
 * --wrap=strdup,--wrap=strndup: every allocation made by nextlevel's own code (the core library
 * and main) comes here first; those inside libxlsxwriter, libcsv, inih, OpenSSL, jansson and
 * the C library do not (their references are resolved at run time, outside this link), which
 * is the scope wanted: we test our handling, not theirs.
 *
 * NL_FAIL_ALLOC_AT=N    the Nth allocation (1-based) returns NULL with errno ENOMEM, once;
 *                       the ones after it succeed again.
 * NL_FAIL_ALLOC_COUNT=1 prints "alloc-faults: N allocations" on stderr at exit, so that a
 *                       script knows how many points there are to fail.
 *
 * The count is per process: a child started by fork (the packs with --jobs above 1) inherits
 * the count reached at the fork and goes on counting on its own, so the Nth allocation may fail
 * in the parent and in a child; children end with _exit and print no count. With --jobs 1 there
 * is neither a child nor a thread, and the count is the same on every run.
 *
 * The counter is the one piece of global state in the program, by necessity: malloc has no
 * context argument. It is atomic because the pipeline and the workbook allocate on threads. */
#include <errno.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void *__real_malloc(size_t size);
void *__real_calloc(size_t count, size_t size);
void *__real_realloc(void *p, size_t size);
void *__wrap_malloc(size_t size);
void *__wrap_calloc(size_t count, size_t size);
void *__wrap_realloc(void *p, size_t size);
char *__wrap_strdup(const char *s);
char *__wrap_strndup(const char *s, size_t n);

static atomic_ulong calls;
static unsigned long fail_at; /* 0: never */

__attribute__((constructor)) static void read_settings(void)
{
    const char *at = getenv("NL_FAIL_ALLOC_AT");
    fail_at = at != NULL ? strtoul(at, NULL, 10) : 0;
}

__attribute__((destructor)) static void print_count(void)
{
    const char *count = getenv("NL_FAIL_ALLOC_COUNT");
    if (count != NULL && strcmp(count, "1") == 0)
        fprintf(stderr, "alloc-faults: %lu allocations\n", (unsigned long)atomic_load(&calls));
}

/* Counts one allocation; true when it is the one to fail. */
static int should_fail(void)
{
    unsigned long n = atomic_fetch_add(&calls, 1) + 1;
    if (fail_at == 0 || n != fail_at)
        return 0;
    errno = ENOMEM;
    return 1;
}

void *__wrap_malloc(size_t size)
{
    return should_fail() ? NULL : __real_malloc(size);
}

void *__wrap_calloc(size_t count, size_t size)
{
    return should_fail() ? NULL : __real_calloc(count, size);
}

void *__wrap_realloc(void *p, size_t size)
{
    return should_fail() ? NULL : __real_realloc(p, size);
}

/* strdup and strndup allocate inside the C library, out of reach of --wrap=malloc: they are
 * counted here and built on the wrapped malloc. */
char *__wrap_strdup(const char *s)
{
    size_t len = strlen(s);
    char *copy = __wrap_malloc(len + 1);
    if (copy != NULL)
        memcpy(copy, s, len + 1);
    return copy;
}

char *__wrap_strndup(const char *s, size_t n)
{
    size_t len = strnlen(s, n);
    char *copy = __wrap_malloc(len + 1);
    if (copy != NULL) {
        memcpy(copy, s, len);
        copy[len] = '\0';
    }
    return copy;
}
