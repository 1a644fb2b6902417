/// Hosts visitors pass through on their way back to a site — payment and sign-in hops —
/// that are not where the visit came from (Google Analytics calls them unwanted referrals).
///
/// A page view referred by one of them is classified as direct: it neither starts a new
/// visit nor replaces the visit's source. Sites add their own with the `referral_exclusions`
/// setting (``TrackerSettings/referralExclusions``).
public enum ReferralExclusions {
    /// Built-in exclusions; each matches the host and its subdomains.
    public static let builtIn: [String] = [
        // Payment providers and their 3-D Secure / checkout pages.
        "paypal.com", "paypal.me", "checkout.stripe.com", "pay.stripe.com", "buy.stripe.com", "billing.stripe.com",
        "hooks.stripe.com", "klarna.com", "adyen.com", "checkout.shopify.com", "shop.app", "pay.google.com",
        "mollie.com", "checkout.paddle.com", "buy.paddle.com", "afterpay.com", "clearpay.co.uk", "affirm.com",
        "sezzle.com", "braintreegateway.com", "authorize.net", "2checkout.com", "secure.payu.com", "worldpay.com",
        "opayo.co.uk", "sagepay.com", "sofort.com", "checkout.com", "lemonsqueezy.com", "gocardless.com",
        // Sign-in and single sign-on.
        "accounts.google.com", "login.microsoftonline.com", "login.live.com", "login.microsoft.com",
        "appleid.apple.com", "okta.com", "oktapreview.com", "auth0.com", "onelogin.com", "login.salesforce.com",
        "sso.godaddy.com", "id.atlassian.com", "login.yahoo.com",
    ]

    /// Whether `host` (lower-case) is one of `exclusions` or a subdomain of one.
    static func contains(_ host: String, in exclusions: [String]) -> Bool {
        exclusions.contains { host == $0 || (host.hasSuffix($0) && host.dropLast($0.count).hasSuffix(".")) }
    }
}
