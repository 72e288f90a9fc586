// GlibcCompat has no API: it only binds hypot/hypotf to old glibc symbol versions for the
// Lambda bootstrap (Amazon Linux 2023 has glibc 2.34). See docs/aws-setup.md, section 9.
