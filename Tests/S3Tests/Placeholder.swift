import Testing

@Suite struct S3Placeholder {
    @Test func builds() { #expect(Bool(true)) }
}
