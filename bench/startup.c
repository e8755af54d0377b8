/*
 * startup.c - how long commands take from fork to exit, measured side by
 * side: polc-bench-startup RUNS --- CMD [ARG...] [--- CMD [ARG...]]...
 * (three dashes: a command keeps its own "--")
 *
 * Each round runs every command once, in turn, so a change in the
 * machine's load weighs on all of them alike; a shell loop timing one
 * command after another would hand the noise to whichever ran during it,
 * and would add its own fork to every sample.  Prints, per command, the
 * median and quartiles in microseconds, and the median's difference from
 * the first command's (the baseline, normally bare /bin/true).
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static long now_us(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec * 1000000L + t.tv_nsec / 1000;
}

static int by_value(const void *a, const void *b)
{
	long x = *(const long *)a, y = *(const long *)b;

	return (x > y) - (x < y);
}

/* One run of @argv with its output discarded; -1 when it failed. */
static long run_once(char **argv)
{
	long start = now_us();
	int status;
	pid_t pid = fork();

	if (pid == 0) {
		int null = open("/dev/null", O_WRONLY);

		if (null >= 0) {
			dup2(null, STDOUT_FILENO);
			dup2(null, STDERR_FILENO);
		}
		execv(argv[0], argv);
		_exit(127);
	}
	if (pid < 0 || waitpid(pid, &status, 0) != pid || !WIFEXITED(status) ||
	    WEXITSTATUS(status) != 0)
		return -1;
	return now_us() - start;
}

int main(int argc, char **argv)
{
	int runs = argc > 1 ? atoi(argv[1]) : 0;
	char **cmds[16];
	int ncmds = 0;

	for (int i = 2; i < argc; i++)
		if (!strcmp(argv[i], "---")) {
			argv[i] = NULL;
			if (i + 1 < argc && ncmds < 16)
				cmds[ncmds++] = &argv[i + 1];
		}
	if (runs < 1 || ncmds < 1) {
		fprintf(stderr,
			"usage: polc-bench-startup RUNS --- CMD [ARG...] "
			"[--- CMD...]...\n");
		return 2;
	}
	long *t = calloc((size_t)runs * (size_t)ncmds, sizeof(*t));
	if (!t)
		return 1;
	for (int r = 0; r < runs; r++)
		for (int c = 0; c < ncmds; c++)
			if ((t[c * runs + r] = run_once(cmds[c])) < 0) {
				fprintf(stderr, "%s failed\n", cmds[c][0]);
				return 1;
			}
	long base = 0;
	printf("%-44s %9s %9s %9s %9s\n", "command", "median us", "p25", "p75",
	       "+median");
	for (int c = 0; c < ncmds; c++) {
		long *s = &t[c * runs];
		char name[45] = "";

		qsort(s, (size_t)runs, sizeof(*s), by_value);
		for (char **a = cmds[c]; *a; a++) {
			size_t len = strlen(name);

			snprintf(name + len, sizeof(name) - len, "%s%s",
				 len ? " " : "",
				 a == cmds[c] && strrchr(*a, '/')
					 ? strrchr(*a, '/') + 1
					 : *a);
		}
		if (c == 0)
			base = s[runs / 2];
		printf("%-44s %9ld %9ld %9ld %9ld\n", name, s[runs / 2],
		       s[runs / 4], s[3 * runs / 4], s[runs / 2] - base);
	}
	free(t);
	return 0;
}
