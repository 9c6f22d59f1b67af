#include "nextlevel/csvread.h"

#include "nextlevel/strutil.h"

#include <csv.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* How much of the file may be held back while looking for the end of the first line. */
#define SNIFF_LIMIT (1u << 20)

struct nl_csv_reader {
    struct csv_parser parser;
    char *path;
    char delimiter; /* 0 until detected */
    nl_csv_record_fn on_record;
    nl_csv_bad_row_fn on_bad_row;
    void *data;

    /* Bytes held back until the first line is complete, to detect BOM and delimiter. */
    char *sniff;
    size_t sniff_len, sniff_cap;
    bool sniffed;

    long line;          /* physical line of the next byte fed */
    unsigned char prev; /* last byte fed, to count CRLF once */
    bool line_open;     /* bytes of line `line` have been fed (it counts even without an end) */
    bool in_quotes;     /* our own view of quoting, to place an unclosed quote */
    bool quote_closed;  /* the last byte fed closed a quote: a quote right after it is "" */
    long quote_line;
    bool skip_to_eol; /* after a malformed row, until its line ends */
    bool stopped;     /* a callback asked to stop */
    bool out_of_memory;
    long blank_lines; /* lines with nothing at all on them, which libcsv skips */

    /* The record being built: fields live back to back in buf. */
    char *buf;
    size_t buf_len, buf_cap;
    size_t *offsets, *lengths;
    char **fields;
    size_t field_count, field_cap;
    long field_newlines;

    /* Columns the caller never reads (borrowed; see nl_csv_skip_columns). */
    const bool *skip;
    size_t skip_count;
};

const char *nl_csv_delimiter_name(char delimiter)
{
    switch (delimiter) {
    case ',':
        return "comma";
    case ';':
        return "semicolon";
    case '\t':
        return "tab";
    }
    return "unknown";
}

nl_csv_reader *nl_csv_reader_new(const char *path, char delimiter, nl_csv_record_fn on_record,
                                 nl_csv_bad_row_fn on_bad_row, void *data)
{
    nl_csv_reader *r = calloc(1, sizeof *r);
    if (r == NULL)
        return NULL;
    r->path = nl_strdup(path);
    if (r->path == NULL || csv_init(&r->parser, CSV_STRICT | CSV_STRICT_FINI) != 0) {
        free(r->path);
        free(r);
        return NULL;
    }
    csv_set_blk_size(&r->parser, 65536);
    r->delimiter = delimiter;
    r->on_record = on_record;
    r->on_bad_row = on_bad_row;
    r->data = data;
    r->line = 1;
    return r;
}

void nl_csv_reader_free(nl_csv_reader *r)
{
    if (r == NULL)
        return;
    csv_free(&r->parser);
    free(r->path);
    free(r->sniff);
    free(r->buf);
    free(r->offsets);
    free(r->lengths);
    free(r->fields);
    free(r);
}

void nl_csv_skip_columns(nl_csv_reader *r, const bool *skip, size_t count)
{
    r->skip = skip;
    r->skip_count = count;
}

char nl_csv_delimiter(const nl_csv_reader *r)
{
    return r->sniffed ? r->delimiter : 0;
}

long nl_csv_blank_lines(const nl_csv_reader *r)
{
    return r->blank_lines;
}

long nl_csv_lines(const nl_csv_reader *r)
{
    return r->line_open ? r->line : r->line - 1;
}

static void on_field(void *s, size_t len, void *data)
{
    nl_csv_reader *r = data;
    if (r->out_of_memory)
        return;
    size_t old_cap = r->field_cap;
    bool skipped = r->field_count < r->skip_count && r->skip[r->field_count];
    if (!nl_grow((void **)&r->buf, &r->buf_cap, r->buf_len + (skipped ? 1 : len) + 1, 1) ||
        !nl_grow((void **)&r->offsets, &r->field_cap, r->field_count + 1, sizeof *r->offsets)) {
        r->out_of_memory = true;
        return;
    }
    /* offsets, lengths and fields share one capacity, grown together (reallocating them at
     * every field made 20,000 columns take minutes under AddressSanitizer). */
    if (r->field_cap != old_cap || r->lengths == NULL || r->fields == NULL) {
        size_t *lengths = realloc(r->lengths, r->field_cap * sizeof *lengths);
        if (lengths == NULL) {
            r->out_of_memory = true;
            return;
        }
        r->lengths = lengths;
        char **fields = realloc(r->fields, r->field_cap * sizeof *fields);
        if (fields == NULL) {
            r->out_of_memory = true;
            return;
        }
        r->fields = fields;
    }
    const char *bytes = s;
    bool blank = true;
    for (size_t i = 0; i < len; i++) {
        if (bytes[i] == '\n' || (bytes[i] == '\r' && (i + 1 == len || bytes[i + 1] != '\n')))
            r->field_newlines++;
        if (bytes[i] != ' ' && bytes[i] != '\t' && bytes[i] != '\r' && bytes[i] != '\n')
            blank = false;
    }
    /* A cell the caller never reads is not copied: a 1 GiB note cost its size again here. */
    if (skipped) {
        static const char stand_in[] = "-";
        bytes = stand_in;
        len = blank ? 0 : 1;
    }
    r->offsets[r->field_count] = r->buf_len;
    r->lengths[r->field_count] = len;
    if (len > 0)
        memcpy(r->buf + r->buf_len, bytes, len);
    r->buf_len += len;
    r->buf[r->buf_len++] = '\0';
    r->field_count++;
}

