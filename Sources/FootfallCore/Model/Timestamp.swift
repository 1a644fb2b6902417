import Foundation

/// Footfall's time unit: milliseconds since the Unix epoch, UTC.
public enum Timestamp {
    /// Milliseconds in one (UTC) day.
    public static let dayMs: Int64 = 86_400_000

    /// The current time in milliseconds since the epoch.
    public static func nowMs() -> Int64 { Int64(Date().timeIntervalSince1970 * 1000) }

    /// ISO 8601 text of a millisecond timestamp, exact to the millisecond:
    /// `YYYY-MM-DDTHH:MM:SS.mmmZ` (UTC), for years 0000–9999.
    public static func iso8601(_ ms: Int64) -> String {
        let days = ms.floorDivided(by: dayMs)
        let inDay = ms - days * dayMs
        let (year, month, day) = CivilDate.from(days: days)
        func pad(_ value: Int64, _ width: Int) -> String {
            let text = String(value)
            return String(repeating: "0", count: max(0, width - text.count)) + text
        }
        return "\(pad(year, 4))-\(pad(month, 2))-\(pad(day, 2))T\(pad(inDay / 3_600_000, 2)):"
            + "\(pad(inDay / 60_000 % 60, 2)):\(pad(inDay / 1_000 % 60, 2)).\(pad(inDay % 1_000, 3))Z"
    }

    /// Parses a time given as milliseconds since the epoch, a date `YYYY-MM-DD` (its UTC
    /// midnight) or an ISO 8601 date-time `YYYY-MM-DDTHH:MM:SS[.fraction](Z|±HH:MM)` (RFC
    /// 3339's profile; fractions beyond milliseconds are cut). Calendar fields are checked:
    /// `2026-02-30` or `25:00:00` is nil, never rolled over into another day.
    /// - Returns: nil when `text` is none of these.
    public static func parse(_ text: String) -> Int64? {
        if let ms = Int64(text) { return ms }
        var scanner = DigitScanner(Array(text.utf8))
        guard let year = scanner.number(4), scanner.take("-"), let month = scanner.number(2), scanner.take("-"),
              let day = scanner.number(2), (1...12).contains(month), (1...CivilDate.daysIn(month: month, year: year)).contains(day)
        else { return nil }
        let midnight = CivilDate.days(year: year, month: month, day: day) * dayMs
        if scanner.atEnd { return midnight }
        guard scanner.take("T") || scanner.take("t"), let hour = scanner.number(2), scanner.take(":"),
              let minute = scanner.number(2), scanner.take(":"), let second = scanner.number(2),
              hour < 24, minute < 60, second < 60 else { return nil }
        var ms = midnight + ((hour * 60 + minute) * 60 + second) * 1_000
        if scanner.take(".") {
            guard let (fraction, digits) = scanner.fraction() else { return nil }
            ms += digits <= 3 ? fraction * [100, 10, 1][digits - 1] : fraction / Int64(pow(10, Double(digits - 3)))
        }
        if scanner.take("Z") || scanner.take("z") { return scanner.atEnd ? ms : nil }
        let sign: Int64 = scanner.take("+") ? 1 : scanner.take("-") ? -1 : 0
        guard sign != 0, let offsetHours = scanner.number(2), scanner.take(":"), let offsetMinutes = scanner.number(2),
              offsetHours < 24, offsetMinutes < 60, scanner.atEnd else { return nil }
        return ms - sign * (offsetHours * 60 + offsetMinutes) * 60_000
    }
}

extension Timestamp {
    /// Milliseconds in a UTC day (day numbers are `ms / msPerDay`).
    public static let msPerDay: Int64 = 86_400_000
}

/// Days since 1970-01-01 ↔ proleptic Gregorian (year, month, day), in integers (Howard
/// Hinnant's `days_from_civil` / `civil_from_days`).
enum CivilDate {
    static func days(year: Int64, month: Int64, day: Int64) -> Int64 {
        let y = month <= 2 ? year - 1 : year
        let era = y.floorDivided(by: 400)
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    static func from(days: Int64) -> (year: Int64, month: Int64, day: Int64) {
        let z = days + 719_468
        let era = z.floorDivided(by: 146_097)
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1_460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let shiftedMonth = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * shiftedMonth + 2) / 5 + 1
        let month = shiftedMonth < 10 ? shiftedMonth + 3 : shiftedMonth - 9
        return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }

    static func daysIn(month: Int64, year: Int64) -> Int64 {
        switch month {
        case 2: (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }
}

/// Reads fixed-width decimal fields and separators off ASCII text.
private struct DigitScanner {
    let bytes: [UInt8]
    var index = 0

    init(_ bytes: [UInt8]) { self.bytes = bytes }

    var atEnd: Bool { index == bytes.count }

    /// Exactly `width` digits.
    mutating func number(_ width: Int) -> Int64? {
        guard index + width <= bytes.count else { return nil }
        var value: Int64 = 0
        for byte in bytes[index..<index + width] {
            guard (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) else { return nil }
            value = value * 10 + Int64(byte - UInt8(ascii: "0"))
        }
        index += width
        return value
    }

    /// 1–9 digits: their value and how many there were.
    mutating func fraction() -> (Int64, Int)? {
        var count = 0
        while index + count < bytes.count, count < 10,
              (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[index + count]) { count += 1 }
        guard (1...9).contains(count), let value = number(count) else { return nil }
        return (value, count)
    }

    mutating func take(_ character: Character) -> Bool {
        guard index < bytes.count, bytes[index] == character.asciiValue else { return false }
        index += 1
        return true
    }
}

extension Int64 {
    /// Division rounding toward negative infinity (times before 1970 land on the right day).
    func floorDivided(by divisor: Int64) -> Int64 {
        let quotient = self / divisor
        return (self % divisor != 0 && (self < 0) != (divisor < 0)) ? quotient - 1 : quotient
    }
}
