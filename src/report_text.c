#include "nextlevel/report_text.h"

#include "nextlevel/column_needs.h"
#include "nextlevel/describe.h"
#include "nextlevel/strmap.h"
#include "nextlevel/strutil.h"
#include "nextlevel/textsafe.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static void print_weight_list(FILE *out, const nl_framework *fw, const nl_profile *profile)
{
    const char *sep = "";
    if (fw->family_count == 0)
        fputs("nothing to weigh (no skills: the readiness score is not applicable)", out);
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
        if (!isnan(level->min_points))
            fprintf(out, " from %g milestone points", level->min_points);
        fputc('\n', out);
    }
    if (fw->level_from == NL_LEVEL_FROM_POINTS)
        fputs("  levels come from milestone points (level_from = points)\n", out);
}

/* "0:0, 1:1, 2:3" */
static void print_points(FILE *out, const nl_point *points, size_t count)
{
    for (size_t i = 0; i < count; i++)
        fprintf(out, "%s%g:%g", i ? ", " : "", points[i].value, points[i].points);
}

/* The framework's points, and every skill whose scale, labels or points are its own. */
static void print_skill_scales(FILE *out, const nl_framework *fw)
{
    if (fw->point_count > 0) {
        fputs("  milestone points: ", out);
        print_points(out, fw->points, fw->point_count);
        fputc('\n', out);
    }
    for (size_t s = 0; s < fw->skill_count; s++) {
        const nl_skill *sk = &fw->skills[s];
        bool own_scale = sk->scale_min != fw->scale_min || sk->scale_max != fw->scale_max;
        if (!own_scale && !sk->own_labels && !sk->own_points)
            continue;
        fprintf(out, "  skill %s: scale %g..%g", sk->id, sk->scale_min, sk->scale_max);
        for (size_t i = 0; i < sk->label_count; i++)
            fprintf(out, "%s%g %s", i ? ", " : ": ", sk->labels[i].value, sk->labels[i].text);
        if (sk->point_count > 0) {
            fputs("; milestone points ", out);
            print_points(out, sk->points, sk->point_count);
        } else if (fw->point_count > 0) {
            fputs("; no milestone points", out);
        }
        fputc('\n', out);
    }
}

/* The names a header column can hold for the template: [columns] fields, the fairness group,
 * attribute columns and skills (by id or name). */
typedef struct column_use {
    const char *header;
    char what[160];
} column_use;

/* For each use, the index of the next use whose header folds to the same key (SIZE_MAX for
 * none); NULL when out of memory. */
static size_t *chain_same_headers(const column_use *uses, size_t n)
{
    size_t *next = malloc((n ? n : 1) * sizeof *next);
    nl_strmap *last = nl_strmap_new();
    bool ok = next != NULL && last != NULL;
    for (size_t i = 0; i < n && ok; i++) {
        next[i] = SIZE_MAX;
        char *key = nl_fold_key(uses[i].header, strlen(uses[i].header));
        size_t before;
        if (key != NULL && nl_strmap_get(last, key, &before))
            next[before] = i;
        ok = key != NULL && nl_strmap_put(last, key, i);
        free(key);
    }
    nl_strmap_free(last);
    if (!ok) {
        free(next);
        return NULL;
    }
    return next;
}

/* Lists the header columns that feed more than one field: allowed (each field reads the same
 * cell), but said, since a level sharing the id's column is rarely meant. */
