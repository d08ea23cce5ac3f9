/* SPDX-License-Identifier: BSD-2-Clause */
/* Names of protocol numbers, for the text and JSON sinks. */
#ifndef DISSECT_NAMES_H
#define DISSECT_NAMES_H

#include <stdint.h>

/*
 * Each returns NULL for a value without a name; the caller prints the
 * number instead.
 */
const char	*ds_ipproto_name(uint8_t);
/* RFC 2393 / IANA "IPComp Transform Identifiers" (well-known CPIs). */
const char	*ds_ipcomp_cpi_name(uint16_t);
/* RFC 2408 3.1 and RFC 2409: ISAKMP exchange types. */
const char	*ds_isakmp_exch_name(uint8_t);
/* IANA "IKEv2 Exchange Types". */
const char	*ds_ikev2_exch_name(uint8_t);
/* EtherTypes we meet under VLAN tags and cooked links. */
const char	*ds_ethertype_name(uint16_t);

#endif
