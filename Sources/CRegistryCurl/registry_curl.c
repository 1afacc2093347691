#include "registry_curl.h"

#include <dlfcn.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

// libcurl's ABI: option numbers and the blob struct are stable across 7.x and 8.x (curl.h keeps
// them for binary compatibility), so they are spelled here rather than taken from headers.
enum {
    OPT_WRITEDATA = 10001,
    OPT_URL = 10002,
    OPT_ERRORBUFFER = 10010,
    OPT_WRITEFUNCTION = 20011,
    OPT_POSTFIELDS = 10015,
    OPT_HTTPHEADER = 10023,
    OPT_SSLCERT = 10025,
    OPT_KEYPASSWD = 10026,
    OPT_CUSTOMREQUEST = 10036,
    OPT_POSTFIELDSIZE = 60,
    OPT_SSL_VERIFYPEER = 64,
    OPT_CAINFO = 10065,
    OPT_SSL_VERIFYHOST = 81,
    OPT_SSLCERTTYPE = 10086,
    OPT_SSLKEY = 10087,
    OPT_NOSIGNAL = 99,
    OPT_TIMEOUT_MS = 155,
    OPT_CONNECTTIMEOUT_MS = 156,
    OPT_SSLCERT_BLOB = 40291,
    OPT_SSLKEY_BLOB = 40292,
    OPT_CAINFO_BLOB = 40309,
    INFO_RESPONSE_CODE = 0x200002,
};

struct curl_blob_abi {
    void *data;
    size_t len;
    unsigned int flags;  // 1: libcurl copies the data
};

typedef void CURL;
struct curl_slist;
typedef CURL *(*easy_init_fn)(void);
typedef int (*easy_setopt_fn)(CURL *, int, ...);
typedef int (*easy_perform_fn)(CURL *);
typedef int (*easy_getinfo_fn)(CURL *, int, ...);
typedef void (*easy_cleanup_fn)(CURL *);
typedef const char *(*easy_strerror_fn)(int);
typedef struct curl_slist *(*slist_append_fn)(struct curl_slist *, const char *);
typedef void (*slist_free_all_fn)(struct curl_slist *);

static struct {
    easy_init_fn easy_init;
    easy_setopt_fn easy_setopt;
    easy_perform_fn easy_perform;
    easy_getinfo_fn easy_getinfo;
    easy_cleanup_fn easy_cleanup;
    easy_strerror_fn easy_strerror;
    slist_append_fn slist_append;
    slist_free_all_fn slist_free_all;
    const char *load_error;
} curl;

static pthread_once_t curl_once = PTHREAD_ONCE_INIT;

static void load_curl(void) {
    static const char *const names[] = {"libcurl.so.4", "libcurl.4.dylib", "libcurl.so"};
    void *library = NULL;
    for (size_t i = 0; i < sizeof names / sizeof names[0] && library == NULL; i++) {
        library = dlopen(names[i], RTLD_NOW | RTLD_LOCAL);
    }
    if (library == NULL) {
        curl.load_error = "libcurl (libcurl.so.4) could not be loaded";
        return;
    }
    curl.easy_init = (easy_init_fn)dlsym(library, "curl_easy_init");
    curl.easy_setopt = (easy_setopt_fn)dlsym(library, "curl_easy_setopt");
    curl.easy_perform = (easy_perform_fn)dlsym(library, "curl_easy_perform");
    curl.easy_getinfo = (easy_getinfo_fn)dlsym(library, "curl_easy_getinfo");
    curl.easy_cleanup = (easy_cleanup_fn)dlsym(library, "curl_easy_cleanup");
    curl.easy_strerror = (easy_strerror_fn)dlsym(library, "curl_easy_strerror");
    curl.slist_append = (slist_append_fn)dlsym(library, "curl_slist_append");
    curl.slist_free_all = (slist_free_all_fn)dlsym(library, "curl_slist_free_all");
    if (!curl.easy_init || !curl.easy_setopt || !curl.easy_perform || !curl.easy_getinfo || !curl.easy_cleanup
        || !curl.easy_strerror || !curl.slist_append || !curl.slist_free_all) {
        curl.load_error = "libcurl lacks a function the registry client needs";
    }
}

typedef struct {
    char *data;
    size_t length;
    int overflow;
} body_buffer;

// Registry answers are small JSON documents; anything past 64 MiB is refused rather than kept.
static const size_t max_body = 64u << 20;

