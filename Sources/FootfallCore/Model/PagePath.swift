import Foundation

/// The one stored form of a page's path, so one page is one row however its URL was spelled.
///
/// `/caf%C3%A9`, `/caf%c3%a9` and `/café` (the pixel's query decoding) are all stored as
/// `/café`: percent-escapes are decoded unless they stand for a byte that changes the path's
/// meaning or is unprintable (`/`, `?`, `#`, `%`, controls), which stay escaped in upper case;
/// the text is then in Unicode NFC. A path whose escapes do not decode to UTF-8 keeps them.
public enum PagePath {
    /// The canonical path of a page URL.
    /// - Parameters:
    ///   - url: the absolute page URL.
    ///   - hashRouting: the site's `hash_routing` setting: a `#/route` (or `#!/route`) fragment is
    ///     part of the page, so `https://x.io/#/billing` is `/#/billing`.
    public static func of(url: String, hashRouting: Bool) -> String {
        var path = canonical(Substring(URLParts(url).path))
        if hashRouting, let hash = url.firstIndex(of: "#") {
            let fragment = url[url.index(after: hash)...].prefix { $0 != "?" }
            if fragment.hasPrefix("/") || fragment.hasPrefix("!/") { path += "#" + canonical(fragment) }
        }
        return path
    }

    /// `path` with escapes decoded where safe, remaining escapes upper-cased, in NFC.
    public static func canonical(_ path: Substring) -> String {
        guard path.utf8.contains(where: { $0 == UInt8(ascii: "%") || $0 < 0x21 || $0 >= 0x7F }) else { return String(path) }
        var decoded: [UInt8] = []
        var kept: [UInt8] = []  // the same path with escapes only upper-cased
        decoded.reserveCapacity(path.utf8.count)
        let bytes = Array(path.utf8)
        var index = 0
        while index < bytes.count {
            let byte = bytes[index]
            if byte == UInt8(ascii: "%"), index + 2 < bytes.count, let value = hexByte(bytes[index + 1], bytes[index + 2]) {
                let escape = [UInt8(ascii: "%"), hexDigits[Int(value >> 4)], hexDigits[Int(value & 0xF)]]
                decoded += keepsEscaped(value) ? escape : [value]
                kept += escape
                index += 3
            } else if byte < 0x21 || byte == 0x7F {  // a raw space or control byte (pixel URLs arrive decoded)
                let escape = [UInt8(ascii: "%"), hexDigits[Int(byte >> 4)], hexDigits[Int(byte & 0xF)]]
                decoded += escape
                kept += escape
                index += 1
            } else {
                decoded.append(byte)
                kept.append(byte)
                index += 1
            }
        }
        let text = String(validating: decoded, as: UTF8.self) ?? String(decoding: kept, as: UTF8.self)
        return text.precomposedStringWithCanonicalMapping
    }

    /// Bytes whose escape is kept: path and query delimiters, `%` itself, space-like and control bytes.
    static func keepsEscaped(_ byte: UInt8) -> Bool {
        byte < 0x21 || byte == 0x7F || byte == UInt8(ascii: "/") || byte == UInt8(ascii: "?")
            || byte == UInt8(ascii: "#") || byte == UInt8(ascii: "%")
    }

    static let hexDigits = Array("0123456789ABCDEF".utf8)

    static func hexByte(_ high: UInt8, _ low: UInt8) -> UInt8? {
        guard let high = hexValue(high), let low = hexValue(low) else { return nil }
        return high << 4 | low
    }

    static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}
