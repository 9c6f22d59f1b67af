/* The signal handler's table (src/signals.c): each case runs in a child process, which
 * installs the handler and raises a signal, so that the test process keeps its own. */
#include "nextlevel/signals.h"

#include "test_support.h"

#include <criterion/criterion.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

static bool exists(const char *path)
{
    struct stat st;
    return lstat(path, &st) == 0;
}

/* A registered file is removed, then the process dies by the signal itself. */
Test(signals, a_signal_removes_what_is_registered_and_ends_the_process)
{
    int sigs[] = {SIGINT, SIGTERM, SIGHUP};
    for (size_t k = 0; k < 3; k++) {
        char *dir = nl_test_temp_dir();
        char *file = nl_test_path_in(dir, "report.xlsx.tmp-1-h-abc");
        char *kept = nl_test_path_in(dir, "kept.txt");
        nl_test_write_text(file, "partial");
        nl_test_write_text(kept, "not registered");
        pid_t pid = fork();
        cr_assert(pid >= 0);
        if (pid == 0) {
            signal(sigs[k], SIG_DFL);
            nl_signals_install();
            nl_signals_arm_path(nl_signals_claim(), file);
            nl_signal_slot *released = nl_signals_claim();
            nl_signals_arm_path(released, kept);
            nl_signals_release(released);
            raise(sigs[k]);
            _exit(0);
        }
        int status;
        cr_assert_eq(waitpid(pid, &status, 0), pid);
        cr_assert(WIFSIGNALED(status) && WTERMSIG(status) == sigs[k], "signal %d: status 0x%x",
                  sigs[k], status);
        cr_assert(!exists(file), "signal %d left the temporary file", sigs[k]);
        cr_assert(exists(kept), "signal %d removed a released entry's file", sigs[k]);
        free(file);
        free(kept);
        nl_test_remove_tree(dir);
    }
}

/* A library's temporary file caught between its creation and its unlink (held open for
 * writing, still named, named like libxlsxwriter's) is removed; one only read, one not held
 * and one named otherwise are not. */
Test(signals, a_library_temporary_caught_before_its_unlink_is_removed)
{
    char *dir = nl_test_temp_dir();
    char *caught = nl_test_path_in(dir, "tmp.0123456789");
    char *read_only = nl_test_path_in(dir, "tmp.abcdefghij");
    char *not_held = nl_test_path_in(dir, "tmp.9876543210");
    char *other = nl_test_path_in(dir, "notes.txt");
    nl_test_write_text(read_only, "an input made by mktemp");
    nl_test_write_text(not_held, "x");
    pid_t pid = fork();
    cr_assert(pid >= 0);
    if (pid == 0) {
        signal(SIGTERM, SIG_DFL);
        nl_signals_install();
        nl_signals_arm_library_folder(nl_signals_claim(), dir);
        if (open(caught, O_RDWR | O_CREAT | O_EXCL, 0600) < 0 || open(read_only, O_RDONLY) < 0 ||
            open(other, O_RDWR | O_CREAT, 0600) < 0)
            _exit(3);
        raise(SIGTERM);
        _exit(0);
    }
    int status;
    cr_assert_eq(waitpid(pid, &status, 0), pid);
    cr_assert(WIFSIGNALED(status) && WTERMSIG(status) == SIGTERM, "status 0x%x", status);
    cr_assert(!exists(caught), "the library's temporary file is left");
    cr_assert(exists(read_only) && exists(not_held) && exists(other), "another file was removed");
    free(caught);
    free(read_only);
    free(not_held);
    free(other);
    nl_test_remove_tree(dir);
}

/* The main process passes the signal to a registered worker and waits for it; the worker
 * removes its own file, not the one its parent registered before forking. */
Test(signals, a_worker_is_stopped_and_each_process_removes_its_own_files)
{
    char *dir = nl_test_temp_dir();
    char *mine = nl_test_path_in(dir, "parent.tmp"), *theirs = nl_test_path_in(dir, "child.tmp");
    char *ready = nl_test_path_in(dir, "ready");
    nl_test_write_text(mine, "x");
    nl_test_write_text(theirs, "x");
    pid_t pid = fork();
    cr_assert(pid >= 0);
    if (pid == 0) {
        signal(SIGTERM, SIG_DFL);
        nl_signals_install();
        nl_signal_slot *parent_file = nl_signals_claim();
        nl_signal_slot *worker = nl_signals_claim();
        nl_signals_hold(true);
        pid_t child = fork();
        if (child == 0) {
            nl_signals_hold(false);
            nl_signals_arm_path(nl_signals_claim(), theirs);
            FILE *f = fopen(ready, "w");
            fclose(f);
            for (;;)
                pause();
        }
        nl_signals_arm_child(worker, child);
        nl_signals_hold(false);
        nl_signals_arm_path(parent_file, mine);
        for (int waited = 0; !exists(ready) && waited < 10000; waited++)
            usleep(1000); /* polling, for at most 10 s, the worker's sign that it is registered */
        /* The worker's own file is still there: only the worker removes it. */
        if (!exists(theirs))
            _exit(3);
        raise(SIGTERM);
        _exit(0);
    }
    int status;
    cr_assert_eq(waitpid(pid, &status, 0), pid);
    cr_assert(WIFSIGNALED(status) && WTERMSIG(status) == SIGTERM, "status 0x%x", status);
    cr_assert(!exists(mine), "the main process's file is left");
    cr_assert(!exists(theirs), "the worker's file is left: it was not stopped by the signal");
    free(mine);
    free(theirs);
    free(ready);
    nl_test_remove_tree(dir);
}

/* A signal ignored when the program starts (nohup, a background job) stays ignored. */
Test(signals, an_ignored_signal_stays_ignored)
{
    pid_t pid = fork();
    cr_assert(pid >= 0);
    if (pid == 0) {
        signal(SIGHUP, SIG_IGN);
        nl_signals_install();
        raise(SIGHUP);
        _exit(7);
    }
    int status;
    cr_assert_eq(waitpid(pid, &status, 0), pid);
    cr_assert(WIFEXITED(status) && WEXITSTATUS(status) == 7, "status 0x%x", status);
}