static void print_shared_columns(FILE *out, const nl_framework *fw)
{
    size_t cap = NL_FIELD_COUNT + 1 + fw->attribute_count + 2 * fw->skill_count, n = 0;
    column_use *uses = calloc(cap, sizeof *uses);
    bool *done = calloc(cap, sizeof *done);
    if (uses == NULL || done == NULL) {
        free(uses);
        free(done);
        return;
    }
    for (int f = 0; f < NL_FIELD_COUNT; f++) {
        uses[n].header = fw->columns[f];
        nl_sformat(uses[n++].what, sizeof uses->what, "%s", nl_field_name((nl_field)f));
    }
    if (fw->fairness.group_column != NULL) {
        uses[n].header = fw->fairness.group_column;
        nl_sformat(uses[n++].what, sizeof uses->what, "the fairness group");
    }
    for (size_t a = 0; a < fw->attribute_count; a++) {
        uses[n].header = fw->attributes[a].column;
        nl_sformat(uses[n++].what, sizeof uses->what, "attribute %s", fw->attributes[a].id);
    }
    for (size_t s = 0; s < fw->skill_count; s++) {
        /* A skill's id and name are two spellings of one column, not two uses. */
        uses[n].header = fw->skills[s].id;
        nl_sformat(uses[n++].what, sizeof uses->what, "skill %s", fw->skills[s].id);
        if (!nl_fold_equal(fw->skills[s].id, fw->skills[s].name)) {
            uses[n].header = fw->skills[s].name;
            nl_sformat(uses[n++].what, sizeof uses->what, "skill %s", fw->skills[s].id);
        }
    }
    /* Each use chained to the next one of the same folded header: comparing every pair made
     * `check` of 10,000 skills take 10 s. */
    size_t *next = chain_same_headers(uses, n);
    if (next == NULL) {
        free(uses);
        free(done);
        return;
    }
    for (size_t i = 0; i < n; i++) {
        if (done[i])
            continue;
        size_t shared = 0;
        for (size_t j = next[i]; j != SIZE_MAX; j = next[j])
            shared += !done[j] && strcmp(uses[i].what, uses[j].what) != 0;
        if (shared == 0)
            continue;
        fprintf(out, "  column \"%s\" feeds %s", uses[i].header, uses[i].what);
        for (size_t j = next[i]; j != SIZE_MAX; j = next[j]) {
            if (!done[j]) {
                if (strcmp(uses[i].what, uses[j].what) != 0)
                    fprintf(out, " and %s", uses[j].what);
                done[j] = true;
            }
        }
        fputs(": each reads the same cell\n", out);
    }
    free(next);
    free(uses);
    free(done);
}

void nl_report_framework(FILE *out, const nl_framework *fw)
{
    fprintf(out, "%s: %s\n", fw->path, fw->name ? fw->name : "(unnamed)");
    fprintf(out, "  scale %g..%g", fw->scale_min, fw->scale_max);
    for (size_t i = 0; i < fw->label_count; i++)
        fprintf(out, "%s%g %s", i ? ", " : ": ", fw->labels[i].value, fw->labels[i].text);
    fputc('\n', out);
    print_skill_scales(out, fw);
    fprintf(out, "  skills (%zu) in %zu families:\n", fw->skill_count, fw->family_count);
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
    if (fw->report.csv_dialect != NL_DIALECT_PLAIN) /* plain, the default, goes unsaid */
        fprintf(out, "  CSV outputs: %s (--csv-dialect overrides it)\n",
                nl_csv_dialect_name(fw->report.csv_dialect));
    /* Only with a [slate] section: a template without a budget prints what it always did. */
    if (fw->slate.has_budget)
        fprintf(out, "  promotion budget: %zu slots for the organisation (--budget overrides it)\n",
                fw->slate.budget);
    for (size_t i = 0; i < fw->slate.team_count; i++)
        fprintf(out, "%s%s %zu%s",
                i ? ", " : "  promotion budget per team: ", fw->slate.teams[i].team,
                fw->slate.teams[i].slots,
                i + 1 == fw->slate.team_count ? " (--budget overrides it)\n" : "");
    print_shared_columns(out, fw);
}

/* A gate param for people whose next level is level: its value, or "n/a" where the gate does
 * not apply. */
static void gate_value(const nl_gate *gate, nl_gate_param_id which, size_t level, char *text,
                       size_t size)
{
    if (!nl_gate_applies(gate, level))
        nl_sformat(text, size, "n/a");
    else
        nl_sformat(text, size, "%g", nl_gate_param(gate, which, level));
}

/* The gates whose params differ by next level (KEY.LEVEL, levels), as they stand for people
 * whose next level is from and to: nothing when no gate's do. */
