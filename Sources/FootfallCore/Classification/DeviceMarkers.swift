/// Words in a User-Agent that name a consumer device rather than a desktop, phone or tablet
/// browser, or a phone runtime that is not iOS or Android. They decide the device class and
/// keep such devices, whose apps rarely look like `Mozilla/…`, from being counted as bots.
enum DeviceMarkers {
    /// Smart TVs and set-top boxes, game consoles, car browsers, smart speakers and displays:
    /// device class `other`, never `desktop` (lower-case, matched anywhere).
    static let nonPersonal = KeywordSet([
        "smarttv", "smart-tv", "smart tv", "smarthub", "hbbtv", "web0s", "netcast", "bravia", "crkey", "googletv",
        "google tv", "android tv", "androidtv", "aftb", "aftm", "afts", "aftt", "aftk", "aftn", "aftr", "aftss", "aftka",
        "roku", "viera", " omi/", "opera tv", "playstation", "xbox", "nintendo", "shield android tv", "tesla/",
        "qtcarbrowser", "sonos", "vidaa", "tivo", "appletv", "apple tv", "tvos", "large screen", "freebox", "boxee",
        "chromecast", "philipstv", "nettv", "inettvbrowser", "espial", "tizen tv", "smart_tv", "; tv",
        "oculusbrowser", "sraf", "family hub", "familyhub", "maple", "opera devices", "dlnadoc", "upnp/", "vizio",
        // Watches: Samsung's Gear and Galaxy Watch models are all `SM-R…`.
        "sm-r", "watchos", "watch os", "wear os",
    ])

    /// Feature-phone runtimes and pre-smartphone mobile platforms: device class `mobile`.
    static let featurePhone = KeywordSet([
        "maui", "mre/", "midp", "cldc", "series40", "series60", "symbian", "blackberry", "bb10", "up.browser",
        "netfront", "obigo", "opera mini", "ucweb", "kaios", "nokia", "j2me", "teleca", "polaris", "openwave",
        "profile/", "spreadtrum", "mocor", "brew", "docomo", "sie-",
    ])

    /// App networking stacks, media players and platform names that apps on consumer devices
    /// put in their own UAs (`CFNetwork/… Darwin/…`, `Roku/…`, `Sonos;One;…`, `iPhone_OS/4.3.3`,
    /// `Android/10`, `(win10 x64)`): not crawlers, although they never claim to be `Mozilla`.
    static let appStacks = KeywordSet([
        "cfnetwork", "darwin", "dalvik/", "appletv", "applecoremedia", "roku", "sonos", "quicktime", "iphone", "ipod",
        "ipad", "android", "mac os", "macos", "windows", "win10", "win7", "winnt", "browser", "wap",
        "stagefright", "exoplayer", "libvlc", "nsplayer", "podcast", "echo;", "airplay", "watchos", "watch os",
        // `iOS` as a word, not inside one (`nagios-plugins`).
        " ios", "(ios", ";ios", "/ios", "-ios", "_ios", "[ios",
        // Media players, podcast players and devices that fetch media themselves (a podcast's
        // own server-side fetchers name themselves robots or give a `+http` contact).
        "xbmc", "kodi", "mpv ", "mplayer", "smplayer", "audacious", "musicbee", "winamp", "itunes", "foobar2000",
        "rhythmbox", "banshee", "clementine", "amarok", "realplayer", "wmplayer", "windows-media-player", "vlc/",
        "gpodder", "antennapod", "pocket casts", "pocketcasts", "downcast", "podkicker", "beyondpod", "doggcatcher",
        "player fm", "icatcher", "instacast", "castbox", "garmin",
    ])

    /// Whether the UA is a TV, console, car, speaker, watch or similar. Macs and Chromebooks
    /// never are, the only iOS ones are Apple TV and HomePod and the only Windows one is the
    /// Xbox, so most traffic skips the scan.
    static func isNonPersonal(_ tokens: UserAgentTokens, os: String) -> Bool {
        switch os {
        case "macOS", "ChromeOS": return false
        case "iOS", "iPadOS":
            return tokens.comment(prefix: "Apple TV") != nil || tokens.comment(prefix: "AppleTV") != nil
                || tokens.comment(prefix: "HomePod") != nil
        case "Windows", "Windows Phone": return tokens.comment(prefix: "Xbox") != nil
        default: return nonPersonal.firstMatch(in: tokens.bytes[...]) != nil || tokens.comment(prefix: "AFT") != nil
        }
    }

    static func isFeaturePhone(_ tokens: UserAgentTokens) -> Bool {
        featurePhone.firstMatch(in: tokens.bytes[...]) != nil
    }

    /// Whether the UA names a consumer device or runtime of any kind.
    static func namesConsumerDevice(_ tokens: UserAgentTokens) -> Bool {
        appStacks.firstMatch(in: tokens.bytes[...]) != nil || isFeaturePhone(tokens) || isNonPersonal(tokens, os: "Other")
    }
}
