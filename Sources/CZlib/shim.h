// System zlib (Debian zlib1g-dev), used for gzip-serving the tracker and compressing
// columnar segments.
#include <zlib.h>