static void reset_record(nl_csv_reader *r)
{
    r->buf_len = 0;
    r->field_count = 0;
    r->field_newlines = 0;
}

static void on_record_end(int c, void *data)
{
    (void)c;
    nl_csv_reader *r = data;
    if (r->out_of_memory || r->stopped) {
        reset_record(r);
        return;
    }
    for (size_t i = 0; i < r->field_count; i++)
        r->fields[i] = r->buf + r->offsets[i];
    nl_csv_record record = {
        .fields = r->fields,
        .lengths = r->lengths,
        .count = r->field_count,
        .line = r->line - r->field_newlines,
        .end_line = r->line,
    };
    if (!r->on_record(&record, r->data))
        r->stopped = true;
    reset_record(r);
}

static void report_bad_row(nl_csv_reader *r, long line, const char *reason)
{
    nl_csv_bad_row bad = {.line = line, .column = (long)r->field_count + 1, .reason = reason};
    if (r->on_bad_row != NULL && !r->on_bad_row(&bad, r->data))
        r->stopped = true;
    /* csv_fini with no callbacks drops the partial row and clears the parser's error. */
    csv_fini(&r->parser, NULL, NULL, NULL);
    reset_record(r);
    r->in_quotes = false;
    r->quote_closed = false;
}

/* Feeds one run of bytes that holds at most one line end, as its last byte. Feeding line by
 * line is what lets the callbacks know the physical line. */
static void feed_segment(nl_csv_reader *r, const char *seg, size_t len)
{
    unsigned char last = (unsigned char)seg[len - 1];
    bool ends_line = last == '\n' || last == '\r';
    /* A lone LF right after a CR is the second half of CRLF, not a line of its own; any other
     * LF (even one after a line that ended in a lone CR) ends a line. */
    bool crlf_half = len == 1 && last == '\n' && r->prev == '\r';
    if (len == 1 && ends_line && !crlf_half && !r->line_open && !r->in_quotes)
        r->blank_lines++;
    if (r->skip_to_eol) {
        r->skip_to_eol = !ends_line;
    } else {
        for (size_t i = 0; i < len; i++) {
            if (seg[i] != '"') {
                r->quote_closed = false;
            } else if (r->in_quotes) {
                r->in_quotes = false;
                r->quote_closed = true;
            } else {
                /* A quote right after a closing one is the second half of "": the field
                 * stays open where it was opened. */
                r->in_quotes = true;
                if (!r->quote_closed)
                    r->quote_line = r->line;
                r->quote_closed = false;
            }
        }
        /* libcsv grows a field's buffer by the block size: a block as large as the buffer
         * already is makes that growth geometric for a huge cell. */
        if (r->parser.entry_size > 65536)
            csv_set_blk_size(&r->parser, r->parser.entry_size);
        size_t used = csv_parse(&r->parser, seg, len, on_field, on_record_end, r);
        if (used < len && csv_error(&r->parser) == CSV_ENOMEM) {
            r->out_of_memory = true;
        } else if (used < len) {
            report_bad_row(r, r->line,
                           "a quote mark stands in the middle of a cell: put the whole cell in "
                           "quotes and write the quote mark inside it twice (\"\"), or re-save "
                           "the file from the spreadsheet as \"CSV UTF-8\"");
            r->skip_to_eol = !ends_line;
        }
    }
    if (last == '\r' || (last == '\n' && !crlf_half))
        r->line++;
    r->line_open = !ends_line;
    r->prev = last;
}

static void feed_lines(nl_csv_reader *r, const char *data, size_t len)
{
    size_t start = 0;
    for (size_t i = 0; i < len && !r->stopped && !r->out_of_memory; i++) {
        if (data[i] == '\n' || data[i] == '\r') {
            feed_segment(r, data + start, i + 1 - start);
            start = i + 1;
        }
    }
    if (start < len && !r->stopped && !r->out_of_memory)
        feed_segment(r, data + start, len - start);
}

/* Whether the held-back bytes hold a whole first line (a line end outside quotes). */
static bool first_line_complete(const char *s, size_t len)
{
    bool quoted = false;
    for (size_t i = 0; i < len; i++) {
        if (s[i] == '"')
            quoted = !quoted;
        else if (!quoted && (s[i] == '\n' || s[i] == '\r'))
            return true;
    }
    return false;
}

static char detect_delimiter(const char *s, size_t len)
{
    size_t commas = 0, semicolons = 0, tabs = 0;
    bool quoted = false;
    for (size_t i = 0; i < len; i++) {
        if (s[i] == '"')
            quoted = !quoted;
        else if (quoted)
            continue;
        else if (s[i] == '\n' || s[i] == '\r')
            break;
        else if (s[i] == ',')
            commas++;
        else if (s[i] == ';')
            semicolons++;
        else if (s[i] == '\t')
            tabs++;
    }
    if (semicolons > commas && semicolons >= tabs)
        return ';';
    if (tabs > commas && tabs > semicolons)
        return '\t';
    return ',';
}

