import CMaxMindDB
import FootfallCore
#if canImport(Glibc)
import Glibc
#endif

/// A MaxMind DB (`.mmdb`) file opened with libmaxminddb (memory-mapped, read-only, safe to
/// query from many threads at once).
///
/// One reader serves every database shape the product meets: ASN databases
/// (GeoLite2-ASN: `autonomous_system_number`, `autonomous_system_organization`), ISP /
/// Enterprise / Domain databases (`organization`, `isp`, `domain`, `connection_type`,
/// `traits.user_type`), geolocation databases (`country.iso_code`, `subdivisions`,
/// `city`) and ipinfo-style files (`asn` as `"AS15169"`, `as_name`, `as_domain`,
/// `country_code`). Fields a database lacks stay empty.
public final class MaxMindDatabase: @unchecked Sendable {
    // @unchecked: the handle is written only by MMDB_open in init and freed in deinit;
    // libmaxminddb lookups on an opened database are thread-safe.
    private let handle: UnsafeMutablePointer<MMDB_s>
    /// Path the database was opened from.
    public let path: String
    /// `database_type` from the metadata, e.g. `GeoLite2-ASN`.
    public let databaseType: String
    /// Number of search-tree nodes (a size indicator for `lookup-ip` and logs).
    public let nodeCount: Int

    /// Opens `path`; a file libmaxminddb refuses (truncated, not an MMDB) throws with the reason.
    public init(path: String) throws(IPDataError) {
        handle = .allocate(capacity: 1)
        let status = MMDB_open(path, UInt32(MMDB_MODE_MMAP), handle)
        guard status == MMDB_SUCCESS else {
            handle.deallocate()
            var reason = String(cString: MMDB_strerror(status))
            if status == MMDB_INVALID_METADATA_ERROR || status == MMDB_UNKNOWN_DATABASE_FORMAT_ERROR {
                reason += " (no MaxMind DB metadata found: not an .mmdb file, or truncated)"
            }
            throw .invalidDatabase(file: path, offset: nil, reason: reason)
        }
        self.path = path
        databaseType = String(cString: handle.pointee.metadata.database_type)
        nodeCount = Int(handle.pointee.metadata.node_count)
    }

    deinit {
        MMDB_close(handle)
        handle.deallocate()
    }

    /// What the database says about `address`; nil when it has no entry for it.
    public func lookup(_ address: IPAddress) -> NetworkRecord? {
        var error: Int32 = 0
        var result = Self.withSocketAddress(address) { MMDB_lookup_sockaddr(handle, $0, &error) }
        guard error == MMDB_SUCCESS, result.found_entry else { return nil }
        var record = NetworkRecord()
        record.organisation = string(&result.entry, MaxMindFields.organisation) ?? ""
        record.asn = integer(&result.entry, MaxMindFields.asn) ?? 0
        record.domain = (string(&result.entry, MaxMindFields.domain) ?? "").lowercased()
        record.country = (string(&result.entry, MaxMindFields.country) ?? "").uppercased()
        record.region = string(&result.entry, MaxMindFields.region) ?? ""
        record.city = string(&result.entry, MaxMindFields.city) ?? ""
        record.networkType = (string(&result.entry, MaxMindFields.userType)).flatMap(Self.networkType(userType:))
            ?? (string(&result.entry, MaxMindFields.connectionType)).flatMap(Self.networkType(connectionType:))
        return record.isEmpty ? nil : record
    }

    /// Walks the whole search tree and decodes every data record once, so that a corrupt
    /// file is refused at import (with the byte offset of the first bad node or record)
    /// rather than failing lookups later.
    public func verify() throws(IPDataError) {
        let mmdb = handle.pointee
        let recordBytes = Int(mmdb.full_record_byte_size)
        let treeBytes = Int(mmdb.metadata.node_count) * recordBytes
        var decoded = Set<UInt32>()
        var node = MMDB_search_node_s()
        for number in 0..<mmdb.metadata.node_count {
            let status = MMDB_read_node(handle, number, &node)
            guard status == MMDB_SUCCESS else {
                throw .invalidDatabase(file: path, offset: Int(number) * recordBytes, reason: String(cString: MMDB_strerror(status)))
            }
            for (type, entry) in [(node.left_record_type, node.left_record_entry), (node.right_record_type, node.right_record_entry)] {
                switch Int32(type) {
                case MMDB_RECORD_TYPE_INVALID:
                    throw .invalidDatabase(
                        file: path, offset: Int(number) * recordBytes, reason: "search tree node \(number) points outside the file")
                case MMDB_RECORD_TYPE_DATA where decoded.insert(entry.offset).inserted:
                    var entry = entry
                    var list: UnsafeMutablePointer<MMDB_entry_data_list_s>?
                    let status = MMDB_get_entry_data_list(&entry, &list)
                    MMDB_free_entry_data_list(list)
                    guard status == MMDB_SUCCESS else {
                        // The data section starts after the tree and a 16-byte separator.
                        throw .invalidDatabase(
                            file: path, offset: treeBytes + 16 + Int(entry.offset),
                            reason: "data record: \(String(cString: MMDB_strerror(status)))")
                    }
                default:
                    continue
                }
            }
        }
    }

