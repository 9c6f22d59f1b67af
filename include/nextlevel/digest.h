#ifndef NEXTLEVEL_DIGEST_H
#define NEXTLEVEL_DIGEST_H

#include "nextlevel/error.h"

/* SHA-256 of a whole file as 64 lowercase hex digits (OpenSSL's libcrypto), so that a report
 * names exactly which inputs produced it. Returns NL_ERR_IO when the file cannot be read. */
nl_status nl_sha256_file(const char *path, char hex[65], nl_error *err);

#endif
