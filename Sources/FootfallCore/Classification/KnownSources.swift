/// Canonical names and media of well-known referrers, by host.
///
/// A rule's `host` matches the referrer host itself or any subdomain of it; a rule ending in
/// `.*` matches that name under any public suffix (`google.de`, `google.co.uk`). Rules are
/// tried in order, so specific hosts (`mail.google.com`, `gemini.google.com`) precede
/// general ones (`google.*`).
enum KnownSources {
    struct Rule: Sendable {
        var host: String
        var source: String
        var medium: TrafficSource.Medium
    }

    static let rules: [Rule] = [
        // Webmail and newsletter platforms: a click from an e-mail.
        .init(host: "mail.google.com", source: "Gmail", medium: .email),
        .init(host: "outlook.live.com", source: "Outlook", medium: .email),
        .init(host: "outlook.office.com", source: "Outlook", medium: .email),
        .init(host: "outlook.office365.com", source: "Outlook", medium: .email),
        .init(host: "mail.yahoo.com", source: "Yahoo Mail", medium: .email),
        .init(host: "mail.proton.me", source: "Proton Mail", medium: .email),
        .init(host: "mail.zoho.com", source: "Zoho Mail", medium: .email),
        .init(host: "fastmail.com", source: "Fastmail", medium: .email),
        .init(host: "substack.com", source: "Substack", medium: .email),
        .init(host: "beehiiv.com", source: "beehiiv", medium: .email),
        .init(host: "buttondown.email", source: "Buttondown", medium: .email),
        .init(host: "buttondown.com", source: "Buttondown", medium: .email),
        .init(host: "campaign-archive.com", source: "Mailchimp", medium: .email),
        .init(host: "mailchi.mp", source: "Mailchimp", medium: .email),
        .init(host: "convertkit-mail.com", source: "Kit", medium: .email),
        .init(host: "kit.com", source: "Kit", medium: .email),
        .init(host: "ghost.io", source: "Ghost", medium: .email),
        // AI assistants.
        .init(host: "chatgpt.com", source: "ChatGPT", medium: .referral),
        .init(host: "chat.openai.com", source: "ChatGPT", medium: .referral),
        .init(host: "perplexity.ai", source: "Perplexity", medium: .referral),
        .init(host: "claude.ai", source: "Claude", medium: .referral),
        .init(host: "gemini.google.com", source: "Gemini", medium: .referral),
        .init(host: "bard.google.com", source: "Gemini", medium: .referral),
        .init(host: "copilot.microsoft.com", source: "Copilot", medium: .referral),
        .init(host: "copilot.cloud.microsoft", source: "Copilot", medium: .referral),
        .init(host: "chat.deepseek.com", source: "DeepSeek", medium: .referral),
        .init(host: "chat.mistral.ai", source: "Mistral", medium: .referral),
        .init(host: "meta.ai", source: "Meta AI", medium: .referral),
        .init(host: "grok.com", source: "Grok", medium: .referral),
        .init(host: "you.com", source: "You.com", medium: .referral),
        .init(host: "phind.com", source: "Phind", medium: .referral),
        .init(host: "poe.com", source: "Poe", medium: .referral),
        // Search engines.
        .init(host: "news.google.com", source: "Google News", medium: .referral),
        .init(host: "google.*", source: "Google", medium: .search),
        .init(host: "bing.com", source: "Bing", medium: .search),
        .init(host: "duckduckgo.com", source: "DuckDuckGo", medium: .search),
        .init(host: "search.yahoo.com", source: "Yahoo", medium: .search),
        .init(host: "yahoo.com", source: "Yahoo", medium: .search),
        .init(host: "yahoo.co.jp", source: "Yahoo", medium: .search),
        .init(host: "baidu.com", source: "Baidu", medium: .search),
        .init(host: "yandex.*", source: "Yandex", medium: .search),
        .init(host: "ya.ru", source: "Yandex", medium: .search),
        .init(host: "ecosia.org", source: "Ecosia", medium: .search),
        .init(host: "search.brave.com", source: "Brave Search", medium: .search),
        .init(host: "startpage.com", source: "Startpage", medium: .search),
        .init(host: "qwant.com", source: "Qwant", medium: .search),
        .init(host: "kagi.com", source: "Kagi", medium: .search),
        .init(host: "naver.com", source: "Naver", medium: .search),
        .init(host: "seznam.cz", source: "Seznam", medium: .search),
        .init(host: "sogou.com", source: "Sogou", medium: .search),
        .init(host: "search.aol.com", source: "AOL", medium: .search),
        .init(host: "ask.com", source: "Ask", medium: .search),
        // Social networks and communities.
        .init(host: "facebook.com", source: "Facebook", medium: .social),
        .init(host: "fb.com", source: "Facebook", medium: .social),
        .init(host: "fb.me", source: "Facebook", medium: .social),
        .init(host: "messenger.com", source: "Facebook Messenger", medium: .social),
        .init(host: "instagram.com", source: "Instagram", medium: .social),
        .init(host: "linkedin.com", source: "LinkedIn", medium: .social),
        .init(host: "lnkd.in", source: "LinkedIn", medium: .social),
        .init(host: "t.co", source: "X/Twitter", medium: .social),
        .init(host: "twitter.com", source: "X/Twitter", medium: .social),
        .init(host: "x.com", source: "X/Twitter", medium: .social),
        .init(host: "reddit.com", source: "Reddit", medium: .social),
        .init(host: "redd.it", source: "Reddit", medium: .social),
        .init(host: "youtube.com", source: "YouTube", medium: .social),
        .init(host: "youtu.be", source: "YouTube", medium: .social),
        .init(host: "news.ycombinator.com", source: "Hacker News", medium: .social),
        .init(host: "tiktok.com", source: "TikTok", medium: .social),
        .init(host: "pinterest.*", source: "Pinterest", medium: .social),
        .init(host: "threads.net", source: "Threads", medium: .social),
        .init(host: "threads.com", source: "Threads", medium: .social),
        .init(host: "bsky.app", source: "Bluesky", medium: .social),
        .init(host: "mastodon.social", source: "Mastodon", medium: .social),
        .init(host: "quora.com", source: "Quora", medium: .social),
        .init(host: "producthunt.com", source: "Product Hunt", medium: .social),
        .init(host: "lobste.rs", source: "Lobsters", medium: .social),
        .init(host: "discord.com", source: "Discord", medium: .social),
        .init(host: "slack.com", source: "Slack", medium: .social),
        .init(host: "t.me", source: "Telegram", medium: .social),
        .init(host: "web.telegram.org", source: "Telegram", medium: .social),
        .init(host: "web.whatsapp.com", source: "WhatsApp", medium: .social),
        .init(host: "wa.me", source: "WhatsApp", medium: .social),
        .init(host: "vk.com", source: "VK", medium: .social),
        .init(host: "weibo.com", source: "Weibo", medium: .social),
        .init(host: "xing.com", source: "XING", medium: .social),
        .init(host: "medium.com", source: "Medium", medium: .social),
        // Developer sites: referral, but worth a canonical name.
        .init(host: "github.com", source: "GitHub", medium: .referral),
        .init(host: "gitlab.com", source: "GitLab", medium: .referral),
        .init(host: "stackoverflow.com", source: "Stack Overflow", medium: .referral),
        .init(host: "dev.to", source: "DEV", medium: .referral),
        .init(host: "wikipedia.org", source: "Wikipedia", medium: .referral),
    ]

