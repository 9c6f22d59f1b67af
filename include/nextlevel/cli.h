#ifndef NEXTLEVEL_CLI_H
#define NEXTLEVEL_CLI_H

#include <stdio.h>

/* The command line: parses argv, runs the command, prints any error once, and returns the
 * process exit code (see error.h). out and err are where reports and messages go, so that
 * tests can capture them. */
int nl_cli_run(int argc, char **argv, FILE *out, FILE *err);

#endif
