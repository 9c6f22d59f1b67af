/* `nextlevel evaluate --redact` / `--redact-key`: keyed pseudonyms are stable across runs and
 * differ between keys, a random key differs every run, the trend still matches people, and no
 * real name or id of the input is left anywhere in any output: CSV, rejected rows, JSON, every
 * part of the workbooks (the combined one and the per-manager packs, whose file names are
 * pseudonyms too) and the messages on standard error. The real names and ids are read here from
 * the sample exports themselves (samples/messy-export.csv is ';'-delimited, has a BOM and a
 * name with a line break inside quotes). */
#include "test_support.h"

#include <criterion/criterion.h>
#include <ctype.h>
#include <dirent.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define RUN(...) nl_test_run((const char *[]){__VA_ARGS__, NULL})
#define IC       "templates/engineering-ic.ini"
/* Every export of this quarter: the folder (its *.csv, not the previous quarter's sub-folder). */
#define SAMPLES  "samples"
#define PREVIOUS "samples/previous-quarter"

/* ---- files and folders ---- */

static bool exists(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0;
}

/* A key file holding len bytes of key. */
static char *key_file(const char *key, size_t len)
{
    char *path = nl_test_write_temp(".key", key, len);
    cr_assert_not_null(path);
    return path;
}

/* ---- reading the samples' real names and ids ---- */

typedef struct strings {
    char **items;
    size_t count;
} strings;

static void add_string(strings *s, const char *text, size_t len)
{
    for (size_t i = 0; i < s->count; i++) {
        if (strlen(s->items[i]) == len && memcmp(s->items[i], text, len) == 0)
            return;
    }
    s->items = realloc(s->items, (s->count + 1) * sizeof *s->items);
    s->items[s->count] = malloc(len + 1);
    memcpy(s->items[s->count], text, len);
    s->items[s->count++][len] = '\0';
}

static void free_strings(strings *s)
{
    for (size_t i = 0; i < s->count; i++)
        free(s->items[i]);
    free(s->items);
    memset(s, 0, sizeof *s);
}

static bool has_string(const strings *s, const char *text)
{
    for (size_t i = 0; i < s->count; i++) {
        if (strcmp(s->items[i], text) == 0)
            return true;
    }
    return false;
}

/* A header name without case, spaces and underscores ("  employee id " -> "employeeid"). */
static void header_key(const char *name, char *out, size_t size)
{
    size_t n = 0;
    for (; *name && n + 1 < size; name++) {
        if (*name != ' ' && *name != '_' && *name != '\t')
            out[n++] = (char)tolower((unsigned char)*name);
    }
    out[n] = '\0';
}

/* Adds the cell trimmed of spaces, when not empty. */
static void add_trimmed(strings *s, const char *cell, size_t len)
{
    while (len > 0 && (*cell == ' ' || *cell == '\t')) {
        cell++;
        len--;
    }
    while (len > 0 && (cell[len - 1] == ' ' || cell[len - 1] == '\t'))
        len--;
    if (len > 0)
        add_string(s, cell, len);
}

/* Reads the values of the id, name and manager columns of one CSV export (RFC 4180 quoting,
 * BOM, delimiter , ; or tab: the most frequent in the header) into ids and names. */
static void read_identities(const char *path, strings *ids, strings *names)
{
    char *data = nl_test_read_all(path, NULL);
    const char *text = data;
    if (strncmp(text, "\xEF\xBB\xBF", 3) == 0)
        text += 3;
    size_t counts[3] = {0, 0, 0};
    static const char delimiters[3] = {',', ';', '\t'};
    for (const char *c = text; *c && *c != '\n'; c++)
        for (int k = 0; k < 3; k++)
            counts[k] += *c == delimiters[k];
    char delimiter = counts[1] > counts[0] ? ';' : ',';
    if (counts[2] > counts[0] && counts[2] > counts[1])
        delimiter = '\t';
    long id_col = -1, name_col = -1, manager_col = -1, col = 0;
    bool header = true, in_quotes = false;
    size_t cap = strlen(text) + 1, n = 0;
    char *cell = malloc(cap);
    for (const char *c = text;; c++) {
        if (in_quotes && *c) {
            if (*c == '"' && c[1] == '"')
                cell[n++] = *++c;
            else if (*c == '"')
                in_quotes = false;
            else
                cell[n++] = *c;
            continue;
        }
        if (*c == '"') {
            in_quotes = true;
            continue;
        }
        if (*c && *c != delimiter && *c != '\n' && *c != '\r') {
            cell[n++] = *c;
            continue;
        }
        /* The end of a cell. */
        if (header) {
            char key[128];
            cell[n] = '\0';
            header_key(cell, key, sizeof key);
            if (strcmp(key, "employeeid") == 0)
                id_col = col;
            else if (strcmp(key, "fullname") == 0)
                name_col = col;
            else if (strcmp(key, "manager") == 0)
                manager_col = col;
        } else if (col == id_col) {
            add_trimmed(ids, cell, n);
        } else if (col == name_col || col == manager_col) {
            add_trimmed(names, cell, n);
        }
        n = 0;
        col++;
        if (*c == '\r' && c[1] == '\n')
            c++;
        if (*c != delimiter) { /* the end of a row */
            header = false;
            col = 0;
        }
        if (!*c)
            break;
    }
    cr_assert(id_col >= 0 && name_col >= 0 && manager_col >= 0, "%s: identity columns", path);
    free(cell);
    free(data);
}

/* The ids, and the names of people and managers, of every sample export of both quarters. */
static void read_samples(strings *ids, strings *names)
{
    static const char *const folders[] = {"samples", PREVIOUS};
    for (size_t f = 0; f < 2; f++) {
        char folder[4096];
        snprintf(folder, sizeof folder, "%s", nl_test_path(folders[f]));
        DIR *d = opendir(folder);
        cr_assert_not_null(d, "no folder %s", folder);
        for (struct dirent *e; (e = readdir(d)) != NULL;) {
            size_t len = strlen(e->d_name);
            if (len > 4 && strcmp(e->d_name + len - 4, ".csv") == 0) {
                char *path = nl_test_path_in(folder, e->d_name);
                read_identities(path, ids, names);
                free(path);
            }
        }
        closedir(d);
    }
}

