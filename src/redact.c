#include "nextlevel/redact.h"

#include "nextlevel/readfile.h"
#include "nextlevel/strutil.h"

#include <errno.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define RANDOM_KEY_BYTES 32

struct nl_redactor {
    unsigned char *key;
    size_t key_len;
    bool keyed;
};

static nl_status read_key(const char *path, nl_redactor *r, nl_error *err)
{
    char *key = NULL;
    nl_status status =
        nl_read_capped(path, "the redaction key", NL_READ_CAP, &key, &r->key_len, err);
    r->key = (unsigned char *)key;
    /* A key written with an editor ends in a line end that is not meant as key. */
    if (r->key_len > 0 && r->key[r->key_len - 1] == '\n')
        r->key_len--;
    if (r->key_len > 0 && r->key[r->key_len - 1] == '\r')
        r->key_len--;
    if (status == NL_OK && r->key_len == 0)
        status = nl_error_set(err, NL_ERR_INPUT, path, 0, 0, "the redaction key file is empty");
    return status;
}

nl_status nl_redactor_new(const char *key_path, nl_redactor **out, nl_error *err)
{
    *out = NULL;
    nl_redactor *r = calloc(1, sizeof *r);
    if (r == NULL)
        return nl_error_set(err, NL_ERR_NOMEM, NULL, 0, 0, "out of memory");
    nl_status status = NL_OK;
    if (key_path != NULL) {
        r->keyed = true;
        status = read_key(key_path, r, err);
    } else if ((r->key = malloc(RANDOM_KEY_BYTES)) == NULL) {
        status = nl_error_set(err, NL_ERR_NOMEM, NULL, 0, 0, "out of memory");
    } else if (RAND_bytes(r->key, RANDOM_KEY_BYTES) != 1) {
        status = nl_error_set(err, NL_ERR_NOMEM, NULL, 0, 0, "no random key could be made");
    } else {
        r->key_len = RANDOM_KEY_BYTES;
    }
    if (status != NL_OK) {
        nl_redactor_free(r);
        return status;
    }
    *out = r;
    return NL_OK;
}

void nl_redactor_free(nl_redactor *r)
{
    if (r == NULL)
        return;
    if (r->key != NULL)
        OPENSSL_cleanse(r->key, r->key_len);
    free(r->key);
    free(r);
}

bool nl_redactor_keyed(const nl_redactor *r)
{
    return r->keyed;
}

/* prefix followed by the first digits hex digits of HMAC-SHA-256(key, label ":" value). The
 * label keeps an id's pseudonym from equalling the name's. */
static char *pseudonym(const nl_redactor *r, const char *label, const char *value,
                       const char *prefix, size_t digits, bool upper)
{
    size_t len = strlen(label) + 1 + strlen(value);
    char *message = malloc(len + 1);
    if (message == NULL)
        return NULL;
    snprintf(message, len + 1, "%s:%s", label, value);
    unsigned char mac[EVP_MAX_MD_SIZE];
    unsigned int mac_len = 0;
    HMAC(EVP_sha256(), r->key, (int)r->key_len, (const unsigned char *)message, len, mac, &mac_len);
    free(message);
    char hex[65];
    for (unsigned int i = 0; i < mac_len && i < 32; i++)
        snprintf(hex + 2 * i, 3, upper ? "%02X" : "%02x", mac[i]);
    hex[digits] = '\0';
    char *result = nl_strdup(prefix);
    return result ? nl_strjoin(result, "", hex) : NULL;
}

/* Replaces *field by a new string, or reports out of memory. */
static bool replace(char **field, char *value)
{
    if (value == NULL)
        return false;
    free(*field);
    *field = value;
    return true;
}

/* Gives a person pseudonyms for id, name and manager (team and group stay). */
static bool redact_person(const nl_redactor *r, nl_person *p)
{
    /* The name comes from the id, so one person has one pseudonym whatever the spelling. */
    char *name = pseudonym(r, "name", p->id, "Person ", 8, true);
    char *manager =
        p->manager[0] ? pseudonym(r, "manager", p->manager, "Manager ", 8, true) : nl_strdup("");
    char *id = pseudonym(r, "id", p->id, "ID-", 12, false);
    bool done =
        name && manager && id && nl_person_set_identity(p, id, name, p->team, manager, p->group);
    free(name);
    free(manager);
    free(id);
    return done;
}

nl_status nl_redact_matrix(const nl_redactor *r, nl_matrix *m)
{
    size_t count;
    nl_person *people = nl_matrix_people_mutable(m, &count);
    for (size_t i = 0; i < count; i++) {
        if (!redact_person(r, &people[i]))
            return NL_ERR_NOMEM;
    }
    nl_rejection *rejections = nl_matrix_rejections_mutable(m, &count);
    for (size_t i = 0; i < count; i++) {
        if (rejections[i].id != NULL &&
            !replace(&rejections[i].id, pseudonym(r, "id", rejections[i].id, "ID-", 12, false)))
            return NL_ERR_NOMEM;
    }
    return nl_matrix_reindex(m) ? NL_OK : NL_ERR_NOMEM;
}
