import Testing

@Suite struct WIBLCommandPlaceholder {
    @Test func builds() { #expect(Bool(true)) }
}
