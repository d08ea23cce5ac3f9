/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Live capture through libpcap, on the loopback interface of a private
 * network namespace (root only): UDP to ports 500 and 4500 is captured
 * with its link type and bytes, the filter applies, a break ends the
 * wait, and ipsec-dump -i prints what it saw.  Unknown interfaces are
 * answered with the list of those there are.
 */
#define _GNU_SOURCE			/* unshare(), CLONE_NEWNET */
#include <criterion/criterion.h>

#include <arpa/inet.h>
#include <errno.h>
#include <net/if.h>
#include <netinet/in.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "dissect/capture.h"
#include "dissect/dissect.h"

#define CHILD_SKIP	77

/* IKEv2 IKE_SA_INIT request header, no payloads (RFC 7296 3.1). */
static const uint8_t ike_msg[28] = {
	0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88,	/* initiator SPI */
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,	/* responder SPI */
	0x00,				/* next payload: none */
	0x20,				/* version 2.0 */
	0x22,				/* IKE_SA_INIT */
	0x08,				/* flags: initiator */
	0x00, 0x00, 0x00, 0x00,		/* message ID 0 */
	0x00, 0x00, 0x00, 0x1c,		/* length 28 */
};

/* ESP in UDP (RFC 3948 2.1): SPI, sequence, 16 bytes of ciphertext. */
static const uint8_t esp_msg[24] = {
	0x00, 0x00, 0x10, 0x01,		/* SPI 0x1001 */
	0x00, 0x00, 0x00, 0x01,		/* sequence 1 */
	0xc1, 0xc2, 0xc3, 0xc4, 0xc5, 0xc6, 0xc7, 0xc8,
	0xc9, 0xca, 0xcb, 0xcc, 0xcd, 0xce, 0xcf, 0xd0,
};

/* --- running a body in a private network namespace --------------------- */

static int report_fd = -1;

static void	c_fail(int, const char *, ...) DS_PRINTF(2, 3);

/* In the child: says what failed, and ends it. */
static void
c_fail(int line, const char *fmt, ...)
{
	char buf[400];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof buf, fmt, ap);
	va_end(ap);
	dprintf(report_fd, "test_live.c:%d: %s", line, buf);
	_exit(1);
}

#define C_CHECK(cond, ...) do {						\
	if (!(cond))							\
		c_fail(__LINE__, __VA_ARGS__);				\
} while (0)

static void
lo_up(void)
{
	struct ifreq ifr;
	int s;

	s = socket(AF_INET, SOCK_DGRAM, 0);
	C_CHECK(s >= 0, "socket: %s", strerror(errno));
	memset(&ifr, 0, sizeof ifr);
	snprintf(ifr.ifr_name, sizeof ifr.ifr_name, "lo");
	C_CHECK(ioctl(s, SIOCGIFFLAGS, &ifr) == 0, "SIOCGIFFLAGS: %s",
	    strerror(errno));
	ifr.ifr_flags |= IFF_UP;
	C_CHECK(ioctl(s, SIOCSIFFLAGS, &ifr) == 0, "SIOCSIFFLAGS: %s",
	    strerror(errno));
	close(s);
}

/*
 * Runs body in a child with a network namespace of its own, whose only
 * interface is a loopback brought up here; nothing leaves it and nothing
 * is left behind when the child ends.
 */
static void
in_netns(void (*body)(void))
{
	char msg[512];
	size_t n = 0;
	ssize_t r;
	int fds[2], st;
	pid_t pid;

	if (geteuid() != 0)
		cr_skip_test("live capture needs root, for a private network "
		    "namespace and a packet socket");
	cr_assert_eq(pipe(fds), 0);
	pid = fork();
	cr_assert_neq(pid, -1);
	if (pid == 0) {
		close(fds[0]);
		report_fd = fds[1];
		if (unshare(CLONE_NEWNET) != 0) {
			dprintf(report_fd, "unshare(CLONE_NEWNET): %s",
			    strerror(errno));
			_exit(CHILD_SKIP);
		}
		lo_up();
		body();
		_exit(0);
	}
	close(fds[1]);
	while (n < sizeof msg - 1 &&
	    (r = read(fds[0], msg + n, sizeof msg - 1 - n)) > 0)
		n += (size_t)r;
	msg[n] = '\0';
	close(fds[0]);
	cr_assert_eq(waitpid(pid, &st, 0), pid);
	if (WIFEXITED(st) && WEXITSTATUS(st) == CHILD_SKIP)
		cr_skip_test("no private network namespace: %s", msg);
	cr_assert(WIFEXITED(st) && WEXITSTATUS(st) == 0, "%s",
	    n > 0 ? msg : "the child died");
}

