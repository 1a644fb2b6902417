import Foundation

/// Consented coordinates → country and region: the nearest populated place of a GeoNames
/// dump (`cities500.txt` … `cities15000.txt` from https://download.geonames.org/export/dump/,
/// region names from its `admin1CodesASCII.txt`), installed by `footfall import-places` as
/// `DATA/places.tsv`.
///
/// Only the visitor's actively consented `geo` readings are looked up here (IP addresses
/// never are), and only country and region come out: never a city or a street.
public struct PlaceIndex: Sendable {
    /// One populated place: WGS 84 degrees, ISO 3166-1 alpha-2 country, region name.
    public struct Place: Sendable, Equatable {
        public var latitude: Double
        public var longitude: Double
        public var country: String
        public var region: String
    }

    /// File name inside the data directory.
    public static let fileName = "places.tsv"
    /// Readings farther than this from every place (open sea, an empty dump) resolve to nothing.
    public static let maxDistanceKm = 200.0

    /// Places by 1° cell (`latitude cell * 360 + longitude cell`).
    private let cells: [Int: [Place]]
    public let count: Int

    public init(places: [Place]) {
        cells = Dictionary(grouping: places) { Self.cell(latitude: $0.latitude, longitude: $0.longitude) }
        count = places.count
    }

    /// The country and region of the nearest place within ``maxDistanceKm``; nil when none is.
    public func place(latitude: Double, longitude: Double) -> Place? {
        guard (-90...90).contains(latitude), (-180...180).contains(longitude) else { return nil }
        let row = Int((latitude + 90).rounded(.down)), column = Int((longitude + 180).rounded(.down))
        var best: (distance: Double, place: Place)?
        // ±2 cells: at least 200 km north-south; east-west narrower towards the poles, where
        // places are sparse anyway.
        for dRow in -2...2 {
            let r = row + dRow
            guard (0..<181).contains(r) else { continue }
            for dColumn in -2...2 {
                let c = ((column + dColumn) % 360 + 360) % 360
                for place in cells[r * 360 + c] ?? [] {
                    let distance = Self.kilometres(latitude, longitude, place.latitude, place.longitude)
                    if distance <= Self.maxDistanceKm, distance < (best?.distance ?? .infinity) { best = (distance, place) }
                }
            }
        }
        return best?.place
    }

    static func cell(latitude: Double, longitude: Double) -> Int {
        Int((latitude + 90).rounded(.down)) * 360 + Int((longitude + 180).rounded(.down)) % 360
    }

    /// Great-circle distance (haversine, mean Earth radius 6371 km).
    static func kilometres(_ lat1: Double, _ lon1: Double, _ lat2: Double, _ lon2: Double) -> Double {
        let radians = Double.pi / 180
        let dLat = (lat2 - lat1) * radians, dLon = (lon2 - lon1) * radians
        let a = sin(dLat / 2) * sin(dLat / 2) + cos(lat1 * radians) * cos(lat2 * radians) * sin(dLon / 2) * sin(dLon / 2)
        return 2 * 6371 * asin(min(1, a.squareRoot()))
    }
}
