/* nftw() and struct FTW, for the shared folder's removal. */
#define _XOPEN_SOURCE 700

#include "test_support.h"

#include <criterion/criterion.h>
#include <criterion/hooks.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <limits.h>
#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
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
    return nl_test_run_stdin(NULL, args);
}

int nl_test_check_json_schema(const char *path)
{
    char command[8192];
    snprintf(command, sizeof command,
             "/usr/bin/python3 tests/tools/check_json_schema.py '%s' >/dev/null 2>&1", path);
    return nl_test_shell(command);
}

/* ---- the folder the tests of one run share ---- */

/* How the runner tells the tests it starts (which inherit its environment) where it is. */
#define SHARED_ENV    "NL_TEST_SHARED_DIR"
#define SHARED_PREFIX "/tmp/nextlevel-shared-"

static int remove_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
    (void)st, (void)flag, (void)ftw;
    return remove(path);
}

/* Criterion calls these two in the runner, before its first test starts and after its last
 * ends. */
ReportHook(PRE_ALL)(struct criterion_test_set *tests)
{
    (void)tests;
    char dir[] = SHARED_PREFIX "XXXXXX";
    if (mkdtemp(dir) != NULL)
        setenv(SHARED_ENV, dir, 1);
}

ReportHook(POST_ALL)(struct criterion_global_stats *stats)
{
    (void)stats;
    const char *dir = getenv(SHARED_ENV);
    if (dir != NULL && strncmp(dir, SHARED_PREFIX, strlen(SHARED_PREFIX)) == 0)
        nftw(dir, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
}

/* The runner's shared folder, or NULL outside a runner that made one. */
static const char *shared_root(void)
{
    const char *dir = getenv(SHARED_ENV);
    return dir != NULL && access(dir, W_OK | X_OK) == 0 ? dir : NULL;
}

char *nl_test_shared(const char *name, void (*make)(const char *dir, void *data), void *data)
{
    const char *root = shared_root();
    cr_assert_not_null(root, "no shared folder: run the tests through Criterion's runner");
    char *dir = nl_test_path_in(root, name), *done = nl_test_path_in(dir, ".made");
    char lock_path[4200];
    snprintf(lock_path, sizeof lock_path, "%s.lock", dir);
    /* The lock orders tests that run side by side (--jobs above 1); it is released when the
     * holder's process ends, also when make fails its test. */
    int lock = open(lock_path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
    cr_assert(lock >= 0 && flock(lock, LOCK_EX) == 0, "cannot lock %s", lock_path);
    if (access(done, F_OK) != 0) {
        /* Nothing made, or what a failed make left: start again. */
        nftw(dir, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
        cr_assert_eq(mkdir(dir, 0700), 0, "cannot create %s", dir);
        make(dir, data);
        nl_test_write_file(done, "", 0);
    }
    close(lock);
    free(done);
    return dir;
}

/* Whether a file with these bytes passed the schema before in this run: then it need not start
 * Python again (same bytes, same verdict). Runs write the same results often (the samples with
 * the same options, twins compared byte for byte); the normal build validated 102 files in 58
 * contents. Marks are kept in the runner's shared folder. */
static char *schema_mark(const char *path)
{
    const char *root = shared_root();
    size_t len;
    char *bytes = root != NULL ? nl_test_read_file(path, &len) : NULL;
    if (bytes == NULL)
        return NULL;
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned int md_len = 0;
    int hashed = EVP_Digest(bytes, len, md, &md_len, EVP_sha256(), NULL);
    free(bytes);
    if (!hashed)
        return NULL;
    char name[2 * EVP_MAX_MD_SIZE + 32] = "schema-valid-";
    size_t n = strlen(name);
    for (unsigned int i = 0; i < md_len; i++)
        n += (size_t)snprintf(name + n, sizeof name - n, "%02x", md[i]);
    return nl_test_path_in(root, name);
}

/* Every JSON result file an evaluate run writes is checked against docs/results.schema.json
 * (skipped, as the schema test reports, where python3-jsonschema is missing). Not in the
 * sanitizer build, which checks the memory of the same runs: the normal build checks their
 * JSON, and a Python start per run there cost the test command's budget about a minute. */
static void check_written_json(const char *const *args, int exit_code)
{
#if defined(__SANITIZE_ADDRESS__)
    (void)args, (void)exit_code;
    return;
#endif
    if (args[0] == NULL || strcmp(args[0], "evaluate") != 0 || exit_code > 1)
        return;
    const char *out = NULL;
    bool json_format = false;
    for (size_t i = 1; args[i] != NULL; i++) {
        if (strcmp(args[i], "--out") == 0 && args[i + 1] != NULL)
            out = args[i + 1];
        if (strcmp(args[i], "--format") == 0 && args[i + 1] != NULL)
            json_format = strcmp(args[i + 1], "json") == 0;
    }
    size_t len = out ? strlen(out) : 0;
    bool json = json_format || (len > 5 && strcmp(out + len - 5, ".json") == 0);
    if (out == NULL || !json || strcmp(out, "-") == 0)
        return;
    char *mark = schema_mark(out);
    if (mark != NULL && access(mark, F_OK) == 0) {
        free(mark);
        return;
    }
    int status = nl_test_check_json_schema(out);
    cr_assert(status == 0 || status == 77, "%s does not match docs/results.schema.json", out);
    if (mark != NULL && status == 0)
        nl_test_write_file(mark, "", 0);
    free(mark);
}

nl_run nl_test_run_stdin(const char *input_path, const char *const *args)
{
    nl_run run = {.exit_code = -1};
    size_t argc = 0;
    while (args[argc] != NULL)
        argc++;
    char **argv = calloc(argc + 2, sizeof *argv);
    cr_assert_not_null(argv);
    argv[0] = (char *)NL_BINARY;
    for (size_t i = 0; i < argc; i++)
        argv[i + 1] = (char *)args[i];
    /* Output goes through temporary files so that a large stdout cannot block the child. */
    char out_path[] = "/tmp/nextlevel-out-XXXXXX", err_path[] = "/tmp/nextlevel-err-XXXXXX";
    int out_fd = mkstemp(out_path), err_fd = mkstemp(err_path);
    cr_assert(out_fd >= 0 && err_fd >= 0);
    pid_t pid = fork();
    cr_assert(pid >= 0);
    if (pid == 0) {
        int in_fd = open(input_path != NULL ? input_path : "/dev/null", O_RDONLY);
        if (in_fd < 0 || dup2(in_fd, 0) < 0 || dup2(out_fd, 1) < 0 || dup2(err_fd, 2) < 0 ||
            chdir(NL_SOURCE_DIR) != 0)
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
    check_written_json(args, run.exit_code);
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

/* ---- files and folders ---- */

char *nl_test_path_in(const char *dir, const char *name)
{
    char *path = malloc(strlen(dir) + strlen(name) + 2);
    cr_assert_not_null(path);
    sprintf(path, "%s/%s", dir, name);
    return path;
}

char *nl_test_read_all(const char *path, size_t *len)
{
    char *data = nl_test_read_file(path, len);
    cr_assert_not_null(data, "cannot read %s", path);
    return data;
}

void nl_test_write_file(const char *path, const char *data, size_t len)
{
    FILE *f = fopen(path, "wb");
    cr_assert_not_null(f, "cannot write %s", path);
    cr_assert_eq(fwrite(data, 1, len, f), len);
    cr_assert_eq(fclose(f), 0);
}

void nl_test_write_text(const char *path, const char *text)
{
    nl_test_write_file(path, text, strlen(text));
}

size_t nl_test_count_entries(const char *dir)
{
    DIR *d = opendir(dir);
    cr_assert_not_null(d, "cannot open %s", dir);
    size_t n = 0;
    for (struct dirent *e; (e = readdir(d)) != NULL;)
        n += strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0;
    closedir(d);
    return n;
}

void nl_test_remove_tree(char *dir)
{
    char command[4200];
    snprintf(command, sizeof command, "rm -rf '%s'", dir);
    cr_assert_eq(system(command), 0);
    free(dir);
}

size_t nl_test_list_files(const char *dir, char **paths, size_t max)
{
    char command[1024];
    snprintf(command, sizeof command, "cd '%s' && find . -type f | sort", dir);
    char *out = nl_test_capture(command);
    size_t count = 0;
    for (char *line = strtok(out, "\n"); line && count < max; line = strtok(NULL, "\n"))
        paths[count++] = strdup(line + 2); /* without "./" */
    free(out);
    return count;
}

/* ---- shell commands ---- */

int nl_test_shell(const char *command)
{
    char line[16384];
    snprintf(line, sizeof line, "cd '%s' && %s", NL_SOURCE_DIR, command);
    int status = system(line);
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

char *nl_test_capture(const char *command)
{
    char line[8192];
    snprintf(line, sizeof line, "cd '%s' && %s", NL_SOURCE_DIR, command);
    FILE *pipe = popen(line, "r");
    cr_assert_not_null(pipe);
    size_t cap = 4096, n = 0, got;
    char *text = malloc(cap + 1);
    while ((got = fread(text + n, 1, cap - n, pipe)) > 0) {
        n += got;
        if (n == cap)
            text = realloc(text, (cap *= 2) + 1);
    }
    text[n] = '\0';
    int status = pclose(pipe);
    cr_assert(WIFEXITED(status) && WEXITSTATUS(status) == 0, "'%s' failed:\n%s", command, text);
    return text;
}

/* ---- workbooks (xlsx) ---- */

char *nl_test_unzip(const char *xlsx)
{
    char *dir = nl_test_temp_dir();
    char command[4096];
    snprintf(command, sizeof command, "unzip -q -o '%s' -d '%s'", xlsx, dir);
    cr_assert_eq(nl_test_shell(command), 0, "cannot unzip %s", xlsx);
    return dir;
}

void nl_test_xml_decode(char *text)
{
    static const struct {
        const char *entity;
        char ch;
    } named[] = {{"&amp;", '&'}, {"&lt;", '<'}, {"&gt;", '>'}, {"&quot;", '"'}, {"&apos;", '\''}};
    char *out = text;
    for (char *in = text; *in;) {
        /* Every reference starts with '&': the comparisons below, run for each byte, were most
         * of the time the tests spent reading workbooks under the sanitizers. */
        if (*in != '&') {
            *out++ = *in++;
            continue;
        }
        bool done = false;
        for (size_t k = 0; k < 5 && !done; k++) {
            size_t len = strlen(named[k].entity);
            if (strncmp(in, named[k].entity, len) == 0) {
                *out++ = named[k].ch;
                in += len;
                done = true;
            }
        }
        if (!done && in[0] == '&' && in[1] == '#') {
            char *end;
            long code = in[2] == 'x' ? strtol(in + 3, &end, 16) : strtol(in + 2, &end, 10);
            if (*end == ';' && code > 0 && code < 0x80) {
                *out++ = (char)code;
                in = end + 1;
                done = true;
            }
        }
        if (!done)
            *out++ = *in++;
    }
    *out = '\0';
}

char *nl_test_xlsx_part(const char *dir, const char *part)
{
    char *path = nl_test_path_in(dir, part);
    char *text = nl_test_read_file(path, NULL);
    cr_assert_not_null(text, "no part %s", part);
    free(path);
    nl_test_xml_decode(text);
    return text;
}

/* ---- JSON (jansson) ---- */

json_t *nl_test_load_json(const char *path)
{
    json_error_t error;
    json_t *root = json_load_file(path, 0, &error);
    cr_assert_not_null(root, "%s: invalid JSON at line %d: %s", path, error.line, error.text);
    return root;
}

const char *nl_test_json_str(json_t *object, const char *key)
{
    json_t *value = json_object_get(object, key);
    cr_assert(json_is_string(value), "no string %s", key);
    return json_string_value(value);
}

json_t *nl_test_json_person(json_t *root, const char *id)
{
    size_t i;
    json_t *p;
    json_array_foreach(json_object_get(root, "people"), i, p)
    {
        if (strcmp(nl_test_json_str(p, "id"), id) == 0)
            return p;
    }
    cr_assert_fail("no person %s in the JSON", id);
    return NULL;
}

/* ---- CSV ---- */

nl_test_table nl_test_parse_csv(const char *text)
{
    nl_test_table t = {0};
    size_t cap = 1024, n = 0, row_cells = 0;
    cr_assert_not_null(text);
    t.cells = malloc(cap * sizeof *t.cells);
    const char *p = text;
    while (*p) {
        char *cell = malloc(strlen(p) + 1);
        size_t k = 0;
        if (*p == '"') {
            for (p++; *p && !(*p == '"' && p[1] != '"'); p++) {
                if (*p == '"')
                    p++;
                cell[k++] = *p;
            }
            cr_assert_eq(*p, '"', "a quoted cell is not closed");
            p++;
        } else {
            while (*p && *p != ',' && *p != '\n')
                cell[k++] = *p++;
        }
        cell[k] = '\0';
        if (n == cap) {
            cap *= 2;
            t.cells = realloc(t.cells, cap * sizeof *t.cells);
        }
        t.cells[n++] = cell;
        row_cells++;
        cr_assert(*p == ',' || *p == '\n', "junk after a cell: [%.20s]", p);
        if (*p++ == '\n') {
            if (t.width == 0)
                t.width = row_cells;
            cr_assert_eq(row_cells, t.width, "row %zu has %zu cells, the header %zu", t.rows + 1,
                         row_cells, t.width);
            t.rows++;
            row_cells = 0;
        }
    }
    cr_assert_eq(row_cells, 0, "the last row has no line end");
    return t;
}

void nl_test_free_table(nl_test_table *t)
{
    for (size_t i = 0; i < t->width * t->rows; i++)
        free(t->cells[i]);
    free(t->cells);
}

size_t nl_test_column(const nl_test_table *t, const char *name)
{
    for (size_t c = 0; c < t->width; c++) {
        if (strcmp(t->cells[c], name) == 0)
            return c;
    }
    cr_assert_fail("no column %s", name);
    return 0;
}

const char *nl_test_cell(const nl_test_table *t, const char *id, const char *name)
{
    size_t c = nl_test_column(t, name), idc = nl_test_column(t, "id");
    for (size_t r = 1; r < t->rows; r++) {
        if (strcmp(t->cells[r * t->width + idc], id) == 0)
            return t->cells[r * t->width + c];
    }
    cr_assert_fail("no row %s", id);
    return NULL;
}

void nl_test_skip_env(const char *reason)
{
    /* In a file's one CTest entry a skip would read as passed. */
    if (getenv("NL_TEST_WHOLE_FILE") != NULL)
        cr_assert_fail(
            "skipped (%s) in a test not declared NL_ENV_TEST: declare it so, so that CTest "
            "counts the skip",
            reason);
    fprintf(stderr, NL_TEST_SKIP_MARK "%s\n", reason);
    fflush(stderr);
    cr_skip_test("%s", reason);
}

bool nl_test_wait_writing(int pid, const char *dir, double seconds)
{
    char fd_dir[64];
    snprintf(fd_dir, sizeof fd_dir, "/proc/%d/fd", pid);
    size_t dir_len = strlen(dir);
    for (long waited_ms = 0; waited_ms < (long)(seconds * 1000); waited_ms++) {
        DIR *fds = opendir(fd_dir);
        if (fds == NULL)
            return false; /* ended */
        bool found = false;
        struct dirent *entry;
        while (!found && (entry = readdir(fds)) != NULL) {
            char link[PATH_MAX], target[PATH_MAX];
            snprintf(link, sizeof link, "%s/%s", fd_dir, entry->d_name);
            ssize_t len = readlink(link, target, sizeof target - 1);
            if (len <= 0)
                continue;
            target[len] = '\0';
            struct stat st;
            found = strncmp(target, dir, dir_len) == 0 && target[dir_len] == '/' &&
                    stat(link, &st) == 0 && st.st_size > 0;
        }
        closedir(fds);
        if (found)
            return true;
        struct timespec ms = {0, 1000000};
        nanosleep(&ms, NULL);
    }
    return false;
}

nl_test_files nl_test_files_open(const char *template_text, const char *matrix_text)
{
    nl_test_files f = {.dir = nl_test_temp_dir()};
    f.ini = nl_test_path_in(f.dir, "template.ini");
    f.csv = nl_test_path_in(f.dir, "people.csv");
    nl_test_write_text(f.ini, template_text);
    nl_test_write_text(f.csv, matrix_text);
    return f;
}

void nl_test_files_close(nl_test_files *f)
{
    free(f->ini);
    free(f->csv);
    nl_test_remove_tree(f->dir);
}
