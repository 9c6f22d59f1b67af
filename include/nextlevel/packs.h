#ifndef NEXTLEVEL_PACKS_H
#define NEXTLEVEL_PACKS_H

#include "nextlevel/error.h"
#include "nextlevel/matrix.h"

#include <stdbool.h>
#include <stddef.h>

/* Per-team and per-manager packs: the people grouped by a field, and a safe file name for
 * each group. */

typedef enum nl_split_by { NL_SPLIT_TEAM, NL_SPLIT_MANAGER } nl_split_by;

typedef struct nl_group {
    const char *name; /* borrowed from a person; "(no team)" / "(no manager)" when empty */
    char *file_name;  /* owned: safe, unique among the groups, ends in .xlsx */
    size_t *people;   /* owned: indices into the matrix, in input order */
    size_t count;
    bool displaced; /* its own file name was the reserved one (the combined workbook's) */
} nl_group;

/* Groups the matrix's people by team or manager, sorted by group name. No file name equals
 * reserved (a file name, e.g. the combined workbook's in the same folder; NULL: none), ignoring
 * case: a group that would take it gets " (2)" and is marked displaced. Returns false when out
 * of memory. */
bool nl_groups_make(const nl_matrix *m, nl_split_by split, const char *reserved, nl_group **groups,
                    size_t *count);

/* Frees groups made by nl_groups_make. */
void nl_groups_free(nl_group *groups, size_t count);

/* A file name for a group that can never leave its folder: path separators, control
 * characters, NUL and the characters Windows forbids become '_'; leading dots and spaces are
 * dropped; reserved device names (CON, NUL, COM1, ...) get a leading '_'; at most 100 bytes
 * (whole UTF-8 characters); never empty. Writes into out (at least 128 bytes), without an
 * extension. */
void nl_safe_file_name(const char *name, char *out, size_t size);

/* ---- The pack queue: the groups' workbooks written by several processes at once ----
 *
 * The packs still to write sit in a queue in shared memory: each process takes the next one,
 * so a process that finishes early (or joins late) takes more. The queue knows nothing of
 * workbooks: it calls the caller's writer for each pack, in whichever process took it. */

typedef struct nl_pack_writer {
    /* Writes the workbook of group to path (the folder and the group's file name), labelled
     * label ("Team: Payments"). show_progress is false when other processes write packs too:
     * one progress line cannot serve several. Prints its own error, in the process that found
     * it, and returns its status. */
    nl_status (*write)(void *data, const nl_group *group, const char *path, const char *label,
                       bool show_progress);
    /* Prints an error the queue found itself (out of memory), in the process that found it. */
    void (*report)(void *data, const nl_error *err);
    void *data; /* passed to both, borrowed */
} nl_pack_writer;

typedef struct nl_pack_queue nl_pack_queue;

/* Groups m's people by split (no pack named reserved, as nl_groups_make), makes the folder dir
 * when missing, and with jobs above 1 forks
 * jobs - 1 processes (fewer if there are fewer packs, or when fork fails) that write packs
 * from the queue with writer, then exit, while the caller goes on (with the combined
 * workbook). Copy-on-write keeps the inputs shared: call it before any thread starts, since
 * threads are lost in a fork. Standard streams are flushed before the fork. *queue is always
 * set (free it with nl_pack_queue_free, also after a failure). Returns NL_OK, or the status of
 * a failure described in err; then no process was started and no pack will be written.
 * m and writer are borrowed until nl_pack_queue_finish returns. */
nl_status nl_pack_queue_start(const nl_matrix *m, nl_split_by split, const char *dir,
                              const char *reserved, unsigned jobs, const nl_pack_writer *writer,
                              nl_pack_queue **queue, nl_error *err);

/* Ends a queue started with NL_OK, after the caller's own work ended with status combined:
 * when combined is NL_OK this process takes packs too until none is left, else no further
 * pack is started anywhere (packs finished by then stay). Then it waits for the other
 * processes. Returns the worst status (by exit code) of combined, this process's packs and the
 * other processes' (a process that did not exit normally counts as NL_ERR_OUTPUT). */
nl_status nl_pack_queue_finish(nl_pack_queue *queue, nl_status combined);

/* The number of packs, and their folder (borrowed from the queue). */
size_t nl_pack_queue_count(const nl_pack_queue *queue);
const char *nl_pack_queue_dir(const nl_pack_queue *queue);

/* The groups (borrowed from the queue), with their file names. */
const nl_group *nl_pack_queue_groups(const nl_pack_queue *queue, size_t *count);

/* Frees the queue (waits for nothing: call nl_pack_queue_finish first). NULL does nothing. */
void nl_pack_queue_free(nl_pack_queue *queue);

#endif
