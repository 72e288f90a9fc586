// CZlib: the system zlib (libz.so.1, which Amazon Linux 2023 has) for Swift.
// zlib's initialisers are macros that Swift cannot call, so this shim wraps the one we need.
#ifndef CZLIB_H
#define CZLIB_H

#include <zlib.h>

/// inflateInit2(stream, windowBits): 15 for a zlib stream, 15 + 16 for a gzip member, -15 for raw deflate.
int czlib_inflate_init2(z_stream *stream, int windowBits);

/// deflateInit2(stream, level, Z_DEFLATED, windowBits, 8, Z_DEFAULT_STRATEGY), for tests that build archives.
int czlib_deflate_init2(z_stream *stream, int level, int windowBits);

#endif
