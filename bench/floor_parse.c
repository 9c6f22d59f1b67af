/* The parse floor: what reading the benchmark's CSV files with libcsv alone costs (no
 * checking, no evaluation). Prints rows and fields read. */
#include <csv.h>
#include <stdio.h>
#include <stdlib.h>

typedef struct counts {
    size_t fields, rows;
} counts;

static void on_field(void *s, size_t len, void *data)
{
    (void)s;
    (void)len;
    ((counts *)data)->fields++;
}

static void on_row(int c, void *data)
{
    (void)c;
    ((counts *)data)->rows++;
}

int main(int argc, char **argv)
{
    counts n = {0};
    static char chunk[1 << 16];
    for (int i = 1; i < argc; i++) {
        FILE *file = fopen(argv[i], "rb");
        if (file == NULL) {
            perror(argv[i]);
            return 1;
        }
        struct csv_parser parser;
        csv_init(&parser, CSV_STRICT | CSV_STRICT_FINI);
        csv_set_blk_size(&parser, 65536);
        size_t got;
        while ((got = fread(chunk, 1, sizeof chunk, file)) > 0) {
            if (csv_parse(&parser, chunk, got, on_field, on_row, &n) != got) {
                fprintf(stderr, "%s: %s\n", argv[i], csv_strerror(csv_error(&parser)));
                return 1;
            }
        }
        csv_fini(&parser, on_field, on_row, &n);
        csv_free(&parser);
        fclose(file);
    }
    printf("%zu rows, %zu fields\n", n.rows, n.fields);
    return 0;
}
