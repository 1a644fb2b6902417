import FootfallCore

/// The Footfall values every CRM sink writes on a company/account/organisation, as text
/// the CRMs accept in plain string and number fields.
enum CRMFields {
    /// The company's display name: the organisation, else the domain.
    static func name(_ lead: Lead) -> String {
        lead.organisation.isEmpty ? lead.domain : lead.organisation
    }

    /// `last_seen` as an ISO 8601 UTC time with milliseconds, e.g. `2026-11-29T17:04:05.120Z`.
    static func lastVisit(_ lead: Lead) -> String {
        Timestamp.iso8601(lead.lastSeen)
    }

    /// Key pages hit, most hits first: `/pricing*=3;/contact=1`.
    static func keyPages(_ lead: Lead) -> String {
        lead.keyPages.sorted { ($0.value, $1.key) > ($1.value, $0.key) }
            .map { "\($0.key)=\($0.value)" }.joined(separator: ";")
    }

    /// One line a salesperson can read: `3 visits, 7 pages, 4m 12s engaged; top: /pricing, /docs; via organic/Google`
    /// (`via direct` when the source has no name); ``erasedJourney`` for a tombstone.
    static func journey(_ lead: Lead) -> String {
        guard !lead.isTombstone else { return erasedJourney }
        let seconds = lead.engagedMs / 1_000
        var text = "\(counted(lead.visits, "visit")), \(counted(lead.pageviews, "page")), \(seconds / 60)m \(seconds % 60)s engaged"
        if !lead.topPages.isEmpty { text += "; top: " + lead.topPages.prefix(3).map(\.name).joined(separator: ", ") }
        if let source = lead.sources.first {
            text += "; via " + (source.name.hasSuffix("/") ? String(source.name.dropLast()) : source.name)
        }
        return text
    }

    static func counted(_ count: Int, _ noun: String) -> String {
        "\(count) \(noun)\(count == 1 ? "" : "s")"
    }

    /// The journey written on a tombstone (``Lead/isTombstone``: its visits were erased).
    /// A tombstone clears Footfall's own fields — score and visits 0, no key pages, this
    /// journey — and leaves the record's name, domain and last visit as the CRM has them.
    static let erasedJourney = "erased by Footfall (privacy request)"
}
