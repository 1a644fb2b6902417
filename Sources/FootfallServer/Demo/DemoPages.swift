import Hummingbird

/// A three-page demo website at `/demo/` carrying the demo site's tag, so a new user can
/// click around and watch visits arrive without a site of their own.
struct DemoPages: Sendable {
    let siteKey: String

    static let pages: [(path: String, title: String, body: String)] = [
        ("", "Acme Widgets", "Industrial widgets for every workshop. See <a href=\"pricing\">pricing</a> or read the <a href=\"docs\">docs</a>."),
        ("pricing", "Pricing — Acme Widgets", "Starter 10 €/month, Pro 40 €/month. <a href=\"docs\">Read the docs</a> or go <a href=\"./\">home</a>."),
        ("docs", "Docs — Acme Widgets", "Install the widget, tighten the bolts. Back to <a href=\"./\">home</a> or <a href=\"pricing\">pricing</a>."),
    ]

    func register(on router: Router<FootfallRequestContext>) {
        for page in Self.pages {
            router.get("/demo/\(page.path)") { _, _ in
                let html = """
                    <!doctype html><html><head><meta charset="utf-8"><title>\(page.title)</title>
                    <script defer src="/t.js" data-site="\(self.siteKey)"></script></head>
                    <body><h1>\(page.title)</h1><p>\(page.body)</p></body></html>
                    """
                return Response(status: .ok, headers: [.contentType: "text/html; charset=utf-8"],
                                body: .init(byteBuffer: ByteBuffer(string: html)))
            }
        }
    }
}
