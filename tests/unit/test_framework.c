/* The template loader: the shipped templates, every error kind with the line it is reported
 * on, the lint warnings, and score parsing against a scale and its labels. */
#include "nextlevel/framework.h"

#include "test_support.h"

#include <criterion/criterion.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- helpers ---- */

typedef struct loaded {
    nl_framework *fw;
    nl_status status;
    nl_error err;
    char *path;
    const char *text;
} loaded;

static loaded load_text(const char *text)
{
    loaded l = {.text = text};
    l.path = nl_test_write_temp(".ini", text, strlen(text));
    cr_assert_not_null(l.path);
    l.status = nl_framework_load(l.path, &l.fw, &l.err);
    return l;
}

static void unload(loaded *l)
{
    nl_framework_free(l->fw);
    nl_test_remove(l->path);
    memset(l, 0, sizeof *l);
}

/* 1-based line of the nth (1-based) occurrence of needle in text. */
static long line_of_nth(const char *text, const char *needle, int nth)
{
    const char *at = text;
    for (int i = 0; i < nth; i++) {
        at = strstr(i == 0 ? at : at + 1, needle);
        cr_assert_not_null(at, "'%s' not found %d times in the test template", needle, nth);
    }
    long line = 1;
    for (const char *p = text; p < at; p++)
        line += *p == '\n';
    return line;
}

static long line_of(const char *text, const char *needle)
{
    return line_of_nth(text, needle, 1);
}

static void dump_diags(const nl_framework *fw, char *buf, size_t size)
{
    size_t n = 0;
    buf[0] = '\0';
    for (size_t i = 0; fw != NULL && i < fw->diags.count && n + 1 < size; i++) {
        const nl_diag *d = &fw->diags.items[i];
        n += (size_t)snprintf(buf + n, size - n, "\n  %s:%ld:%ld: %s: %s", d->path, d->line,
                              d->column, d->severity == NL_DIAG_ERROR ? "error" : "warning",
                              d->message);
    }
}

/* Asserts a finding with this path, severity, line, column (-1: any) and message part. */
static void expect_diag_in(const loaded *l, const char *path, nl_diag_severity severity, long line,
                           long column, const char *part)
{
    cr_assert_not_null(l->fw, "no framework returned (status %d: %s)", l->status, l->err.message);
    for (size_t i = 0; i < l->fw->diags.count; i++) {
        const nl_diag *d = &l->fw->diags.items[i];
        if (d->severity == severity && d->line == line && (column < 0 || d->column == column) &&
            strcmp(d->path, path) == 0 && strstr(d->message, part) != NULL)
            return;
    }
    char all[4096];
    dump_diags(l->fw, all, sizeof all);
    cr_assert_fail("no %s at %s:%ld containing '%s'; findings:%s",
                   severity == NL_DIAG_ERROR ? "error" : "warning", path, line, part, all);
}

static void expect_error(const loaded *l, long line, const char *part)
{
    expect_diag_in(l, l->path, NL_DIAG_ERROR, line, -1, part);
    cr_assert_eq(l->status, NL_ERR_TEMPLATE, "an error must fail the load (status %d)", l->status);
}

static void expect_warning(const loaded *l, long line, const char *part)
{
    expect_diag_in(l, l->path, NL_DIAG_WARNING, line, -1, part);
}

static void expect_counts(const loaded *l, size_t errors, size_t warnings)
{
    cr_assert_not_null(l->fw);
    char all[4096];
    dump_diags(l->fw, all, sizeof all);
    cr_assert_eq(l->fw->diags.errors, errors, "%zu errors, expected %zu:%s", l->fw->diags.errors,
                 errors, all);
    cr_assert_eq(l->fw->diags.count - l->fw->diags.errors, warnings,
                 "%zu warnings, expected %zu:%s", l->fw->diags.count - l->fw->diags.errors,
                 warnings, all);
}

/* Loads text, expects exactly one error, on the line of needle, containing part. */
static void expect_single_error(const char *text, const char *needle, const char *part)
{
    loaded l = load_text(text);
    expect_error(&l, line_of(text, needle), part);
    expect_counts(&l, 1, 0);
    unload(&l);
}

/* A small valid template, assembled from parts so that each test can swap one. */
#define T_FRAMEWORK                                                                                \
    "[framework]\n"                                                                                \
    "name = Test ladder\n"                                                                         \
    "scale = 1..5\n"                                                                               \
    "labels = 1:Novice, 3:Proficient, 5:Expert\n"
#define T_SKILLS                                                                                   \
    "\n[skill coding]\n"                                                                           \
    "name = Coding\n"                                                                              \
    "family = technical\n"                                                                         \
    "\n[skill talking]\n"                                                                          \
    "name = Talking things through\n"                                                              \
    "family = soft\n"
#define T_LEVELS                                                                                   \
    "\n[level L1]\n"                                                                               \
    "title = Junior\n"                                                                             \
    "next = L2\n"                                                                                  \
    "expectations = coding:2, talking:2\n"                                                         \
    "\n[level L2]\n"                                                                               \
    "title = Senior\n"                                                                             \
    "expectations = coding:4, talking:3\n"
#define T_PROFILE                                                                                  \
    "\n[priorities balanced]\n"                                                                    \
    "technical = 1\n"                                                                              \
    "soft = 1\n"
#define T_GATE                                                                                     \
    "\n[gate bar]\n"                                                                               \
    "kind = meets_expectations\n"                                                                  \
    "severity = hard\n"
#define T_VALID T_FRAMEWORK T_SKILLS T_LEVELS T_PROFILE T_GATE

/* ---- the shipped templates ---- */

Test(templates, engineering_ic_loads_clean)
{
    nl_framework *fw = NULL;
    nl_error err = {0};
    nl_status status = nl_framework_load(nl_test_path("templates/engineering-ic.ini"), &fw, &err);
    cr_assert_eq(status, NL_OK, "%s:%ld: %s", err.path, err.line, err.message);
    cr_assert_eq(fw->diags.count, 0, "first finding: %s",
                 fw->diags.count ? fw->diags.items[0].message : "");
    cr_assert_str_eq(fw->name, "Engineering ladder (IC and manager track)");
    cr_assert_eq(fw->scale_min, 1);
    cr_assert_eq(fw->scale_max, 5);
    cr_assert_eq(fw->skill_count, 13);
    cr_assert_eq(fw->level_count, 8);
    cr_assert_eq(fw->gate_count, 8);
    cr_assert_eq(fw->profile_count, 3);
    cr_assert_eq(fw->attribute_count, 2);
    cr_assert_eq(fw->family_count, 3);
    cr_assert_eq(fw->label_count, 5);
    cr_assert_eq(fw->aggregate, NL_AGG_ROLES);
    cr_assert_eq(fw->role_weight_count, 3);
    cr_assert_str_eq(fw->role_weights[0].role, "manager");
    cr_assert_float_eq(fw->role_weights[0].weight, 0.5, 1e-12);
    cr_assert_str_eq(fw->profiles[fw->default_profile].name, "balanced");
    cr_assert_str_eq(fw->columns[NL_FIELD_ID], "Employee ID");
    cr_assert_str_eq(fw->columns[NL_FIELD_MONTHS], "Months in level");

    /* L3 branches into two tracks: L4 (Staff) and M1 (Engineering Manager). */
    size_t l3, l4, m1, l6;
    cr_assert(nl_framework_find_level(fw, "L3", &l3));
    cr_assert(nl_framework_find_level(fw, "L4", &l4));
    cr_assert(nl_framework_find_level(fw, "M1", &m1));
    cr_assert(nl_framework_find_level(fw, "L6", &l6));
    cr_assert_eq(fw->levels[l3].next_count, 2);
    cr_assert_eq(fw->levels[l3].next[0], l4);
    cr_assert_eq(fw->levels[l3].next[1], m1);
    cr_assert_eq(fw->levels[l6].next_count, 0, "L6 is the top of the IC track");
    cr_assert_str_eq(fw->levels[l3].title, "Senior Engineer");

    /* Expectations given over three continuation lines. */
    size_t coding, mentoring, influence;
    cr_assert(nl_framework_find_skill(fw, "coding", &coding));
    cr_assert(nl_framework_find_skill(fw, "mentoring", &mentoring));
    cr_assert(nl_framework_find_skill(fw, "influence", &influence));
    cr_assert_eq(fw->levels[l3].expected[coding], 4);
    cr_assert_eq(fw->levels[m1].expected[mentoring], 4);
    cr_assert_eq(fw->levels[l6].expected[influence], 5);

    /* Lookups by name or title ignore case, spaces and underscores. */
    size_t index;
    cr_assert(nl_framework_find_skill(fw, "SYSTEM design", &index));
    cr_assert_str_eq(fw->skills[index].id, "system_design");
    cr_assert(nl_framework_find_skill(fw, "Stakeholder_Management", &index));
    cr_assert_str_eq(fw->skills[index].id, "stakeholder_management");
    cr_assert(nl_framework_find_level(fw, "senior engineer", &index));
    cr_assert_eq(index, l3);
    cr_assert_not(nl_framework_find_level(fw, "L9", &index));
    cr_assert(nl_framework_find_family(fw, "impact", &index));
    cr_assert_not(nl_framework_find_family(fw, "Impact", &index), "families match exactly");
    cr_assert(nl_framework_find_profile(fw, "people_first", &index));

    /* Gates in file order, with their parameters. */
    cr_assert_str_eq(fw->gates[0].id, "technical_bar");
    cr_assert_eq(fw->gates[1].kind, NL_GATE_MEETS_EXPECTATIONS);
    cr_assert_eq(fw->gates[1].severity, NL_SOFT);
    cr_assert_float_eq(fw->gates[1].tolerance, 0.5, 1e-12);
    cr_assert_not_null(fw->gates[1].mitigation);
    cr_assert_eq(fw->gates[2].kind, NL_GATE_FLOOR);
    cr_assert_eq(fw->gates[2].threshold, 2);
    cr_assert_eq(fw->gates[7].kind, NL_GATE_ATTRIBUTE);
    cr_assert_eq(fw->gates[7].op, NL_CMP_GE);
    cr_assert_eq(fw->gates[7].threshold, 3);
    cr_assert_str_eq(fw->attributes[fw->gates[7].attribute].id, "visibility");
    nl_framework_free(fw);
}

