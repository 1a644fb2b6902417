import FootfallCore
import FootfallStore
import Hummingbird

/// `GET /api/v1/privacy/subjects` (GDPR arts. 15 and 20: the subject's portability document,
/// the same JSON as `footfall export-subject`) and `DELETE /api/v1/privacy/subjects` (art. 17:
/// erasure everywhere, with counts), both scope `privacy:admin`, both audit-logged under a
/// receipt id. The subject is `site` plus exactly one of `visitor`, `org`, `ip_range`.
struct PrivacyRoutes: Sendable {
    let lifecycle: DataLifecycle

    func register(on group: RouterGroup<FootfallRequestContext>) {
        group.get("privacy/subjects") { request, context in
            let access = try context.require(.privacyAdmin)
            let (site, subject) = try await Self.subject(request, access)
            return try JSONResponse.make(try await lifecycle.export(subject, of: site, actor: access.actor))
        }
        group.delete("privacy/subjects") { request, context in
            let access = try context.require(.privacyAdmin)
            let (site, subject) = try await Self.subject(request, access)
            let result = try await lifecycle.erase(subject, of: site, actor: access.actor)
            return try JSONResponse.make(ErasureResource(
                receipt: result.receipt, events: result.events, visits: result.visits, segments_rewritten: result.segmentsRewritten))
        }
    }

    /// The caller's site and the subject the query names.
    /// - Throws: ``APIError`` 400 for a missing or ambiguous selector or a bad range, 404 for a
    ///   site the caller may not see.
    static func subject(_ request: Request, _ access: Access) async throws -> (Site, DataSubject) {
        let query = APIQuery(request)
        let site = try await access.site(query.string("site"))
        let visitor = try query.string("visitor").map { text in
            guard let id = VisitorIDText.parse(text) else {
                throw APIError.badParameter("visitor", "expected \(VisitorIDText.expected), got '\(text.prefix(40))'")
            }
            return id
        }
        do {
            let selector = try SubjectSelection.selector(visitor: visitor, organisation: query.string("org"), ipRange: query.string("ip_range"))
            return (site, DataSubject(siteID: site.id, selector: selector))
        } catch .notExactlyOne {
            throw APIError.badParameter("visitor", "give exactly one of 'visitor', 'org', 'ip_range'")
        } catch .emptyOrganisation {
            throw APIError.badParameter("org", "must not be empty")
        } catch .badIPRange(let text) {
            throw APIError.badParameter("ip_range", "expected an address, CIDR (203.0.113.0/24) or first-last range, got '\(text.prefix(60))'")
        }
    }
}

/// What an erasure removed, quoted with its audit receipt id.
struct ErasureResource: Encodable {
    let receipt: String
    let events: Int
    let visits: Int
    let segments_rewritten: Int
}
