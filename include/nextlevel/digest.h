#ifndef NEXTLEVEL_DIGEST_H
#define NEXTLEVEL_DIGEST_H

#include "nextlevel/error.h"

#include <stddef.h>

/* SHA-256 of a whole file as 64 lowercase hex digits (OpenSSL's libcrypto), so that a report
 * names exactly which inputs produced it. Returns NL_ERR_IO when the file cannot be read. */
nl_status nl_sha256_file(const char *path, char hex[65], nl_error *err);

/* Streaming SHA-256, for inputs read once (standard input among them). */
typedef struct nl_sha256 nl_sha256;

/* A new digest, or NULL when out of memory. */
nl_sha256 *nl_sha256_new(void);

/* Adds len bytes. */
void nl_sha256_update(nl_sha256 *digest, const void *data, size_t len);

/* Writes the hex digest into hex and frees the digest; NULL writes "" and does nothing else. */
void nl_sha256_finish(nl_sha256 *digest, char hex[65]);

#endif
