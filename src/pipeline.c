#include "nextlevel/pipeline.h"

#include <pthread.h>
#include <stdlib.h>

/* Results evaluated ahead of the slowest consumer at most; enough to ride out a slow row. */
#define RING_SIZE 256
/* Consumers on threads of their own besides the calling thread's. */
#define MAX_CONSUMERS 4

typedef struct ring_slot {
    nl_person_result result;
    nl_status status;
    size_t position; /* of the result held, while ready */
    size_t pending;  /* consumers yet to take it */
    bool ready;
} ring_slot;

typedef struct ring {
    const nl_evaluator *ev;
    const nl_person *people;
    const size_t *order;
    size_t count;
    const nl_consumer *consumers;
    size_t consumer_count;
    ring_slot slots[RING_SIZE];
    pthread_mutex_t lock;
    pthread_cond_t changed;
    bool stop; /* a consumer gave up, or an evaluation failed: everyone ends early */
} ring;

typedef struct consumer_run {
    ring *q;
    size_t index;
    nl_status status;
} consumer_run;

static size_t person_at(const size_t *order, size_t position)
{
    return order ? order[position] : position;
}

static void stop_all(ring *q)
{
    pthread_mutex_lock(&q->lock);
    q->stop = true;
    pthread_cond_broadcast(&q->changed);
    pthread_mutex_unlock(&q->lock);
}

static void *produce(void *data)
{
    ring *q = data;
    for (size_t i = 0; i < q->count; i++) {
        ring_slot *slot = &q->slots[i % RING_SIZE];
        pthread_mutex_lock(&q->lock);
        while (slot->ready && !q->stop)
            pthread_cond_wait(&q->changed, &q->lock);
        bool stop = q->stop;
        pthread_mutex_unlock(&q->lock);
        if (stop)
            break;
        nl_status status =
            nl_evaluate_person(q->ev, &q->people[person_at(q->order, i)], &slot->result);
        pthread_mutex_lock(&q->lock);
        slot->status = status;
        slot->position = i;
        slot->pending = q->consumer_count;
        slot->ready = true;
        pthread_cond_broadcast(&q->changed);
        pthread_mutex_unlock(&q->lock);
        if (status != NL_OK)
            break;
    }
    return NULL;
}

/* Takes every result in order; the last consumer to take one frees its slot. */
static void *consume_all(void *data)
{
    consumer_run *run = data;
    ring *q = run->q;
    const nl_consumer *consumer = &q->consumers[run->index];
    for (size_t i = 0; i < q->count && run->status == NL_OK; i++) {
        ring_slot *slot = &q->slots[i % RING_SIZE];
        pthread_mutex_lock(&q->lock);
        /* A faster consumer may come round to a slot still holding an older result. */
        while (!(slot->ready && slot->position == i) && !q->stop)
            pthread_cond_wait(&q->changed, &q->lock);
        bool stop = q->stop;
        pthread_mutex_unlock(&q->lock);
        if (stop)
            break;
        run->status = slot->status;
        if (run->status == NL_OK && !consumer->consume(consumer->data, i, &slot->result))
            run->status = NL_ERR_NOMEM;
        pthread_mutex_lock(&q->lock);
        bool last = --slot->pending == 0;
        pthread_mutex_unlock(&q->lock);
        if (last) {
            if (slot->status == NL_OK)
                nl_person_result_clear(&slot->result);
            pthread_mutex_lock(&q->lock);
            slot->ready = false;
            pthread_cond_broadcast(&q->changed);
            pthread_mutex_unlock(&q->lock);
        }
        if (run->status != NL_OK)
            stop_all(q);
    }
    return NULL;
}

/* Returns NL_ERR_NO_THREAD when a thread could not be started before anything was consumed
 * (the caller then goes alone). */
static nl_status run_threaded(ring *q)
{
    consumer_run runs[MAX_CONSUMERS + 1];
    pthread_t consumers[MAX_CONSUMERS + 1], producer;
    size_t started = 1;
    for (size_t k = 0; k < q->consumer_count; k++)
        runs[k] = (consumer_run){q, k, NL_OK};
    /* The consumers first: with no producer yet, none can take a result before all are up. */
    while (started < q->consumer_count &&
           pthread_create(&consumers[started], NULL, consume_all, &runs[started]) == 0)
        started++;
    bool producing =
        started == q->consumer_count && pthread_create(&producer, NULL, produce, q) == 0;
    if (!producing) {
        stop_all(q);
        for (size_t k = 1; k < started; k++)
            pthread_join(consumers[k], NULL);
        return NL_ERR_NO_THREAD;
    }
    consume_all(&runs[0]);
    nl_status status = runs[0].status;
    for (size_t k = 1; k < started; k++) {
        pthread_join(consumers[k], NULL);
        if (status == NL_OK)
            status = runs[k].status;
    }
    pthread_join(producer, NULL);
    for (size_t k = 0; k < RING_SIZE; k++) {
        if (q->slots[k].ready && q->slots[k].status == NL_OK)
            nl_person_result_clear(&q->slots[k].result);
    }
    return status;
}

