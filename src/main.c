#include "nextlevel/cli.h"

#include <stdio.h>

int main(int argc, char **argv)
{
    return nl_cli_run(argc, argv, stdout, stderr);
}
