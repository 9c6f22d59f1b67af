#include "test_support.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

const char *nl_test_path(const char *relative)
{
    static char buffer[4096];
    snprintf(buffer, sizeof buffer, "%s/%s", NL_SOURCE_DIR, relative);
    return buffer;
}

char *nl_test_read_file(const char *path, size_t *len)
{
    FILE *file = fopen(path, "rb");
    if (file == NULL)
        return NULL;
    size_t cap = 4096, n = 0;
    char *data = malloc(cap + 1);
    size_t got;
    while (data != NULL && (got = fread(data + n, 1, cap - n, file)) > 0) {
        n += got;
        if (n == cap) {
            cap *= 2;
            char *grown = realloc(data, cap + 1);
            if (grown == NULL) {
                free(data);
                data = NULL;
            }
            data = grown;
        }
    }
    fclose(file);
    if (data == NULL)
        return NULL;
    data[n] = '\0';
    if (len != NULL)
        *len = n;
    return data;
}

char *nl_test_write_temp(const char *suffix, const char *data, size_t len)
{
    char *path = malloc(4096);
    if (path == NULL)
        return NULL;
    snprintf(path, 4096, "/tmp/nextlevel-test-XXXXXX%s", suffix);
    int fd = mkstemps(path, (int)strlen(suffix));
    if (fd < 0) {
        free(path);
        return NULL;
    }
    size_t done = 0;
    while (done < len) {
        ssize_t wrote = write(fd, data + done, len - done);
        if (wrote <= 0)
            break;
        done += (size_t)wrote;
    }
    close(fd);
    return path;
}

char *nl_test_temp_dir(void)
{
    char *path = malloc(64);
    if (path == NULL)
        return NULL;
    snprintf(path, 64, "/tmp/nextlevel-test-XXXXXX");
    if (mkdtemp(path) == NULL) {
        free(path);
        return NULL;
    }
    return path;
}

void nl_test_remove(char *path)
{
    if (path == NULL)
        return;
    if (unlink(path) != 0)
        rmdir(path);
    free(path);
}

/* Reads everything from fd into a new string. */
static char *slurp_fd(int fd)
{
    size_t cap = 4096, n = 0;
    char *data = malloc(cap + 1);
    ssize_t got;
    while (data != NULL && (got = read(fd, data + n, cap - n)) > 0) {
        n += (size_t)got;
        if (n == cap) {
            cap *= 2;
            char *grown = realloc(data, cap + 1);
            if (grown == NULL)
                free(data);
            data = grown;
        }
    }
    if (data != NULL)
        data[n] = '\0';
    return data;
}

nl_run nl_test_run(const char *const *args)
{
    nl_run run = {.exit_code = -1};
    size_t argc = 0;
    while (args[argc] != NULL)
        argc++;
    char **argv = calloc(argc + 2, sizeof *argv);
    argv[0] = (char *)NL_BINARY;
    for (size_t i = 0; i < argc; i++)
        argv[i + 1] = (char *)args[i];
    /* Output goes through temporary files so that a large stdout cannot block the child. */
    char out_path[] = "/tmp/nextlevel-out-XXXXXX", err_path[] = "/tmp/nextlevel-err-XXXXXX";
    int out_fd = mkstemp(out_path), err_fd = mkstemp(err_path);
    pid_t pid = fork();
    if (pid == 0) {
        int null_fd = open("/dev/null", O_RDONLY);
        dup2(null_fd, 0);
        dup2(out_fd, 1);
        dup2(err_fd, 2);
        if (chdir(NL_SOURCE_DIR) != 0)
            _exit(127);
        execv(NL_BINARY, argv);
        _exit(127);
    }
    int status = 0;
    waitpid(pid, &status, 0);
    if (WIFEXITED(status))
        run.exit_code = WEXITSTATUS(status);
    lseek(out_fd, 0, SEEK_SET);
    lseek(err_fd, 0, SEEK_SET);
    run.out = slurp_fd(out_fd);
    run.err = slurp_fd(err_fd);
    close(out_fd);
    close(err_fd);
    unlink(out_path);
    unlink(err_path);
    free(argv);
    return run;
}

void nl_run_free(nl_run *run)
{
    free(run->out);
    free(run->err);
    run->out = run->err = NULL;
}

bool nl_test_contains(const char *haystack, const char *needle)
{
    return haystack != NULL && strstr(haystack, needle) != NULL;
}
