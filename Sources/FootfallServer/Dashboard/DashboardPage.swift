import FootfallCore
import FootfallStore

/// HTML for the dashboard. Every interpolated value goes through ``escape(_:)``.
enum DashboardPage {
    static func login(error: String?) -> String {
        layout(title: "Sign in", body: """
            <h1>Footfall</h1>
            <form method="post" action="/dashboard/login" class="card">
              <p>Sign in with an API key that has the <code>stats:read</code> scope
              (<code>footfall key create --scopes stats:read,leads:read</code>).</p>
              \(error.map { "<p class=\"error\">\(escape($0))</p>" } ?? "")
              <input type="password" name="key" placeholder="ff_live_…" autocomplete="off" required autofocus>
              <button type="submit">Sign in</button>
            </form>
            """)
    }

    static func noSites() -> String {
        layout(title: "No sites", body: """
            <h1>Footfall</h1><div class="card"><p>This account has no sites yet:
            <code>footfall site create --name "My site" --domain example.com</code></p></div>
            """)
    }

    static func overview(site: Site, sites: [Site], days: Int, periods: [Int], origin: String, data: DashboardOverview) -> String {
        let visits = data.series.reduce(0) { $0 + $1.visits }
        let pageviews = data.series.reduce(0) { $0 + $1.pageviews }
        let siteLinks = sites.map { other in
            other.key == site.key ? "<strong>\(escape(other.name))</strong>"
                : "<a href=\"/dashboard?site=\(escape(other.key))&days=\(days)\">\(escape(other.name))</a>"
        }.joined(separator: " · ")
        let periodLinks = periods.map { period in
            period == days ? "<strong>\(period)d</strong>"
                : "<a href=\"/dashboard?site=\(escape(site.key))&days=\(period)\">\(period)d</a>"
        }.joined(separator: " ")
        let warning = data.skippedSegments > 0
            ? "<p class=\"error\">\(data.skippedSegments) corrupt storage segment(s) skipped: run <code>footfall check</code>.</p>" : ""
        return layout(title: site.name, body: """
            <header><h1>\(escape(site.name))</h1><nav>\(siteLinks)</nav>
            <form method="post" action="/dashboard/logout"><button>Sign out</button></form></header>
            <p class="muted">Last \(periodLinks) · tag: <code>&lt;script defer src="\(escape(origin))/t.js" data-site="\(escape(site.key))"&gt;&lt;/script&gt;</code></p>
            \(warning)
            <section class="kpis">
              <div class="card"><span class="n" id="kpi-visits">\(visits)</span> visits</div>
              <div class="card"><span class="n" id="kpi-pageviews">\(pageviews)</span> page views</div>
              \(data.leads.map { "<div class=\"card\"><span class=\"n\" id=\"kpi-leads\">\($0.count)</span> leads</div>" } ?? "")
            </section>
            <section class="card"><h2>Visits per \(data.bucket.rawValue)</h2>\(VisitChart.svg(data.series))</section>
            <section class="card"><h2>Leads</h2>\(data.leads.map(LeadHTML.table) ?? LeadHTML.scopeMissing)</section>
            <section class="grid">
              \(table("Top pages", ["Page", "Views"], data.topPages.map { [$0.value, "\($0.count)"] }, id: "pages"))
              \(table("Sources", ["Source", "Visits"], data.sources.map { [$0.value.isEmpty ? "Direct" : $0.value, "\($0.count)"] }, id: "sources"))
              \(table("Devices", ["Device", "Visits"], data.devices.map { [$0.value, "\($0.count)"] }, id: "devices"))
              \(table("Countries", ["Country", "Visits"], data.countries.map { [$0.value.isEmpty ? "Unknown" : $0.value, "\($0.count)"] }, id: "countries"))
            </section>
            """)
    }

