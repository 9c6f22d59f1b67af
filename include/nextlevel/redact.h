#ifndef NEXTLEVEL_REDACT_H
#define NEXTLEVEL_REDACT_H

#include "nextlevel/error.h"
#include "nextlevel/matrix.h"

#include <stdbool.h>

/* Pseudonyms for sharing (--redact): person ids, names and manager names are replaced by
 * HMAC-SHA-256 digests under a key (OpenSSL), so that the same person keeps the same pseudonym
 * across quarters under the same key, and nobody can compute it without the key. */

typedef struct nl_redactor nl_redactor;

/* A redactor keyed by the bytes of key_path (one trailing line end dropped), or by 32 random
 * bytes when key_path is NULL. Returns NL_ERR_IO when the key file cannot be read,
 * NL_ERR_INPUT when it is empty, NL_ERR_NOMEM. */
nl_status nl_redactor_new(const char *key_path, nl_redactor **out, nl_error *err);

/* Frees it (and wipes the key); NULL does nothing. */
void nl_redactor_free(nl_redactor *r);

/* Whether the key came from a file (pseudonyms then stay the same across runs). */
bool nl_redactor_keyed(const nl_redactor *r);

/* Replaces every person's id ("ID-" and 12 hex digits), name ("Person " and 8 hex digits,
 * from the id) and manager ("Manager " and 8 hex digits, from the manager's name), and the
 * person id of every rejected row. Returns NL_OK or NL_ERR_NOMEM. */
nl_status nl_redact_matrix(const nl_redactor *r, nl_matrix *m);

#endif
