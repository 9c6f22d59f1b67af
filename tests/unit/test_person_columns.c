/* The column table (person_columns.h): the CSV header is the table's CSV columns in order (the
 * golden samples.csv holds the header from before the table), and every key and title is used
 * once. The cells themselves are checked through the outputs (golden files, check_review.py). */
#include "test_support.h"

#include "nextlevel/framework.h"
#include "nextlevel/person_columns.h"
#include "nextlevel/strutil.h"

#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

static nl_framework *load_ic(void)
{
    nl_framework *fw = NULL;
    nl_error err = {0};
    char path[4096];
    snprintf(path, sizeof path, "%s/templates/engineering-ic.ini", NL_SOURCE_DIR);
    cr_assert_eq(nl_framework_load(path, &fw, &err), NL_OK, "%s", err.message);
    return fw;
}

Test(person_columns, the_csv_header_is_the_tables_csv_columns)
{
    nl_framework *fw = load_ic();
    size_t count;
    const nl_person_column *columns = nl_person_columns(&count);
    char *header = nl_strdup("");
    for (size_t c = 0; c < count; c++) {
        /* The golden run has no promotion budget: the budget's columns are not in it. */
        if (!(columns[c].where & NL_IN_CSV) || (columns[c].where & NL_ONLY_WITH_BUDGET))
            continue;
        for (size_t item = 0; item < nl_column_items(&columns[c], fw); item++) {
            char *name = nl_column_header(&columns[c], fw, item, false);
            cr_assert_not_null(name);
            header = nl_strjoin(header, *header ? "," : "", name);
            cr_assert_not_null(header);
            free(name);
        }
    }
    size_t len;
    char *golden = nl_test_read_all(NL_SOURCE_DIR "/tests/cases/golden/samples.csv", &len);
    golden[strcspn(golden, "\n")] = '\0';
    cr_assert_str_eq(header, golden);
    free(golden);
    free(header);
    nl_framework_free(fw);
}

Test(person_columns, keys_and_titles_are_unique)
{
    size_t count;
    const nl_person_column *columns = nl_person_columns(&count);
    for (size_t a = 0; a < count; a++) {
        cr_assert(columns[a].key != NULL || columns[a].title != NULL ||
                      columns[a].repeat == NL_PER_GATE_PART,
                  "column %zu is in no output", a);
        cr_assert_not_null(columns[a].cell);
        for (size_t b = a + 1; b < count; b++) {
            if (columns[a].key && columns[b].key)
                cr_assert_str_neq(columns[a].key, columns[b].key);
            if (columns[a].title && columns[b].title)
                cr_assert_str_neq(columns[a].title, columns[b].title);
        }
        if (columns[a].where & (NL_IN_SHEET | NL_SHEET_CALIBRATED))
            cr_assert_gt(columns[a].width, 0, "%s has no width", columns[a].title);
    }
}