    private func string(_ entry: inout MMDB_entry_s, _ paths: [LookupPath]) -> String? {
        for path in paths {
            var data = MMDB_entry_data_s()
            guard MMDB_aget_value(&entry, &data, path.pointers) == MMDB_SUCCESS, data.has_data else { continue }
            if data.type == MMDB_DATA_TYPE_UTF8_STRING, let pointer = data.utf8_string {
                let text = pointer.withMemoryRebound(to: UInt8.self, capacity: Int(data.data_size)) {
                    String(decoding: UnsafeBufferPointer(start: $0, count: Int(data.data_size)), as: UTF8.self)
                }
                if !text.isEmpty { return text }
            }
        }
        return nil
    }

    private func integer(_ entry: inout MMDB_entry_s, _ paths: [LookupPath]) -> Int? {
        for path in paths {
            var data = MMDB_entry_data_s()
            guard MMDB_aget_value(&entry, &data, path.pointers) == MMDB_SUCCESS, data.has_data else { continue }
            switch Int32(data.type) {
            case MMDB_DATA_TYPE_UINT16: return Int(data.uint16)
            case MMDB_DATA_TYPE_UINT32: return Int(data.uint32)
            case MMDB_DATA_TYPE_INT32: return Int(data.int32)
            case MMDB_DATA_TYPE_UINT64: return Int(truncatingIfNeeded: data.uint64)
            case MMDB_DATA_TYPE_UTF8_STRING:
                if let text = string(&entry, [path]), let value = RangeFileParser.parseASN(text) { return value }
            default: continue
            }
        }
        return nil
    }

    /// GeoIP2 `traits.user_type` → network type.
    static func networkType(userType: String) -> NetworkType? {
        switch userType {
        case "business": .business
        case "college", "school", "library": .education
        case "government", "military": .government
        case "cellular": .mobile
        case "hosting", "content_delivery_network", "search_engine_spider": .hosting
        case "residential", "cafe", "dialup", "consumer_privacy_network", "traveler": .isp
        default: nil
        }
    }

    /// GeoIP2 `connection_type` → network type (only the values that decide it).
    static func networkType(connectionType: String) -> NetworkType? {
        switch connectionType {
        case "Cellular": .mobile
        case "Cable/DSL", "Dialup", "Satellite": .isp
        default: nil
        }
    }

    static func withSocketAddress<T>(_ address: IPAddress, _ body: (UnsafePointer<sockaddr>) -> T) -> T {
        if address.isIPv4 {
            var socket = sockaddr_in()
            socket.sin_family = sa_family_t(AF_INET)
            withUnsafeMutableBytes(of: &socket.sin_addr) { $0.copyBytes(from: address.bytes) }
            return withUnsafePointer(to: &socket) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1, body) }
        }
        var socket = sockaddr_in6()
        socket.sin6_family = sa_family_t(AF_INET6)
        withUnsafeMutableBytes(of: &socket.sin6_addr) { $0.copyBytes(from: address.bytes) }
        return withUnsafePointer(to: &socket) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1, body) }
    }
}

/// A NULL-terminated C array of keys for `MMDB_aget_value`, allocated once per process.
struct LookupPath: @unchecked Sendable {
    let pointers: [UnsafePointer<CChar>?]

    init(_ keys: String...) {
        pointers = keys.map { UnsafePointer(strdup($0)) } + [nil]
    }
}

/// The fields read from each database, in order of preference.
enum MaxMindFields {
    static let organisation = [LookupPath("organization"), LookupPath("autonomous_system_organization"), LookupPath("isp"), LookupPath("as_name")]
    static let asn = [LookupPath("autonomous_system_number"), LookupPath("asn")]
    static let domain = [LookupPath("domain"), LookupPath("as_domain")]
    static let country = [LookupPath("country", "iso_code"), LookupPath("registered_country", "iso_code"), LookupPath("country_code")]
    static let region = [LookupPath("subdivisions", "0", "names", "en")]
    static let city = [LookupPath("city", "names", "en")]
    static let userType = [LookupPath("traits", "user_type"), LookupPath("user_type")]
    static let connectionType = [LookupPath("connection_type")]
}
