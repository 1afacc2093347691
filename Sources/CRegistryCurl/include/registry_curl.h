// One HTTP exchange through the system's libcurl, loaded at run time, for the Schema Registry
// client's TLS settings that Foundation's URLSession cannot take on Linux (a private CA, a client
// certificate). libcurl is the library URLSession itself uses there; it is opened with dlopen so
// that building needs no curl headers and a machine without libcurl fails with a message, not at
// link time.
#ifndef REGISTRY_CURL_H
#define REGISTRY_CURL_H

#include <stddef.h>

/// Text or file for one TLS input; both NULL when unset. `text` wins when both are set.
typedef struct {
    const char *file;
    const char *text;
} registry_curl_pem;

typedef struct {
    const char *method;          // "GET" or "POST"
    const char *url;
    const char *const *headers;  // "Name: value" lines
    size_t header_count;
    const void *body;            // NULL for none
    size_t body_length;
    long timeout_milliseconds;
    registry_curl_pem trust_roots;  // unset: the system's store
    registry_curl_pem client_certificate;
    registry_curl_pem client_key;
    const char *client_certificate_type;  // NULL: PEM; "P12": a PKCS#12 keystore file
    const char *key_password;    // NULL for none
    int verify_chain;
    int verify_host;
} registry_curl_request;

typedef struct {
    long status;        // HTTP status; 0 when no response arrived
    char *body;         // malloc'd, free with registry_curl_free; NULL when empty
    size_t body_length;
    int transport_failed;  // 1: no HTTP answer (connection, TLS, timeout); message says why
    char message[512];
} registry_curl_response;

/// Performs the request, blocking the calling thread until it ends (bounded by the timeout).
/// Returns 0 when an HTTP answer arrived (any status), -1 otherwise with `message` set.
int registry_curl_perform(const registry_curl_request *request, registry_curl_response *response);

/// Frees a response body.
void registry_curl_free(registry_curl_response *response);

#endif
