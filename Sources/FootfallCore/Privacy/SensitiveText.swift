/// Scanners for personal data inside free text: e-mail addresses, phone-number-like and
/// card-number-like digit runs, and JWTs. Byte-level and allocation-light, because every
/// URL, referrer and custom property of every beacon passes through them.
enum SensitiveText {
    /// Replaces every e-mail address, JWT, card-like and phone-like run in `text` with `placeholder`.
    static func redact(_ text: String, placeholder: String) -> String {
        let bytes = Array(text.utf8)
        var spans = emailSpans(bytes) + jwtSpans(bytes)
        spans += digitRunSpans(bytes).filter { run in !spans.contains { $0.overlaps(run) } }
        guard !spans.isEmpty else { return text }
        spans.sort { $0.lowerBound < $1.lowerBound }
        var output: [UInt8] = []
        output.reserveCapacity(bytes.count)
        var position = 0
        for span in spans where span.lowerBound >= position {
            output += bytes[position..<span.lowerBound]
            output += placeholder.utf8
            position = span.upperBound
        }
        output += bytes[position...]
        return String(decoding: output, as: UTF8.self)
    }

    /// Whether `text` holds anything ``redact(_:placeholder:)`` would replace.
    static func containsPersonalData(_ text: String) -> Bool {
        let bytes = Array(text.utf8)
        return !emailSpans(bytes).isEmpty || !jwtSpans(bytes).isEmpty || !digitRunSpans(bytes).isEmpty
    }

    // MARK: E-mail addresses

    static func isLocalPartByte(_ byte: UInt8) -> Bool {
        isAlphanumeric(byte) || "!#$%&'*+-?^_`{|}~.".utf8.contains(byte)
    }

    static func isDomainByte(_ byte: UInt8) -> Bool {
        isAlphanumeric(byte) || byte == UInt8(ascii: "-") || byte == UInt8(ascii: ".")
    }

    /// `local@domain.tld` around each `@` (also written `%40` in URLs).
    static func emailSpans(_ bytes: [UInt8]) -> [Range<Int>] {
        var spans: [Range<Int>] = []
        var index = 0
        while index < bytes.count {
            var atLength = 0
            if bytes[index] == UInt8(ascii: "@") {
                atLength = 1
            } else if bytes[index] == UInt8(ascii: "%"), index + 2 < bytes.count, bytes[index + 1] == UInt8(ascii: "4"),
                      bytes[index + 2] == UInt8(ascii: "0") {
                atLength = 3
            }
            guard atLength > 0 else { index += 1; continue }
            var start = index
            while start > 0, isLocalPartByte(bytes[start - 1]) { start -= 1 }
            var end = index + atLength
            while end < bytes.count, isDomainByte(bytes[end]) { end += 1 }
            while end > index + atLength, bytes[end - 1] == UInt8(ascii: ".") || bytes[end - 1] == UInt8(ascii: "-") { end -= 1 }
            let domain = bytes[(index + atLength)..<end]
            if start < index, let dot = domain.lastIndex(of: UInt8(ascii: ".")), dot > domain.startIndex,
               end - dot - 1 >= 2, bytes[(dot + 1)..<end].allSatisfy(isLetter) {
                spans.append(start..<end)
                index = end
            } else {
                index += atLength
            }
        }
        return spans
    }

    // MARK: JWTs

    /// `eyJ…​.eyJ…​.signature`: base64url header and payload of a JSON Web Token.
    static func jwtSpans(_ bytes: [UInt8]) -> [Range<Int>] {
        var spans: [Range<Int>] = []
        var index = 0
        let marker = Array("eyJ".utf8)
        while index + marker.count <= bytes.count {
            guard bytes[index..<(index + marker.count)].elementsEqual(marker),
                  index == 0 || !isBase64URL(bytes[index - 1]) else { index += 1; continue }
            var end = index
            var dots = 0
            while end < bytes.count, isBase64URL(bytes[end]) || (bytes[end] == UInt8(ascii: ".") && dots < 2) {
                if bytes[end] == UInt8(ascii: ".") { dots += 1 }
                end += 1
            }
            if dots == 2, end - index >= 20 {
                spans.append(index..<end)
                index = end
            } else {
                index += 1
            }
        }
        return spans
    }

