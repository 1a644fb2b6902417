import FootfallCore
import Foundation

/// HTML for leads on the dashboard: the leads table (score bar, explanation on expand, key
/// pages, last seen) and a lead's page with each visit's journey. Values are escaped.
enum LeadHTML {
    typealias Page = DashboardPage

    static func table(_ leads: [Lead]) -> String {
        guard !leads.isEmpty else {
            return "<p class=\"muted\">No leads yet: visits from business, education or government networks become leads.</p>"
        }
        let rows = leads.map { lead -> String in
            let explanation = lead.scoreExplanation.map {
                "<li>\(Page.escape($0.signal)) (\(Page.escape($0.value))): \($0.points > 0 ? "+" : "")\($0.points)</li>"
            }.joined()
            let keyPages = lead.keyPages.sorted { ($1.value, $0.key) < ($0.value, $1.key) }
                .map { "\(Page.escape($0.key)) ×\($0.value)" }.joined(separator: ", ")
            return """
                <tr class="lead" data-lead="\(Page.escape(lead.id))">\
                <td><a href="/dashboard/leads/\(Page.escape(lead.id))">\(Page.escape(lead.organisation))</a>\
                \(lead.domain.isEmpty ? "" : " <span class=\"muted\">\(Page.escape(lead.domain))</span>")\
                \(lead.targetAccount ? " <strong>★ account</strong>" : "")</td>\
                <td><details><summary><span class="score">\(lead.score)</span> \
                <span class="bar"><span style="width:\(lead.score)%"></span></span></summary>\
                <ul class="explanation">\(explanation)</ul></details></td>\
                <td class="key-pages">\(keyPages.isEmpty ? "–" : keyPages)</td>\
                <td>\(lead.visits)</td>\
                <td>\(Page.escape(String(Timestamp.iso8601(lead.lastSeen).prefix(16)).replacingOccurrences(of: "T", with: " ")))</td></tr>
                """
        }.joined()
        return "<table id=\"leads\"><tr><th>Organisation</th><th>Score</th><th>Key pages</th><th>Visits</th><th>Last seen (UTC)</th></tr>\(rows)</table>"
    }

    static func page(lead: Lead, site: Site, visits: [Visit]) -> String {
        var facts: [(String, String)] = [
            ("Score", "\(lead.score)"), ("Network", lead.networkType.rawValue),
            ("Country", [lead.country, lead.region, lead.city].filter { !$0.isEmpty }.joined(separator: ", ")),
            ("Match", "\(lead.matchSource.rawValue) (\(lead.confidence.rawValue) confidence)"),
            ("Visits", "\(lead.visits) by \(lead.visitors) visitor(s), \(lead.returningVisits) returning"),
            ("Page views", "\(lead.pageviews)"), ("Engaged", Page.duration(lead.engagedMs)),
            ("First seen", Timestamp.iso8601(lead.firstSeen)), ("Last seen", Timestamp.iso8601(lead.lastSeen)),
        ]
        if let account = lead.account {
            facts.append(("Account", "\(account.name) · tier \(account.tier) · \(account.employees) employees · owner \(account.owner)"))
        }
        let factRows = facts.map { "<tr><th>\(Page.escape($0.0))</th><td>\(Page.escape($0.1))</td></tr>" }.joined()
        let explanation = lead.scoreExplanation.map {
            "<tr><td>\(Page.escape($0.signal))</td><td>\(Page.escape($0.value))</td><td>\($0.points)</td></tr>"
        }.joined()
        let journeys = visits.map(journey).joined()
        return Page.layout(title: lead.organisation, body: """
            <header><h1>\(Page.escape(lead.organisation))</h1>
            <nav><a href="/dashboard?site=\(Page.escape(site.key))">← \(Page.escape(site.name))</a></nav></header>
            <section class="grid">
              <div class="card"><table id="lead-facts">\(factRows)</table></div>
              <div class="card"><h2>Score \(lead.score)</h2><table id="explanation">\
            <tr><th>Signal</th><th>Value</th><th>Points</th></tr>\(explanation)</table></div>
            </section>
            <section class="card"><h2>Visits</h2>\(journeys.isEmpty ? "<p class=\"muted\">No stored visits.</p>" : journeys)</section>
            """)
    }

    /// One visit: when, where from, and its pages with time on page and scroll.
    static func journey(_ visit: Visit) -> String {
        let leaves = visit.pages.dropFirst().map(\.viewedAt) + [visit.endedAt]
        let pages = zip(visit.pages, leaves).map { page, left in
            "<tr><td>\(Page.escape(page.path))</td><td>\(Page.duration(max(0, left - page.viewedAt)))</td>"
                + "<td>\(Page.duration(page.engagedMs))</td><td>\(page.maxScrollPercent)%</td></tr>"
        }.joined()
        let source = visit.source.source.isEmpty ? visit.source.medium.rawValue : "\(visit.source.medium.rawValue) / \(visit.source.source)"
        return """
            <div class="journey"><h3>\(Page.escape(Timestamp.iso8601(visit.startedAt))) · \(Page.escape(source))\
            \(visit.source.campaign.isEmpty ? "" : " · campaign \(Page.escape(visit.source.campaign))") · \
            \(visit.clicks) click(s) · \(visit.customEvents) custom event(s)</h3>\
            <table><tr><th>Page</th><th>Time on page</th><th>Engaged</th><th>Scroll</th></tr>\(pages)</table></div>
            """
    }

    /// In place of leads for a key without `leads:read`.
    static let scopeMissing = """
        <p class="muted" id="leads-scope">This key lacks the <code>leads:read</code> scope: leads are not shown.</p>
        """

    static func notFound() -> String {
        Page.layout(title: "Not found", body: "<h1>Lead not found</h1><p><a href=\"/dashboard\">Back to the dashboard</a></p>")
    }
}
