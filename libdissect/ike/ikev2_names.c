/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Names of IKEv2 protocol numbers, made from the lists in ikev2_const.h
 * (RFC 7296 3 and the IANA IKEv2 registries).
 */
#include "ike_int.h"
#include "ikev2_const.h"

#define X(sym, val, str)	case val: return str;

/* IANA "IKEv2 Payload Types"; 0 is no payload, so it has no name here. */
const char *
ds_ikev2_payload_name(uint8_t v)
{
	if (v == IKEV2_PT_NONE)
		return NULL;
	switch (v) {
	IKEV2_PT_LIST(X)
	}
	return NULL;
}

/* IANA "Security Protocol Identifiers". */
const char *
ikev2_proto_name(uint8_t v)
{
	switch (v) {
	IKEV2_PROTO_LIST(X)
	}
	return NULL;
}

/* IANA "Transform Type Values". */
const char *
ikev2_tt_name(uint8_t v)
{
	switch (v) {
	IKEV2_TT_LIST(X)
	}
	return NULL;
}

/* Transform type 1. */
const char *
ikev2_encr_name(uint16_t v)
{
	switch (v) {
	IKEV2_ENCR_LIST(X)
	}
	return NULL;
}

/* Transform type 2. */
const char *
ikev2_prf_name(uint16_t v)
{
	switch (v) {
	IKEV2_PRF_LIST(X)
	}
	return NULL;
}

/* Transform type 3. */
const char *
ikev2_integ_name(uint16_t v)
{
	switch (v) {
	IKEV2_INTEG_LIST(X)
	}
	return NULL;
}

/* Transform types 4 and 6-12, KE payloads. */
const char *
ikev2_ke_name(uint16_t v)
{
	switch (v) {
	IKEV2_KE_LIST(X)
	}
	return NULL;
}

/* Transform type 5. */
const char *
ikev2_esn_name(uint16_t v)
{
	switch (v) {
	IKEV2_ESN_LIST(X)
	}
	return NULL;
}

/* Transform attribute types. */
const char *
ikev2_attr_name(uint16_t v)
{
	switch (v) {
	IKEV2_ATTR_LIST(X)
	}
	return NULL;
}

/* ID types. */
const char *
ikev2_id_name(uint8_t v)
{
	switch (v) {
	IKEV2_ID_LIST(X)
	}
	return NULL;
}

/* Certificate encodings. */
const char *
ikev2_cert_name(uint8_t v)
{
	switch (v) {
	IKEV2_CERT_LIST(X)
	}
	return NULL;
}

/* Authentication methods. */
const char *
ikev2_auth_name(uint8_t v)
{
	switch (v) {
	IKEV2_AUTH_LIST(X)
	}
	return NULL;
}

/* Notify message types, errors and status. */
const char *
ikev2_notify_name(uint16_t v)
{
	switch (v) {
	IKEV2_NE_LIST(X)
	IKEV2_NS_LIST(X)
	}
	return NULL;
}

/* Traffic selector types. */
const char *
ikev2_ts_name(uint8_t v)
{
	switch (v) {
	IKEV2_TS_LIST(X)
	}
	return NULL;
}

/* CFG types. */
const char *
ikev2_cfg_name(uint8_t v)
{
	switch (v) {
	IKEV2_CFG_LIST(X)
	}
	return NULL;
}

/* Configuration attribute types. */
const char *
ikev2_cpa_name(uint16_t v)
{
	switch (v) {
	IKEV2_CPA_LIST(X)
	}
	return NULL;
}

/* Gateway identity types. */
const char *
ikev2_gw_name(uint8_t v)
{
	switch (v) {
	IKEV2_GW_LIST(X)
	}
	return NULL;
}

/* Hash algorithms. */
const char *
ikev2_hash_name(uint16_t v)
{
	switch (v) {
	IKEV2_HASH_LIST(X)
	}
	return NULL;
}

/* IPComp transform ids. */
const char *
ikev2_ipcomp_name(uint8_t v)
{
	switch (v) {
	IKEV2_IPCOMP_LIST(X)
	}
	return NULL;
}

/* EAP codes. */
const char *
ikev2_eap_code_name(uint8_t v)
{
	switch (v) {
	IKEV2_EAP_CODE_LIST(X)
	}
	return NULL;
}

/* EAP method types. */
const char *
ikev2_eap_type_name(uint8_t v)
{
	switch (v) {
	IKEV2_EAP_TYPE_LIST(X)
	}
	return NULL;
}

/* The registry of a transform's id depends on its type (RFC 7296 3.3.2). */
const char *
ikev2_transform_name(uint8_t type, uint16_t id)
{
	switch (type) {
	case IKEV2_TT_ENCR:
		return ikev2_encr_name(id);
	case IKEV2_TT_PRF:
		return ikev2_prf_name(id);
	case IKEV2_TT_INTEG:
		return ikev2_integ_name(id);
	case IKEV2_TT_KE:
	case IKEV2_TT_ADDKE1:
	case IKEV2_TT_ADDKE2:
	case IKEV2_TT_ADDKE3:
	case IKEV2_TT_ADDKE4:
	case IKEV2_TT_ADDKE5:
	case IKEV2_TT_ADDKE6:
	case IKEV2_TT_ADDKE7:
		return ikev2_ke_name(id);
	case IKEV2_TT_ESN:
		return ikev2_esn_name(id);
	}
	return NULL;
}

#undef X