Test(templates, engineering_manager_loads_its_expectations_grid)
{
    nl_framework *fw = NULL;
    nl_error err = {0};
    nl_status status =
        nl_framework_load(nl_test_path("templates/engineering-manager.ini"), &fw, &err);
    cr_assert_eq(status, NL_OK, "%s:%ld: %s", err.path, err.line, err.message);
    cr_assert_eq(fw->diags.count, 0, "first finding: %s",
                 fw->diags.count ? fw->diags.items[0].message : "");
    cr_assert_eq(fw->skill_count, 13);
    cr_assert_eq(fw->level_count, 4);
    cr_assert_eq(fw->gate_count, 10);
    cr_assert_eq(fw->profile_count, 3);
    cr_assert_eq(fw->family_count, 4);
    cr_assert_eq(fw->missing_rule, NL_MISSING_SKIP);
    cr_assert_eq(fw->aggregate, NL_AGG_MEAN);
    cr_assert(
        nl_test_contains(fw->expectations_path, "templates/engineering-manager-expectations.csv"),
        "%s", fw->expectations_path);

    size_t em1, em2, em4, judgement, strategy, budgeting, org_design;
    cr_assert(nl_framework_find_level(fw, "EM1", &em1));
    cr_assert(nl_framework_find_level(fw, "EM2", &em2));
    cr_assert(nl_framework_find_level(fw, "EM4", &em4));
    cr_assert(nl_framework_find_skill(fw, "technical_judgement", &judgement));
    cr_assert(nl_framework_find_skill(fw, "strategy", &strategy));
    cr_assert(nl_framework_find_skill(fw, "budgeting", &budgeting));
    cr_assert(nl_framework_find_skill(fw, "org_design", &org_design));
    /* Grid cells: "Advanced" (a label) = 4, "Proficient" = 3, plain numbers. */
    cr_assert_eq(fw->levels[em1].expected[judgement], 4);
    cr_assert_eq(fw->levels[em2].expected[strategy], 3);
    cr_assert_eq(fw->levels[em1].expected[budgeting], 1);
    cr_assert_eq(fw->levels[em4].expected[org_design], 5);
    for (size_t l = 0; l < fw->level_count; l++)
        for (size_t s = 0; s < fw->skill_count; s++)
            cr_assert_not(isnan(fw->levels[l].expected[s]), "%s has no expectation for %s",
                          fw->levels[l].id, fw->skills[s].id);

    /* Priority profile with a skill weight. */
    size_t scale_up, hiring, leadership;
    cr_assert(nl_framework_find_profile(fw, "scale_up", &scale_up));
    cr_assert(nl_framework_find_skill(fw, "hiring", &hiring));
    cr_assert(nl_framework_find_family(fw, "leadership", &leadership));
    cr_assert_float_eq(fw->profiles[scale_up].family_weight[leadership], 0.5, 1e-12);
    cr_assert_eq(fw->profiles[scale_up].skill_weight[hiring], 2);
    cr_assert_eq(fw->profiles[scale_up].skill_weight[strategy], 1);
    nl_framework_free(fw);
}

Test(templates, labels_and_score_parsing)
{
    nl_framework *fw = NULL;
    nl_error err = {0};
    cr_assert_eq(nl_framework_load(nl_test_path("templates/engineering-ic.ini"), &fw, &err), NL_OK);
    cr_assert_eq(fw->labels[1].value, 2);
    cr_assert_str_eq(fw->labels[1].text, "Advanced beginner");
    cr_assert_str_eq(nl_framework_label(fw, 3), "Proficient");
    cr_assert_str_eq(nl_framework_label(fw, 5), "Expert");
    cr_assert_null(nl_framework_label(fw, 3.5));

    double score = -1;
    cr_assert(nl_framework_parse_score(fw, 0, "proficient", false, &score));
    cr_assert_eq(score, 3);
    cr_assert(nl_framework_parse_score(fw, 0, "  EXPERT ", false, &score));
    cr_assert_eq(score, 5);
    cr_assert(nl_framework_parse_score(fw, 0, "advanced BEGINNER", false, &score));
    cr_assert_eq(score, 2);
    cr_assert(nl_framework_parse_score(fw, 0, "3.5", false, &score));
    cr_assert_eq(score, 3.5);
    cr_assert(nl_framework_parse_score(fw, 0, "1", false, &score));
    cr_assert_eq(score, 1);
    cr_assert(nl_framework_parse_score(fw, 0, "5", false, &score));
    cr_assert_eq(score, 5);
    cr_assert(nl_framework_parse_score(fw, 0, "4,5", true, &score));
    cr_assert_eq(score, 4.5);
    score = -1;
    cr_assert_not(nl_framework_parse_score(fw, 0, "4,5", false, &score));
    cr_assert_not(nl_framework_parse_score(fw, 0, "0", false, &score), "below the scale");
    cr_assert_not(nl_framework_parse_score(fw, 0, "5.01", false, &score), "above the scale");
    cr_assert_not(nl_framework_parse_score(fw, 0, "7", false, &score));
    cr_assert_not(nl_framework_parse_score(fw, 0, "Excellent", false, &score));
    cr_assert_not(nl_framework_parse_score(fw, 0, "Advanced beginners", false, &score));
    cr_assert_not(nl_framework_parse_score(fw, 0, "", false, &score));
    cr_assert_not(nl_framework_parse_score(fw, 0, "nan", false, &score));
    cr_assert_eq(score, -1);
    nl_framework_free(fw);
}

Test(templates, enum_names)
{
    cr_assert_str_eq(nl_gate_kind_name(NL_GATE_CRITICAL_SKILLS), "critical_skills");
    cr_assert_str_eq(nl_gate_kind_name(NL_GATE_KIND_COUNT), "unknown");
    cr_assert_str_eq(nl_field_name(NL_FIELD_MONTHS), "months_in_level");
    cr_assert_str_eq(nl_compare_name(NL_CMP_LE), "<=");
    cr_assert_str_eq(nl_aggregate_name(NL_AGG_MEDIAN), "median");
}

/* ---- crafted templates: the valid base ---- */

Test(crafted, the_base_template_is_valid)
{
    loaded l = load_text(T_VALID);
    cr_assert_eq(l.status, NL_OK, "%s:%ld: %s", l.err.path, l.err.line, l.err.message);
    expect_counts(&l, 0, 0);
    cr_assert_eq(l.fw->skill_count, 2);
    cr_assert_eq(l.fw->level_count, 2);
    cr_assert(l.fw->levels[0].entry, "the first level is an entry level");
    cr_assert_eq(l.fw->levels[0].next_count, 1);
    cr_assert_eq(l.fw->levels[0].next[0], 1);
    cr_assert_eq(l.fw->levels[1].expected[1], 3);
    cr_assert_str_eq(l.fw->columns[NL_FIELD_LEVEL], "level", "default column names");
    cr_assert_eq(l.fw->aggregate, NL_AGG_MEAN);
    cr_assert_eq(l.fw->missing_rule, NL_MISSING_NOT_EVALUATED);
    unload(&l);
}

Test(crafted, continuation_lines_join_lists_with_commas_and_texts_with_spaces)
{
    static const char text[] = T_FRAMEWORK "description = first part\n"
                                           "    second part\n" T_SKILLS "\n[level L1]\n"
                                           "title = Junior\n"
                                           "next = L2\n"
                                           "expectations = coding:2\n"
                                           "    talking:Proficient\n"
                                           "\n[level L2]\n"
                                           "title = Senior\n"
                                           "expectations = coding:4,\n"
                                           "\ttalking:5\n" T_PROFILE T_GATE;
    loaded l = load_text(text);
    cr_assert_eq(l.status, NL_OK, "%s:%ld: %s", l.err.path, l.err.line, l.err.message);
    expect_counts(&l, 0, 0);
    cr_assert_str_eq(l.fw->description, "first part second part");
    cr_assert_eq(l.fw->levels[0].expected[0], 2);
    cr_assert_eq(l.fw->levels[0].expected[1], 3, "a label as expectation");
    cr_assert_eq(l.fw->levels[1].expected[0], 4);
    cr_assert_eq(l.fw->levels[1].expected[1], 5);
    unload(&l);
}

Test(crafted, colon_keys_comments_and_inline_comments)
{
    static const char text[] = "# a comment\n"
                               "; another\n"
                               "[framework]\n"
                               "name: Colon ladder ; an inline comment\n"
                               "scale = 1..4\n" T_SKILLS T_LEVELS T_PROFILE T_GATE;
    loaded l = load_text(text);
    cr_assert_eq(l.status, NL_OK, "%s:%ld: %s", l.err.path, l.err.line, l.err.message);
    cr_assert_str_eq(l.fw->name, "Colon ladder");
    cr_assert_eq(l.fw->scale_max, 4);
    unload(&l);
}

