#ifndef COPENSSLCRYPTO_SHIM_H
#define COPENSSLCRYPTO_SHIM_H

// SHA-256 and HMAC-SHA-256 from OpenSSL's libcrypto (pkg-config libcrypto), as two calls with
// fixed-size outputs, so Swift needs neither OpenSSL's types nor its macros. Both use calls that
// OpenSSL 1.1 and 3 have and neither deprecates (EVP_Digest, HMAC).
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <stddef.h>

/// SHA-256 of `length` bytes at `data` into `digest` (32 bytes). Returns 1 on success.
static inline int copensslcrypto_sha256(const void *data, size_t length, unsigned char digest[32]) {
    unsigned int written = 0;
    return EVP_Digest(data, length, digest, &written, EVP_sha256(), NULL) == 1 && written == 32;
}

/// HMAC-SHA-256 of `length` bytes at `data` keyed with `key` into `mac` (32 bytes). Returns 1 on success.
static inline int copensslcrypto_hmac_sha256(const void *key, size_t key_length, const void *data, size_t length,
                                             unsigned char mac[32]) {
    unsigned int written = 0;
    if (key_length > 0x7fffffff) return 0;
    return HMAC(EVP_sha256(), key, (int)key_length, (const unsigned char *)data, length, mac, &written) != NULL &&
           written == 32;
}

#endif
