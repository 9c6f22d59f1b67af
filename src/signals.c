/* sigaction and its flags are POSIX, not C11. */
#define _GNU_SOURCE /* getdents64 */

#include "nextlevel/signals.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdatomic.h>
#include <stddef.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

/* More than a run ever holds at once: a CSV and its siblings, or one workbook, in each
 * process, and the workers of --jobs 256. Static, so that nothing is allocated for it. */
#define SLOTS 512

enum { SLOT_FREE, SLOT_CLAIMED, SLOT_PATH, SLOT_LIBRARY_FOLDER, SLOT_CHILD };

struct nl_signal_slot {
    atomic_int state;
    pid_t owner;      /* the process that claimed it */
    const char *path; /* SLOT_PATH, SLOT_LIBRARY_FOLDER */
    pid_t child;      /* SLOT_CHILD */
};

static nl_signal_slot slots[SLOTS];

/* SIGPIPE too: `--out /dev/stdout | head` ends by it, and must not leave a workbook's parts. */
static const int handled[] = {SIGINT, SIGTERM, SIGHUP, SIGPIPE};
#define HANDLED_COUNT (sizeof handled / sizeof *handled)

/* The regular files this process holds open for writing that still have a name: a library's
 * temporary file between its creation and its unlink is one. Filled by the handler (static: no
 * allocation). */
#define HELD_MAX 1024
static struct held_file {
    dev_t dev;
    ino_t ino;
} held[HELD_MAX];
static size_t held_count;

static void find_held_files(void)
{
    held_count = 0;
    int fds = open("/proc/self/fd", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fds < 0)
        return;
    char entries[4096] __attribute__((aligned(8)));
    ssize_t got;
    while ((got = getdents64(fds, entries, sizeof entries)) > 0) {
        for (ssize_t at = 0; at < got; at += ((struct dirent64 *)(entries + at))->d_reclen) {
            const char *name = ((struct dirent64 *)(entries + at))->d_name;
            int fd = 0;
            for (; *name >= '0' && *name <= '9' && fd < 1 << 24; name++)
                fd = fd * 10 + (*name - '0');
            struct stat st;
            /* Open for writing: an input (read only) is never taken for a temporary file. */
            int flags = *name == '\0' && fd != fds ? fcntl(fd, F_GETFL) : -1;
            if (flags < 0 || (flags & O_ACCMODE) == O_RDONLY || fstat(fd, &st) != 0 ||
                !S_ISREG(st.st_mode) || st.st_nlink == 0 || held_count == HELD_MAX)
                continue;
            held[held_count++] = (struct held_file){st.st_dev, st.st_ino};
        }
    }
    close(fds);
}

/* Whether name is how libxlsxwriter (tmp. and 10 characters), glibc's tmpfile without
 * O_TMPFILE (tmp and 6) or the workbook's plan store (nextlevel-plans- and 6) name a temporary
 * file they unlink just after creating it. */
static bool library_temporary(const char *name)
{
    size_t n = 0;
    while (name[n] != '\0')
        n++;
    const char *prefixes[] = {"tmp.", "tmp", "nextlevel-plans-"};
    const size_t lengths[] = {4 + 10, 3 + 6, 16 + 6};
    for (size_t k = 0; k < 3; k++) {
        size_t p = 0;
        while (prefixes[k][p] != '\0' && prefixes[k][p] == name[p])
            p++;
        if (prefixes[k][p] == '\0' && n == lengths[k])
            return true;
    }
    return false;
}

/* Removes, in folder, the library temporary files (library_temporary) this process holds open
 * and that still have a name: caught by the signal in the instant between their creation and
 * their unlink. A file held open by this process is this process's: nothing else is touched. */
static void remove_library_temporaries(const char *folder)
{
    if (held_count == 0)
        return;
    int dir = open(folder, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dir < 0)
        return;
    char entries[4096] __attribute__((aligned(8)));
    ssize_t got;
    while ((got = getdents64(dir, entries, sizeof entries)) > 0) {
        for (ssize_t at = 0; at < got; at += ((struct dirent64 *)(entries + at))->d_reclen) {
            const char *name = ((struct dirent64 *)(entries + at))->d_name;
            struct stat st;
            if (!library_temporary(name) || fstatat(dir, name, &st, AT_SYMLINK_NOFOLLOW) != 0 ||
                !S_ISREG(st.st_mode))
                continue;
            for (size_t i = 0; i < held_count; i++)
                if (held[i].dev == st.st_dev && held[i].ino == st.st_ino) {
                    unlinkat(dir, name, 0);
                    break;
                }
        }
    }
    close(dir);
}