Test(crafted, a_utf8_bom_and_crlf_line_ends_are_fine)
{
    /* What Notepad on Windows saves: a BOM, then CRLF line ends. */
    static const char text[] = "\xEF\xBB\xBF# Saved by Notepad: note the colon\r\n"
                               "[framework]\r\nname = Windows ladder\r\nscale = 1..5\r\n"
                               "[skill coding]\r\nname = Coding\r\nfamily = technical\r\n"
                               "[level L1]\r\ntitle = Junior\r\nnext = L2\r\n"
                               "expectations = coding:2\r\n"
                               "[level L2]\r\ntitle = Senior\r\nexpectations = coding:4\r\n"
                               "[priorities p]\r\ntechnical = 1\r\n";
    loaded l = load_text(text);
    cr_assert_eq(l.status, NL_OK, "%s:%ld: %s", l.err.path, l.err.line, l.err.message);
    expect_counts(&l, 0, 0);
    cr_assert_str_eq(l.fw->name, "Windows ladder");
    cr_assert_eq(l.fw->levels[1].expected[0], 4);
    unload(&l);
    static const char section_first[] =
        "\xEF\xBB\xBF[framework]\nname = x\nscale = 1..5\n" T_SKILLS T_LEVELS T_PROFILE T_GATE;
    l = load_text(section_first);
    cr_assert_eq(l.status, NL_OK, "%s:%ld: %s", l.err.path, l.err.line, l.err.message);
    unload(&l);
}

Test(crafted, the_first_error_names_file_and_line)
{
    static const char text[] =
        T_FRAMEWORK "colour = blue\n" T_SKILLS "shape = round\n" T_LEVELS T_PROFILE T_GATE;
    loaded l = load_text(text);
    cr_assert_eq(l.status, NL_ERR_TEMPLATE);
    cr_assert_not_null(l.fw, "a framework is returned so that check can list every finding");
    cr_assert_eq(l.err.status, NL_ERR_TEMPLATE);
    cr_assert_str_eq(l.err.path, l.path);
    cr_assert_eq(l.err.line, line_of(text, "colour"));
    cr_assert(nl_test_contains(l.err.message, "unknown key 'colour' in [framework]"), "%s",
              l.err.message);
    cr_assert(nl_test_contains(l.err.message, "and 1 more error"), "%s", l.err.message);
    expect_error(&l, line_of(text, "shape"), "unknown key 'shape' in [skill talking]");
    /* Findings are sorted by line. */
    cr_assert_lt(l.fw->diags.items[0].line, l.fw->diags.items[1].line);
    unload(&l);
}

Test(crafted, a_missing_template_is_an_io_error)
{
    nl_framework *fw = (nl_framework *)0x1;
    nl_error err = {0};
    cr_assert_eq(nl_framework_load("/nonexistent/t.ini", &fw, &err), NL_ERR_IO);
    cr_assert_null(fw);
    cr_assert_str_eq(err.path, "/nonexistent/t.ini");
    cr_assert(nl_test_contains(err.message, "No such file"), "%s", err.message);
}

/* ---- syntax errors ---- */

Test(errors, unknown_section)
{
    expect_single_error(T_VALID "\n[team platform]\nname = x\n", "[team platform]",
                        "unknown section [team platform]");
}

Test(errors, unknown_key)
{
    expect_single_error(T_FRAMEWORK T_SKILLS "colour = red\n" T_LEVELS T_PROFILE T_GATE, "colour",
                        "unknown key 'colour' in [skill talking]");
}

Test(errors, a_line_that_is_not_key_value)
{
    expect_single_error(T_FRAMEWORK "just some words\n" T_SKILLS T_LEVELS T_PROFILE T_GATE,
                        "just some", "expected '[section]', 'key = value' or a comment");
}

Test(errors, a_section_header_without_closing_bracket)
{
    static const char text[] = T_VALID "\n[skill broken\nname = x\n";
    loaded l = load_text(text);
    expect_error(&l, line_of(text, "[skill broken"), "without a closing ']'");
    unload(&l);
}

Test(errors, a_key_before_any_section)
{
    static const char text[] = "stray = 1\n" T_VALID;
    loaded l = load_text(text);
    expect_error(&l, 1, "before the first [section]");
    unload(&l);
}

Test(errors, duplicated_key)
{
    static const char text[] =
        T_FRAMEWORK "name = Second name\n" T_SKILLS T_LEVELS T_PROFILE T_GATE;
    loaded l = load_text(text);
    char part[128];
    snprintf(part, sizeof part, "'name' is given twice in [framework] (first on line %ld)",
             line_of(text, "name = Test"));
    expect_error(&l, line_of(text, "name = Second"), part);
    expect_counts(&l, 1, 0);
    cr_assert_str_eq(l.fw->name, "Test ladder", "the first value stays");
    unload(&l);
}

Test(errors, duplicated_section_id)
{
    static const char text[] = T_VALID "\n[skill coding]\nname = Coding again\nfamily = soft\n";
    loaded l = load_text(text);
    char part[128];
    snprintf(part, sizeof part, "duplicated id: [skill coding] is already defined on line %ld",
             line_of(text, "[skill coding]"));
    expect_error(&l, line_of_nth(text, "[skill coding]", 2), part);
    expect_counts(&l, 1, 0); /* its keys are not reported again as unknown */
    cr_assert_eq(l.fw->skill_count, 2);
    cr_assert_eq(l.fw->families[l.fw->skills[0].family][0], 't', "the first definition stays");
    unload(&l);
}

Test(errors, duplicated_section_id_with_other_spacing)
{
    static const char text[] = T_VALID "\n[skill   coding]\nname = Coding again\nfamily = soft\n";
    loaded l = load_text(text);
    expect_error(&l, line_of(text, "[skill   coding]"), "is already defined on line");
    expect_counts(&l, 1, 0);
    cr_assert_eq(l.fw->skill_count, 2);
    unload(&l);
}

Test(errors, framework_section_given_twice)
{
    static const char text[] = T_VALID "\n[framework]\n";
    loaded l = load_text(text);
    expect_error(&l, line_of_nth(text, "[framework]", 2), "[framework] is given more than once");
    unload(&l);
}

Test(errors, no_framework_section)
{
    static const char text[] = T_SKILLS T_LEVELS T_PROFILE T_GATE;
    loaded l = load_text(text);
    expect_error(&l, 0, "no [framework] section");
    unload(&l);
}

/* The format allows 199 characters on a line. */
static char *template_with_line_of(size_t length, const char *line_end)
{
    static const char prefix[] = "description = ";
    char line[512];
    memcpy(line, prefix, sizeof prefix - 1);
    memset(line + sizeof prefix - 1, 'x', length - (sizeof prefix - 1));
    line[length] = '\0';
    size_t cap = strlen(T_VALID) + 600;
    char *text = malloc(cap);
    snprintf(text, cap, "[framework]%s%s%sname = Test ladder%sscale = 1..5%s%s", line_end, line,
             line_end, line_end, line_end, T_SKILLS T_LEVELS T_PROFILE T_GATE);
    return text;
}

Test(errors, a_line_of_199_characters_is_fine)
{
    char *text = template_with_line_of(199, "\n");
    loaded l = load_text(text);
    cr_assert_eq(l.status, NL_OK, "%s:%ld: %s", l.err.path, l.err.line, l.err.message);
    cr_assert_eq(strlen(l.fw->description), 199 - strlen("description = "));
    unload(&l);
    free(text);
    text = template_with_line_of(199, "\r\n");
    l = load_text(text);
    cr_assert_eq(l.status, NL_OK, "CRLF: %s:%ld: %s", l.err.path, l.err.line, l.err.message);
    unload(&l);
    free(text);
}

Test(errors, a_line_longer_than_199_characters)
{
    for (size_t length = 200; length <= 260; length += 60) {
        char *text = template_with_line_of(length, "\n");
        loaded l = load_text(text);
        expect_error(&l, 2, "line longer than 199 characters");
        expect_counts(&l, 1, 0);
        cr_assert_null(l.fw->description, "no truncated value is kept");
        cr_assert_str_eq(l.fw->name, "Test ladder", "the next line is read normally");
        unload(&l);
        free(text);
    }
}

/* ---- [framework] values ---- */

Test(errors, missing_name)
{
    expect_single_error("[framework]\nscale = 1..5\n" T_SKILLS T_LEVELS T_PROFILE T_GATE,
                        "[framework]", "[framework] needs 'name'");
}

Test(errors, missing_scale)
{
    expect_single_error("[framework]\nname = x\n" T_SKILLS T_LEVELS T_PROFILE T_GATE, "[framework]",
                        "needs 'scale'");
}

Test(errors, bad_scale)
{
    static const char *const scales[] = {"5..1", "1-5", "1..", "a..b", "3..3", "1,0..5"};
    for (size_t i = 0; i < sizeof scales / sizeof *scales; i++) {
        char text[2048];
        snprintf(text, sizeof text, "[framework]\nname = x\nscale = %s\n%s", scales[i],
                 T_SKILLS T_LEVELS T_PROFILE
                 "\n[gate f]\nkind = floor\nmin_score = 2\nseverity = hard\n");
        loaded l = load_text(text);
        expect_error(&l, 3, "scale must read LOW..HIGH");
        /* Expectations and min_score are not all reported again against a broken scale. */
        expect_counts(&l, 1, 0);
        unload(&l);
    }
}

Test(errors, label_not_score_colon_text)
{
    static const char *const labels[] = {"1:Novice, Expert", "1:Novice, x:Expert", "1:Novice, 5:"};
    for (size_t i = 0; i < sizeof labels / sizeof *labels; i++) {
        char text[2048];
        snprintf(text, sizeof text, "[framework]\nname = x\nscale = 1..5\nlabels = %s\n%s",
                 labels[i], T_SKILLS T_LEVELS T_PROFILE T_GATE);
        loaded l = load_text(text);
        expect_error(&l, 4, "must read SCORE:TEXT");
        expect_counts(&l, 1, 0);
        cr_assert_eq(l.fw->label_count, 1, "the good label stays");
        unload(&l);
    }
}

