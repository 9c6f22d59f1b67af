#include "nextlevel/report_text.h"

#include "nextlevel/describe.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static void print_weight_list(FILE *out, const nl_framework *fw, const nl_profile *profile)
{
    const char *sep = "";
    for (size_t f = 0; f < fw->family_count; f++) {
        fprintf(out, "%s%s %g", sep, fw->families[f], profile->family_weight[f]);
        sep = ", ";
    }
    for (size_t s = 0; s < fw->skill_count; s++) {
        if (profile->skill_weight[s] != 1.0)
            fprintf(out, ", skill %s %g", fw->skills[s].id, profile->skill_weight[s]);
    }
}

static void print_ladder(FILE *out, const nl_framework *fw)
{
    fprintf(out, "  levels (%zu):\n", fw->level_count);
    for (size_t l = 0; l < fw->level_count; l++) {
        const nl_level *level = &fw->levels[l];
        fprintf(out, "    %-6s %-32s", level->id, level->title);
        if (level->next_count == 0)
            fputs(" top of the ladder", out);
        for (size_t i = 0; i < level->next_count; i++)
            fprintf(out, "%s%s", i ? " | " : " -> ", fw->levels[level->next[i]].id);
        if (level->next_count > 1)
            fputs(" (tracks)", out);
        if (level->entry)
            fputs(" [entry]", out);
        fputc('\n', out);
    }
}

void nl_report_framework(FILE *out, const nl_framework *fw)
{
    fprintf(out, "%s: %s\n", fw->path, fw->name ? fw->name : "(unnamed)");
    fprintf(out, "  scale %g..%g", fw->scale_min, fw->scale_max);
    for (size_t i = 0; i < fw->label_count; i++)
        fprintf(out, "%s%g %s", i ? ", " : ": ", fw->labels[i].value, fw->labels[i].text);
    fprintf(out, "\n  skills (%zu) in %zu families:\n", fw->skill_count, fw->family_count);
    for (size_t f = 0; f < fw->family_count; f++) {
        fprintf(out, "    %s:", fw->families[f]);
        const char *sep = " ";
        for (size_t s = 0; s < fw->skill_count; s++) {
            if (fw->skills[s].family == f) {
                fprintf(out, "%s%s", sep, fw->skills[s].id);
                sep = ", ";
            }
        }
        fputc('\n', out);
    }
    /* The rating step plans raise by, with the skills that have their own. */
    fprintf(out, "  rating step %g", fw->step);
    const char *sep = " (";
    for (size_t s = 0; s < fw->skill_count; s++) {
        if (fw->skills[s].step != fw->step) {
            fprintf(out, "%s%s %g", sep, fw->skills[s].id, fw->skills[s].step);
            sep = ", ";
        }
    }
    fprintf(out, "%s; development plans show %g raises\n", *sep == ',' ? ")" : "",
            fw->plans.max_raises);
    print_ladder(out, fw);
    fprintf(out, "  priority profiles (%zu):\n", fw->profile_count);
    for (size_t p = 0; p < fw->profile_count; p++) {
        fprintf(out, "    %s%s: ", fw->profiles[p].name,
                p == fw->default_profile ? " (default)" : "");
        print_weight_list(out, fw, &fw->profiles[p]);
        fputc('\n', out);
    }
    fprintf(out, "  gates (%zu, checked in this order):\n", fw->gate_count);
    for (size_t g = 0; g < fw->gate_count; g++) {
        const nl_gate *gate = &fw->gates[g];
        fprintf(out, "    %zu. %s [%s, %s]: ", g + 1, gate->id, nl_gate_kind_name(gate->kind),
                gate->severity == NL_HARD ? "hard" : "soft");
        char *parameters = nl_describe_gate_parameters(fw, gate);
        fprintf(out, "%s\n", parameters ? parameters : "");
        free(parameters);
    }
    fputs("  columns:", out);
    for (int f = 0; f < NL_FIELD_COUNT; f++)
        fprintf(out, "%s %s = \"%s\"", f ? "," : "", nl_field_name((nl_field)f), fw->columns[f]);
    fputc('\n', out);
    for (size_t a = 0; a < fw->attribute_count; a++)
        fprintf(out, "  attribute %s: column \"%s\"\n", fw->attributes[a].id,
                fw->attributes[a].column);
    fprintf(out, "  long format: %s", nl_aggregate_name(fw->aggregate));
    for (size_t i = 0; i < fw->role_weight_count; i++)
        fprintf(out, "%s%s %g", i ? ", " : " (", fw->role_weights[i].role,
                fw->role_weights[i].weight);
    fprintf(out, "%s; missing scores: %s\n", fw->role_weight_count ? ")" : "",
            fw->missing_rule == NL_MISSING_SKIP ? "skip" : "not_evaluated");
    fprintf(out, "  printed footer: \"%s\"\n", fw->report.confidentiality);
}

