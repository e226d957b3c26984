/* watch.c: placeholder */
#include "pgc.h"
int cmd_watch(int argc, char **argv, const char *conninfo) { (void)argc;(void)argv;(void)conninfo; return 2; }