Test(errors, label_outside_the_scale)
{
    expect_single_error("[framework]\nname = x\nscale = 1..5\nlabels = 9:Legend\n" T_SKILLS T_LEVELS
                            T_PROFILE T_GATE,
                        "labels", "label score 9 is outside the scale");
}

Test(errors, unknown_choice_values)
{
    expect_single_error(T_FRAMEWORK "aggregate = average\n" T_SKILLS T_LEVELS T_PROFILE T_GATE,
                        "aggregate", "'aggregate' must be one of mean, median, min, roles");
    expect_single_error(T_FRAMEWORK "missing_scores = zero\n" T_SKILLS T_LEVELS T_PROFILE T_GATE,
                        "missing_scores", "not 'zero'");
}

Test(errors, roles_aggregate_needs_role_weights)
{
    expect_single_error(T_FRAMEWORK "aggregate = roles\n" T_SKILLS T_LEVELS T_PROFILE T_GATE,
                        "[framework]", "needs 'role_weights'");
    expect_single_error(
        T_FRAMEWORK
        "aggregate = roles\nrole_weights = manager:0.5, peer\n" T_SKILLS T_LEVELS T_PROFILE T_GATE,
        "role_weights", "role weight 'peer' must read ROLE:WEIGHT");
    expect_single_error(
        T_FRAMEWORK
        "aggregate = roles\nrole_weights = manager:-1\n" T_SKILLS T_LEVELS T_PROFILE T_GATE,
        "role_weights", "role weight 'manager:-1' must read ROLE:WEIGHT");
}

Test(errors, unknown_default_priorities)
{
    expect_single_error(T_FRAMEWORK
                        "default_priorities = growth\n" T_SKILLS T_LEVELS T_PROFILE T_GATE,
                        "default_priorities", "default_priorities names no [priorities growth]");
}

Test(errors, default_priorities_picks_the_named_profile)
{
    static const char text[] =
        T_FRAMEWORK "default_priorities = people\n" T_SKILLS T_LEVELS T_PROFILE
                    "\n[priorities people]\nsoft = 1\n" T_GATE;
    loaded l = load_text(text);
    cr_assert_eq(l.status, NL_OK, "%s", l.err.message);
    cr_assert_eq(l.fw->default_profile, 1);
    unload(&l);
}

Test(errors, no_profile_no_skill_no_level)
{
    static const char text[] = T_FRAMEWORK;
    loaded l = load_text(text);
    expect_error(&l, 0, "no [priorities NAME] section");
    expect_error(&l, 0, "no [skill ID] section");
    expect_error(&l, 0, "no [level ID] section");
    unload(&l);
}

/* ---- skills and levels ---- */

Test(errors, skill_missing_name_or_family)
{
    expect_single_error(T_FRAMEWORK T_SKILLS
                        "\n[skill x]\nfamily = soft\n" T_LEVELS T_PROFILE T_GATE,
                        "[skill x]", "[skill x] needs 'name'");
    expect_single_error(T_FRAMEWORK T_SKILLS "\n[skill x]\nname = X\n" T_LEVELS T_PROFILE T_GATE,
                        "[skill x]", "[skill x] needs 'family'");
}

Test(errors, invalid_section_id)
{
    expect_single_error(T_FRAMEWORK T_SKILLS
                        "\n[skill bad/id]\nname = X\nfamily = soft\n" T_LEVELS T_PROFILE T_GATE,
                        "[skill bad/id]", "an id may hold only letters");
}

Test(errors, level_missing_title)
{
    expect_single_error(T_FRAMEWORK T_SKILLS
                        "\n[level L1]\nnext = L2\n"
                        "expectations = coding:2, talking:2\n"
                        "\n[level L2]\ntitle = Senior\n"
                        "expectations = coding:4, talking:3\n" T_PROFILE T_GATE,
                        "[level L1]", "[level L1] needs 'title'");
}

Test(errors, bad_entry_value)
{
    expect_single_error(T_FRAMEWORK T_SKILLS T_LEVELS "entry = maybe\n" T_PROFILE T_GATE, "entry",
                        "'entry' must be yes or no, not 'maybe'");
}

#define LEVELS_WITH(l1_extra, l2_extra)                                                            \
    "\n[level L1]\n"                                                                               \
    "title = Junior\n" l1_extra "\n[level L2]\n"                                                   \
    "title = Senior\n" l2_extra

Test(errors, next_level_that_does_not_exist)
{
    expect_single_error(T_FRAMEWORK T_SKILLS LEVELS_WITH(
                            "next = L9\nexpectations = coding:2, talking:2\n",
                            "entry = yes\nexpectations = coding:4, talking:3\n") T_PROFILE T_GATE,
                        "next = L9", "next level 'L9' of L1 does not exist");
}

Test(errors, level_naming_itself)
{
    expect_single_error(T_FRAMEWORK T_SKILLS LEVELS_WITH(
                            "next = L2\nexpectations = coding:2, talking:2\n",
                            "next = L2\nexpectations = coding:4, talking:3\n") T_PROFILE T_GATE,
                        "next = L2\nexpectations = coding:4", "level L2 names itself");
}

Test(errors, a_cycle_in_next_levels)
{
    static const char text[] =
        T_FRAMEWORK T_SKILLS "\n[level L1]\ntitle = One\nnext = L2\n"
                             "expectations = coding:1, talking:1\n"
                             "\n[level L2]\ntitle = Two\nnext = L1\n"
                             "expectations = coding:2, talking:2\n" T_PROFILE T_GATE;
    loaded l = load_text(text);
    cr_assert_eq(l.status, NL_ERR_TEMPLATE);
    cr_assert_eq(l.fw->diags.errors, 1);
    cr_assert(nl_test_contains(l.fw->diags.items[0].message, "form a cycle through"), "%s",
              l.fw->diags.items[0].message);
    unload(&l);
}

Test(errors, a_cycle_is_named_by_a_level_on_it)
{
    /* L1 -> L2 -> L3 -> L4 -> L3: the cycle is L3 <-> L4; L2 only leads into it. */
    static const char text[] =
        T_FRAMEWORK T_SKILLS "\n[level L1]\ntitle = One\nnext = L2\n"
                             "expectations = coding:1, talking:1\n"
                             "\n[level L2]\ntitle = Two\nnext = L3\n"
                             "expectations = coding:2, talking:2\n"
                             "\n[level L3]\ntitle = Three\nnext = L4\n"
                             "expectations = coding:3, talking:3\n"
                             "\n[level L4]\ntitle = Four\nnext = L3\n"
                             "expectations = coding:4, talking:4\n" T_PROFILE T_GATE;
    loaded l = load_text(text);
    cr_assert_eq(l.status, NL_ERR_TEMPLATE);
    expect_error(&l, line_of(text, "[level L3]"), "the next levels form a cycle through L3");
    expect_counts(&l, 1, 0);
    unload(&l);
}

Test(errors, expectation_outside_the_scale)
{
    expect_single_error(
        T_FRAMEWORK T_SKILLS LEVELS_WITH("next = L2\nexpectations = coding:7, talking:2\n",
                                         "expectations = coding:4, talking:3\n") T_PROFILE T_GATE,
        "coding:7", "level L1: expectation 7 for coding is outside the scale 1..5");
}

Test(errors, expectation_for_an_unknown_skill)
{
    expect_single_error(T_FRAMEWORK T_SKILLS LEVELS_WITH(
                            "next = L2\nexpectations = coding:2, talking:2\n",
                            "expectations = coding:4, talking:3, cooking:5\n") T_PROFILE T_GATE,
                        "cooking", "level L2: unknown skill 'cooking' in expectations");
}

Test(errors, expectation_that_is_no_pair_or_no_score)
{
    expect_single_error(
        T_FRAMEWORK T_SKILLS LEVELS_WITH("next = L2\nexpectations = coding:2, talking\n",
                                         "expectations = coding:4, talking:3\n") T_PROFILE T_GATE,
        "talking\n", "expectation 'talking' must read SKILL:SCORE");
    expect_single_error(
        T_FRAMEWORK T_SKILLS LEVELS_WITH("next = L2\nexpectations = coding:2, talking:lots\n",
                                         "expectations = coding:4, talking:3\n") T_PROFILE T_GATE,
        "talking:lots", "'lots' for talking is neither a number nor a label");
}

Test(errors, expectation_given_twice_in_a_section)
{
    expect_single_error(T_FRAMEWORK T_SKILLS LEVELS_WITH(
                            "next = L2\nexpectations = coding:2, talking:2, Coding:3\n",
                            "expectations = coding:4, talking:3\n") T_PROFILE T_GATE,
                        "Coding:3", "the expectation for coding is given twice");
}

/* ---- priorities ---- */

Test(errors, negative_priority_weight)
{
    expect_single_error(T_FRAMEWORK T_SKILLS T_LEVELS "\n[priorities p]\ntechnical = 1\n"
                                                      "soft = -0.5\n" T_GATE,
                        "soft = -0.5", "weight 'soft' is negative");
}

Test(errors, priority_weight_that_is_no_number_or_names_nothing)
{
    expect_single_error(T_FRAMEWORK T_SKILLS T_LEVELS "\n[priorities p]\ntechnical = 1\n"
                                                      "soft = high\n" T_GATE,
                        "soft = high", "weight 'soft' must be a number, not 'high'");
    expect_single_error(T_FRAMEWORK T_SKILLS T_LEVELS "\n[priorities p]\ntechnical = 1\n"
                                                      "impact = 1\n" T_GATE,
                        "impact = 1", "'impact' is neither a family");
    expect_single_error(T_FRAMEWORK T_SKILLS T_LEVELS "\n[priorities p]\ntechnical = 1\n"
                                                      "skill.cooking = 2\n" T_GATE,
                        "skill.cooking", "'skill.cooking' names no skill");
}