    /// Names used in `utm_source` values, lower-cased, mapped to the canonical source name.
    static let utmAliases: [String: String] = {
        var aliases: [String: String] = [
            "fb": "Facebook", "ig": "Instagram", "twitter": "X/Twitter", "x": "X/Twitter", "tw": "X/Twitter",
            "li": "LinkedIn", "yt": "YouTube", "hn": "Hacker News", "hackernews": "Hacker News",
            "chatgpt.com": "ChatGPT", "openai": "ChatGPT", "adwords": "Google", "googleads": "Google",
        ]
        for rule in rules {
            let name = rule.source.lowercased()
            aliases[name] = aliases[name] ?? rule.source
            aliases[String(name.filter { $0 != " " })] = aliases[name] ?? rule.source
            if !rule.host.hasSuffix(".*") { aliases[rule.host] = aliases[rule.host] ?? rule.source }
        }
        return aliases
    }()

    /// The rule for a referrer host (lower-cased, without `www.`).
    static func rule(forHost host: String) -> Rule? {
        rules.first { matches(host: host, pattern: $0.host) }
    }

    /// The rule whose canonical source name is `source`.
    static func rule(forSource source: String) -> Rule? {
        rules.first { $0.source == source }
    }

    static func matches(host: String, pattern: String) -> Bool {
        guard pattern.hasSuffix(".*") else {
            return host == pattern || (host.hasSuffix(pattern) && host.dropLast(pattern.count).hasSuffix("."))
        }
        // `google.*`: the label, possibly under subdomains, followed only by a public suffix.
        let name = pattern.dropLast(2)
        let labels = host.split(separator: ".")
        guard let index = labels.lastIndex(where: { $0 == name }), index < labels.count - 1 else { return false }
        let suffix = labels[(index + 1)...]
        return suffix.count <= 2 && suffix.allSatisfy { $0.count <= 3 }
    }
}
