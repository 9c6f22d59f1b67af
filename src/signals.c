/* sigaction and its flags are POSIX, not C11. */
#define _GNU_SOURCE /* getdents64 */

#include "nextlevel/signals.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdatomic.h>
#include <stddef.h>
#include <sys/wait.h>
#include <unistd.h>

/* More than a run ever holds at once: a CSV and its siblings, or one workbook, in each
 * process, and the workers of --jobs 256. Static, so that nothing is allocated for it. */
#define SLOTS 512

enum { SLOT_FREE, SLOT_CLAIMED, SLOT_PATH, SLOT_FOLDER, SLOT_CHILD };

struct nl_signal_slot {
    atomic_int state;
    pid_t owner;      /* the process that claimed it */
    const char *path; /* SLOT_PATH, SLOT_FOLDER */
    pid_t child;      /* SLOT_CHILD */
};

static nl_signal_slot slots[SLOTS];

static const int handled[] = {SIGINT, SIGTERM, SIGHUP};
#define HANDLED_COUNT (sizeof handled / sizeof *handled)

void nl_signals_remove_folder(const char *path)
{
    int dir = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC | O_NOFOLLOW);
    if (dir >= 0) {
        /* getdents64 rather than readdir, which allocates. */
        char entries[4096] __attribute__((aligned(8)));
        ssize_t got;
        while ((got = getdents64(dir, entries, sizeof entries)) > 0) {
            for (ssize_t at = 0; at < got;) {
                struct dirent64 *entry = (struct dirent64 *)(entries + at);
                const char *name = entry->d_name;
                if (!(name[0] == '.' && (name[1] == '\0' || (name[1] == '.' && name[2] == '\0'))))
                    unlinkat(dir, name, 0);
                at += entry->d_reclen;
            }
        }
        close(dir);
    }
    rmdir(path);
}

static void on_signal(int sig)
{
    int saved = errno;
    pid_t self = getpid();
    for (size_t i = 0; i < SLOTS; i++) {
        int state = atomic_load(&slots[i].state);
        if (state == SLOT_PATH && slots[i].owner == self)
            unlink(slots[i].path);
        else if (state == SLOT_FOLDER && slots[i].owner == self)
            nl_signals_remove_folder(slots[i].path);
    }
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

void nl_signals_arm_folder(nl_signal_slot *slot, const char *path)
{
    slot->path = path;
    atomic_store(&slot->state, SLOT_FOLDER);
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
