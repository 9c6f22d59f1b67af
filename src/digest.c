#include "nextlevel/digest.h"

#include <errno.h>
#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

nl_status nl_sha256_file(const char *path, char hex[65], nl_error *err)
{
    hex[0] = '\0';
    FILE *file = fopen(path, "rb");
    if (file == NULL) {
        int saved = errno;
        return nl_error_set(err, nl_status_from_errno(saved, NL_ERR_IO), path, 0, 0,
                            "cannot open: %s", strerror(saved));
    }
    EVP_MD_CTX *ctx = EVP_MD_CTX_new();
    nl_status status = NL_OK;
    if (ctx == NULL || EVP_DigestInit_ex(ctx, EVP_sha256(), NULL) != 1) {
        status = nl_error_set(err, NL_ERR_NOMEM, path, 0, 0, "out of memory: cannot start SHA-256");
        goto out;
    }
    unsigned char chunk[65536];
    size_t got;
    while ((got = fread(chunk, 1, sizeof chunk, file)) > 0)
        EVP_DigestUpdate(ctx, chunk, got);
    if (ferror(file)) {
        status = nl_error_set(err, NL_ERR_IO, path, 0, 0, "cannot read: %s", strerror(errno));
        goto out;
    }
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int length = 0;
    EVP_DigestFinal_ex(ctx, digest, &length);
    for (unsigned int i = 0; i < length && i < 32; i++)
        snprintf(hex + 2 * i, 3, "%02x", digest[i]);
out:
    EVP_MD_CTX_free(ctx);
    fclose(file);
    return status;
}

struct nl_sha256 {
    EVP_MD_CTX *ctx;
};

nl_sha256 *nl_sha256_new(void)
{
    nl_sha256 *digest = malloc(sizeof *digest);
    if (digest == NULL)
        return NULL;
    digest->ctx = EVP_MD_CTX_new();
    if (digest->ctx == NULL || EVP_DigestInit_ex(digest->ctx, EVP_sha256(), NULL) != 1) {
        EVP_MD_CTX_free(digest->ctx);
        free(digest);
        return NULL;
    }
    return digest;
}

void nl_sha256_update(nl_sha256 *digest, const void *data, size_t len)
{
    EVP_DigestUpdate(digest->ctx, data, len);
}

void nl_sha256_finish(nl_sha256 *digest, char hex[65])
{
    hex[0] = '\0';
    if (digest == NULL)
        return;
    unsigned char bytes[EVP_MAX_MD_SIZE];
    unsigned int length = 0;
    EVP_DigestFinal_ex(digest->ctx, bytes, &length);
    for (unsigned int i = 0; i < length && i < 32; i++)
        snprintf(hex + 2 * i, 3, "%02x", bytes[i]);
    EVP_MD_CTX_free(digest->ctx);
    free(digest);
}
