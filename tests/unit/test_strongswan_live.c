/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Live interoperation with a real IPsec stack: runs
 * tests/integration/strongswan.sh (two strongSwan daemons in network
 * namespaces, traffic through AES-GCM and AES-CBC/HMAC-SHA2 Child SAs, then
 * ipsec-dump -K charon.log must verify and decrypt every ESP packet).  Runs
 * only as root with charon installed; skips with the reason otherwise.
 * RFC 4303, RFC 3948, RFC 7296.
 */
#include <criterion/criterion.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#define CHARON		"/usr/lib/ipsec/charon"
#define SCRIPT		"tests/integration/strongswan.sh"
#define OUT_MAX		16384

static const char *
env_or(const char *name, const char *dflt)
{
	const char *v = getenv(name);

	return v != NULL && *v != '\0' ? v : dflt;
}

Test(strongswan_live, ipsec_dump_decrypts_what_charon_sent, .timeout = 90)
{
	char cmd[8192], *out, *skip;
	size_t n = 0, r;
	FILE *fp;
	int st;

	if (geteuid() != 0)
		cr_skip_test("not root: network namespaces need CAP_NET_ADMIN");
	if (access(CHARON, X_OK) != 0)
		cr_skip_test(CHARON " not installed (strongswan-charon)");
	snprintf(cmd, sizeof cmd, "timeout -k 5 70 bash %s/%s %s/ipsec-dump "
	    "2>&1", env_or("IPSEC_TOP", "."), SCRIPT,
	    env_or("IPSEC_BIN", "build/bin"));
	fp = popen(cmd, "r");
	cr_assert_not_null(fp, "%s", cmd);
	out = calloc(1, OUT_MAX);
	cr_assert_not_null(out);
	while (n < OUT_MAX - 1 &&
	    (r = fread(out + n, 1, OUT_MAX - 1 - n, fp)) > 0)
		n += r;
	st = pclose(fp);
	cr_assert(WIFEXITED(st), "%s: killed\n%s", SCRIPT, out);
	if (WEXITSTATUS(st) == 77) {
		skip = strstr(out, "SKIP: ");
		cr_skip_test("%s", skip != NULL ? skip + 6 : out);
	}
	cr_expect_eq(WEXITSTATUS(st), 0, "%s: exit %d\n%s", SCRIPT,
	    WEXITSTATUS(st), out);
	fprintf(stderr, "%s", out);
	free(out);
}
