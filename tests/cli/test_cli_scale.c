/* Scale (issue 16, item 7): `diff` of many people, templates of many levels or skills, a
 * framework wider than a workbook's columns, and a huge cell in a column the template does not
 * use. Everything is generated at run time; each test bounds its time with a timeout that the
 * quadratic code before it overran (the figures are in the test comments). */
#include "test_support.h"

#include <criterion/criterion.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>

#define RUN(...) nl_test_run((const char *[]){__VA_ARGS__, NULL})

/* AddressSanitizer makes everything about three times slower; the quadratic code before
 * these changes was slower still by far more (e.g. 16,000 skills: 9 s without it). */
#if defined(__SANITIZE_ADDRESS__)
#define SLOWDOWN 3
#else
#define SLOWDOWN 1
#endif

/* A growing text buffer for generated files. */
typedef struct text {
    char *s;
    size_t len, cap;
} text;

static void add(text *t, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void add(text *t, const char *fmt, ...)
{
    for (;;) {
        va_list ap;
        va_start(ap, fmt);
        int n = vsnprintf(t->s ? t->s + t->len : NULL, t->s ? t->cap - t->len : 0, fmt, ap);
        va_end(ap);
        cr_assert(n >= 0);
        if (t->s != NULL && t->len + (size_t)n < t->cap) {
            t->len += (size_t)n;
            return;
        }
        t->cap = (t->cap + (size_t)n + 1) * 2;
        t->s = realloc(t->s, t->cap);
        cr_assert_not_null(t->s);
    }
}

/* A template with skills s1..sS (two families) and levels L1 -> ... -> LL, each expecting 3 of
 * every skill (what bench/gen_ladder.py writes). Returns its path. */
static char *write_ladder(size_t levels, size_t skills)
{
    text t = {0};
    add(&t, "[framework]\nname = Generated\nscale = 1..5\n\n[columns]\nid = Employee ID\n"
            "name = Full name\nlevel = Level\n\n");
    for (size_t s = 1; s <= skills; s++)
        add(&t, "[skill s%zu]\nname = Skill %zu\nfamily = %s\n\n", s, s,
            s % 2 ? "technical" : "soft");
    for (size_t l = 1; l <= levels; l++) {
        add(&t, "[level L%zu]\ntitle = Level %zu\n%s", l, l, l == 1 ? "entry = yes\n" : "");
        if (l < levels)
            add(&t, "next = L%zu\n", l + 1);
        add(&t, "expectations = s1:3");
        for (size_t s = 2; s <= skills; s++)
            add(&t, "%ss%zu:3", s % 16 == 1 ? "\n    " : ", ", s);
        add(&t, "\n\n");
    }
    add(&t, "[priorities even]\ntechnical = 1\nsoft = 1\n\n[gate tech_bar]\n"
            "kind = meets_expectations\nfamilies = technical\nseverity = hard\n");
    char *path = nl_test_write_temp(".ini", t.s, t.len);
    free(t.s);
    return path;
}

/* ---- diff ---- */

/* Two result files of n people each, "P<i>" in the first and "P<i+1>" in the second, every
 * third person's outcome changed. */
static char *write_people(size_t n, size_t shift, bool changed)
{
    text t = {0};
    add(&t, "{\"people\": [\n");
    for (size_t i = 0; i < n; i++)
        add(&t, "%s{\"id\": \"P%zu\", \"name\": \"N%zu\", \"team\": \"T\", \"outcome\": \"%s\"}",
            i ? ",\n" : "", i + shift, i + shift,
            changed && (i + shift) % 3 == 0 ? "Developing" : "Ready now");
    add(&t, "\n]}\n");
    char *path = nl_test_write_temp(".json", t.s, t.len);
    free(t.s);
    return path;
}

/* 20,000 people took 27 s (each person searched for in the other file) and now a fraction of
 * a second. */
Test(scale, diff_of_twenty_thousand_people_is_linear, .timeout = 12 * SLOWDOWN)
{
    char *old_json = write_people(20000, 0, false), *new_json = write_people(20000, 1, true);
    nl_run run = RUN("diff", old_json, new_json);
    cr_assert_eq(run.exit_code, 0, "%s", run.err);
    /* New: P1..P20000, of which P20000 is new; every third (i % 3 == 0) changed: 6,666 of
     * P1..P19999; P0 left. */
    cr_assert(nl_test_contains(run.out, "6666 changed outcome, 13333 unchanged, 1 new, 1 left\n"),
              "%.400s", run.out);
    cr_assert(nl_test_contains(run.out, "P3 N3 (T): Ready now -> Developing\n"));
    cr_assert(nl_test_contains(run.out, "P20000 N20000 (T): new, Ready now\n"));
    cr_assert(nl_test_contains(run.out, "P0 N0 (T): left, was Ready now\n"));
    nl_run_free(&run);
    nl_test_remove(old_json);
    nl_test_remove(new_json);
}

/* The first person with an id is the one matched, as before the index. */
Test(scale, diff_matches_the_first_of_a_duplicated_id)
{
    static const char old_text[] = "{\"people\": [{\"id\": \"D\", \"name\": \"First\", \"team\": "
                                   "\"T\", \"outcome\": \"Ready now\"}, {\"id\": \"D\", \"name\": "
                                   "\"Second\", \"team\": \"T\", \"outcome\": \"Developing\"}]}";
    static const char new_text[] = "{\"people\": [{\"id\": \"D\", \"name\": \"Now\", \"team\": "
                                   "\"T\", \"outcome\": \"Developing\"}]}";
    char *old_json = nl_test_write_temp(".json", old_text, strlen(old_text));
    char *new_json = nl_test_write_temp(".json", new_text, strlen(new_text));
    nl_run run = RUN("diff", old_json, new_json);
    cr_assert_eq(run.exit_code, 0, "%s", run.err);
    cr_assert_str_eq(run.out, "D Now (T): Ready now -> Developing\n"
                              "1 changed outcome, 0 unchanged, 0 new, 0 left\n");
    nl_run_free(&run);
    nl_test_remove(old_json);
    nl_test_remove(new_json);
}

/* ---- templates ---- */

/* 10,000 levels took 6 to 18 s to check (every section compared with every earlier one,
 * levels searched one by one) and 10,000 skills 9 to 38 s, growing with the square; 20,000
 * levels and 16,000 skills take about a second now. */
Test(scale, a_template_of_twenty_thousand_levels_loads_in_seconds, .timeout = 10 * SLOWDOWN)
{
    char *ini = write_ladder(20000, 4);
    nl_run run = RUN("check", ini);
    cr_assert_eq(run.exit_code, 0, "%s%s", run.out, run.err);
    cr_assert(nl_test_contains(run.out, "result: usable, 0 warnings"), "%.600s", run.out);
    nl_run_free(&run);
    nl_test_remove(ini);
}

Test(scale, a_template_of_sixteen_thousand_skills_loads_in_seconds, .timeout = 10 * SLOWDOWN)
{
    char *ini = write_ladder(3, 16000);
    nl_run run = RUN("check", ini);
    cr_assert_eq(run.exit_code, 0, "%s%s", run.out, run.err);
    cr_assert(nl_test_contains(run.out, "result: usable, 0 warnings"), "%.600s", run.out);
    nl_run_free(&run);
    nl_test_remove(ini);
}

/* A duplicated level is still named with the line of the first, through the map. */
Test(scale, a_duplicated_level_names_the_first_line)
{
    static const char ini[] =
        "[framework]\nname = D\nscale = 1..5\n\n[skill a]\nname = A\nfamily = t\n\n"
        "[level X]\ntitle = X\nexpectations = a:3\n\n[level X]\ntitle = Y\nexpectations = a:4\n\n"
        "[priorities p]\nt = 1\n";
    char *path = nl_test_write_temp(".ini", ini, strlen(ini));
    nl_run run = RUN("check", path);
    cr_assert_eq(run.exit_code, 3, "%s%s", run.out, run.err);
    cr_assert(nl_test_contains(run.err, ":13: error: duplicated id: [level X] is already "
                                        "defined on line 9"),
              "%s%s", run.out, run.err);
    nl_run_free(&run);
    nl_test_remove(path);
}

/* ---- a framework wider than the workbook ---- */

/* 16,400 skills ran for 63 s, then failed writing Skill gaps (exit 4); now both commands
 * refuse the template at once. */
Test(scale, more_skills_than_the_workbook_has_columns_are_refused_up_front,
     .timeout = 15 * SLOWDOWN)
{
    char *ini = write_ladder(2, 16400);
    /* The matrix is never read: the template is refused first (before, its three people
     * were evaluated against 16,400 skills, every one not assessed). */
    static const char csv[] = "Employee ID,Full name,Level\nP1,Person 1,L1\nP2,Person 2,L1\n";
    char *matrix = nl_test_write_temp(".csv", csv, strlen(csv));
    char *dir = nl_test_temp_dir();
    char *out = nl_test_path_in(dir, "r.xlsx");
    const char *expected = "the template has 16400 skills, more than the 16375 a workbook can "
                           "show";
    nl_run run = RUN("check", ini);
    cr_assert_eq(run.exit_code, 3, "%.300s%s", run.out, run.err);
    cr_assert(nl_test_contains(run.err, expected), "%.600s", run.err);
    nl_run_free(&run);
    run = RUN("evaluate", "-q", "--template", ini, "--out", out, matrix);
    cr_assert_eq(run.exit_code, 3, "%s", run.err);
    cr_assert(nl_test_contains(run.err, expected), "%s", run.err);
    cr_assert(nl_test_contains(run.err, "split the framework into several templates"), "%s",
              run.err);
    cr_assert_eq(nl_test_count_entries(dir), 0, "nothing is written");
    nl_run_free(&run);
    free(out);
    nl_test_remove_tree(dir);
    nl_test_remove(matrix);
    nl_test_remove(ini);
}

/* ---- a huge cell in an unused column ---- */

/* A 64 MiB note in a column the template does not read: the reader held it twice (libcsv's
 * buffer and its own copy, about 135 MB at peak); now only libcsv's copy is held. */
NL_ENV_TEST(scale, a_huge_cell_in_an_unused_column_is_not_copied, .timeout = 30)
{
#if defined(__SANITIZE_ADDRESS__)
    nl_test_skip_env("AddressSanitizer's shadow memory and quarantine distort peak memory");
#endif
    size_t big = (size_t)64 << 20;
    static const char header[] = "Employee ID,Full name,Level,Notes,Coding\n";
    char *data = malloc(big + 256);
    cr_assert_not_null(data);
    size_t n = (size_t)sprintf(data, "%sQ1,Big,L2,", header);
    memset(data + n, 'x', big);
    n += big;
    n += (size_t)sprintf(data + n, ",3\nQ2,Small,L2,short,4\n");
    char *csv = nl_test_write_temp(".csv", data, n);
    free(data);
    static const char ini[] =
        "[framework]\nname = N\nscale = 1..5\n\n[columns]\nid = Employee ID\n"
        "name = Full name\nlevel = Level\n\n[skill coding]\nname = Coding\n"
        "family = technical\n\n[level L2]\ntitle = Two\nexpectations = coding:3\n\n"
        "[priorities p]\ntechnical = 1\n";
    char *template = nl_test_write_temp(".ini", ini, strlen(ini));
    nl_run run = RUN("inspect", "--template", template, csv);
    cr_assert_eq(run.exit_code, 0, "%s%s", run.out, run.err);
    cr_assert(nl_test_contains(run.out, "people accepted: 2, rows rejected: 0"), "%.500s", run.out);
    nl_run_free(&run);
    struct rusage usage;
    cr_assert_eq(getrusage(RUSAGE_CHILDREN, &usage), 0);
    long peak_mib = usage.ru_maxrss / 1024;
    /* The cell once (64 MiB) and the program (a few MiB); twice would be over 128. */
    cr_assert(peak_mib < 100, "peak %ld MiB for a 64 MiB cell", peak_mib);
    nl_test_remove(csv);
    nl_test_remove(template);
}

/* ---- diff's memory ---- */

/* 2,000 people with a 20 KB reason each: about 40 MB of JSON a file. Read whole, both files
 * peaked at 84 MiB; one person at a time, a few MiB. */
NL_ENV_TEST(scale, diff_holds_one_person_at_a_time, .timeout = 30 * SLOWDOWN)
{
#if defined(__SANITIZE_ADDRESS__)
    nl_test_skip_env("AddressSanitizer's shadow memory and quarantine distort peak memory");
#endif
    char *paths[2];
    for (int f = 0; f < 2; f++) {
        text t = {0};
        add(&t, "{\"tool\": \"nextlevel\", \"people\": [\n");
        for (int i = 0; i < 2000; i++) {
            add(&t,
                "%s{\"id\": \"P%d\", \"name\": \"N\", \"team\": \"T\", \"outcome\": \"%s\", "
                "\"reasons\": \"",
                i ? ",\n" : "", i, f == 1 && i % 100 == 0 ? "Developing" : "Ready now");
            for (int k = 0; k < 2000; k++)
                add(&t, "gate %04d ", k);
            add(&t, "\"}");
        }
        add(&t, "\n]}\n");
        paths[f] = nl_test_write_temp(".json", t.s, t.len);
        free(t.s);
    }
    nl_run run = RUN("diff", paths[0], paths[1]);
    cr_assert_eq(run.exit_code, 0, "%s", run.err);
    cr_assert(nl_test_contains(run.out, "P100 N (T): Ready now -> Developing\n"));
    cr_assert(nl_test_contains(run.out, "20 changed outcome, 1980 unchanged, 0 new, 0 left\n"),
              "%.300s", run.out);
    nl_run_free(&run);
    struct rusage usage;
    cr_assert_eq(getrusage(RUSAGE_CHILDREN, &usage), 0);
    long peak_mib = usage.ru_maxrss / 1024;
    cr_assert(peak_mib < 30, "peak %ld MiB for two 40 MB files", peak_mib);
    nl_test_remove(paths[0]);
    nl_test_remove(paths[1]);
}

/* What the one-at-a-time reader does not take (here "people" given twice, where jansson keeps
 * the last) is read whole, as before. */
Test(scale, diff_reads_an_unusual_file_whole)
{
    static const char old_text[] = "{\"people\": [{\"id\": \"A\", \"outcome\": \"X\"}],\n"
                                   " \"people\": [{\"id\": \"B\", \"name\": \"Bo\", \"team\": "
                                   "\"T\", \"outcome\": \"Y\"}]}\n";
    static const char new_text[] = "{\"people\": [{\"id\": \"B\", \"name\": \"Bo\", \"team\": "
                                   "\"T\", \"outcome\": \"Z\"}]}\n";
    char *old_json = nl_test_write_temp(".json", old_text, strlen(old_text));
    char *new_json = nl_test_write_temp(".json", new_text, strlen(new_text));
    nl_run run = RUN("diff", old_json, new_json);
    cr_assert_eq(run.exit_code, 0, "%s", run.err);
    cr_assert_str_eq(run.out, "B Bo (T): Y -> Z\n"
                              "1 changed outcome, 0 unchanged, 0 new, 0 left\n");
    nl_run_free(&run);
    nl_test_remove(old_json);
    nl_test_remove(new_json);
}