    // MARK: Phone and card numbers

    /// Digit runs (digits joined by single spaces, dashes, dots or parentheses) that look like
    /// a payment card (13–19 digits passing the Luhn check) or a phone number: an
    /// international `+` number of 8–15 digits, a grouped number of 9–15 digits, or a
    /// national `0…` number of 10–11 digits. Plain ids such as `1234567890` are kept so
    /// order and product pages still group by their own URL.
    static func digitRunSpans(_ bytes: [UInt8]) -> [Range<Int>] {
        var spans: [Range<Int>] = []
        var index = 0
        while index < bytes.count {
            guard isDigit(bytes[index]) || (bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "("))
                    && index + 1 < bytes.count && isDigit(bytes[index + 1]) else { index += 1; continue }
            // A run inside a word or a longer number (`abc123…`, `v2.3`) is not a number of its own.
            if index > 0, isAlphanumeric(bytes[index - 1]) {
                index += 1
                while index < bytes.count, isAlphanumeric(bytes[index]) { index += 1 }
                continue
            }
            var end = index + 1
            var digits: [UInt8] = isDigit(bytes[index]) ? [bytes[index]] : []
            var separators = 0
            while end < bytes.count {
                if isDigit(bytes[end]) {
                    digits.append(bytes[end])
                    end += 1
                } else if isRunSeparator(bytes[end]), end + 1 < bytes.count,
                          isDigit(bytes[end + 1]) || bytes[end + 1] == UInt8(ascii: "(")
                            || (bytes[end] == UInt8(ascii: ")") && bytes[end + 1] == UInt8(ascii: " ")) {
                    separators += 1
                    end += 1
                } else if bytes[end] == UInt8(ascii: ")") {
                    end += 1
                } else {
                    break
                }
            }
            let followedByWord = end < bytes.count && isLetter(bytes[end])
            if !followedByWord, isCardLike(digits) || isPhoneLike(digits, international: bytes[index] == UInt8(ascii: "+"), separators: separators) {
                spans.append(index..<end)
            }
            index = end
        }
        return spans
    }

    static func isCardLike(_ digits: [UInt8]) -> Bool {
        guard (13...19).contains(digits.count) else { return false }
        var sum = 0
        for (position, digit) in digits.reversed().enumerated() {
            var value = Int(digit - UInt8(ascii: "0"))
            if position % 2 == 1 {
                value *= 2
                if value > 9 { value -= 9 }
            }
            sum += value
        }
        return sum % 10 == 0
    }

    static func isPhoneLike(_ digits: [UInt8], international: Bool, separators: Int) -> Bool {
        if international { return (8...15).contains(digits.count) }
        if separators > 0 { return (9...15).contains(digits.count) }
        return digits.first == UInt8(ascii: "0") && (10...11).contains(digits.count)
    }

    // MARK: Bytes

    static func isRunSeparator(_ byte: UInt8) -> Bool {
        byte == UInt8(ascii: " ") || byte == UInt8(ascii: "-") || byte == UInt8(ascii: ".") || byte == UInt8(ascii: ")")
            || byte == UInt8(ascii: "(")
    }

    static func isDigit(_ byte: UInt8) -> Bool { (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) }

    static func isLetter(_ byte: UInt8) -> Bool {
        (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte | 0x20)
    }

    static func isAlphanumeric(_ byte: UInt8) -> Bool { isDigit(byte) || isLetter(byte) }

    static func isBase64URL(_ byte: UInt8) -> Bool {
        isAlphanumeric(byte) || byte == UInt8(ascii: "-") || byte == UInt8(ascii: "_")
    }
}