Test(errors, all_zero_priority_profile)
{
    static const char text[] = T_FRAMEWORK T_SKILLS T_LEVELS T_PROFILE "\n[priorities idle]\n"
                                                                       "technical = 0\n"
                                                                       "soft = 0\n" T_GATE;
    expect_single_error(text, "[priorities idle]", "priority profile idle weighs every family 0");
}

Test(errors, profile_weighing_a_family_but_none_of_its_skills)
{
    static const char text[] = T_FRAMEWORK T_SKILLS T_LEVELS "\n[priorities odd]\n"
                                                             "technical = 1\n"
                                                             "skill.coding = 0\n" T_GATE;
    expect_single_error(text, "[priorities odd]", "weighs family technical but none of its skills");
}

/* ---- gates ---- */

#define GATE(body) T_FRAMEWORK T_SKILLS T_LEVELS T_PROFILE "\n[gate g]\n" body

Test(errors, gate_missing_kind)
{
    expect_single_error(GATE("severity = hard\n"), "[gate g]", "gate g needs 'kind'");
}

Test(errors, gate_missing_severity)
{
    expect_single_error(GATE("kind = tenure\nmin_months = 6\n"), "[gate g]",
                        "gate g needs 'severity' (hard or soft)");
}

Test(errors, soft_gate_missing_mitigation)
{
    expect_single_error(GATE("kind = tenure\nmin_months = 6\nseverity = soft\n"), "[gate g]",
                        "[gate g] needs 'mitigation'");
}

Test(errors, bad_severity)
{
    expect_single_error(GATE("kind = tenure\nmin_months = 6\nseverity = medium\n"), "severity",
                        "'severity' must be one of hard, soft, not 'medium'");
}

Test(errors, unknown_gate_kind)
{
    loaded l = load_text(GATE("kind = vibes\nseverity = hard\n"));
    expect_error(&l, line_of(l.text, "kind = vibes"), "'kind' must be one of meets_expectations");
    expect_counts(&l, 1, 0);
    unload(&l);
}

Test(errors, gate_missing_a_parameter)
{
    expect_single_error(GATE("kind = readiness_score\nseverity = hard\n"), "[gate g]",
                        "[gate g] needs 'threshold'");
    expect_single_error(GATE("kind = floor\nseverity = hard\n"), "[gate g]",
                        "[gate g] needs 'min_score'");
    expect_single_error(
        GATE("kind = attribute\nseverity = hard\n"
             "attribute = visibility\nthreshold = 3\n") "\n[attribute visibility]\n",
        "[gate g]", "gate g needs 'op'");
}

Test(errors, bad_numbers_in_gates)
{
    expect_single_error(GATE("kind = meets_expectations\ntolerance = lots\nseverity = hard\n"),
                        "tolerance", "'tolerance' must be a number, not 'lots'");
    expect_single_error(GATE("kind = readiness_score\nthreshold = 80,5\nseverity = hard\n"),
                        "threshold", "'threshold' must be a number, not '80,5'");
    expect_single_error(GATE("kind = family_average\nfamily = soft\nthreshold = 1.5\n"
                             "severity = hard\n"),
                        "threshold", "'threshold' must be between 0 and 1, not 1.5");
    expect_single_error(GATE("kind = floor\nmin_score = 6\nseverity = hard\n"), "min_score",
                        "'min_score' must be between 1 and 5, not 6");
}

Test(errors, gate_referencing_an_unknown_skill)
{
    expect_single_error(GATE("kind = critical_skills\nskills = coding, cooking\n"
                             "severity = hard\n"),
                        "skills =", "gate g: 'cooking' is not a skill of the template");
}

Test(errors, gate_referencing_an_unknown_family)
{
    expect_single_error(GATE("kind = meets_expectations\nfamilies = technical, magic\n"
                             "severity = hard\n"),
                        "families", "gate g: 'magic' is not a family of the template's skills");
}

Test(errors, gate_referencing_an_unknown_attribute)
{
    expect_single_error(GATE("kind = attribute\nattribute = visibility\nop = >=\nthreshold = 3\n"
                             "severity = hard\n"),
                        "attribute = visibility", "gate g: no [attribute visibility] section");
}

Test(errors, attribute_gate_with_a_bad_operator)
{
    expect_single_error(GATE("kind = attribute\nattribute = visibility\nop = =>\nthreshold = 3\n"
                             "severity = hard\n") "\n[attribute visibility]\n",
                        "op = =>", "'op' must be one of >=, >, <=, <, =, not '=>'");
}

Test(errors, balance_gate_with_the_wrong_number_of_families)
{
    expect_single_error(GATE("kind = balance\nfamilies = technical\nmax_distance = 0.2\n"
                             "severity = hard\n"),
                        "families", "gate g: 'families' needs exactly 2 families, not 1");
    expect_single_error(T_FRAMEWORK T_SKILLS
                        "\n[skill reach]\nname = Reach\nfamily = impact\n" T_LEVELS T_PROFILE
                        "\n[gate g]\nkind = balance\nfamilies = technical, soft, impact\n"
                        "max_distance = 0.2\nseverity = hard\n",
                        "families", "needs exactly 2 families, not 3");
}

Test(errors, balance_gate_comparing_a_family_with_itself)
{
    expect_single_error(GATE("kind = balance\nfamilies = soft, soft\nmax_distance = 0.2\n"
                             "severity = hard\n"),
                        "[gate g]", "gate g compares family soft with itself");
}

/* ---- expectations grid ---- */

typedef struct grid_files {
    char *dir, *ini, *csv;
} grid_files;

static char *write_in(const char *dir, const char *name, const char *text)
{
    char *path = nl_test_path_in(dir, name);
    nl_test_write_text(path, text);
    return path;
}

/* Writes a template naming grid.csv, and the grid (unless csv is NULL), into a new folder. */
static grid_files write_grid_template(const char *ini, const char *csv)
{
    grid_files g = {.dir = nl_test_temp_dir()};
    cr_assert_not_null(g.dir);
    g.ini = write_in(g.dir, "t.ini", ini);
    if (csv != NULL)
        g.csv = write_in(g.dir, "grid.csv", csv);
    return g;
}

static void remove_grid(grid_files *g)
{
    nl_test_remove(g->ini);
    nl_test_remove(g->csv);
    nl_test_remove(g->dir);
}

static loaded load_grid(const grid_files *g, const char *text)
{
    loaded l = {.text = text};
    l.status = nl_framework_load(g->ini, &l.fw, &l.err);
    l.path = NULL;
    return l;
}

#define GRID_TEMPLATE(levels)                                                                      \
    T_FRAMEWORK "expectations_file = grid.csv\n" T_SKILLS levels T_PROFILE T_GATE
#define GRID_LEVELS                                                                                \
    "\n[level L1]\ntitle = Junior\nnext = L2\n"                                                    \
    "\n[level L2]\ntitle = Senior\n"

Test(grid, expectations_come_from_the_grid)
{
    static const char ini[] = GRID_TEMPLATE(GRID_LEVELS);
    grid_files g = write_grid_template(ini, "skill,L1,L2\ncoding,2,4\nTalking things through,"
                                            "Proficient, 4.5 \n");
    loaded l = load_grid(&g, ini);
    cr_assert_eq(l.status, NL_OK, "%s:%ld: %s", l.err.path, l.err.line, l.err.message);
    cr_assert_eq(l.fw->diags.count, 0);
    cr_assert_eq(l.fw->levels[0].expected[0], 2);
    cr_assert_eq(l.fw->levels[1].expected[0], 4);
    cr_assert_eq(l.fw->levels[0].expected[1], 3);
    cr_assert_eq(l.fw->levels[1].expected[1], 4.5);
    nl_framework_free(l.fw);
    remove_grid(&g);
}

Test(grid, an_empty_cell_means_no_expectation)
{
    static const char ini[] = GRID_TEMPLATE(GRID_LEVELS);
    grid_files g = write_grid_template(ini, "skill;L1;L2\r\ncoding;;4\r\ntalking;2;3\r\n");
    loaded l = load_grid(&g, ini);
    cr_assert_eq(l.status, NL_OK, "%s:%ld: %s", l.err.path, l.err.line, l.err.message);
    cr_assert(isnan(l.fw->levels[0].expected[0]));
    cr_assert_eq(l.fw->levels[1].expected[0], 4);
    nl_framework_free(l.fw);
    remove_grid(&g);
}

Test(grid, a_missing_expectations_file)
{
    static const char ini[] = GRID_TEMPLATE(GRID_LEVELS);
    grid_files g = write_grid_template(ini, NULL);
    loaded l = load_grid(&g, ini);
    cr_assert_eq(l.status, NL_ERR_TEMPLATE);
    expect_diag_in(&l, g.ini, NL_DIAG_ERROR, line_of(ini, "expectations_file"), -1, "grid.csv");
    cr_assert(nl_test_contains(l.fw->diags.items[0].message, "No such file"), "%s",
              l.fw->diags.items[0].message);
    nl_framework_free(l.fw);
    remove_grid(&g);
}

Test(grid, a_bad_cell_is_reported_at_its_line_and_column_in_the_grid)
{
    static const char ini[] = GRID_TEMPLATE(GRID_LEVELS);
    grid_files g = write_grid_template(ini, "skill,L1,L2\ncoding,2,4\ntalking,2,9\n");
    loaded l = load_grid(&g, ini);
    cr_assert_eq(l.status, NL_ERR_TEMPLATE);
    expect_diag_in(&l, g.csv, NL_DIAG_ERROR, 3, 3,
                   "level L2: expectation 9 for talking is "
                   "outside the scale");
    cr_assert_str_eq(l.err.path, g.csv);
    cr_assert_eq(l.err.line, 3);
    cr_assert_eq(l.err.column, 3);
    nl_framework_free(l.fw);
    remove_grid(&g);

    g = write_grid_template(ini, "skill,L1,L2\n\"coding\",\"two\nlines\",4\ntalking,Great,3\n");
    l = load_grid(&g, ini);
    expect_diag_in(&l, g.csv, NL_DIAG_ERROR, 2, 2, "'two\nlines' for coding is neither");
    expect_diag_in(&l, g.csv, NL_DIAG_ERROR, 4, 2, "'Great' for talking is neither");
    nl_framework_free(l.fw);
    remove_grid(&g);
}

