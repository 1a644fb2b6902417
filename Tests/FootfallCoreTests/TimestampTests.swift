import Foundation
import FootfallCore
import Testing

@Suite struct TimestampTests {
    @Test func parsesEpochMsDatesAndISO8601WithOrWithoutFractions() {
        #expect(Timestamp.parse("1764547200000") == 1_764_547_200_000)
        #expect(Timestamp.parse("2025-12-01") == 1_764_547_200_000)
        #expect(Timestamp.parse("2025-12-01T00:00:00Z") == 1_764_547_200_000)
        #expect(Timestamp.parse("2025-12-01T00:00:00.123Z") == 1_764_547_200_123)
        #expect(Timestamp.parse("2025-12-01T00:00:00.5Z") == 1_764_547_200_500)
        #expect(Timestamp.parse("2025-12-01T00:00:00.123999Z") == 1_764_547_200_123)
        #expect(Timestamp.parse("2025-12-01T01:30:00+01:30") == 1_764_547_200_000)
        #expect(Timestamp.parse("2025-11-30T19:00:00-05:00") == 1_764_547_200_000)
        #expect(Timestamp.parse("2024-02-29") == 1_709_164_800_000)
        #expect(Timestamp.parse(Timestamp.iso8601(1_764_547_200_500)) == 1_764_547_200_500)
        #expect(Timestamp.parse("yesterday") == nil)
    }

    @Test(arguments: [
        "2026-11-31", "2026-02-30", "2025-02-29", "2100-02-29", "2026-13-01", "2026-00-10", "2026-11-30T25:00:00Z",
        "2026-11-30T01:99:00Z", "2026-11-30T01:00:60Z", "2026-11-30T01:00:00", "2026-11-30T01:00:00.Z",
        "2026-11-30T01:00:00Zjunk", "2026-11-30T01:00:00+1:00", "2026-1-30", " 2026-11-30", "2026-11-30T",
    ])
    func refusesImpossibleOrIncompleteTimesInsteadOfRollingThemOver(text: String) {
        #expect(Timestamp.parse(text) == nil)
    }

    /// Every millisecond is written exactly, so a time shown by the API can be passed back as
    /// a parameter and finds the same visit (floating-point seconds were 1 ms early for many).
    @Test func writesEveryMillisecondExactlyAndAgreesWithFoundation() {
        var random = SystemRandomNumberGenerator()
        for _ in 0..<2_000 {
            let ms = Int64.random(in: 0...253_402_300_799_999, using: &random)
            let text = Timestamp.iso8601(ms)
            #expect(Timestamp.parse(text) == ms, "\(ms) → \(text)")
            let seconds = Date(timeIntervalSince1970: TimeInterval(ms / 1_000))
                .formatted(.iso8601.year().month().day().time(includingFractionalSeconds: false).timeSeparator(.colon)
                    .dateSeparator(.dash).timeZone(separator: .omitted))
            #expect(text.hasPrefix(String(seconds.dropLast())), "\(text) vs \(seconds)")
        }
        #expect(Timestamp.iso8601(1_796_003_540_339) == "2026-11-30T01:52:20.339Z")
        #expect(Timestamp.iso8601(0) == "1970-01-01T00:00:00.000Z")
        #expect(Timestamp.iso8601(951_782_400_000) == "2000-02-29T00:00:00.000Z")
    }
}
