#ifndef NEXTLEVEL_PIPELINE_H
#define NEXTLEVEL_PIPELINE_H

#include "nextlevel/evaluate.h"

#include <stdbool.h>
#include <stddef.h>

/* Fewer people than this are not worth a thread: the pipeline, and the workbook's other
 * threads, work alone below it. */
#define NL_THREADS_FROM_PEOPLE 2000

/* One reader of the results: consume gets the position in the order and a result it must not
 * keep (it is cleared after); it returns false to stop (out of memory). */
typedef struct nl_consumer {
    bool (*consume)(void *data, size_t position, const nl_person_result *result);
    void *data;
} nl_consumer;

/* Evaluates people one after the other and hands each result, in order, to every consumer.
 * With threads above 1 and enough people, a producer thread evaluates ahead (a ring of
 * results) while the calling thread runs the first consumer and each further consumer runs on
 * a thread of its own, so evaluating and writing several outputs overlap; a consumer sees the
 * same results in the same order either way, and never at the same time as another consumer
 * of the same data.
 *
 * order (may be NULL: 0, 1, 2...) gives the indices into people to evaluate, count of them.
 * Returns NL_OK, NL_ERR_NOMEM when an evaluation or a consumer failed, or NL_ERR_ARGUMENT for
 * no consumers or more than 5. A thread that cannot be started is not an error: the run then
 * goes on the calling thread alone. */
nl_status nl_pipeline_run(const nl_evaluator *ev, const nl_person *people, const size_t *order,
                          size_t count, unsigned threads, const nl_consumer *consumers,
                          size_t consumer_count);

#endif
