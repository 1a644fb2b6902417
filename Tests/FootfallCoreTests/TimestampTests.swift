import FootfallCore
import Testing

@Suite struct TimestampTests {
    @Test func parsesEpochMsDatesAndISO8601WithOrWithoutFractions() {
        #expect(Timestamp.parse("1764547200000") == 1_764_547_200_000)
        #expect(Timestamp.parse("2025-12-01") == 1_764_547_200_000)
        #expect(Timestamp.parse("2025-12-01T00:00:00Z") == 1_764_547_200_000)
        #expect(Timestamp.parse("2025-12-01T00:00:00.123Z") == 1_764_547_200_123)
        #expect(Timestamp.parse(Timestamp.iso8601(1_764_547_200_500)) == 1_764_547_200_500)
        #expect(Timestamp.parse("yesterday") == nil)
    }
}