static void print_gate_diff(FILE *out, const nl_framework *fw, size_t from, size_t to)
{
    const nl_level *a = &fw->levels[from], *b = &fw->levels[to];
    bool header = false;
    for (size_t g = 0; g < fw->gate_count; g++) {
        const nl_gate *gate = &fw->gates[g];
        if (!nl_gate_varies(gate))
            continue;
        for (int p = 0; p < NL_GATE_PARAM_COUNT; p++) {
            const char *key = nl_gate_param_key(gate->kind, (nl_gate_param_id)p);
            if (key == NULL || (p == NL_GATE_TOLERANCE && gate->per_level[p] == NULL))
                continue;
            if (!header) {
                fprintf(out, "  %-28s %-12s %6s %6s  %s\n", "gate (as next level)", "key", a->id,
                        b->id, "change");
                header = true;
            }
            char before[32], after[32], change[64] = "=";
            gate_value(gate, (nl_gate_param_id)p, from, before, sizeof before);
            gate_value(gate, (nl_gate_param_id)p, to, after, sizeof after);
            bool x = nl_gate_applies(gate, from), y = nl_gate_applies(gate, to);
            double dx = nl_gate_param(gate, (nl_gate_param_id)p, from);
            double dy = nl_gate_param(gate, (nl_gate_param_id)p, to);
            if (x != y)
                nl_sformat(change, sizeof change, y ? "newly applies" : "no longer applies");
            else if (x && dx != dy)
                nl_sformat(change, sizeof change, "%+g", dy - dx);
            fprintf(out, "  %-28s %-12s %6s %6s  %s\n", gate->id, key, before, after, change);
        }
    }
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
            nl_sformat(before, sizeof before, "%g", x);
        if (!isnan(y))
            nl_sformat(after, sizeof after, "%g", y);
        if (!isnan(x) && !isnan(y) && y != x)
            nl_sformat(change, sizeof change, "%+g", y - x);
        else if (!isnan(x) && !isnan(y))
            nl_sformat(change, sizeof change, "=");
        else if (isnan(x) != isnan(y))
            nl_sformat(change, sizeof change, isnan(y) ? "no longer expected" : "newly expected");
        raised += !isnan(x) && !isnan(y) && y > x;
        lowered += !isnan(x) && !isnan(y) && y < x;
        fprintf(out, "  %-28s %-12s %6s %6s  %s\n", fw->skills[s].id,
                fw->families[fw->skills[s].family], before, after, change);
    }
    fprintf(out, "  %zu expectations raised, %zu lowered\n", raised, lowered);
    print_gate_diff(out, fw, from, to);
}

void nl_report_rejection(FILE *out, const nl_matrix *m, const nl_rejection *rej)
{
    size_t file_count;
    const nl_file_summary *files = nl_matrix_files(m, &file_count);
    fprintf(out, "%s:%ld", files[rej->file].path, rej->line);
    if (rej->column > 0)
        fprintf(out, ":%ld", rej->column);
    /* Labelled, so that "1408" is not taken for a line number. */
    if (rej->id != NULL)
        fprintf(out, ": person %s", rej->id);
    fprintf(out, ": %s\n", rej->reason);
}

/* The gates that read what a missing column holds: " gates tenure (soft), ..." */
static void print_gate_list(FILE *out, const nl_framework *fw, const bool *reads)
{
    size_t n = 0;
    for (size_t g = 0; g < fw->gate_count; g++)
        n += reads[g];
    fprintf(out, "%s", n == 1 ? "gate " : "gates ");
    const char *sep = "";
    for (size_t g = 0; g < fw->gate_count; g++) {
        if (reads[g]) {
            fprintf(out, "%s%s (%s)", sep, fw->gates[g].id,
                    fw->gates[g].severity == NL_HARD ? "hard" : "soft");
            sep = ", ";
        }
    }
}

static void heading(FILE *out, const nl_file_summary *f, bool *printed)
{
    if (*printed)
        return;
    *printed = true;
    fputs(f->people_continued > 0 && f->people_accepted == 0
              ? "  columns the template needs that this file lacks (its people take them from "
                "the file they were first read from):\n"
              : "  columns the template needs that this file lacks:\n",
          out);
}

/* Every column the template reads that the file lacks, and the gates that will not be
 * checked for its people because of it. */
