/// A site's data-protection settings, changed with `footfall site config SITE --set`.
public struct PrivacySettings: Sendable, Equatable, Codable {
    /// Extra query parameters whose values are removed before storage (`strip_params`),
    /// on top of ``PersonalDataScrubber/sensitiveParameters``.
    public var stripParameters: [String]
    /// Days stored events and visits are kept (`retention_days`); the default is 13 months.
    public var retentionDays: Int
    /// Grid, in degrees, consented geolocations are rounded to (`geo_precision`): 0.01° is
    /// about 1.1 km; coarser values (0.1, 1) keep less.
    public var geoPrecision: Double

    /// 13 months: a full year plus the month it is compared against.
    public static let defaultRetentionDays = 396
    public static let defaultGeoPrecision = 0.01
    /// Finest allowed geolocation grid, in degrees.
    public static let finestGeoPrecision = 0.01

    public init(
        stripParameters: [String] = [], retentionDays: Int = PrivacySettings.defaultRetentionDays,
        geoPrecision: Double = PrivacySettings.defaultGeoPrecision
    ) {
        self.stripParameters = stripParameters
        self.retentionDays = retentionDays
        self.geoPrecision = geoPrecision
    }

    enum CodingKeys: String, CodingKey {
        case stripParameters, retentionDays, geoPrecision
    }

    // Stored as JSON in the catalog: settings added later decode to their defaults.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let defaults = PrivacySettings()
        stripParameters = try container.decodeIfPresent([String].self, forKey: .stripParameters) ?? defaults.stripParameters
        retentionDays = try container.decodeIfPresent(Int.self, forKey: .retentionDays) ?? defaults.retentionDays
        geoPrecision = try container.decodeIfPresent(Double.self, forKey: .geoPrecision) ?? defaults.geoPrecision
    }

    /// `reading` snapped to the ``geoPrecision`` grid; the accuracy grows to at least the
    /// grid's size in metres (111,320 m per degree of latitude).
    public func rounded(_ reading: GeoReading) -> GeoReading {
        let step = max(geoPrecision, Self.finestGeoPrecision)
        func snap(_ degrees: Double) -> Double {
            // Snap, then drop binary noise (0.57 * 100 = 56.99999…) at 6 decimals.
            (((degrees / step).rounded() * step) * 1_000_000).rounded() / 1_000_000
        }
        return GeoReading(
            latitude: snap(reading.latitude), longitude: snap(reading.longitude),
            accuracy: max(reading.accuracy, step * 111_320))
    }
}
