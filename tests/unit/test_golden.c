/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Golden tests: each tests/golden/<case>.cmd holds the arguments of one
 * ipsec-dump run (from the top of the tree, TZ=UTC), or of another tool
 * when the line starts with its name ("ipsec-keys -K ..."); <case>.out
 * holds what it must print: standard output, then standard error, then the
 * exit status.
 * `make golden` rewrites the .out files for review with git diff.
 */
#include <criterion/criterion.h>
#include <criterion/parameterized.h>
#include <dirent.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#define CASE_NAME	64

struct golden_case {
	char	name[CASE_NAME];
};

static const char *
env_or(const char *name, const char *dflt)
{
	const char *v = getenv(name);

	return v != NULL && *v != '\0' ? v : dflt;
}

static int
by_name(const void *a, const void *b)
{
	return strcmp(((const struct golden_case *)a)->name,
	    ((const struct golden_case *)b)->name);
}

ParameterizedTestParameters(golden, matches)
{
	struct golden_case *cases;
	struct dirent *de;
	char dir[4096];
	size_t n = 0, cap = 256;
	DIR *d;

	snprintf(dir, sizeof dir, "%s/tests/golden", env_or("IPSEC_TOP", "."));
	cases = cr_malloc(cap * sizeof *cases);
	if (cases == NULL || (d = opendir(dir)) == NULL)
		return cr_make_param_array(struct golden_case, cases, 0);
	while ((de = readdir(d)) != NULL && n < cap) {
		size_t len = strlen(de->d_name);

		if (len < 5 || len - 4 >= CASE_NAME ||
		    strcmp(de->d_name + len - 4, ".cmd") != 0)
			continue;
		memset(cases[n].name, 0, CASE_NAME);
		memcpy(cases[n].name, de->d_name, len - 4);
		n++;
	}
	closedir(d);
	qsort(cases, n, sizeof *cases, by_name);
	return cr_make_param_array(struct golden_case, cases, n);
}

static char *
slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *buf = NULL;
	size_t cap = 0, n = 0, r;

	if (f == NULL)
		return NULL;
	do {
		if (n + 4096 + 1 > cap) {
			cap = (cap + 4096) * 2;
			buf = realloc(buf, cap);
			cr_assert_not_null(buf);
		}
		r = fread(buf + n, 1, cap - n - 1, f);
		n += r;
	} while (r > 0);
	fclose(f);
	buf[n] = '\0';
	*len = n;
	return buf;
}

/*
 * The permission warning depends on the checkout's umask, not on the tool:
 * it is dropped here and tested on its own in test_keys_load.c.
 */
static void
drop_mode_warnings(char *e, size_t *len)
{
	char *line = e, *w = e, *nl;
	bool drop;
	size_t n;

	while (*line != '\0') {
		nl = strchr(line, '\n');
		n = nl != NULL ? (size_t)(nl - line) + 1 : strlen(line);
		if (nl != NULL)
			*nl = '\0';
		drop = strstr(line, "key file is readable by") != NULL;
		if (nl != NULL)
			*nl = '\n';
		if (!drop) {
			memmove(w, line, n);
			w += n;
		}
		line += n;
	}
	*w = '\0';
	*len = (size_t)(w - e);
}

/* Runs the case and returns what it printed, in the .out layout. */
static char *
run_case(const char *name, size_t *len)
{
	const char *top = env_or("IPSEC_TOP", ".");
	const char *bin = env_or("IPSEC_BIN", "build/bin");
	char cmdfile[4096], args[2048], cmd[16384], out[512], err[512];
	char tool[64] = "ipsec-dump";
	char *o, *e, *res, *a;
	size_t olen, elen, argl, rlen, tl;
	FILE *f;
	int st;

	snprintf(cmdfile, sizeof cmdfile, "%s/tests/golden/%s.cmd", top, name);
	cr_assert_not_null(f = fopen(cmdfile, "r"), "%s", cmdfile);
	argl = fread(args, 1, sizeof args - 1, f);
	fclose(f);
	args[argl] = '\0';
	args[strcspn(args, "\n")] = '\0';
	a = args;
	tl = strcspn(args, " ");
	if (strncmp(args, "ipsec-", 6) == 0 && tl < sizeof tool) {
		memcpy(tool, args, tl);
		tool[tl] = '\0';
		a = args + tl;
	}
	snprintf(out, sizeof out, "/tmp/golden-%d-%.64s.stdout",
	    (int)getpid(), name);
	snprintf(err, sizeof err, "/tmp/golden-%d-%.64s.stderr",
	    (int)getpid(), name);
	cr_assert_lt((size_t)snprintf(cmd, sizeof cmd,
	    "cd '%.4000s' && TZ=UTC '%.4000s/%s' %.2047s >'%s' 2>'%s'",
	    top, bin, tool, a, out, err), sizeof cmd);
	st = system(cmd);
	cr_assert_neq(st, -1);
	o = slurp(out, &olen);
	e = slurp(err, &elen);
	cr_assert(o != NULL && e != NULL);
	drop_mode_warnings(e, &elen);
	unlink(out);
	unlink(err);
	rlen = olen + elen + 64;
	res = malloc(rlen);
	cr_assert_not_null(res);
	*len = (size_t)snprintf(res, rlen, "%s--- stderr\n%s--- exit %d\n", o,
	    e, WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st));
	free(o);
	free(e);
	return res;
}

/* Points at the first differing line, for a readable failure. */
static void
first_diff(const char *a, const char *b, char *msg, size_t len)
{
	int line = 1;
	const char *la = a, *lb = b;

	while (*a != '\0' && *a == *b) {
		if (*a == '\n') {
			line++;
			la = a + 1;
			lb = b + 1;
		}
		a++;
		b++;
	}
	snprintf(msg, len, "line %d:\n  got:  %.*s\n  want: %.*s", line,
	    (int)strcspn(la, "\n"), la, (int)strcspn(lb, "\n"), lb);
}

ParameterizedTest(struct golden_case *c, golden, matches)
{
	const char *top = env_or("IPSEC_TOP", ".");
	char path[4096], msg[1024];
	size_t glen, wlen;
	char *got, *want;

	got = run_case(c->name, &glen);
	snprintf(path, sizeof path, "%s/tests/golden/%s.out", top, c->name);
	if (getenv("GOLDEN_UPDATE") != NULL) {
		FILE *f = fopen(path, "wb");

		cr_assert_not_null(f, "%s", path);
		fwrite(got, 1, glen, f);
		fclose(f);
	}
	want = slurp(path, &wlen);
	cr_assert_not_null(want, "%s missing (make golden)", path);
	if (strcmp(got, want) != 0) {
		first_diff(got, want, msg, sizeof msg);
		cr_assert_fail("%s differs from %s.out at %s", c->name, c->name, msg);
	}
	free(got);
	free(want);
}