/* ---- searching outputs ---- */

/* The text nodes of an XML part (what lies between tags), each followed by a line end, so that
 * cell references such as r="E1001" in attributes are not taken for ids. */
static char *xml_text_nodes(const char *xml)
{
    char *out = malloc(strlen(xml) + 2), *o = out;
    bool in_tag = false;
    for (const char *c = xml; *c; c++) {
        if (*c == '<') {
            in_tag = true;
            if (o > out && o[-1] != '\n')
                *o++ = '\n';
        } else if (*c == '>') {
            in_tag = false;
        } else if (!in_tag) {
            *o++ = *c;
        }
    }
    *o = '\0';
    return out;
}

/* Appends every string of a JSON value (keys too) to text, one a line; *cap is text's
 * allocated size, grown by doubling (a realloc per string copied the whole text each time: a
 * second of the test under the sanitizers). */
static void json_strings(json_t *value, char **text, size_t *len, size_t *cap)
{
    const char *s = NULL;
    if (json_is_string(value))
        s = json_string_value(value);
    if (s != NULL) {
        size_t add = strlen(s);
        if (*len + add + 2 > *cap) {
            while (*len + add + 2 > *cap)
                *cap *= 2;
            *text = realloc(*text, *cap);
            cr_assert_not_null(*text);
        }
        memcpy(*text + *len, s, add);
        *len += add;
        (*text)[(*len)++] = '\n';
        (*text)[*len] = '\0';
    }
    if (json_is_object(value)) {
        const char *key;
        json_t *item;
        json_object_foreach(value, key, item)
        {
            json_t *k = json_string(key);
            json_strings(k, text, len, cap);
            json_decref(k);
            json_strings(item, text, len, cap);
        }
    } else if (json_is_array(value)) {
        size_t i;
        json_t *item;
        json_array_foreach(value, i, item) json_strings(item, text, len, cap);
    }
}

typedef struct finding {
    char *needle; /* the id or name searched for */
    char *what;   /* what was found of it: the whole, or one of its words */
    char *where;  /* the file and part */
} finding;

typedef struct findings {
    finding *items;
    size_t count;
} findings;

static void found(findings *f, const char *needle, const char *what, const char *where)
{
    f->items = realloc(f->items, (f->count + 1) * sizeof *f->items);
    f->items[f->count++] = (finding){strdup(needle), strdup(what), strdup(where)};
}

static void free_findings(findings *f)
{
    for (size_t i = 0; i < f->count; i++) {
        free(f->items[i].needle);
        free(f->items[i].what);
        free(f->items[i].where);
    }
    free(f->items);
    memset(f, 0, sizeof *f);
}

/* Whether the needle was found. */
static bool findings_have(const findings *f, const char *needle)
{
    for (size_t i = 0; i < f->count; i++) {
        if (strcmp(f->items[i].needle, needle) == 0)
            return true;
    }
    return false;
}

static bool word_char(char c)
{
    return isalnum((unsigned char)c) || (unsigned char)c >= 0x80;
}

/* Whether text holds word as a whole word (not "Nair" inside "Nairobi"). */
static bool contains_word(const char *text, const char *word)
{
    size_t len = strlen(word);
    for (const char *at = strstr(text, word); at; at = strstr(at + 1, word)) {
        if ((at == text || !word_char(at[-1])) && !word_char(at[len]))
            return true;
    }
    return false;
}

/* Whether text holds the needle or, for a name, one of its words of four bytes or more (split
 * at spaces, line ends, quotes, ';' and ','): a name written in pieces or escaped differently
 * is still found. Reports what it found. */
static void search_name(const char *text, const char *needle, const char *where, findings *f)
{
    if (strstr(text, needle)) {
        found(f, needle, needle, where);
        return;
    }
    char word[256];
    size_t n = 0;
    for (const char *c = needle;; c++) {
        if (*c && !strchr(" \t\r\n\";,", *c) && n + 1 < sizeof word) {
            word[n++] = *c;
            continue;
        }
        word[n] = '\0';
        if (n >= 4 && contains_word(text, word)) {
            found(f, needle, word, where);
            return;
        }
        n = 0;
        if (!*c)
            break;
    }
}

/* Searches text for every id (whole) and name (whole or a word). names_text, when not NULL, is
 * searched for names instead (XML: the whole part; ids only in its text nodes). */
static void search_text(const char *text, const char *names_text, const strings *ids,
                        const strings *names, const char *where, findings *f)
{
    for (size_t i = 0; i < ids->count; i++) {
        if (contains_word(text, ids->items[i]))
            found(f, ids->items[i], ids->items[i], where);
    }
    for (size_t i = 0; i < names->count; i++)
        search_name(names_text ? names_text : text, names->items[i], where, f);
}

static void search_file(const char *dir, const char *relative, const strings *ids,
                        const strings *names, findings *f);

/* Unzips a workbook and searches each of its parts. */
static void search_xlsx(const char *path, const char *label, const strings *ids,
                        const strings *names, findings *f)
{
    char *dir = nl_test_unzip(path);
    char *parts[128];
    size_t count = nl_test_list_files(dir, parts, 128);
    cr_assert_geq(count, 8, "%s: too few parts", path);
    for (size_t p = 0; p < count; p++) {
        char *xml = nl_test_xlsx_part(dir, parts[p]);
        char *nodes = xml_text_nodes(xml);
        char where[1024];
        snprintf(where, sizeof where, "%s:%s", label, parts[p]);
        search_text(nodes, xml, ids, names, where, f);
        free(nodes);
        free(xml);
        free(parts[p]);
    }
    nl_test_remove_tree(dir);
}