Test(grid, unknown_levels_skills_and_ragged_rows)
{
    static const char ini[] = GRID_TEMPLATE(GRID_LEVELS);
    grid_files g = write_grid_template(ini, "skill,L1,L7\ncooking,2,4\ncoding,2\ntalking,2,3\n");
    loaded l = load_grid(&g, ini);
    cr_assert_eq(l.status, NL_ERR_TEMPLATE);
    expect_diag_in(&l, g.csv, NL_DIAG_ERROR, 1, 3, "column 'L7' is not a level");
    expect_diag_in(&l, g.csv, NL_DIAG_ERROR, 2, 1, "'cooking' is not a skill");
    expect_diag_in(&l, g.csv, NL_DIAG_ERROR, 3, 0, "row has 2 fields, the header has 3");
    cr_assert_eq(l.fw->diags.errors, 3);
    nl_framework_free(l.fw);
    remove_grid(&g);
}

Test(grid, a_quote_error_in_the_grid)
{
    static const char ini[] = GRID_TEMPLATE(GRID_LEVELS);
    grid_files g = write_grid_template(ini, "skill,L1,L2\ncoding,2,4\ntalk\"ing,2,3\n");
    loaded l = load_grid(&g, ini);
    cr_assert_eq(l.status, NL_ERR_TEMPLATE);
    expect_diag_in(&l, g.csv, NL_DIAG_ERROR, 3, 1, "quote");
    nl_framework_free(l.fw);
    remove_grid(&g);
}

Test(grid, an_expectation_in_both_grid_and_section)
{
    static const char ini[] =
        GRID_TEMPLATE("\n[level L1]\ntitle = Junior\nnext = L2\nexpectations = coding:2\n"
                      "\n[level L2]\ntitle = Senior\n");
    grid_files g = write_grid_template(ini, "skill,L1,L2\ncoding,3,4\ntalking,2,3\n");
    loaded l = load_grid(&g, ini);
    cr_assert_eq(l.status, NL_ERR_TEMPLATE);
    expect_diag_in(&l, g.csv, NL_DIAG_ERROR, 2, 2,
                   "level L1: the expectation for coding is "
                   "given twice");
    cr_assert_eq(l.fw->diags.errors, 1);
    nl_framework_free(l.fw);
    remove_grid(&g);
}

/* ---- lint warnings ---- */

Test(lint, unreachable_level)
{
    static const char text[] =
        T_FRAMEWORK T_SKILLS T_LEVELS "\n[level X9]\ntitle = Orphan\n"
                                      "expectations = coding:5, talking:5\n" T_PROFILE T_GATE;
    loaded l = load_text(text);
    cr_assert_eq(l.status, NL_OK, "warnings alone do not fail the load");
    expect_warning(&l, line_of(text, "[level X9]"), "level X9 cannot be reached");
    expect_counts(&l, 0, 1);
    unload(&l);
    /* entry = yes makes it reachable. */
    static const char entry[] = T_FRAMEWORK T_SKILLS T_LEVELS "\n[level X9]\ntitle = Orphan\n"
                                                              "entry = yes\n" T_PROFILE T_GATE;
    l = load_text(entry);
    expect_counts(&l, 0, 0);
    cr_assert(l.fw->levels[2].entry);
    unload(&l);
}

Test(lint, next_level_without_an_expectation_a_gate_needs)
{
    static const char text[] = T_FRAMEWORK T_SKILLS LEVELS_WITH(
        "next = L2\nexpectations = coding:2\n", "expectations = coding:4\n") T_PROFILE T_GATE;
    loaded l = load_text(text);
    cr_assert_eq(l.status, NL_OK);
    /* L2 is a next level and gate bar checks every family; L1 is no next level. */
    expect_warning(&l, line_of(text, "[level L2]"),
                   "level L2 has no expectation for talking, which gate bar checks");
    expect_counts(&l, 0, 1);
    unload(&l);
}

Test(lint, only_gates_that_compare_with_expectations_need_them)
{
    static const char text[] = T_FRAMEWORK T_SKILLS LEVELS_WITH(
        "next = L2\nexpectations = coding:2\n", "expectations = coding:4\n") T_PROFILE
        "\n[gate g]\nkind = critical_skills\n"
        "skills = coding\nseverity = hard\n"
        "\n[gate t]\nkind = tenure\nmin_months = 6\n"
        "severity = hard\n";
    loaded l = load_text(text);
    expect_counts(&l, 0, 0);
    unload(&l);
}

Test(lint, floor_gate_at_the_bottom_of_the_scale)
{
    static const char text[] = GATE("kind = floor\nmin_score = 1\nseverity = hard\n");
    loaded l = load_text(text);
    cr_assert_eq(l.status, NL_OK);
    expect_warning(&l, line_of(text, "[gate g]"), "gate g: min_score at the bottom of the scale");
    expect_counts(&l, 0, 1);
    unload(&l);
}

Test(lint, lint_waits_for_a_template_without_errors)
{
    /* An all-zero profile is a lint error; with a syntax error present it is not reported
     * yet, so that check shows the causes first. */
    static const char text[] = T_FRAMEWORK "colour = x\n" T_SKILLS T_LEVELS "\n[priorities z]\n"
                                           "technical = 0\n" T_GATE;
    loaded l = load_text(text);
    expect_error(&l, line_of(text, "colour"), "unknown key");
    expect_counts(&l, 1, 0);
    unload(&l);
}

/* ---- per-level gate parameters, levels, not_expected, attribute-only templates ---- */

#define T_THREE_LEVELS                                                                             \
    "\n[level L1]\ntitle = Junior\nnext = L2\nexpectations = coding:2, talking:2\n"                \
    "\n[level L2]\ntitle = Senior\nnext = L3\nexpectations = coding:4, talking:3\n"                \
    "\n[level L3]\ntitle = Staff\nexpectations = coding:5, talking:4\n"

static size_t level_at(const nl_framework *fw, const char *id)
{
    size_t l;
    cr_assert(nl_framework_find_level(fw, id, &l), "no level %s", id);
    return l;
}

Test(per_level, values_by_level_id_or_title_and_the_plain_default)
{
    static const char text[] = T_FRAMEWORK T_SKILLS T_THREE_LEVELS T_PROFILE
        "\n[gate tenure]\nkind = tenure\nseverity = hard\nmin_months = 12\n"
        "min_months.Staff = 24\n"
        "\n[gate bar]\nkind = meets_expectations\nseverity = hard\ntolerance.L2 = 0.5\n";
    loaded l = load_text(text);
    expect_counts(&l, 0, 0);
    const nl_gate *tenure = &l.fw->gates[0], *bar = &l.fw->gates[1];
    size_t l2 = level_at(l.fw, "L2"), l3 = level_at(l.fw, "L3");
    cr_assert_float_eq(nl_gate_param(tenure, NL_GATE_THRESHOLD, l2), 12, 1e-12);
    cr_assert_float_eq(nl_gate_param(tenure, NL_GATE_THRESHOLD, l3), 24, 1e-12);
    cr_assert(nl_gate_applies(tenure, l2) && nl_gate_applies(tenure, l3));
    cr_assert(nl_gate_varies(tenure));
    /* An optional param given for one level: the others keep its default, 0. */
    cr_assert_float_eq(nl_gate_param(bar, NL_GATE_TOLERANCE, l2), 0.5, 1e-12);
    cr_assert_float_eq(nl_gate_param(bar, NL_GATE_TOLERANCE, l3), 0, 1e-12);
    cr_assert(nl_gate_applies(bar, l2) && nl_gate_applies(bar, l3));
    unload(&l);
}

Test(per_level, only_per_level_values_limit_the_gate_to_those_levels)
{
    static const char text[] = T_FRAMEWORK T_SKILLS T_THREE_LEVELS T_PROFILE
        "\n[gate ready]\nkind = readiness_score\nseverity = hard\nthreshold.L3 = 90\n";
    loaded l = load_text(text);
    expect_counts(&l, 0, 0);
    const nl_gate *g = &l.fw->gates[0];
    cr_assert_not(nl_gate_applies(g, level_at(l.fw, "L2")));
    cr_assert(nl_gate_applies(g, level_at(l.fw, "L3")));
    cr_assert_float_eq(nl_gate_param(g, NL_GATE_THRESHOLD, level_at(l.fw, "L3")), 90, 1e-12);
    unload(&l);
}

Test(per_level, levels_limits_a_gate)
{
    static const char text[] = T_FRAMEWORK T_SKILLS T_THREE_LEVELS T_PROFILE
        "\n[gate tenure]\nkind = tenure\nseverity = hard\nmin_months = 6\nlevels = Staff\n";
    loaded l = load_text(text);
    expect_counts(&l, 0, 0);
    const nl_gate *g = &l.fw->gates[0];
    cr_assert_not(nl_gate_applies(g, level_at(l.fw, "L2")));
    cr_assert(nl_gate_applies(g, level_at(l.fw, "L3")));
    unload(&l);
}

