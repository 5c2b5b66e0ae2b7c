/*
 * fuzz_dkim_keyrec.c: the DKIM key record parser (RFC 6376 3.6.1) and
 * the public key decoding behind it (SubjectPublicKeyInfo, PKCS#1,
 * Ed25519 raw keys, through libcrypto).
 *
 * The whole input is one record (TXT strings already joined). The target
 * traps when a record that parses is revoked and yet carries key bytes,
 * when a failure gives no reason, or when a decoded key has no size.
 */
#include "dkim/dkim_impl.h"

#include "fuzz.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct dkim_keyrec kr;
	EVP_PKEY *pk = NULL;
	unsigned bits = 0;
	const char *why = NULL;
	enum inkan_status st;

	inkan_buf_init(&kr.key, 65536);
	st = dkim_keyrec_parse(inkan_view_make(data, size), NULL, &kr, &why);
	if (st != INKAN_OK) {
		if (why == NULL || why[0] == '\0')
			__builtin_trap();
		goto out;
	}
	if (kr.revoked) {
		if (kr.key.len != 0)
			__builtin_trap();
		goto out;
	}
	if (dkim_pubkey_decode(kr.type, kr.key.data, kr.key.len, &pk, &bits) ==
	    INKAN_OK) {
		if (pk == NULL || bits == 0)
			__builtin_trap();
		EVP_PKEY_free(pk);
	} else if (pk != NULL) {
		__builtin_trap();
	}
out:
	inkan_buf_clear(&kr.key);
	return 0;
}
