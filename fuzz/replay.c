/*
 * replay.c: runs a fuzz target over files and directories of inputs, so
 * that every seed corpus is replayed by ctest (and under the sanitizers in
 * the ASan build) without libFuzzer. Usage: fuzz_x PATH...
 */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "fuzz.h"

static int
run_file(const char *path, unsigned long *count)
{
	FILE *f;
	uint8_t *data = NULL;
	size_t len = 0, cap = 0, n;
	int rc = -1;

	if ((f = fopen(path, "rb")) == NULL) {
		fprintf(stderr, "replay: %s: %s\n", path, strerror(errno));
		return -1;
	}
	for (;;) {
		if (cap - len < 4096) {
			uint8_t *p;

			cap = cap ? cap * 2 : 8192;
			if ((p = realloc(data, cap)) == NULL)
				goto out;
			data = p;
		}
		n = fread(data + len, 1, cap - len, f);
		len += n;
		if (n == 0)
			break;
	}
	if (ferror(f)) {
		fprintf(stderr, "replay: %s: read error\n", path);
		goto out;
	}
	LLVMFuzzerTestOneInput(data, len);
	(*count)++;
	rc = 0;
out:
	free(data);
	fclose(f);
	return rc;
}

static int
run_path(const char *path, unsigned long *count)
{
	struct stat st;
	struct dirent **list;
	int n, i, rc = 0;

	if (stat(path, &st) == -1) {
		fprintf(stderr, "replay: %s: %s\n", path, strerror(errno));
		return -1;
	}
	if (!S_ISDIR(st.st_mode))
		return run_file(path, count);
	if ((n = scandir(path, &list, NULL, alphasort)) < 0) {
		fprintf(stderr, "replay: %s: %s\n", path, strerror(errno));
		return -1;
	}
	for (i = 0; i < n; i++) {
		char sub[4096];
		int w;

		if (list[i]->d_name[0] != '.') {
			w = snprintf(
			    sub, sizeof(sub), "%s/%s", path, list[i]->d_name);
			if (w < 0 || (size_t)w >= sizeof(sub) ||
			    run_path(sub, count) != 0)
				rc = -1;
		}
		free(list[i]);
	}
	free(list);
	return rc;
}

int
main(int argc, char **argv)
{
	unsigned long count = 0;
	int i, rc = 0;

	if (argc < 2) {
		fprintf(stderr, "usage: %s CORPUS-DIR|FILE...\n", argv[0]);
		return 64;
	}
	for (i = 1; i < argc; i++)
		if (run_path(argv[i], &count) != 0)
			rc = 1;
	printf("replayed %lu inputs\n", count);
	if (count == 0) {
		fprintf(stderr, "replay: no inputs found\n");
		return 1;
	}
	return rc;
}
