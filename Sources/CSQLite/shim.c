// CSQLite: a C target needs one .c file; the helpers live as static inline functions in
// include/CSQLite.h.
#include "CSQLite.h"
