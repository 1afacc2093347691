// malloc_trim is declared in <malloc.h>, which Swift's Glibc module does not import, so the
// benchmark reaches it through this one function.

#include "raw_baseline.h"

#if defined(__GLIBC__)
#include <malloc.h>
#endif

int raw_baseline_return_free_memory(void) {
#if defined(__GLIBC__)
    malloc_trim(0);
    return 1;
#else
    return 0;
#endif
}
