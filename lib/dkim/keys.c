/*
 * keys.c: DKIM keys. The DNS key record (RFC 6376 3.6.1) and public key
 * decoding for verification; private keys, key generation and the
 * records to publish for signing. All cryptography is OpenSSL 3's.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/bio.h>
#include <openssl/crypto.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>
#include <openssl/x509.h>

#include "dkim/dkim_impl.h"

/* RFC 8301 3.2: signers MUST use at least 1024 bits; we refuse less. */
#define RSA_BITS_MIN 1024
#define RSA_BITS_MAX 4096
#define RSA_BITS_DEFAULT 2048
#define ED25519_KEY_LEN 32

struct inkan_dkim_key {
	EVP_PKEY *pkey;
	enum inkan_dkim_keytype type;
};

/* ---- key records --------------------------------------------------------- */

enum inkan_status
dkim_keyrec_parse(struct inkan_view txt, const struct inkan_limits *lim,
    struct dkim_keyrec *kr, const char **why_r)
{
	struct dkim_tag tags[INKAN_DKIM_TAGS_MAX];
	const struct dkim_tag *t;
	struct inkan_view list, e;
	size_t n, cap;
	enum inkan_status st;
	bool ok;

	if (lim == NULL)
		lim = inkan_limits_defaults();
	cap = lim->dkim_tags_max < INKAN_DKIM_TAGS_MAX ? lim->dkim_tags_max
						       : INKAN_DKIM_TAGS_MAX;
	kr->type = INKAN_DKIM_KEY_RSA;
	kr->hashes = 0;
	kr->testing = kr->strict = kr->revoked = false;
	inkan_buf_reset(&kr->key);
	if ((st = dkim_taglist_parse(txt, tags, cap, &n, why_r)) != INKAN_OK)
		return st;
	/* RFC 6376 3.6.1 v=: "if specified, this tag MUST be set to DKIM1
	   ... and MUST be the first tag in the record". */
	if ((t = dkim_tag_find(tags, n, "v")) != NULL) {
		if (t != &tags[0]) {
			*why_r = "v= is not the first tag of the key record";
			return INKAN_ERR_SYNTAX;
		}
		if (!inkan_view_eq(t->value, INKAN_VIEW_LIT("DKIM1"))) {
			*why_r = "the key record's v= is not DKIM1";
			return INKAN_ERR_SYNTAX;
		}
	}
	if ((t = dkim_tag_find(tags, n, "k")) != NULL) {
		if (inkan_view_eq_cstr_nocase(t->value, "rsa"))
			kr->type = INKAN_DKIM_KEY_RSA;
		else if (inkan_view_eq_cstr_nocase(t->value, "ed25519"))
			kr->type = INKAN_DKIM_KEY_ED25519;
		else {
			*why_r = "the key record's k= is an unknown key type";
			return INKAN_ERR_SYNTAX;
		}
	}
	/* h=: acceptable hashes; unknown names are ignored (3.6.1). */
	if ((t = dkim_tag_find(tags, n, "h")) != NULL) {
		list = t->value;
		while (dkim_list_next(&list, &e)) {
			if (inkan_view_eq_cstr_nocase(e, "sha1"))
				kr->hashes |= DKIM_HASH_SHA1;
			else if (inkan_view_eq_cstr_nocase(e, "sha256"))
				kr->hashes |= DKIM_HASH_SHA256;
		}
		if (kr->hashes == 0) {
			*why_r = "the key record's h= names no known hash";
			return INKAN_ERR_SYNTAX;
		}
	}
	/* s=: service types, "*" or "email" (3.6.1). */
	if ((t = dkim_tag_find(tags, n, "s")) != NULL) {
		ok = false;
		list = t->value;
		while (dkim_list_next(&list, &e))
			if (inkan_view_eq_cstr_nocase(e, "*") ||
			    inkan_view_eq_cstr_nocase(e, "email"))
				ok = true;
		if (!ok) {
			*why_r = "the key record's s= excludes email";
			return INKAN_ERR_SYNTAX;
		}
	}
	/* t=: flags y (testing) and s (strict); others ignored. */
	if ((t = dkim_tag_find(tags, n, "t")) != NULL) {
		list = t->value;
		while (dkim_list_next(&list, &e)) {
			if (inkan_view_eq_cstr_nocase(e, "y"))
				kr->testing = true;
			else if (inkan_view_eq_cstr_nocase(e, "s"))
				kr->strict = true;
		}
	}
	if ((t = dkim_tag_find(tags, n, "p")) == NULL) {
		*why_r = "the key record has no p= tag";
		return INKAN_ERR_SYNTAX;
	}
	if (t->value.len == 0) {
		/* RFC 6376 3.6.1: "An empty value means that this public
		   key has been revoked." */
		kr->revoked = true;
		return INKAN_OK;
	}
	st = inkan_base64_decode(
	    t->value.ptr, t->value.len, INKAN_BASE64_SKIP_FWS, &kr->key);
	if (st == INKAN_ERR_SYNTAX) {
		*why_r = "the key record's p= is not base64";
		return st;
	}
	if (st != INKAN_OK)
		*why_r = "the key record's p= is too long";
	return st;
}

