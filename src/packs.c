/* MAP_ANONYMOUS (shared memory for the pack queue) is not in POSIX 2008. */
#define _DEFAULT_SOURCE

#include "nextlevel/packs.h"

#include "nextlevel/signals.h"
#include "nextlevel/strmap.h"
#include "nextlevel/strutil.h"
#include "nextlevel/textsafe.h"

#include <ctype.h>
#include <errno.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#define MAX_NAME_BYTES 100

/* Windows refuses these names whatever the extension: CON, PRN, AUX, NUL, COM1-9, LPT1-9. */
static bool reserved_device(const char *name)
{
    size_t n = strcspn(name, ".");
    if (n < 3 || n > 4)
        return false;
    char stem[5];
    for (size_t i = 0; i < n; i++)
        stem[i] = (char)toupper((unsigned char)name[i]);
    stem[n] = '\0';
    if (n == 3)
        return strcmp(stem, "CON") == 0 || strcmp(stem, "PRN") == 0 || strcmp(stem, "AUX") == 0 ||
               strcmp(stem, "NUL") == 0;
    return (strncmp(stem, "COM", 3) == 0 || strncmp(stem, "LPT", 3) == 0) && stem[3] >= '1' &&
           stem[3] <= '9';
}

void nl_safe_file_name(const char *name, char *out, size_t size)
{
    size_t n = 0;
    const unsigned char *p = (const unsigned char *)name;
    while (*p == '.' || *p == ' ')
        p++;
    size_t limit = size - 2 < MAX_NAME_BYTES ? size - 2 : MAX_NAME_BYTES;
    while (*p != '\0') {
        size_t len = 1;
        if (*p >= 0x80) {
            while ((p[len] & 0xC0) == 0x80)
                len++;
        }
        if (n + len > limit)
            break;
        if (len == 1 && (*p < 0x20 || *p == 0x7F || strchr("/\\:*?\"<>|", *p) != NULL)) {
            out[n++] = '_';
        } else {
            memcpy(out + n, p, len);
            n += len;
        }
        p += len;
    }
    while (n > 0 && (out[n - 1] == ' ' || out[n - 1] == '.'))
        n--;
    out[n] = '\0';
    if (n == 0) {
        snprintf(out, size, "unnamed");
    } else if (reserved_device(out) && n + 1 < size) {
        memmove(out + 1, out, n + 1);
        out[0] = '_';
    }
}

static int compare_groups(const void *a, const void *b)
{
    return strcmp(((const nl_group *)a)->name, ((const nl_group *)b)->name);
}

/* name in lower case (ASCII), into folded (at least as long as name). */
static void fold_name(const char *name, char *folded, size_t size)
{
    for (size_t i = 0; i < size; i++) {
        char c = name[i];
        folded[i] = (char)(c >= 'A' && c <= 'Z' ? c + 32 : c);
        if (c == '\0')
            return;
    }
    folded[size - 1] = '\0';
}

/* Gives every group a file name, adding " (2)", " (3)" where two names would collide (also
 * ignoring case, for case-insensitive file systems), or where one would be reserved (the
 * combined workbook's, in the same folder). */
static bool name_files(nl_group *groups, size_t count, const char *reserved)
{
    nl_strmap *taken = nl_strmap_new();
    if (taken == NULL)
        return false;
    if (reserved != NULL) {
        char *folded = nl_strdup(reserved);
        bool ok = folded != NULL;
        if (ok) {
            fold_name(reserved, folded, strlen(reserved) + 1);
            ok = nl_strmap_put(taken, folded, count);
        }
        free(folded);
        if (!ok) {
            nl_strmap_free(taken);
            return false;
        }
    }
    for (size_t g = 0; g < count; g++) {
        char base[128], name[160];
        nl_safe_file_name(groups[g].name, base, sizeof base);
        for (int k = 1;; k++) {
            if (k == 1)
                snprintf(name, sizeof name, "%s.xlsx", base);
            else
                snprintf(name, sizeof name, "%s (%d).xlsx", base, k);
            char folded[160];
            fold_name(name, folded, sizeof folded);
            size_t holder;
            if (nl_strmap_get(taken, folded, &holder) && holder == count)
                groups[g].displaced = true;
            else if (!nl_strmap_get(taken, folded, NULL)) {
                if (!nl_strmap_put(taken, folded, g) ||
                    (groups[g].file_name = nl_strdup(name)) == NULL) {
                    nl_strmap_free(taken);
                    return false;
                }
                break;
            }
        }
    }
    nl_strmap_free(taken);
    return true;
}

