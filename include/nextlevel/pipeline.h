#ifndef NEXTLEVEL_PIPELINE_H
#define NEXTLEVEL_PIPELINE_H

#include "nextlevel/evaluate.h"

#include <stdbool.h>
#include <stddef.h>

/* Evaluates people one after the other and hands each result, in order, to consume. With
 * threads above 1 and enough people, a producer thread evaluates ahead (a ring of results)
 * while the calling thread consumes, so writing a report and evaluating overlap on two cores;
 * the order and the results are the same either way.
 *
 * order (may be NULL: 0, 1, 2...) gives the indices into people to evaluate, count of them.
 * consume gets the position in the order and a result it must not keep (it is cleared after);
 * it returns false to stop (out of memory). Returns NL_OK, or NL_ERR_NOMEM when an evaluation
 * or consume failed. */
nl_status nl_pipeline_run(const nl_evaluator *ev, const nl_person *people, const size_t *order,
                          size_t count, unsigned threads,
                          bool (*consume)(void *data, size_t position,
                                          const nl_person_result *result),
                          void *data);

#endif