enum inkan_status
dkim_pubkey_decode(enum inkan_dkim_keytype type, const uint8_t *der, size_t len,
    EVP_PKEY **pkey_r, unsigned *bits_r)
{
	const unsigned char *q;
	EVP_PKEY *pk = NULL;
	int bits;

	*pkey_r = NULL;
	*bits_r = 0;
	if (len > (size_t)INT32_MAX)
		return INKAN_ERR_SYNTAX;
	if (type == INKAN_DKIM_KEY_ED25519) {
		/* RFC 8463 4.2: p= is the 32-byte key itself. */
		if (len != ED25519_KEY_LEN)
			return INKAN_ERR_SYNTAX;
		pk = EVP_PKEY_new_raw_public_key(
		    EVP_PKEY_ED25519, NULL, der, len);
		if (pk == NULL)
			return INKAN_ERR_SYNTAX;
		*pkey_r = pk;
		*bits_r = 256;
		return INKAN_OK;
	}
	/* RFC 6376 3.6.1: an RSAPublicKey in a SubjectPublicKeyInfo; some
	   publishers put the bare PKCS#1 RSAPublicKey, which we accept. */
	q = der;
	pk = d2i_PUBKEY(NULL, &q, (long)len);
	if (pk != NULL && q != der + len) {
		EVP_PKEY_free(pk);
		pk = NULL;
	}
	if (pk == NULL) {
		q = der;
		pk = d2i_PublicKey(EVP_PKEY_RSA, NULL, &q, (long)len);
		if (pk != NULL && q != der + len) {
			EVP_PKEY_free(pk);
			pk = NULL;
		}
	}
	if (pk == NULL)
		return INKAN_ERR_SYNTAX;
	if (EVP_PKEY_get_base_id(pk) != EVP_PKEY_RSA ||
	    (bits = EVP_PKEY_get_bits(pk)) <= 0) {
		EVP_PKEY_free(pk);
		return INKAN_ERR_SYNTAX;
	}
	*pkey_r = pk;
	*bits_r = (unsigned)bits;
	return INKAN_OK;
}

/* ---- private keys ----------------------------------------------------------
 */

EVP_PKEY *
dkim_key_pkey(const struct inkan_dkim_key *key)
{
	return key->pkey;
}

static enum inkan_status
wrap_key(EVP_PKEY *pk, struct inkan_dkim_key **key_r)
{
	struct inkan_dkim_key *k;
	int id = EVP_PKEY_get_base_id(pk);

	if (id == EVP_PKEY_RSA) {
		if (EVP_PKEY_get_bits(pk) < RSA_BITS_MIN) {
			EVP_PKEY_free(pk);
			return INKAN_ERR_UNSUPPORTED;
		}
	} else if (id != EVP_PKEY_ED25519) {
		EVP_PKEY_free(pk);
		return INKAN_ERR_UNSUPPORTED;
	}
	if ((k = calloc(1, sizeof(*k))) == NULL) {
		EVP_PKEY_free(pk);
		return INKAN_ERR_NOMEM;
	}
	k->pkey = pk;
	k->type =
	    id == EVP_PKEY_RSA ? INKAN_DKIM_KEY_RSA : INKAN_DKIM_KEY_ED25519;
	*key_r = k;
	return INKAN_OK;
}

/*
 * The raw Ed25519 form: base64 of the 32-byte seed (RFC 8463 A.2 prints
 * the example key so), or of seed and public key (64 bytes, libsodium).
 */