bool nl_groups_make(const nl_matrix *m, nl_split_by split, const char *reserved, nl_group **out,
                    size_t *out_count)
{
    size_t people_count;
    const nl_person *people = nl_matrix_people(m, &people_count);
    nl_strmap *index = nl_strmap_new();
    nl_group *groups = NULL;
    size_t count = 0, cap = 0;
    size_t *caps = NULL;
    bool ok = index != NULL;
    for (size_t i = 0; ok && i < people_count; i++) {
        const char *key = split == NL_SPLIT_TEAM ? people[i].team : people[i].manager;
        if (*key == '\0')
            key = split == NL_SPLIT_TEAM ? "(no team)" : "(no manager)";
        size_t g;
        if (!nl_strmap_get(index, key, &g)) {
            size_t old_cap = cap;
            ok = nl_grow((void **)&groups, &cap, count + 1, sizeof *groups);
            if (ok && cap != old_cap) {
                size_t *grown = realloc(caps, cap * sizeof *caps);
                ok = grown != NULL;
                caps = grown ? grown : caps;
            }
            ok = ok && nl_strmap_put(index, key, count);
            if (!ok)
                break;
            groups[count] = (nl_group){.name = key};
            caps[count] = 0;
            g = count++;
        }
        nl_group *group = &groups[g];
        ok = nl_grow((void **)&group->people, &caps[g], group->count + 1, sizeof(size_t));
        if (ok)
            group->people[group->count++] = i;
    }
    nl_strmap_free(index);
    free(caps);
    if (ok) {
        /* No people, no groups: groups is NULL, which qsort must not be given. */
        if (count > 1)
            qsort(groups, count, sizeof *groups, compare_groups);
        ok = name_files(groups, count, reserved);
    }
    if (!ok) {
        nl_groups_free(groups, count);
        return false;
    }
    *out = groups;
    *out_count = count;
    return true;
}

void nl_groups_free(nl_group *groups, size_t count)
{
    for (size_t g = 0; g < count; g++) {
        free(groups[g].file_name);
        free(groups[g].people);
    }
    free(groups);
}

/* The packs still to write, shared by the processes writing them (in shared memory). */
typedef struct shared_queue {
    atomic_size_t next;
    atomic_bool stop; /* the combined workbook failed: take no more */
} shared_queue;

/* A --split-by run: the groups, their folder, and the processes writing them. */
struct nl_pack_queue {
    nl_group *groups;
    size_t count;
    char *dir;
    bool by_team;
    const nl_pack_writer *writer;
    shared_queue *shared;
    pid_t *children;
    nl_signal_slot **child_slots; /* so that a signal stops the workers too */
    size_t child_count;
};

/* The worse of two statuses: the one with the higher exit code. */
static nl_status worse(nl_status a, nl_status b)
{
    return nl_status_exit_code(b) > nl_status_exit_code(a) ? b : a;
}

/* Writes packs from the queue until none is left, or one fails. */
static nl_status write_queued_packs(nl_pack_queue *q, bool show_progress)
{
    nl_status status = NL_OK;
    while (status == NL_OK && !atomic_load(&q->shared->stop)) {
        size_t g = atomic_fetch_add(&q->shared->next, 1);
        if (g >= q->count)
            break;
        const nl_group *group = &q->groups[g];
        char label[512];
        nl_sformat(label, sizeof label, "%s: %s", q->by_team ? "Team" : "Manager", group->name);
        char *path = nl_strjoin(nl_strdup(q->dir), "/", group->file_name);
        if (path == NULL) {
            nl_error e = {0};
            nl_error_set(&e, NL_ERR_NOMEM, NULL, 0, 0, "out of memory");
            q->writer->report(q->writer->data, &e);
            return NL_ERR_NOMEM;
        }
        status = q->writer->write(q->writer->data, group, path, label, show_progress);
        free(path);
    }
    return status;
}

