/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * ipsec-dump: dissect IPsec and IKE traffic from a capture file or a live
 * interface, one line (or JSON object) per frame, then a summary.
 */
#include <stdio.h>

#include "common.h"

int
main(int argc, char *argv[])
{
	struct cmd_opts o;
	int rc;

	if ((rc = cmd_parse(argc, argv, NULL, &o)) != 0)
		return rc < 0 ? CMD_EXIT_USAGE : CMD_EXIT_OK;
	rc = cmd_run(&o);
	cmd_opts_fini(&o);
	return rc;
}
