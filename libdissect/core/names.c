/* SPDX-License-Identifier: BSD-2-Clause */
/* Names of protocol numbers (IANA registries), for the sinks. */
#include <stddef.h>

#include "dissect/names.h"

const char *
ds_ipproto_name(uint8_t p)
{
	switch (p) {
	case 0:		return "hop-by-hop";
	case 1:		return "icmp";
	case 2:		return "igmp";
	case 4:		return "ipip";
	case 6:		return "tcp";
	case 17:	return "udp";
	case 41:	return "ipv6";
	case 43:	return "routing";
	case 44:	return "fragment";
	case 47:	return "gre";
	case 50:	return "esp";
	case 51:	return "ah";
	case 58:	return "icmpv6";
	case 59:	return "none";
	case 60:	return "dstopts";
	case 89:	return "ospf";
	case 103:	return "pim";
	case 108:	return "ipcomp";
	case 112:	return "vrrp";
	case 132:	return "sctp";
	case 135:	return "mobility";
	case 139:	return "hip";
	case 140:	return "shim6";
	}
	return NULL;
}

/* IANA "IPComp Transform Identifiers" (RFC 2407 4.4.5, RFC 3051, 2394, 2395). */
const char *
ds_ipcomp_cpi_name(uint16_t cpi)
{
	switch (cpi) {
	case 1:		return "OUI";
	case 2:		return "DEFLATE";
	case 3:		return "LZS";
	case 4:		return "LZJH";
	}
	return NULL;
}

/* RFC 2408 3.1, RFC 2409 (Quick, New Group), draft mode-cfg (Transaction). */
const char *
ds_isakmp_exch_name(uint8_t e)
{
	switch (e) {
	case 0:		return "None";
	case 1:		return "Base";
	case 2:		return "Identity Protection (Main Mode)";
	case 3:		return "Authentication Only";
	case 4:		return "Aggressive";
	case 5:		return "Informational";
	case 6:		return "Transaction (Config Mode)";
	case 32:	return "Quick Mode";
	case 33:	return "New Group Mode";
	}
	return NULL;
}

/* IANA "IKEv2 Exchange Types" (RFC 7296, 5723, 6023, 9242, 9370, 9727). */
const char *
ds_ikev2_exch_name(uint8_t e)
{
	switch (e) {
	case 34:	return "IKE_SA_INIT";
	case 35:	return "IKE_AUTH";
	case 36:	return "CREATE_CHILD_SA";
	case 37:	return "INFORMATIONAL";
	case 38:	return "IKE_SESSION_RESUME";
	case 39:	return "GSA_AUTH";
	case 40:	return "GSA_REGISTRATION";
	case 41:	return "GSA_REKEY";
	case 43:	return "IKE_INTERMEDIATE";
	case 44:	return "IKE_FOLLOWUP_KE";
	}
	return NULL;
}

const char *
ds_ethertype_name(uint16_t t)
{
	switch (t) {
	case 0x0800:	return "IPv4";
	case 0x0806:	return "ARP";
	case 0x86dd:	return "IPv6";
	case 0x8100:	return "802.1Q";
	case 0x88a8:	return "802.1ad";
	case 0x9100:	return "QinQ";
	case 0x8863:	return "PPPoE-discovery";
	case 0x8864:	return "PPPoE-session";
	case 0x8847:	return "MPLS";
	case 0x88cc:	return "LLDP";
	}
	return NULL;
}