/* Searches one output file: its name, and its content as text, JSON strings or xlsx parts. */
static void search_file(const char *dir, const char *relative, const strings *ids,
                        const strings *names, findings *f)
{
    char where[1024];
    snprintf(where, sizeof where, "file name %s", relative);
    search_text(relative, NULL, ids, names, where, f);
    char *path = nl_test_path_in(dir, relative);
    size_t len = strlen(relative);
    if (len > 5 && strcmp(relative + len - 5, ".xlsx") == 0) {
        search_xlsx(path, relative, ids, names, f);
        free(path);
        return;
    }
    char *text = nl_test_read_all(path, NULL);
    search_text(text, NULL, ids, names, relative, f);
    if (len > 5 && strcmp(relative + len - 5, ".json") == 0) {
        json_error_t error;
        json_t *root = json_loads(text, 0, &error);
        cr_assert_not_null(root, "%s: %s", relative, error.text);
        size_t strings_len = 0, strings_cap = 4096;
        char *strings_text = calloc(1, strings_cap);
        cr_assert_not_null(strings_text);
        json_strings(root, &strings_text, &strings_len, &strings_cap);
        snprintf(where, sizeof where, "%s (decoded strings)", relative);
        search_text(strings_text, NULL, ids, names, where, f);
        free(strings_text);
        json_decref(root);
    }
    free(text);
    free(path);
}

/* Searches every file under dir. Returns the number of files. */
static size_t search_folder(const char *dir, const strings *ids, const strings *names, findings *f)
{
    char *files[256];
    size_t count = nl_test_list_files(dir, files, 256);
    for (size_t i = 0; i < count; i++) {
        search_file(dir, files[i], ids, names, f);
        free(files[i]);
    }
    return count;
}

static void print_findings(const findings *f, char *out, size_t size)
{
    size_t n = 0;
    out[0] = '\0';
    for (size_t i = 0; i < f->count && i < 10 && n < size; i++)
        n += (size_t)snprintf(out + n, size - n, "\n  '%s' (of '%s') in %s", f->items[i].what,
                              f->items[i].needle, f->items[i].where);
}

/* ---- the tests ---- */

Test(privacy, the_samples_give_the_tricky_names, .timeout = 30)
{
    strings ids = {0}, names = {0};
    read_samples(&ids, &names);
    /* messy-export.csv: a quoted name with a line break, one with the delimiter, one with
     * doubled quotes; ';' cells; the rejected rows' people count too. */
    cr_assert(has_string(&names, "Ana\nMaria Costa"));
    cr_assert(has_string(&names, "Moreau; Julien"));
    cr_assert(has_string(&names, "Siobh\xC3\xA1n \"Shiv\" O'Neill"));
    cr_assert(has_string(&names, "Pedro Alves"), "the row without an id");
    cr_assert(has_string(&names, "Chlo\xC3\xA9 Martin"), "the duplicate id's row");
    /* Managers, including the one above everyone, in no file as a person. */
    cr_assert(has_string(&names, "Helena Novak"));
    cr_assert(has_string(&ids, "E1001"));
    cr_assert(has_string(&ids, "E1412"));
    /* The BOM is not part of the first header: E1401 is read from messy-export.csv. */
    cr_assert(has_string(&ids, "E1401"));
    cr_assert_geq(ids.count, 40);
    free_strings(&ids);
    free_strings(&names);
}

Test(privacy, no_real_name_or_id_in_any_output, .timeout = 120)
{
    strings ids = {0}, names = {0};
    read_samples(&ids, &names);
    char *key = key_file("nextlevel privacy test key\n", 27);
    char *dir = nl_test_temp_dir();
    char *csv = nl_test_path_in(dir, "r.csv"), *json = nl_test_path_in(dir, "r.json"),
         *xlsx = nl_test_path_in(dir, "r.xlsx"), *packs = nl_test_path_in(dir, "packs");
    /* Every output, with last quarter (people who left) and calibration (managers) too. */
    nl_run runs[3];
    runs[0] = RUN("evaluate", "--template", IC, "--redact-key", key, "--previous", PREVIOUS,
                  "--calibrate", "--out", csv, SAMPLES);
    runs[1] = RUN("evaluate", "--template", IC, "--redact", "--redact-key", key, "--previous",
                  PREVIOUS, "--calibrate", "--out", json, SAMPLES);
    runs[2] =
        RUN("evaluate", "--template", IC, "--redact-key", key, "--previous", PREVIOUS,
            "--calibrate", "--out", xlsx, "--split-by", "manager", "--out-dir", packs, SAMPLES);
    findings f = {0};
    for (int i = 0; i < 3; i++) {
        /* Rejected rows give 1. */
        cr_assert_eq(runs[i].exit_code, 1, "run %d: %s", i, runs[i].err);
        /* Standard error lists the rejected rows, by pseudonym. */
        cr_assert(
            nl_test_contains(runs[i].err, "rejected: samples/messy-export.csv:7:10: person ID-"),
            "%s", runs[i].err);
        search_text(runs[i].err, NULL, &ids, &names, "standard error", &f);
        nl_run_free(&runs[i]);
    }
    /* r.csv and the CSV files beside it, r.json, r.xlsx and six manager packs. */
    cr_assert(exists(csv) && exists(json) && exists(xlsx));
    char *rejected = nl_test_path_in(dir, "r.rejected.csv");
    cr_assert(exists(rejected));
    size_t files = search_folder(dir, &ids, &names, &f);
    /* The packs are named by the managers' pseudonyms: "Manager " and 8 hex digits. The
     * samples have at least six managers (Helena Novak and the five team leads). */
    char *pack_files[64];
    size_t pack_count = nl_test_list_files(packs, pack_files, 64);
    cr_assert_geq(pack_count, 6);
    /* r.csv and its rejected rows, summary, managers, fairness and trend tables; r.json;
     * r.xlsx; the packs. */
    cr_assert_eq(files, 8 + pack_count, "eight outputs and the packs");
    for (size_t i = 0; i < pack_count; i++) {
        const char *name = pack_files[i];
        bool hex = strlen(name) == strlen("Manager 12345678.xlsx") &&
                   strncmp(name, "Manager ", 8) == 0 && strcmp(name + 16, ".xlsx") == 0;
        for (size_t k = 8; hex && k < 16; k++)
            hex = isxdigit((unsigned char)name[k]) != 0;
        cr_assert(hex, "pack '%s' is not named by a pseudonym", name);
        free(pack_files[i]);
    }
    char list[4096];
    print_findings(&f, list, sizeof list);
    cr_assert_eq(f.count, 0, "%zu real names or ids in the outputs:%s", f.count, list);
    free_findings(&f);
    free(rejected);
    free(csv);
    free(json);
    free(xlsx);
    free(packs);
    nl_test_remove_tree(dir);
    nl_test_remove(key);
    free_strings(&ids);
    free_strings(&names);
}