/* --- helpers used inside the namespace ------------------------------------ */

static int
udp_socket(uint16_t bind_port)
{
	struct sockaddr_in a;
	int s;

	s = socket(AF_INET, SOCK_DGRAM, 0);
	C_CHECK(s >= 0, "socket: %s", strerror(errno));
	if (bind_port != 0) {
		memset(&a, 0, sizeof a);
		a.sin_family = AF_INET;
		a.sin_port = htons(bind_port);
		a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
		C_CHECK(bind(s, (struct sockaddr *)&a, sizeof a) == 0,
		    "bind %u: %s", bind_port, strerror(errno));
	}
	return s;
}

static void
send_udp(int s, uint16_t port, const void *p, size_t n)
{
	struct sockaddr_in a;

	memset(&a, 0, sizeof a);
	a.sin_family = AF_INET;
	a.sin_port = htons(port);
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	C_CHECK(sendto(s, p, n, 0, (struct sockaddr *)&a, sizeof a) ==
	    (ssize_t)n, "sendto %u: %s", port, strerror(errno));
}

static struct ds_source *volatile alarm_src;

static void
on_alarm(int sig)
{
	(void)sig;
	if (alarm_src != NULL)
		ds_source_break(alarm_src);
}

/* SIGALRM breaks the capture: a bound on every wait. */
static void
arm_break(struct ds_source *s, unsigned sec)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_alarm;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGALRM, &sa, NULL);
	alarm_src = s;
	alarm(sec);
}