void nl_report_level_diff(FILE *out, const nl_framework *fw, size_t from, size_t to)
{
    const nl_level *a = &fw->levels[from], *b = &fw->levels[to];
    fprintf(out, "%s: %s (%s) -> %s (%s)\n", fw->path, a->id, a->title, b->id, b->title);
    fprintf(out, "  %-28s %-12s %6s %6s  %s\n", "skill", "family", a->id, b->id, "change");
    size_t raised = 0, lowered = 0;
    for (size_t s = 0; s < fw->skill_count; s++) {
        double x = a->expected[s], y = b->expected[s];
        char before[16] = "-", after[16] = "-", change[32] = "";
        if (!isnan(x))
            snprintf(before, sizeof before, "%g", x);
        if (!isnan(y))
            snprintf(after, sizeof after, "%g", y);
        if (!isnan(x) && !isnan(y) && y != x)
            snprintf(change, sizeof change, "%+g", y - x);
        else if (!isnan(x) && !isnan(y))
            snprintf(change, sizeof change, "=");
        else if (isnan(x) != isnan(y))
            snprintf(change, sizeof change, isnan(y) ? "no longer expected" : "newly expected");
        raised += !isnan(x) && !isnan(y) && y > x;
        lowered += !isnan(x) && !isnan(y) && y < x;
        fprintf(out, "  %-28s %-12s %6s %6s  %s\n", fw->skills[s].id,
                fw->families[fw->skills[s].family], before, after, change);
    }
    fprintf(out, "  %zu expectations raised, %zu lowered\n", raised, lowered);
}

void nl_report_rejection(FILE *out, const nl_matrix *m, const nl_rejection *rej)
{
    size_t file_count;
    const nl_file_summary *files = nl_matrix_files(m, &file_count);
    fprintf(out, "%s:%ld", files[rej->file].path, rej->line);
    if (rej->column > 0)
        fprintf(out, ":%ld", rej->column);
    if (rej->id != NULL)
        fprintf(out, ": %s", rej->id);
    fprintf(out, ": %s\n", rej->reason);
}

void nl_report_file(FILE *out, const nl_framework *fw, const nl_matrix *m, size_t file)
{
    size_t file_count, rejection_count;
    const nl_file_summary *f = &nl_matrix_files(m, &file_count)[file];
    const nl_rejection *rejections = nl_matrix_rejections(m, &rejection_count);
    fprintf(out, "%s: %s format, %s-delimited\n", f->path, f->long_format ? "long" : "wide",
            f->delimiter == ';'    ? "semicolon"
            : f->delimiter == '\t' ? "tab"
                                   : "comma");
    char encoding[320];
    fprintf(out, "  encoding: %s\n", nl_encoding_describe(&f->encoding, encoding, sizeof encoding));
    fprintf(out, "  rows read: %ld, people accepted: %ld, rows rejected: %ld\n", f->rows_read,
            f->people_accepted, f->rows_rejected);
    if (f->rows_rejected > 0) {
        fputs("  rejected rows:\n", out);
        for (size_t i = 0; i < rejection_count; i++) {
            if (rejections[i].file == file) {
                fputs("    ", out);
                nl_report_rejection(out, m, &rejections[i]);
            }
        }
    }
    size_t found = 0;
    for (size_t s = 0; s < fw->skill_count; s++)
        found += f->skill_found[s];
    fprintf(out, "  skills found: %zu of %zu", found, fw->skill_count);
    const char *sep = "; missing: ";
    for (size_t s = 0; s < fw->skill_count; s++) {
        if (!f->skill_found[s]) {
            fprintf(out, "%s%s", sep, fw->skills[s].id);
            sep = ", ";
        }
    }
    fputc('\n', out);
    if (f->unknown_count > 0) {
        fputs("  unknown columns (ignored):", out);
        for (size_t i = 0; i < f->unknown_count; i++)
            fprintf(out, "%s \"%s\"", i ? "," : "", f->unknown_columns[i]);
        fputc('\n', out);
    }
    if (f->people_accepted == 0)
        return;
    fputs("  coverage (share of accepted people assessed):\n", out);
    for (size_t s = 0; s < fw->skill_count; s++) {
        double share = 100.0 * (double)f->assessed[s] / (double)f->people_accepted;
        fprintf(out, "    %-28s %5.1f%%  (%ld/%ld)\n", fw->skills[s].id, share, f->assessed[s],
                f->people_accepted);
    }
}
