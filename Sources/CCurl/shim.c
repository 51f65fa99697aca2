/* shim.c: the non-inline part of the CCurl shim (a runtime check of the linked libcurl).
 * The wrappers themselves are static inline in include/CCurl.h. */
#include "CCurl.h"

int scw_curl_has_multi_wakeup(void) {
    const curl_version_info_data *info = curl_version_info(CURLVERSION_NOW);
    return info != NULL && info->version_num >= 0x074400; /* 7.68.0 */
}
