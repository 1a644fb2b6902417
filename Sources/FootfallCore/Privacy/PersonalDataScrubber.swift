import Foundation

/// Removes personal data from what a beacon says before anything is stored: page URLs,
/// referrers and custom-event properties.
///
/// Scrubbed values become ``placeholder``, so `/invite/3f9a…c1` and `/invite/77b2…0e`
/// still count as one page. Removed: URL credentials (`user:pass@`); values of sensitive
/// query parameters (``sensitiveParameters`` plus the site's `strip_params`); path
/// segments, query values and fragments holding an e-mail address, a phone-number-like or
/// card-number-like (Luhn) digit run, a JWT or a long random token. Marketing parameters
/// (``marketingParameters``: `utm_*`, click ids) are kept as sent, since attribution needs them.
public struct PersonalDataScrubber: Sendable {
    /// What every scrubbed value is replaced with.
    public static let placeholder = "REDACTED"

    /// Query parameters whose values are always dropped (compared lower-cased): they carry
    /// credentials, one-time codes, session ids or contact details by convention.
    public static let sensitiveParameters: Set<String> = [
        "email", "e-mail", "mail", "token", "access_token", "refresh_token", "id_token", "password", "pass",
        "passwd", "pwd", "secret", "key", "api_key", "apikey", "session", "sessionid", "session_id", "sid",
        "auth", "authorization", "code", "otp", "phone", "tel", "mobile", "ssn", "jwt", "signature", "sig",
        "state", "nonce", "username", "firstname", "lastname",
    ]

    /// Query parameters kept untouched: campaign tags and ad click ids.
    public static let marketingParameters: Set<String> = [
        "gclid", "gbraid", "wbraid", "dclid", "fbclid", "msclkid", "li_fat_id", "ttclid", "twclid", "yclid",
        "mc_cid", "ref", "source",
    ]

    let stripped: Set<String>

    /// - Parameter stripParameters: the site's extra parameters whose values are dropped
    ///   (`strip_params`), compared lower-cased.
    public init(stripParameters: [String] = []) {
        // Ingest makes one per beacon; most sites add nothing, so the shared set is not rebuilt.
        stripped = stripParameters.isEmpty
            ? Self.sensitiveParameters : Self.sensitiveParameters.union(stripParameters.map { $0.lowercased() })
    }

    // MARK: URLs

    /// `url` without credentials and with personal data in path, query and fragment replaced.
    /// Text that is not an absolute URL is scrubbed as free text.
    public func scrub(url: String) -> String {
        // The delimiters are ASCII, so they are found on the UTF-8 view (per-Character search
        // and Foundation's range(of:) were most of ingest's scrubbing time, perf).
        guard let schemeEnd = URLParts.indexAfterSchemeSeparator(in: url) else { return scrub(text: url) }
        var rest = url[schemeEnd...]
        let authorityEnd = rest.utf8.firstIndex { $0 == UInt8(ascii: "/") || $0 == UInt8(ascii: "?") || $0 == UInt8(ascii: "#") }
            ?? rest.endIndex
        var authority = rest[..<authorityEnd]
        if let at = authority.utf8.lastIndex(of: UInt8(ascii: "@")) { authority = authority[authority.utf8.index(after: at)...] }
        rest = rest[authorityEnd...]
        var fragment: Substring?
        if let hash = rest.utf8.firstIndex(of: UInt8(ascii: "#")) {
            fragment = rest[rest.utf8.index(after: hash)...]
            rest = rest[..<hash]
        }
        var query: Substring?
        if let question = rest.utf8.firstIndex(of: UInt8(ascii: "?")) {
            query = rest[rest.utf8.index(after: question)...]
            rest = rest[..<question]
        }
        var result = String(url[..<schemeEnd]) + String(authority) + scrub(path: rest)
        if let query { result += "?" + scrub(query: query) }
        if let fragment { result += "#" + scrub(fragment: fragment) }
        return result
    }

    /// A path with each personal segment replaced.
    func scrub(path: Substring) -> String {
        path.split(separator: "/", omittingEmptySubsequences: false)
            .map { isPersonal(segment: $0) ? Self.placeholder : String($0) }
            .joined(separator: "/")
    }

    /// `a=1&b=2` with values of stripped parameters and personal values replaced.
    func scrub(query: Substring) -> String {
        query.split(separator: "&", omittingEmptySubsequences: false).map { pair -> String in
            guard let equals = pair.firstIndex(of: "=") else {
                return isPersonal(segment: pair) ? Self.placeholder : String(pair)
            }
            let name = URLParts.decode(pair[..<equals]).lowercased()
            let value = pair[pair.index(after: equals)...]
            if name.hasPrefix("utm_") || Self.marketingParameters.contains(name) { return String(pair) }
            let keep = !stripped.contains(name) && !isPersonal(segment: value)
            return String(pair[...equals]) + (keep || value.isEmpty ? String(value) : Self.placeholder)
        }.joined(separator: "&")
    }

    /// Fragments are either hash-router paths (`#/reset/TOKEN`) or parameter lists
    /// (`#access_token=…&state=…`, the OAuth implicit flow).
    func scrub(fragment: Substring) -> String {
        if fragment.contains("=") {
            if let question = fragment.firstIndex(of: "?") {
                return scrub(path: fragment[..<question]) + "?" + scrub(query: fragment[fragment.index(after: question)...])
            }
            return scrub(query: fragment)
        }
        return scrub(path: fragment)
    }

    /// Whether one path segment or query value (percent-encoded) identifies a person or
    /// carries a secret.
    func isPersonal(segment: Substring) -> Bool {
        guard !segment.isEmpty else { return false }
        let decoded = URLParts.decode(segment)
        return SensitiveText.containsPersonalData(decoded) || RandomToken.matches(decoded)
    }

    // MARK: Text and properties

    /// Free text with e-mail addresses, phone-like and card-like runs and JWTs replaced.
    public func scrub(text: String) -> String {
        SensitiveText.redact(text, placeholder: Self.placeholder)
    }

    /// Custom-event properties (a JSON object of string, number and boolean values, as
    /// ``BeaconParser`` stores them): values of stripped keys are replaced, string values
    /// are scrubbed as text. Text that is not such an object is scrubbed as free text.
    public func scrub(props: String) -> String {
        guard !props.isEmpty else { return props }
        guard let object = try? JSONSerialization.jsonObject(with: Data(props.utf8)) as? [String: Any] else {
            return scrub(text: props)
        }
        var scrubbed: [String: Any] = [:]
        for (name, value) in object {
            if stripped.contains(name.lowercased()) {
                scrubbed[name] = Self.placeholder
            } else if let text = value as? String {
                scrubbed[name] = RandomToken.matches(text) ? Self.placeholder : scrub(text: text)
            } else {
                scrubbed[name] = value
            }
        }
        guard let data = try? JSONSerialization.data(withJSONObject: scrubbed, options: [.sortedKeys]) else { return "" }
        return String(decoding: data, as: UTF8.self)
    }
}
