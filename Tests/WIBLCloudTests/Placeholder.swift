import Testing

@Suite struct WIBLCloudPlaceholder {
    @Test func builds() { #expect(Bool(true)) }
}