static nl_status run_alone(const nl_evaluator *ev, const nl_person *people, const size_t *order,
                           size_t count, const nl_consumer *consumers, size_t consumer_count)
{
    for (size_t i = 0; i < count; i++) {
        nl_person_result result;
        if (nl_evaluate_person(ev, &people[person_at(order, i)], &result) != NL_OK)
            return NL_ERR_NOMEM;
        bool ok = true;
        for (size_t k = 0; k < consumer_count && ok; k++)
            ok = consumers[k].consume(consumers[k].data, i, &result);
        nl_person_result_clear(&result);
        if (!ok)
            return NL_ERR_NOMEM;
    }
    return NL_OK;
}

nl_status nl_pipeline_run(const nl_evaluator *ev, const nl_person *people, const size_t *order,
                          size_t count, unsigned threads, const nl_consumer *consumers,
                          size_t consumer_count)
{
    if (consumer_count == 0 || consumer_count > MAX_CONSUMERS + 1)
        return NL_ERR_ARGUMENT;
    if (threads > 1 && count >= NL_THREADS_FROM_PEOPLE) {
        ring *q = calloc(1, sizeof *q);
        if (q != NULL) {
            *q = (ring){.ev = ev,
                        .people = people,
                        .order = order,
                        .count = count,
                        .consumers = consumers,
                        .consumer_count = consumer_count};
            pthread_mutex_init(&q->lock, NULL);
            pthread_cond_init(&q->changed, NULL);
            nl_status status = run_threaded(q);
            pthread_cond_destroy(&q->changed);
            pthread_mutex_destroy(&q->lock);
            free(q);
            if (status != NL_ERR_NO_THREAD)
                return status;
        }
    }
    return run_alone(ev, people, order, count, consumers, consumer_count);
}

/* ---- work beside the pipeline ---- */

#define MAX_PARALLEL 16

typedef struct share {
    bool (*work)(void *, size_t, unsigned);
    void *data;
    size_t first, stride, count;
    bool ok;
} share;

static void *run_share(void *arg)
{
    share *sh = arg;
    for (size_t i = sh->first; i < sh->count && sh->ok; i += sh->stride)
        sh->ok = sh->work(sh->data, i, (unsigned)sh->first);
    return NULL;
}

bool nl_parallel_for(size_t count, unsigned threads,
                     bool (*work)(void *data, size_t index, unsigned share), void *data)
{
    size_t n = threads > 1 && count >= NL_THREADS_FROM_PEOPLE ? threads : 1;
    if (n > MAX_PARALLEL)
        n = MAX_PARALLEL;
    share shares[MAX_PARALLEL];
    pthread_t ids[MAX_PARALLEL];
    bool started[MAX_PARALLEL] = {false};
    for (size_t k = 0; k < n; k++) {
        shares[k] = (share){work, data, k, n, count, true};
        started[k] = k > 0 && pthread_create(&ids[k], NULL, run_share, &shares[k]) == 0;
    }
    run_share(&shares[0]);
    bool ok = shares[0].ok;
    for (size_t k = 1; k < n; k++) {
        if (started[k])
            pthread_join(ids[k], NULL);
        else
            run_share(&shares[k]); /* no thread to spare: this one does it */
        ok = ok && shares[k].ok;
    }
    return ok;
}

static void *run_side_task(void *arg)
{
    nl_side_task *task = arg;
    task->run(task->data);
    return NULL;
}

void nl_side_task_start(nl_side_task *task, void (*run)(void *), void *data, bool threaded)
{
    *task = (nl_side_task){.run = run, .data = data};
    task->threaded = threaded && pthread_create(&task->thread, NULL, run_side_task, task) == 0;
}

void nl_side_task_finish(nl_side_task *task, bool run_here)
{
    if (task->threaded)
        pthread_join(task->thread, NULL);
    else if (run_here)
        task->run(task->data);
    task->threaded = false;
}
