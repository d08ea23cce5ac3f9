/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Known Vendor IDs (IKEv1 and IKEv2), matched whole or by a known prefix
 * (IDs that carry a version or flags after a fixed part).  RFC 2408 3.16,
 * RFC 7296 3.12 (the payload), RFC 3947 and the draft-ietf-ipsec-nat-t-ike
 * IDs (MD5 of the document name), RFC 3706 (DPD).  Most IDs are the MD5
 * digest of a text, given beside each.
 */
#include "ike_int.h"

/* How an entry matches: the whole ID, or its first bytes. */
enum vid_match {
	VID_WHOLE,
	VID_PREFIX,
	VID_PREFIX12,		/* a prefix, in an ID of exactly 12 bytes */
};

struct vid {
	const char	*hex;		/* lowercase, two digits an octet */
	uint8_t		 match;		/* enum vid_match */
	const char	*name;
};

/*
 * Longer and whole IDs first: the first entry that matches names the ID.
 */
static const struct vid vids[] = {
	/* RFC 3947 5: MD5("RFC 3947") */
	{ "4a131c81070358455c5728f20e95452f", VID_WHOLE,
	    "RFC 3947 NAT-T" },
	/* the NAT-T drafts: MD5 of the draft's name */
	{ "4df37928e9fc4fd1b3262170d515c662", VID_WHOLE,
	    "draft-ietf-ipsec-nat-t-ike" },
	{ "4485152d18b6bbcd0be8a8469579ddcc", VID_WHOLE,
	    "draft-ietf-ipsec-nat-t-ike-00" },
	{ "16f6ca16e4a4066d83821a0f0aeaa862", VID_WHOLE,
	    "draft-ietf-ipsec-nat-t-ike-01" },
	{ "cd60464335df21f87cfdb2fc68b6a448", VID_WHOLE,
	    "draft-ietf-ipsec-nat-t-ike-02" },
	/* the same with a trailing newline, as some peers sent it */
	{ "90cb80913ebb696e086381b5ec427b1f", VID_WHOLE,
	    "draft-ietf-ipsec-nat-t-ike-02\\n" },
	{ "7d9419a65310ca6f2c179d9215529d56", VID_WHOLE,
	    "draft-ietf-ipsec-nat-t-ike-03" },
	{ "9909b64eed937c6573de52ace952fa6b", VID_WHOLE,
	    "draft-ietf-ipsec-nat-t-ike-04" },
	{ "80d0bb3def54565ee84645d4c85ce3ee", VID_WHOLE,
	    "draft-ietf-ipsec-nat-t-ike-05" },
	{ "4d1e0e136deafa34c4f3ea9f02ec7285", VID_WHOLE,
	    "draft-ietf-ipsec-nat-t-ike-06" },
	{ "439b59f8ba676c4c7737ae22eab8f582", VID_WHOLE,
	    "draft-ietf-ipsec-nat-t-ike-07" },
	{ "8f8d83826d246b6fc7a8a6a428c11de8", VID_WHOLE,
	    "draft-ietf-ipsec-nat-t-ike-08" },
	{ "42ea5b6f898d9773a575df26e7dd19e1", VID_WHOLE,
	    "draft-ietf-ipsec-nat-t-ike-09" },
	{ "27bab5dc01ea0760ea4e3190ac27c0d0", VID_WHOLE,
	    "draft-stenberg-ipsec-nat-traversal-01" },
	{ "6105c422e76847e43f9684801292aecd", VID_WHOLE,
	    "draft-stenberg-ipsec-nat-traversal-02" },
	{ "6a7434c19d7e36348090a02334c9c805", VID_WHOLE,
	    "draft-huttunen-ipsec-esp-in-udp-00" },
	/* MD5("ESPThruNAT") */
	{ "50760f624c63e5c53eea386c685ca083", VID_WHOLE, "ESPThruNAT" },
	/* RFC 3706 3: 14 fixed octets, then major and minor version */
	{ "afcad71368a1f1c96b8696fc7757", VID_PREFIX, "RFC 3706 DPD" },
	/* MD5("draft-ietf-ipsra-isakmp-xauth-06.txt"), first 8 octets */
	{ "09002689dfd6b712", VID_PREFIX, "XAUTH" },
	/* MD5("CISCO-UNITY"), first 14 octets, then major and minor */
	{ "12f5f28c457168a9702d9fe274cc", VID_PREFIX, "Cisco Unity" },
	/* MD5("FRAGMENTATION"), optionally followed by 4 octets of flags */
	{ "4048b7d56ebce88525e7de7f00d6c2d3", VID_PREFIX,
	    "Cisco Fragmentation" },
	{ "1f07f70eaa6514d3b0fa96542a", VID_PREFIX,
	    "Cisco VPN Concentrator" },
	/* Cisco IKEv2 IDs are the text itself */
	{ "434953434f2d44454c4554452d524541534f4e", VID_WHOLE,
	    "Cisco Delete Reason" },		/* CISCO-DELETE-REASON */
	{ "464c455856504e2d535550504f52544544", VID_WHOLE,
	    "Cisco FlexVPN Supported" },		/* FLEXVPN-SUPPORTED */
	{ "434953434f2d4752452d4d4f4445", VID_WHOLE,
	    "Cisco GRE Mode" },				/* CISCO-GRE-MODE */
	{ "434953434f2d44594e414d49432d524f555445", VID_WHOLE,
	    "Cisco Dynamic Route" },		/* CISCO-DYNAMIC-ROUTE */
	{ "434953434f28434f505952494748542926", VID_PREFIX,
	    "Cisco Copyright" },			/* CISCO(COPYRIGHT)& */
	/* MD5("MS NT5 ISAKMPOAKLEY"), then a 4-octet version ([MS-IKEE]) */
	{ "1e2b516905991c7d7c96fcbfb587e46100000002", VID_WHOLE,
	    "MS NT5 ISAKMPOAKLEY (Windows 2000)" },
	{ "1e2b516905991c7d7c96fcbfb587e46100000003", VID_WHOLE,
	    "MS NT5 ISAKMPOAKLEY (Windows XP)" },
	{ "1e2b516905991c7d7c96fcbfb587e46100000004", VID_WHOLE,
	    "MS NT5 ISAKMPOAKLEY (Windows Server 2003)" },
	{ "1e2b516905991c7d7c96fcbfb587e46100000005", VID_WHOLE,
	    "MS NT5 ISAKMPOAKLEY (Windows Vista)" },
	{ "1e2b516905991c7d7c96fcbfb587e46100000006", VID_WHOLE,
	    "MS NT5 ISAKMPOAKLEY (Windows Server 2008)" },
	{ "1e2b516905991c7d7c96fcbfb587e46100000007", VID_WHOLE,
	    "MS NT5 ISAKMPOAKLEY (Windows 7)" },
	{ "1e2b516905991c7d7c96fcbfb587e46100000008", VID_WHOLE,
	    "MS NT5 ISAKMPOAKLEY (Windows 8)" },
	{ "1e2b516905991c7d7c96fcbfb587e46100000009", VID_WHOLE,
	    "MS NT5 ISAKMPOAKLEY (Windows 8.1)" },
	{ "1e2b516905991c7d7c96fcbfb587e4610000000a", VID_WHOLE,
	    "MS NT5 ISAKMPOAKLEY (Windows 10)" },
	{ "1e2b516905991c7d7c96fcbfb587e461", VID_PREFIX,
	    "MS NT5 ISAKMPOAKLEY" },
	/* MD5("MS-Negotiation Discovery Capable") */
	{ "fb1de3cdf341b7ea16b7e5be0855f120", VID_WHOLE,
	    "MS-Negotiation Discovery Capable" },
	/* MD5("Vid-Initial-Contact") */
	{ "26244d38eddb61b3172a36e3d0cfb819", VID_WHOLE,
	    "Microsoft Vid-Initial-Contact" },
	/* MD5("IKE CGA version 1") */
	{ "e3a5966a76379fe707228231e5ce8652", VID_WHOLE,
	    "IKE CGA version 1" },
	/* MD5("A GSS-API Authentication Method for IKE"), MD5("GSSAPI") */
	{ "ad2c0dd0b9c32083ccba25b8861ec455", VID_WHOLE,
	    "A GSS-API Authentication Method for IKE" },
	{ "621b04bb09882ac1e15935fefa24aeee", VID_WHOLE, "GSSAPI" },
	/* MD5("strongSwan") */
	{ "882fe56d6fd20dbc2251613b2ebe5beb", VID_WHOLE, "strongSwan" },
	/* MD5("KAME/racoon") */
	{ "7003cbc1097dbe9c2600ba6983bc8b35", VID_WHOLE, "KAME/racoon" },
	/* MD5("SSH Sentinel") */
	{ "054182a07c7ae206f9d2cf9d2432c482", VID_WHOLE, "SSH Sentinel" },
	/* 20 fixed octets, then product, version, timestamp, features */
	{ "f4ed19e0c114eb516faaac0ee37daf2807b4381f", VID_PREFIX,
	    "Check Point" },
	{ "9b096d9ac3275a7d6fe8b91c583111b09efed1a0", VID_PREFIX,
	    "Juniper NetScreen" },
	{ "8299031757a36082c6a621de", VID_PREFIX, "Fortinet FortiGate" },
	{ "404bf439522ca3f6", VID_PREFIX, "SonicWall" },
	{ "47bbe7c993f1fc13b4e6d0db565c68e5", VID_PREFIX,
	    "SafeNet SoftRemote" },
	/* text IDs: "HeartBeat_Notify", "TIMESTEP", "BNES" */
	{ "4865617274426561745f4e6f74696679", VID_PREFIX,
	    "Heartbeat Notify" },
	{ "54494d4553544550", VID_PREFIX, "Timestep" },
	{ "424e4553", VID_PREFIX, "Nortel Contivity" },
	/* "OE" and ten characters of a hashed version string */
	{ "4f45", VID_PREFIX12, "Openswan/libreswan" },
};

static int
vid_nibble(char ch)
{
	if (ch >= '0' && ch <= '9')
		return ch - '0';
	return ch - 'a' + 10;
}

/* Does the ID start with (or, whole, equal) the entry's bytes? */
static bool
vid_match(struct ds_view v, const struct vid *e)
{
	struct ds_cur c = ds_cur_make(v.p, v.len, v.len);
	size_t n = strlen(e->hex) / 2, i;
	unsigned b;

	if (v.len < n)
		return false;
	if (e->match == VID_WHOLE && v.len != n)
		return false;
	if (e->match == VID_PREFIX12 && v.len != 12)
		return false;
	for (i = 0; i < n; i++) {
		b = (unsigned)(vid_nibble(e->hex[2 * i]) << 4 |
		    vid_nibble(e->hex[2 * i + 1]));
		if (ds_u8(&c) != b)
			return false;
	}
	return true;
}

const char *
ds_ike_vendor_name(struct ds_view v)
{
	size_t i;

	if (v.p == NULL || v.len == 0)
		return NULL;
	for (i = 0; i < DS_NELEM(vids); i++)
		if (vid_match(v, &vids[i]))
			return vids[i].name;
	return NULL;
}