/* The search above can fail: on outputs that are not redacted it finds the tricky names in
 * every format (escaped in XML, JSON and CSV, broken over a line). */
NL_ENV_TEST(privacy, the_search_finds_names_in_unredacted_outputs, .timeout = 60)
{
#if defined(__SANITIZE_ADDRESS__)
    /* It checks the test's own search; the runs it makes are the unredacted twins of those
     * no_real_name_or_id_in_any_output makes, which the sanitizer build does run. */
    nl_test_skip_env("a check of this file's search, whose runs the sanitizers see elsewhere");
#endif
    strings ids = {0}, names = {0};
    read_samples(&ids, &names);
    char *dir = nl_test_temp_dir();
    static const char *const outputs[] = {"plain.csv", "plain.json", "plain.xlsx"};
    for (size_t i = 0; i < 3; i++) {
        char *out = nl_test_path_in(dir, outputs[i]);
        nl_run run = RUN("evaluate", "-q", "--template", IC, "--out", out, SAMPLES);
        cr_assert_eq(run.exit_code, 1, "%s", run.err);
        nl_run_free(&run);
        char *sub = nl_test_temp_dir();
        char command[4096];
        snprintf(command, sizeof command, "mv '%s' '%s/'", out, sub);
        cr_assert_eq(nl_test_shell(command), 0);
        if (i == 0) {
            snprintf(command, sizeof command, "rm -f '%s/plain.rejected.csv'", dir);
            cr_assert_eq(nl_test_shell(command), 0);
        }
        findings f = {0};
        search_folder(sub, &ids, &names, &f);
        /* Every person of the file is there, and the tricky names are found whatever their
         * escaping: the quotes of "Siobhán "Shiv" O'Neill" (XML, JSON and CSV escape them),
         * the line break of "Ana\nMaria Costa", the ';' of "Moreau; Julien". */
        static const char *const tricky[] = {"Siobh\xC3\xA1n \"Shiv\" O'Neill",
                                             "Ana\nMaria Costa",
                                             "Moreau; Julien",
                                             "Helena Novak",
                                             "E1402",
                                             "E1001"};
        for (size_t k = 0; k < sizeof tricky / sizeof *tricky; k++)
            cr_assert(findings_have(&f, tricky[k]), "%s: '%s' not found", outputs[i], tricky[k]);
        size_t ids_found = 0;
        for (size_t k = 0; k < ids.count; k++)
            ids_found += findings_have(&f, ids.items[k]);
        cr_assert_geq(ids_found, 43, "%s: the ids of only %zu people found", outputs[i], ids_found);
        /* Rejected rows' people are not in the outputs, not even unredacted: a row without
         * an id, and the second E1403. */
        cr_assert(!findings_have(&f, "Pedro Alves"), "%s", outputs[i]);
        cr_assert(!findings_have(&f, "Chlo\xC3\xA9 Martin"), "%s", outputs[i]);
        free_findings(&f);
        free(out);
        nl_test_remove_tree(sub);
    }
    nl_test_remove_tree(dir);
    free_strings(&ids);
    free_strings(&names);
}

/* ---- pseudonyms ---- */

/* Whether text is prefix followed by digits hex digits and nothing else. */
static bool pseudonym(const char *text, const char *prefix, size_t digits)
{
    size_t len = strlen(prefix);
    if (strncmp(text, prefix, len) != 0 || strlen(text) != len + digits)
        return false;
    for (size_t k = len; k < len + digits; k++) {
        if (!isxdigit((unsigned char)text[k]))
            return false;
    }
    return true;
}

/* Runs evaluate on the samples to out (JSON or CSV) with the extra options; asserts the exit
 * code 1 (the samples have rejected rows). */
static void evaluate(const char *out, const char *option, const char *value)
{
    nl_run run =
        option == NULL ? RUN("evaluate", "-q", "--template", IC, "--out", out, SAMPLES)
        : value == NULL
            ? RUN("evaluate", "-q", "--template", IC, option, "--out", out, SAMPLES)
            : RUN("evaluate", "-q", "--template", IC, option, value, "--out", out, SAMPLES);
    cr_assert_eq(run.exit_code, 1, "%s", run.err);
    nl_run_free(&run);
}

