/* sha256.h — SHA-256 of a buffer, as lowercase hex.
 *
 * summary.json records the SHA-256 of the policy and of every facts file, so
 * an auditor can tell which inputs a run saw.  Hashing a large export is a
 * real part of a run's time, so this uses the processor's SHA instructions
 * when it has them (x86 SHA-NI, chosen at run time) and a portable version
 * otherwise; both give the same digest (FIPS 180-4).
 */
#ifndef WZ_SHA256_H
#define WZ_SHA256_H

#include <stddef.h>

/* Writes the 64 hex digits and a NUL into hex. */
void wz_sha256_hex(const void *data, size_t len, char hex[65]);
/* The same, always with the portable code (for tests). */
void wz_sha256_hex_portable(const void *data, size_t len, char hex[65]);

#endif
