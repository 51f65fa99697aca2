/* CCurl: libcurl for Swift. curl_easy_setopt, curl_easy_getinfo and curl_multi_setopt are
 * variadic, which Swift cannot call, so each argument type gets a typed static inline wrapper.
 * Everything else in <curl/curl.h> is imported as is. */
#ifndef SCW_CCURL_H
#define SCW_CCURL_H

#ifndef CURL_DISABLE_TYPECHECK
#define CURL_DISABLE_TYPECHECK /* the gcc type-check macros cannot see through the wrappers */
#endif
#include <curl/curl.h>

/** Callback type shared by CURLOPT_WRITEFUNCTION and CURLOPT_HEADERFUNCTION. */
typedef size_t (*scw_curl_data_callback)(char *data, size_t size, size_t count, void *userdata);

static inline CURLcode scw_curl_easy_setopt_long(CURL *handle, CURLoption option, long value) {
    return curl_easy_setopt(handle, option, value);
}

static inline CURLcode scw_curl_easy_setopt_string(CURL *handle, CURLoption option, const char *value) {
    return curl_easy_setopt(handle, option, value); /* curl copies strings (except POSTFIELDS) */
}

static inline CURLcode scw_curl_easy_setopt_pointer(CURL *handle, CURLoption option, void *value) {
    return curl_easy_setopt(handle, option, value);
}

static inline CURLcode scw_curl_easy_setopt_off_t(CURL *handle, CURLoption option, curl_off_t value) {
    return curl_easy_setopt(handle, option, value);
}

static inline CURLcode scw_curl_easy_setopt_write_function(CURL *handle, scw_curl_data_callback callback) {
    return curl_easy_setopt(handle, CURLOPT_WRITEFUNCTION, callback);
}

static inline CURLcode scw_curl_easy_setopt_header_function(CURL *handle, scw_curl_data_callback callback) {
    return curl_easy_setopt(handle, CURLOPT_HEADERFUNCTION, callback);
}

static inline CURLcode scw_curl_easy_getinfo_long(CURL *handle, CURLINFO info, long *value) {
    return curl_easy_getinfo(handle, info, value);
}

static inline CURLcode scw_curl_easy_getinfo_off_t(CURL *handle, CURLINFO info, curl_off_t *value) {
    return curl_easy_getinfo(handle, info, value);
}

static inline CURLMcode scw_curl_multi_setopt_long(CURLM *multi, CURLMoption option, long value) {
    return curl_multi_setopt(multi, option, value);
}

/** 1 when the linked libcurl has curl_multi_poll and curl_multi_wakeup (7.68.0 or later). */
int scw_curl_has_multi_wakeup(void);

#endif /* SCW_CCURL_H */
