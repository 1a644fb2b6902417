/// Android apps that open links in a browser, by package name, as Chrome reports them in
/// `android-app://PACKAGE/` referrers. Add a row to recognise another app.
enum AndroidApps {
    struct App: Sendable {
        var source: String
        var medium: TrafficSource.Medium
    }

    /// Package names are lower-cased (referrer hosts are compared lower-cased).
    static let packages: [String: App] = [
        // E-mail.
        "com.google.android.gm": App(source: "Gmail", medium: .email),
        "com.microsoft.office.outlook": App(source: "Outlook", medium: .email),
        "com.yahoo.mobile.client.android.mail": App(source: "Yahoo Mail", medium: .email),
        "com.samsung.android.email.provider": App(source: "Samsung Email", medium: .email),
        "ch.protonmail.android": App(source: "Proton Mail", medium: .email),
        "com.readdle.spark": App(source: "Spark", medium: .email),
        // Search and assistants.
        "com.google.android.googlequicksearchbox": App(source: "Google", medium: .search),
        "com.microsoft.bing": App(source: "Bing", medium: .search),
        "com.duckduckgo.mobile.android": App(source: "DuckDuckGo", medium: .search),
        "com.openai.chatgpt": App(source: "ChatGPT", medium: .referral),
        "ai.perplexity.app.android": App(source: "Perplexity", medium: .referral),
        // Social networks and messengers.
        "com.facebook.katana": App(source: "Facebook", medium: .social),
        "com.facebook.lite": App(source: "Facebook", medium: .social),
        "com.facebook.orca": App(source: "Facebook Messenger", medium: .social),
        "com.instagram.android": App(source: "Instagram", medium: .social),
        "com.instagram.barcelona": App(source: "Threads", medium: .social),
        "com.linkedin.android": App(source: "LinkedIn", medium: .social),
        "com.twitter.android": App(source: "X/Twitter", medium: .social),
        "com.reddit.frontpage": App(source: "Reddit", medium: .social),
        "com.google.android.youtube": App(source: "YouTube", medium: .social),
        "com.zhiliaoapp.musically": App(source: "TikTok", medium: .social),
        "com.ss.android.ugc.trill": App(source: "TikTok", medium: .social),
        "com.pinterest": App(source: "Pinterest", medium: .social),
        "com.snapchat.android": App(source: "Snapchat", medium: .social),
        "org.telegram.messenger": App(source: "Telegram", medium: .social),
        "org.telegram.messenger.web": App(source: "Telegram", medium: .social),
        "com.whatsapp": App(source: "WhatsApp", medium: .social),
        "com.whatsapp.w4b": App(source: "WhatsApp", medium: .social),
        "com.discord": App(source: "Discord", medium: .social),
        "com.slack": App(source: "Slack", medium: .social),
        "com.microsoft.teams": App(source: "Microsoft Teams", medium: .social),
        "jp.naver.line.android": App(source: "LINE", medium: .social),
        "com.viber.voip": App(source: "Viber", medium: .social),
        "com.vkontakte.android": App(source: "VK", medium: .social),
        "xyz.blueskyweb.app": App(source: "Bluesky", medium: .social),
        "org.joinmastodon.android": App(source: "Mastodon", medium: .social),
        "com.xing.android": App(source: "XING", medium: .social),
        "com.medium.reader": App(source: "Medium", medium: .social),
        "com.quora.android": App(source: "Quora", medium: .social),
        "com.ycombinator.news": App(source: "Hacker News", medium: .social),
    ]
}
