import Testing

@Suite struct JSONValuePlaceholder {
    @Test func builds() { #expect(Bool(true)) }
}
