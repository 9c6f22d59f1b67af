#include "nextlevel/pipeline.h"

#include <pthread.h>
#include <stdlib.h>

/* Results evaluated ahead of the consumer at most; enough to ride out a slow row. */
#define RING_SIZE 256
/* Fewer people than this are not worth a thread. */
#define THREAD_FROM 2000

typedef struct ring_slot {
    nl_person_result result;
    nl_status status;
    bool ready;
} ring_slot;

typedef struct ring {
    const nl_evaluator *ev;
    const nl_person *people;
    const size_t *order;
    size_t count;
    ring_slot slots[RING_SIZE];
    pthread_mutex_t lock;
    pthread_cond_t changed;
    bool stop; /* the consumer gave up: the producer ends early */
} ring;

static size_t person_at(const size_t *order, size_t position)
{
    return order ? order[position] : position;
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
        slot->ready = true;
        pthread_cond_broadcast(&q->changed);
        pthread_mutex_unlock(&q->lock);
        if (status != NL_OK)
            break;
    }
    return NULL;
}

/* Returns NL_ERR_USAGE when no thread could be started (the caller then goes alone). */
static nl_status run_threaded(ring *q, bool (*consume)(void *, size_t, const nl_person_result *),
                              void *data)
{
    pthread_t producer;
    if (pthread_create(&producer, NULL, produce, q) != 0)
        return NL_ERR_USAGE;
    nl_status status = NL_OK;
    for (size_t i = 0; i < q->count && status == NL_OK; i++) {
        ring_slot *slot = &q->slots[i % RING_SIZE];
        pthread_mutex_lock(&q->lock);
        while (!slot->ready)
            pthread_cond_wait(&q->changed, &q->lock);
        pthread_mutex_unlock(&q->lock);
        status = slot->status;
        if (status == NL_OK) {
            if (!consume(data, i, &slot->result))
                status = NL_ERR_NOMEM;
            nl_person_result_clear(&slot->result);
        }
        pthread_mutex_lock(&q->lock);
        slot->ready = false;
        q->stop = status != NL_OK;
        pthread_cond_broadcast(&q->changed);
        pthread_mutex_unlock(&q->lock);
    }
    pthread_join(producer, NULL);
    for (size_t k = 0; k < RING_SIZE; k++) {
        if (q->slots[k].ready && q->slots[k].status == NL_OK)
            nl_person_result_clear(&q->slots[k].result);
    }
    return status;
}

nl_status nl_pipeline_run(const nl_evaluator *ev, const nl_person *people, const size_t *order,
                          size_t count, unsigned threads,
                          bool (*consume)(void *, size_t, const nl_person_result *), void *data)
{
    if (threads > 1 && count >= THREAD_FROM) {
        ring *q = calloc(1, sizeof *q);
        if (q != NULL) {
            *q = (ring){.ev = ev, .people = people, .order = order, .count = count};
            pthread_mutex_init(&q->lock, NULL);
            pthread_cond_init(&q->changed, NULL);
            nl_status status = run_threaded(q, consume, data);
            pthread_cond_destroy(&q->changed);
            pthread_mutex_destroy(&q->lock);
            free(q);
            if (status != NL_ERR_USAGE)
                return status;
        }
    }
    for (size_t i = 0; i < count; i++) {
        nl_person_result result;
        if (nl_evaluate_person(ev, &people[person_at(order, i)], &result) != NL_OK)
            return NL_ERR_NOMEM;
        bool ok = consume(data, i, &result);
        nl_person_result_clear(&result);
        if (!ok)
            return NL_ERR_NOMEM;
    }
    return NL_OK;
}
