#ifndef NEXTLEVEL_ENCODING_H
#define NEXTLEVEL_ENCODING_H

#include "nextlevel/error.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

/* Turns the bytes of an input file into UTF-8 before the CSV layer sees them, so that Windows
 * exports (Windows-1252, "Unicode Text" in UTF-16) read as they were meant.
 *
 * Detection streams with the file, without a pass of its own and without holding the file
 * back: a UTF-8 BOM or a UTF-16 BOM in the first bytes decides at once; otherwise the file is
 * read as UTF-8, checked as it goes. At the first byte that is not UTF-8:
 * - if every byte before it was ASCII (the same in both encodings), the rest of the file is
 *   read as Windows-1252, which is then exactly the file read as Windows-1252 from the start;
 * - if the file already held UTF-8 text (two exports pasted together), each byte that is not
 *   UTF-8 is read as Windows-1252 on its own and the valid UTF-8 around it stays as it is.
 * Either way the result says so and gives a sample of the text so read, for a warning: a
 * Central European (CP1250) or Cyrillic (CP1251) export read as Windows-1252 shows wrong
 * letters there, and the person can name the right encoding (--encoding).
 *
 * A character the encoding does not define (0x81 in Windows-1252, an invalid sequence in a
 * forced UTF-8) cannot be converted; the output holds, in its place, a byte that is never
 * valid UTF-8 (the byte itself when it is 0x80 or above, else 0xFF), so that the matrix
 * rejects the row at the right line and column when the cell is one the template uses. */

/* What was found about one file. Plain data, no pointers: it is copied around freely. */
typedef struct nl_file_encoding {
    char name[48];    /* "UTF-8", "UTF-16LE", "UTF-16BE", "Windows-1252", or the forced name */
    bool bom;         /* the file starts with a byte order mark */
    bool forced;      /* named with --encoding */
    bool fallback;    /* not UTF-8: read as Windows-1252 from the first byte that is not */
    bool mixed;       /* UTF-8 holding some bytes that are not, each read as Windows-1252 */
    char sample[128]; /* UTF-8: the text around the first character read as Windows-1252 */
    long undefined;   /* characters the encoding does not define (each marked as above) */
} nl_file_encoding;

/* Receives the decoded bytes, split anywhere. A status other than NL_OK stops the decoding
 * and is returned by the call that fed the bytes. */
typedef nl_status (*nl_decoder_sink)(const char *bytes, size_t len, void *data, nl_error *err);

typedef struct nl_decoder nl_decoder;

/* A new decoder. forced is an encoding name iconv knows (check it with nl_encoding_known), or
 * NULL to detect; it is copied. Returns NULL when out of memory or when iconv refuses forced. */
nl_decoder *nl_decoder_new(const char *forced);

/* Frees the decoder; NULL does nothing. */
void nl_decoder_free(nl_decoder *decoder);

/* Decodes the next len bytes of the file, split anywhere, into sink (with data). Returns
 * NL_OK, NL_ERR_NOMEM, or the sink's status. */
nl_status nl_decoder_feed(nl_decoder *decoder, const char *chunk, size_t len, nl_decoder_sink sink,
                          void *data, nl_error *err);

/* Ends the file: a sequence cut off by the end counts as undefined. */
nl_status nl_decoder_finish(nl_decoder *decoder, nl_decoder_sink sink, void *data, nl_error *err);

/* What was found so far (borrowed, valid until the decoder is freed). */
const nl_file_encoding *nl_decoder_result(const nl_decoder *decoder);

/* Whether the output so far may hold a NUL byte or a marked undefined character: when false,
 * every byte given to the sink so far was valid UTF-8 without NUL, and nothing downstream
 * needs to check it again. */
bool nl_decoder_suspect(const nl_decoder *decoder);

/* Whether iconv on this system can convert from the encoding name to UTF-8. */
bool nl_encoding_known(const char *name);

/* One line for `inspect`: "UTF-8", "UTF-8 with BOM", "Windows-1252 (the file is not UTF-8)",
 * "CP1250 (given with --encoding)". Writes at most size bytes into buf and returns buf. */
const char *nl_encoding_describe(const nl_file_encoding *encoding, char *buf, size_t size);

/* Prints `nextlevel: warning: ...` for a file read as Windows-1252 because it is not (all)
 * UTF-8, with the sample and how to name the right encoding; nothing for other files. */
void nl_encoding_warn(FILE *out, const char *path, const nl_file_encoding *encoding);

#endif