static void print_missing_columns(FILE *out, const nl_framework *fw, const nl_file_summary *f)
{
    bool printed = false;
    bool *reads = calloc(fw->gate_count ? fw->gate_count : 1, sizeof *reads);
    if (reads == NULL)
        return;
    nl_columns_found found = nl_columns_of_file(f);
    char what[512];
    if (!nl_tenure_found(f->field_found)) {
        size_t n = 0;
        for (size_t g = 0; g < fw->gate_count; g++)
            n += reads[g] = fw->gates[g].kind == NL_GATE_TENURE;
        if (n > 0) {
            heading(out, f, &printed);
            fprintf(out, "    '%s' (months_in_level, or years_in_level, level_start_date): ",
                    fw->columns[NL_FIELD_MONTHS]);
            print_gate_list(out, fw, reads);
            fputs(" will not be checked\n", out);
        }
    }
    for (size_t a = 0; a < fw->attribute_count; a++) {
        if (f->attribute_found[a])
            continue;
        size_t n = 0;
        for (size_t g = 0; g < fw->gate_count; g++)
            n += reads[g] = fw->gates[g].kind == NL_GATE_ATTRIBUTE && fw->gates[g].attribute == a;
        heading(out, f, &printed);
        fprintf(out, "    '%s' (attribute %s): ", fw->attributes[a].column, fw->attributes[a].id);
        if (n > 0) {
            print_gate_list(out, fw, reads);
            fputs(" will not be checked\n", out);
        } else {
            fputs("no gate reads it; it is shown for context only\n", out);
        }
    }
    size_t skills_found = 0;
    for (size_t s = 0; s < fw->skill_count; s++)
        skills_found += f->skill_found[s];
    for (size_t s = 0; s < fw->skill_count && skills_found > 0; s++) {
        if (f->skill_found[s])
            continue;
        size_t n = 0;
        for (size_t g = 0; g < fw->gate_count; g++)
            n += reads[g] = nl_gate_reads_skill(fw, &fw->gates[g], s);
        heading(out, f, &printed);
        fprintf(out, "    skill %s ('%s'): ", fw->skills[s].id, fw->skills[s].name);
        if (n > 0) {
            print_gate_list(out, fw, reads);
            fputs(" read it: people lack its rating\n", out);
        } else {
            fputs("no gate reads it\n", out);
        }
    }
    size_t n = 0;
    for (size_t g = 0; g < fw->gate_count; g++) {
        const nl_gate *gate = &fw->gates[g];
        bool skill_gate = gate->kind != NL_GATE_TENURE && gate->kind != NL_GATE_ATTRIBUTE;
        if (!skill_gate || !nl_gate_unreadable(fw, gate, &found, what, sizeof what)) {
            reads[g] = false;
            continue;
        }
        n += reads[g] = true;
        if (skills_found == 0)
            continue; /* one line for them all below */
        heading(out, f, &printed);
        fprintf(out, "    gate %s (%s) will not be checked: the file has no %s\n", gate->id,
                gate->severity == NL_HARD ? "hard" : "soft", what + 2 /* after "a " */);
    }
    if (skills_found == 0 && n > 0) {
        heading(out, f, &printed);
        fputs("    ", out);
        print_gate_list(out, fw, reads);
        fputs(" will not be checked: the file has no rating of any skill\n", out);
    }
    if (!f->field_found[NL_FIELD_TEAM]) {
        heading(out, f, &printed);
        fprintf(out, "    '%s' (team): %s\n", fw->columns[NL_FIELD_TEAM],
                f->team_from_name ? "its people take the file's name as their team"
                                  : "its people have no team");
    }
    if (!f->field_found[NL_FIELD_MANAGER]) {
        heading(out, f, &printed);
        fprintf(out,
                "    '%s' (manager): its people have no manager for calibration and "
                "--split-by manager\n",
                fw->columns[NL_FIELD_MANAGER]);
    }
    if (fw->fairness.group_column != NULL && !f->group_found) {
        heading(out, f, &printed);
        fprintf(out,
                "    '%s' (fairness group_column): its people have no group on the "
                "Fairness sheet\n",
                fw->fairness.group_column);
    }
    free(reads);
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
    /* Every row is either used or rejected: the two add up to the rows read. */
    fprintf(out, "  rows used: %ld (read %ld = used %ld + rejected %ld)\n", f->rows_used,
            f->rows_read, f->rows_used, f->rows_rejected);
    if (f->people_continued > 0)
        fprintf(out,
                "  people continued from earlier files: %ld (this file's ratings are combined "
                "with theirs)\n",
                f->people_continued);
    if (f->rows_blank > 0)
        fprintf(out,
                "  empty rows skipped: %ld (rows with no text in any cell, such as \",,,,\")\n",
                f->rows_blank);
    if (f->header_repeats > 0)
        fprintf(out, "  line %ld repeats the header: were two exports joined? It was skipped%s\n",
                f->header_repeat_line,
                f->header_repeats > 1 ? " (as were the other such lines)" : "");
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
    print_missing_columns(out, fw, f);
    if (f->unknown_count > 0) {
        fputs("  unknown columns (ignored):", out);
        /* "Level<no-break space>" explains why a column that looks right is not taken. */
        char shown[256];
        for (size_t i = 0; i < f->unknown_count; i++)
            fprintf(out, "%s \"%s\"", i ? "," : "",
                    nl_visible(f->unknown_columns[i], shown, sizeof shown));
        fputc('\n', out);
    }
    long people = f->people_accepted + f->people_continued;
    if (people == 0)
        return;
    fputs(f->people_continued > 0
              ? "  coverage (share of the people of this file assessed by its rows):\n"
              : "  coverage (share of accepted people assessed):\n",
          out);
    for (size_t s = 0; s < fw->skill_count; s++) {
        double share = 100.0 * (double)f->assessed[s] / (double)people;
        fprintf(out, "    %-28s %5.1f%%  (%ld/%ld)\n", fw->skills[s].id, share, f->assessed[s],
                people);
    }
}
