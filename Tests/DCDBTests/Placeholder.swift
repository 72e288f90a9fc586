import Testing

@Suite struct DCDBPlaceholder {
    @Test func builds() { #expect(Bool(true)) }
}
