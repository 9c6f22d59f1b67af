#ifndef NEXTLEVEL_SIGNALS_H
#define NEXTLEVEL_SIGNALS_H

#include <stdbool.h>
#include <sys/types.h>

/* What an interrupted run leaves behind: on SIGINT, SIGTERM, SIGHUP (or SIGPIPE) the process
 * removes the temporary files it registered, passes the signal on to the worker processes it
 * registered and waits for them, then dies of the same signal by its default action (a shell sees
 * 128+N). The handler calls only async-signal-safe functions (unlink, kill, waitpid,
 * sigaction, sigprocmask, raise) and reads a table of fixed size: registering never
 * allocates, so a slot claimed when an output opens is all its commit needs.
 *
 * A forked process inherits the table; every entry records the process that made it, and
 * each process acts on its own entries only. */

/* Installs the handler for SIGINT, SIGTERM, SIGHUP and SIGPIPE, except for a signal that was
 * ignored when the program started (nohup, a background job), which stays ignored. Called once, by
 * main, before anything is written. */
void nl_signals_install(void);

/* One entry of the table: a temporary file to remove or a worker process to stop. */
typedef struct nl_signal_slot nl_signal_slot;

/* A free entry for this process, or NULL when all are taken (several hundred outputs or
 * workers at once). */
nl_signal_slot *nl_signals_claim(void);

/* From now on, a signal removes path (which must stay valid and unchanged until disarmed). */
void nl_signals_arm_path(nl_signal_slot *slot, const char *path);

/* From now on, a signal also looks in folder for the temporary files that libraries
 * (libxlsxwriter, the workbook's plan store) create and unlink at once, and removes those this
 * process holds open, caught between the two; /dev/shm and /tmp are always looked in. */
void nl_signals_arm_library_folder(nl_signal_slot *slot, const char *folder);

/* From now on, a signal is passed on to child, and waited for. */
void nl_signals_arm_child(nl_signal_slot *slot, pid_t child);

/* A signal no longer acts on the entry; it stays claimed. */
void nl_signals_disarm(nl_signal_slot *slot);

/* Disarms and frees the entry; NULL is allowed. */
void nl_signals_release(nl_signal_slot *slot);

/* Blocks (true) or unblocks (false) the three signals in the calling thread, around a step
 * that must not be cut in two: a fork and the registration of its child. */
void nl_signals_hold(bool hold);

#endif