Test(per_level, unknown_levels_are_errors_at_line_and_column)
{
    static const char text[] = T_FRAMEWORK T_SKILLS T_THREE_LEVELS T_PROFILE
        "\n[gate tenure]\nkind = tenure\nseverity = hard\nmin_months = 12\n"
        "min_months.L9 = 24\nlevels = L2,  L7\n";
    loaded l = load_text(text);
    /* min_months.L9: the level starts at column 12; "L7" at column 15. */
    expect_diag_in(&l, l.path, NL_DIAG_ERROR, line_of(text, "min_months.L9"), 12,
                   "gate tenure: 'min_months.L9' names no level of the template");
    expect_diag_in(&l, l.path, NL_DIAG_ERROR, line_of(text, "levels = L2"), 15,
                   "gate tenure: levels names 'L7', which is not a level of the template");
    expect_counts(&l, 2, 0);
    unload(&l);
}

Test(per_level, a_key_the_kind_lacks_is_unknown_and_values_are_range_checked)
{
    static const char text[] = T_FRAMEWORK T_SKILLS T_THREE_LEVELS T_PROFILE
        "\n[gate ready]\nkind = readiness_score\nseverity = hard\nthreshold = 80\n"
        "min_months.L2 = 12\nthreshold.L3 = 120\n";
    loaded l = load_text(text);
    expect_error(&l, line_of(text, "min_months.L2"), "unknown key 'min_months.L2' in [gate ready]");
    expect_diag_in(&l, l.path, NL_DIAG_ERROR, line_of(text, "threshold.L3"), 16,
                   "'threshold.L3' must be between 0 and 100, not 120");
    expect_counts(&l, 2, 0);
    unload(&l);
}

Test(not_expected, silences_the_missing_expectation_for_those_skills_only)
{
    /* L2 expects neither skill; the bar checks both. not_expected names coding only. */
    static const char text[] = T_FRAMEWORK T_SKILLS
        "\n[level L1]\ntitle = Junior\nnext = L2\nexpectations = coding:2, talking:2\n"
        "\n[level L2]\ntitle = Senior\nnot_expected = coding\n" T_PROFILE T_GATE;
    loaded l = load_text(text);
    expect_warning(&l, line_of(text, "[level L2]"), "level L2 has no expectation for talking");
    expect_counts(&l, 0, 1);
    cr_assert(l.fw->levels[1].not_expected[0]);
    cr_assert_not(l.fw->levels[1].not_expected[1]);
    unload(&l);
}

Test(not_expected, unknown_or_expected_skills_are_errors)
{
    static const char text[] = T_FRAMEWORK T_SKILLS
        "\n[level L1]\ntitle = Junior\nnext = L2\nexpectations = coding:2, talking:2\n"
        "\n[level L2]\ntitle = Senior\nexpectations = coding:4, talking:3\n"
        "not_expected = talking, dancing\n" T_PROFILE T_GATE;
    loaded l = load_text(text);
    long line = line_of(text, "not_expected");
    expect_diag_in(&l, l.path, NL_DIAG_ERROR, line, 16,
                   "level L2: not_expected names talking, but the level expects 3 of it");
    expect_diag_in(&l, l.path, NL_DIAG_ERROR, line, 25,
                   "level L2: not_expected names 'dancing', which is not a skill");
    expect_counts(&l, 2, 0);
    unload(&l);
}

Test(attribute_only, no_skills_loads_when_gates_read_only_attributes_and_tenure)
{
    static const char text[] = "[framework]\nname = Screen\nscale = 1..5\n"
                               "[attribute rating]\n"
                               "[level L1]\ntitle = One\nnext = L2\n[level L2]\ntitle = Two\n"
                               "[gate perf]\nkind = attribute\nattribute = rating\nop = >=\n"
                               "threshold = 3\nseverity = hard\n"
                               "[gate tenure]\nkind = tenure\nmin_months = 12\nseverity = hard\n";
    loaded l = load_text(text);
    expect_counts(&l, 0, 0);
    cr_assert_eq(l.status, NL_OK);
    cr_assert_eq(l.fw->skill_count, 0);
    cr_assert_not(nl_framework_has_skills(l.fw));
    cr_assert_eq(l.fw->profile_count, 1); /* an empty stand-in: there is nothing to weigh */
    unload(&l);
}

Test(attribute_only, no_skills_and_a_skill_gate_is_an_error)
{
    static const char text[] = "[framework]\nname = Screen\nscale = 1..5\n"
                               "[level L1]\ntitle = One\nnext = L2\n[level L2]\ntitle = Two\n"
                               "[gate ready]\nkind = readiness_score\nthreshold = 80\n"
                               "severity = hard\n";
    loaded l = load_text(text);
    expect_error(&l, line_of(text, "[gate ready]"),
                 "gate ready (readiness_score) reads skill scores, but the template has no "
                 "[skill ID] section");
    unload(&l);
}

/* ---- per-skill scales, labels and milestone points (issue 17) ---- */

/* Milestones 0..5 worth 0, 1, 3, 6, 12, 20; craft has its own words and points keyed by them,
 * delivery its own words (the framework's points), trainings its own scale (no words, no
 * points), mentoring everything from the framework. Levels by total points. */
#define P_FRAMEWORK                                                                                \
    "[framework]\n"                                                                                \
    "name = Milestones\n"                                                                          \
    "scale = 0..5\n"                                                                               \
    "step = 1\n"                                                                                   \
    "labels = 0:None, 1:M1, 2:M2, 3:M3, 4:M4, 5:M5\n"                                              \
    "points = 0:0, 1:1, 2:3, 3:6, 4:12, 5:20\n"                                                    \
    "level_from = points\n"
#define P_SKILLS                                                                                   \
    "\n[skill craft]\n"                                                                            \
    "name = Craft\n"                                                                               \
    "family = technical\n"                                                                         \
    "labels = 1:Adopts, 2:Specializes, 3:Evangelizes, 4:Masters, 5:Creates\n"                      \
    "points = Adopts:1, Specializes:3, Evangelizes:6, Masters:12, Creates:20\n"                    \
    "\n[skill delivery]\n"                                                                         \
    "name = Delivery\n"                                                                            \
    "family = delivery\n"                                                                          \
    "labels = 1:Task, 2:Subsystem, 3:System\n"                                                     \
    "\n[skill mentoring]\n"                                                                        \
    "name = Mentoring\n"                                                                           \
    "family = delivery\n"                                                                          \
    "\n[skill trainings]\n"                                                                        \
    "name = Trainings\n"                                                                           \
    "family = growth\n"                                                                            \
    "scale = 0..6\n"
#define P_LEVELS                                                                                   \
    "\n[level L1]\n"                                                                               \
    "title = Engineer I\n"                                                                         \
    "next = L2\n"                                                                                  \
    "min_points = 0\n"                                                                             \
    "\n[level L2]\n"                                                                               \
    "title = Engineer II\n"                                                                        \
    "next = L3\n"                                                                                  \
    "min_points = 10\n"                                                                            \
    "\n[level L3]\n"                                                                               \
    "title = Senior\n"                                                                             \
    "min_points = 25\n"
#define P_REST                                                                                     \
    "\n[priorities balanced]\n"                                                                    \
    "technical = 1\n"                                                                              \
    "delivery = 1\n"                                                                               \
    "growth = 1\n"                                                                                 \
    "\n[gate milestones]\n"                                                                        \
    "title = Milestone points\n"                                                                   \
    "kind = points\n"                                                                              \
    "families = technical, delivery\n"                                                             \
    "weights = craft:2\n"                                                                          \
    "threshold = 20\n"                                                                             \
    "severity = hard\n"
#define P_VALID P_FRAMEWORK P_SKILLS P_LEVELS P_REST

Test(points, skills_inherit_or_own_scale_labels_and_points)
{
    loaded l = load_text(P_VALID);
    cr_assert_eq(l.status, NL_OK, "%s:%ld: %s", l.err.path, l.err.line, l.err.message);
    expect_counts(&l, 0, 0);
    const nl_framework *fw = l.fw;
    size_t craft, delivery, mentoring, trainings;
    cr_assert(nl_framework_find_skill(fw, "craft", &craft));
    cr_assert(nl_framework_find_skill(fw, "delivery", &delivery));
    cr_assert(nl_framework_find_skill(fw, "mentoring", &mentoring));
    cr_assert(nl_framework_find_skill(fw, "trainings", &trainings));
    cr_assert_eq(fw->level_from, NL_LEVEL_FROM_POINTS);
    /* Own scale: no words, no points; the rest keep the framework's 0..5. */
    cr_assert_eq(fw->skills[trainings].scale_min, 0);
    cr_assert_eq(fw->skills[trainings].scale_max, 6);
    cr_assert_eq(fw->skills[trainings].label_count, 0);
    cr_assert_eq(fw->skills[trainings].point_count, 0);
    cr_assert_eq(fw->skills[craft].scale_max, 5);
    /* Own labels, the framework's points; own labels keyed points. */
    cr_assert_eq(fw->skills[delivery].label_count, 3);
    cr_assert_eq(fw->skills[delivery].point_count, 6);
    cr_assert_eq(fw->skills[craft].point_count, 5);
    cr_assert_eq(fw->skills[craft].points[2].value, 3, "Evangelizes is 3");
    cr_assert_eq(fw->skills[craft].points[2].points, 6);
    cr_assert_eq(fw->skills[mentoring].label_count, 6, "the framework's words");
    /* Words are read against their own skill. */
    double score = -1;
    cr_assert(nl_framework_parse_score(fw, craft, "evangelizes", false, &score));
    cr_assert_eq(score, 3);
    cr_assert_not(nl_framework_parse_score(fw, delivery, "Evangelizes", false, &score));
    cr_assert_not(nl_framework_parse_score(fw, craft, "System", false, &score));
    cr_assert(nl_framework_parse_score(fw, mentoring, "M4", false, &score));
    cr_assert_eq(score, 4);
    cr_assert_not(nl_framework_parse_score(fw, craft, "M4", false, &score),
                  "craft's own words replace the framework's");
    cr_assert(nl_framework_parse_score(fw, trainings, "6", false, &score));
    cr_assert_eq(score, 6);
    cr_assert_not(nl_framework_parse_score(fw, mentoring, "6", false, &score), "above 0..5");
    cr_assert_not(nl_framework_parse_score(fw, trainings, "M2", false, &score));
    /* The other meaning of a word: another skill's, or the framework's. */
    size_t other;
    double value;
    cr_assert(nl_framework_other_label(fw, delivery, "evangelizes", &other, &value));
    cr_assert_eq(other, craft);
    cr_assert_eq(value, 3);
    cr_assert(nl_framework_other_label(fw, craft, " M2 ", &other, &value));
    cr_assert_eq(other, SIZE_MAX, "the framework's word");
    cr_assert_eq(value, 2);
    cr_assert_not(nl_framework_other_label(fw, craft, "Brilliant", &other, &value));
    cr_assert_str_eq(nl_skill_label(fw, craft, 4), "Masters");
    cr_assert_str_eq(nl_skill_label(fw, mentoring, 4), "M4");
    cr_assert_null(nl_skill_label(fw, trainings, 4));
    unload(&l);
}