static void on_signal(int sig)
{
    int saved = errno;
    pid_t self = getpid();
    for (size_t i = 0; i < SLOTS; i++) {
        int state = atomic_load(&slots[i].state);
        if (state == SLOT_PATH && slots[i].owner == self)
            unlink(slots[i].path);
    }
    /* Where the libraries put their temporary files: beside the outputs, /dev/shm for a small
     * workbook's parts, /tmp by default. */
    find_held_files();
    for (size_t i = 0; i < SLOTS; i++)
        if (atomic_load(&slots[i].state) == SLOT_LIBRARY_FOLDER && slots[i].owner == self)
            remove_library_temporaries(slots[i].path);
    remove_library_temporaries("/dev/shm");
    remove_library_temporaries("/tmp");
    /* Workers remove their own temporary files when the signal reaches them; waiting for them
     * means that when this process is seen to end, nothing of the run is left. */
    for (size_t i = 0; i < SLOTS; i++)
        if (atomic_load(&slots[i].state) == SLOT_CHILD && slots[i].owner == self)
            kill(slots[i].child, sig);
    for (size_t i = 0; i < SLOTS; i++)
        if (atomic_load(&slots[i].state) == SLOT_CHILD && slots[i].owner == self)
            while (waitpid(slots[i].child, NULL, 0) < 0 && errno == EINTR)
                ;
    struct sigaction dfl = {.sa_handler = SIG_DFL};
    sigemptyset(&dfl.sa_mask);
    sigaction(sig, &dfl, NULL);
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, sig);
    sigprocmask(SIG_UNBLOCK, &set, NULL);
    raise(sig);
    errno = saved; /* not reached: the default action of the three ends the process */
}

void nl_signals_install(void)
{
    struct sigaction act = {.sa_handler = on_signal};
    sigemptyset(&act.sa_mask);
    for (size_t k = 0; k < HANDLED_COUNT; k++)
        sigaddset(&act.sa_mask, handled[k]);
    for (size_t k = 0; k < HANDLED_COUNT; k++) {
        struct sigaction old;
        if (sigaction(handled[k], NULL, &old) == 0 && old.sa_handler == SIG_IGN)
            continue;
        sigaction(handled[k], &act, NULL);
    }
}

nl_signal_slot *nl_signals_claim(void)
{
    for (size_t i = 0; i < SLOTS; i++) {
        int expected = SLOT_FREE;
        if (atomic_compare_exchange_strong(&slots[i].state, &expected, SLOT_CLAIMED)) {
            slots[i].owner = getpid();
            return &slots[i];
        }
    }
    return NULL;
}

void nl_signals_arm_path(nl_signal_slot *slot, const char *path)
{
    slot->path = path;
    atomic_store(&slot->state, SLOT_PATH); /* after the path: the handler reads it then */
}

void nl_signals_arm_library_folder(nl_signal_slot *slot, const char *folder)
{
    slot->path = folder;
    atomic_store(&slot->state, SLOT_LIBRARY_FOLDER);
}

void nl_signals_arm_child(nl_signal_slot *slot, pid_t child)
{
    slot->child = child;
    atomic_store(&slot->state, SLOT_CHILD);
}

void nl_signals_disarm(nl_signal_slot *slot)
{
    atomic_store(&slot->state, SLOT_CLAIMED);
}

void nl_signals_release(nl_signal_slot *slot)
{
    if (slot != NULL)
        atomic_store(&slot->state, SLOT_FREE);
}

void nl_signals_hold(bool hold)
{
    sigset_t set;
    sigemptyset(&set);
    for (size_t k = 0; k < HANDLED_COUNT; k++)
        sigaddset(&set, handled[k]);
    sigprocmask(hold ? SIG_BLOCK : SIG_UNBLOCK, &set, NULL);
}
