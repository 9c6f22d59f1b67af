#include "report_xlsx_internal.h"

#include "nextlevel/describe.h"
#include "nextlevel/strutil.h"
#include "nextlevel/textsafe.h"

#include <errno.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* The Development plans sheet: one row per person who is Developing or Ready with risk,
 * closest to Ready now first. A plan is read as a whole ("what would it take?"), and one row
 * per raise would multiply the sheet by the raises, some fifteen a person in a large company;
 * so the row shows the raises that matter most (the plan's own order: hard gates first, then
 * gain per point) up to the template's max_raises, and counts the rest.
 *
 * The texts of a row need the person's full evaluation, which the pipeline makes in Readiness
 * order. Holding every row until the end would cost some 300 bytes a person (300 MB for a
 * million), and evaluating everyone again in plan order some 30 microseconds a person; so each
 * row's texts go to a temporary file as they come, and the sheet is written from it in plan
 * order, reading each row once.
 *
 * Plan order follows Readiness order loosely (distance to ready grows as the readiness score
 * falls), so with a core to spare the sheet is written on a thread of its own while the
 * pipeline runs, each row as soon as its person's texts are in the file, rather than after it
 * on the calling thread (some 10% of a 100,000-person run). */

/* Where each person's texts are in the file, by position in Readiness order; the part that
 * keeps them and the part that writes the sheet share it. */
struct xw_plan_store {
    FILE *file;        /* written by the keeping part only */
    uint64_t *offsets; /* UINT64_MAX: no plan row; set before the position is published */
    uint64_t end;
    size_t count;
    size_t published; /* the keeping part's last stored, its own copy */
    char *buffer;     /* for reading a row back (the writing part's) */
    size_t buffer_size;
    size_t seen; /* the writing part's last look at stored */
    pthread_mutex_t lock;
    pthread_cond_t changed;
    size_t stored; /* positions below it are kept, in the file and readable */
    bool closed;   /* nothing more will be stored */
};

/* How many positions are kept before the file is flushed and they are made readable: a
 * flush and a lock every so many people, while the writing part trails by thousands. */
#define PUBLISH_EVERY 256

#define NO_ROW UINT64_MAX

/* The texts kept for a row: raises, mitigations, what no raise clears. */
#define KEPT_TEXTS 3

xw_plan_store *xw_plan_store_new(const char *folder, size_t count)
{
    xw_plan_store *store = calloc(1, sizeof *store);
    char *path = nl_strdup(folder && folder[0] ? folder : "/tmp");
    path = path ? nl_strjoin(path, "/", "nextlevel-plans-XXXXXX") : NULL;
    if (store == NULL || path == NULL) {
        free(store);
        free(path);
        errno = ENOMEM;
        return NULL;
    }
    store->count = count;
    pthread_mutex_init(&store->lock, NULL);
    pthread_cond_init(&store->changed, NULL);
    store->offsets = malloc((count ? count : 1) * sizeof *store->offsets);
    int fd = store->offsets ? mkstemp(path) : -1;
    if (fd >= 0) {
        unlink(path); /* gone when closed, however the run ends */
        store->file = fdopen(fd, "w+b");
        if (store->file == NULL)
            close(fd);
    }
    free(path);
    if (store->file == NULL) {
        int saved = errno ? errno : ENOMEM;
        xw_plan_store_free(store);
        errno = saved;
        return NULL;
    }
    for (size_t i = 0; i < count; i++)
        store->offsets[i] = NO_ROW;
    return store;
}

void xw_plan_store_free(xw_plan_store *store)
{
    if (store == NULL)
        return;
    if (store->file != NULL)
        fclose(store->file);
    pthread_cond_destroy(&store->changed);
    pthread_mutex_destroy(&store->lock);
    free(store->offsets);
    free(store->buffer);
    free(store);
}

/* ---- keeping a row ---- */