Test(privacy, the_same_key_gives_the_same_pseudonyms_another_key_others, .timeout = 60)
{
    char *key = key_file("first key", 9), *other = key_file("second key", 10);
    char *dir = nl_test_temp_dir();
    char *a = nl_test_path_in(dir, "a.json"), *b = nl_test_path_in(dir, "b.json"),
         *c = nl_test_path_in(dir, "c.json"), *plain = nl_test_path_in(dir, "plain.json"),
         *csv_a = nl_test_path_in(dir, "a.csv"), *csv_b = nl_test_path_in(dir, "b.csv");
    evaluate(a, "--redact-key", key);
    evaluate(b, "--redact-key", key);
    evaluate(c, "--redact-key", other);
    evaluate(plain, NULL, NULL);
    evaluate(csv_a, "--redact-key", key);
    evaluate(csv_b, "--redact-key", key);
    /* CSV: byte for byte the same under the same key (no timestamps in CSV). */
    size_t la, lb;
    char *da = nl_test_read_file(csv_a, &la), *db = nl_test_read_file(csv_b, &lb);
    cr_assert(da && db && la == lb && memcmp(da, db, la) == 0, "two runs, one key: CSV differ");
    free(da);
    free(db);

    json_t *ja = nl_test_load_json(a), *jb = nl_test_load_json(b), *jc = nl_test_load_json(c),
           *jp = nl_test_load_json(plain);
    json_t *pa = json_object_get(ja, "people"), *pb = json_object_get(jb, "people"),
           *pc = json_object_get(jc, "people"), *pp = json_object_get(jp, "people");
    size_t n = json_array_size(pp);
    cr_assert_geq(n, 43);
    cr_assert(json_array_size(pa) == n && json_array_size(pb) == n && json_array_size(pc) == n);
    for (size_t i = 0; i < n; i++) {
        json_t *x = json_array_get(pa, i), *y = json_array_get(pb, i), *z = json_array_get(pc, i),
               *real = json_array_get(pp, i);
        /* README: "ID-" and 12 hex digits, "Person " and 8, "Manager " and 8. */
        cr_assert(pseudonym(nl_test_json_str(x, "id"), "ID-", 12), "id '%s'",
                  nl_test_json_str(x, "id"));
        cr_assert(pseudonym(nl_test_json_str(x, "name"), "Person ", 8), "name '%s'",
                  nl_test_json_str(x, "name"));
        cr_assert(pseudonym(nl_test_json_str(x, "manager"), "Manager ", 8), "manager '%s'",
                  nl_test_json_str(x, "manager"));
        /* The same key, the same pseudonyms. */
        cr_assert_str_eq(nl_test_json_str(x, "id"), nl_test_json_str(y, "id"));
        cr_assert_str_eq(nl_test_json_str(x, "name"), nl_test_json_str(y, "name"));
        cr_assert_str_eq(nl_test_json_str(x, "manager"), nl_test_json_str(y, "manager"));
        /* Another key, other pseudonyms. */
        cr_assert_str_neq(nl_test_json_str(x, "id"), nl_test_json_str(z, "id"));
        cr_assert_str_neq(nl_test_json_str(x, "name"), nl_test_json_str(z, "name"));
        cr_assert_str_neq(nl_test_json_str(x, "manager"), nl_test_json_str(z, "manager"));
        /* Teams are kept; the outcome is the same as unredacted. */
        cr_assert_str_eq(nl_test_json_str(x, "team"), nl_test_json_str(real, "team"));
        cr_assert_str_eq(nl_test_json_str(x, "outcome"), nl_test_json_str(real, "outcome"));
        /* One manager, one pseudonym: two people share a pseudonymous manager exactly when
         * they share the real one. */
        for (size_t j = 0; j < i; j++) {
            json_t *x2 = json_array_get(pa, j), *real2 = json_array_get(pp, j);
            cr_assert_eq(
                strcmp(nl_test_json_str(x, "manager"), nl_test_json_str(x2, "manager")) == 0,
                strcmp(nl_test_json_str(real, "manager"), nl_test_json_str(real2, "manager")) == 0,
                "people %zu and %zu", i, j);
            cr_assert_str_neq(nl_test_json_str(x, "id"), nl_test_json_str(x2, "id"));
        }
    }
    /* Rejected rows: the same pseudonymous ids (or none for a row without one). */
    json_t *ra = json_object_get(ja, "rejected"), *rb = json_object_get(jb, "rejected");
    cr_assert_geq(json_array_size(ra), 6);
    cr_assert_eq(json_array_size(ra), json_array_size(rb));
    size_t with_id = 0;
    for (size_t i = 0; i < json_array_size(ra); i++) {
        json_t *ida = json_object_get(json_array_get(ra, i), "id"),
               *idb = json_object_get(json_array_get(rb, i), "id");
        if (json_is_string(ida)) {
            cr_assert(pseudonym(json_string_value(ida), "ID-", 12), "%s", json_string_value(ida));
            cr_assert_str_eq(json_string_value(ida), json_string_value(idb));
            with_id++;
        }
    }
    /* E1405, E1407, E1408 and the second E1403 have ids; the short row and the empty id
     * do not... at least the four. */
    cr_assert_geq(with_id, 4);
    json_decref(ja);
    json_decref(jb);
    json_decref(jc);
    json_decref(jp);
    free(a);
    free(b);
    free(c);
    free(plain);
    free(csv_a);
    free(csv_b);
    nl_test_remove_tree(dir);
    nl_test_remove(key);
    nl_test_remove(other);
}

Test(privacy, without_a_key_pseudonyms_differ_between_runs, .timeout = 60)
{
    char *dir = nl_test_temp_dir();
    char *a = nl_test_path_in(dir, "a.json"), *b = nl_test_path_in(dir, "b.json");
    evaluate(a, "--redact", NULL);
    evaluate(b, "--redact", NULL);
    json_t *ja = nl_test_load_json(a), *jb = nl_test_load_json(b);
    json_t *pa = json_object_get(ja, "people"), *pb = json_object_get(jb, "people");
    cr_assert_geq(json_array_size(pa), 43);
    for (size_t i = 0; i < json_array_size(pa); i++) {
        json_t *x = json_array_get(pa, i), *y = json_array_get(pb, i);
        cr_assert(pseudonym(nl_test_json_str(x, "id"), "ID-", 12), "id '%s'",
                  nl_test_json_str(x, "id"));
        cr_assert(pseudonym(nl_test_json_str(x, "name"), "Person ", 8));
        /* A random key per run: 48 bits alike by chance is beyond belief. */
        cr_assert_str_neq(nl_test_json_str(x, "id"), nl_test_json_str(y, "id"), "person %zu", i);
        cr_assert_str_neq(nl_test_json_str(x, "name"), nl_test_json_str(y, "name"), "person %zu",
                          i);
    }
    json_decref(ja);
    json_decref(jb);
    free(a);
    free(b);
    nl_test_remove_tree(dir);
}

