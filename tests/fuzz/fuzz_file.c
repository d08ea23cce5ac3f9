/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * libFuzzer target over the capture file readers (pcap and pcapng, both
 * byte orders, every block type) and, for what they hand out, the engine:
 * the input is a whole capture file, read as `ipsec-dump -r` reads it.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "dissect/capture.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

#define MAX_PACKETS	4096	/* a bound on the work per input */

static char	 path[64];

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ds_errinfo ei;
	struct ds_source *src;
	struct ds_engine *eng;
	struct ds_pkt pkt;
	unsigned n = 0;
	FILE *f;

	if (path[0] == '\0')
		snprintf(path, sizeof path, "/tmp/fuzz_file-%d.cap",
		    (int)getpid());
	if ((f = fopen(path, "wb")) == NULL)
		return 0;
	if (size > 0 && fwrite(data, 1, size, f) != size) {
		fclose(f);
		return 0;
	}
	fclose(f);
	memset(&ei, 0, sizeof ei);
	if ((src = ds_source_open_file(path, &ei)) == NULL)
		return 0;
	if ((eng = ds_engine_new(NULL)) == NULL) {
		ds_source_close(src);
		return 0;
	}
	while (n++ < MAX_PACKETS && ds_source_next(src, &pkt, &ei) > 0)
		(void)ds_engine_dissect(eng, &pkt);
	ds_engine_finish(eng);
	ds_engine_free(eng);
	ds_source_close(src);
	return 0;
}
