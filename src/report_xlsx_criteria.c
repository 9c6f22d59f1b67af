#include "report_xlsx_internal.h"

#include "nextlevel/csvread.h"
#include "nextlevel/describe.h"
#include "nextlevel/strutil.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#ifndef NEXTLEVEL_VERSION
#define NEXTLEVEL_VERSION "unknown"
#endif

/* ---- Criteria ---- */

/* Writes "key | value" and returns the next row. */
static lxw_row_t criteria_pair(xlsx_writer *w, lxw_row_t row, const char *key, const char *value)
{
    xw_text(w, w->b->criteria, row, 0, key, w->b->f.bold);
    xw_text(w, w->b->criteria, row, 1, value, NULL);
    return row + 1;
}

static lxw_row_t criteria_header(xlsx_writer *w, lxw_row_t row, const char *const *names,
                                 size_t count)
{
    for (size_t i = 0; i < count; i++)
        xw_text(w, w->b->criteria, row, (lxw_col_t)i, names[i], w->b->f.header);
    return row + 1;
}

static lxw_row_t criteria_framework(xlsx_writer *w, lxw_row_t row)
{
    const nl_framework *fw = w->b->fw;
    const nl_profile *profile = nl_evaluator_profile(w->b->ev);
    char text[1024];
    xw_text(w, w->b->criteria, row++, 0, "Criteria: how this workbook was produced", w->b->f.title);
    row = criteria_pair(w, row, "Tool", "nextlevel " NEXTLEVEL_VERSION);
    row = criteria_pair(w, row, "Run date", w->b->date_text);
    row = criteria_pair(w, row, "Template", fw->name);
    row = criteria_pair(w, row, "Template file", fw->path);
    row = criteria_pair(w, row, "Template SHA-256",
                        w->b->opt->template_digest ? w->b->opt->template_digest : "not computed");
    if (fw->expectations_path != NULL)
        row = criteria_pair(w, row, "Expectations grid", fw->expectations_path);
    snprintf(text, sizeof text, "%g to %g", fw->scale_min, fw->scale_max);
    row = criteria_pair(w, row, "Score scale", text);
    row = criteria_pair(w, row, "Missing scores",
                        fw->missing_rule == NL_MISSING_SKIP
                            ? "skip: the skill is left out of the person's checks"
                            : "not_evaluated: the person is Not evaluated");
    row = criteria_pair(w, row, "Long-format scores combined by", nl_aggregate_name(fw->aggregate));
    snprintf(text, sizeof text, "%s%s", profile->name,
             nl_evaluator_overridden(w->b->ev) ? " with what-if family weights (--weights)" : "");
    row = criteria_pair(w, row, "Deciding priority profile", text);
    if (w->b->opt->group_label != NULL)
        row = criteria_pair(w, row, "This workbook holds", w->b->opt->group_label);
    row = criteria_pair(w, row, "Redacted",
                        w->b->opt->redaction ? w->b->opt->redaction : "no: real names and ids");
    const nl_calibration_settings *cal = &fw->calibration;
    snprintf(text, sizeof text,
             "%s; flags at |z| >= %g with at least %g people rated; shrinkage k = %g",
             w->b->rv->calibrate
                 ? "flagged managers' scores adjusted (--calibrate), outcomes shown side by side"
                 : "statistics only, no scores adjusted",
             cal->z_threshold, cal->min_team_size, cal->shrinkage);
    row = criteria_pair(w, row, "Calibration", text);
    if (fw->fairness.group_column != NULL) {
        snprintf(text, sizeof text,
                 "column %s; groups under %g people %s; flagged when the ratio to the reference "
                 "group is under %g and Fisher's p%s is under %g",
                 fw->fairness.group_column, fw->fairness.min_group_size,
                 fw->fairness.suppress_small ? "left out" : "merged", fw->fairness.ratio_threshold,
                 fw->fairness.holm ? " (Holm-adjusted)" : "", fw->fairness.p_threshold);
        row = criteria_pair(w, row, "Fairness check", text);
    }
    row = criteria_pair(w, row, "Attainment", "min(score / expected, 1) per skill");
    row = criteria_pair(w, row, "Family attainment",
                        "skill attainments averaged with the profile's skill weights");
    row = criteria_pair(w, row, "Readiness score",
                        "100 x family attainments averaged with the profile's family weights");
    return row + 1;
}

static lxw_row_t criteria_gates(xlsx_writer *w, lxw_row_t row)
{
    const nl_framework *fw = w->b->fw;
    static const char *const names[] = {"Gate",     "Title",      "Kind",
                                        "Severity", "Parameters", "Mitigation"};
    xw_text(w, w->b->criteria, row++, 0, "Decision gates, in the order they are checked",
            w->b->f.section);
    row = criteria_header(w, row, names, 6);
    for (size_t g = 0; g < fw->gate_count; g++, row++) {
        const nl_gate *gate = &fw->gates[g];
        xw_text(w, w->b->criteria, row, 0, gate->id, NULL);
        xw_text(w, w->b->criteria, row, 1, gate->title, NULL);
        xw_text(w, w->b->criteria, row, 2, nl_gate_kind_name(gate->kind), NULL);
        xw_text(w, w->b->criteria, row, 3, gate->severity == NL_HARD ? "hard" : "soft", NULL);
        xw_owned(w, w->b->criteria, row, 4, nl_describe_gate_parameters(fw, gate), NULL);
        xw_text(w, w->b->criteria, row, 5, gate->mitigation, NULL);
    }
    return row + 1;
}

