@testable import FootfallEnrich
import Foundation
import Testing

/// Consented coordinates resolve to the nearest GeoNames place's country and region.
@Suite struct PlaceIndexTests {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../Fixtures/places").standardized.path

    static func index() throws -> PlaceIndex {
        let cities = try String(contentsOfFile: fixtures + "/cities.txt", encoding: .utf8)
        let admin1 = try String(contentsOfFile: fixtures + "/admin1.txt", encoding: .utf8)
        return PlaceIndex(places: try PlaceData.parseGeoNames(cities: cities, citiesName: "cities.txt", admin1: admin1))
    }

    @Test(arguments: [
        (48.86, 2.35, "FR", "Île-de-France"),     // central Paris
        (48.80, 2.13, "FR", "Île-de-France"),     // Versailles, nearest to Paris
        (48.57, 7.75, "FR", "Grand Est"),         // Strasbourg, not Paris
        (51.45, 7.01, "DE", "North Rhine-Westphalia"),  // Essen, nearest to Dortmund
        (40.65, -73.95, "US", "New York"),        // Brooklyn
        (-33.87, 151.21, "AU", "New South Wales"),
    ])
    func resolvesToTheNearestPlace(latitude: Double, longitude: Double, country: String, region: String) throws {
        let place = try #require(try Self.index().place(latitude: latitude, longitude: longitude))
        #expect((place.country, place.region) == (country, region))
    }

    @Test func farFromEveryPlaceOrOutOfRangeResolvesToNothing() throws {
        let index = try Self.index()
        #expect(index.place(latitude: 0, longitude: -30) == nil)   // mid-Atlantic
        #expect(index.place(latitude: 45, longitude: 2.35) == nil)  // 430 km south of Paris
        #expect(index.place(latitude: 91, longitude: 0) == nil)
    }

    @Test func placesAcrossTheAntimeridianAreFound() {
        let fiji = PlaceIndex.Place(latitude: -17.8, longitude: 179.9, country: "FJ", region: "Northern")
        let index = PlaceIndex(places: [fiji])
        #expect(index.place(latitude: -17.8, longitude: -179.9) == fiji)
    }

    @Test func malformedDumpsAreRefusedWithTheirLine() {
        #expect(throws: PlaceDataError(file: "c.txt", line: 2, problem: "expected GeoNames' tab-separated columns (at least 11), got 1")) {
            try PlaceData.parseGeoNames(cities: "1\tA\tA\t\t1\t2\tP\tPPL\tFR\t\t11\n" + "broken\n", citiesName: "c.txt", admin1: nil)
        }
        #expect(throws: PlaceDataError(file: "c.txt", line: 1, problem: "latitude/longitude '95', '2' out of range")) {
            try PlaceData.parseGeoNames(cities: "1\tA\tA\t\t95\t2\tP\tPPL\tFR\t\t11\n", citiesName: "c.txt", admin1: nil)
        }
        #expect(throws: PlaceDataError(file: "c.txt", line: 1, problem: "no places")) {
            try PlaceData.parseGeoNames(cities: "\n", citiesName: "c.txt", admin1: nil)
        }
        let coded = try? PlaceData.parseGeoNames(cities: "1\tA\tA\t\t1\t2\tP\tPPL\tFR\t\t11\n", citiesName: "c.txt", admin1: nil)
        #expect(coded?.first?.region == "11", "without admin1 names the region is the code")
    }
}