    static func table(_ title: String, _ headers: [String], _ rows: [[String]], id: String) -> String {
        let head = headers.map { "<th>\(escape($0))</th>" }.joined()
        let body = rows.isEmpty
            ? "<tr><td colspan=\"\(headers.count)\" class=\"muted\">No data yet</td></tr>"
            : rows.map { "<tr>" + $0.map { "<td>\(escape($0))</td>" }.joined() + "</tr>" }.joined()
        return "<div class=\"card\"><h2>\(escape(title))</h2><table id=\"\(id)\"><tr>\(head)</tr>\(body)</table></div>"
    }

    static func duration(_ ms: Int64) -> String {
        let seconds = ms / 1000
        return seconds < 60 ? "\(seconds)s" : "\(seconds / 60)m \(seconds % 60)s"
    }

    static func escape(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for character in text {
            switch character {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.append(character)
            }
        }
        return out
    }

    static func layout(title: String, body: String) -> String {
        """
        <!doctype html><html lang="en"><head><meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>\(escape(title)) · Footfall</title><style>
        body{font:15px/1.4 system-ui,sans-serif;margin:0 auto;max-width:1100px;padding:1rem 1.5rem;color:#1d2330;background:#f5f6f8}
        header{display:flex;gap:1rem;align-items:center;flex-wrap:wrap}header form{margin-left:auto}
        h1{font-size:1.4rem;margin:.2rem 0}h2{font-size:1rem;margin:0 0 .5rem}
        .card{background:#fff;border-radius:8px;padding:1rem;box-shadow:0 1px 2px #0001;margin:.5rem 0}
        .kpis{display:grid;grid-template-columns:repeat(3,1fr);gap:.8rem}.n{font-size:1.8rem;font-weight:600;display:block}
        .grid{display:grid;grid-template-columns:repeat(auto-fit,minmax(320px,1fr));gap:.8rem}
        table{width:100%;border-collapse:collapse}td,th{text-align:left;padding:.25rem .4rem;border-bottom:1px solid #eee}
        td:not(:first-child),th:not(:first-child){text-align:right}.muted{color:#6b7280}.error{color:#b91c1c}
        input{padding:.5rem;width:22rem;max-width:100%}button{padding:.45rem .9rem}code{background:#eef0f4;padding:0 .25rem;border-radius:4px}
        svg text{font-size:11px;fill:#6b7280}
        .bar{background:#e5e7eb;border-radius:4px;height:.7rem;width:8rem;display:inline-block;vertical-align:middle}
        .bar span{background:#4f46e5;border-radius:4px;height:100%;display:block}
        details summary{cursor:pointer}details ul{margin:.3rem 0;padding-left:1.2rem;text-align:left}
        </style></head><body>\(body)</body></html>
        """
    }
}

/// An SVG bar chart of visits per bucket.
enum VisitChart {
    static func svg(_ points: [TimeSeriesPoint], width: Int = 1000, height: Int = 180) -> String {
        guard let peak = points.map(\.visits).max(), peak > 0 else {
            return "<p class=\"muted\">No visits in this period yet.</p>"
        }
        let slot = Double(width) / Double(points.count)
        let bars = points.enumerated().map { index, point in
            let barHeight = Double(height - 20) * Double(point.visits) / Double(peak)
            let title = "\(Timestamp.iso8601(point.bucketStart)): \(point.visits) visits, \(point.pageviews) page views"
            return "<rect x=\"\(decimal(Double(index) * slot + 1))\" y=\"\(decimal(Double(height - 20) - barHeight))\" "
                + "width=\"\(decimal(max(1, slot - 2)))\" height=\"\(decimal(barHeight))\" fill=\"#4f46e5\"><title>\(title)</title></rect>"
        }.joined()
        return "<svg viewBox=\"0 0 \(width) \(height)\" width=\"100%\" role=\"img\" aria-label=\"visits over time\">\(bars)"
            + "<text x=\"0\" y=\"\(height - 4)\">\(Timestamp.iso8601(points[0].bucketStart).prefix(10))</text>"
            + "<text x=\"\(width)\" y=\"\(height - 4)\" text-anchor=\"end\">peak \(peak) visits</text></svg>"
    }

    static func decimal(_ value: Double) -> String {
        String(Double(Int(value * 10)) / 10)
    }
}