/* Said where no score needs raising: only gates that no raise clears are open. */
#define NO_RAISES "none: every score is at its bar"

/* "System design +1 (3 -> 4); Mentoring +0.5 (3 -> 3.5) [soft]; and 9 more raises": the first
 * max_raises raises of the plan, in its order. */
static char *raises_text(const nl_framework *fw, const nl_track_result *t)
{
    size_t shown =
        t->plan_count < (size_t)fw->plans.max_raises ? t->plan_count : (size_t)fw->plans.max_raises;
    char *text = nl_strdup("");
    for (size_t i = 0; i < shown && text != NULL; i++) {
        const nl_plan_step *step = &t->plan[i];
        char item[512];
        nl_sformat(item, sizeof item, "%s +%g (%g -> %g)%s", fw->skills[step->skill].name,
                   step->to - step->from, step->from, step->to,
                   step->for_soft_gates ? " [soft]" : "");
        text = nl_strjoin(text, *text ? "; " : "", item);
    }
    if (text != NULL && t->plan_count == 0)
        text = nl_strjoin(text, "", NO_RAISES);
    if (text != NULL && t->plan_count > shown) {
        char more[64];
        nl_sformat(more, sizeof more, "and %zu more raise%s", t->plan_count - shown,
                   t->plan_count - shown == 1 ? "" : "s");
        text = nl_strjoin(text, *text ? "; " : "", more);
    }
    return text;
}

static char *blockers_text(const nl_track_result *t)
{
    char *text = nl_strdup("");
    for (size_t i = 0; i < t->blocker_count && text != NULL; i++)
        text = nl_strjoin(text, i ? "; " : "", t->blockers[i]);
    return text;
}

static bool put_text(FILE *f, const char *text, uint64_t *written)
{
    uint32_t len = (uint32_t)strlen(text);
    *written += sizeof len + len;
    return fwrite(&len, sizeof len, 1, f) == 1 && fwrite(text, 1, len, f) == len;
}

/* Makes the positions below stored readable (the file flushed first); closing says no more
 * will come. */
static void publish(xlsx_writer *w, xw_plan_store *store, size_t stored, bool closing)
{
    if (fflush(store->file) != 0)
        xw_check(w, LXW_ERROR_CREATING_TMPFILE);
    store->published = stored;
    pthread_mutex_lock(&store->lock);
    store->stored = stored;
    store->closed = store->closed || closing;
    pthread_cond_broadcast(&store->changed);
    pthread_mutex_unlock(&store->lock);
}

static void keep_plan(xlsx_writer *w, size_t position, const nl_person_result *r)
{
    xw_plan_store *store = w->plan_store;
    const nl_track_result *t = nl_person_result_track(r);
    if (t == NULL || (t->outcome != NL_DEVELOPING && t->outcome != NL_READY_WITH_RISK))
        return;
    char *texts[KEPT_TEXTS] = {raises_text(w->b->fw, t), nl_describe_mitigations(w->b->fw, t),
                               blockers_text(t)};
    bool ok = texts[0] && texts[1] && texts[2];
    if (!ok)
        w->out_of_memory = true;
    uint64_t start = store->end;
    uint32_t size = 0;
    for (int i = 0; ok && i < KEPT_TEXTS; i++)
        size += (uint32_t)(sizeof(uint32_t) + strlen(texts[i]));
    ok = ok && fwrite(&size, sizeof size, 1, store->file) == 1;
    store->end += sizeof size;
    for (int i = 0; ok && i < KEPT_TEXTS; i++)
        ok = put_text(store->file, texts[i], &store->end);
    if (ok)
        store->offsets[position] = start;
    else if (!w->out_of_memory)
        xw_check(w, LXW_ERROR_CREATING_TMPFILE);
    for (int i = 0; i < KEPT_TEXTS; i++)
        free(texts[i]);
}

