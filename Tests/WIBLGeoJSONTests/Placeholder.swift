import Testing

@Suite struct WIBLGeoJSONPlaceholder {
    @Test func builds() { #expect(Bool(true)) }
}
