#include "nextlevel/cli.h"
#include "nextlevel/signals.h"

#include <stdio.h>

int main(int argc, char **argv)
{
    nl_signals_install();
    return nl_cli_run(argc, argv, stdout, stderr);
}