Test(privacy, the_trend_still_matches_people_under_pseudonyms, .timeout = 60)
{
    char *key = key_file("quarterly key\n", 14);
    char *dir = nl_test_temp_dir();
    char *plain = nl_test_path_in(dir, "plain.json"), *keyed = nl_test_path_in(dir, "keyed.json"),
         *random = nl_test_path_in(dir, "random.json"), *last = nl_test_path_in(dir, "last.json");
    nl_run run =
        RUN("evaluate", "-q", "--template", IC, "--previous", PREVIOUS, "--out", plain, SAMPLES);
    cr_assert_eq(run.exit_code, 1, "%s", run.err);
    nl_run_free(&run);
    run = RUN("evaluate", "-q", "--template", IC, "--previous", PREVIOUS, "--redact-key", key,
              "--out", keyed, SAMPLES);
    cr_assert_eq(run.exit_code, 1, "%s", run.err);
    nl_run_free(&run);
    run = RUN("evaluate", "-q", "--template", IC, "--previous", PREVIOUS, "--redact", "--out",
              random, SAMPLES);
    cr_assert_eq(run.exit_code, 1, "%s", run.err);
    nl_run_free(&run);
    /* Last quarter on its own, under the same key. */
    run = RUN("evaluate", "-q", "--template", IC, "--redact-key", key, "--out", last, PREVIOUS);
    cr_assert_lt(run.exit_code, 2, "%s", run.err);
    nl_run_free(&run);
    json_t *jp = nl_test_load_json(plain), *jk = nl_test_load_json(keyed),
           *jr = nl_test_load_json(random), *jl = nl_test_load_json(last);
    json_t *pp = json_object_get(jp, "people"), *pk = json_object_get(jk, "people"),
           *pr = json_object_get(jr, "people"), *pl = json_object_get(jl, "people");
    cr_assert_eq(json_array_size(pk), json_array_size(pp));
    size_t matched = 0;
    for (size_t i = 0; i < json_array_size(pp); i++) {
        const char *status =
            nl_test_json_str(json_object_get(json_array_get(pp, i), "trend"), "status");
        /* The same status (continuing, promoted, new) with either key as unredacted. */
        cr_assert_str_eq(
            nl_test_json_str(json_object_get(json_array_get(pk, i), "trend"), "status"), status,
            "person %zu", i);
        cr_assert_str_eq(
            nl_test_json_str(json_object_get(json_array_get(pr, i), "trend"), "status"), status,
            "person %zu", i);
        if (strcmp(status, "new") == 0 || strcmp(status, "new team") == 0)
            continue;
        matched++;
        /* A person of both quarters has the same pseudonym in last quarter's own run. */
        const char *id = nl_test_json_str(json_array_get(pk, i), "id");
        bool in_last = false;
        for (size_t j = 0; j < json_array_size(pl); j++)
            in_last = in_last || strcmp(nl_test_json_str(json_array_get(pl, j), "id"), id) == 0;
        cr_assert(in_last, "%s is not in last quarter's run under the same key", id);
    }
    /* The samples have people of both quarters in Platform, Payments and Mobile. */
    cr_assert_geq(matched, 20);
    /* Those who left: as many, under pseudonyms. */
    json_t *left_plain = json_object_get(jp, "left"), *left_keyed = json_object_get(jk, "left");
    cr_assert_geq(json_array_size(left_plain), 1);
    cr_assert_eq(json_array_size(left_keyed), json_array_size(left_plain));
    for (size_t i = 0; i < json_array_size(left_keyed); i++) {
        json_t *who = json_array_get(left_keyed, i);
        cr_assert(pseudonym(nl_test_json_str(who, "id"), "ID-", 12), "%s",
                  nl_test_json_str(who, "id"));
        cr_assert(pseudonym(nl_test_json_str(who, "name"), "Person ", 8), "%s",
                  nl_test_json_str(who, "name"));
    }
    json_decref(jp);
    json_decref(jk);
    json_decref(jr);
    json_decref(jl);
    free(plain);
    free(keyed);
    free(random);
    free(last);
    nl_test_remove_tree(dir);
    nl_test_remove(key);
}

Test(privacy, one_trailing_line_end_of_the_key_is_dropped, .timeout = 60)
{
    static const struct {
        const char *key;
        size_t len;
    } keys[] = {{"abc", 3}, {"abc\n", 4}, {"abc\r\n", 5}, {"abc\n\n", 5}};
    char ids[4][64];
    char *dir = nl_test_temp_dir();
    for (size_t k = 0; k < 4; k++) {
        char *key = key_file(keys[k].key, keys[k].len);
        char *out = nl_test_path_in(dir, "k.json");
        nl_run run = RUN("evaluate", "-q", "--template", IC, "--redact-key", key, "--out", out,
                         "samples/platform.csv");
        cr_assert_eq(run.exit_code, 0, "%s", run.err);
        nl_run_free(&run);
        json_t *root = nl_test_load_json(out);
        snprintf(ids[k], sizeof ids[k], "%s",
                 nl_test_json_str(json_array_get(json_object_get(root, "people"), 0), "id"));
        json_decref(root);
        free(out);
        nl_test_remove(key);
    }
    /* "abc", "abc\n" and "abc\r\n" are one key; "abc\n\n" keeps one line end: another. */
    cr_assert_str_eq(ids[1], ids[0]);
    cr_assert_str_eq(ids[2], ids[0]);
    cr_assert_str_neq(ids[3], ids[0]);
    nl_test_remove_tree(dir);
}

Test(privacy, an_empty_or_missing_key_file_exits_3_and_writes_nothing, .timeout = 60)
{
    char *empty = key_file("", 0), *newline = key_file("\n", 1);
    char *dir = nl_test_temp_dir();
    char *out = nl_test_path_in(dir, "r.csv"), *missing = nl_test_path_in(dir, "no-such.key");
    const char *const bad[] = {empty, newline, missing};
    for (size_t i = 0; i < 3; i++) {
        nl_run run = RUN("evaluate", "--template", IC, "--redact-key", bad[i], "--out", out,
                         "samples/platform.csv");
        /* 3: an input unusable, nothing written; the message names the key file. */
        cr_assert_eq(run.exit_code, 3, "%s: exit %d: %s", bad[i], run.exit_code, run.err);
        cr_assert(nl_test_contains(run.err, bad[i]), "%s", run.err);
        nl_run_free(&run);
        cr_assert(!exists(out), "an output was written");
    }
    free(out);
    free(missing);
    nl_test_remove_tree(dir);
    nl_test_remove(empty);
    nl_test_remove(newline);
}

Test(privacy, the_criteria_sheet_says_whether_and_how_it_is_redacted, .timeout = 60)
{
    char *key = key_file("criteria key", 12);
    char *dir = nl_test_temp_dir();
    char *keyed = nl_test_path_in(dir, "keyed.xlsx"), *random = nl_test_path_in(dir, "random.xlsx"),
         *plain = nl_test_path_in(dir, "plain.xlsx");
    evaluate(keyed, "--redact-key", key);
    evaluate(random, "--redact", NULL);
    evaluate(plain, NULL, NULL);
    char command[4096];
    snprintf(command, sizeof command,
             "cd '%s' && /usr/bin/python3 -c \"import sys, openpyxl\n"
             "for p in sys.argv[1:]:\n"
             "    ws = openpyxl.load_workbook(p)['Criteria']\n"
             "    print('|'.join(str(r[1]) for r in ws.iter_rows(values_only=True) "
             "if r[0] == 'Redacted'))\" '%s' '%s' '%s'",
             NL_SOURCE_DIR, keyed, random, plain);
    FILE *pipe = popen(command, "r");
    cr_assert_not_null(pipe);
    char lines[3][512];
    for (int i = 0; i < 3; i++) {
        cr_assert_not_null(fgets(lines[i], sizeof lines[i], pipe), "line %d", i);
        lines[i][strcspn(lines[i], "\n")] = '\0';
    }
    cr_assert_eq(pclose(pipe), 0);
    cr_assert_str_eq(lines[0], "names, ids and managers are pseudonyms keyed by --redact-key");
    cr_assert_str_eq(lines[1], "names, ids and managers are pseudonyms under a random key used "
                               "for this run only");
    cr_assert_str_eq(lines[2], "no: real names and ids");
    free(keyed);
    free(random);
    free(plain);
    nl_test_remove_tree(dir);
    nl_test_remove(key);
}

