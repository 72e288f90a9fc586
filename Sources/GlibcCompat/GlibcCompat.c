// Binds hypot and hypotf to symbol versions Amazon Linux 2023 (glibc 2.34) has; see docs/aws-setup.md.
#if defined(__linux__)
#include <features.h>
#endif
#if defined(__GLIBC__) && defined(__x86_64__)
#define WIBL_GLIBC_BASE_VERSION "GLIBC_2.2.5"
#elif defined(__GLIBC__) && defined(__aarch64__)
#define WIBL_GLIBC_BASE_VERSION "GLIBC_2.17"
#endif

#if defined(WIBL_GLIBC_BASE_VERSION)
__asm__(".symver wibl_glibc_hypot, hypot@" WIBL_GLIBC_BASE_VERSION);
__asm__(".symver wibl_glibc_hypotf, hypotf@" WIBL_GLIBC_BASE_VERSION);
extern double wibl_glibc_hypot(double x, double y);
extern float wibl_glibc_hypotf(float x, float y);

__attribute__((visibility("hidden"))) double hypot(double x, double y) { return wibl_glibc_hypot(x, y); }
__attribute__((visibility("hidden"))) float hypotf(float x, float y) { return wibl_glibc_hypotf(x, y); }
#endif

// libstdc++ from GCC 12 (GLIBCXX_3.4.30) gave std::condition_variable::wait(unique_lock<mutex>&) a
// new version; the Swift runtime references it. AL2023 has GCC 11's libstdc++ (GLIBCXX_3.4.29), so
// bind it to the version every libstdc++ since GCC 4.3 has. The mangled name is a valid C name.
#if defined(__GLIBC__) && (defined(__x86_64__) || defined(__aarch64__))
__asm__(".symver wibl_cxx_condition_variable_wait, _ZNSt18condition_variable4waitERSt11unique_lockISt5mutexE@GLIBCXX_3.4.11");
extern void wibl_cxx_condition_variable_wait(void *condition, void *lock);
__attribute__((visibility("hidden"))) void _ZNSt18condition_variable4waitERSt11unique_lockISt5mutexE(
    void *condition, void *lock) {
    wibl_cxx_condition_variable_wait(condition, lock);
}
#endif