nl_status nl_pack_queue_start(const nl_matrix *m, nl_split_by split, const char *dir,
                              const char *reserved, unsigned jobs, const nl_pack_writer *writer,
                              nl_pack_queue **queue, nl_error *err)
{
    nl_pack_queue *q = *queue = calloc(1, sizeof *q);
    if (q == NULL)
        return nl_error_set(err, NL_ERR_NOMEM, NULL, 0, 0, "out of memory");
    q->by_team = split == NL_SPLIT_TEAM;
    q->writer = writer;
    q->dir = nl_strdup(dir);
    q->shared =
        mmap(NULL, sizeof *q->shared, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    if (q->shared == MAP_FAILED)
        q->shared = NULL;
    if (q->dir == NULL || q->shared == NULL ||
        !nl_groups_make(m, split, reserved, &q->groups, &q->count))
        return nl_error_set(err, NL_ERR_NOMEM, NULL, 0, 0, "out of memory");
    atomic_init(&q->shared->next, 0);
    atomic_init(&q->shared->stop, false);
    struct stat st;
    if (stat(q->dir, &st) != 0 && mkdir(q->dir, 0777) != 0)
        return nl_error_set(err, NL_ERR_OUTPUT, q->dir, 0, 0, "cannot create the folder: %s",
                            strerror(errno));
    size_t processes = jobs ? jobs : 1;
    if (processes > q->count)
        processes = q->count;
    q->children = processes > 1 ? calloc(processes - 1, sizeof *q->children) : NULL;
    q->child_slots = processes > 1 ? calloc(processes - 1, sizeof *q->child_slots) : NULL;
    if (q->children == NULL || q->child_slots == NULL)
        return NL_OK; /* one process: the packs follow the combined workbook */
    fflush(NULL);     /* else the children would write what is buffered again */
    for (; q->child_count < processes - 1; q->child_count++) {
        nl_signal_slot *slot = nl_signals_claim();
        if (slot == NULL)
            break;
        /* A signal between the fork and the registration would miss the new worker. */
        nl_signals_hold(true);
        pid_t child = fork();
        if (child < 0) {
            nl_signals_hold(false);
            nl_signals_release(slot);
            break; /* fewer processes: this one takes more packs */
        }
        if (child == 0) {
            nl_signals_hold(false);
            /* The progress line is the parent's, for the combined workbook. The status is
             * the child's exit status, read back by nl_pack_queue_finish. */
            nl_status status = write_queued_packs(q, false);
            fflush(NULL);
            _exit((int)status);
        }
        nl_signals_arm_child(slot, child);
        nl_signals_hold(false);
        q->children[q->child_count] = child;
        q->child_slots[q->child_count] = slot;
    }
    return NL_OK;
}

nl_status nl_pack_queue_finish(nl_pack_queue *q, nl_status combined)
{
    nl_status status = combined;
    if (combined != NL_OK)
        atomic_store(&q->shared->stop, true);
    else
        status = write_queued_packs(q, q->child_count == 0);
    for (size_t k = 0; k < q->child_count; k++) {
        int wait_status;
        pid_t waited = waitpid(q->children[k], &wait_status, 0);
        nl_signals_release(q->child_slots[k]); /* reaped: its id may be reused */
        if (waited < 0)
            continue;
        int code = WIFEXITED(wait_status) ? WEXITSTATUS(wait_status) : -1;
        nl_status child = code >= NL_OK && code <= NL_ERR_NOMEM ? (nl_status)code : NL_ERR_OUTPUT;
        status = worse(status, child);
    }
    return status;
}

size_t nl_pack_queue_count(const nl_pack_queue *queue)
{
    return queue->count;
}

const char *nl_pack_queue_dir(const nl_pack_queue *queue)
{
    return queue->dir;
}

const nl_group *nl_pack_queue_groups(const nl_pack_queue *queue, size_t *count)
{
    *count = queue->count;
    return queue->groups;
}

void nl_pack_queue_free(nl_pack_queue *q)
{
    if (q == NULL)
        return;
    nl_groups_free(q->groups, q->count);
    free(q->dir);
    free(q->children);
    free(q->child_slots);
    if (q->shared != NULL)
        munmap(q->shared, sizeof *q->shared);
    free(q);
}
