/* The evaluation pipeline (pipeline.h): every consumer gets every result once, in order, on
 * one thread or several, also when one consumer runs far behind another; a consumer that gives
 * up ends the run with an error and is not called again. */
#include "nextlevel/evaluate.h"
#include "nextlevel/framework.h"
#include "nextlevel/matrix.h"
#include "nextlevel/pipeline.h"

#include "test_support.h"

#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* Enough people for the pipeline to use threads. */
#define PEOPLE 3000
_Static_assert(PEOPLE >= NL_THREADS_FROM_PEOPLE, "the pipeline would go alone");

typedef struct org {
    char *dir;
    nl_framework *fw;
    nl_matrix *m;
    nl_evaluator *ev;
    const nl_person *people;
    size_t count;
    size_t *order; /* last to first: the pipeline must follow it */
} org;

static void org_open(org *o)
{
    memset(o, 0, sizeof *o);
    o->dir = nl_test_temp_dir();
    char command[2048];
    snprintf(command, sizeof command,
             "python3 bench/gen.py --people %d --skills 8 --bad-every 1000000 '%s' >/dev/null",
             PEOPLE, o->dir);
    cr_assert_eq(nl_test_shell(command), 0);
    char *template = nl_test_path_in(o->dir, "template.ini");
    char *csv = nl_test_path_in(o->dir, "matrix-001.csv");
    nl_error err = {0};
    cr_assert_eq(nl_framework_load(template, &o->fw, &err), NL_OK, "%s", err.message);
    o->m = nl_matrix_new(o->fw);
    cr_assert_eq(nl_matrix_read_file(o->m, csv, 0, &err), NL_OK, "%s", err.message);
    cr_assert_eq(nl_evaluator_new(o->fw, NULL, NULL, &o->ev, &err), NL_OK, "%s", err.message);
    o->people = nl_matrix_people(o->m, &o->count);
    cr_assert_eq(o->count, PEOPLE);
    o->order = malloc(o->count * sizeof *o->order);
    cr_assert_not_null(o->order);
    for (size_t i = 0; i < o->count; i++)
        o->order[i] = o->count - 1 - i;
    free(template);
    free(csv);
}

static void org_close(org *o)
{
    free(o->order);
    nl_evaluator_free(o->ev);
    nl_matrix_free(o->m);
    nl_framework_free(o->fw);
    nl_test_remove_tree(o->dir);
}

/* What one consumer saw. */
typedef struct seen {
    const org *o;
    size_t calls;
    bool in_order;     /* positions 0, 1, 2... */
    bool right_person; /* the result at position i is the person order[i] */
    double *readiness; /* per position */
    size_t slow_until; /* sleeps a little at each position below this one */
    size_t fail_at;    /* returns false here (SIZE_MAX: never) */
    bool called_after_failing;
} seen;

static void seen_open(seen *s, const org *o)
{
    *s = (seen){.o = o, .in_order = true, .right_person = true, .fail_at = SIZE_MAX};
    s->readiness = calloc(o->count, sizeof *s->readiness);
    cr_assert_not_null(s->readiness);
}

static bool record(void *data, size_t position, const nl_person_result *result)
{
    seen *s = data;
    if (s->calls > s->fail_at)
        s->called_after_failing = true;
    s->in_order = s->in_order && position == s->calls;
    s->calls++;
    s->right_person = s->right_person && result->person == &s->o->people[s->o->order[position]];
    const nl_track_result *t = nl_person_result_track(result);
    s->readiness[position] = t ? t->readiness : -1;
    if (position < s->slow_until)
        nanosleep(&(struct timespec){0, 200000}, NULL);
    return position != s->fail_at;
}

static void expect_everything_seen(const seen *s, const seen *reference)
{
    cr_assert_eq(s->calls, s->o->count, "%zu calls for %zu people", s->calls, s->o->count);
    cr_assert(s->in_order, "positions out of order");
    cr_assert(s->right_person, "a result of another person than the order's");
    cr_assert_eq(memcmp(s->readiness, reference->readiness, s->o->count * sizeof(double)), 0,
                 "results differ from evaluating alone");
}

Test(pipeline, every_consumer_gets_every_result_in_order, .timeout = 120)
{
    org o;
    org_open(&o);
    seen alone;
    seen_open(&alone, &o);
    nl_consumer one[] = {{record, &alone}};
    cr_assert_eq(nl_pipeline_run(o.ev, o.people, o.order, o.count, 1, one, 1), NL_OK);
    expect_everything_seen(&alone, &alone);

    /* The second consumer starts slowly, so the first comes round the ring to slots still
     * holding results the second has not taken yet. */
    seen first, second, third;
    seen_open(&first, &o);
    seen_open(&second, &o);
    seen_open(&third, &o);
    second.slow_until = 600;
    nl_consumer three[] = {{record, &first}, {record, &second}, {record, &third}};
    cr_assert_eq(nl_pipeline_run(o.ev, o.people, o.order, o.count, 2, three, 3), NL_OK);
    expect_everything_seen(&first, &alone);
    expect_everything_seen(&second, &alone);
    expect_everything_seen(&third, &alone);

    free(alone.readiness);
    free(first.readiness);
    free(second.readiness);
    free(third.readiness);
    org_close(&o);
}

Test(pipeline, a_consumer_that_gives_up_ends_the_run, .timeout = 120)
{
    org o;
    org_open(&o);
    for (unsigned threads = 1; threads <= 2; threads++) {
        for (size_t failing = 0; failing < 2; failing++) {
            seen a, b;
            seen_open(&a, &o);
            seen_open(&b, &o);
            seen *quitter = failing == 0 ? &a : &b;
            quitter->fail_at = 1000;
            nl_consumer both[] = {{record, &a}, {record, &b}};
            cr_assert_eq(nl_pipeline_run(o.ev, o.people, o.order, o.count, threads, both, 2),
                         NL_ERR_NOMEM, "threads %u, consumer %zu failing", threads, failing);
            cr_assert_eq(quitter->calls, 1001, "threads %u: %zu calls", threads, quitter->calls);
            cr_assert_not(quitter->called_after_failing);
            cr_assert(a.in_order && b.in_order && a.right_person && b.right_person);
            free(a.readiness);
            free(b.readiness);
        }
    }
    org_close(&o);
}

Test(pipeline, refuses_no_consumers)
{
    cr_assert_eq(nl_pipeline_run(NULL, NULL, NULL, 0, 2, NULL, 0), NL_ERR_ARGUMENT);
}
