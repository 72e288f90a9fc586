import Testing

@Suite struct WIBLFormatPlaceholder {
    @Test func builds() { #expect(Bool(true)) }
}