void xw_keep_plan(xlsx_writer *w, size_t position, const nl_person_result *r)
{
    keep_plan(w, position, r);
    if ((position + 1) % PUBLISH_EVERY == 0 || position + 1 == w->plan_store->count)
        publish(w, w->plan_store, position + 1, false);
}

void xw_plans_kept(xlsx_writer *w)
{
    publish(w, w->plan_store, w->plan_store->published, true);
}

/* Waits until the texts of position are readable; false when they will never be (the run
 * stopped early). */
static bool wait_stored(xw_plan_store *store, size_t position)
{
    if (position < store->seen)
        return true;
    pthread_mutex_lock(&store->lock);
    while (store->stored <= position && !store->closed)
        pthread_cond_wait(&store->changed, &store->lock);
    store->seen = store->stored;
    pthread_mutex_unlock(&store->lock);
    return position < store->seen;
}

/* ---- the sheet ---- */

/* A column: header, width, and whether it holds numbers (its header is right-aligned). */
typedef struct plan_column {
    const char *name;
    double width;
    bool numeric;
} plan_column;

static const plan_column plan_columns[XW_PLAN_COLUMNS] = {
    {"ID", 10, false},
    {"Name", 22, false},
    {"Team", 14, false},
    {"Manager", 18, false},
    {"Outcome", 16, false},
    {"Band", 14, false},
    {"Next level", 10, false},
    {"Distance to ready (score points)", 12, true},
    {"Distance to ready with risk (score points)", 12, true},
    {"Quarters to ready", 10, true},
    {"Raises that matter most (hard gates first)", 60, false},
    {"Mitigations", 45, false},
    {"Not cleared by raising scores", 40, false},
};

/* The wrapped columns, for the row height. */
enum { RAISES_COL = 10, MITIGATIONS_COL = 11, BLOCKERS_COL = 12 };

void xw_plans_header(xlsx_writer *w, lxw_worksheet *ws)
{
    for (size_t i = 0; i < XW_PLAN_COLUMNS; i++) {
        const plan_column *c = &plan_columns[i];
        xw_text(w, ws, 0, (lxw_col_t)i, c->name,
                c->numeric ? w->b->f.header_number : w->b->f.header);
        worksheet_set_column(ws, (lxw_col_t)i, (lxw_col_t)i, c->width, NULL);
    }
    worksheet_set_row(ws, 0, 45, NULL);
    worksheet_freeze_panes(ws, 1, 2);
    xw_print_setup(w, ws, 0);
}

enum { READ_OK, READ_FAILED, READ_NOMEM };

/* Bytes read at a row's offset in one go: most rows, length included, are shorter, so one
 * system call reads them. */
#define READ_AHEAD 2048

/* Makes the store's buffer at least need bytes long. */
static bool reserve(xw_plan_store *store, size_t need)
{
    if (need <= store->buffer_size)
        return true;
    char *grown = realloc(store->buffer, need);
    if (grown == NULL)
        return false;
    store->buffer = grown;
    store->buffer_size = need;
    return true;
}

/* Reads length bytes at offset into to, as many calls as it takes; false when the file ends
 * before. */
static bool read_at(int fd, char *to, size_t length, uint64_t offset)
{
    while (length > 0) {
        ssize_t got = pread(fd, to, length, (off_t)offset);
        if (got <= 0)
            return false;
        to += got, length -= (size_t)got, offset += (uint64_t)got;
    }
    return true;
}

/* Reads back the texts kept at offset, pointing into the store's buffer: the record's length
 * and the record, in one read when it is short (the file may end sooner: only the length
 * must be there). Returns READ_OK, READ_FAILED or READ_NOMEM. */
