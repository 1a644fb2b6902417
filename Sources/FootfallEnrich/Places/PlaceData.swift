import Foundation

/// Why a place file was refused, with the line (1-based) that broke it.
public struct PlaceDataError: Error, Equatable, CustomStringConvertible {
    public var file: String
    public var line: Int
    public var problem: String

    public var description: String { "\(file): line \(line): \(problem)" }
}

/// Reads and writes the place data behind ``PlaceIndex``.
public enum PlaceData {
    /// Parses a GeoNames `cities*.txt` dump (tab-separated, 19 columns: geonameid, name,
    /// asciiname, alternatenames, latitude, longitude, feature class, feature code, country
    /// code, cc2, admin1 code, …) and, optionally, `admin1CodesASCII.txt` (`CC.code`, name,
    /// ascii name, geonameid) for region names; without it the region is the admin1 code.
    /// - Throws: ``PlaceDataError`` naming the first malformed line; an empty dump is refused.
    public static func parseGeoNames(cities: String, citiesName: String, admin1: String?, admin1Name: String = "admin1") throws(PlaceDataError) -> [PlaceIndex.Place] {
        var regions: [String: String] = [:]
        if let admin1 {
            for (number, line) in admin1.split(separator: "\n", omittingEmptySubsequences: false).enumerated() where !line.isEmpty {
                let fields = line.split(separator: "\t", omittingEmptySubsequences: false)
                guard fields.count >= 2, fields[0].contains(".") else {
                    throw PlaceDataError(file: admin1Name, line: number + 1, problem: "expected 'CC.code<TAB>name…'")
                }
                regions[String(fields[0])] = String(fields[1])
            }
        }
        var places: [PlaceIndex.Place] = []
        for (number, line) in cities.split(separator: "\n", omittingEmptySubsequences: false).enumerated() where !line.isEmpty {
            let fields = line.split(separator: "\t", omittingEmptySubsequences: false)
            func fail(_ problem: String) -> PlaceDataError { PlaceDataError(file: citiesName, line: number + 1, problem: problem) }
            guard fields.count >= 11 else { throw fail("expected GeoNames' tab-separated columns (at least 11), got \(fields.count)") }
            guard let latitude = Double(fields[4]), (-90...90).contains(latitude),
                  let longitude = Double(fields[5]), (-180...180).contains(longitude) else {
                throw fail("latitude/longitude '\(fields[4])', '\(fields[5])' out of range")
            }
            let country = String(fields[8])
            guard country.count == 2, country.allSatisfy({ $0.isASCII && $0.isUppercase }) else {
                throw fail("country code '\(country.prefix(10))' is not ISO 3166-1 alpha-2")
            }
            let code = String(fields[10])
            places.append(PlaceIndex.Place(
                latitude: latitude, longitude: longitude, country: country, region: regions["\(country).\(code)"] ?? code))
        }
        guard !places.isEmpty else { throw PlaceDataError(file: citiesName, line: 1, problem: "no places") }
        return places
    }

    /// Writes `places` as `DATA/places.tsv` (latitude, longitude, country, region), replacing
    /// the file atomically, so a running server never reads half of it.
    public static func install(_ places: [PlaceIndex.Place], dataDirectory: String) throws {
        let text = places.map { "\($0.latitude)\t\($0.longitude)\t\($0.country)\t\($0.region)" }.joined(separator: "\n") + "\n"
        try Data(text.utf8).write(to: URL(fileURLWithPath: dataDirectory + "/" + PlaceIndex.fileName), options: .atomic)
    }

    /// The installed places, nil when none are installed.
    /// - Throws: ``PlaceDataError`` for a damaged file.
    public static func load(dataDirectory: String) throws -> PlaceIndex? {
        let path = dataDirectory + "/" + PlaceIndex.fileName
        guard let data = FileManager.default.contents(atPath: path) else { return nil }
        var places: [PlaceIndex.Place] = []
        for (number, line) in String(decoding: data, as: UTF8.self).split(separator: "\n").enumerated() {
            let fields = line.split(separator: "\t", omittingEmptySubsequences: false)
            guard fields.count == 4, let latitude = Double(fields[0]), let longitude = Double(fields[1]) else {
                throw PlaceDataError(file: path, line: number + 1, problem: "expected latitude, longitude, country, region")
            }
            places.append(PlaceIndex.Place(latitude: latitude, longitude: longitude, country: String(fields[2]), region: String(fields[3])))
        }
        return PlaceIndex(places: places)
    }
}
