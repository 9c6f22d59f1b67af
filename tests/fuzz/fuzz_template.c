/* libFuzzer target: any bytes as a framework template (INI). The loader reads files, so the
 * bytes go to a file in memory (/dev/shm) first. Must never crash, leak or hang. */
#include "nextlevel/framework.h"

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char path[64];
    snprintf(path, sizeof path, "/dev/shm/nextlevel-fuzz-%d.ini", (int)getpid());
    FILE *file = fopen(path, "wb");
    if (file == NULL)
        return 0;
    fwrite(data, 1, size, file);
    fclose(file);
    nl_framework *fw = NULL;
    nl_error err;
    nl_framework_load(path, &fw, &err);
    nl_framework_free(fw);
    unlink(path);
    return 0;
}