/* ---- rows whose cells hold names where numbers, levels and skills belong ---- */

#define WIDE_HEADER                                                                                \
    "Employee ID,Full name,Team,Manager,Level,Months in level,Coding,System design,Testing and "   \
    "quality,Operations and reliability,Security,Communication,Collaboration,Mentoring,Conflict "  \
    "resolution,Stakeholder management,Scope of impact,Ownership,Influence,Visibility,"            \
    "Performance rating,Location\n"
/* The 13 scores of a row that reads well. */
#define GOOD_SCORES "3,3,3,3,3,3,3,3,3,3,3,3,3"

/* Two wide team files and two long ones whose rows put a name (or an id) in each kind of cell: a
 * score, an attribute, the level, the months, a skill, an assessor role, a date; a row with a
 * cell too many (the shift that moves a name along), too few, and duplicate ids. Every name
 * and id used is added to names and ids. */
static void write_hostile_inputs(const char *dir, strings *ids, strings *names)
{
    static const char *const people[] = {
        "Rosa Quintela", "Tiago Barros", "Ana Pereira",     "Bruno Tavares", "Carla Mendes",
        "Duarte Lima",   "Eva Santos",   "Eva Santos-Reis", "Filipa Rocha",  "Gil Moreira",
        "Hugo Neves",    "Ines Faria",   "Joana Pinto",     "Luis Gomes",    "Marta Dias",
        "Nuno Cruz",     "Olga Serrano", "Paulo Viana"};
    for (size_t i = 0; i < sizeof people / sizeof people[0]; i++)
        add_string(names, people[i], strlen(people[i]));
    static const char *const used_ids[] = {"E2001", "E2002", "E2003", "E2004", "E2005",
                                           "E2006", "E2007", "E2008", "E2009", "E3001",
                                           "E3002", "E4001", "E4002", "E4003", "X77Q"};
    for (size_t i = 0; i < sizeof used_ids / sizeof used_ids[0]; i++)
        add_string(ids, used_ids[i], strlen(used_ids[i]));
    char *platform = nl_test_path_in(dir, "platform.csv");
    nl_test_write_text(
        platform, WIDE_HEADER
        "E2001,Rosa Quintela,Platform,Tiago Barros,L3,30," GOOD_SCORES ",4,4,Lisbon\n"
        "E2002,Tiago Barros,Platform,Rosa Quintela,L4,40," GOOD_SCORES ",4,4,Lisbon\n"
        /* a name where a score belongs */
        "E2003,,Platform,Tiago Barros,L2,12,Ana Pereira,3,3,3,3,3,3,3,3,3,3,3,3,4,4,Lisbon\n"
        /* a name where an attribute (a number) belongs */
        "E2004,Bruno Tavares,Platform,Tiago Barros,L2,12," GOOD_SCORES ",Bruno Tavares,4,Porto\n"
        /* a name as the level, and one as the months */
        "E2005,Carla Mendes,Platform,Tiago Barros,Carla Mendes,12," GOOD_SCORES ",4,4,Porto\n"
        "E2006,Duarte Lima,Platform,Tiago Barros,L2,Duarte Lima," GOOD_SCORES ",4,4,Porto\n"
        /* the same id twice */
        "E2007,Eva Santos,Platform,Tiago Barros,L2,12," GOOD_SCORES ",4,4,Porto\n"
        "E2007,Eva Santos-Reis,Platform,Tiago Barros,L2,12," GOOD_SCORES ",4,4,Porto\n"
        /* a cell too many: everything after the name moves one column along */
        "E2008,Filipa Rocha,Filipa Rocha,Platform,Tiago Barros,L2,12," GOOD_SCORES ",4,4,Porto\n"
        /* a cell too few */
        "E2009,Gil Moreira,Platform,Tiago Barros,L2,12,3,3,3\n"
        /* a performance rating that is a name, and an id where the id belongs only */
        "X77Q,Paulo Viana,Platform,Tiago Barros,L2,12," GOOD_SCORES ",4,Gil Moreira,Porto\n");
    char *payments = nl_test_path_in(dir, "payments.csv");
    nl_test_write_text(payments, WIDE_HEADER
                       "E3001,Olga Serrano,Payments,Rosa Quintela,L3,30," GOOD_SCORES
                       ",4,4,Lisbon\n"
                       /* a score that is an id */
                       "E3002,Olga Serrano,Payments,Rosa Quintela,L3,30,E2001,3,3,3,3,3,3,3,3,"
                       "3,3,3,3,4,4,Lisbon\n");
    char *design = nl_test_path_in(dir, "design-long.csv");
    nl_test_write_text(
        design,
        "Employee ID,Full name,Team,Manager,Level,Months in level,Skill,Score,Assessor,Date,"
        "Visibility,Performance rating,Location\n"
        "E4001,Hugo Neves,Design,Rosa Quintela,L2,18,Coding,4,self,2025-09-12,3,4,Lisbon\n"
        "E4001,Hugo Neves,Design,Rosa Quintela,L2,18,Coding,4,manager,2025-09-12,3,4,Lisbon\n"
        /* a name as the skill, as the score, as the assessor role */
        "E4001,Hugo Neves,Design,Rosa Quintela,L2,18,Hugo Neves,4,peer,2025-09-12,3,4,Lisbon\n"
        "E4002,Ines Faria,Design,Rosa Quintela,L2,18,Coding,Ines Faria,peer,2025-09-12,3,4,"
        "Lisbon\n"
        "E4002,Ines Faria,Design,Rosa Quintela,L2,18,Security,3,Joana Pinto,2025-09-12,3,4,"
        "Lisbon\n"
        /* a later row naming another level (a name), a name as the visibility */
        "E4001,Hugo Neves,Design,Rosa Quintela,Luis Gomes,18,Security,3,peer,2025-09-12,3,4,"
        "Lisbon\n"
        "E4003,Nuno Cruz,Design,Rosa Quintela,L2,18,Coding,3,peer,2025-09-12,Nuno Cruz,4,"
        "Lisbon\n"
        "E4003,Nuno Cruz,Design,Rosa Quintela,L2,18,Security,3,peer,Marta Dias,3,4,Lisbon\n");
    /* The same rating again in a later file, dated by a name: the overlap's reason gave the
     * role and the date. */
    char *later = nl_test_path_in(dir, "design-long-later.csv");
    nl_test_write_text(later, "Employee ID,Full name,Team,Manager,Level,Months in level,Skill,"
                              "Score,Assessor,Date,Visibility,Performance rating,Location\n"
                              "E4003,Nuno Cruz,Design,Rosa Quintela,L2,18,Security,3,peer,"
                              "Marta Dias,3,4,Lisbon\n");
    free(later);
    free(platform);
    free(payments);
    free(design);
}