static int read_row(xw_plan_store *store, uint64_t offset, const char *texts[KEPT_TEXTS])
{
    uint32_t size;
    int fd = fileno(store->file);
    /* The record is read after room for the texts' terminating NULs, and the texts unpacked
     * from the buffer's front. */
    if (!reserve(store, KEPT_TEXTS + READ_AHEAD))
        return READ_NOMEM;
    char *head = store->buffer + KEPT_TEXTS;
    ssize_t got = pread(fd, head, READ_AHEAD, (off_t)offset);
    if (got < (ssize_t)sizeof size)
        return READ_FAILED;
    memcpy(&size, head, sizeof size);
    size_t whole = sizeof size + (size_t)size;
    if ((size_t)got < whole) {
        if (!reserve(store, KEPT_TEXTS + whole))
            return READ_NOMEM;
        head = store->buffer + KEPT_TEXTS;
        if (!read_at(fd, head + got, whole - (size_t)got, offset + (uint64_t)got))
            return READ_FAILED;
    }
    const char *record = head + sizeof size;
    char *out = store->buffer;
    size_t at = 0;
    for (int i = 0; i < KEPT_TEXTS; i++) {
        uint32_t len;
        if (at + sizeof len > size)
            return READ_FAILED;
        memcpy(&len, record + at, sizeof len);
        at += sizeof len;
        if (len > size - at)
            return READ_FAILED;
        memmove(out, record + at, len);
        out[len] = '\0';
        texts[i] = out;
        out += len + 1;
        at += len;
    }
    return READ_OK;
}

static void plan_row(xlsx_writer *w, size_t position, const char *const texts[KEPT_TEXTS])
{
    const xw_book *b = w->b;
    const person_summary *s = &b->people[b->order[position]];
    size_t people_count;
    const nl_person *p = &nl_matrix_people(b->m, &people_count)[s->person];
    lxw_row_t row;
    lxw_worksheet *ws = xw_next_row(w, w->plans, &row);
    if (ws == NULL)
        return;
    const double widths[] = {plan_columns[RAISES_COL].width, plan_columns[MITIGATIONS_COL].width,
                             plan_columns[BLOCKERS_COL].width};
    xw_fit_row(ws, row, texts, widths, KEPT_TEXTS);
    xw_text(w, ws, row, 0, p->id, NULL);
    xw_text(w, ws, row, 1, p->name, NULL);
    xw_text(w, ws, row, 2, p->team, NULL);
    xw_text(w, ws, row, 3, p->manager, NULL);
    xw_text(w, ws, row, 4, nl_outcome_name(s->outcome), b->f.outcome[s->outcome]);
    xw_text(w, ws, row, 5, nl_band_name(s->band.band), NULL);
    xw_text(w, ws, row, 6, b->fw->levels[s->next_level].id, NULL);
    xw_number(w, ws, row, 7, s->band.distance, b->f.score);
    xw_number(w, ws, row, 8, s->distance_hard, b->f.score);
    xw_number(w, ws, row, 9, s->band.quarters, b->f.integer);
    xw_text(w, ws, row, RAISES_COL, texts[0], b->f.wrap);
    xw_text(w, ws, row, MITIGATIONS_COL, texts[1], b->f.wrap);
    xw_text(w, ws, row, BLOCKERS_COL, texts[2], b->f.wrap);
}

void xw_plans_sheet(xlsx_writer *w)
{
    xw_plan_store *store = w->plan_store;
    const nl_review_view *view = w->b->view;
    for (size_t k = 0; k < view->plan_count; k++) {
        size_t position = view->plan_order[k];
        const char *texts[KEPT_TEXTS];
        if (!wait_stored(store, position))
            return; /* the run failed: the workbook is not kept */
        if (store->offsets[position] == NO_ROW)
            continue; /* cannot happen: the review and the evaluation agree on who has a plan */
        int read = read_row(store, store->offsets[position], texts);
        if (read != READ_OK) {
            if (read == READ_NOMEM)
                w->out_of_memory = true;
            else
                xw_check(w, LXW_ERROR_CREATING_TMPFILE);
            return;
        }
        plan_row(w, position, texts);
    }
}
