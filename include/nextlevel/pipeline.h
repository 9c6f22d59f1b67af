#ifndef NEXTLEVEL_PIPELINE_H
#define NEXTLEVEL_PIPELINE_H

#include "nextlevel/evaluate.h"

#include <pthread.h>
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

/* Calls work(data, i, share) for every i below count, on up to threads threads (every
 * stride-th i on each; share 0 runs on this thread, which also takes the shares of threads
 * that could not be started). work must touch nothing another i touches; only share 0 may
 * report progress. With fewer than NL_THREADS_FROM_PEOPLE
 * items everything runs on this thread. Returns true when every call returned true; after a
 * false, a share stops early. */
bool nl_parallel_for(size_t count, unsigned threads,
                     bool (*work)(void *data, size_t index, unsigned share), void *data);

/* Work that runs beside the pipeline on a thread of its own (a writer of sheets that need no
 * results), started before and joined after: its state is its own. */
typedef struct nl_side_task {
    void (*run)(void *data);
    void *data;
    bool threaded; /* running on a thread of its own */
    pthread_t thread;

} nl_side_task;

/* Starts run(data) on a thread of its own when threaded is asked for and a thread can be had;
 * otherwise it runs in nl_side_task_finish. */
void nl_side_task_start(nl_side_task *task, void (*run)(void *), void *data, bool threaded);

/* Waits for the task; runs it here when it had no thread and run_here is true. */
void nl_side_task_finish(nl_side_task *task, bool run_here);

#endif