Test(points, points_of_a_score_take_the_milestone_at_or_below)
{
    loaded l = load_text(P_VALID);
    cr_assert_eq(l.status, NL_OK, "%s", l.err.message);
    const nl_framework *fw = l.fw;
    size_t craft = 0, trainings = 3;
    double p = -1;
    /* craft: 1:1, 2:3, 3:6, 4:12, 5:20, nothing at 0. */
    cr_assert(nl_skill_points(fw, craft, 0, &p));
    cr_assert_eq(p, 0, "below the lowest mapped value: 0");
    cr_assert(nl_skill_points(fw, craft, 3, &p));
    cr_assert_eq(p, 6);
    cr_assert(nl_skill_points(fw, craft, 3.5, &p));
    cr_assert_eq(p, 6, "a milestone not fully reached earns the one below");
    cr_assert(nl_skill_points(fw, craft, 5, &p));
    cr_assert_eq(p, 20);
    p = -1;
    cr_assert_not(nl_skill_points(fw, trainings, 4, &p), "no mapping");
    cr_assert_eq(p, -1);
    cr_assert_not(nl_skill_points(fw, craft, NAN, &p));
    /* Totals over every skill with points, unweighted: craft 3 -> 6, delivery 2 -> 3,
     * mentoring 1 -> 1, trainings none: 10, L2's min_points. */
    double scores[4] = {3, 2, 1, 6};
    cr_assert_eq(nl_framework_total_points(fw, scores), 10);
    cr_assert_eq(nl_framework_level_of_points(fw, 10), 1, "L2 from 10");
    cr_assert_eq(nl_framework_level_of_points(fw, 9.5), 0);
    cr_assert_eq(nl_framework_level_of_points(fw, 61), 2);
    double lacking[4] = {NAN, 2, 1, NAN};
    cr_assert_eq(nl_framework_total_points(fw, lacking), 4, "a skill not assessed earns 0");
    /* The gate: weights craft x2, the rest 1; every skill with points in its families. */
    const nl_gate *gate = &fw->gates[0];
    cr_assert_eq(gate->kind, NL_GATE_POINTS);
    cr_assert_eq(gate->threshold, 20);
    cr_assert_eq(gate->weights[craft], 2);
    cr_assert_eq(gate->weights[1], 1);
    cr_assert(nl_gate_counts_points(fw, gate, craft));
    cr_assert_not(nl_gate_counts_points(fw, gate, trainings));
    cr_assert_str_eq(nl_gate_kind_name(NL_GATE_POINTS), "points");
    unload(&l);
}

Test(points, a_points_mapping_must_increase)
{
    static const char text[] = P_FRAMEWORK P_SKILLS P_LEVELS P_REST
        "\n[skill flat]\nname = Flat\nfamily = growth\npoints = 1:2, 2:5, 3:5\n";
    expect_single_error(text, "points = 1:2, 2:5, 3:5", "points not increasing in [skill flat]");
}

Test(points, a_points_key_must_be_a_value_or_a_label_of_the_skill)
{
    static const char text[] = P_FRAMEWORK P_SKILLS P_LEVELS P_REST
        "\n[skill odd]\nname = Odd\nfamily = growth\nlabels = 1:Low, 2:High\n"
        "points = Low:1, M3:6\n";
    /* M3 is the framework's word, and the skill has its own words. */
    expect_single_error(text, "points = Low:1, M3:6",
                        "'M3' is neither a score on the scale nor one of its labels");
    static const char outside[] = P_FRAMEWORK P_SKILLS P_LEVELS P_REST
        "\n[skill far]\nname = Far\nfamily = growth\npoints = 1:1, 7:9\n";
    expect_single_error(outside, "points = 1:1, 7:9", "'7' is neither a score on the scale");
}

Test(points, overlapping_level_ranges)
{
    static const char same[] =
        P_FRAMEWORK P_SKILLS "\n[level L1]\ntitle = Engineer I\nnext = L2\nmin_points = 0\n"
                             "\n[level L2]\ntitle = Engineer II\nmin_points = 0\n" P_REST;
    expect_single_error(same, "[level L2]", "overlapping level ranges: L1 and L2 both have");
    static const char below[] =
        P_FRAMEWORK P_SKILLS "\n[level L1]\ntitle = Engineer I\nnext = L2\nmin_points = 0\n"
                             "\n[level L2]\ntitle = Engineer II\nnext = L3\nmin_points = 30\n"
                             "\n[level L3]\ntitle = Senior\nmin_points = 20\n" P_REST;
    expect_single_error(below, "[level L3]",
                        "overlapping level ranges: L3 (min_points 20) follows L2 (min_points 30)");
}

Test(points, level_from_points_needs_min_points_everywhere)
{
    static const char text[] =
        P_FRAMEWORK P_SKILLS "\n[level L1]\ntitle = Engineer I\nnext = L2\n"
                             "\n[level L2]\ntitle = Engineer II\nmin_points = 10\n" P_REST;
    expect_single_error(text, "[level L1]", "level L1 has no min_points");
}

Test(points, min_points_without_level_from_points_is_unused)
{
    static const char text[] = T_FRAMEWORK T_SKILLS T_LEVELS "min_points = 12\n" T_PROFILE T_GATE;
    loaded l = load_text(text);
    cr_assert_eq(l.status, NL_OK, "%s", l.err.message);
    expect_warning(&l, line_of(text, "[level L2]"), "level L2: min_points is unused");
    expect_counts(&l, 0, 1);
    cr_assert_eq(l.fw->levels[1].min_points, 12);
    cr_assert(isnan(l.fw->levels[0].min_points));
    cr_assert_eq(l.fw->level_from, NL_LEVEL_FROM_COLUMN, "the default");
    unload(&l);
}

Test(points, a_points_gate_needs_skills_with_points_and_known_weights)
{
    static const char none[] = T_FRAMEWORK T_SKILLS T_LEVELS T_PROFILE
        "\n[gate total]\nkind = points\nthreshold = 5\nseverity = hard\n";
    expect_single_error(none, "[gate total]", "gate total sums milestone points, but none");
    static const char weights[] = P_FRAMEWORK P_SKILLS P_LEVELS P_REST
        "\n[gate more]\nkind = points\nweights = craft:2, nobody:3\nthreshold = 5\n"
        "severity = soft\nmitigation = m\n";
    expect_single_error(weights, "weights = craft:2, nobody:3",
                        "gate more: 'nobody' is not a skill of the template");
    static const char unknown[] = P_FRAMEWORK P_SKILLS P_LEVELS P_REST
        "\n[skill x]\nname = X\nfamily = growth\npointz = 1:1\n";
    expect_single_error(unknown, "pointz = 1:1", "unknown key 'pointz' in [skill x]");
}

Test(points, expectations_read_a_skill_s_own_words_and_scale)
{
    static const char text[] =
        P_FRAMEWORK P_SKILLS "\n[level L1]\ntitle = Engineer I\nnext = L2\nmin_points = 0\n"
                             "expectations = craft:Specializes, trainings:6\n"
                             "\n[level L2]\ntitle = Engineer II\nmin_points = 10\n"
                             "expectations = delivery:Evangelizes\n" P_REST;
    loaded l = load_text(text);
    expect_error(&l, line_of(text, "expectations = delivery:Evangelizes"),
                 "expectation 'Evangelizes' for delivery is neither a number nor a label");
    expect_counts(&l, 1, 0);
    cr_assert_eq(l.fw->levels[0].expected[0], 2, "craft's Specializes");
    cr_assert_eq(l.fw->levels[0].expected[3], 6, "within trainings' own 0..6");
    unload(&l);
}

Test(per_level, values_for_a_level_no_one_is_promoted_into_are_warned_about)
{
    /* L1 is no level's next: min_months.L1 is never read, and a gate limited to L1 is never
     * checked. */
    static const char text[] = T_FRAMEWORK T_SKILLS T_THREE_LEVELS T_PROFILE
        "\n[gate tenure]\nkind = tenure\nseverity = hard\nmin_months = 12\nmin_months.L1 = 3\n"
        "\n[gate early]\nkind = tenure\nseverity = hard\nmin_months = 1\nlevels = L1\n";
    loaded l = load_text(text);
    expect_warning(&l, line_of(text, "[gate tenure]"),
                   "gate tenure names level L1, which no level leads to (next)");
    expect_warning(&l, line_of(text, "[gate early]"),
                   "gate early applies to no level anyone is promoted into");
    expect_counts(&l, 0, 3);
    unload(&l);
}
