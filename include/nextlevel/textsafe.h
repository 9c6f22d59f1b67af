#ifndef NEXTLEVEL_TEXTSAFE_H
#define NEXTLEVEL_TEXTSAFE_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

/* The one place that decides how a text from the input (a cell, a template text, a file name)
 * is written where its bytes could break the output: in a workbook's XML, in CSV and JSON that
 * must stay UTF-8, and on a terminal that must not run escape sequences. Cells the template
 * uses and template texts are checked when read (invalid UTF-8 is an error there, with file,
 * line and column; nl_text_line_flaw for templates); what can still arrive here invalid is a
 * file's name, kept as the system gave it: each invalid byte becomes U+FFFD, so every output
 * stays valid. Messages are formatted with nl_sformat, which never cuts a character. */

/* U+FFFD REPLACEMENT CHARACTER, in UTF-8: what an invalid byte or a character XML forbids
 * becomes. */
#define NL_REPLACEMENT "\xEF\xBF\xBD"

/* Writes len bytes of s to out with every byte that is not part of valid UTF-8 as U+FFFD. */
void nl_write_utf8(FILE *out, const char *s, size_t len);

/* A copy of s with every byte that is not part of valid UTF-8 as U+FFFD, or NULL when out of
 * memory. */
char *nl_utf8_repaired(const char *s);

/* Flags of nl_xml_text. */
enum {
    /* The text goes into a cell that does not wrap: line breaks and tabs become spaces (a
     * name exported as "Ana\nMaria" would print over the next row). */
    NL_XML_ONE_LINE = 1,
    /* The text is a cell's string, which Excel decodes: "_x0041_" reads as "A" unless its
     * underscore is written "_x005F_"; so a typed "_x0041_" is kept as typed. */
    NL_XML_CELL = 2,
};

/* Makes s safe to write into a workbook's XML: invalid UTF-8 bytes and the characters XML 1.0
 * forbids (controls other than tab, line feed and carriage return, U+FFFE, U+FFFF) become
 * U+FFFD, flags as above. When max_units is not 0 the text holds at most max_units UTF-16
 * code units as Excel counts them (an emoji counts 2), and as many code points as written
 * (libxlsxwriter's own count); a longer one is cut at a character boundary and marker is
 * appended within that limit. Sets *out to NULL when s can be written as it is, else to a new
 * string the caller frees. Returns false when out of memory. */
bool nl_xml_text(const char *s, unsigned flags, size_t max_units, const char *marker, char **out);

/* Whether cp is a character a terminal could act on instead of showing: C0 controls but tab
 * and line feed (ESC starts escape sequences, CR overwrites the line), DEL, C1 controls, and
 * the bidirectional controls that reorder what follows (U+202A-U+202E, U+2066-U+2069). */
bool nl_terminal_unsafe(unsigned long cp);

/* Writes s for a person to read on a terminal or in a log: each character nl_terminal_unsafe
 * names is shown by name ("<escape>", "<right-to-left override>") or as "<U+0007>", an invalid
 * byte as "<byte 0xFF>", so that a cell can never move the cursor, recolour the screen or
 * reorder the line. */
void nl_write_terminal(FILE *out, const char *s);

/* A stream that writes what it is given to under as nl_write_terminal does (a character split
 * between two writes is kept whole), or NULL when out of memory. Closing it flushes under and
 * leaves it open. The command line writes its messages and text reports through one. */
FILE *nl_terminal_stream(FILE *under);

/* snprintf that never ends in the middle of a UTF-8 character: when the text is cut to fit
 * size, a character left incomplete at the end is dropped. Returns what snprintf returns. */
int nl_sformat(char *buf, size_t size, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
int nl_vsformat(char *buf, size_t size, const char *fmt, va_list ap);

/* Finds the first character of the line s (len bytes, its line end included) that a template
 * text must not hold: a byte that is not UTF-8, a control character other than tab (a
 * carriage return only before the line end), U+FFFE or U+FFFF. Returns its 1-based column in
 * characters and writes what it is into why (size bytes), or returns 0 when there is none. */
long nl_text_line_flaw(const char *s, size_t len, char *why, size_t size);

/* Drops a UTF-8 character left incomplete at the end of the len bytes of s; returns the new
 * length. */
size_t nl_utf8_whole(const char *s, size_t len);

#endif