static double
now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Ethernet (lo's link type on Linux), IPv4, UDP to dport, then p. */
static void
check_udp(const struct ds_pkt *pkt, uint16_t dport, const uint8_t *p,
    size_t n)
{
	size_t want = 14 + 20 + 8 + n;

	C_CHECK(pkt->linktype == DS_LINKTYPE_ETHERNET, "link type %d",
	    pkt->linktype);
	C_CHECK(pkt->caplen == want && pkt->wirelen == want,
	    "lengths %u/%u, want %zu", pkt->caplen, pkt->wirelen, want);
	C_CHECK(pkt->data[12] == 0x08 && pkt->data[13] == 0x00,
	    "EtherType %02x%02x", pkt->data[12], pkt->data[13]);
	C_CHECK(pkt->data[14] == 0x45 && pkt->data[23] == 17,
	    "not IPv4/UDP");
	C_CHECK((pkt->data[36] << 8 | pkt->data[37]) == dport,
	    "port %u, want %u", pkt->data[36] << 8 | pkt->data[37], dport);
	C_CHECK(memcmp(pkt->data + 42, p, n) == 0, "payload differs");
	C_CHECK(pkt->ts_sec > 1000000000 && pkt->ts_nsec < 1000000000,
	    "timestamp %lld.%09u", (long long)pkt->ts_sec, pkt->ts_nsec);
}

/* --- the tests ----------------------------------------------------------- */

static void
body_reads_ike_and_natt(void)
{
	struct ds_live_opts o = { 0, false, true };
	struct ds_errinfo ei;
	struct ds_source *s;
	struct ds_pkt pkt;
	uint64_t recv = 0, drop = 0;
	int r500, r4500, r53, tx, r;
	double t0;

	s = ds_source_open_live("lo", &o, &ei);
	C_CHECK(s != NULL, "%s", ei.msg);
	C_CHECK(strcmp(ds_source_kind(s), "live") == 0, "kind %s",
	    ds_source_kind(s));
	C_CHECK(ds_source_set_filter(s, "udp port 500 or udp port 4500",
	    &ei) == DS_OK, "%s", ei.msg);
	r500 = udp_socket(500);		/* listeners: no ICMP errors */
	r4500 = udp_socket(4500);
	r53 = udp_socket(53);
	tx = udp_socket(0);
	send_udp(tx, 53, "dns?", 4);	/* not in the filter */
	send_udp(tx, 500, ike_msg, sizeof ike_msg);
	send_udp(tx, 4500, esp_msg, sizeof esp_msg);
	arm_break(s, 5);
	r = ds_source_next(s, &pkt, &ei);
	C_CHECK(r == 1, "first packet: %d %s", r, r < 0 ? ei.msg : "");
	check_udp(&pkt, 500, ike_msg, sizeof ike_msg);
	r = ds_source_next(s, &pkt, &ei);
	C_CHECK(r == 1, "second packet: %d %s", r, r < 0 ? ei.msg : "");
	check_udp(&pkt, 4500, esp_msg, sizeof esp_msg);
	/* nothing more passes the filter: the break ends the wait */
	arm_break(s, 1);
	t0 = now();
	r = ds_source_next(s, &pkt, &ei);
	C_CHECK(r == 0, "after the break: %d", r);
	C_CHECK(now() - t0 < 3, "the break took %.1f s", now() - t0);
	C_CHECK(ds_source_next(s, &pkt, &ei) == 0, "the break sticks");
	C_CHECK(ds_source_drops(s, &recv, &drop), "no statistics");
	C_CHECK(recv >= 2, "received %llu", (unsigned long long)recv);
	C_CHECK(drop == 0, "dropped %llu", (unsigned long long)drop);
	alarm(0);
	alarm_src = NULL;
	ds_source_close(s);
	close(r500);
	close(r4500);
	close(r53);
	close(tx);
}

Test(live, captures_udp_to_500_and_4500_on_loopback)
{
	in_netns(body_reads_ike_and_natt);
}

/* A snaplen keeps that many bytes; the original length stays. */
static void
body_snaplen(void)
{
	struct ds_live_opts o = { 50, false, true };
	struct ds_errinfo ei;
	struct ds_source *s;
	struct ds_pkt pkt;
	int rx, tx, r;

	s = ds_source_open_live("lo", &o, &ei);
	C_CHECK(s != NULL, "%s", ei.msg);
	rx = udp_socket(4500);
	tx = udp_socket(0);
	send_udp(tx, 4500, esp_msg, sizeof esp_msg);
	arm_break(s, 5);
	r = ds_source_next(s, &pkt, &ei);
	C_CHECK(r == 1, "%d %s", r, r < 0 ? ei.msg : "");
	C_CHECK(pkt.caplen == 50, "caplen %u", pkt.caplen);
	C_CHECK(pkt.wirelen == 14 + 20 + 8 + sizeof esp_msg, "wirelen %u",
	    pkt.wirelen);
	alarm(0);
	alarm_src = NULL;
	ds_source_close(s);
	close(rx);
	close(tx);
}

Test(live, snaplen_cuts_what_is_kept)
{
	in_netns(body_snaplen);
}

static void
body_unknown_interface(void)
{
	struct ds_live_opts o = { 0, true, true };
	struct ds_errinfo ei;
	char list[256];

	C_CHECK(ds_source_open_live("nosuch0", &o, &ei) == NULL,
	    "opened an unknown interface");
	C_CHECK(ei.code == DS_EUSAGE, "code %d", ei.code);
	C_CHECK(strstr(ei.msg, "nosuch0: no such capture interface; "
	    "available: ") == ei.msg, "%s", ei.msg);
	C_CHECK(strstr(ei.msg, "lo") != NULL, "%s", ei.msg);
	ds_source_list_ifaces(list, sizeof list);
	C_CHECK(strstr(list, "lo") != NULL && strstr(list, "any") != NULL,
	    "list: %s", list);
}

Test(live, unknown_interface_lists_those_there_are)
{
	in_netns(body_unknown_interface);
}

/* Also without privileges: the name is checked before the permission. */
Test(live, unknown_interface_is_named_for_anyone)
{
	struct ds_errinfo ei;

	cr_assert_null(ds_source_open_live("nosuch0", NULL, &ei));
	cr_assert_eq(ei.code, DS_EUSAGE, "%s", ei.msg);
	cr_assert_not_null(strstr(ei.msg, "nosuch0: no such capture "
	    "interface; available: "), "%s", ei.msg);
}

Test(live, bad_filter_is_a_usage_error)
{
	struct ds_errinfo ei;
	struct ds_source *s;

	if (geteuid() != 0)
		cr_skip_test("live capture needs root");
	s = ds_source_open_live("lo", NULL, &ei);
	cr_assert_not_null(s, "%s", ei.msg);
	cr_assert_eq(ds_source_set_filter(s, "udp prot 500", &ei),
	    DS_EUSAGE);
	cr_assert_not_null(strstr(ei.msg, "filter \"udp prot 500\": "), "%s",
	    ei.msg);
	ds_source_close(s);
}

Test(live, list_is_cut_to_the_buffer)
{
	char buf[8];

	memset(buf, 'x', sizeof buf);
	ds_source_list_ifaces(buf, sizeof buf);
	cr_assert_lt(strlen(buf), sizeof buf);
	ds_source_list_ifaces(buf, 0);
}

/* --- ipsec-dump -i -------------------------------------------------------- */

static char dump_path[512];

/*
 * Starts `ipsec-dump -i lo -c 3` and sends IKE and NAT-T ESP until it has
 * seen three frames and ended; its output names both.
 */
static void
body_ipsec_dump(void)
{
	char out[4096];
	size_t n = 0;
	ssize_t r;
	int fds[2], st, rx500, rx4500, tx, i;
	pid_t pid;

	rx500 = udp_socket(500);
	rx4500 = udp_socket(4500);
	tx = udp_socket(0);
	C_CHECK(pipe(fds) == 0, "pipe");
	pid = fork();
	C_CHECK(pid != -1, "fork");
	if (pid == 0) {
		close(fds[0]);
		dup2(fds[1], STDOUT_FILENO);
		dup2(fds[1], STDERR_FILENO);
		execl(dump_path, "ipsec-dump", "-i", "lo", "-c", "3",
		    (char *)NULL);
		_exit(127);
	}
	close(fds[1]);
	/* the tool needs a moment to open the interface; keep sending */
	for (i = 0; i < 100; i++) {
		if (waitpid(pid, &st, WNOHANG) == pid)
			break;
		send_udp(tx, 500, ike_msg, sizeof ike_msg);
		send_udp(tx, 4500, esp_msg, sizeof esp_msg);
		usleep(50000);
	}
	if (i == 100) {
		kill(pid, SIGTERM);
		C_CHECK(waitpid(pid, &st, 0) == pid, "waitpid");
	}
	while (n < sizeof out - 1 &&
	    (r = read(fds[0], out + n, sizeof out - 1 - n)) > 0)
		n += (size_t)r;
	out[n] = '\0';
	close(fds[0]);
	C_CHECK(i < 100, "ipsec-dump did not stop after 3 frames: %s", out);
	C_CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 0, "exit %d: %s",
	    WIFEXITED(st) ? WEXITSTATUS(st) : -1, out);
	C_CHECK(strstr(out, "ESP") != NULL, "no ESP line: %s", out);
	C_CHECK(strstr(out, "IKE") != NULL, "no IKE line: %s", out);
	close(rx500);
	close(rx4500);
	close(tx);
}

Test(live, ipsec_dump_captures_on_an_interface)
{
	const char *bin = getenv("IPSEC_BIN");

	if (bin == NULL)
		cr_skip_test("IPSEC_BIN is not set (run through make test)");
	snprintf(dump_path, sizeof dump_path, "%s/ipsec-dump", bin);
	if (access(dump_path, X_OK) != 0)
		cr_skip_test("%s: not built", dump_path);
	in_netns(body_ipsec_dump);
}