static void profile_row(xlsx_writer *w, lxw_row_t row, const nl_profile *profile, const char *label)
{
    const nl_framework *fw = w->b->fw;
    xw_text(w, w->b->criteria, row, 0, label, NULL);
    char *skills = nl_strdup("");
    for (size_t f = 0; f < fw->family_count; f++)
        xw_number(w, w->b->criteria, row, (lxw_col_t)(1 + f), profile->family_weight[f],
                  w->b->f.number);
    for (size_t s = 0; s < fw->skill_count && skills; s++) {
        if (profile->skill_weight[s] == 1.0)
            continue;
        char item[256];
        snprintf(item, sizeof item, "%s %g", fw->skills[s].id, profile->skill_weight[s]);
        skills = nl_strjoin(skills, *skills ? ", " : "", item);
    }
    xw_owned(w, w->b->criteria, row, (lxw_col_t)(1 + fw->family_count), skills, NULL);
}

static lxw_row_t criteria_profiles(xlsx_writer *w, lxw_row_t row)
{
    const nl_framework *fw = w->b->fw;
    xw_text(w, w->b->criteria, row++, 0, "Priority profiles (family weights)", w->b->f.section);
    xw_text(w, w->b->criteria, row, 0, "Profile", w->b->f.header);
    for (size_t f = 0; f < fw->family_count; f++)
        xw_text(w, w->b->criteria, row, (lxw_col_t)(1 + f), fw->families[f], w->b->f.header);
    xw_text(w, w->b->criteria, row++, (lxw_col_t)(1 + fw->family_count), "Skill weights (not 1)",
            w->b->f.header);
    for (size_t p = 0; p < fw->profile_count; p++) {
        char label[256];
        snprintf(label, sizeof label, "%s%s", fw->profiles[p].name,
                 &fw->profiles[p] == nl_evaluator_profile(w->b->ev) ? " (deciding)" : "");
        profile_row(w, row++, &fw->profiles[p], label);
    }
    if (nl_evaluator_overridden(w->b->ev))
        profile_row(w, row++, nl_evaluator_profile(w->b->ev), "what-if weights (deciding)");
    return row + 1;
}

static void criteria_inputs(xlsx_writer *w, lxw_row_t row)
{
    static const char *const names[] = {"Input file", "SHA-256",         "Format",
                                        "Rows read",  "People accepted", "Rows rejected"};
    size_t file_count, people_count;
    const nl_file_summary *files = nl_matrix_files(w->b->m, &file_count);
    const nl_person *people = nl_matrix_people(w->b->m, &people_count);
    /* A pack lists the files its people come from, not every file of the batch. */
    bool *listed = calloc(file_count ? file_count : 1, sizeof *listed);
    if (listed == NULL) {
        w->out_of_memory = true;
        return;
    }
    for (size_t i = 0; i < file_count && w->b->view->whole; i++)
        listed[i] = true;
    for (size_t i = 0; i < w->b->count && !w->b->view->whole; i++)
        listed[people[w->b->people[w->b->order[i]].person].file] = true;
    xw_text(w, w->b->criteria, row++, 0,
            !w->b->view->whole ? "Inputs (the files this pack's people come from)" : "Inputs",
            w->b->f.section);
    row = criteria_header(w, row, names, 6);
    for (size_t i = 0; i < file_count; i++) {
        if (!listed[i])
            continue;
        const nl_file_summary *f = &files[i];
        char format[64];
        snprintf(format, sizeof format, "%s, %s-delimited", f->long_format ? "long" : "wide",
                 nl_csv_delimiter_name(f->delimiter));
        xw_text(w, w->b->criteria, row, 0, f->path, NULL);
        xw_text(w, w->b->criteria, row, 1,
                w->b->opt->input_digests ? w->b->opt->input_digests[i] : "not computed", NULL);
        xw_text(w, w->b->criteria, row, 2, format, NULL);
        xw_number(w, w->b->criteria, row, 3, (double)f->rows_read, w->b->f.integer);
        xw_number(w, w->b->criteria, row, 4, (double)f->people_accepted, w->b->f.integer);
        xw_number(w, w->b->criteria, row++, 5, (double)f->rows_rejected, w->b->f.integer);
    }
    free(listed);
}

void xw_criteria_sheet(xlsx_writer *w)
{
    lxw_worksheet *ws = w->b->criteria;
    worksheet_set_column(ws, 0, 0, 32, NULL);
    worksheet_set_column(ws, 1, 1, 66, NULL);
    worksheet_set_column(ws, 2, 7, 18, NULL);
    lxw_row_t row = criteria_framework(w, 0);
    row = criteria_gates(w, row);
    row = criteria_profiles(w, row);
    criteria_inputs(w, row);
    xw_print_setup(w, ws, 0);
}