/* Strips a UTF-8 BOM, refuses UTF-16, settles the delimiter, then feeds what was held back. */
static nl_status end_sniffing(nl_csv_reader *r, nl_error *err)
{
    const unsigned char *s = (const unsigned char *)r->sniff;
    size_t len = r->sniff_len, skip = 0;
    r->sniffed = true;
    if (len >= 2 && ((s[0] == 0xFF && s[1] == 0xFE) || (s[0] == 0xFE && s[1] == 0xFF)))
        return nl_error_set(err, NL_ERR_INPUT, r->path, 1, 1,
                            "the file is UTF-16; save it as CSV UTF-8 and try again");
    if (len >= 3 && s[0] == 0xEF && s[1] == 0xBB && s[2] == 0xBF)
        skip = 3;
    /* An empty file fed nothing: no buffer, and NULL + 0 is undefined in C. */
    const char *text = r->sniff != NULL ? r->sniff + skip : "";
    if (r->delimiter == 0)
        r->delimiter = detect_delimiter(text, len - skip);
    csv_set_delim(&r->parser, (unsigned char)r->delimiter);
    feed_lines(r, text, len - skip);
    free(r->sniff);
    r->sniff = NULL;
    r->sniff_len = r->sniff_cap = 0;
    return NL_OK;
}

static nl_status feed_status(nl_csv_reader *r, nl_error *err)
{
    if (r->out_of_memory)
        return nl_error_set(err, NL_ERR_NOMEM, r->path, r->line, 0, "out of memory");
    return r->stopped ? NL_ERR_STOPPED : NL_OK;
}

nl_status nl_csv_feed(nl_csv_reader *r, const char *chunk, size_t len, nl_error *err)
{
    if (r->stopped || r->out_of_memory)
        return feed_status(r, err);
    if (!r->sniffed) {
        if (!nl_grow((void **)&r->sniff, &r->sniff_cap, r->sniff_len + len, 1))
            return nl_error_set(err, NL_ERR_NOMEM, r->path, 0, 0, "out of memory");
        if (len > 0)
            memcpy(r->sniff + r->sniff_len, chunk, len);
        r->sniff_len += len;
        if (first_line_complete(r->sniff, r->sniff_len) || r->sniff_len >= SNIFF_LIMIT) {
            nl_status status = end_sniffing(r, err);
            if (status != NL_OK)
                return status;
        }
        return feed_status(r, err);
    }
    feed_lines(r, chunk, len);
    return feed_status(r, err);
}

nl_status nl_csv_finish(nl_csv_reader *r, nl_error *err)
{
    if (!r->sniffed) {
        nl_status status = end_sniffing(r, err);
        if (status != NL_OK)
            return status;
    }
    if (r->stopped || r->out_of_memory)
        return feed_status(r, err);
    if (csv_fini(&r->parser, on_field, on_record_end, r) != 0) {
        char reason[256];
        snprintf(reason, sizeof reason,
                 "the quote mark opened on line %ld is never closed, so the rest of the file "
                 "(to line %ld) reads as one cell: add the closing quote mark, or re-save the "
                 "file from the spreadsheet as \"CSV UTF-8\"",
                 r->quote_line, nl_csv_lines(r));
        report_bad_row(r, r->quote_line, reason);
    }
    return feed_status(r, err);
}

nl_status nl_csv_read_file(const char *path, char delimiter, nl_csv_record_fn on_record,
                           nl_csv_bad_row_fn on_bad_row, void *data, char *delimiter_used,
                           nl_error *err)
{
    nl_status status = NL_OK;
    char *chunk = NULL;
    nl_csv_reader *reader = NULL;
    FILE *file = fopen(path, "rb");
    if (file == NULL) {
        int saved = errno;
        return nl_error_set(err, nl_status_from_errno(saved, NL_ERR_IO), path, 0, 0,
                            "cannot open: %s", strerror(saved));
    }
    chunk = malloc(65536);
    reader = nl_csv_reader_new(path, delimiter, on_record, on_bad_row, data);
    if (chunk == NULL || reader == NULL) {
        status = nl_error_set(err, NL_ERR_NOMEM, path, 0, 0, "out of memory");
        goto out;
    }
    size_t got;
    while ((got = fread(chunk, 1, 65536, file)) > 0) {
        status = nl_csv_feed(reader, chunk, got, err);
        if (status != NL_OK)
            goto out;
    }
    if (ferror(file)) {
        int saved = errno;
        status = nl_error_set(err, nl_status_from_errno(saved, NL_ERR_IO), path, 0, 0,
                              "read error: %s", strerror(saved));
        goto out;
    }
    status = nl_csv_finish(reader, err);
out:
    if (delimiter_used != NULL)
        *delimiter_used = reader ? nl_csv_delimiter(reader) : 0;
    nl_csv_reader_free(reader);
    free(chunk);
    fclose(file);
    return status;
}
