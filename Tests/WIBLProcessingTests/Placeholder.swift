import Testing

@Suite struct WIBLProcessingPlaceholder {
    @Test func builds() { #expect(Bool(true)) }
}