/* Runs evaluate with --redact-key key over the inputs in dir/in, writing out (with the
 * extra arguments a and b when not NULL); asserts exit 1 (rows rejected) and searches standard
 * output and standard error. */
static void redacted_run(const char *dir, const char *key, const char *out, const char *a,
                         const char *b, const strings *ids, const strings *names, findings *f)
{
    char *input = nl_test_path_in(dir, "in");
    const char *args[16] = {"evaluate",    "--template", IC,           "--redact-key", key,
                            "--calibrate", "--date",     "2026-01-15", "--out",        out};
    size_t n = 10;
    if (a != NULL)
        args[n++] = a;
    if (b != NULL)
        args[n++] = b;
    args[n++] = input;
    args[n] = NULL;
    nl_run run = nl_test_run(args);
    cr_assert_eq(run.exit_code, 1, "%s: exit %d: %s", out, run.exit_code, run.err);
    char where[256];
    snprintf(where, sizeof where, "standard error of --out %s", out);
    search_text(run.err, NULL, ids, names, where, f);
    snprintf(where, sizeof where, "standard output of --out %s", out);
    search_text(run.out, NULL, ids, names, where, f);
    free(input);
    nl_run_free(&run);
}

Test(privacy, rejection_reasons_never_quote_a_name_or_id_under_redact, .timeout = 120)
{
    strings ids = {0}, names = {0};
    char *dir = nl_test_temp_dir();
    char *in = nl_test_path_in(dir, "in"), *out = nl_test_path_in(dir, "out");
    cr_assert_eq(mkdir(in, 0755), 0);
    cr_assert_eq(mkdir(out, 0755), 0);
    write_hostile_inputs(in, &ids, &names);
    char *key = key_file("guard key\n", 10);
    /* The key itself is in no output either. */
    add_string(&ids, "guard key", 9);
    char *xlsx = nl_test_path_in(out, "r.xlsx"), *csv = nl_test_path_in(out, "r.csv"),
         *json = nl_test_path_in(out, "r.json"), *packs = nl_test_path_in(out, "packs");
    findings f = {0};
    redacted_run(dir, key, xlsx, "--split-by", "team", &ids, &names, &f);
    redacted_run(dir, key, csv, NULL, NULL, &ids, &names, &f);
    redacted_run(dir, key, json, NULL, NULL, &ids, &names, &f);
    redacted_run(dir, key, "-", NULL, NULL, &ids, &names, &f);
    /* The workbook, the three team packs (the team is the pack's name), the CSV and its
     * rejected rows and other tables, the JSON. */
    size_t files = search_folder(out, &ids, &names, &f);
    cr_assert_geq(files, 7, "only %zu outputs", files);
    char *rejected = nl_test_path_in(out, "r.rejected.csv");
    char *reasons = nl_test_read_all(rejected, NULL);
    /* Every kind of bad cell was rejected, and says what kind of value it held. */
    cr_assert(nl_test_contains(reasons, "[hidden by --redact: text of 2 words] for Coding is "
                                        "neither a score"),
              "%s", reasons);
    cr_assert(nl_test_contains(reasons, "Visibility [hidden by --redact: text of 2 words] is "
                                        "not a number"),
              "%s", reasons);
    cr_assert(nl_test_contains(reasons, "level [hidden by --redact: text of 2 words] is not one"),
              "%s", reasons);
    /* An id where a score belongs. */
    cr_assert(nl_test_contains(reasons, "[hidden by --redact: text of 1 word] for Coding"), "%s",
              reasons);
    cr_assert(nl_test_contains(reasons, "assessor role [hidden by --redact"), "%s", reasons);
    cr_assert(nl_test_contains(reasons, "the same id is already on line"), "%s", reasons);
    cr_assert(nl_test_contains(reasons, "a rating of Security was already read"), "%s", reasons);
    char list[4096];
    print_findings(&f, list, sizeof list);
    cr_assert_eq(f.count, 0, "%zu real names or ids in the outputs:%s", f.count, list);
    free_findings(&f);

    /* The same search finds them when the run is not redacted: in the reasons above too. */
    char *plain = nl_test_path_in(dir, "plain.csv");
    nl_run run = RUN("evaluate", "--template", IC, "--date", "2026-01-15", "--out", plain, in);
    cr_assert_eq(run.exit_code, 1, "%s", run.err);
    search_text(run.err, NULL, &ids, &names, "standard error", &f);
    cr_assert(findings_have(&f, "Ana Pereira") && findings_have(&f, "Marta Dias") &&
                  findings_have(&f, "Joana Pinto"),
              "the search misses names in plain reasons: %s", run.err);
    nl_run_free(&run);
    free_findings(&f);
    free(plain);
    free(reasons);
    free(rejected);
    nl_test_remove_tree(dir);
    nl_test_remove(key);
    free(in);
    free(out);
    free(xlsx);
    free(csv);
    free(json);
    free(packs);
    free_strings(&ids);
    free_strings(&names);
}