static size_t append_body(char *chunk, size_t size, size_t count, void *context) {
    body_buffer *buffer = context;
    size_t length = size * count;
    if (buffer->length + length > max_body) {
        buffer->overflow = 1;
        return 0;
    }
    char *grown = realloc(buffer->data, buffer->length + length + 1);
    if (grown == NULL) {
        buffer->overflow = 1;
        return 0;
    }
    memcpy(grown + buffer->length, chunk, length);
    buffer->data = grown;
    buffer->length += length;
    buffer->data[buffer->length] = 0;
    return length;
}

static int set_pem(CURL *handle, const registry_curl_pem *pem, int file_option, int blob_option) {
    if (pem->text != NULL) {
        struct curl_blob_abi blob = {(void *)pem->text, strlen(pem->text), 1};
        return curl.easy_setopt(handle, blob_option, &blob);
    }
    if (pem->file != NULL) return curl.easy_setopt(handle, file_option, pem->file);
    return 0;
}

int registry_curl_perform(const registry_curl_request *request, registry_curl_response *response) {
    memset(response, 0, sizeof *response);
    pthread_once(&curl_once, load_curl);
    if (curl.load_error != NULL) {
        response->transport_failed = 1;
        snprintf(response->message, sizeof response->message, "%s", curl.load_error);
        return -1;
    }
    CURL *handle = curl.easy_init();
    if (handle == NULL) {
        response->transport_failed = 1;
        snprintf(response->message, sizeof response->message, "curl_easy_init failed");
        return -1;
    }
    char error_buffer[256] = {0};  // CURL_ERROR_SIZE
    body_buffer buffer = {0};
    struct curl_slist *headers = NULL;
    for (size_t i = 0; i < request->header_count; i++) headers = curl.slist_append(headers, request->headers[i]);

    int failed = 0;
    failed |= curl.easy_setopt(handle, OPT_URL, request->url);
    failed |= curl.easy_setopt(handle, OPT_NOSIGNAL, 1L);
    failed |= curl.easy_setopt(handle, OPT_ERRORBUFFER, error_buffer);
    failed |= curl.easy_setopt(handle, OPT_WRITEFUNCTION, append_body);
    failed |= curl.easy_setopt(handle, OPT_WRITEDATA, &buffer);
    failed |= curl.easy_setopt(handle, OPT_HTTPHEADER, headers);
    failed |= curl.easy_setopt(handle, OPT_TIMEOUT_MS, request->timeout_milliseconds);
    failed |= curl.easy_setopt(handle, OPT_CONNECTTIMEOUT_MS, request->timeout_milliseconds);
    if (request->body != NULL) {
        failed |= curl.easy_setopt(handle, OPT_POSTFIELDSIZE, (long)request->body_length);
        failed |= curl.easy_setopt(handle, OPT_POSTFIELDS, request->body);
    }
    failed |= curl.easy_setopt(handle, OPT_CUSTOMREQUEST, request->method);
    failed |= curl.easy_setopt(handle, OPT_SSL_VERIFYPEER, request->verify_chain ? 1L : 0L);
    failed |= curl.easy_setopt(handle, OPT_SSL_VERIFYHOST, request->verify_host ? 2L : 0L);
    failed |= set_pem(handle, &request->trust_roots, OPT_CAINFO, OPT_CAINFO_BLOB);
    if (request->client_certificate_type != NULL)
        failed |= curl.easy_setopt(handle, OPT_SSLCERTTYPE, request->client_certificate_type);
    failed |= set_pem(handle, &request->client_certificate, OPT_SSLCERT, OPT_SSLCERT_BLOB);
    failed |= set_pem(handle, &request->client_key, OPT_SSLKEY, OPT_SSLKEY_BLOB);
    if (request->key_password != NULL) failed |= curl.easy_setopt(handle, OPT_KEYPASSWD, request->key_password);

    int result = -1;
    if (failed) {
        response->transport_failed = 1;
        snprintf(response->message, sizeof response->message,
                 "libcurl refused an option (it may be older than 7.77, which the PEM text settings need)");
    } else {
        int code = curl.easy_perform(handle);
        if (code == 0) {
            curl.easy_getinfo(handle, INFO_RESPONSE_CODE, &response->status);
            response->body = buffer.data;
            response->body_length = buffer.length;
            buffer.data = NULL;
            result = 0;
        } else {
            response->transport_failed = 1;
            snprintf(response->message, sizeof response->message, "%s",
                     buffer.overflow ? "response larger than 64 MiB"
                                     : (error_buffer[0] ? error_buffer : curl.easy_strerror(code)));
        }
    }
    free(buffer.data);
    curl.slist_free_all(headers);
    curl.easy_cleanup(handle);
    return result;
}

void registry_curl_free(registry_curl_response *response) {
    free(response->body);
    response->body = NULL;
    response->body_length = 0;
}