static enum inkan_status
load_raw_seed(const uint8_t *p, size_t len, struct inkan_dkim_key **key_r)
{
	struct inkan_buf b;
	struct inkan_view v = inkan_view_trim(
	    inkan_view_make(p, len), INKAN_CC_WSP | INKAN_CC_CTL);
	EVP_PKEY *pk = NULL;
	enum inkan_status st;

	inkan_buf_init(&b, 128);
	st = inkan_base64_decode(v.ptr, v.len, INKAN_BASE64_SKIP_FWS, &b);
	if (st != INKAN_OK || (b.len != 32 && b.len != 64)) {
		st = INKAN_ERR_SYNTAX;
		goto out;
	}
	pk = EVP_PKEY_new_raw_private_key(EVP_PKEY_ED25519, NULL, b.data, 32);
	if (pk == NULL) {
		st = INKAN_ERR_SYNTAX;
		goto out;
	}
	st = wrap_key(pk, key_r);
out:
	if (b.data != NULL)
		OPENSSL_cleanse(b.data, b.cap);
	inkan_buf_clear(&b);
	return st;
}

static bool
has_pem_armour(const uint8_t *p, size_t len)
{
	static const char armour[] = "-----BEGIN";
	size_t i;

	for (i = 0; i + sizeof(armour) - 1 <= len; i++)
		if (memcmp(p + i, armour, sizeof(armour) - 1) == 0)
			return true;
	return false;
}

enum inkan_status
inkan_dkim_key_load_pem(
    const void *pem, size_t len, struct inkan_dkim_key **key_r)
{
	BIO *bio;
	EVP_PKEY *pk;

	*key_r = NULL;
	if (pem == NULL || len > (size_t)INT32_MAX)
		return INKAN_ERR_INVAL;
	if (!has_pem_armour(pem, len))
		return load_raw_seed(pem, len, key_r);
	if ((bio = BIO_new_mem_buf(pem, (int)len)) == NULL)
		return INKAN_ERR_NOMEM;
	/* PKCS#1 "RSA PRIVATE KEY" and PKCS#8 "PRIVATE KEY" alike; no
	   passphrase (NULL callback and a NULL-returning u would prompt). */
	pk = PEM_read_bio_PrivateKey(bio, NULL, NULL, (void *)"");
	BIO_free(bio);
	if (pk == NULL)
		return INKAN_ERR_SYNTAX;
	return wrap_key(pk, key_r);
}

/* Key files are small; refuse anything larger than this. */
#define KEY_FILE_MAX 65536

enum inkan_status
inkan_dkim_key_load_file(const char *path, struct inkan_dkim_key **key_r)
{
	uint8_t *buf;
	FILE *f;
	size_t n;
	enum inkan_status st;

	*key_r = NULL;
	if (path == NULL)
		return INKAN_ERR_INVAL;
	if ((f = fopen(path, "rb")) == NULL)
		return INKAN_ERR_NOTFOUND;
	if ((buf = malloc(KEY_FILE_MAX + 1)) == NULL) {
		fclose(f);
		return INKAN_ERR_NOMEM;
	}
	n = fread(buf, 1, KEY_FILE_MAX + 1, f);
	if (ferror(f))
		st = INKAN_ERR_IO;
	else if (n > KEY_FILE_MAX)
		st = INKAN_ERR_SYNTAX;
	else
		st = inkan_dkim_key_load_pem(buf, n, key_r);
	fclose(f);
	OPENSSL_cleanse(buf, KEY_FILE_MAX + 1);
	free(buf);
	return st;
}

void
inkan_dkim_key_free(struct inkan_dkim_key **key)
{
	if (key == NULL || *key == NULL)
		return;
	/* EVP_PKEY_free clears the private key material (OpenSSL frees
	   RSA and Ed25519 keys with OPENSSL_clear_free). */
	EVP_PKEY_free((*key)->pkey);
	OPENSSL_cleanse(*key, sizeof(**key));
	free(*key);
	*key = NULL;
}

enum inkan_dkim_algorithm
inkan_dkim_key_algorithm(const struct inkan_dkim_key *key)
{
	return key->type == INKAN_DKIM_KEY_ED25519 ? INKAN_DKIM_ED25519_SHA256
						   : INKAN_DKIM_RSA_SHA256;
}

