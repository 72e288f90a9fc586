// The one place that chooses the C library. Every module that needs POSIX calls imports
// `WIBLSystem` and gets the platform's libc through this re-export.
#if canImport(Glibc)
    @_exported import Glibc
#elseif canImport(Musl)
    @_exported import Musl
#elseif canImport(Darwin)
    @_exported import Darwin
#endif
