/*
 * bench_common.h: what the bench_* programs share: a monotonic clock,
 * pinning to one CPU, the loop-length argument, and running a peer
 * written in Python as a child whose output lines are read back.
 *
 *	double seconds = 1.0;
 *	int cpu = bench_pin();
 *
 *	if (argc == 2 && bench_parse_seconds(argv[1], &seconds) != 0)
 *		usage();
 *	...
 *	char *argv[] = { (char *)bench_python(), "peer.py", NULL };
 *	if (bench_run_lines(argv, on_line, ctx, why, sizeof(why)) != 0)
 *		printf("peer skipped: %s\n", why);
 *
 * Header-only (static inline) so that each benchmark stays one program;
 * nothing here is part of libinkan.
 */
#ifndef INKAN_BENCH_COMMON_H
#define INKAN_BENCH_COMMON_H

#ifndef _GNU_SOURCE
#define _GNU_SOURCE /* sched_setaffinity, sched_getcpu */
#endif
#include <errno.h>
#include <sched.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

extern char **environ;

/* Seconds on the monotonic clock. */
static inline double
bench_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/*
 * Pins the calling process (and every child it starts later) to the CPU
 * it is running on. Returns that CPU, or -1 when it cannot.
 */
static inline int
bench_pin(void)
{
	cpu_set_t set;
	int cpu = sched_getcpu();

	if (cpu < 0)
		return -1;
	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	return sched_setaffinity(0, sizeof(set), &set) == 0 ? cpu : -1;
}

/*
 * Prints the 1-minute load average and the number of CPUs, so that a run
 * on a busy machine (load above the CPU count: the rates are lower and
 * noisier, the ratios less so) can be told from a quiet one.
 */
static inline void
bench_print_load(void)
{
	double load[1];
	long cpus = sysconf(_SC_NPROCESSORS_ONLN);

	if (getloadavg(load, 1) == 1 && cpus > 0)
		printf("load average %.2f on %ld CPUs%s\n", load[0], cpus,
		    load[0] > (double)cpus ? " (busy: rates are noisy)" : "");
}

/* Reads a loop length in seconds, in (0, 60]. Returns 0, or -1. */
static inline int
bench_parse_seconds(const char *text, double *seconds_r)
{
	char *end;
	double s;

	errno = 0;
	s = strtod(text, &end);
	if (errno != 0 || end == text || *end != '\0' || !(s > 0 && s <= 60))
		return -1;
	*seconds_r = s;
	return 0;
}

/*
 * The Python the peers run under: $INKAN_PYTHON, else /usr/bin/python3
 * (the one Debian's python3-* modules are installed for), else python3
 * from PATH.
 */
static inline const char *
bench_python(void)
{
	const char *p = getenv("INKAN_PYTHON");

	if (p != NULL && *p != '\0')
		return p;
	if (access("/usr/bin/python3", X_OK) == 0)
		return "/usr/bin/python3";
	return "python3";
}

/* Splits line in place at spaces into at most max words; returns how
 * many. The last word takes the rest of the line only if max is reached
 * before its end (its spaces are then kept). */
static inline size_t
bench_split(char *line, char **words, size_t max)
{
	size_t n = 0;
	char *p = line;

	while (n < max) {
		while (*p == ' ')
			p++;
		if (*p == '\0')
			break;
		words[n++] = p;
		if (n == max)
			break;
		while (*p != ' ' && *p != '\0')
			p++;
		if (*p == '\0')
			break;
		*p++ = '\0';
	}
	return n;
}

/*
 * Runs argv (argv[0] looked up in PATH; no shell, so arguments may hold
 * anything) with its standard output on a pipe, and calls on_line for
 * each line it writes, without the line end (lines longer than the
 * buffer, 128 KiB, arrive in pieces). Standard error is inherited.
 * Returns the child's exit status (0..255), or -1 with why filled when it
 * could not be run or did not exit normally.
 */
static inline int
bench_run_lines(char *const *argv, void (*on_line)(char *line, void *arg),
    void *arg, char *why, size_t whylen)
{
	static char line[128 * 1024];
	posix_spawn_file_actions_t fa;
	int fds[2], status, err;
	pid_t pid;
	FILE *f;

	if (pipe(fds) != 0) {
		snprintf(why, whylen, "pipe: %s", strerror(errno));
		return -1;
	}
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_adddup2(&fa, fds[1], STDOUT_FILENO);
	posix_spawn_file_actions_addclose(&fa, fds[0]);
	posix_spawn_file_actions_addclose(&fa, fds[1]);
	err = posix_spawnp(&pid, argv[0], &fa, NULL, argv, environ);
	posix_spawn_file_actions_destroy(&fa);
	close(fds[1]);
	if (err != 0) {
		close(fds[0]);
		snprintf(
		    why, whylen, "cannot run %s: %s", argv[0], strerror(err));
		return -1;
	}
	if ((f = fdopen(fds[0], "r")) == NULL) {
		close(fds[0]);
	} else {
		while (fgets(line, sizeof(line), f) != NULL) {
			line[strcspn(line, "\r\n")] = '\0';
			on_line(line, arg);
		}
		fclose(f);
	}
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR) {
			snprintf(why, whylen, "waitpid: %s", strerror(errno));
			return -1;
		}
	if (!WIFEXITED(status)) {
		snprintf(why, whylen, "%s did not exit normally", argv[0]);
		return -1;
	}
	return WEXITSTATUS(status);
}

#endif