enum inkan_status
inkan_dkim_key_record(const struct inkan_dkim_key *key, struct inkan_buf *out)
{
	unsigned char *der = NULL;
	uint8_t raw[ED25519_KEY_LEN];
	size_t rawlen = sizeof(raw);
	int len;
	enum inkan_status st;

	if (key->type == INKAN_DKIM_KEY_ED25519) {
		if (EVP_PKEY_get_raw_public_key(key->pkey, raw, &rawlen) != 1 ||
		    rawlen != ED25519_KEY_LEN)
			return INKAN_ERR_INTERNAL;
		/* RFC 8463 4.2. */
		if ((st = inkan_buf_append_cstr(
			 out, "v=DKIM1; k=ed25519; p=")) != INKAN_OK)
			return st;
		return inkan_base64_encode(raw, rawlen, out);
	}
	if ((len = i2d_PUBKEY(key->pkey, &der)) <= 0)
		return INKAN_ERR_NOMEM;
	if ((st = inkan_buf_append_cstr(out, "v=DKIM1; k=rsa; p=")) == INKAN_OK)
		st = inkan_base64_encode(der, (size_t)len, out);
	OPENSSL_free(der);
	return st;
}

enum inkan_status
inkan_dkim_keygen(
    enum inkan_dkim_keytype type, unsigned bits, struct inkan_buf *pem_out)
{
	EVP_PKEY_CTX *ctx = NULL;
	EVP_PKEY *pk = NULL;
	BIO *bio = NULL;
	char *data;
	long n;
	enum inkan_status st = INKAN_ERR_NOMEM;

	if (type == INKAN_DKIM_KEY_RSA) {
		if (bits == 0)
			bits = RSA_BITS_DEFAULT;
		if (bits < RSA_BITS_MIN || bits > RSA_BITS_MAX)
			return INKAN_ERR_INVAL;
		ctx = EVP_PKEY_CTX_new_id(EVP_PKEY_RSA, NULL);
	} else if (type == INKAN_DKIM_KEY_ED25519) {
		ctx = EVP_PKEY_CTX_new_id(EVP_PKEY_ED25519, NULL);
	} else {
		return INKAN_ERR_INVAL;
	}
	if (ctx == NULL || EVP_PKEY_keygen_init(ctx) != 1)
		goto out;
	/* e = 65537 is OpenSSL's default public exponent. */
	if (type == INKAN_DKIM_KEY_RSA &&
	    EVP_PKEY_CTX_set_rsa_keygen_bits(ctx, (int)bits) != 1)
		goto out;
	if (EVP_PKEY_keygen(ctx, &pk) != 1)
		goto out;
	if ((bio = BIO_new(BIO_s_mem())) == NULL)
		goto out;
	if (PEM_write_bio_PrivateKey(bio, pk, NULL, NULL, 0, NULL, NULL) != 1)
		goto out;
	n = BIO_get_mem_data(bio, &data);
	if (n <= 0)
		goto out;
	st = inkan_buf_append(pem_out, data, (size_t)n);
	OPENSSL_cleanse(data, (size_t)n);
out:
	BIO_free(bio);
	EVP_PKEY_free(pk);
	EVP_PKEY_CTX_free(ctx);
	return st;
}

enum inkan_status
inkan_dkim_record_split(struct inkan_view record, struct inkan_buf *out)
{
	size_t i = 0, k;

	/* RFC 1035 3.3.14: a character-string holds at most 255 bytes;
	   RFC 6376 3.6.2.2: the strings of one TXT record are joined. */
	while (i < record.len || i == 0) {
		if (i > 0)
			inkan_buf_append_byte(out, ' ');
		inkan_buf_append_byte(out, '"');
		for (k = 0; k < 255 && i < record.len; k++, i++) {
			uint8_t c = record.ptr[i];

			if (c == '"' || c == '\\')
				inkan_buf_append_byte(out, '\\');
			if (c < 0x20 || c >= 0x7f)
				inkan_buf_printf(out, "\\%03u", (unsigned)c);
			else
				inkan_buf_append_byte(out, c);
		}
		inkan_buf_append_byte(out, '"');
		if (record.len == 0)
			break;
	}
	return out->err;
}
