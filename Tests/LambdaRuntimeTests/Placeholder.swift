import Testing

@Suite struct LambdaRuntimePlaceholder {
    @Test func builds() { #expect(Bool(true)) }
}
