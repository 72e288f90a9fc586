import Testing

@Suite struct AWSSigV4Placeholder {
    @Test func builds() { #expect(Bool(true)) }
}
