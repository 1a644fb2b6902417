// libmaxminddb (Debian libmaxminddb-dev): the MaxMind DB reader used for IP → ASN /
// organisation / country databases. Debian installs the header under the multiarch
// include directory, which the compiler searches by default.
#include <maxminddb.h>
